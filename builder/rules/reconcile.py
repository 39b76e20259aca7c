"""Computed versus declared: where the submitted figures disagree with the rules or themselves.

The submitted figures are never altered; every disagreement becomes a finding.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..config import OverAchievementAction, ScoringPolicy
from ..form.model import Indicator, Project
from .findings import Finding, Severity, figures, plain
from .score import HUNDRED, IndicatorScore, Kind, ProjectScore, Rule, round2

_CONCLUSION_TOTAL = re.compile(
    r"(?:自评|评价)?(?:分数|得分|总分)(?:为|是|:|：)?\s*(\d+(?:\.\d+)?)\s*分"
)
_CONCLUSION_GRADE = re.compile(r"(?:自评)?等次(?:为|是|:|：)\s*([^\s,，。；;、]+)")
_MONEY_UNITS = {"元", "千元", "万元", "亿元"}


def quoted_total(conclusion: str) -> Decimal | None:
    """The total that a 自评结论 text quotes, e.g. '单位绩效自评分数92.01分' -> 92.01."""
    match = _CONCLUSION_TOTAL.search(conclusion)
    return Decimal(match.group(1)) if match else None


def quoted_grade(conclusion: str) -> str | None:
    match = _CONCLUSION_GRADE.search(conclusion)
    return match.group(1) if match else None


def _indicator(
    index: int, indicator: Indicator, result: IndicatorScore, policy: ScoringPolicy
) -> list[Finding]:
    path = ("indicators", index)
    out: list[Finding] = []
    declared = indicator.score

    if result.rule is Rule.unreadable:
        out.append(
            Finding(
                Severity.error,
                "value-unreadable",
                (*path, result.problem_field),
                result.problem,
                "write an operator, a number and a unit, e.g. ≥95% or ≤30万元",
            )
        )
        return out
    if indicator.nature == "定量" and result.kind is Kind.qualitative:
        out.append(
            Finding(
                Severity.error,
                "value-not-quantitative",
                (*path, "target"),
                f"marked 定量 but {indicator.target!r} / {indicator.actual!r} is not a pair of numbers",
                "write both cells as numbers with units, or mark the row 定性",
            )
        )
    if result.rule is Rule.units_differ:
        out.append(
            Finding(
                Severity.warning,
                "units-differ",
                (*path, "actual"),
                f"cannot compare: {result.problem}; the declared score is kept",
                "write the actual value in the target's unit",
                figures(target=indicator.target, actual=indicator.actual),
            )
        )
    if result.rule is Rule.over_achieved:
        ratio = round2(result.ratio * HUNDRED) if result.ratio is not None else None
        threshold = policy.over_achievement.threshold
        if policy.over_achievement.action is OverAchievementAction.deduct:
            out.append(
                Finding(
                    Severity.note,
                    "over-achievement-deducted",
                    (*path, "actual"),
                    f"actual is {ratio}% of the target (threshold {threshold * HUNDRED:.0f}%): "
                    f"{policy.over_achievement.deduct * HUNDRED:.0f}% of the weight deducted, "
                    f"{plain(result.score)} of {plain(indicator.weight)}",
                    "the target was probably set too low",
                    figures(ratio=ratio, computed=result.score, weight=indicator.weight),
                )
            )
        elif not indicator.reason:
            out.append(
                Finding(
                    Severity.warning,
                    "over-achievement-unexplained",
                    (*path, "reason"),
                    f"actual is {ratio}% of the target but 未完成原因分析 gives no explanation",
                    "explain why the target was exceeded so far",
                    figures(ratio=ratio),
                )
            )
    if result.rule is Rule.reverse_breached:
        out.append(
            Finding(
                Severity.note,
                "reverse-breached",
                (*path, "actual"),
                f"actual {indicator.actual} exceeds the 反向 target {indicator.target}: "
                f"{plain(result.score)} of {plain(indicator.weight)} under the '{policy.breached_reverse}' policy",
                "",
                figures(
                    computed=result.score, weight=indicator.weight, policy=policy.breached_reverse
                ),
            )
        )
    if declared is None or declared > indicator.weight:
        return out  # a score above the weight is reported by validation
    if declared > result.high:
        out.append(
            Finding(
                Severity.warning,
                "score-above-rule",
                (*path, "score"),
                f"declared {plain(declared)}, the rules allow at most {plain(result.high)}",
                _rule_hint(result),
                figures(declared=declared, computed=result.high),
            )
        )
    elif declared < result.low:
        if result.kind is Kind.qualitative:
            out.append(
                Finding(
                    Severity.warning,
                    "score-below-band",
                    (*path, "score"),
                    f"declared {plain(declared)} is below the band {plain(result.low)}–{plain(result.high)} that "
                    f"{indicator.actual!r} names",
                    "either the 实际完成值 or the score is wrong",
                    figures(declared=declared, low=result.low, high=result.high),
                )
            )
        elif indicator.reason:
            out.append(
                Finding(
                    Severity.note,
                    "judgement-accepted",
                    (*path, "score"),
                    f"declared {plain(declared)}, the formula gives {plain(result.low)}: lower score with a reason, "
                    "accepted as the evaluator's judgement",
                    "",
                    figures(declared=declared, computed=result.low),
                )
            )
        else:
            out.append(
                Finding(
                    Severity.warning,
                    "score-below-rule",
                    (*path, "score"),
                    f"declared {plain(declared)}, the formula gives {plain(result.low)}, and no reason is given",
                    "give the reason in 未完成原因分析, or correct the score",
                    figures(declared=declared, computed=result.low),
                )
            )
    return out


def _rule_hint(result: IndicatorScore) -> str:
    match result.rule:
        case Rule.positive:
            return "正向: weight × actual/target"
        case Rule.reverse | Rule.reverse_breached:
            return "反向: weight × target/actual"
        case Rule.over_achieved:
            return "over-achievement policy"
        case Rule.band:
            return f"the '{result.band}' band of 实际完成值"
    return ""


def _cost_vs_executed(project: Project, results: tuple[IndicatorScore, ...]) -> list[Finding]:
    """A 成本指标 in money that disagrees with the funds executed is worth a look."""
    executed = project.funding.total.executed
    out: list[Finding] = []
    for index, (indicator, result) in enumerate(zip(project.indicators, results, strict=True)):
        actual = result.actual
        if indicator.level2 != "成本指标" or actual is None or actual.unit not in _MONEY_UNITS:
            continue
        amount = actual.in_base_unit()[1]
        if amount != executed:
            out.append(
                Finding(
                    Severity.warning,
                    "cost-vs-executed",
                    ("indicators", index, "actual"),
                    f"the actual cost {indicator.actual} ({amount:,.2f} 元) differs from the "
                    f"funds executed, {executed:,.2f} 元",
                    "the cost indicator and the funding table should tell the same story",
                    figures(actual=amount, executed=executed),
                )
            )
    return out


def reconcile(project: Project, score: ProjectScore, policy: ScoringPolicy) -> list[Finding]:
    out: list[Finding] = []
    declared = project.declared
    execution = score.execution

    if execution.rate is None:
        out.append(
            Finding(
                Severity.warning,
                "zero-budget",
                ("funding", "total", "budget"),
                "全年预算数 is 0, so the execution rate cannot be computed; execution scores 0",
                "check the 年度资金总额 row (the money may have been entered in a sub-row only)",
            )
        )
    elif declared.execution_rate is not None and declared.execution_rate != execution.percent:
        out.append(
            Finding(
                Severity.warning,
                "execution-rate-mismatch",
                ("declared", "execution_rate"),
                f"declared 执行率 {plain(declared.execution_rate)}%, computed {plain(execution.percent)}%",
                "执行率 = 全年执行数 / 全年预算数 of the 年度资金总额 row",
                figures(declared=declared.execution_rate, computed=execution.percent),
            )
        )
    if declared.execution_score is not None and declared.execution_score != execution.score:
        out.append(
            Finding(
                Severity.warning,
                "execution-score-mismatch",
                ("declared", "execution_score"),
                f"declared {plain(declared.execution_score)}, computed {plain(execution.score)}",
                "score = weight × min(执行率, 100%)",
                figures(declared=declared.execution_score, computed=execution.score),
            )
        )
    threshold = policy.execution_reason_below
    percent = execution.percent
    if (
        threshold is not None
        and percent is not None
        and percent < threshold
        and not project.funding.reason
    ):
        out.append(
            Finding(
                Severity.warning,
                "execution-unexplained",
                ("funding", "total", "executed"),
                f"执行率 {plain(percent)}% is below {plain(threshold)}% and no reason is given",
                "give the reason in funding.reason",
                figures(computed=percent, threshold=threshold),
            )
        )

    for index, (indicator, result) in enumerate(
        zip(project.indicators, score.indicators, strict=True)
    ):
        out.extend(_indicator(index, indicator, result, policy))
    out.extend(_cost_vs_executed(project, score.indicators))

    if declared.total is not None:
        if declared.total != score.total:
            out.append(
                Finding(
                    Severity.warning,
                    "total-mismatch",
                    ("declared", "total"),
                    f"the 总分 row declares {plain(declared.total)}, the rules give {plain(score.total)}",
                    "total = execution score + every indicator score",
                    figures(declared=declared.total, computed=score.total),
                )
            )
        if score.declared_parts is not None and score.declared_parts != declared.total:
            out.append(
                Finding(
                    Severity.warning,
                    "total-not-sum",
                    ("declared", "total"),
                    f"the 总分 row declares {plain(declared.total)}, but the form's own scores add up to "
                    f"{plain(score.declared_parts)}",
                    "the 总分 must be the sum of the 得分 column",
                    figures(declared=declared.total, sum=score.declared_parts),
                )
            )
    quoted = quoted_total(declared.conclusion)
    reference = declared.total if declared.total is not None else score.total
    if quoted is not None and quoted != reference:
        out.append(
            Finding(
                Severity.warning,
                "conclusion-total-mismatch",
                ("declared", "conclusion"),
                f"the 自评结论 quotes {plain(quoted)}, the 总分 row says {plain(reference)}"
                if declared.total is not None
                else f"the 自评结论 quotes {plain(quoted)}, the rules give {plain(reference)}",
                # Without a 总分 row the message already names the computed total.
                f"the rules give {plain(score.total)}" if declared.total is not None else "",
                figures(quoted=quoted, declared=declared.total, computed=score.total),
            )
        )
    if declared.grade is not None and declared.grade != score.grade:
        out.append(
            Finding(
                Severity.warning,
                "grade-mismatch",
                ("declared", "grade"),
                f"declared grade {declared.grade}, the total {plain(score.total)} earns {score.grade}",
                "grades follow the cut-offs in content/site.yaml",
                figures(declared=declared.grade, computed=score.grade),
            )
        )
    quoted_label = quoted_grade(declared.conclusion)
    if quoted_label is not None and quoted_label != score.grade:
        out.append(
            Finding(
                Severity.warning,
                "conclusion-grade-mismatch",
                ("declared", "conclusion"),
                f"the 自评结论 names the grade {quoted_label}, the total {plain(score.total)} earns "
                f"{score.grade}",
                "",
                figures(quoted=quoted_label, computed=score.grade),
            )
        )
    return out
