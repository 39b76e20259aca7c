"""A project's rows of the year workbook as ready sheet XML (`rows_xml`), kept with its share
of the open data (`records.ProjectData.sheet_xml`), and the workbook assembled from them
(`assemble`): an edit joins every project's kept bytes instead of writing every cell again.

The rows carry no cell references (`r`, optional in SpreadsheetML: Excel, LibreOffice and
openpyxl count rows and cells as they come), so a project's rows are the same bytes wherever
they land in the sheet; a value not given before a given one is an empty `<c/>`, after the
last given one nothing. Cells are written as XlsxWriter's constant-memory mode writes them
(`xlsxwriter.worksheet.Worksheet._write_cell`): text inline (`t="inlineStr"`, control
characters as `_xHHHH_`, XML's `& < >` escaped, leading or trailing space preserved, longer
than Excel's 32,767 UTF-16 units cut there), numbers as `%.16G`, booleans as `t="b"`; text
that starts like a formula carries the quote-prefix style. Unlike XlsxWriter, a text shaped
like its rich-string markup (`<r>…</r>`) is escaped as any other: it stays text.

Everything around the rows (styles, the 字段说明 sheet, column widths, frozen panes, the
document properties) is taken from a small workbook XlsxWriter makes with the same sheets and
headers (`workbook.template`); the zip is written with fixed dates and entry order, so the
same rows give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name

from .columns import Cell
from .encoding import looks_like_formula

HEADER_STYLE = 1  # the bold header's style index in the template (`workbook.template`)
QUOTED_STYLE = 2  # the quote-prefix style's index
STRING_LIMIT = 32767  # Excel's longest text, in UTF-16 units
DEFLATE_LEVEL = 1  # the rows' sheets: zlib's fastest level (see docs/performance.md)
_ESCAPE_ESCAPES = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
# A text `escaped` writes as it is: no control character other than tab and line feed (written
# `_xHHHH_`), none of `& < >`, no `_` (a literal `_xHHHH_` is escaped), not U+FFFE or U+FFFF.
PLAIN_TEXT = re.compile("[^\x00-\x08\x0b-\x1f&<>_\ufffe\uffff]*")
_SHEET_DATA = re.compile(rb"<sheetData>(<row .*?</row>)(.*?)</sheetData>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
# Where a ZipInfo keeps its entry's deflate level (public from Python 3.13 on).
_LEVEL = "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel"


def truncated(value: str) -> str:
    """`value` cut at Excel's longest text (`STRING_LIMIT` UTF-16 units), as XlsxWriter cuts it."""
    if len(value) > STRING_LIMIT // 2 and _utf16_len(value) > STRING_LIMIT:
        return _utf16_truncate(value, STRING_LIMIT)
    return value


def escaped(value: str) -> tuple[str, bool]:
    """A cell text's XML body as XlsxWriter writes a string (control characters as `_xHHHH_`,
    a literal `_xHHHH_` escaped, XML's `& < >` escaped) and whether it keeps leading or
    trailing space (`xml:space="preserve"`). A text shaped like rich-string markup is escaped
    as any other."""
    if PLAIN_TEXT.fullmatch(value):  # nothing to escape (most texts)
        return value, bool(_preserve_whitespace(value))
    value = _ESCAPE_ESCAPES.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = bool(_preserve_whitespace(value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), space


def _text(value: str) -> str:
    """A text cell's XML, as XlsxWriter writes an inline string."""
    value = truncated(value)
    style = f' s="{QUOTED_STYLE}"' if looks_like_formula(value) else ""
    body, preserve = escaped(value)
    space = ' xml:space="preserve"' if preserve else ""
    return f'<c{style} t="inlineStr"><is><t{space}>{body}</t></is></c>'


def cell_xml(value: Cell) -> str:
    """One cell's XML without its reference: text never a formula, a whole Decimal as an
    integer, True/False as booleans, None as an empty cell (`<c/>`)."""
    if value is None:
        return "<c/>"
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return f"<c><v>{int(value):.16G}</v></c>"
    return f"<c><v>{float(value):.16G}</v></c>"


def rows_xml(rows: Iterable[Sequence[Cell]]) -> bytes:
    """`rows` (values in column order) as `<row>` elements, UTF-8: trailing values not given
    are left out."""
    parts = []
    for row in rows:
        last = len(row)
        while last and row[last - 1] is None:
            last -= 1
        parts.append("<row>" + "".join(cell_xml(value) for value in row[:last]) + "</row>")
    return "".join(parts).encode("utf-8")


def _sheet_pieces(
    template: bytes, columns: int, rows: int, body: Iterable[bytes]
) -> Iterator[bytes]:
    """A sheet of the template with `body` (rows' XML, `rows` of them) after its header row:
    the template's rows after the header are dropped and its dimension set to the table's."""
    found = _SHEET_DATA.search(template)
    if found is None:
        raise ValueError("the template sheet has no header row")
    last = f"{xl_col_to_name(columns - 1)}{rows + 1}".encode("ascii")
    head = _DIMENSION.sub(b'<dimension ref="A1:' + last + b'"/>', template[: found.start()], 1)
    yield head + b"<sheetData>" + found.group(1)
    yield from body
    yield b"</sheetData>" + template[found.end() :]


def assemble(template: bytes, tables: Sequence[tuple[str, int, int, Iterable[bytes]]]) -> bytes:
    """The workbook `template` (an .xlsx from XlsxWriter) with the rows of its sheets
    replaced: `tables` are (the sheet's part name, e.g. `xl/worksheets/sheet1.xml`, its
    columns, its rows, the rows' XML in pieces), each written through as it comes. Every other
    part is copied as it is, in the template's order, with its dates."""
    replaced = {name: (columns, rows, body) for name, columns, rows, body in tables}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w") as book:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            data = source.read(info)
            if info.filename not in replaced:
                book.writestr(entry, data, compresslevel=6)
                continue
            setattr(entry, _LEVEL, DEFLATE_LEVEL)
            with book.open(entry, "w") as sheet:
                for piece in _sheet_pieces(data, *replaced[info.filename]):
                    sheet.write(piece)
    return out.getvalue()
