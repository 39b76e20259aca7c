"""A form's printed grid: the rows, labels and columns of jixiao's PDF, with the form's own
figures only.

The same rows as `templates/pdf/_form.html`, in its order and words, its columns those of the
form's family (`builder.layouts`, laid on the sheet by `layout.Sheet`; the labels of the
extras from `pdf.extras`, the funding rows from `pdf.funding`, the indicator table from
`printed.table_lines`): 项目编码/单位编码, 项目名称, 主管部门及代码 and 实施单位, the check boxes,
the funding block (its title, with the execution's 分值 where the family prints it there, and
its unit), 执行率说明, 年度总体目标, 项目实施内容及过程概述, the indicator table (★, 「其中…」
rows under their row, 指标性质/度量单位 where printed, a group's words over its columns), 总分,
财政审核评分, 自评结论 and 自评等次, 存在问题/改进措施/其他需要说明事项; around the table the
title, the year, the unit the heading names (单位(盖章) or 单位名称) and 填报日期, the note of a
form cut off, 联系人 and the people with their phones, and 注 or 备注.

Only the figures the form prints: never a 分值 of the scoring policy. Nothing is computed.
"""

from __future__ import annotations

from decimal import Decimal

from ..form.model import Project
from ..formats import declared_text, slash_date
from ..layouts import block_labels, header_words
from ..pdf.extras import PdfExtras, pdf_extras
from ..pdf.funding import funding_lines
from ..printed import CORE_MARK, printed_execution_weight, table_lines
from . import layout
from .figures import Figure, amount, figure
from .grid import Grid, GridBuilder, Role
from .layout import Sheet


def form_grid(project: Project) -> Grid:
    """The printed grid of `project` (see the module's docstring)."""
    sheet = layout.form_sheet(project)
    extras = pdf_extras(project, incomplete=False)
    b = GridBuilder(sheet.widths)
    title_rows(
        b,
        f"({project.year}年度)",
        sheet.unit_label + project.heading_unit,
        layout.DATE_LABEL + (slash_date(project.filled_on) if project.filled_on else ""),
    )
    if extras.partial:
        b.put(0, extras.partial, Role.line, columns=len(sheet.columns), left=True)
        b.next_row()
    _head(b, sheet, project, extras)
    _funding(b, sheet, project)
    goals = project.goals
    goals_rows(b, sheet, goals.planned or "", goals.achieved or "")
    if extras.implementation:
        labelled_row(b, sheet, extras.implementation.label, goals.implementation or "")
    _indicators(b, sheet, project)
    _totals(b, sheet, project, extras)
    _below(b, sheet, project, extras)
    return b.grid()


def title_rows(b: GridBuilder, year: str, unit: str, date: str) -> None:
    """The title, the year and the 单位/填报日期 line above the table."""
    width = len(b.widths)
    b.put(0, layout.TITLE, Role.title, columns=width, bold=True)
    b.next_row()
    b.put(0, year, Role.line, columns=width)
    b.next_row()
    half = width // 2
    b.put(0, unit, Role.line, columns=half, left=True)
    b.put(half, date, Role.line, columns=width - half, left=True)
    b.next_row()


def labelled_row(b: GridBuilder, sheet: Sheet, label: str, text: str, **value: object) -> None:
    """A row of the head: `label` over the section and 资金来源, `text` over the rest."""
    first, count = sheet.range(0, 1)
    b.mark_table()
    b.put(first, label, Role.label, columns=count)
    width = len(sheet.columns)
    b.put(first + count, text, Role.value, columns=width - count, left=True, **value)
    b.next_row()


def _head(b: GridBuilder, sheet: Sheet, project: Project, extras: PdfExtras) -> None:
    for item in extras.codes:
        labelled_row(b, sheet, item.label, item.text)
    labelled_row(b, sheet, "项目名称", project.name, bold=True)
    department = project.department
    code = f"[{department.code}]" if department.code else ""
    words = header_words(project)
    department_row(
        b, sheet, code + department.name, project.unit, words.department, words.implementing
    )
    for item in extras.categories:
        labelled_row(b, sheet, item.label, item.text)


