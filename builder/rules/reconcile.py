"""Computed versus declared: where the submitted figures disagree with the rules or themselves.

The submitted figures are never altered; every disagreement becomes a finding.
"""

from __future__ import annotations

from ..form.model import Indicator, Project
from ..form.source import PathKey
from .cells import cells_as_read, printed_kind
from .findings import Finding, Severity, catalogued, figures, plain
from .formulas import HUNDRED, round2
from .policy import OverAchievementAction, ScoringPolicy
from .readings import accepted, counted_said, kept_said, reading_findings
from .results import ExecutionScore, IndicatorScore, Kind, ProjectScore, Rule
from .totals import cost_findings, quoted_grade, quoted_total, total_findings

# Read from here by the open data and the PDFs, as before the totals had a module of their own.
__all__ = ["quoted_grade", "quoted_total", "reconcile"]


def rule_hint(result: IndicatorScore) -> str:
    """The formula behind a row's most allowed points, in a few words for `score-above-rule`."""
    match result.rule:
        case Rule.positive:
            return "正向: weight × actual/target"
        case Rule.reverse | Rule.reverse_breached:
            return "反向: weight × target/actual"
        case Rule.over_achieved:
            return "over-achievement policy"
        case Rule.band:
            return f"the '{result.band}' band of 实际完成值"
        case Rule.not_applicable:
            return "a row marked / or 不适用 scores nothing (scoring.rescale_not_applicable)"
    return ""


def _cell_findings(path: PathKey, indicator: Indicator, result: IndicatorScore) -> list[Finding]:
    """A cell that cannot be read, a 定量 row in words, measure units that cannot be compared."""
    if result.rule is Rule.unreadable:
        return [
            Finding(
                Severity.error,
                "value-unreadable",
                (*path, result.problem_field),
                result.problem,
                result.problem_hint
                or "write an operator, a number and a unit, e.g. ≥95% or ≤30万元",
            )
        ]
    out: list[Finding] = []
    target, actual = cells_as_read(indicator)
    counted = figures(
        target=target,
        actual=actual,
        declared="未填" if indicator.score is None else indicator.score,
        computed=result.score,
        weight=indicator.weight,
    )
    if printed_kind(indicator) is Kind.quantitative and result.kind is Kind.qualitative:
        # The form contradicts itself; the row is judged as its words allow (`score_row`).
        kept = "judged in words" if result.rule is Rule.band else kept_said(indicator, result)
        out.append(
            Finding(
                Severity.warning,
                "value-not-quantitative",
                (*path, "target"),
                f"marked {indicator.nature} but {indicator.target!r} / {indicator.actual!r} is "
                f"not a pair of numbers: {kept}",
                "write both cells as the form prints them; a row in words is 定性",
                counted + figures(nature=indicator.nature),
            )
        )
    if result.rule is Rule.measure_units_differ:
        out.append(
            Finding(
                Severity.warning,
                "units-differ",
                (*path, "actual"),
                f"cannot compare: {result.problem}; {kept_said(indicator, result)}",
                "write the actual value in the target's unit",
                counted,
            )
        )
    return out


def _over_achievement(
    path: PathKey, indicator: Indicator, result: IndicatorScore, policy: ScoringPolicy
) -> list[Finding]:
    """An over-achieved row: the deduction noted (`deduct`), or a missing explanation (`explain`).

    Source: local rules, setting `scoring.over_achievement` (see `formulas.OVER_ACHIEVEMENT`).
    """
    # B/A in percent; `ratio` is its name among the figures of `check --json` (`Finding.data`).
    percent = round2(result.ratio * HUNDRED) if result.ratio is not None else None
    setting = policy.over_achievement
    if setting.action is OverAchievementAction.deduct:
        threshold = setting.threshold
        return [
            Finding(
                Severity.note,
                "over-achievement-deducted",
                (*path, "actual"),
                f"actual is {percent}% of the target (threshold {threshold * HUNDRED:.0f}%): "
                f"{setting.deduct * HUNDRED:.0f}% of the weight deducted, "
                f"{plain(result.low)} of {plain(indicator.weight)}{counted_said(result)}",
                "the target was probably set too low",
                figures(ratio=percent, computed=result.low, weight=indicator.weight)
                + accepted(result),
            )
        ]
    if indicator.reason:
        return []
    return [
        Finding(
            Severity.warning,
            "over-achievement-unexplained",
            (*path, "reason"),
            # The percent as computed (200.00), while the figure is written plain (200).
            f"actual is {percent}% of the target but 未完成原因分析 gives no explanation",
            "explain why the target was exceeded so far",
            figures(ratio=percent),
        )
    ]


def _reverse_breached(
    path: PathKey, indicator: Indicator, result: IndicatorScore, policy: ScoringPolicy
) -> Finding:
    """A 反向 row whose actual exceeds its target, noted with the policy that scored it; a
    warning where the target is below 0 and no formula applies (the declared score stands)."""
    if result.problem:
        return Finding(
            Severity.warning,
            "reverse-target-below-zero",
            (*path, "target"),
            f"actual {indicator.actual} exceeds the 反向 target {indicator.target}, and "
            f"{result.problem}: {kept_said(indicator, result)}",
            "write the target as 0 or more (a fall of at least 5% as ≥5%) or check the declared score",
            figures(declared=result.score, weight=indicator.weight),
        )
    return Finding(
        Severity.note,
        "reverse-breached",
        (*path, "actual"),
        f"actual {indicator.actual} exceeds the 反向 target {indicator.target}: "
        f"{plain(result.low)} of {plain(indicator.weight)} under the '{policy.breached_reverse}' "
        f"policy{counted_said(result)}",
        "",
        figures(computed=result.low, weight=indicator.weight, policy=policy.breached_reverse)
        + accepted(result),
    )


