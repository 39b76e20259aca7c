"""How a project's page tells a reader what the check found: the form's issues counted as
issues (one wrong total is one issue, however many findings say it), and the gap between the
declared total (申报) and the total the rules give (复核), with one plain sentence saying why.

Plain data and Chinese sentences for `templates/project.html`; no HTML here. The findings'
codes and lines stay on each issue (`Issue.findings`) for the page's staff-facing details.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from ..form.model import Project
from ..formats import declared_text
from ..rules.explain import explain, finding_place
from ..rules.findings import SEVERITY_ORDER, LocatedFinding, Severity, plain
from ..rules.results import ProjectScore, Rule

# Findings about one part of the form, whichever rule says it: one issue each part.
TOPICS: Mapping[str, str] = MappingProxyType(
    {
        "total-mismatch": "总分与等次",
        "total-not-sum": "总分与等次",
        "conclusion-total-mismatch": "总分与等次",
        "total-above-full": "总分与等次",
        "grade-mismatch": "总分与等次",
        "conclusion-grade-mismatch": "总分与等次",
        "execution-rate-mismatch": "预算执行率",
        "execution-score-mismatch": "预算执行率",
        "execution-unexplained": "预算执行率",
        "zero-budget": "预算执行率",
        "executed-over-budget": "预算执行率",
        "funding-rows-disagree": "项目资金",
        "weights-level-sum": "各项分值",
        "weights-levels-total": "各项分值",
        "weights-total": "各项分值",
        "goals-repeated": "年度总体目标",
    }
)
# The total's own findings that only repeat a difference the rows explain: a row scored
# otherwise changes the computed total, and the 总分 row, right as the form adds up, differs.
FOLLOWS_FROM_ROWS = frozenset({"total-mismatch", "grade-mismatch", "conclusion-grade-mismatch"})
# Issues about the texts, not the figures: no difference for the 复核 pages to list.
TEXT_TOPICS = frozenset({"年度总体目标"})
SHOWN_ROWS = 3  # rows named in the sentence before "等 N 项"


@dataclass(frozen=True)
class Issue:
    """One issue with the form: the part it is about (`topic`, in Chinese: 总分与等次,
    三级指标“…”), its most serious severity, and the findings that say it (each with its
    code, line and Chinese sentences)."""

    topic: str
    severity: Severity
    findings: tuple[LocatedFinding, ...]

    @property
    def said(self) -> list[tuple[str, str]]:
        """What the citizen reads: (sentence, code) of each finding, its sentence with its
        figures (or its general meaning) in plain Chinese, each sentence once; the code is
        for the link to its explanation, never shown as text."""
        said: list[tuple[str, str]] = []
        for located in self.findings:
            general, detail = explain(located.finding)
            sentence = detail or general
            if sentence not in [text for text, _ in said]:
                said.append((sentence, located.finding.code))
        return said

    @property
    def about_figures(self) -> bool:
        """True when the issue is about figures (what the 复核 pages list)."""
        return self.topic not in TEXT_TOPICS


def _topic(located: LocatedFinding, names: list[str]) -> str:
    path = located.finding.path
    if len(path) >= 2 and path[0] == "indicators":
        return finding_place(located.finding, names).split("·")[0]
    return TOPICS.get(located.finding.code) or finding_place(located.finding, names)


def form_issues(located: list[LocatedFinding], project: Project) -> list[Issue]:
    """The errors and warnings about a form, grouped into its issues, most serious first. A total whose only
    findings are those a row's other score explains (`FOLLOWS_FROM_ROWS`: its 总分 row adds
    up) is no issue of its own when a row or the execution row is one: the gap sentence says
    it (`ScoreGap`). Issues about figures come before those about texts, each kind in the
    order of the form. Notes are not issues."""
    names = [indicator.name for indicator in project.indicators]
    grouped: dict[str, list[LocatedFinding]] = {}
    for finding in sorted(located, key=lambda f: f.line):
        if finding.finding.severity is not Severity.note:
            grouped.setdefault(_topic(finding, names), []).append(finding)
    issues = [
        Issue(topic, min((f.finding.severity for f in found), key=SEVERITY_ORDER.get), tuple(found))
        for topic, found in grouped.items()
    ]
    scored = [i for i in issues if i.topic.startswith("三级指标") or i.topic == "预算执行率"]
    if scored:
        issues = [
            i
            for i in issues
            if not (
                i.topic == "总分与等次"
                and {f.finding.code for f in i.findings} <= FOLLOWS_FROM_ROWS
            )
        ]
    return sorted(issues, key=lambda i: (SEVERITY_ORDER[i.severity], not i.about_figures))


def signed_text(value: Decimal | None, missing: str = "") -> str:
    """A difference in points with its sign, the minus a true minus sign (U+2212): −2.5, +1,
    0; `missing` for None."""
    if value is None:
        return missing
    if not value:
        return "0"
    return ("+" if value > 0 else "\u2212") + plain(abs(value))


@dataclass(frozen=True)
class RowGap:
    """A row whose declared 得分 differs from the 得分 the rules give: its name, both in
    points."""

    name: str
    declared: Decimal
    computed: Decimal


@dataclass(frozen=True)
class ScoreGap:
    """申报 against 复核: the declared total (None: the form prints none), the computed one,
    their difference (复核 − 申报, in points, None without a declared total), the rows scored
    otherwise, and what the form's own 得分 add up to (None when one is blank)."""

    declared: Decimal | None
    computed: Decimal
    rows: tuple[RowGap, ...]
    declared_parts: Decimal | None
    incomplete: bool = False

    @property
    def difference(self) -> Decimal | None:
        """复核 − 申报 in points (−2.5 when the rules give 2.5 fewer), None without 申报."""
        return None if self.declared is None else self.computed - self.declared

    @property
    def difference_text(self) -> str:
        """The difference with its sign, as a person writes it: −2.5, +1, 0 ("" without 申报)."""
        return signed_text(self.difference)

    @property
    def sentence(self) -> str:
        """Why the two totals differ (or that they agree), in one plain Chinese sentence: a
        figure the form declares with its digits as typed (9.50), one computed plain (9.5)."""
        gap = self.difference
        if gap is None:
            return f"原表没有填写总分;按评分规则复核为 {plain(self.computed)} 分。"
        if not gap:
            return "申报总分与按评分规则复核的总分相同。"
        direction = "少" if gap < 0 else "多"
        head = f"复核总分比申报{direction} {plain(abs(gap))} 分"
        reasons = self._reasons()
        return head + (":" + ";".join(reasons) if reasons else "") + "。"

    def _reasons(self) -> list[str]:
        reasons = []
        if self.rows:
            named = "、".join(
                f"“{row.name}”申报 {declared_text(row.declared)} 分、按规则为 {plain(row.computed)} 分"
                for row in self.rows[:SHOWN_ROWS]
            )
            more = f"等 {len(self.rows)} 项" if len(self.rows) > SHOWN_ROWS else ""
            reasons.append(f"{named}{more}")
        if self.declared_parts is not None and self.declared_parts != self.declared:
            reasons.append(
                f"表上总分栏填的是 {declared_text(self.declared or Decimal(0))} 分,"
                f"而表中各项得分相加为 {plain(self.declared_parts)} 分"
            )
        if self.incomplete:
            reasons.append("原表不完整,复核总分只按现有内容计算")
        return reasons


def score_gap(project: Project, score: ProjectScore) -> ScoreGap:
    """The gap between the form's declared total and the computed one, with the rows behind
    it: the execution row (预算执行率) first, then each indicator row, in the form's order,
    whose declared 得分 differs from the rules' (a row that declares none is left out)."""
    rows: list[RowGap] = []
    printed = project.execution_score_printed
    if printed is not None and printed != score.execution.score:
        rows.append(RowGap("预算执行率", printed, score.execution.score))
    for indicator, result in zip(project.indicators, score.indicators, strict=True):
        declared = indicator.score
        if result.rule is Rule.placeholder or declared is None:
            continue
        if declared != result.score:
            rows.append(RowGap(indicator.name, declared, result.score))
    return ScoreGap(
        project.declared.total, score.total, tuple(rows), score.declared_parts, score.incomplete
    )
