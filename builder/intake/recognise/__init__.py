"""Tables in, drafts out: the forms found in a file's `grid.Table`s, each read into a
`draft.Draft` (the project file's data, where each value was read, the review list).

`recognise(tables)` is the entry point. A form is found by its words, never by column
numbers: its parts by the labels that begin them (sections.py), the header fields by their
labels (header.py), the funding rows by label and figures (funding.py), the indicator rows by
what each cell holds (columns.py), the merged 一级/二级 labels carried down (table.py).
"""

from __future__ import annotations

from ..draft import Draft
from ..grid import Table
from .form import read_form
from .glue import unglue
from .split import split_forms

__all__ = ["file_name", "recognise"]


def recognise(tables: list[Table], issued: bool = False) -> list[Draft]:
    """The drafts of every form in `tables` (a file's tables, in order); [] when none.
    `issued`: the file is jixiao's blank template filled in (`readers.Reading.issued`)."""
    cut, notes = unglue(tables)
    forms = [rows for rows in split_forms(cut) if _is_form(rows)]
    drafts = []
    for index, rows in enumerate(forms):
        draft = read_form(rows, last=index == len(forms) - 1, issued=issued)
        places = {cell.place for row in rows for cell in row}
        draft.review[:0] = [note for note in notes if note.place in places]
        drafts.append(draft)
    return drafts


def _is_form(rows: list) -> bool:
    from .split import names_project

    return any(names_project(row) for row in rows)


def file_name(tables: list[Table]) -> str:
    """The name of the file the tables were read from ("" when none)."""
    return tables[0].origin.file if tables else ""
