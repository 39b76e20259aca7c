"""A `Grid` written into an openpyxl worksheet, and a workbook saved as the same bytes for the
same content.

Cells: text as text (a text that starts like a formula, `=` `+` `-` `@`, stays text: written as
a string, marked with Excel's quote prefix so that editing the cell keeps it text — the
workbook's counterpart of the CSV files' apostrophe, `opendata.encoding.looks_like_formula`);
figures as numbers with the number format that shows their printed digits (`figures`).
Merged cells as the grid merges them, the ruled table with thin borders, long text wrapped and
each row as tall as its text needs (spreadsheets do not grow a row for a merged cell), A4
portrait, fitted to the page's width.

Saved bytes depend on the content only: fixed document properties (the date given, never the
clock) and every zip entry dated 1980-01-01.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
import zipfile
from copy import copy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..opendata.encoding import looks_like_formula
from .grid import Grid, GridCell, Role

FONT_NAME = "宋体"
FONT_SIZE = 10
LINE_HEIGHT = 13.5  # points per line of 10-point text
ROW_PADDING = 4.0  # points above and below the text of a row
# The date of a workbook that has none of its own (a blank template): fixed, so that the same
# content always makes the same bytes.
FIXED_DATE = dt.datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def text_width(text: str) -> int:
    """The width of a line in digits: a Chinese (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` digits wide."""
    room = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


def set_text(cell: object, text: str) -> None:
    """Write `text` into an openpyxl cell as text, never as a formula."""
    cell.value = text  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]
    if looks_like_formula(text):
        cell.quotePrefix = True  # type: ignore[attr-defined]


def _font(cell: GridCell) -> Font:
    if cell.role is Role.title:
        return Font(name=FONT_NAME, size=16, bold=True)
    return Font(name=FONT_NAME, size=FONT_SIZE, bold=cell.bold or cell.role is Role.label)


def _alignment(cell: GridCell) -> Alignment:
    horizontal = "left" if cell.left else "center"
    if cell.role is Role.figure:
        horizontal = "right"
    vertical = "top" if cell.role is Role.prose else "center"
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True)


class _Styles:
    """The styles of one sheet, each made once: a cell takes a copy of its style's array
    (openpyxl would otherwise hash every font, alignment and border it is given)."""

    def __init__(self) -> None:
        self.made: dict[tuple[object, ...], StyleArray] = {}

    def apply(self, target: Cell, cell: GridCell | None, boxed: bool) -> None:
        """Give `target` the look of `cell` (None: a cell covered by a merge), boxed or not."""
        if cell is None:
            key: tuple[object, ...] = ("covered", boxed)
        else:
            quoted = cell.number is None and looks_like_formula(cell.text)
            key = (cell.role, cell.bold, cell.left, cell.number_format, boxed, quoted)
        style = self.made.get(key)
        if style is not None:
            target._style = copy(style)
            return
        if cell is not None:
            target.font = _font(cell)
            target.alignment = _alignment(cell)
            if cell.number_format:
                target.number_format = cell.number_format
        if boxed:
            target.border = _BOX
        self.made[key] = copy(target._style)


def write_cell(ws: Worksheet, cell: GridCell, top: int, boxed: bool, styles: _Styles) -> None:
    """One grid cell into `ws`, its first row at sheet row `top` + cell.row (1-based); the
    cells a merge covers get the border too."""
    row, column = top + cell.row, 1 + cell.column
    target = ws.cell(row=row, column=column)
    if cell.number is not None:
        target.value = cell.number
    elif cell.text:
        set_text(target, cell.text)
    styles.apply(target, cell, boxed)
    if cell.rows > 1 or cell.columns > 1:
        ref = (
            f"{get_column_letter(column)}{row}:"
            f"{get_column_letter(column + cell.columns - 1)}{row + cell.rows - 1}"
        )
        ws.merged_cells.add(MergedCellRange(ws, ref))
        if boxed:
            for r in range(row, row + cell.rows):
                for c in range(column, column + cell.columns):
                    if (r, c) != (row, column):
                        styles.apply(ws.cell(row=r, column=c), None, boxed)


def _heights(grid: Grid) -> list[float]:
    """Each row's height in points: enough lines for the longest text of a cell in it; a
    merged cell that needs more than its rows have makes its last row taller."""
    heights = [LINE_HEIGHT + ROW_PADDING] * grid.rows
    spanned = []
    for cell in grid.cells:
        width = sum(grid.widths[cell.column : cell.column + cell.columns])
        size = 22.0 if cell.role is Role.title else LINE_HEIGHT
        lines = text_lines(cell.text, width * (0.6 if cell.role is Role.title else 1))
        need = max(lines, cell.lines) * size
        need += ROW_PADDING
        if cell.rows == 1:
            heights[cell.row] = max(heights[cell.row], need)
        else:
            spanned.append((cell, need))
    for cell, need in spanned:
        have = sum(heights[cell.row : cell.row + cell.rows])
        if need > have:
            heights[cell.last_row] += need - have
    return heights


def write_grid(ws: Worksheet, grid: Grid, top: int = 1) -> None:
    """`grid` into `ws` from sheet row `top`: cells, merges, borders, widths, row heights,
    page set-up and print area."""
    first, last = grid.table_rows
    styles = _Styles()
    for cell in grid.cells:
        write_cell(ws, cell, top, first <= cell.row <= last, styles)
    for index, width in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for index, height in enumerate(_heights(grid)):
        ws.row_dimensions[top + index].height = round(height, 1)
    page_setup(ws)
    ws.print_area = f"A{top}:{get_column_letter(grid.columns)}{top + grid.rows - 1}"


def page_setup(ws: Worksheet) -> None:
    """A4 portrait, fitted to the page's width, narrow margins, no grid lines shown."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False


def new_workbook(title: str, creator: str, date: dt.date | None) -> Workbook:
    """An empty workbook with fixed properties: `title`, `creator`, dated `date` (midnight;
    FIXED_DATE when None)."""
    workbook = Workbook()
    when = dt.datetime.combine(date, dt.time()) if date else FIXED_DATE
    properties = workbook.properties
    properties.title = title
    properties.creator = creator
    properties.lastModifiedBy = creator
    properties.created = when
    properties.modified = when
    return workbook


class _FixedDates(zipfile.ZipFile):
    """A zip file whose every entry is dated 1980-01-01, whatever the clock says."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[no-untyped-def, override]
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_DATE)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[no-untyped-def, override]
        with open(filename, "rb") as handle:  # openpyxl writes each sheet to a file first
            self.writestr(str(arcname or filename), handle.read())


class _SheetsInMemory(ExcelWriter):
    """openpyxl's writer, each sheet written into memory rather than into a temporary file
    that is then read back and removed (a third of a form's time under a busy disk); the
    same bytes in the archive. Sheets of a write-only workbook keep openpyxl's own way."""

    def write_worksheet(self, ws):  # type: ignore[no-untyped-def]
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], out.getvalue())
        self.manifest.append(ws)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, the same every time for the same workbook: its document
    properties as set (openpyxl's `save` would date them now), every zip entry dated
    1980-01-01."""
    buffer = io.BytesIO()
    archive = _FixedDates(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    _SheetsInMemory(workbook, archive).save()  # closes the archive
    return buffer.getvalue()


def form_number(value: Decimal) -> int | Decimal:
    """A number as a cell takes it: an int when whole (written without a decimal point)."""
    return int(value) if value == value.to_integral_value() else value
