"""The open data of a year as one Excel workbook: 项目, 指标 and 核查结果, one row per
project, indicator row and finding, with the columns of the CSV files (`columns.py`, titled in
Chinese), and 字段说明, which explains every column from the same declarations.

Values are the exact ones of the tables: numbers as numbers, true/false as Excel's booleans,
text as text (a text that starts like a formula stays text: a string marked with Excel's quote
prefix, as in `builder.workbook.xlsx`), an empty cell for a value not given. Each project's rows
are kept as sheet XML with its share of the open data (`sheetxml.rows_xml`), and the workbook
is XlsxWriter's template of the sheets (`template`) with those rows joined in
(`sheetxml.assemble`): an edit costs joining and compressing bytes, not writing every cell.
Fixed document properties and zip dates: the same rows give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from xlsxwriter.worksheet import Worksheet

from ..workbook.xlsx import Book, column_width
from .columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS, Cell, Column
from .encoding import looks_like_formula
from .sheetxml import assemble

# (sheet name, its columns, which of a project's `sheets` it lists)
SHEETS: tuple[tuple[str, tuple[Column, ...], int], ...] = (
    ("项目", PROJECT_COLUMNS, 0),
    ("指标", INDICATOR_COLUMNS, 1),
    ("核查结果", FINDING_COLUMNS, 2),
)
COLUMNS_SHEET = "字段说明"
TYPE_WORDS = {"integer": "整数", "number": "数值", "string": "文本", "boolean": "是/否(TRUE/FALSE)"}
NOTES_WIDTHS = (10, 20, 26, 16, 90)


def workbook_name(year: int) -> str:
    """The workbook's file name in `data/<year>/`: `jixiao-2023.xlsx`."""
    return f"jixiao-{year}.xlsx"


class _Writer:
    """Rows into the sheets of one `Book`, each value as a cell (see `_write`)."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.quoted = book.format(("quoted",), {"quote_prefix": True})
        self.header = book.format(("header",), {"bold": True})

    def row(self, sheet: Worksheet, at: int, values: Sequence[Cell]) -> None:
        """`values` as row `at` (0-based) of `sheet`: text never a formula (a string, with
        Excel's quote prefix when it starts like one), a whole Decimal as an integer, True/False
        as Excel's booleans, None as no cell."""
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                style = self.quoted if looks_like_formula(value) else None
                sheet.write_string(at, column, value, style)
            elif isinstance(value, bool):
                sheet.write_boolean(at, column, value)
            elif isinstance(value, Decimal) and value == value.to_integral_value():
                sheet.write_number(at, column, int(value))
            else:
                sheet.write_number(at, column, float(value))

    def heading(self, sheet: Worksheet, titles: Sequence[str]) -> None:
        """The first row: the column titles, bold."""
        for column, title in enumerate(titles):
            sheet.write_string(0, column, title, self.header)

    def table(
        self, sheet: Worksheet, columns: tuple[Column, ...], rows: Iterable[Sequence[Cell]]
    ) -> None:
        """A table of `columns`: their titles, then `rows`, the first row frozen."""
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(columns):
            column_width(sheet, index, index, max(8, min(30, 2 * len(column.title) + 2)))
        self.heading(sheet, [column.title for column in columns])
        for at, row in enumerate(rows, start=1):
            self.row(sheet, at, row)


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


class SheetRows(Protocol):
    """What the year workbook needs of a project's share (`records.ProjectData`,
    `stored.StoredData`): its rows of each sheet as XML and how many there are."""

    def xml(self, table: int) -> bytes:
        """Its rows of table `table` (0 projects, 1 indicators, 2 findings), as sheet XML."""
        ...

    def rows(self, table: int) -> int:
        """How many rows it has in table `table`."""
        ...


def template(year: int, title: str) -> bytes:
    """The year workbook without its rows, made by XlsxWriter: the three tables' headers (bold,
    style 1), the 字段说明 sheet whole, and one row of quote-prefixed text in 项目 so that the
    styles hold that style (2); `sheetxml.assemble` drops that row and puts the rows in.
    Dated FIXED_DATE."""
    book = Book(f"{title}({year} 年度)", "jixiao", None, constant_memory=True)
    writer = _Writer(book)
    for name, columns, _ in SHEETS:
        writer.table(book.sheet(name), columns, [("=",)] if name == SHEETS[0][0] else [])
    notes = book.sheet(COLUMNS_SHEET)
    for index, width in enumerate(NOTES_WIDTHS):
        column_width(notes, index, index, width)
    writer.heading(notes, ["工作表", "列标题", "字段名", "类型", "说明"])
    for at, row in enumerate(column_rows(), start=1):
        writer.row(notes, at, row)
    return book.bytes()


def year_workbook(year: int, title: str, items: Sequence[SheetRows]) -> bytes:
    """The workbook of `year`: `items` are the projects' shares in the tables' order, `title`
    the site's. Each sheet is the template's (`template`) with every project's rows joined
    in (`sheetxml.assemble`): the same rows give the same bytes."""
    tables = [
        (
            f"xl/worksheets/sheet{number}.xml",
            len(columns),
            sum(item.rows(index) for item in items),
            map(lambda item, table=index: item.xml(table), items),
        )
        for number, (_, columns, index) in enumerate(SHEETS, start=1)
    ]
    return assemble(template(year, title), tables)
