"""The open data of a year as one Excel workbook: 项目, 指标 and 核查结果, one row per
project, indicator row and finding, with the columns of the CSV files (`columns.py`, titled in
Chinese), and 字段说明, which explains every column from the same declarations.

Values are the exact ones of the tables: numbers as numbers, true/false as Excel's booleans,
text as text (a text that starts like a formula stays text: `builder.workbook.xlsx.set_text`),
an empty cell for a value not given. Written in openpyxl's write-only mode (rows streamed),
with fixed document properties and zip dates: the same rows give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..workbook.xlsx import FIXED_DATE, set_text, workbook_bytes
from .columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS, Cell, Column
from .encoding import looks_like_formula

# (sheet name, its columns, which of a project's `sheets` it lists)
SHEETS: tuple[tuple[str, tuple[Column, ...], int], ...] = (
    ("项目", PROJECT_COLUMNS, 0),
    ("指标", INDICATOR_COLUMNS, 1),
    ("核查结果", FINDING_COLUMNS, 2),
)
COLUMNS_SHEET = "字段说明"
TYPE_WORDS = {"integer": "整数", "number": "数值", "string": "文本", "boolean": "是/否(TRUE/FALSE)"}
_BOLD = Font(bold=True)


def workbook_name(year: int) -> str:
    """The workbook's file name in `data/<year>/`: `jixiao-2023.xlsx`."""
    return f"jixiao-{year}.xlsx"


def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> object:
    """A value as a cell: text never a formula (a plain string unless it starts like one:
    openpyxl takes only text starting with = for a formula); a whole Decimal as an int."""
    if isinstance(value, str) and looks_like_formula(value):
        cell = WriteOnlyCell(sheet)
        set_text(cell, value)
        return cell
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def _header(sheet: WriteOnlyWorksheet, titles: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet)
        set_text(cell, title)
        cell.font = _BOLD
        cells.append(cell)
    return cells


def _table(
    sheet: WriteOnlyWorksheet, columns: tuple[Column, ...], rows: Iterable[tuple[Cell, ...]]
) -> None:
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = max(8, min(30, 2 * len(column.title) + 2))
    sheet.append(_header(sheet, [column.title for column in columns]))
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def column_rows() -> list[tuple[str, str, str, str, str]]:
    """字段说明: (sheet, column title, field name, type in words, description) of every column
    of every sheet, from the declarations the CSV files use."""
    return [
        (name, column.title, column.name, TYPE_WORDS[column.type], described(column))
        for name, columns, _ in SHEETS
        for column in columns
    ]


def described(column: Column) -> str:
    """A column's description for people: the declared one, whether it is required, and its
    values when they are a fixed list (the 计分规则 list is in its description already)."""
    text = column.description
    if column.required:
        text += "必填。"
    if column.enum is not None and column.name != "rule":
        text += "取值:" + "、".join(column.enum) + "。"
    return text


def year_workbook(
    year: int, title: str, sheets: Sequence[Sequence[Sequence[tuple[Cell, ...]]]]
) -> bytes:
    """The workbook of `year`: `sheets` are the projects' rows (`ProjectData.sheets`, in the
    order of the tables), `title` the site's."""
    workbook = Workbook(write_only=True)
    properties = workbook.properties
    properties.title = f"{title}({year} 年度)"
    properties.creator = properties.lastModifiedBy = "jixiao"
    properties.created = properties.modified = dt.datetime.combine(FIXED_DATE.date(), dt.time())
    for name, columns, index in SHEETS:
        sheet = workbook.create_sheet(name)
        _table(sheet, columns, (row for item in sheets for row in item[index]))
    notes = workbook.create_sheet(COLUMNS_SHEET)
    notes.column_dimensions["A"].width = 10
    notes.column_dimensions["B"].width = 20
    notes.column_dimensions["C"].width = 26
    notes.column_dimensions["D"].width = 16
    notes.column_dimensions["E"].width = 90
    notes.append(_header(notes, ["工作表", "列标题", "字段名", "类型", "说明"]))
    for row in column_rows():
        notes.append([_cell(notes, value) for value in row])
    return workbook_bytes(workbook)
