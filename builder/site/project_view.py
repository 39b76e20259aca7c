"""What a project's page shows: the form as checked, its funding and indicator tables as
printed (sub-rows under their rows, the columns in its family's order and words: `layouts`),
only the 分值 it prints, each finding on its row, and the form's own extras
(`printed.form_extras`).

Plain data for `templates/project.html`, computed once per page. No HTML here.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .. import urls
from ..form.model import Indicator, Project, SubIndicator
from ..layouts import (
    Column,
    HeaderWords,
    Layout,
    block_labels,
    columns_before_figures,
    funding_columns,
    header_rows,
    header_words,
    indicator_columns,
    source_label,
    unit_label,
)
from ..layouts import layout_of as family_layout
from ..printed import FormExtras, TableLine, form_extras, printed_execution_weight, table_lines
from ..rules.check import CheckedProject
from ..rules.findings import LocatedFinding, Severity
from ..rules.policies import SitePolicy
from ..rules.results import IndicatorScore, ProjectScore
from .funding_view import PageFundingRow, page_funding
from .honesty import Issue, ScoreGap, form_issues, score_gap


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One line of a project page's 绩效指标 table: a row as declared and as scored with the
    findings about it, or one of its 「其中…」 sub-rows (`sub`: no result, no findings), and
    the 一级/二级 cells it opens (merged over lines as on paper)."""

    line: TableLine
    result: IndicatorScore | None  # None for a sub-row: the rules score its parent only
    findings: list[LocatedFinding]

    @property
    def indicator(self) -> Indicator | SubIndicator:
        """The row as the form prints it."""
        return self.line.row

    @property
    def sub(self) -> bool:
        """True for a 「其中…」 sub-row."""
        return self.line.sub

    @property
    def level1_span(self) -> int:
        """Lines the 一级指标 cell spans (0: covered by a line above)."""
        return self.line.level1_span

    @property
    def level2_span(self) -> int:
        """Lines the 二级指标 cell spans (0: covered by a line above)."""
        return self.line.level2_span

    @property
    def flagged(self) -> bool:
        """True when an error or a warning is about this row."""
        return any(f.finding.severity is not Severity.note for f in self.findings)


@dataclass(frozen=True)
class PageHead:
    """A header cell of a page's table: its words, `num` for a column of figures, the columns
    (`span`) and header rows (`rows`) it covers."""

    label: str
    num: bool = False
    span: int = 1
    rows: int = 1


FIGURE_KEYS = ("weight", "rate", "score")  # columns of figures (right-aligned)
DECLARED = "申报"  # before the form's own 得分: the page adds the 复核得分 beside it
COMPUTED_SCORE = "复核得分"


def _cell_line(key: str) -> str:
    """Which source line of the header a column's cell is written on: the values together,
    the figures together, the reason alone (the page's markup as it always was)."""
    return "figures" if key in FIGURE_KEYS else "reason" if key == "reason" else "values"


def page_heading(columns: tuple[Column, ...]) -> tuple[list[list[PageHead]], list[PageHead]]:
    """The indicator table's header on a page after 三级指标: the first row's cells in source
    lines, and the second row (empty without a group heading). The form's 得分 is headed
    申报得分, and 复核得分 follows it."""
    top, below = header_rows(columns)
    lines: list[list[PageHead]] = []
    previous = ""
    for head, column in zip(top, _first_of_each(columns), strict=True):
        kind = _cell_line(column.key)
        if kind != previous or not lines:
            lines.append([])
        previous = kind
        number = column.key in FIGURE_KEYS and not column.group
        if column.key == "score":
            lines[-1] += [
                PageHead(DECLARED + head.label, True, 1, head.rows),
                PageHead(COMPUTED_SCORE, True, 1, head.rows),
            ]
        else:
            lines[-1].append(PageHead(head.label, number, head.span, head.rows))
    return lines, [PageHead(head.label) for head in below]


def _first_of_each(columns: tuple[Column, ...]) -> list[Column]:
    """The columns that begin a cell of the first header row (the first of each group)."""
    firsts: list[Column] = []
    for column in columns:
        if not (column.group and firsts and firsts[-1].group == column.group):
            firsts.append(column)
    return firsts


