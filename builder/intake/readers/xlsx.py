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
data validation, fill-in notes) and are not printed. Hidden rows and columns are read, as
they hold what someone typed, and each is an issue (`hidden-row`, `hidden-column`) so that a
person decides; silently dropping a hidden indicator row would lose a value.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..grid import Cell, Place, Row, Table
from .errors import ReadError, Reading, ReadIssue, damaged, office_container_error
from .numfmt import shown

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def read(path: Path) -> Reading:
    """The visible sheets of the workbook at `path`, one Table each, in the workbook's order,
    and the issues met (see the module docstring).

    Raises ReadError for a password-protected, damaged or mis-named file."""
    error = office_container_error(path, ".xlsx") or _too_large(path)
    if error is not None:
        raise error
    values = _load(path, data_only=True)  # checks the package: _formulas may trust it
    formulas = _formulas(path)
    tables: list[Table] = []
    issues: list[ReadIssue] = []
    for sheet in values.worksheets:
        if sheet.sheet_state != "visible":
            continue
        tables.append(_sheet_table(path.name, sheet, formulas.get(sheet.title, {}), issues))
    return Reading(tables, issues)


# A sheet of more rows than this (its `<dimension>`), or a sheet part larger than this once
# unpacked, is no form, nor a few hundred forms on one sheet (a form is at most 200 rows,
# `form.lengths`): it is refused before openpyxl reads it (200,000 rows take minutes and GBs).
MAX_SHEET_ROWS = 20_000
MAX_SHEET_BYTES = 32_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def _too_large(path: Path) -> ReadError | None:
    """The error for a workbook with a sheet too large to be forms (see MAX_SHEET_ROWS),
    None otherwise (or when the package cannot be read: `_load` says so)."""
    try:
        with zipfile.ZipFile(path) as package:
            for title, part in _sheet_parts(package).items():
                size = package.getinfo(part).file_size
                with package.open(part) as stream:
                    found = _DIMENSION.search(stream.read(4096))
                rows = int(found.group(1)) if found and found.group(1) else 0
                if rows > MAX_SHEET_ROWS or size > MAX_SHEET_BYTES:
                    return _large(path, title, rows, size)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return None
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


def _load(path: Path, data_only: bool) -> Any:
    """The workbook, or a ReadError naming what the library could not read."""
    import openpyxl

    try:
        return openpyxl.load_workbook(path, data_only=data_only, rich_text=False)
    except Exception as exc:  # zip, XML and openpyxl's own errors: all mean a damaged file
        raise damaged(path, "工作簿内容无法读取", f"workbook parts unreadable ({exc})") from None


def _formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """The formula cells that have no saved value (`_has_value`), by sheet title and (row,
    column), with the formula ("" for a cell sharing another cell's formula).

    openpyxl gives None both for such a cell and for a formula whose saved value is an empty
    string (`<c t="str"><f>…</f><v></v></c>`), so the sheet parts are read here, as XML, for
    that one difference."""
    from openpyxl.utils.cell import coordinate_to_tuple

    found: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as package:
        for title, part in _sheet_parts(package).items():
            cells = found.setdefault(title, {})
            with package.open(part) as stream:
                for _, element in ElementTree.iterparse(stream):
                    if element.tag != f"{{{_MAIN}}}c":
                        continue
                    formula = element.find(f"{{{_MAIN}}}f")
                    if formula is not None and not _has_value(element):
                        position = coordinate_to_tuple(element.get("r", "A1"))
                        cells[position] = f"={formula.text}" if formula.text else ""
                    element.clear()
    return found


def _has_value(cell: ElementTree.Element) -> bool:
    """Whether a cell element holds a saved value: a `<v>` with text, or an empty one in a
    cell of string type (a formula whose result is "")."""
    value = cell.find(f"{{{_MAIN}}}v")
    if value is None:
        return False
    return bool(value.text) or cell.get("t") in {"str", "s", "inlineStr"}


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """The package part of each worksheet, by sheet title (from xl/workbook.xml and its
    relationships)."""
    relations = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in relations.iter(f"{{{_PACKAGE_RELS}}}Relationship")
    }
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    names = set(package.namelist())
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_RELS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in names and "worksheets/" in part:
            parts[sheet.get("name", "")] = part
    return parts


def _sheet_table(
    file: str, sheet: Any, formulas: dict[tuple[int, int], str], issues: list[ReadIssue]
) -> Table:
    """One sheet as a Table (see the module docstring), its issues appended to `issues`."""
    spans = {}
    covered = set()
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (
            merged.max_col - merged.min_col + 1,
            merged.max_row - merged.min_row + 1,
        )
        covered |= {
            (r, c)
            for r in range(merged.min_row, merged.max_row + 1)
            for c in range(merged.min_col, merged.max_col + 1)
        } - {(merged.min_row, merged.min_col)}
    texts = _texts(file, sheet, formulas, issues)
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
    _hidden_issues(file, sheet, last_row, last_column, issues)
    return Table(tuple(rows), Place(file, sheet=sheet.title))


def _texts(
    file: str, sheet: Any, formulas: dict[tuple[int, int], str], issues: list[ReadIssue]
) -> dict[tuple[int, int], str]:
    """The shown text of every non-blank cell by (row, column); an unreadable formula cell
    is "" and named in `issues`."""
    texts = {}
    for cell in (cell for row in sheet.iter_rows() for cell in row):
        value, r, c = cell.value, cell.row, cell.column
        if value is None and (r, c) not in formulas:
            continue
        if cell.data_type == "e" or (value is None and (r, c) in formulas):
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
    file: str, sheet: Any, last_row: int, last_column: int, issues: list[ReadIssue]
) -> None:
    """An issue for each hidden row and column inside the used range."""
    for r, dimension in sorted(sheet.row_dimensions.items()):
        if dimension.hidden and r <= last_row:
            issues.append(
                ReadIssue(
                    "hidden-row",
                    Place(file, sheet=sheet.title, row=r, column=1),
                    f"第{r}行在工作表中是隐藏的，已照常读取，请确认是否属于表格",
                    f"row {r} is hidden in the sheet; it was read, check that it belongs",
                )
            )
    from openpyxl.utils import column_index_from_string

    for letters, dimension in sorted(sheet.column_dimensions.items()):
        first = column_index_from_string(letters)
        last = max(first, dimension.max or first)
        if not dimension.hidden or first > last_column:
            continue
        for c in range(first, min(last, last_column) + 1):
            issues.append(
                ReadIssue(
                    "hidden-column",
                    Place(file, sheet=sheet.title, row=1, column=c),
                    f"第{c}列在工作表中是隐藏的，已照常读取，请确认是否属于表格",
                    f"column {c} is hidden in the sheet; it was read, check that it belongs",
                )
            )
