"""A `Grid` written into an XlsxWriter worksheet, and workbooks saved as the same bytes for the
same content.

XlsxWriter writes, openpyxl reads (`builder.intake`): XlsxWriter is write-only and makes a
form's workbook several times faster than openpyxl's writer (docs/performance.md).

Cells: text as text (a text that starts like a formula, `=` `+` `-` `@`, stays text: written as
a string, marked with Excel's quote prefix so that editing the cell keeps it text — the
workbook's counterpart of the CSV files' apostrophe, `opendata.encoding.looks_like_formula`);
figures as numbers with the number format that shows their printed digits (`figures`).
Merged cells as the grid merges them, the ruled table with thin borders, long text wrapped and
each row as tall as its text needs (spreadsheets do not grow a row for a merged cell), A4
portrait, fitted to the page's width.

Saved bytes depend on the content only: fixed document properties (the date given, never the
clock; XlsxWriter dates every zip entry 1980-01-01 itself).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..opendata.encoding import looks_like_formula
from .grid import Grid, GridCell, Role

FONT_NAME = "宋体"
FONT_SIZE = 10
LINE_HEIGHT = 13.5  # points per line of 10-point text
ROW_PADDING = 4.0  # points above and below the text of a row
# The date of a workbook that has none of its own (a blank template): fixed, so that the same
# content always makes the same bytes.
FIXED_DATE = dt.datetime(2000, 1, 1)
# A column's width in digits is stored as given: XlsxWriter keeps widths in pixels, a digit of
# its default font being 7 pixels wide.
DIGIT_PIXELS = 7
# Strings are only ever written as strings (never read as formulas, links or numbers).
PLAIN = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
A4 = 9  # Excel's paper size code
# Blocks whose every character is wide (East Asian Width W or F): CJK symbols and punctuation,
# CJK ideographs (extension A and the unified block), full-width forms
# (tests/test_workbook_speed.py checks each against `unicodedata`).
KNOWN_WIDE = re.compile("[\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6]")


def text_width(text: str) -> int:
    """The width of a line in digits: a Chinese (wide) character takes two (Unicode's East
    Asian Width W or F; ASCII and the common CJK blocks, `KNOWN_WIDE`, without asking
    `unicodedata` a character at a time)."""
    if text.isascii():
        return len(text)
    rest = KNOWN_WIDE.sub("", text)
    wide = len(text) - len(rest)
    if not rest.isascii():
        wide += sum(1 for ch in rest if unicodedata.east_asian_width(ch) in "WF")
    return len(text) + wide


@functools.lru_cache(maxsize=8192)
def text_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` digits wide (kept for the
    texts met most: a form's labels)."""
    room = max(1.0, width - 1.5)
    if "\n" not in text:
        return max(1, math.ceil(text_width(text) / room))
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


def row_pixels(points: float) -> int:
    """A row's height in whole pixels (XlsxWriter's unit, 0.75 points) for at least `points`:
    rounded up, so that a row is never shorter than its text needs."""
    return math.ceil(round(points * 4 / 3, 6))


def column_width(sheet: Worksheet, first: int, last: int, width: float) -> None:
    """Columns `first` to `last` (0-based) `width` digits wide, stored as that width."""
    sheet.set_column_pixels(first, last, round(width * DIGIT_PIXELS))


class Book:
    """One workbook being written in memory: its sheets (`sheet`), its cell formats made once
    each (`format`), and its bytes (`bytes`, which closes it).

    `date` (midnight; FIXED_DATE when None) is the document's created and modified date;
    `creator` its author and last editor. `constant_memory`: rows are written out as they are
    finished (each sheet written row by row, top to bottom; strings inline), through temporary
    files, for sheets of many rows."""

    def __init__(
        self, title: str, creator: str, date: dt.date | None, constant_memory: bool = False
    ) -> None:
        self.buffer = io.BytesIO()
        options: dict[str, object] = dict(PLAIN)
        options.update(constant_memory=True) if constant_memory else options.update(in_memory=True)
        self.workbook = xlsxwriter.Workbook(self.buffer, options)
        when = dt.datetime.combine(date, dt.time()) if date else FIXED_DATE
        self.workbook.set_properties({"title": title, "author": creator, "created": when})
        self.formats: dict[tuple[object, ...], Format] = {}

    def sheet(self, name: str) -> Worksheet:
        """A new sheet named `name`, after the others."""
        return self.workbook.add_worksheet(name)

    def format(self, key: tuple[object, ...], properties: Mapping[str, Any]) -> Format:
        """The format of `key`, made with `properties` (XlsxWriter's) the first time."""
        made = self.formats.get(key)
        if made is None:
            made = self.formats[key] = self.workbook.add_format(dict(properties))
        return made

    def bytes(self) -> bytes:
        """The workbook as .xlsx bytes; the book is closed."""
        self.workbook.close()
        return self.buffer.getvalue()


# A cell format's key: (role, bold, left, number format, boxed, quoted) or ("covered", boxed).
FormatKey = tuple[object, ...]


