"""Which file already in `--into` an imported form is, and the forms that share a name.

An import pairs each form with the file an earlier import wrote for it by where the form was
read, first: the same year, the same source file (`source.file`) and the same place of its
项目名称 (`source.places.name`). Only a form no file was imported from is paired by its year,
实施单位 and 项目名称 (`names.Namer`: a form typed by hand, or a file whose `source:` was
removed). Two forms of one year, unit and name (two versions of one form, say) are then each
paired with their own file on every import, however the names sort, and are said
(`duplicate-name`): they would otherwise be two pages of one project.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from .grid import Place
from .names import Known, Namer, Naming

# (year, source file name, place of 项目名称 as written) of a file an import wrote.
SourceKey = tuple[int, str, str]
_SOURCE = re.compile(r"^source:[ \t]*\n((?:(?:[ \t].*)?\n?)*)", re.M)


def source_key(path: Path, year: int) -> SourceKey | None:
    """The source key of the project file at `path` (its `source:` block read alone), None
    for a file without one (typed by hand) or one that cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    match = _SOURCE.search(text)
    if match is None:
        return None
    try:
        block = yaml.safe_load("source:\n" + match.group(1))
    except yaml.YAMLError:
        return None
    source = block.get("source") if isinstance(block, dict) else None
    if not isinstance(source, dict) or not isinstance(source.get("places"), dict):
        return None
    file, place = source.get("file"), source["places"].get("name")
    if not isinstance(file, str) or not isinstance(place, str):
        return None
    return year, file, place


def paired(namer: Namer, keys: Sequence[SourceKey | None]) -> list[Naming | None]:
    """For each form of the run (its source key, None without a year or a 项目名称 place), in
    order: the file an earlier import wrote from the same place, claimed in `namer` so that
    no other form is paired with it; None where there is none."""
    wanted = {key for key in keys if key is not None}
    index: dict[SourceKey, Known] = {}
    for known in namer.known:
        if known.year in {key[0] for key in wanted}:
            found = source_key(known.path, known.year)
            if found in wanted:
                index.setdefault(found, known)
    out: list[Naming | None] = []
    for key in keys:
        known = index.get(key) if key is not None else None
        if known is None or known.path in namer.claimed:
            out.append(None)
            continue
        namer.claimed.add(known.path)
        out.append(Naming(known.id, known.path, chosen=False))
    return out


def key_of(year: int | None, file: Path, place: Place | None) -> SourceKey | None:
    """The source key a form of `year` read from `file` with its 项目名称 at `place` has."""
    if year is None or place is None:
        return None
    return year, file.name, place.describe()


def namesakes(
    known: Sequence[Known], named: Sequence[tuple[Path, tuple[int, str, str]]]
) -> dict[Path, list[Path]]:
    """For each form of the run (its path and its year, 实施单位 and 项目名称), the other forms
    of the same year, unit and name: files already there and forms of the run ([] for none).
    A form's own file counts once, as the form now read."""
    forms = {k.path: (k.year, k.unit.strip(), k.name.strip()) for k in known}
    for path, identity in named:
        forms[path] = identity
    return {
        path: sorted(other for other, theirs in forms.items() if theirs == mine and other != path)
        for path, mine in named
    }
