"""Text that lost its cell separators (OCR of a form, a preview that ran every cell into one
line): such a cell is cut before each label the form prints, and a new row begins at each
label that begins one (a part, a 二级指标), so that the recogniser sees cells and rows again.
Only a long cell that names several labels is cut; everything else stays as read.
"""

from __future__ import annotations

import re

from ..grid import Cell, Row, Table

# Labels of the forms, longest first where one begins another.
_LABELS = (
    "项目名称", "主管部门", "项目实施单位", "单位名称", "填报日期",
    "项目类别", "项目属性", "项目类型",
    "预算执行情况", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分(20分*执行率)",
    "年度财政资金总额", "年度资金总额",
    "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)",
    "数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度",
    "总分", "偏差大或目标未完成原因分析", "改进措施及结果应用方案", "备注",
)
# Labels that begin a row of their own.
_ROW_STARTS = (
    "项目名称", "预算执行情况", "年度财政资金总额", "年度资金总额", "二级指标",
    "数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度",
    "总分", "偏差大或目标未完成原因分析", "改进措施及结果应用方案", "备注",
)
_PATTERN = re.compile("|".join(re.escape(label) for label in _LABELS))
_MIN_LABELS = 4
_MIN_LENGTH = 80


def _glued(cell: Cell) -> bool:
    return len(cell.text) >= _MIN_LENGTH and len({m.group() for m in _PATTERN.finditer(cell.text)}) >= _MIN_LABELS


def _cut(cell: Cell) -> list[list[Cell]]:
    """The rows a glued cell holds; everything from 备注 on is one cell."""
    rows: list[list[Cell]] = [[]]
    text = cell.text
    position = 0
    for match in _PATTERN.finditer(text):
        if match.start() < position:
            continue
        before = text[position : match.start()].strip(" :：")
        if before:
            rows[-1].append(Cell(before, cell.place))
        label = match.group()
        if label in _ROW_STARTS and rows[-1]:
            rows.append([])
        if label == "备注":
            rows[-1].append(Cell(text[match.start() :].strip(), cell.place))
            return rows
        rows[-1].append(Cell(label, cell.place))
        position = match.end()
    rest = text[position:].strip(" :：")
    if rest:
        rows[-1].append(Cell(rest, cell.place))
    return rows


def unglue(tables: list[Table]) -> list[Table]:
    """The tables with every glued cell cut into cells and rows (see the module)."""
    out = []
    for table in tables:
        rows: list[Row] = []
        for row in table.rows:
            if not any(_glued(cell) for cell in row):
                rows.append(row)
                continue
            current: list[Cell] = []
            for cell in row:
                if not _glued(cell):
                    current.append(cell)
                    continue
                pieces = _cut(cell)
                current += pieces[0]
                for piece in pieces[1:]:
                    rows.append(tuple(current))
                    current = list(piece)
            rows.append(tuple(current))
        out.append(Table(tuple(rows), table.origin))
    return out
