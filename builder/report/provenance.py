"""Where a finding's value was read, for a form imported by `jixiao import`.

An imported form's `source.places` maps field paths (`indicators[3].target`) to the place in
the original file (`第2页 表1 第5行 第3列`, `表1!C7`, `第12行 第7列` of a text). A finding on a
path with a place, or under one (the nearest parent path that has one), is said with it:
`（源文件 名称.pdf 第2页 表1 第5行 第3列）`, in English `(source: 名称.pdf page 2, table 1,
row 5, column 3)`.
"""

from __future__ import annotations

import re

from ..form.model import Project
from ..form.source import PathKey, format_path

# The parts of a place as `grid.Place.describe` writes them in Chinese, and in English.
_PARTS = (
    (re.compile(r"^第(\d+)页$"), "page {}"),
    (re.compile(r"^表(\d+)$"), "table {}"),
    (re.compile(r"^第(\d+)行$"), "row {}"),
    (re.compile(r"^第(\d+)列$"), "column {}"),
    (re.compile(r"^第(\d+)段$"), "paragraph {}"),
)


def source_place(project: Project | None, path: PathKey) -> tuple[str, str] | None:
    """(file, place) where the value at `path` of `project` was read: the place of `path`, or
    of its nearest parent path that has one; None for a form not imported, or no such place
    (a finding on the whole file)."""
    if project is None or project.source is None:
        return None
    places = project.source.places
    for end in range(len(path), 0, -1):
        place = places.get(format_path(path[:end]))
        if place is not None:
            return project.source.file, place
    return None


def english_place(place: str, reader: str = "") -> str:
    """A place as `describe()` wrote it in Chinese, in English: 第2页 表1 第5行 第3列 →
    page 2, table 1, row 5, column 3 (a text's 第12行 is its line 12); a sheet address
    (表1!C7) or a text it does not know stays as it is."""
    if place == "整个文件":
        return "whole file"
    words = place.replace("行第", "行 第").split()
    out = []
    for word in words:
        for pattern, english in _PARTS:
            found = pattern.match(word)
            if found:
                row = english == "row {}" and reader == "text"
                out.append(("line {}" if row else english).format(found.group(1)))
                break
        else:
            return place
    return ", ".join(out)


def source_note(project: Project | None, path: PathKey, lang: str = "zh") -> str:
    """The note a finding on `path` ends with: `（源文件 名称.pdf 第2页 表1 第5行 第3列）`, or
    ` (source: 名称.pdf page 2, table 1, row 5, column 3)` in English; "" when no place."""
    found = source_place(project, path)
    if found is None or project is None or project.source is None:
        return ""
    file, place = found
    if lang == "en":
        return f" (source: {file} {english_place(place, project.source.reader)})"
    return f"（源文件 {file} {place}）"
