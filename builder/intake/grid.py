"""Cells as read from a source file, with where they were read (`Place`).

Every reader (`builder.intake.readers`) gives the same shape: a list of `Table`s, each a tuple
of rows, each row a tuple of `Cell`s from left to right. A spreadsheet or a PDF table gives its
blank cells too (text ""); a merged cell is given once, at its top-left, with its `span`; text
gives one row per line and one cell per piece between separators. The recogniser works on this
shape only, so a new file format is one new reader.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """Where a cell was read: enough for a person to find it in the original file.

    `file` is the file's name as given to `jixiao import`. The other parts are 1-based and set
    by the reader that knows them: `sheet` (a workbook's sheet name) with `row`/`column`;
    `page` and `table` (a PDF's page, the n-th table on it; a Word document's n-th table) with
    `row`/`column` inside the table; `line` and `column` (a character column) for text; `line`
    alone for a Word document's paragraph (its number in the body, blank ones counted).
    """

    file: str
    sheet: str | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    line: int | None = None

    def describe(self, lang: str = "zh") -> str:
        """The place in words, e.g. `表1!B7`, `第2页 表1 第5行第3列`, `第12行第7列`, `第8段` (a
        Word document's 8th paragraph).

        `lang` is "zh" (default) or "en". The file name is not included (the caller says it
        once). A sheet place uses the spreadsheet's own A1 address.
        """
        if self.sheet is not None and self.row is not None and self.column is not None:
            return f"{self.sheet}!{column_letters(self.column)}{self.row}"
        parts: list[str] = []
        zh = lang == "zh"
        if self.page is not None:
            parts.append(f"第{self.page}页" if zh else f"page {self.page}")
        if self.table is not None:
            parts.append(f"表{self.table}" if zh else f"table {self.table}")
        if self.line is not None and self.page is None and self.column is None:
            parts.append(f"第{self.line}段" if zh else f"paragraph {self.line}")
        elif self.line is not None:
            parts.append(f"第{self.line}行" if zh else f"line {self.line}")
        elif self.row is not None:
            parts.append(f"第{self.row}行" if zh else f"row {self.row}")
        if self.column is not None:
            parts.append(f"第{self.column}列" if zh else f"column {self.column}")
        if not parts:
            return "整个文件" if zh else "whole file"
        if zh and len(parts) > 1 and parts[-1].endswith("列") and parts[-2].endswith("行"):
            parts[-2:] = [parts[-2] + parts[-1]]  # 第5行第3列, as one says it
        return (" " if zh else ", ").join(parts)


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text as read (surrounding whitespace stripped, "" when blank) and its place.

    `span` is the number of columns a merged cell covers (1 otherwise); `rows` the number of
    rows it covers (a merged block down a column, such as a 一级指标 printed once for its rows).
    """

    text: str
    place: Place
    span: int = 1
    rows: int = 1


Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A run of rows read as one table: a sheet, a PDF or Word table, or a whole text file.

    `rows` keep the source's order; `origin` is the place of the table as a whole (its sheet,
    page and table number), for review items that are about the table rather than one cell.
    """

    rows: tuple[Row, ...]
    origin: Place
    # What the reader could not take as it stands in this table (`readers.errors.ReadIssue`s:
    # a PDF page's table put together without ruling lines); `readers.pdf.joined` passes them on.
    issues: tuple[object, ...] = ()


def column_letters(column: int) -> str:
    """Spreadsheet column letters of a 1-based column number: 1 → A, 27 → AA.

    Raises ValueError for a number below 1.
    """
    if column < 1:
        raise ValueError(f"column must be 1 or more, got {column}")
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
