"""Excel workbooks (.xlsx, .xlsm) to `Table`s, with openpyxl: one Table per visible sheet.

Each row of the sheet's used range is a row of cells from column A to the last used column,
blank cells as "" (a blank row inside the range is kept, so row numbers stay the sheet's).
A merged range is given once, at its top-left cell, with `span` (columns) and `rows`; the
cells it covers are left out of their rows, so a cell's column is its `place.column`, not its
index in the row. Several forms on one sheet stay in that sheet's one Table (the recogniser
cuts them at their titles). `Place` is the sheet name with row and column (`表1!B7`).

Values: a formula's cached value (`data_only=True`), as the last program that saved the file
computed it; a formula without one (a file written by a script and never opened in a
spreadsheet program) or with an error value (#DIV/0!) is an `unreadable-cell` issue and the
cell's text is "". Numbers are shown as the sheet shows them under their number format
(`numfmt.shown`: 950500 under `#,##0.00` is "950,500.00"); text cells as stored, with the
surrounding whitespace stripped; dates as 2023-12-25.

Hidden sheets are skipped: they hold what a template needs behind the form (the lists of a
data validation, fill-in notes) and are not printed. So are the parts of jixiao's own blank
template that are for the person filling it in (`workbook.marks`): its 填表说明 sheet, whose
表样 is the family's name for people, and the weights check beside the 总分 row, which a file
saved by a script holds without a value; a workbook with that sheet is `Reading.issued`. Hidden rows and columns are read, as
they hold what someone typed, and each is an issue (`hidden-row`, `hidden-column`) so that a
person decides; silently dropping a hidden indicator row would lose a value.

The file is read once into memory: openpyxl's `read_only` mode gives the values and number
formats, and `xlsxparts` the merged ranges, hidden rows and columns and the formulas without a
saved value (openpyxl's full mode gives the first two at four times the cost: it lays borders
over every merged cell; python-calamine is faster still but gives no number formats).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from ...workbook.marks import is_rules_sheet
from ..grid import Cell, Place, Row, Table
from .errors import ReadError, Reading, ReadIssue, damaged, office_container_error
from .numfmt import shown
from .xlsxparts import SheetFacts, sheet_facts, sheet_parts


def read(path: Path) -> Reading:
    """The visible sheets of the workbook at `path`, one Table each, in the workbook's order,
    and the issues met (see the module docstring).

    The file is read once: openpyxl (`read_only`) and `xlsxparts` read the same bytes.
    Raises ReadError for a password-protected, damaged or mis-named file."""
    error = office_container_error(path, ".xlsx")
    if error is not None:
        raise error
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            error = _too_large(path, package)
            if error is not None:
                raise error
            return _read(path, data, package)
    except ReadError:
        raise
    except Exception as exc:  # zip, XML and openpyxl's own errors: all mean a damaged file
        raise damaged(path, "工作簿内容无法读取", f"workbook parts unreadable ({exc})") from None


def _read(path: Path, data: bytes, package: zipfile.ZipFile) -> Reading:
    """The tables and issues of the workbook `data` (opened as `package`)."""
    import openpyxl

    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts = sheet_parts(package)
    tables: list[Table] = []
    issues: list[ReadIssue] = []
    issued = False
    try:
        for sheet in values.worksheets:
            if sheet.sheet_state != "visible":
                continue
            part = parts.get(sheet.title)
            facts = sheet_facts(package, part) if part else SheetFacts()
            table = _sheet_table(path.name, sheet, facts, issues)
            if is_rules_sheet([[cell.text for cell in row] for row in table.rows[:2]]):
                issued = True  # jixiao's template: its fill-in rules are no form data
                continue
            tables.append(table)
    finally:
        values.close()
    return Reading(tables, issues, issued)


# A sheet of more rows than this (its `<dimension>`), or a sheet part larger than this once
# unpacked, is no form, nor a few hundred forms on one sheet (a form is at most 200 rows,
# `form.lengths`): it is refused before openpyxl reads it (200,000 rows take minutes and GBs).
MAX_SHEET_ROWS = 20_000
MAX_SHEET_BYTES = 32_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def _too_large(path: Path, package: zipfile.ZipFile) -> ReadError | None:
    """The error for a workbook with a sheet too large to be forms (see MAX_SHEET_ROWS),
    None otherwise. Raises KeyError or ElementTree.ParseError for a damaged package."""
    for title, part in sheet_parts(package).items():
        size = package.getinfo(part).file_size
        with package.open(part) as stream:
            found = _DIMENSION.search(stream.read(4096))
        rows = int(found.group(1)) if found and found.group(1) else 0
        if rows > MAX_SHEET_ROWS or size > MAX_SHEET_BYTES:
            return _large(path, title, rows, size)
    return None


def _large(path: Path, title: str, rows: int, size: int) -> ReadError:
    extent = f"{rows} 行" if rows > MAX_SHEET_ROWS else f"{size // 1_000_000} MB"
    extent_en = f"{rows} rows" if rows > MAX_SHEET_ROWS else f"{size // 1_000_000} MB"
    return ReadError(
        path,
        "too-large",
        f"工作表「{title}」有 {extent},远超自评表的大小(每表至多 {MAX_SHEET_ROWS} 行),未读取",
        f"the sheet {title!r} has {extent_en}, far more than forms fill "
        f"(at most {MAX_SHEET_ROWS} rows a sheet): not read",
        "把自评表复制到一个新工作簿(每张表一个工作表)再导入",
        "copy the forms into a new workbook (a sheet each) and import that",
    )


def _sheet_table(file: str, sheet: Any, facts: SheetFacts, issues: list[ReadIssue]) -> Table:
    """One sheet as a Table (see the module docstring), its issues appended to `issues`."""
    spans = {}
    covered = set()
    for min_row, min_col, max_row, max_col in facts.merged:
        spans[(min_row, min_col)] = (max_col - min_col + 1, max_row - min_row + 1)
        covered |= {
            (r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)
        } - {(min_row, min_col)}
    texts = _texts(file, sheet, facts.formulas, covered, issues)
    for position in facts.own_checks:  # the template's weights check: not the form's
        texts.pop(position, None)
    ends = [(r + down - 1, c + span - 1) for (r, c), (span, down) in spans.items()]
    last_row = max([r for r, _ in texts] + [r for r, _ in ends], default=0)
    last_column = max([c for _, c in texts] + [c for _, c in ends], default=0)
    rows: list[Row] = []
    for r in range(1, last_row + 1):
        cells = []
        for c in range(1, last_column + 1):
            if (r, c) in covered:
                continue
            span, down = spans.get((r, c), (1, 1))
            place = Place(file, sheet=sheet.title, row=r, column=c)
            cells.append(Cell(texts.get((r, c), ""), place, span, down))
        rows.append(tuple(cells))
    _hidden_issues(file, sheet.title, facts, last_row, last_column, issues)
    return Table(tuple(rows), Place(file, sheet=sheet.title))


def _texts(
    file: str,
    sheet: Any,
    formulas: dict[tuple[int, int], str],
    covered: set[tuple[int, int]],
    issues: list[ReadIssue],
) -> dict[tuple[int, int], str]:
    """The shown text of every non-blank cell by (row, column); an unreadable formula cell
    is "" and named in `issues`. A cell a merged range covers holds nothing (as a spreadsheet
    shows it), though its formula without a saved value is still named."""
    texts = {}
    sheet.reset_dimensions()  # every cell the part holds, whatever its <dimension> says
    for cell in (cell for row in sheet.iter_rows() for cell in row):
        value = getattr(cell, "value", None)
        if value is None and not hasattr(cell, "row"):
            continue  # a blank openpyxl fills in between the cells the part holds
        r, c = cell.row, cell.column
        error = cell.data_type == "e"
        if (r, c) in covered:
            value, error = None, False
        if value is None and (r, c) not in formulas:
            continue
        if error or (value is None and (r, c) in formulas):
            issues.append(_unreadable(file, sheet.title, r, c, value, formulas.get((r, c))))
            texts[(r, c)] = ""
            continue
        text = shown(value, cell.number_format).strip()
        if text:
            texts[(r, c)] = text
    return texts


def _unreadable(
    file: str, title: str, r: int, c: int, value: object, formula: str | None
) -> ReadIssue:
    """The issue for a formula cell whose value cannot be read."""
    formula = formula or "（与其他单元格共用的公式）"
    place = Place(file, sheet=title, row=r, column=c)
    if value is not None:
        return ReadIssue(
            "unreadable-cell",
            place,
            f"公式的结果是错误值 {value}，按空白读取",
            f"the formula's result is the error value {value}; read as blank",
        )
    return ReadIssue(
        "unreadable-cell",
        place,
        f"公式 {formula} 没有保存计算结果（文件未在电子表格程序中打开并保存过），按空白读取",
        f"the formula {formula} has no saved result (the file was never opened and saved in "
        "a spreadsheet program); read as blank",
    )


def _hidden_issues(
    file: str, title: str, facts: SheetFacts, last_row: int, last_column: int, issues: list
) -> None:
    """An issue for each hidden row and column inside the used range."""
    for r in facts.hidden_rows:
        if r <= last_row:
            issues.append(
                ReadIssue(
                    "hidden-row",
                    Place(file, sheet=title, row=r, column=1),
                    f"第{r}行在工作表中是隐藏的，已照常读取，请确认是否属于表格",
                    f"row {r} is hidden in the sheet; it was read, check that it belongs",
                )
            )
    for first, last in facts.hidden_columns:
        for c in range(first, min(last, last_column) + 1):
            issues.append(
                ReadIssue(
                    "hidden-column",
                    Place(file, sheet=title, row=1, column=c),
                    f"第{c}列在工作表中是隐藏的，已照常读取，请确认是否属于表格",
                    f"column {c} is hidden in the sheet; it was read, check that it belongs",
                )
            )