def _declared_score(path: PathKey, indicator: Indicator, result: IndicatorScore) -> list[Finding]:
    """The declared 得分 against the range the rules allow (`low`–`high`).

    Above: reported. Below: for a 定性 row, below its band; for a 定量 row, accepted as the
    evaluator's judgement when 未完成原因分析 gives a reason, else reported. A 得分 above the
    分值 is left to validation (`score-over-weight`).
    """
    declared = indicator.score
    if declared is None or declared > indicator.weight:
        return []
    if declared > result.high:
        return [
            Finding(
                Severity.warning,
                "score-above-rule",
                (*path, "score"),
                f"declared {plain(declared)}, the rules allow at most {plain(result.high)}",
                rule_hint(result),
                figures(declared=declared, computed=result.high),
            )
        ]
    if declared >= result.low:
        return []
    if result.kind is Kind.qualitative:
        return [
            Finding(
                Severity.warning,
                "score-below-band",
                (*path, "score"),
                f"declared {plain(declared)} is below the band {plain(result.low)}–{plain(result.high)} that "
                f"{indicator.actual!r} names",
                "either the 实际完成值 or the score is wrong",
                figures(declared=declared, low=result.low, high=result.high),
            )
        ]
    if indicator.reason:
        return [
            catalogued(
                Severity.note,
                "judgement-accepted",
                (*path, "score"),
                declared=declared,
                computed=result.low,
            )
        ]
    return [
        catalogued(
            Severity.warning,
            "score-below-rule",
            (*path, "score"),
            declared=declared,
            computed=result.low,
        )
    ]


def _indicator(
    index: int, indicator: Indicator, result: IndicatorScore, policy: ScoringPolicy
) -> list[Finding]:
    """Every finding about one indicator row, in the order `jixiao check` prints them."""
    path: PathKey = ("indicators", index)
    out = reading_findings(path, indicator, result) + _cell_findings(path, indicator, result)
    if result.rule is Rule.unreadable:
        return out
    if result.rule is Rule.over_achieved:
        out.extend(_over_achievement(path, indicator, result, policy))
    if result.rule is Rule.reverse_breached:
        out.append(_reverse_breached(path, indicator, result, policy))
    return out + _declared_score(path, indicator, result)


def _execution(project: Project, execution: ExecutionScore, policy: ScoringPolicy) -> list[Finding]:
    """The execution row: no budget, a printed 执行率 (percent) or 得分 that differs from the
    rule, and a low rate without the reason a local rule asks for (`execution_reason_below`)."""
    out: list[Finding] = []
    rate_printed, score_printed = project.execution_rate_printed, project.execution_score_printed
    if execution.ratio is None and not execution.unchecked:
        out.append(
            catalogued(Severity.warning, "zero-budget", (*project.funding.total_path, "budget"))
        )
    elif execution.ratio is not None and rate_printed not in (None, execution.rate):
        out.append(
            catalogued(
                Severity.warning,
                "execution-rate-mismatch",
                ("declared", "execution_rate"),
                declared=rate_printed,
                computed=execution.rate,
            )
        )
    if score_printed is not None and score_printed != execution.score:
        out.append(
            catalogued(
                Severity.warning,
                "execution-score-mismatch",
                ("declared", "execution_score"),
                declared=score_printed,
                computed=execution.score,
            )
        )
    threshold, rate = policy.execution_reason_below, execution.rate
    if threshold is None or rate is None or rate >= threshold or project.funding.reason:
        return out
    out.append(
        catalogued(
            Severity.warning,
            "execution-unexplained",
            (*project.funding.total_path, "executed"),
            computed=rate,
            threshold=threshold,
        )
    )
    return out


def reconcile(project: Project, score: ProjectScore, policy: ScoringPolicy) -> list[Finding]:
    """Every disagreement between what the form declares and what the rules give, as findings.

    `score` is `score_project(project, policy)`. In order: the execution row, each indicator
    row (of a row without 分值, only what its cells leave unchecked: `IndicatorScore.reading`),
    the cost rows against the funds executed (`totals.cost_findings`), a total above the
    full mark, the 总分, the grade (`totals.total_findings`). Sources: 财预〔2020〕10号 and
    the 自评表 注 for the rules compared against; docs/scoring.md ("Declared versus computed") and
    docs/findings.md for what is accepted and what is reported. Pure; the form is never altered.
    """
    out = _execution(project, score.execution, policy)
    for index, (indicator, result) in enumerate(
        zip(project.indicators, score.indicators, strict=True)
    ):
        if result.rule is Rule.no_weight and result.reading is not None:
            # No 分值 (said by `shape`), and cells the rules could not check whatever it was.
            path: PathKey = ("indicators", index)
            reading = result.reading
            out += reading_findings(path, indicator, reading)
            out += _cell_findings(path, indicator, reading)
        elif result.rule not in (Rule.no_weight, Rule.placeholder):  # said by `shape`
            out.extend(_indicator(index, indicator, result, policy))
    return out + cost_findings(project) + total_findings(project, score, policy)
