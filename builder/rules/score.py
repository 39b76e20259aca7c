"""The scoring rules, as pure functions over exact decimals.

Rules (see docs/scoring.md): execution = weight × min(B/A, 1); a 正向 indicator w × min(B/A, 1);
a 反向 one w × min(A/B, 1) with the breached-target policy; equality full marks when met, else
正向; qualitative indicators within the band that 实际完成值 names; the over-achievement policy;
every score rounded half-up to 2 places; the grade from the policy's cut-offs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ..config import BreachedReversePolicy, OverAchievementAction, ScoringPolicy
from ..form.model import Indicator, Project
from ..form.values import (
    Operator,
    Quantity,
    UnreadableValue,
    comparable,
    is_not_applicable,
    parse_quantity,
    units_agree,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 places, the way forms are filled in (not banker's rounding)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Kind(StrEnum):
    quantitative = "quantitative"
    qualitative = "qualitative"
    not_applicable = "not_applicable"


class Rule(StrEnum):
    positive = "positive"  # 正向: w × min(B/A, 1)
    reverse = "reverse"  # 反向: w × min(A/B, 1)
    reverse_breached = "reverse_breached"
    equal_met = "equal_met"
    over_achieved = "over_achieved"
    band = "band"  # qualitative, within the band named by 实际完成值
    unbanded = "unbanded"  # qualitative, 实际完成值 names no band: the declared score stands
    units_differ = "units_differ"  # cannot compare: the declared score stands, reported
    unreadable = "unreadable"
    not_applicable = "not_applicable"


# Phrases of 实际完成值 that name a band. Checked in this order: "未达成" contains "达成".
BAND_PHRASES = (("未达成", "missed"), ("部分达成", "partly"), ("达成", "achieved"))


@dataclass(frozen=True)
class IndicatorScore:
    kind: Kind
    rule: Rule
    score: Decimal  # computed points
    low: Decimal  # fewest points the rules allow (= score for quantitative rows)
    high: Decimal  # most points the rules allow
    ratio: Decimal | None = None  # B/A for quantitative rows
    band: str | None = None
    target: Quantity | None = None
    actual: Quantity | None = None
    problem: str = ""
    problem_field: str = ""  # "target" or "actual": the cell the problem is in


@dataclass(frozen=True)
class ExecutionScore:
    weight: Decimal
    rate: Decimal | None  # B/A as a fraction, None when the budget is 0
    score: Decimal

    @property
    def percent(self) -> Decimal | None:
        return None if self.rate is None else round2(self.rate * HUNDRED)


@dataclass(frozen=True)
class ProjectScore:
    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    levels: dict[str, Decimal]  # computed points per first-level indicator
    level_weights: dict[str, Decimal]
    total: Decimal
    grade: str
    not_applicable_weight: Decimal = ZERO
    declared_parts: Decimal | None = field(default=None)


def score_execution(budget: Decimal, executed: Decimal, weight: Decimal) -> ExecutionScore:
    if budget <= 0:
        return ExecutionScore(weight, None, ZERO)
    rate = executed / budget
    return ExecutionScore(weight, rate, round2(weight * min(rate, ONE)))


def _qualitative(
    weight: Decimal, actual_text: str, declared: Decimal | None, policy: ScoringPolicy
) -> IndicatorScore:
    for phrase, band_name in BAND_PHRASES:
        if phrase in actual_text:
            band = getattr(policy.qualitative_bands, band_name)
            low, high = round2(weight * band.low), round2(weight * band.high)
            score = high if declared is None else min(max(declared, low), high)
            return IndicatorScore(Kind.qualitative, Rule.band, score, low, high, band=band_name)
    score = weight if declared is None else min(declared, weight)
    return IndicatorScore(Kind.qualitative, Rule.unbanded, score, ZERO, weight)


def _quantitative(
    weight: Decimal, target: Quantity, actual: Quantity, policy: ScoringPolicy
) -> IndicatorScore:
    a, b = comparable(target, actual)

    def result(rule: Rule, points: Decimal, ratio: Decimal | None) -> IndicatorScore:
        points = round2(points)
        return IndicatorScore(
            Kind.quantitative, rule, points, points, points, ratio, target=target, actual=actual
        )

    if target.operator in (Operator.LE, Operator.LT):
        if b <= a:
            return result(Rule.reverse, weight, None if b == 0 else a / b)
        ratio = a / b
        match policy.breached_reverse:
            case BreachedReversePolicy.national:
                points = weight * ratio
            case BreachedReversePolicy.linear:
                points = weight * max(ZERO, 2 - b / a) if a > 0 else ZERO
            case BreachedReversePolicy.zero:
                points = ZERO
        return result(Rule.reverse_breached, points, ratio)

    if target.operator is Operator.EQ and a == b:
        return result(Rule.equal_met, weight, ONE)
    if a <= 0:
        # A target of 0 (or less) "≥ 0" is met by any non-negative actual.
        return result(Rule.positive, weight if b >= a else ZERO, None)
    ratio = b / a
    over = policy.over_achievement
    if over.threshold is not None and ratio >= over.threshold:
        if over.action is OverAchievementAction.deduct:
            return result(Rule.over_achieved, weight * (ONE - over.deduct), ratio)
        if over.action is OverAchievementAction.explain:
            return result(Rule.over_achieved, weight, ratio)
    return result(Rule.positive, weight * min(ratio, ONE), ratio)


def score_indicator(indicator: Indicator, policy: ScoringPolicy) -> IndicatorScore:
    weight, declared = indicator.weight, indicator.score
    if is_not_applicable(indicator.target) or is_not_applicable(indicator.actual):
        return IndicatorScore(Kind.not_applicable, Rule.not_applicable, ZERO, ZERO, ZERO)
    cells: dict[str, Quantity | None] = {}
    for cell in ("target", "actual"):
        try:
            cells[cell] = parse_quantity(getattr(indicator, cell))
        except UnreadableValue as error:
            fallback = ZERO if declared is None else min(declared, weight)
            return IndicatorScore(
                Kind.quantitative,
                Rule.unreadable,
                fallback,
                ZERO,
                weight,
                problem=str(error),
                problem_field=cell,
            )
    target, actual = cells["target"], cells["actual"]
    if indicator.nature == "定性" or target is None or actual is None:
        return _qualitative(weight, indicator.actual, declared, policy)
    if not units_agree(target, actual):
        fallback = weight if declared is None else min(declared, weight)
        return IndicatorScore(
            Kind.quantitative,
            Rule.units_differ,
            fallback,
            ZERO,
            weight,
            target=target,
            actual=actual,
            problem=f"target in {target.unit}, actual in {actual.unit}",
        )
    return _quantitative(weight, target, actual, policy)


def grade_for(total: Decimal, policy: ScoringPolicy) -> str:
    for grade in policy.grades:
        if total >= grade.min:
            return grade.label
    return policy.grades[-1].label


def level_weights(project: Project, policy: ScoringPolicy) -> dict[str, Decimal]:
    """First-level weights: the form's own where it prints them, else the policy's."""
    return dict(project.weights.levels) or dict(policy.weights.levels)


def execution_weight(project: Project, policy: ScoringPolicy) -> Decimal:
    declared = project.weights.execution
    return policy.weights.execution if declared is None else declared


def score_project(project: Project, policy: ScoringPolicy) -> ProjectScore:
    total_row = project.funding.total
    execution = score_execution(
        total_row.budget, total_row.executed, execution_weight(project, policy)
    )
    indicators = tuple(score_indicator(indicator, policy) for indicator in project.indicators)
    weights = level_weights(project, policy)
    levels: dict[str, Decimal] = dict.fromkeys(weights, ZERO)
    not_applicable = ZERO
    for indicator, result in zip(project.indicators, indicators, strict=True):
        levels[indicator.level1] = levels.get(indicator.level1, ZERO) + result.score
        if result.kind is Kind.not_applicable:
            not_applicable += indicator.weight
    total = execution.score + sum(levels.values(), ZERO)
    if policy.rescale_not_applicable and not_applicable and policy.total > not_applicable:
        total = total * policy.total / (policy.total - not_applicable)
    total = round2(total)
    declared_scores = [i.score for i in project.indicators]
    declared_parts = None
    if project.declared.execution_score is not None and None not in declared_scores:
        declared_parts = project.declared.execution_score + sum(declared_scores, ZERO)  # type: ignore[arg-type]
    return ProjectScore(
        execution=execution,
        indicators=indicators,
        levels=levels,
        level_weights=weights,
        total=total,
        grade=grade_for(total, policy),
        not_applicable_weight=not_applicable,
        declared_parts=declared_parts,
    )