@dataclass
class ProjectView:
    """What a project's page shows: the form as checked (readable: `project` and `score` are
    set), its unit's folder name under content/<year>/, its indicator lines, the optional
    columns of its table, and what it prints beyond the scored figures."""

    checked: CheckedProject
    project: Project
    score: ProjectScore
    unit_slug: str
    rows: list[IndicatorRow]
    extras: FormExtras
    policy: SitePolicy | None = None  # the policy that scored it (its name and section)

    @property
    def layout(self) -> Layout:
        """The columns and words of the form's family."""
        return family_layout(self.project)

    @property
    def header(self) -> HeaderWords:
        """The header's words and cells as the form prints them (`layouts.header_words`)."""
        return header_words(self.project)

    @property
    def unit_label(self) -> str:
        """The words before the filling unit's name in the heading (`layouts.unit_label`)."""
        return unit_label(self.project)

    @property
    def source_label(self) -> str:
        """The words over the funding rows' names (`layouts.source_label`)."""
        return source_label(self.project)

    @property
    def closing_heading(self) -> str:
        """The heading over the form's conclusion, grade and blocks of text: the form's words
        for its conclusion (自评结论, 评价结论: `layouts.block_labels`) where it prints one;
        where it prints none, no such heading is made up: the words say what follows (申报等次,
        原表说明); "" when the form prints none of them."""
        declared = self.project.declared
        if declared.conclusion:
            return block_labels(self.project)["conclusion"]
        parts = (["申报等次"] if declared.grade else []) + (
            ["原表说明"] if self.extras.texts else []
        )
        return "及".join(parts)

    @functools.cached_property
    def columns(self) -> tuple[Column, ...]:
        """The indicator table's columns after 三级指标, in the family's order (made once: a
        page asks for them four times, and each time reads every row of the table)."""
        return indicator_columns(self.project)

    @property
    def heading(self) -> tuple[list[list[PageHead]], list[PageHead]]:
        """The indicator table's header after 三级指标 (`page_heading`)."""
        return page_heading(self.columns)

    @property
    def total_span(self) -> int:
        """Cells the 总分 label spans: the three levels and the columns before the first one
        with a figure in the 总分 row."""
        return 3 + columns_before_figures(self.columns)

    @functools.cached_property
    def funding_columns(self) -> tuple[Column, ...]:
        """The funding table's columns after the row names, in the family's order (made
        once)."""
        return funding_columns(self.project)

    @property
    def funding_rows(self) -> list[PageFundingRow]:
        """The funding table's rows, each cell as printed (`funding_view.page_funding`)."""
        return page_funding(self.project, self.score, self.funding_columns, self.execution_weight)

    @property
    def execution_weight(self) -> Decimal | None:
        """The execution's 分值 as the form prints it (None: it prints none)."""
        return printed_execution_weight(self.project)

    def level1_points(self, level1: str) -> Decimal | None:
        """The 分值 the form prints beside a 一级指标 (`weights.levels`), None where none."""
        return self.project.weights.levels.get(level1)

    @property
    def page(self) -> str:
        """The page's path in the site: `2023/<unit folder>/<id>/index.html`."""
        return urls.project_page(self.project, self.unit_slug)

    @property
    def findings(self) -> list[LocatedFinding]:
        """Every finding about the form, placed in its file, in the checker's order."""
        return self.checked.located

    def findings_of(self, severity: Severity) -> list[LocatedFinding]:
        """The findings of one severity, in the checker's order."""
        return [f for f in self.checked.located if f.finding.severity is severity]

    @property
    def issues(self) -> list[LocatedFinding]:
        """Errors and warnings: what a reader should know disagrees."""
        return [f for f in self.checked.located if f.finding.severity is not Severity.note]

    @functools.cached_property
    def issue_list(self) -> list[Issue]:
        """The form's issues: its errors and warnings grouped by the part of the form they are
        about, one wrong total one issue (`honesty.form_issues`)."""
        return form_issues(self.checked.located, self.project)

    @property
    def figure_issues(self) -> list[Issue]:
        """The issues about figures (not about texts): what the 复核 pages list."""
        return [issue for issue in self.issue_list if issue.about_figures]

    @property
    def in_review(self) -> bool:
        """True when a figure the form declares disagrees with the rules or with another: the
        复核 pages list it and search marks it 有不一致 (`ProjectSummary.in_review`)."""
        return bool(self.figure_issues) or bool(self.gap.difference)

    @property
    def gap(self) -> ScoreGap:
        """申报 against 复核: the totals, their difference and why (`honesty.score_gap`)."""
        return score_gap(self.project, self.score)

    @property
    def all_checked(self) -> bool:
        """True when the rules checked everything the form declares: every indicator row from
        its cells, the execution row from its amounts, the total as a whole. Only then may
        the page say that the declared scores agree with the rules."""
        checked, rows = self.score.rows_checked
        return checked == rows and not self.score.execution.unchecked and not self.score.incomplete

    @property
    def checked_said(self) -> str:
        """What the rules could check, in a sentence for the page's verdict: how many of the
        indicator rows (placeholder rows left out), whether the execution row and the total;
        "" when none is left out (`all_checked`)."""
        checked, rows = self.score.rows_checked
        parts = []
        if checked == rows:
            parts.append(f"绩效指标 {rows} 行已全部按评分规则核对")
        elif checked == 0:
            parts.append(
                f"绩效指标 {rows} 行均未能按评分规则核对(表上未印分值,或指标值、实际完成值无从比较),"
                "照录申报得分"
            )
        else:
            parts.append(
                f"绩效指标 {rows} 行中,按评分规则核对了 {checked} 行,其余 {rows - checked} 行"
                "未能核对(表上未印分值,或指标值、实际完成值无从比较),照录申报得分"
            )
        if self.score.execution.unchecked:
            parts.append("预算执行率得分未能核对(资金表没有可计算执行率的数),照录申报得分")
        if self.score.incomplete:
            parts.append("原表不完整,总分与等次未能核对")
        return "" if self.all_checked else ";".join(parts) + "。"

    @property
    def budget(self) -> Decimal | None:
        """全年预算数 (A) of the 年度资金总额 row, in 元; None where the form prints none."""
        return self.project.funding.total_yuan("budget")

    @property
    def executed(self) -> Decimal | None:
        """全年执行数 (B) of the 年度资金总额 row, in 元; None where the form prints none."""
        return self.project.funding.total_yuan("executed")

    @property
    def rate(self) -> Decimal | None:
        """执行率 as computed, in percent rounded to 2 places (20.10); None when A is 0."""
        return self.score.execution.rate

    @property
    def department_code(self) -> str:
        """The 部门代码 ("" when the form gives none)."""
        return self.project.department.code

    @property
    def department_key(self) -> str:
        """Who the 主管部门 is (`urls.department_key`: its code, or a digest of its name): the
        value of the search page's 主管部门 filter, which two departments of one name never
        share."""
        return urls.department_key(self.project.department.code, self.project.department.name)

    def level2_points(self, level2: str) -> Decimal | None:
        """The 分值 the form prints beside a 二级指标 (`weights.level2`), None where none."""
        return self.project.weights.level2.get(level2)


def project_view(checked: CheckedProject, policy: SitePolicy | None = None) -> ProjectView | None:
    """The page of a checked form, with each finding about an indicator row on its row, and
    the `policy` that scored it; None when the form could not be read or scored (no page)."""
    project, score = checked.project, checked.score
    if project is None or score is None:
        return None
    by_row: dict[int, list[LocatedFinding]] = defaultdict(list)
    for located in checked.located:
        path = located.finding.path
        if len(path) >= 2 and path[0] == "indicators" and isinstance(path[1], int):
            by_row[path[1]].append(located)
    rows = [
        IndicatorRow(line, None, [])
        if line.sub
        else IndicatorRow(line, score.indicators[line.index], by_row.get(line.index, []))
        for line in table_lines(project)  # placeholders left out
    ]
    return ProjectView(
        checked,
        project,
        score,
        urls.unit_slug(checked.file),
        rows,
        form_extras(project, block_labels(project)),
        policy,
    )
