"""Finding the forms in a file's tables: where each begins, the rows that belong to it.

A form begins at its title row (「…自评表」) or at a 项目名称 row, once the form before it has
had its own 项目名称; rows before the first form's name belong to it (the page title, the
「source:」 line). Tables follow each other in the file's order, so a form that runs on into
the next table or page (a header row printed again) stays one form. A jixiao booklet's
contents (目录(项目一览): a table of its projects, headed 项目名称, and a note) is no form:
its rows are left out up to the next title.
"""

from __future__ import annotations

import re

from ..grid import Cell, Place, Row, Table
from .sheet import filled
from .words import is_level, key

_TITLE = re.compile(r"自评表")
_CONTENTS = re.compile(r"^目录")
_SPACE_RUN = re.compile(r"\S+")


def is_title(row: Row) -> bool:
    """True for a form's title row: a short cell ending in, or naming, a 自评表."""
    cells = filled(row)
    return bool(cells) and any(
        _TITLE.search(cell.text) and len(key(cell.text)) <= 40 for cell in cells[:2]
    )


def names_project(row: Row) -> bool:
    """True for a row that prints the 项目名称 label."""
    return any(key(cell.text).startswith("项目名称") for cell in filled(row)[:3])


def is_contents(row: Row) -> bool:
    """True for the heading of a booklet's contents (目录, 目录(项目一览))."""
    cells = filled(row)
    return len(cells) == 1 and bool(_CONTENTS.match(key(cells[0].text)))


def split_forms(tables: list[Table]) -> list[list[Row]]:
    """The rows of each form found in `tables`, in order (see the module's docstring)."""
    forms: list[list[Row]] = []
    current: list[Row] = []
    named = contents = False
    for table in tables:
        for row in table.rows:
            if not filled(row):
                continue
            contents = (contents or is_contents(row)) and not is_title(row)
            if contents:
                continue  # a booklet's contents, up to the next form's title
            if named and (is_title(row) or names_project(row)):
                forms.append(current)
                current, named = [], False
            named = named or names_project(row)
            current.append(row)
    if current:
        forms.append(current)
    return forms


def tokens(row: Row) -> list[Cell]:
    """The row's filled cells; a row that is one cell of words separated by single spaces
    (text whose cells were flattened into a line) is split at the spaces, each piece keeping
    its character column."""
    cells = filled(row)
    if len(cells) != 1 or " " not in cells[0].text.strip() or is_level(cells[0].text):
        return cells
    cell = cells[0]
    out = []
    for found in _SPACE_RUN.finditer(cell.text):
        place = cell.place
        if place.line is not None and place.column is not None:
            place = Place(
                place.file,
                place.sheet,
                place.page,
                place.table,
                place.row,
                place.column + found.start(),
                place.line,
            )
        out.append(Cell(found.group(), place))
    return out
