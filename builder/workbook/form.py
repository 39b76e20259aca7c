"""A form's printed grid: the rows, labels and columns of jixiao's PDF, with the form's own
figures only.

The same rows as `templates/pdf/_form.html`, in its order and words (the labels of the extras
from `pdf.extras`, the funding rows from `pdf.funding`, the indicator table from
`printed.table_lines`): 项目编码/单位编码, 项目名称, 主管部门及代码 and 实施单位, the check boxes,
项目资金 (its unit in the heading), 执行率说明, 年度总体目标, the indicator table (★, 「其中…」
rows under their row, 指标性质/度量单位 where printed), 总分, 财政审核评分, 自评结论 and 自评
等次, 存在问题/改进措施/其他需要说明事项; around the table the title, the year, 单位 and 填报
日期, the note of a form cut off, 联系人 and the people with their phones, and 注 or 备注.

Where the PDF fills in a 分值 from the scoring policy (the execution row, a 一级指标, the 总分
row) for a form that prints none, the grid leaves the cell blank: a workbook read back must
give the form, not the policy. Nothing is computed.
"""

from __future__ import annotations

from ..form.model import Project
from ..formats import slash_date
from ..pdf.extras import PdfExtras, pdf_extras
from ..pdf.funding import funding_lines
from ..printed import CORE_MARK, table_lines
from ..rules.findings import plain
from . import layout
from .figures import Figure, amount, figure
from .grid import Grid, GridBuilder, Role

Columns = tuple[str, ...]


def form_grid(project: Project) -> Grid:
    """The printed grid of `project` (see the module's docstring)."""
    rows = [line.row for line in table_lines(project)]
    columns = layout.indicator_columns(
        project.template,
        any(row.nature for row in rows),
        any(row.measure_unit for row in rows),
    )
    extras = pdf_extras(project, incomplete=False)
    b = GridBuilder(layout.widths(columns))
    title_rows(
        b,
        f"({project.year}年度)",
        layout.UNIT_LABEL + project.unit,
        layout.DATE_LABEL + (slash_date(project.filled_on) if project.filled_on else ""),
    )
    if extras.partial:
        b.put(0, extras.partial, Role.line, columns=len(columns), left=True)
        b.next_row()
    _head(b, columns, project, extras)
    _funding(b, columns, project)
    _goals(b, columns, project.goals.planned or "", project.goals.achieved or "")
    _indicators(b, columns, project)
    _totals(b, columns, project, extras)
    _below(b, columns, project, extras)
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


def labelled_row(b: GridBuilder, columns: Columns, label: str, text: str, **value: object) -> None:
    """A row of the head: `label` over the first two head columns, `text` over the rest."""
    first, count = layout.head_range(columns, "section", "source")
    b.mark_table()
    b.put(first, label, Role.label, columns=count)
    b.put(first + count, text, Role.value, columns=len(columns) - count, left=True, **value)
    b.next_row()


def _head(b: GridBuilder, columns: Columns, project: Project, extras: PdfExtras) -> None:
    for item in extras.codes:
        labelled_row(b, columns, item.label, item.text)
    labelled_row(b, columns, "项目名称", project.name, bold=True)
    department = project.department
    code = f"[{department.code}]" if department.code else ""
    department_row(b, columns, code + department.name, project.unit)
    for item in extras.categories:
        labelled_row(b, columns, item.label, item.text)


def department_row(b: GridBuilder, columns: Columns, department: str, unit: str) -> None:
    """主管部门及代码 | its text | 实施单位 | its text."""
    first, count = layout.head_range(columns, "section", "source")
    b.mark_table()
    b.put(first, "主管部门及代码", Role.label, columns=count)
    start, span = layout.head_range(columns, "initial", "budget")
    b.put(start, department, columns=span, left=True)
    at, one = layout.head_span(columns, "executed")
    b.put(at, "实施单位", Role.label, columns=one)
    b.put(at + one, unit, columns=len(columns) - at - one, left=True)
    b.next_row()


def funding_heading(b: GridBuilder, columns: Columns, unit: str, rows: int) -> None:
    """The 项目资金 cell (its unit in it) over `rows` rows, and the funding headings."""
    b.mark_table()
    for key, word in layout.FUNDING_WORDS.items():
        at, span = layout.head_span(columns, key)
        if key == "section":
            b.put(at, f"项目资金({unit})", Role.label, columns=span, rows=rows)
        else:
            b.put(at, word, Role.label, columns=span)
    b.next_row()


def put_figure(b: GridBuilder, at: int, span: int, value: Figure, **options: object) -> None:
    """A figure cell: the number with its format, or the text as printed."""
    text, number, fmt = value
    b.put(at, text, Role.figure, columns=span, number=number, number_format=fmt, **options)


