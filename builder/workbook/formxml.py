"""A form's workbook written as SpreadsheetML directly: the bytes XlsxWriter makes of the same
grid (`xlsx.write_grid` into a `Book`), at a fraction of its cost.

Everything that does not depend on the form (content types, relationships, theme, app
properties, the sheet's views and page set-up) is taken from a small workbook XlsxWriter
makes once per process (`_template`). Per form the sheet XML (dimension, column widths, rows
with their heights and spans, cells with their style, merged ranges), the shared strings, the
print area of workbook.xml and the document's core properties are written here as XlsxWriter
writes them (`xlsxwriter.worksheet.Worksheet._write_rows`, `sharedstrings`, `core`): styles
numbered in the order the sheet first uses them, strings in the order they are written, the
zip with XlsxWriter's entry order, dates (1980-01-01) and deflate level. The styles part is
XlsxWriter's own, made once per sequence of looks (`_styles`). One difference: a text shaped
like XlsxWriter's rich-string markup (`<r>…</r>`) is escaped as any other (XlsxWriter writes
it as markup), so it stays the text the form holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import xlsxwriter
from xlsxwriter.styles import Styles
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_range_abs, xl_rowcol_to_cell

from ..opendata.sheetxml import escaped, truncated
from .grid import Grid, GridCell
from .packed import Entry, zipped
from .xlsx import (
    DIGIT_PIXELS,
    FIXED_DATE,
    Book,
    FormatKey,
    form_number,
    format_key,
    look,
    row_heights,
    row_pixels,
    write_grid,
)

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DEFAULT_ROW_PIXELS = 20  # XlsxWriter's default row height: a row this tall has no height
SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
STYLES_PART = "xl/styles.xml"
_DEFINED = re.compile(r"(<definedName [^>]*>)[^<]*(</definedName>)")
_SHEET_HEAD = re.compile(r"^(.*?)<dimension [^>]*/>(.*?)(?:<cols>.*?</cols>)?<sheetData>", re.S)
_SHEET_TAIL = re.compile(r"</sheetData>(?:<mergeCells .*?</mergeCells>)?(.*)$", re.S)
Look = tuple[tuple[str, Any], ...]  # XlsxWriter's format properties, sorted


class Template:
    """The parts of a one-sheet form workbook that no form changes, from XlsxWriter: each
    part's bytes by name in XlsxWriter's order (`parts`), workbook.xml as text (`workbook`),
    and the sheet XML before its dimension, between the dimension and the columns, and after
    the merged ranges (`head`, `views`, `tail`)."""

    def __init__(self, sheet: str) -> None:
        book = Book("t", "t", None)
        write_grid(book, book.sheet(sheet), Grid((GridCell(0, 0, "t"),), (8.0,), (0, 0)))
        with zipfile.ZipFile(io.BytesIO(book.bytes())) as source:
            self.parts = {info.filename: source.read(info) for info in source.infolist()}
        self.sheet = sheet
        self.workbook = self.parts["xl/workbook.xml"].decode("utf-8")
        sheet_xml = self.parts[SHEET_PART].decode("utf-8")
        head, tail = _SHEET_HEAD.search(sheet_xml), _SHEET_TAIL.search(sheet_xml)
        if head is None or tail is None:
            raise ValueError("XlsxWriter's sheet has no dimension or sheet data")
        self.head, self.views, self.tail = head.group(1), head.group(2), tail.group(1)
        self.entries = {name: Entry.of(name, data) for name, data in self.parts.items()}


@functools.lru_cache(maxsize=4)
def _template(sheet: str) -> Template:
    """The template of a workbook whose one sheet is named `sheet` (made once per process)."""
    return Template(sheet)


@functools.lru_cache(maxsize=1024)
def _styles(looks: tuple[Look, ...]) -> Entry:
    """xl/styles.xml of a workbook whose cells use `looks` (XlsxWriter's format properties),
    style 1, 2, … in this order, as XlsxWriter writes it (its own style writer)."""
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    try:
        for properties in looks:
            workbook.add_format(dict(properties))._get_xf_index()
        workbook._prepare_format_properties()
        styles = Styles()
        styles._set_style_properties(
            [
                workbook.xf_formats,
                workbook.palette,
                workbook.font_count,
                workbook.num_formats,
                workbook.border_count,
                workbook.fill_count,
                workbook.custom_colors,
                workbook.dxf_formats,
                workbook.has_comments,
            ]
        )
        out = io.StringIO()
        styles._set_xml_writer(out)
        styles._assemble_xml_file()
        return Entry.of(STYLES_PART, out.getvalue().encode("utf-8"))
    finally:
        workbook.fileclosed = True  # never written: nothing to close


def _look(key: FormatKey) -> Look:
    return tuple(sorted(look(key).items()))


class _Sheet:
    """The cells of one grid as XlsxWriter's table holds them: each row's cells by column,
    (value XML without the style, format key) or None; the shared strings in the order
    written; the merged ranges; the columns used, first and last."""

    def __init__(self, grid: Grid) -> None:
        self.rows = grid.rows
        right = max((cell.column + cell.columns for cell in grid.cells), default=1)
        width = max(len(grid.widths), right)
        self.columns = (min((cell.column for cell in grid.cells), default=0), right - 1)
        self.names = [xl_col_to_name(column) for column in range(width)]
        self.table: list[list[tuple[str, FormatKey] | None]] = [
            [None] * width for _ in range(self.rows)
        ]
        self.strings: dict[str, int] = {}
        self.count = 0  # strings written, repeated ones too
        self.merges: list[str] = []
        first, last = grid.table_rows
        for cell in grid.cells:
            self._cell(cell, first <= cell.row <= last)

    def _cell(self, cell: GridCell, boxed: bool) -> None:
        key = format_key(cell, boxed)
        if cell.rows > 1 or cell.columns > 1:
            last_row, last_column = cell.row + cell.rows - 1, cell.column + cell.columns - 1
            self.merges.append(
                f"{self.names[cell.column]}{cell.row + 1}:{self.names[last_column]}{last_row + 1}"
            )
            if boxed:
                covered = ("", format_key(None, True))
                for row in self.table[cell.row : last_row + 1]:
                    row[cell.column : last_column + 1] = [covered] * cell.columns
        if cell.number is not None:
            number = float(form_number(cell.number))
            self.table[cell.row][cell.column] = (f"><v>{number:.16G}</v>", key)
        elif cell.text:
            text = truncated(cell.text)
            index = self.strings.setdefault(text, len(self.strings))
            self.count += 1
            self.table[cell.row][cell.column] = (f' t="s"><v>{index}</v>', key)
        else:
            self.table[cell.row][cell.column] = ("", key)


def _spans(sheet: _Sheet) -> dict[int, str]:
    """Each block of 16 rows' span of used columns ("first:last", 1-based), as XlsxWriter
    writes it on every row of the block (blocks without cells have none)."""
    spans = {}
    for block in range(0, sheet.rows, 16):
        used = [
            column
            for row in sheet.table[block : block + 16]
            for column, entry in enumerate(row)
            if entry
        ]
        if used:
            spans[block // 16] = f"{min(used) + 1}:{max(used) + 1}"
    return spans


def _rows(sheet: _Sheet, grid: Grid, looks: dict[Look, int]) -> Iterator[str]:
    """The `<row>` elements, cells in column order, styles numbered as first used (`looks`,
    filled in)."""
    names = sheet.names
    spans = _spans(sheet)
    styles: dict[FormatKey, int] = {}
    for index, height in enumerate(row_heights(grid, sheet.rows)):
        number = index + 1
        attributes = f' r="{number}"'
        if index // 16 in spans:
            attributes += f' spans="{spans[index // 16]}"'
        pixels = row_pixels(height)
        if pixels != DEFAULT_ROW_PIXELS:
            attributes += f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        parts = [f"<row{attributes}>"]
        for column, entry in enumerate(sheet.table[index]):
            if entry is None:
                continue
            value, key = entry
            style = styles.get(key)
            if style is None:
                style = styles[key] = looks.setdefault(_look(key), len(looks) + 1)
            if value:
                parts.append(f'<c r="{names[column]}{number}" s="{style}"{value}</c>')
            else:
                parts.append(f'<c r="{names[column]}{number}" s="{style}"/>')
        if len(parts) == 1:
            yield f"<row{attributes}/>"
        else:
            parts.append("</row>")
            yield "".join(parts)


def _cols(grid: Grid) -> str:
    """The `<cols>` element: adjacent columns of one width as one range."""
    pixels = [round(width * DIGIT_PIXELS) for width in grid.widths]
    parts, first = [], 0
    for index, width in enumerate(pixels):
        if index + 1 < len(pixels) and pixels[index + 1] == width:
            continue
        chars = (width * 256 // DIGIT_PIXELS) / 256.0
        parts.append(
            f'<col min="{first + 1}" max="{index + 1}" width="{chars:.16g}" customWidth="1"/>'
        )
        first = index + 1
    return "<cols>" + "".join(parts) + "</cols>" if parts else ""


def _strings(sheet: _Sheet) -> str:
    """xl/sharedStrings.xml."""
    parts = [
        f'{DECLARATION}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{sheet.count}" uniqueCount="{len(sheet.strings)}">'
    ]
    for text in sheet.strings:
        body, preserve = escaped(text)
        space = ' xml:space="preserve"' if preserve else ""
        parts.append(f"<si><t{space}>{body}</t></si>")
    parts.append("</sst>")
    return "".join(parts)


def _sheet_xml(template: Template, grid: Grid, sheet: _Sheet, looks: dict[Look, int]) -> str:
    """xl/worksheets/sheet1.xml of `grid`."""
    first, last = (0, sheet.columns[0]), (sheet.rows - 1, sheet.columns[1])
    ref = xl_rowcol_to_cell(*first)
    if first != last:
        ref += ":" + xl_rowcol_to_cell(*last)
    rows = "".join(_rows(sheet, grid, looks))
    merges = "".join(f'<mergeCell ref="{merge}"/>' for merge in sheet.merges)
    if merges:
        merges = f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>'
    return (
        f'{template.head}<dimension ref="{ref}"/>{template.views}{_cols(grid)}'
        f"<sheetData>{rows}</sheetData>{merges}{template.tail}"
    )


def _workbook_xml(template: Template, grid: Grid, rows: int) -> str:
    """xl/workbook.xml: the template's, its print area the grid's."""
    area = xl_range_abs(0, 0, rows - 1, grid.columns - 1)  # one cell: that cell alone
    named = f"{quote_sheetname(template.sheet)}!{area}"
    return _DEFINED.sub(lambda match: match.group(1) + named + match.group(2), template.workbook)


def _escape_data(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _core_xml(title: str, creator: str, date: dt.date | None) -> str:
    """docProps/core.xml as XlsxWriter writes it: title, author and last editor, created and
    modified on `date` (midnight; FIXED_DATE when None)."""
    when = dt.datetime.combine(date, dt.time()) if date else FIXED_DATE
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    author = _escape_data(creator)
    return (
        f"{DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_escape_data(title)}</dc:title><dc:creator>{author}</dc:creator>"
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def form_book(sheet_name: str, properties: tuple[str, str, dt.date | None], grid: Grid) -> bytes:
    """The .xlsx bytes of `grid` on one sheet named `sheet_name`, with `properties` (title,
    author, date or None): the bytes `xlsx.write_grid` into a `Book` gives (from sheet row
    0, no number formats of its own), but for text shaped like rich-string markup (see the
    module's docstring). A grid without text is written by XlsxWriter itself."""
    sheet = _Sheet(grid)
    if not sheet.strings:
        book = Book(*properties)
        write_grid(book, book.sheet(sheet_name), grid)
        return book.bytes()
    template = _template(sheet_name)
    looks: dict[Look, int] = {}
    made = {
        SHEET_PART: _sheet_xml(template, grid, sheet, looks),
        "xl/workbook.xml": _workbook_xml(template, grid, sheet.rows),
        STRINGS_PART: _strings(sheet),
        "docProps/core.xml": _core_xml(*properties),
    }
    styles = _styles(tuple(looks))
    entries = []
    for name, entry in template.entries.items():
        if name == STYLES_PART:
            entry = styles
        elif name in made:
            entry = Entry.of(name, made[name].encode("utf-8"))
        entries.append(entry)
    return zipped(entries)