def department_row(
    b: GridBuilder,
    sheet: Sheet,
    department: str,
    unit: str,
    department_words: str = "主管部门及代码",
    unit_words: str = "实施单位",
) -> None:
    """主管部门及代码 | its text | 实施单位 | its text (in the form's own words where it has
    them: `layouts.header_words`), over the head columns as the PDF's (2 | 2 | 1 | the rest)."""
    first, count = sheet.range(0, 1)
    b.mark_table()
    b.put(first, department_words, Role.label, columns=count)
    start, span = sheet.range(2, 3)
    b.put(start, department, columns=span, left=True)
    at, one = sheet.span(4)
    b.put(at, unit_words, Role.label, columns=one)
    width = len(sheet.columns)
    b.put(at + one, unit, columns=width - at - one, left=True)
    b.next_row()


def funding_heading(b: GridBuilder, sheet: Sheet, title: str, unit: str, rows: int) -> None:
    """The funding block's title cell (its unit in it) over `rows` rows, the header over the
    row names and each funding column's words."""
    b.mark_table()
    b.put(0, f"{title}({unit})", Role.label, rows=rows)
    at, span = sheet.span(1)
    b.put(at, sheet.layout.source_label, Role.label, columns=span)
    for index, column in enumerate(sheet.funding):
        at, span = sheet.span(2 + index)
        b.put(at, column.label, Role.label, columns=span)
    b.next_row()


def funding_title(sheet: Sheet, project: Project) -> str:
    """The funding block's title as the PDF prints it: with the execution's 分值 after it
    where the family prints it there (预算执行情况(20分))."""
    weight = printed_execution_weight(project)
    title = sheet.layout.funding_title
    if sheet.layout.points_in_title and weight is not None:
        title += f"({declared_text(weight)}分)"
    return title


def put_figure(b: GridBuilder, at: int, span: int, value: Figure, **options: object) -> None:
    """A figure cell: the number with its format, or the text as printed."""
    text, number, fmt = value
    b.put(at, text, Role.figure, columns=span, number=number, number_format=fmt, **options)


def _funding(b: GridBuilder, sheet: Sheet, project: Project) -> None:
    lines = funding_lines(project, printed_execution_weight(project))
    title = funding_title(sheet, project)
    funding_heading(b, sheet, title, project.funding.amount_unit, len(lines) + 1)
    for line in lines:
        b.mark_table()
        at, span = sheet.span(1)
        b.put(at, line.label, Role.label, columns=span, left=True)
        for index, column in enumerate(sheet.funding):
            at, span = sheet.span(2 + index)
            if column.key in layout.AMOUNTS:
                money = getattr(line.row, column.key) if line.row is not None else None
                put_figure(b, at, span, amount(money))
            elif line.figures:
                put_figure(b, at, span, figure(getattr(line, column.key)))
            else:
                b.put(at, "-", columns=span)
        b.next_row()
    if project.funding.reason:
        labelled_row(b, sheet, "执行率说明", project.funding.reason)


def goals_rows(b: GridBuilder, sheet: Sheet, planned: str, achieved: str, lines: int = 1) -> None:
    """年度总体目标 over two rows: 预期目标 over 资金来源 and the next two head columns,
    实际完成情况 over the rest (as the PDF's 3 | 4), then their texts."""
    b.mark_table()
    at, span = sheet.span(0)
    b.put(at, "年度总体目标", Role.label, columns=span, rows=2)
    left, left_span = sheet.range(1, 3)
    right, right_span = sheet.range(4, -1)
    b.put(left, "预期目标", Role.label, columns=left_span)
    b.put(right, "实际完成情况", Role.label, columns=right_span)
    b.next_row()
    b.mark_table()
    b.put(left, planned, Role.prose, columns=left_span, left=True, lines=lines)
    b.put(right, achieved, Role.prose, columns=right_span, left=True, lines=lines)
    b.next_row()


def indicator_heading(b: GridBuilder, sheet: Sheet, rows: int) -> int:
    """The indicator table's header as the PDF prints it (one row, or two under a group's
    words such as 年度指标值); 绩效指标 merged down over the header and the `rows` rows
    below it. Returns how many header rows were laid out."""
    top, below = sheet.heading()
    tall = 2 if below else 1
    b.mark_table()
    for at, (key, word) in enumerate(layout.LEAD):
        b.put(at, word, Role.label, rows=tall + rows if key == "section" else tall)
    at, grouped = len(layout.LEAD), []
    for head in top:
        b.put(at, head.label, Role.label, columns=head.span, rows=head.rows)
        if head.rows < tall:
            grouped += range(at, at + head.span)
        at += head.span
    b.next_row()
    if below:
        b.mark_table()
        for column, head in zip(grouped, below, strict=True):
            b.put(column, head.label, Role.label)
        b.next_row()
    return tall


