"""The printed form as a grid of cells, independent of any file format.

A `Grid` is what a sheet of paper shows, cell by cell: text as printed, merged cells given once
at their top-left corner with the rows and columns they cover, and for a figure the number it
shows. `xlsx.py` writes it into a worksheet; a Word table (python-docx) or any other table can
be made from it the same way. Nothing here knows a file format.

Rows and columns count from 0. The rows `table_rows` are the ruled table; rows above and below
it are the lines printed around the table (title, 单位/填报日期, 联系人, 注).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Role(StrEnum):
    """What a cell is, for its look: a title above the table, a line of text around it, a
    label (a heading cell of the form), a value (text the form holds), a figure (a number),
    or a long text (goals, conclusion, 注)."""

    title = "title"
    line = "line"
    label = "label"
    value = "value"
    figure = "figure"
    prose = "prose"


@dataclass(frozen=True)
class GridCell:
    """One cell as printed: its place (`row`, `column`), the rows and columns it covers when
    merged, its text exactly as the form prints it, and for a figure its `number` (exact)
    with the `number_format` (Excel's) that shows the number as `text`; `number` None: the
    cell is text (a dash, words, a value too long for a spreadsheet number)."""

    row: int
    column: int
    text: str
    role: Role = Role.value
    rows: int = 1
    columns: int = 1
    number: Decimal | None = None
    number_format: str = ""
    left: bool = False  # aligned left (text), else centred (labels, short values, figures)
    bold: bool = False
    lines: int = 1  # lines of room the cell is given at least (a blank form's space to write)

    @property
    def last_row(self) -> int:
        """The last row the cell covers."""
        return self.row + self.rows - 1

    @property
    def last_column(self) -> int:
        """The last column the cell covers."""
        return self.column + self.columns - 1


@dataclass(frozen=True)
class Area:
    """A named block of cells (first and last row and column, inclusive), e.g. where the
    indicator rows' 分值 are: what a template's checks and lists apply to."""

    name: str
    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass(frozen=True)
class Grid:
    """A printed form: its cells (no two overlap), how many `columns` it spans, each column's
    width in characters of a digit (a Chinese character takes two), the rows of the ruled
    table (`table_rows`: first, last) and named `areas`."""

    cells: tuple[GridCell, ...]
    widths: tuple[float, ...]
    table_rows: tuple[int, int]
    areas: tuple[Area, ...] = field(default=())

    @property
    def columns(self) -> int:
        """How many columns the form spans."""
        return len(self.widths)

    @property
    def rows(self) -> int:
        """How many rows the form has."""
        return max((cell.last_row for cell in self.cells), default=-1) + 1

    def area(self, name: str) -> Area | None:
        """The area of this name, None when the form has none."""
        return next((area for area in self.areas if area.name == name), None)

    def row_texts(self) -> list[list[str]]:
        """Each row's texts, left to right, merged cells once: what a reader of the grid
        sees (for tests and for text output)."""
        rows: list[list[str]] = [[] for _ in range(self.rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.column)):
            rows[cell.row].append(cell.text)
        return rows


class GridBuilder:
    """Lays cells out row by row: `put` a cell, `next_row` to go on. Used while a grid is
    made; `grid()` gives the finished, immutable `Grid`."""

    def __init__(self, widths: tuple[float, ...]) -> None:
        self.widths = widths
        self.row = 0
        self.cells: list[GridCell] = []
        self.areas: list[Area] = []
        self.table: list[int] = []

    def put(self, column: int, text: str, role: Role = Role.value, **options: object) -> GridCell:
        """A cell in the current row at `column` (options: rows, columns, number,
        number_format, left, bold); returns it."""
        cell = GridCell(self.row, column, text, role, **options)  # type: ignore[arg-type]
        self.cells.append(cell)
        return cell

    def next_row(self) -> None:
        """Go on to the next row."""
        self.row += 1

    def mark_table(self) -> None:
        """The current row is part of the ruled table."""
        self.table.append(self.row)

    def add_area(self, name: str, rows: tuple[int, int], columns: tuple[int, int]) -> None:
        """Name the block of `rows` (first, last) and `columns` (first, last)."""
        self.areas.append(Area(name, rows[0], columns[0], rows[1], columns[1]))

    def grid(self) -> Grid:
        """The grid laid out so far."""
        table = (min(self.table), max(self.table)) if self.table else (0, -1)
        return Grid(tuple(self.cells), self.widths, table, tuple(self.areas))