def format_key(cell: GridCell | None, boxed: bool, number_format: str | None = None) -> FormatKey:
    """The key of a cell's format (None: a cell covered by a merge), boxed or not;
    `number_format` in place of the cell's own when given. Equal keys: the same look."""
    if cell is None:
        return ("covered", boxed)
    quoted = cell.number is None and looks_like_formula(cell.text)
    shown = number_format if number_format is not None else cell.number_format
    return (cell.role, cell.bold, cell.left, shown, boxed, quoted)


def look(key: FormatKey) -> dict[str, Any]:
    """XlsxWriter's format properties of a format key (`format_key`)."""
    result: dict[str, Any] = {}
    boxed = key[-2] if len(key) == 6 else key[1]
    if len(key) == 6:
        role, bold, left, number_format, _, quoted = key
        title = role is Role.title
        result = {
            "font_name": FONT_NAME,
            "font_size": 16 if title else FONT_SIZE,
            "bold": bool(title or bold or role is Role.label),
            "align": "right" if role is Role.figure else "left" if left else "center",
            "valign": "top" if role is Role.prose else "vcenter",
            "text_wrap": True,
        }
        if number_format:
            result["num_format"] = number_format
        if quoted:
            result["quote_prefix"] = True
    if boxed:
        result.update(border=1, border_color="#000000")
    return result


def cell_format(
    book: Book, cell: GridCell | None, boxed: bool, number_format: str | None = None
) -> Format:
    """The format of `cell` (None: covered by a merge), boxed or not; `number_format` in place
    of the cell's own when given."""
    key = format_key(cell, boxed, number_format)
    made = book.formats.get(key)
    return made if made is not None else book.format(key, look(key))


def write_cell(
    book: Book, ws: Worksheet, cell: GridCell, top: int, boxed: bool, number_format: str | None
) -> None:
    """One grid cell into `ws`, its first row at sheet row `top` + cell.row (0-based); the
    cells a merge covers get the border too (outside the table they have no format: they are
    not written)."""
    row, column = top + cell.row, cell.column
    style = cell_format(book, cell, boxed, number_format)
    if cell.rows > 1 or cell.columns > 1:
        covered = cell_format(book, None, boxed) if boxed else None
        ws.merge_range(row, column, row + cell.rows - 1, column + cell.columns - 1, "", covered)
    if cell.number is not None:
        ws.write_number(row, column, float(form_number(cell.number)), style)
    elif cell.text:
        ws.write_string(row, column, cell.text, style)
    else:
        ws.write_blank(row, column, None, style)


def row_heights(grid: Grid, rows: int | None = None) -> list[float]:
    """Each row's height in points: enough lines for the longest text of a cell in it; a
    merged cell that needs more than its rows have makes its last row taller. `rows`: the
    grid's row count when known (`grid.rows`)."""
    heights = [LINE_HEIGHT + ROW_PADDING] * (grid.rows if rows is None else rows)
    widths = grid.widths
    spanned = []
    for cell in grid.cells:
        title = cell.role is Role.title
        lines = cell.lines if cell.lines > 1 else 1
        if cell.text:  # an empty cell takes one line
            width = sum(widths[cell.column : cell.column + cell.columns])
            needed = text_lines(cell.text, width * 0.6 if title else width)
            lines = needed if needed > lines else lines
        need = lines * (22.0 if title else LINE_HEIGHT) + ROW_PADDING
        if cell.rows == 1:
            if need > heights[cell.row]:
                heights[cell.row] = need
        else:
            spanned.append((cell, need))
    for cell, need in spanned:
        have = sum(heights[cell.row : cell.row + cell.rows])
        if need > have:
            heights[cell.last_row] += need - have
    return heights


def write_grid(
    book: Book,
    ws: Worksheet,
    grid: Grid,
    top: int = 0,
    number_formats: Mapping[tuple[int, int], str] | None = None,
) -> None:
    """`grid` into `ws` from sheet row `top` (0-based): cells, merges, borders, widths, row
    heights, page set-up and print area. `number_formats`: a number format by grid (row,
    column) in place of the cell's own (a blank form's date cell)."""
    first, last = grid.table_rows
    formats = number_formats or {}
    for cell in grid.cells:
        boxed = first <= cell.row <= last
        write_cell(book, ws, cell, top, boxed, formats.get((cell.row, cell.column)))
    for index, width in enumerate(grid.widths):
        column_width(ws, index, index, width)
    for index, height in enumerate(row_heights(grid)):
        ws.set_row_pixels(top + index, row_pixels(height))
    page_setup(ws)
    ws.print_area(top, 0, top + grid.rows - 1, grid.columns - 1)


def page_setup(ws: Worksheet) -> None:
    """A4 portrait, fitted to the page's width, narrow margins, no grid lines shown."""
    ws.set_paper(A4)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.center_horizontally()
    ws.hide_gridlines(2)


def form_number(value: Decimal) -> int | Decimal:
    """A number as a cell takes it: an int when whole (written without a decimal point)."""
    return int(value) if value == value.to_integral_value() else value
