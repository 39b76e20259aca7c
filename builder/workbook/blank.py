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
    figures_row,
    funding_heading,
    goals_rows,
    indicator_heading,
    labelled_row,
    put_figure,
)
from .grid import Grid, GridBuilder, Role
from .layout import Sheet


def blank_grid(family: str, year: int | None, policy: ScoringPolicy, unit: str = "万元") -> Grid:
    """The blank form of `family` for `year` (None: left for staff to write), with the 分值 of
    `policy`, amounts in `unit` (元 or 万元)."""
    sheet = layout.blank_sheet(family)
    shape = layout.BLANKS[family]
    prints_weights = "weight" in sheet.columns
    b = GridBuilder(sheet.widths)
    _title(b, sheet, year)
    for label in shape.codes:
        labelled_row(b, sheet, label, "")
    labelled_row(b, sheet, "项目名称", "", bold=True)
    b.add_area("name", (b.row - 1, b.row - 1), (2, len(sheet.columns) - 1))
    department_row(b, sheet, "", "")
    weight = policy.weights.execution or None
    _funding(b, sheet, shape.funding_rows, unit, weight)
    goals_rows(b, sheet, "", "", lines=4)
    _indicators(b, sheet, policy, prints_weights)
    _totals(b, sheet, policy.total if prints_weights else None, shape.texts)
    _people(b, sheet, ("联系人", *shape.people))
    return b.grid()


def _title(b: GridBuilder, sheet: Sheet, year: int | None) -> None:
    width = len(sheet.columns)
    b.put(0, layout.TITLE, Role.title, columns=width, bold=True)
    b.next_row()
    b.put(0, f"({year}年度)" if year else "(    年度)", Role.line, columns=width)
    b.next_row()
    value, span = sheet.range(2, 3)
    date, one = sheet.span(4)
    b.put(0, sheet.unit_label, Role.line, columns=value)
    b.put(value, "", Role.line, columns=span, left=True)
    b.put(date, layout.DATE_LABEL, Role.line, columns=one)
    b.put(date + one, "", Role.line, columns=width - date - one, left=True)
    b.add_area("date", (b.row, b.row), (date + one, width - 1))
    b.next_row()


def _funding(
    b: GridBuilder, sheet: Sheet, rows: tuple[str, ...], unit: str, weight: Decimal | None
) -> None:
    """The funding block: the 分值 of the execution where the family prints one, in its
    column or after the block's title (预算执行情况(20分))."""
    heading = b.row
    title = sheet.layout.funding_title
    has_column = any(c.key == "weight" for c in sheet.funding)
    if sheet.layout.points_in_title and weight is not None:
        title += f"({plain(weight)}分)"
    funding_heading(b, sheet, title, unit, len(rows) + 1)
    b.add_area("amount-unit", (heading, heading), (0, 0))
    first = b.row
    for index, label in enumerate(rows):
        b.mark_table()
        at, span = sheet.span(1)
        b.put(at, label, Role.label, columns=span, left=True)
        for number, column in enumerate(sheet.funding):
            at, span = sheet.span(2 + number)
            if column.key in layout.AMOUNTS:
                put_figure(b, at, span, figure(None))
            elif index == 0:
                shown = weight if column.key == "weight" and has_column else None
                put_figure(b, at, span, figure(shown))
            else:
                b.put(at, "-", columns=span)
        b.next_row()
    amounts = [sheet.funding_at(key) for key in layout.AMOUNTS]
    spans = [found for found in amounts if found is not None]
    end = spans[-1][0] + spans[-1][1] - 1
    b.add_area("amounts", (first, b.row - 1), (spans[0][0], end))
    figures = [found for key in layout.FIGURES if (found := sheet.funding_at(key))]
    if figures:
        start = min(at for at, _ in figures)
        stop = max(at + span - 1 for at, span in figures)
        b.add_area("execution", (first, first), (start, stop))
    at_weight = sheet.funding_at("weight")
    if at_weight is not None:
        b.add_area("execution-weight", (first, first), (at_weight[0], at_weight[0]))


def _indicators(b: GridBuilder, sheet: Sheet, policy: ScoringPolicy, prints_weights: bool) -> None:
    levels = [
        (level1, points, layout.LEVEL2.get(level1, ("",)))
        for level1, points in policy.weights.levels.items()
    ]
    count = sum(len(level2) * len(layout.BLANK_ROWS) for _, _, level2 in levels)
    indicator_heading(b, sheet, count)
    columns = sheet.columns
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
    for key in ("name", "nature", "target", "measure_unit", "actual", "weight", "score", "reason"):
        if key in columns:
            at = columns.index(key)
            b.add_area("unit" if key == "measure_unit" else key, (first, last), (at, at))


def _totals(b: GridBuilder, sheet: Sheet, total: Decimal | None, texts: tuple[str, ...]) -> None:
    row = b.row
    figures_row(b, sheet, "总分", {"weight": figure(total), "score": figure(None)})
    columns = sheet.columns
    found = [columns.index(key) for key in ("weight", "score") if key in columns]
    b.add_area("total", (row, row), (min(found), max(found)))
    width = len(columns)
    for label in ("自评结论", "自评等次", *texts):
        b.mark_table()
        b.put(0, label, Role.label)
        lines = 1 if label == "自评等次" else 3
        b.put(1, "", Role.prose, columns=width - 1, left=True, lines=lines)
        if label == "自评等次":
            b.add_area("grade", (b.row, b.row), (1, width - 1))
        b.next_row()


def _people(b: GridBuilder, sheet: Sheet, roles: tuple[str, ...]) -> None:
    """A line below the table for each person the form names: role, name, 电话, phone."""
    width = len(sheet.columns)
    value, span = sheet.range(2, 3)
    phone, one = sheet.span(4)
    for role in roles:
        b.put(0, f"{role}:", Role.line, columns=value)
        b.put(value, "", Role.line, columns=span, left=True)
        b.put(phone, "电话:", Role.line, columns=one)
        b.put(phone + one, "", Role.line, columns=width - phone - one, left=True)
        b.next_row()
