"""Scoring a form: which rule each row falls under, and the totals. Pure, over exact decimals.

The formulas themselves are in `formulas.py`, one function per rule, the local variants chosen by
the policy (`policy.py`); docs/scoring.md states the rules. Nothing here reads or writes a file.

Words: 分值 (`worth`, the files' `weight`) is what a row is worth, 得分 (`score`) what it earned;
both in points (分). A rate is a percent, as the forms print 执行率 (20.10); a ratio is a
fraction (B/A = 0.2010).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ..form.model import Indicator, Project
from ..form.values import (
    FIGURE_PLACES,
    MAX_INTEGER_DIGITS,
    Operator,
    Quantity,
    UnreadableValue,
    ValueOutOfRange,
    comparable,
    is_not_applicable,
    measure_units_agree,
    parse_quantity,
)
from .cells import read_zero_words, split_columns_read
from .formulas import (
    BREACHED_REVERSE,
    HUNDRED,
    ONE,
    OVER_ACHIEVEMENT,
    ZERO,
    band_named,
    band_points,
    declared_or,
    execution_points,
    execution_ratio,
    grade_of,
    met_points,
    positive_points,
    rescaled_total,
    round2,
    within_band,
)
from .policy import ScoringPolicy


class Kind(StrEnum):
    """What a row's cells are: numbers to compare, words to judge, or not applicable."""

    quantitative = "quantitative"  # 定量
    qualitative = "qualitative"  # 定性
    not_applicable = "not_applicable"  # / or — in a cell


class Rule(StrEnum):
    """The rule a row was scored by (the `rule` of `jixiao check --json`)."""

    positive = "positive"  # 正向: w × min(B/A, 1)
    reverse = "reverse"  # 反向: w × min(A/B, 1)
    reverse_breached = "reverse_breached"  # 反向, B > A: the breached_reverse policy
    equal_met = "equal_met"  # =, B = A: w
    over_achieved = "over_achieved"  # 正向, B/A at or above the threshold: the policy's action
    band = "band"  # qualitative, within the band named by 实际完成值
    unbanded = "unbanded"  # qualitative, 实际完成值 names no band: the declared score stands
    # Measure units (度量单位) that cannot be compared: the declared score stands, reported. The
    # value is what `check --json` and indicators.csv have always written.
    measure_units_differ = "units_differ"
    unreadable = "unreadable"
    not_applicable = "not_applicable"
    # The form prints no 分值 for the row (no 分值 column, a sub-row): the declared score is
    # kept, unchecked.
    no_weight = "no_weight"
    # A row of the template left as issued (「指标1:」 and nothing else): not scored, not shown.
    placeholder = "placeholder"


@dataclass(frozen=True)
class IndicatorScore:
    """The computed 得分 of one indicator row, with the range the rules allow.

    `score`, `low` and `high` are points (分), rounded to 2 places; for a quantitative row all
    three are equal, for a qualitative one `low`–`high` is its band. `ratio` is B/A (A/B for a
    反向 row) as an unrounded fraction, None where there is none. `problem` says in English why
    the row could not be scored by a formula, `problem_field` which cell ("target", "actual").
    """

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
    problem_hint: str = ""  # what to write instead, where the problem has its own advice
    # A cell written as a word for none (无): which cell, and how it was read ("0起", "不适用").
    word_cell: str = ""
    word_reading: str = ""


@dataclass(frozen=True)
class ExecutionScore:
    """The execution row (预算执行率) as computed.

    `weight` is its 分值 in points; `score` its 得分 in points, rounded to 2 places. `ratio` is
    B/A as an unrounded fraction (0.2010 for 20.10 %, 1.2 when overspent; not capped), None when
    the budget is 0. `rate` is 执行率 in percent rounded to 2 places (20.10), as forms print it
    and as pages, PDFs and open data show it.
    """

    weight: Decimal
    ratio: Decimal | None  # B/A as a fraction, None when the budget is 0
    score: Decimal
    # True when the form prints no amount to compute the rate from (a blank or a dash in the
    # 年度资金总额 row, or no funding table): the printed 得分 is kept.
    unchecked: bool = False

    @property
    def rate(self) -> Decimal | None:
        """执行率 in percent, half-up to 2 places (20.10); None when the budget is 0."""
        return None if self.ratio is None else round2(self.ratio * HUNDRED)