def _funding(b: GridBuilder, columns: Columns, project: Project) -> None:
    weight = project.weights.execution  # the form's own: the policy's is not the form's
    lines = funding_lines(project, weight)
    funding_heading(b, columns, project.funding.amount_unit, len(lines) + 1)
    for line in lines:
        b.mark_table()
        at, span = layout.head_span(columns, "source")
        b.put(at, line.label, Role.label, columns=span, left=True)
        for key in ("initial", "budget", "executed"):
            money = getattr(line.row, key) if line.row is not None else None
            put_figure(b, *layout.head_span(columns, key), amount(money))
        for key, value in (("weight", line.weight), ("rate", line.rate), ("score", line.score)):
            at, span = layout.head_span(columns, key)
            if line.figures:
                put_figure(b, at, span, figure(value))
            else:
                b.put(at, "-", columns=span)
        b.next_row()
    if project.funding.reason:
        labelled_row(b, columns, "执行率说明", project.funding.reason)


def _goals(b: GridBuilder, columns: Columns, planned: str, achieved: str) -> None:
    b.mark_table()
    at, span = layout.head_span(columns, "section")
    b.put(at, "年度总体目标", Role.label, columns=span, rows=2)
    left, left_span = layout.head_range(columns, "source", "budget")
    right, right_span = layout.head_range(columns, "executed", "score")
    b.put(left, "预期目标", Role.label, columns=left_span)
    b.put(right, "实际完成情况", Role.label, columns=right_span)
    b.next_row()
    b.mark_table()
    b.put(left, planned, Role.prose, columns=left_span, left=True)
    b.put(right, achieved, Role.prose, columns=right_span, left=True)
    b.next_row()


def indicator_heading(b: GridBuilder, columns: Columns, rows: int) -> None:
    """The indicator table's headings; 绩效指标 merged down over its `rows` rows."""
    b.mark_table()
    for at, key in enumerate(columns):
        word = layout.INDICATOR_WORDS[key][0]
        b.put(at, word, Role.label, rows=rows if key == "section" else 1)
    b.next_row()


def _level(name: str, points: object) -> str:
    return name if points is None else f"{name}\n({plain(points)}分)"  # type: ignore[arg-type]


def _indicators(b: GridBuilder, columns: Columns, project: Project) -> None:
    lines = table_lines(project)
    indicator_heading(b, columns, len(lines) + 1)
    levels, level2 = project.weights.levels, project.weights.level2
    for line in lines:
        row = line.row
        b.mark_table()
        texts = {
            "name": (CORE_MARK if line.core else "") + row.name,
            "nature": row.nature or "",
            "target": row.target,
            "unit": row.measure_unit or "",
            "actual": row.actual,
            "reason": row.reason,
        }
        for at, key in enumerate(columns):
            if key == "level1" and line.level1_span:
                text = _level(line.level1, levels.get(line.level1))
                b.put(at, text, Role.label, rows=line.level1_span)
            elif key == "level2" and line.level2_span:
                text = _level(line.level2, level2.get(line.level2))
                b.put(at, text, Role.label, rows=line.level2_span)
            elif key in ("weight", "score"):
                put_figure(b, at, 1, figure(line.weight if key == "weight" else line.score))
            elif key in texts:
                b.put(at, texts[key], left=key not in ("nature", "unit"))
        b.next_row()


def _totals(b: GridBuilder, columns: Columns, project: Project, extras: PdfExtras) -> None:
    declared = project.declared
    weight = columns.index("weight")
    b.mark_table()
    b.put(0, "总分", Role.label, columns=weight)
    put_figure(b, weight, 1, figure(declared.total_weight))
    put_figure(b, weight + 1, 1, figure(declared.total), bold=True)
    b.put(weight + 2, "", columns=len(columns) - weight - 2)
    b.next_row()
    if extras.review:
        b.mark_table()
        b.put(0, extras.review.label, Role.label, columns=weight)
        b.put(weight, "")
        put_figure(b, weight + 1, 1, figure(declared.review_score), bold=True)
        b.put(weight + 2, "", columns=len(columns) - weight - 2)
        b.next_row()
    conclusion = declared.conclusion
    if declared.grade:  # the PDF's line break after the conclusion, none before an empty one
        conclusion += ("\n" if conclusion else "") + f"自评等次:{declared.grade}"
    rest = len(columns) - 1
    b.mark_table()
    b.put(0, "自评结论", Role.label)
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


def _below(b: GridBuilder, columns: Columns, project: Project, extras: PdfExtras) -> None:
    pieces = []
    if project.contact or not extras.people:
        pieces.append(layout.CONTACT_LABEL + project.contact)
    line_pieces(b, pieces + list(extras.people))
    if extras.remarks:
        text = extras.remarks.label + extras.remarks.text
        b.put(0, text, Role.prose, columns=len(columns), left=True)
        b.next_row()
