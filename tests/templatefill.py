"""A blank template (`jixiao template --xlsx`) filled in with openpyxl, as staff fill it: the
head, the funding total row and three indicator rows (the first row of each of three 一级指标
blocks, one left without its 实际完成值), the other 「指标N:」 rows left as issued. openpyxl
saves no value for the template's weights check formula, as any script does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from builder.intake.recognise.words import level_points

# Header words of the templates' indicator columns -> the project file's keys.
INDICATOR_COLUMNS = {
    "年度指标值(A)": "target", "年度指标值": "target", "指标值": "target",
    "年初目标值(A)": "target", "实际完成值(B)": "actual", "完成值": "actual",
    "全年实际值": "actual", "分值": "weight", "权重": "weight", "得分": "score",
    "指标性质": "nature", "度量单位": "unit",
}  # fmt: skip
TOTAL_ROWS = ("年度资金总额:", "年度资金总额", "总额", "年度财政资金总额")
AMOUNTS = ("1200.50", "1200.50", "1140.00")  # 年初预算, 全年预算 (调整后), 执行数


def _right_of(sheet: Any, cell: Any) -> Any:
    """The cell after `cell` (after its merged range)."""
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            return sheet.cell(cell.row, merged.max_col + 1)
    return sheet.cell(cell.row, cell.column + 1)


def fill_template(blank: Path, out: Path) -> dict[str, Any]:
    """`blank` filled in and saved as `out`; what was typed, in the project file's keys
    (name, unit, funding.total amounts as typed, the indicators as typed)."""
    book = openpyxl.load_workbook(blank)
    sheet = book.worksheets[0]
    words = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    typed: dict[str, Any] = {"name": "渔业绿色养殖补助", "unit": "某县农业农村局"}
    _right_of(sheet, words["项目名称"]).value = typed["name"]
    _right_of(sheet, words["实施单位"]).value = typed["unit"]
    goals = words["预期目标"]
    sheet.cell(goals.row + 1, goals.column).value = typed["goals"] = "完成养殖池塘改造。"
    typed["amounts"] = _fill_funding(sheet, words)
    typed["indicators"] = _fill_indicators(sheet)
    book.save(out)
    return typed


def _fill_funding(sheet: Any, words: dict[str, Any]) -> list[str]:
    """The amounts typed on the total row, under the header's 预算 and 执行数 columns."""
    total = next(words[label] for label in TOTAL_ROWS if label in words)
    header = [c for c in sheet[total.row - 1] if isinstance(c.value, str)]
    columns = [
        c.column
        for c in header
        if c.column > total.column
        and ("预算" in c.value or c.value.startswith(("执行数", "全年执行数", "预算执行数")))
        and "执行率" not in c.value
    ]
    typed = []
    for column, amount in zip(columns, AMOUNTS[-len(columns) :], strict=True):
        sheet.cell(total.row, column).value = float(amount)
        typed.append(amount)
    for cell in header:  # the row's 执行率 and 得分, as worked out by the person
        if cell.column > total.column and "执行率" in cell.value:
            sheet.cell(total.row, cell.column).value = "94.96%"
        elif cell.column > total.column and cell.value == "得分":
            sheet.cell(total.row, cell.column).value = 9.5
    return typed


def _fill_indicators(sheet: Any) -> list[dict[str, str]]:
    header = next(row for row in sheet.iter_rows() if any(c.value == "三级指标" for c in row))
    columns = {INDICATOR_COLUMNS[c.value]: c.column for c in header if c.value in INDICATOR_COLUMNS}
    name_column = next(c.column for c in header if c.value == "三级指标")
    blocks = [
        c
        for row in sheet.iter_rows(min_row=header[0].row + 1, min_col=2, max_col=2)
        for c in row
        if isinstance(c.value, str)
    ][:3]
    split = "nature" in columns
    typed = []
    for n, block in enumerate(blocks):
        points = level_points(block.value)
        row = {"name": f"养殖池塘改造第{n + 1}项", "target": "95" if split else "≥95%"}
        if split:
            row.update(nature="≥", unit="%")
        if n != 1:
            row["actual"] = "98" if split else "98%"
        if "weight" in columns and points is not None:
            row["weight"] = str(points)
        if n != 1 and "score" in columns and points is not None:
            row["score"] = str(points)
        sheet.cell(block.row, name_column).value = row["name"]
        for key, text in row.items():
            if key != "name":
                number = key in ("weight", "score")
                sheet.cell(block.row, columns[key]).value = int(text) if number else text
        typed.append(row)
    return typed