@dataclass(frozen=True)
class ProjectScore:
    """A whole form as computed; every figure in points (分) unless said otherwise.

    `levels`: 得分 per 一级指标 (unrounded sums of rounded row scores); `level_weights`: 分值 per
    一级指标 (the form's own or the policy's); `total`: rounded to 2 places; `grade`: the 等次
    label; `not_applicable_weight`: the 分值 of rows marked not applicable; `declared_parts`: the
    form's own execution 得分 plus its row 得分, None when any of them is missing.
    """

    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    levels: dict[str, Decimal]  # computed points per first-level indicator
    level_weights: dict[str, Decimal]
    total: Decimal
    grade: str
    not_applicable_weight: Decimal = ZERO
    declared_parts: Decimal | None = field(default=None)
    # True for a form its source cut off (`Project.partial`): the total is of what is there.
    incomplete: bool = False


def score_execution(budget: Decimal, executed: Decimal, weight: Decimal) -> ExecutionScore:
    """The execution row: budget A and executed B in 元, `weight` its 分值 in points.

    Source: 财预〔2020〕10号 and the 自评表 注, see `formulas.execution_points`. Raises nothing; a
    budget of 0 gives no 执行率 and 0 points (reported as `zero-budget`).
    """
    ratio = execution_ratio(budget, executed)
    return ExecutionScore(weight, ratio, execution_points(weight, ratio))


def _execution_of(project: Project, weight: Decimal) -> ExecutionScore:
    """The execution row of the form: computed from the 年度资金总额 row's amounts in 元, or,
    where the form prints no amount to compute from, its printed 得分 kept (`unchecked`)."""
    budget, executed = project.funding.total_yuan("budget"), project.funding.total_yuan("executed")
    if budget is None or executed is None:
        kept = declared_or(project.execution_score_printed, weight, none_declared=ZERO)
        return ExecutionScore(weight, None, kept, unchecked=True)
    return score_execution(budget, executed, weight)


def _qualitative(
    worth: Decimal, actual_text: str, declared: Decimal | None, policy: ScoringPolicy
) -> IndicatorScore:
    """A 定性 row: the declared 得分 kept within the band its 实际完成值 names (the top of the
    band when none is declared); text that names no band keeps the declared 得分."""
    band_name = band_named(actual_text)
    if band_name is None:
        score = declared_or(declared, worth, none_declared=worth)
        return IndicatorScore(Kind.qualitative, Rule.unbanded, score, ZERO, worth)
    low, high = band_points(worth, getattr(policy.qualitative_bands, band_name))
    score = within_band(declared, low, high)
    return IndicatorScore(Kind.qualitative, Rule.band, score, low, high, band=band_name)


