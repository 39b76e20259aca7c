"""File names and ids of imported forms: ASCII, stable across imports.

A form already in the content folder (the same year, 实施单位 and 项目名称) keeps its id and
its file: that is how a second import of the same file finds what the first one wrote, and how
an import finds a form typed by hand, whatever scheme its id was made by. The same project in
another year gives its id, a unit its folder. Otherwise the id is the name in pinyin, word by
word (`pinyin_words`: jieba's words; `pypinyin`'s readings, no tones, place names read as
places: 天长 tianchang, 单县 shanxian, `place_readings`), a word's syllables joined and the words
by hyphens (六盘水市社会保险事业局 → `liupanshui-shi-shehui-baoxian-shiye-ju`, 机关事业单位养老保险
→ `jiguan-shiye-danwei-yanglao-baoxian`), digits and Latin letters words of their own, cut after
a word to at most `MAX_SLUG` characters; `-2`, `-3`… when another form of the year has it. The
unit's folder is the one its forms of that year are in, else its name in pinyin."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin
from pypinyin.seg.simpleseg import seg

from ..form.load import project_files
from ..form.source import load_file
from ..rules.names import DEPARTMENT_PREFIX, name_problem
from .pinyin_words import PLACE, han_words
from .place_readings import READINGS

MAX_SLUG = 48  # characters of an id or a folder made from a name
_PIECES = re.compile(r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|(?P<latin>[A-Za-z0-9]+)")
FALLBACK = "form"  # the id of a name with nothing to spell (punctuation only)


class _PlaceConverter(DefaultConverter):
    """pypinyin's converter, reading a place name of `READINGS` as the place is read."""

    def post_pinyin(self, han: str, heteronym: bool, pinyin: list, **kwargs: object) -> list | None:
        """The syllables of `han` where it is a place name of `READINGS` (else None: pypinyin's
        reading, from its phrase dictionary)."""
        reading = READINGS.get(han)
        return [[syllable] for syllable in reading.split()] if reading else None


class _PlacePinyin(Pinyin):
    """pypinyin, its words cut by its own phrase dictionary, but a place name of `READINGS`
    one word (pypinyin would cut 天长市 into 天长 read as in 天长地久 (zhang) and 市)."""

    def pre_seg(self, hans: str, **kwargs: object) -> list[str] | None:
        """The words of `hans`: each place name one, the text between cut by pypinyin's
        segmenter; None (pypinyin's own cut) where no place is named."""
        words: list[str] = []
        at = 0
        for match in PLACE.finditer(hans):
            words += [*seg(hans[at : match.start()]), match.group()]
            at = match.end()
        return [*words, *seg(hans[at:])] if words else None


_PINYIN = _PlacePinyin(_PlaceConverter())


def syllables(text: str) -> list[str]:
    """The pinyin of `text` without tones, one syllable per character: pypinyin's reading from
    its phrase dictionary, place names read as places (`place_readings`: 天长 tian chang)."""
    return _PINYIN.lazy_pinyin(text)


@dataclass(frozen=True)
class Known:
    """A project file already in the content folder: where it is and what names it."""

    path: Path
    year: int
    unit: str
    name: str
    id: str


@dataclass(frozen=True)
class Naming:
    """The id and file of one form: `chosen` is True when the id was made now (a new form),
    False when an existing file of the same year, unit and name gave it."""

    id: str
    path: Path
    chosen: bool


def words(text: str) -> list[list[str]]:
    """The words of `text` in order, each as its syllables in lowercase ASCII pinyin: Chinese
    cut into words (`pinyin_words.han_words`) and read in context (`syllables`: each run of
    Chinese read whole, then shared out a syllable a character); digits and Latin letters as
    they are (lowercased), one word a run; anything else only separates. Full-width forms are
    read as their ASCII (NFKC: Ｇ２０ is g20)."""
    out: list[list[str]] = []
    for piece in _PIECES.finditer(unicodedata.normalize("NFKC", text)):
        if piece.group("latin"):
            out.append([piece.group("latin").lower()])
            continue
        run = piece.group("han")
        pieces = han_words(run)
        read = syllables(run)
        if len(read) == len(run):
            at = 0
            for word in pieces:
                out.append(read[at : at + len(word)])
                at += len(word)
        else:  # a character pypinyin cannot read: each word read alone
            out.extend(syllables(word) for word in pieces)
    spelt = ([re.sub(r"[^a-z0-9]", "", s.lower()) for s in word] for word in out)
    return [kept for word in spelt if (kept := [s for s in word if s])]


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """`text` as lowercase ASCII words joined by hyphens, a word's syllables joined (`words`:
    六盘水市社会保险事业局 → liupanshui-shi-shehui-baoxian-shiye-ju, 2023年农家书屋 →
    2023-nian-nongjia-shuwu). At most `limit` characters, cut after the last word that fits, or
    between syllables when not even the first word does. "" when nothing can be spelt."""
    out = ""
    for word in words(text):
        joined = "".join(word)
        candidate = f"{out}-{joined}" if out else joined
        if len(candidate) <= limit:
            out = candidate
            continue
        if out:
            break
        for syllable in word:  # the first word alone is longer than the limit
            if len(out + syllable) > limit:
                break
            out += syllable
        return out or joined[:limit]
    return out


