"""A form laid out as jixiao prints it (templates/pdf/_form.html, the official layout the
workbook copies), as the `grid.Table`s a reader of that file gives: the head table (codes,
项目名称, 主管部门及代码 / 实施单位, check boxes, the funding block, the goals), the indicator
table (header, rows with their merged 一级/二级 cells given once, 总分, 财政审核评分,
自评结论, the texts) and the lines around them (title, year, 单位 and 填报日期, the note of a
cut form, 联系人 and the people, the 注).

Beside what the PDF prints today it prints 表样 and 地区 rows where the form names them, and
the template rows left as issued (「指标2:」), so that everything the model holds is on the
page. A merged cell is one `Cell` with its `span` (or `rows`); a cell a merged one covers is
not given; blank cells are given as "".
"""

from __future__ import annotations

from decimal import Decimal

from builder.form.model import PART_LABELS, FundingLine, Indicator, Project, SubIndicator
from builder.formats import declared_yuan_text, figure_text, rate_as_printed, slash_date
from builder.intake.grid import Cell, Place, Row, Table
from builder.layouts import (
    block_labels,
    funding_columns,
    header_words,
    indicator_columns,
    layout_of,
    unit_label,
)
from builder.pdf.funding import funding_lines
from builder.printed import IMPLEMENTATION_LABEL, clause, printed_execution_weight

FILE = "form.pdf"


class _Rows:
    """Rows of one table, each cell placed (table, row, column)."""

    def __init__(self, table: int) -> None:
        self.table = table
        self.rows: list[Row] = []

    def add(self, *cells: str | tuple[str, int]) -> None:
        row, column = [], 1
        number = len(self.rows) + 1
        for item in cells:
            text, span = item if isinstance(item, tuple) else (item, 1)
            place = Place(FILE, page=1, table=self.table, row=number, column=column)
            row.append(Cell(text, place, span))
            column += span
        self.rows.append(tuple(row))

    def done(self) -> Table:
        return Table(tuple(self.rows), Place(FILE, page=1, table=self.table))


def _figure(value: Decimal | None) -> str:
    return figure_text(value, missing="")


def _amount(line: FundingLine, name: str) -> str:
    return declared_yuan_text(getattr(line, name), missing="")


def _head(p: Project) -> Table:
    t = _Rows(1)
    if p.code:
        t.add(("项目编码", 2), (p.code, 6))
    if p.unit_code:
        t.add(("单位编码", 2), (p.unit_code, 6))
    t.add(("项目名称", 2), (p.name, 6))
    department = (f"[{p.department.code}]" if p.department.code else "") + p.department.name
    words = header_words(p)
    t.add((words.department, 2), (department, 2), words.implementing, (p.unit, 3))
    if p.template != "central":
        t.add(("表样", 2), (p.template, 6))
    if p.region:
        t.add(("地区", 2), (p.region, 6))
    for label, option in p.categories.items():
        t.add((label, 2), ("√" + option, 6))
    _funding(t, p)
    if p.funding.reason:
        t.add(("执行率说明", 2), (p.funding.reason, 6))
    t.add("年度总体目标", ("预期目标", 3), ("实际完成情况", 4))
    t.add("", (p.goals.planned or "", 3), (p.goals.achieved or "", 4))
    if p.goals.implementation:
        t.add((IMPLEMENTATION_LABEL, 2), (p.goals.implementation, 6))
    return t.done()


def _funding(t: _Rows, p: Project) -> None:
    """The funding block in the family's columns and words (`builder.layouts`), as the PDF
    prints it (`pdf.funding.funding_lines`): the execution's 分值 in the title where the
    family prints it there, each row's figures in the family's figure columns."""
    layout, columns = layout_of(p), funding_columns(p)
    weight = printed_execution_weight(p)
    title = layout.funding_title
    if layout.points_in_title and weight is not None:
        title += f"({figure_text(weight)}分)"
    unit = f"({p.funding.amount_unit})"
    t.add(f"{title}\n{unit}", layout.source_label, *(c.label for c in columns))
    for line in funding_lines(p, weight):
        cells = []
        for column in columns:
            if column.key in ("initial", "budget", "executed"):
                cells.append(_amount(line.row, column.key) if line.row is not None else "")
            elif line.figures and column.key == "rate":
                cells.append(rate_as_printed(line.rate, ""))  # 100% where printed so
            elif line.figures:
                value = getattr(line, column.key)
                cells.append(value if isinstance(value, str) else _figure(value))
            else:
                cells.append("-")
        t.add("", line.label, *cells)