def _quantitative(
    worth: Decimal,
    target: Quantity,
    actual: Quantity,
    policy: ScoringPolicy,
    declared: Decimal | None = None,
) -> IndicatorScore:
    """A 定量 row whose measure units agree: target A and actual B compared in one measure unit; the operator of
    the target picks 反向 (≤, <), equality (=) or 正向 (≥, >, none), the policy the variant."""
    a, b = comparable(target, actual)

    def result(rule: Rule, points: Decimal, ratio: Decimal | None) -> IndicatorScore:
        points = round2(points)
        return IndicatorScore(
            Kind.quantitative, rule, points, points, points, ratio, target=target, actual=actual
        )

    if target.operator in (Operator.LE, Operator.LT):
        if b <= a:
            return result(Rule.reverse, met_points(worth), None if b == 0 else a / b)
        if a < 0:
            # A/B (or B/A) of a target below 0 is no proportion: B = 0 divides by zero, B
            # between A and 0 gives more than the 分值, B above 0 fewer than none.
            return _unchecked(
                Rule.reverse_breached,
                worth,
                declared_or(declared, worth, none_declared=ZERO),
                f"a 反向 target below 0 ({target.number}) has no proportion to score by",
                target=target,
                actual=actual,
                problem_field="target",
            )
        points = BREACHED_REVERSE[policy.breached_reverse](worth, a, b)
        return result(Rule.reverse_breached, points, a / b)

    if target.operator is Operator.EQ and a == b:
        return result(Rule.equal_met, met_points(worth), ONE)
    if a <= 0:
        # A target of 0 (or less) "≥ 0" is met by any non-negative actual.
        return result(Rule.positive, met_points(worth) if b >= a else ZERO, None)
    ratio = b / a
    over = policy.over_achievement
    if over.threshold is not None and ratio >= over.threshold:
        points = OVER_ACHIEVEMENT[over.action](worth, over)
        if points is not None:
            return result(Rule.over_achieved, points, ratio)
    return result(Rule.positive, positive_points(worth, ratio), ratio)


def _unchecked(
    rule: Rule, worth: Decimal, kept: Decimal, problem: str, **where: Any
) -> IndicatorScore:
    """A 定量 row no formula can score: it keeps `kept` points (the declared 得分, see
    `formulas.declared_or`) within 0..`worth`, and says why in `problem`; `where` names the
    cells (`target`, `actual`, `problem_field`, `problem_hint`)."""
    return IndicatorScore(Kind.quantitative, rule, kept, ZERO, worth, problem=problem, **where)


def _hint_for(error: UnreadableValue) -> str:
    """The advice for a cell that cannot be read: its own for a number out of range."""
    if isinstance(error, ValueOutOfRange):
        return (
            f"write at most {MAX_INTEGER_DIGITS} digits before the decimal point and "
            f"{FIGURE_PLACES} after it, e.g. ≥95% or ≤30万元"
        )
    return ""


def score_indicator(indicator: Indicator, policy: ScoringPolicy) -> IndicatorScore:
    """`score_row` of the row with its split columns read (`cells.split_columns_read`) and its
    words for none (`cells.read_zero_words`); the result names the cell and its reading
    (`word_cell`, `word_reading`) so that a finding can say so. A placeholder row left in from
    the template counts nothing (`Rule.placeholder`); a row without 分值 keeps its declared
    得分, unchecked (`Rule.no_weight`)."""
    if indicator.is_placeholder:
        return IndicatorScore(Kind.not_applicable, Rule.placeholder, ZERO, ZERO, ZERO)
    if indicator.weight is None:
        kept = indicator.score if indicator.score is not None else ZERO
        kind = Kind.qualitative if indicator.nature == "定性" else Kind.quantitative
        return IndicatorScore(
            kind, Rule.no_weight, kept, kept, kept, problem="no 分值 is printed for this row"
        )
    read, cell, reading = read_zero_words(split_columns_read(indicator))
    result = score_row(read, policy)
    if not cell:
        return result
    return dataclasses.replace(result, word_cell=cell, word_reading=reading)