def known_projects(into: Path) -> list[Known]:
    """Every readable project file under `into` (content/<year>/<unit>/*.yaml) with its year,
    unit, name and id as written; a file without them is left out. Paths in a stable order."""
    if not into.is_dir():
        return []
    found = []
    for path in project_files(into):
        data = load_file(path).data
        if not isinstance(data, dict):
            continue
        year, unit, name, ident = (data.get(k) for k in ("year", "unit", "name", "id"))
        if isinstance(year, int) and all(isinstance(v, str) for v in (unit, name, ident)):
            found.append(Known(path, year, unit.strip(), name.strip(), ident))
    return found


class Namer:
    """Names the forms of one import run, in order: each gets the file of its existing twin
    (once), or a new id and a file in its unit's folder, never one taken in its year. A new
    form of a project the content folder has in another year gets that year's id where it is
    free (the site joins a project's years by id), and a unit without a folder in the year the
    folder it has in another (the nearest)."""

    def __init__(self, into: Path, known: list[Known]) -> None:
        self.into = into
        self.known = known
        self.claimed: set[Path] = set()
        self.ids: set[tuple[int, str]] = {(k.year, k.id) for k in known}
        self.paths: set[Path] = {k.path for k in known}
        self.folders: dict[tuple[int, str], str] = {}
        for k in known:
            self.folders.setdefault((k.year, k.unit), k.path.parent.name)

    def name(self, year: int, unit: str, name: str) -> Naming:
        """The id and path of the form (year, unit, name) of this run."""
        unit, name = unit.strip(), name.strip()
        for k in self.known:
            if (k.year, k.unit, k.name) == (year, unit, name) and k.path not in self.claimed:
                self.claimed.add(k.path)
                return Naming(k.id, k.path, chosen=False)
        folder = self.folder(year, unit)
        twin = self._nearest(year, unit, name)
        if twin is not None and name_problem(twin.id) is None and (year, twin.id) not in self.ids:
            base = twin.id  # the same project in another year: the site joins them by id
        else:
            base = slug(name) or FALLBACK
        if len(base) < 2 or name_problem(base) is not None:
            base = f"{FALLBACK}-{base}".strip("-")
        ident, n = base, 1
        while (year, ident) in self.ids or self._path(year, folder, ident) in self.paths:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add((year, ident))
        path = self._path(year, folder, ident)
        self.paths.add(path)
        self.claimed.add(path)
        return Naming(ident, path, chosen=True)

    def folder(self, year: int, unit: str) -> str:
        """The unit's folder in `year`: where its forms are, else its name in pinyin (`-2`…
        when another unit has that folder)."""
        folder = self.folders.get((year, unit))
        if folder is not None:
            return folder
        other = self._nearest(year, unit)
        base = other.path.parent.name if other is not None else slug(unit) or "unit"
        if base.startswith(DEPARTMENT_PREFIX) or name_problem(base) is not None or len(base) < 2:
            base = f"unit-{base}"
        taken = {f for (y, _), f in self.folders.items() if y == year}
        folder, n = base, 1
        while folder in taken:
            n += 1
            folder = f"{base}-{n}"
        self.folders[(year, unit)] = folder
        return folder

    def _nearest(self, year: int, unit: str, name: str | None = None) -> Known | None:
        """The file of the unit (and of the project `name`, if given) in the year nearest
        `year` but another, the earlier of two as near; None when there is none."""
        others = [
            k
            for k in self.known
            if k.year != year and k.unit == unit and (name is None or k.name == name)
        ]
        return min(others, key=lambda k: (abs(k.year - year), k.year, str(k.path)), default=None)

    def _path(self, year: int, folder: str, ident: str) -> Path:
        return self.into / str(year) / folder / f"{ident}.yaml"
