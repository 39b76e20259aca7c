"""The blank official form of a template family, for staff to fill in: the grid of
`form.py` with the cells left empty, the 分值 the policy gives printed where the form prints
them (the execution row, each 一级指标, 总分), the 二级指标 of the policy's 一级指标 with
「指标1:」 rows under each, and named areas for the checks and lists of `template.py`.

Where a filled form has a label and its text in one cell (单位(盖章):…, 联系人:…), the blank
form gives the text its own cell to type in, beside the label.
"""

from __future__ import annotations

from decimal import Decimal

from ..rules.findings import plain
from ..rules.policy import ScoringPolicy
from . import layout
from .figures import figure
from .form import (
    department_row,
    funding_heading,
    indicator_heading,
    labelled_row,
    put_figure,
)
from .grid import Grid, GridBuilder, Role

Columns = tuple[str, ...]


def blank_grid(family: str, year: int | None, policy: ScoringPolicy, unit: str = "万元") -> Grid:
    """The blank form of `family` for `year` (None: left for staff to write), with the 分值 of
    `policy`, amounts in `unit` (元 or 万元)."""
    shape = layout.FAMILIES[family]
    columns = layout.indicator_columns(
        family, "nature" in shape.indicator_columns, "unit" in shape.indicator_columns
    )
    b = GridBuilder(layout.widths(columns))
    _title(b, columns, year)
    for label in shape.codes:
        labelled_row(b, columns, label, "")
    labelled_row(b, columns, "项目名称", "", bold=True)
    b.add_area("name", (b.row - 1, b.row - 1), (2, len(columns) - 1))
    department_row(b, columns, "", "")
    weight = policy.weights.execution if shape.prints_weights and policy.weights.execution else None
    _funding(b, columns, shape.funding_rows, unit, weight)
    _goals(b, columns)
    _indicators(b, columns, policy, shape.prints_weights)
    _totals(b, columns, policy.total if shape.prints_weights else None, shape.texts)
    _people(b, columns, ("联系人", *shape.people))
    return b.grid()


def _title(b: GridBuilder, columns: Columns, year: int | None) -> None:
    width = len(columns)
    b.put(0, layout.TITLE, Role.title, columns=width, bold=True)
    b.next_row()
    b.put(0, f"({year}年度)" if year else "(    年度)", Role.line, columns=width)
    b.next_row()
    _label, _ = layout.head_range(columns, "section", "source")
    value, span = layout.head_range(columns, "initial", "budget")
    date, one = layout.head_span(columns, "executed")
    b.put(0, layout.UNIT_LABEL, Role.line, columns=value)
    b.put(value, "", Role.line, columns=span, left=True)
    b.put(date, layout.DATE_LABEL, Role.line, columns=one)
    b.put(date + one, "", Role.line, columns=width - date - one, left=True)
    b.add_area("date", (b.row, b.row), (date + one, width - 1))
    b.next_row()


def _funding(
    b: GridBuilder, columns: Columns, rows: tuple[str, ...], unit: str, weight: Decimal | None
) -> None:
    heading = b.row
    funding_heading(b, columns, unit, len(rows) + 1)
    b.add_area("amount-unit", (heading, heading), (0, 0))
    first = b.row
    for index, label in enumerate(rows):
        b.mark_table()
        at, span = layout.head_span(columns, "source")
        b.put(at, label, Role.label, columns=span, left=True)
        for key in ("initial", "budget", "executed"):
            put_figure(b, *layout.head_span(columns, key), figure(None))
        for key in ("weight", "rate", "score"):
            at, span = layout.head_span(columns, key)
            if index == 0:
                put_figure(b, at, span, figure(weight if key == "weight" else None))
            else:
                b.put(at, "-", columns=span)
        b.next_row()
    amounts = layout.head_range(columns, "initial", "executed")
    b.add_area("amounts", (first, b.row - 1), (amounts[0], amounts[0] + amounts[1] - 1))
    at, span = layout.head_range(columns, "weight", "score")
    b.add_area("execution", (first, first), (at, at + span - 1))
    b.add_area("execution-weight", (first, first), (at, at))


def _goals(b: GridBuilder, columns: Columns) -> None:
    b.mark_table()
    at, span = layout.head_span(columns, "section")
    b.put(at, "年度总体目标", Role.label, columns=span, rows=2)
    left, left_span = layout.head_range(columns, "source", "budget")
    right, right_span = layout.head_range(columns, "executed", "score")
    b.put(left, "预期目标", Role.label, columns=left_span)
    b.put(right, "实际完成情况", Role.label, columns=right_span)
    b.next_row()
    b.mark_table()
    b.put(left, "", Role.prose, columns=left_span, left=True, lines=4)
    b.put(right, "", Role.prose, columns=right_span, left=True, lines=4)
    b.next_row()


def _indicators(
    b: GridBuilder, columns: Columns, policy: ScoringPolicy, prints_weights: bool
) -> None:
    levels = [
        (level1, points, layout.LEVEL2.get(level1, ("",)))
        for level1, points in policy.weights.levels.items()
    ]
    count = sum(len(level2) * len(layout.BLANK_ROWS) for _, _, level2 in levels)
    indicator_heading(b, columns, count + 1)
    first = b.row
    for level1, points, level2s in levels:
        level1_rows = len(level2s) * len(layout.BLANK_ROWS)
        text = f"{level1}\n({plain(points)}分)" if prints_weights else level1
        b.put(columns.index("level1"), text, Role.label, rows=level1_rows)
        for level2 in level2s:
            b.put(columns.index("level2"), level2, Role.label, rows=len(layout.BLANK_ROWS))
            for name in layout.BLANK_ROWS:
                b.mark_table()
                for at, key in enumerate(columns):
                    if key not in ("section", "level1", "level2"):
                        b.put(at, name if key == "name" else "", left=key == "name")
                b.next_row()
    last = b.row - 1
    for key in ("name", "nature", "target", "unit", "actual", "weight", "score", "reason"):
        if key in columns:
            at = columns.index(key)
            b.add_area(key, (first, last), (at, at))


def _totals(
    b: GridBuilder, columns: Columns, total: Decimal | None, texts: tuple[str, ...]
) -> None:
    weight = columns.index("weight")
    b.mark_table()
    b.put(0, "总分", Role.label, columns=weight)
    put_figure(b, weight, 1, figure(total))
    put_figure(b, weight + 1, 1, figure(None), bold=True)
    b.put(weight + 2, "", columns=len(columns) - weight - 2)
    b.add_area("total", (b.row, b.row), (weight, weight + 1))
    b.next_row()
    for label in ("自评结论", "自评等次", *texts):
        b.mark_table()
        b.put(0, label, Role.label)
        lines = 1 if label == "自评等次" else 3
        b.put(1, "", Role.prose, columns=len(columns) - 1, left=True, lines=lines)
        if label == "自评等次":
            b.add_area("grade", (b.row, b.row), (1, len(columns) - 1))
        b.next_row()


def _people(b: GridBuilder, columns: Columns, roles: tuple[str, ...]) -> None:
    """A line below the table for each person the form names: role, name, 电话, phone."""
    width = len(columns)
    value, span = layout.head_range(columns, "initial", "budget")
    phone, one = layout.head_span(columns, "executed")
    for role in roles:
        b.put(0, f"{role}:", Role.line, columns=value)
        b.put(value, "", Role.line, columns=span, left=True)
        b.put(phone, "电话:", Role.line, columns=one)
        b.put(phone + one, "", Role.line, columns=width - phone - one, left=True)
        b.next_row()