def _level(name: str, points: Decimal | None) -> str:
    return name if points is None else f"{name}\n({_figure(points)}分)"


def _table(p: Project) -> Table:
    t = _Rows(2)
    nature = any(i.nature or any(s.nature for s in i.subrows) for i in p.indicators)
    unit = any(i.measure_unit or any(s.measure_unit for s in i.subrows) for i in p.indicators)
    words = {c.key: c.label for c in indicator_columns(p)}  # the family's or the form's own
    header = ["绩效指标", "一级指标", "二级指标", "三级指标"]
    header += ["指标性质"] if nature else []
    header += (
        [words["target"]]
        + (["度量单位"] if unit else [])
        + [words["actual"], "分值", "得分", words.get("reason", _reason_words(p))]
    )
    t.add(*header)
    last1 = last2 = None
    for indicator in p.indicators:
        for row in [indicator, *indicator.subrows]:
            level1 = _level(indicator.level1, p.weights.levels.get(indicator.level1))
            level2 = _level(indicator.level2, p.weights.level2.get(indicator.level2))
            cells = ["", level1 if indicator.level1 != last1 else ""]
            cells.append(level2 if (indicator.level1, indicator.level2) != last2 else "")
            last1, last2 = indicator.level1, (indicator.level1, indicator.level2)
            cells += _values(row, nature, unit)
            t.add(*cells)
    extra = int(nature) + int(unit)
    total_weight = p.declared.total_weight
    t.add(("总分", 6 + extra), _figure(total_weight), _figure(p.declared.total), "")
    if p.declared.review_score is not None:
        t.add(("财政审核评分", 6 + extra), "", _figure(p.declared.review_score), "")
    conclusion = p.declared.conclusion
    if p.declared.grade:
        conclusion += f"\n自评等次:{p.declared.grade}"
    blocks = block_labels(p)
    t.add(blocks["conclusion"], (conclusion, 8 + extra))
    for name in ("problems", "improvements", "other_notes"):
        text = getattr(p.declared, name)
        if text:
            t.add(blocks[name], (text, 8 + extra))
    return t.done()


def _reason_words(p: Project) -> str:
    """The words over the reason column of `p`'s family, where its form prints none."""
    return next(c.label for c in layout_of(p).indicators if c.key == "reason")


def _values(row: Indicator | SubIndicator, nature: bool, unit: bool) -> list[str]:
    core = "★" if isinstance(row, Indicator) and row.core else ""
    cells = [core + row.name]
    cells += [row.nature or ""] if nature else []
    cells += [row.target] + ([row.measure_unit or ""] if unit else []) + [row.actual]
    weight = row.weight if isinstance(row, Indicator) else None
    score = row.score if isinstance(row, Indicator) else None
    return [*cells, _figure(weight), _figure(score), row.reason]


def _lines(p: Project, before: bool) -> Table:
    t = _Rows(0 if before else 3)
    if before:
        t.add("项目支出绩效目标自评表")
        t.add(f"({p.year}年度)")
        date = slash_date(p.filled_on) if p.filled_on else ""
        t.add(f"{unit_label(p)}:{p.heading_unit}", f"填报日期:{date}")
        if p.partial is not None:
            missing = "、".join(PART_LABELS[part] for part in p.partial.missing)
            note = f":{clause(p.partial.note)}" if p.partial.note else ""
            t.add(f"本表原件不完整(缺:{missing}){note}。以下照录现有内容,缺的部分未作补造。")
        return t.done()
    people = [f"联系人:{p.contact}"] if p.contact or not p.people else []
    for person in p.people:
        parts = [
            part
            for part in (person.name or "", f"电话:{person.phone}" if person.phone else "")
            if part
        ]
        people.append(f"{person.role or '人员'}:" + " ".join(parts))
    t.add(" ".join(people))
    if p.remarks:
        label = "" if p.remarks.lstrip().startswith(("备注", "注")) else "注:"
        t.add(label + p.remarks)
    return t.done()


def printed_tables(project: Project) -> list[Table]:
    """The tables a reader of `project`'s printed form gives, in the order of the page."""
    return [_lines(project, True), _head(project), _table(project), _lines(project, False)]
