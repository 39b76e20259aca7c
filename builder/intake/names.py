"""File names and ids of imported forms: ASCII, stable across imports.

A form already in the content folder (the same year, 实施单位 and 项目名称) keeps its id and
its file: that is how a second import of the same file finds what the first one wrote, and how
an import finds a form typed by hand. Otherwise the id is the name in pinyin (`pypinyin`, no
tones, words read by its phrase dictionary and place names as places: 天长 tianchang, 单县
shanxian, `place_readings`), its syllables joined two by two and the pairs by hyphens (机关事业单位养老保险 →
`jiguan-shiye-danwei-yanglao-baoxian`), digits and Latin letters kept as words of their own,
cut at a syllable to at most `MAX_SLUG` characters; `-2`, `-3`… when another form of the year
has it. The unit's folder is the one its forms of that year are in, else its name in pinyin.
"""

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
from .place_readings import READINGS

MAX_SLUG = 48  # characters of an id or a folder made from a name
_PIECES = re.compile(r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|(?P<latin>[A-Za-z0-9]+)")
FALLBACK = "form"  # the id of a name with nothing to spell (punctuation only)
# A place name of `READINGS`, where a name begins: at the start of a run of Chinese or after an
# administrative unit (安徽省天长市…), never inside a word (清单县级 is not 单县).
_PLACE = re.compile(
    r"(?:(?<![\u3400-\u9fff])|(?<=[省市县区州旗盟镇乡]))(?:"
    + "|".join(re.escape(name) for name in sorted(READINGS, key=lambda n: (-len(n), n)))
    + ")"
)


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
        for match in _PLACE.finditer(hans):
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


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """`text` as lowercase ASCII words joined by hyphens: Chinese in pinyin, two syllables a
    word; digits and Latin letters as they are (lowercased); anything else separates. At most
    `limit` characters, cut between syllables. "" when nothing can be spelt."""
    words: list[list[str]] = []
    for piece in _PIECES.finditer(unicodedata.normalize("NFKC", text)):
        if piece.group("latin"):
            words.append([piece.group("latin").lower()])
            continue
        spelt = [re.sub(r"[^a-z]", "", s.lower()) for s in syllables(piece.group("han"))]
        spelt = [s for s in spelt if s]
        words.extend(spelt[i : i + 2] for i in range(0, len(spelt), 2))
    out = ""
    for word in words:
        joined = ""
        for syllable in word:
            candidate = (out + "-" if out else "") + joined + syllable
            if len(candidate) > limit:
                if not out and not joined:  # one Latin word longer than the limit
                    return _finished(syllable[:limit])
                return _finished(out + ("-" + joined if out and joined else joined))
            joined += syllable
        out = f"{out}-{joined}" if out else joined
    return _finished(out)


def _finished(text: str) -> str:
    return text.strip("-")


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
    (once), or a new id and a file in its unit's folder, never one taken in its year."""

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
        base = slug(unit) or "unit"
        if base.startswith(DEPARTMENT_PREFIX) or name_problem(base) is not None or len(base) < 2:
            base = f"unit-{base}"
        taken = {f for (y, _), f in self.folders.items() if y == year}
        folder, n = base, 1
        while folder in taken:
            n += 1
            folder = f"{base}-{n}"
        self.folders[(year, unit)] = folder
        return folder

    def _path(self, year: int, folder: str, ident: str) -> Path:
        return self.into / str(year) / folder / f"{ident}.yaml"