def _level(name: str, points: Decimal | None) -> str:
    """A 一级/二级指标's cell: its name, and the 分值 the form prints under it as typed."""
    return name if points is None else f"{name}\n({declared_text(points)}分)"


def _indicators(b: GridBuilder, sheet: Sheet, project: Project) -> None:
    lines = table_lines(project)
    indicator_heading(b, sheet, len(lines))
    levels, level2 = project.weights.levels, project.weights.level2
    for line in lines:
        row = line.row
        b.mark_table()
        texts = {
            "name": (CORE_MARK if line.core else "") + row.name,
            "nature": row.nature or "",
            "target": row.target,
            "measure_unit": row.measure_unit or "",
            "actual": row.actual,
            "reason": row.reason,
        }
        for at, key in enumerate(sheet.columns):
            if key == "level1" and line.level1_span:
                text = _level(line.level1, levels.get(line.level1))
                b.put(at, text, Role.label, rows=line.level1_span)
            elif key == "level2" and line.level2_span:
                text = _level(line.level2, level2.get(line.level2))
                b.put(at, text, Role.label, rows=line.level2_span)
            elif key in ("weight", "score"):
                put_figure(b, at, 1, figure(line.weight if key == "weight" else line.score))
            elif key in texts:
                b.put(at, texts[key], left=key not in ("nature", "measure_unit"))
        b.next_row()


def figures_row(b: GridBuilder, sheet: Sheet, label: str, figures: dict[str, Figure]) -> None:
    """A row of the foot with figures (总分, 财政审核评分): the label up to the first column
    with a figure, then a cell per column, `figures` by column key, the others blank."""
    span = sheet.total_span
    b.mark_table()
    b.put(0, label, Role.label, columns=span)
    for at in range(span, len(sheet.columns)):
        key = sheet.columns[at]
        if key in figures:
            put_figure(b, at, 1, figures[key], bold=key == "score")
        else:
            b.put(at, "")
    b.next_row()


def _totals(b: GridBuilder, sheet: Sheet, project: Project, extras: PdfExtras) -> None:
    declared = project.declared
    figures_row(
        b, sheet, "总分", {"weight": figure(declared.total_weight), "score": figure(declared.total)}
    )
    if extras.review:
        figures_row(b, sheet, extras.review.label, {"score": figure(declared.review_score)})
    conclusion = declared.conclusion
    if declared.grade:  # the PDF's line break after the conclusion, none before an empty one
        conclusion += ("\n" if conclusion else "") + f"自评等次:{declared.grade}"
    rest = len(sheet.columns) - 1
    b.mark_table()
    b.put(0, block_labels(project)["conclusion"], Role.label)  # 评价结论, or the form's own
    b.put(1, conclusion, Role.prose, columns=rest, left=True)
    b.next_row()
    for item in extras.texts:
        b.mark_table()
        b.put(0, item.label, Role.label)
        b.put(1, item.text, Role.prose, columns=rest, left=True)
        b.next_row()


def line_pieces(b: GridBuilder, pieces: list[str], per_row: int = 3) -> None:
    """Short texts printed on a line below the table, side by side, `per_row` to a row."""
    width = len(b.widths)
    for start in range(0, len(pieces), per_row):
        chunk = pieces[start : start + per_row]
        step = width // len(chunk)
        for index, piece in enumerate(chunk):
            last = index == len(chunk) - 1
            span = width - step * index if last else step
            b.put(step * index, piece, Role.line, columns=span, left=True)
        b.next_row()


def _below(b: GridBuilder, sheet: Sheet, project: Project, extras: PdfExtras) -> None:
    pieces = []
    if project.contact or not extras.people:
        pieces.append(layout.CONTACT_LABEL + project.contact)
    line_pieces(b, pieces + list(extras.people))
    if extras.remarks:
        text = extras.remarks.label + extras.remarks.text
        b.put(0, text, Role.prose, columns=len(sheet.columns), left=True)
        b.next_row()
