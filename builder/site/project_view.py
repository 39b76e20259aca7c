"""What a project's page shows: the form as checked, its indicator table as printed (sub-rows
under their rows, the optional columns in the form's order), each finding on its row, and the
form's own extras (`printed.form_extras`).

Plain data for `templates/project.html`, computed once per page. No HTML here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .. import urls
from ..form.model import Indicator, Project, SubIndicator
from ..printed import FormExtras, TableColumns, TableLine, form_extras, table_lines
from ..rules.check import CheckedProject
from ..rules.findings import LocatedFinding, Severity
from ..rules.policies import SitePolicy
from ..rules.results import IndicatorScore, ProjectScore


@dataclass(frozen=True)
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
    columns: TableColumns
    extras: FormExtras
    policy: SitePolicy | None = None  # the policy that scored it (its name and section)

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
        TableColumns.of(project),
        form_extras(project),
        policy,
    )