def score_row(indicator: Indicator, policy: ScoringPolicy) -> IndicatorScore:
    """The 得分 of one 三级指标 row under the policy, and the rule that gave it.

    In order: a cell written / or — is not applicable (0 of 0); a cell that cannot be read keeps
    the declared score (`unreadable`); a row marked 定性 or with words in a cell is judged in its
    band (`formulas.band_points`); measure units that cannot be compared keep the declared score; else
    the 定量 formulas (`formulas.py`: 正向, 反向, =, and the breached-反向 and over-achievement
    variants of the policy). Sources: 财预〔2020〕10号, its articles on 单位自评 scoring, and the
    自评表 注. Raises nothing: what cannot be scored is said in `problem`.
    """
    worth, declared = indicator.weight or ZERO, indicator.score
    if is_not_applicable(indicator.target) or is_not_applicable(indicator.actual):
        return IndicatorScore(Kind.not_applicable, Rule.not_applicable, ZERO, ZERO, ZERO)
    cells: dict[str, Quantity | None] = {}
    for cell in ("target", "actual"):
        try:
            cells[cell] = parse_quantity(getattr(indicator, cell))
        except UnreadableValue as error:
            return _unchecked(
                Rule.unreadable,
                worth,
                declared_or(declared, worth, none_declared=ZERO),
                str(error),
                problem_field=cell,
                problem_hint=_hint_for(error),
            )
    target, actual = cells["target"], cells["actual"]
    if indicator.nature == "定性" or target is None or actual is None:
        return _qualitative(worth, indicator.actual, declared, policy)
    if not measure_units_agree(target, actual):
        return _unchecked(
            Rule.measure_units_differ,
            worth,
            declared_or(declared, worth, none_declared=worth),
            f"target in {target.measure_unit}, actual in {actual.measure_unit}",
            target=target,
            actual=actual,
        )
    return _quantitative(worth, target, actual, policy, declared)


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
    return ""


def grade_for(total: Decimal, policy: ScoringPolicy) -> str:
    """The 等次 label a total (points) earns under the policy's cut-offs (`formulas.grade_of`)."""
    return grade_of(total, policy.grades)


def level_weights(project: Project, policy: ScoringPolicy) -> dict[str, Decimal]:
    """分值 of each 一级指标, in points: the form's own where it prints them, else the policy's."""
    return dict(project.weights.levels) or dict(policy.weights.levels)


def execution_weight(project: Project, policy: ScoringPolicy) -> Decimal:
    """分值 of the execution row, in points: the form's own where it prints one (in `weights`
    or on its 年度资金总额 row), else the policy's."""
    declared = project.weights.execution
    row = project.funding.total_row
    if declared is None and row is not None:
        declared = row.weight
    return policy.weights.execution if declared is None else declared


def _declared_parts(project: Project) -> Decimal | None:
    """The form's own execution 得分 plus every row's 得分; None when any is missing."""
    declared_scores = [i.score for _, i in project.scored_indicators]
    execution = project.execution_score_printed
    if execution is None or None in declared_scores:
        return None
    return execution + sum(declared_scores, ZERO)  # type: ignore[arg-type]


def score_project(project: Project, policy: ScoringPolicy) -> ProjectScore:
    """Score a whole form: the execution row, every indicator, the 一级指标 sums, total and grade.

    Total = execution 得分 + every row's 得分 (each at most its 分值), rounded half-up to 2 places;
    with `scoring.rescale_not_applicable`, scaled so that rows marked not applicable do not count
    (`formulas.rescaled_total`). Sources: 财预〔2020〕10号 (the total as the sum of the scores,
    the grades) and the 自评表 注. The declared figures are not used, only carried
    (`declared_parts`) for `reconcile`. Pure; raises nothing for a validated `Project`.
    """
    execution = _execution_of(project, execution_weight(project, policy))
    indicators = tuple(score_indicator(indicator, policy) for indicator in project.indicators)
    weights = level_weights(project, policy)
    levels: dict[str, Decimal] = dict.fromkeys(weights, ZERO)
    not_applicable = ZERO
    for indicator, result in zip(project.indicators, indicators, strict=True):
        levels[indicator.level1] = levels.get(indicator.level1, ZERO) + result.score
        if result.kind is Kind.not_applicable and indicator.weight is not None:
            not_applicable += indicator.weight
    total = execution.score + sum(levels.values(), ZERO)
    if policy.rescale_not_applicable and not_applicable and policy.total > not_applicable:
        total = rescaled_total(total, policy.total, not_applicable)
    total = round2(total)
    return ProjectScore(
        execution=execution,
        indicators=indicators,
        levels=levels,
        level_weights=weights,
        total=total,
        grade=grade_for(total, policy),
        not_applicable_weight=not_applicable,
        declared_parts=_declared_parts(project),
        incomplete=project.partial is not None,
    )
