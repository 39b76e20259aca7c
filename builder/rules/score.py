"""Scoring a form: which rule each row falls under, and the totals. Pure, over exact decimals.

The formulas themselves are in `formulas.py`, one function per rule, the local variants chosen by
the policy (`policy.py`); what they give is declared in `results.py`; docs/scoring.md states
the rules. Nothing here reads or writes a file.

Words: 分值 (`worth`, the files' `weight`) is what a row is worth, 得分 (`score`) what it earned;
both in points (分). A rate is a percent, as the forms print 执行率 (20.10); a ratio is a
fraction (B/A = 0.2010).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from ..form.model import Indicator, Project
from ..form.values import (
    Operator,
    Quantity,
    UnreadableValue,
    comparable,
    deadline_met,
    fraction_or_percent,
    is_not_applicable,
    measure_units_agree,
    parse_quantity,
)
from .cells import (
    CELL_NAMES,
    empty_cell,
    printed_kind,
    read_zero_words,
    split_columns_read,
    unreadable_hint,
    without_weight,
)
from .formulas import (
    BREACHED_REVERSE,
    ONE,
    OVER_ACHIEVEMENT,
    ZERO,
    band_of,
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
from .results import ExecutionScore, IndicatorScore, Kind, ProjectScore, Rule

# The results are declared in `results.py`; read from here too, as before they had a module.
__all__ = [
    "ExecutionScore",
    "IndicatorScore",
    "Kind",
    "ProjectScore",
    "Rule",
    "execution_weight",
    "grade_for",
    "level_weights",
    "score_execution",
    "score_indicator",
    "score_project",
    "score_row",
]


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
    worth: Decimal, indicator: Indicator, declared: Decimal | None, policy: ScoringPolicy
) -> IndicatorScore:
    """A 定性 row: the declared 得分 kept within the band its 实际完成值 names, or `achieved`
    where it restates the 年度指标值 (`formulas.band_of`; the top of the band when none is
    declared); text that names no band keeps the declared 得分."""
    actual_text = indicator.actual
    band_name = band_of(indicator.target, actual_text)
    if band_name is None:
        score = declared_or(declared, worth, none_declared=worth)
        problem = f"{actual_text!r} names no band (达成 / 部分达成 / 未达成年度指标)"
        return IndicatorScore(
            Kind.qualitative,
            Rule.unbanded,
            score,
            ZERO,
            worth,
            problem=problem,
            problem_field="actual",
        )
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
    the target picks 反向 (≤, <), equality (=) or 正向 (≥, >, none), the policy the variant. A
    target of 0 without ≥ or > (`0起`, `=0`, a 无 read as 0) is 反向: none is meant."""
    a, b = comparable(target, actual)

    def result(rule: Rule, points: Decimal, ratio: Decimal | None) -> IndicatorScore:
        points = round2(points)
        return IndicatorScore(
            Kind.quantitative, rule, points, points, points, ratio, target=target, actual=actual
        )

    if target.operator is Operator.EQ and a == b:
        return result(Rule.equal_met, met_points(worth), ONE)
    # A target of 0 with no sign or = (0起, 无) means none: 反向, as ≥0 is met by any count.
    none_meant = a == 0 and target.operator in (Operator.NONE, Operator.EQ)
    if none_meant or target.operator in (Operator.LE, Operator.LT):
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
    if a <= 0:
        # A target "≥ 0" (or ≥ less) is met by any actual at or above it.
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


def score_indicator(indicator: Indicator, policy: ScoringPolicy) -> IndicatorScore:
    """`score_row` of the row with its split columns read (`cells.split_columns_read`) and its
    words for none (`cells.read_zero_words`); the result names the cell and its reading
    (`word_cell`, `word_reading`) so that a finding can say so. A placeholder row left in from
    the template counts nothing (`Rule.placeholder`); a row without 分值 keeps its declared
    得分, unchecked (`Rule.no_weight`); a lower declared 得分 with a reason counts as
    declared (`judgement_applied`)."""
    if indicator.is_placeholder:
        return IndicatorScore(Kind.not_applicable, Rule.placeholder, ZERO, ZERO, ZERO)
    read, cell, reading = read_zero_words(split_columns_read(indicator))
    if indicator.weight is None:
        return without_weight(indicator, score_row(read, policy))
    result = judgement_applied(indicator, score_row(read, policy))
    if not cell:
        return result
    return dataclasses.replace(result, word_cell=cell, word_reading=reading)


def _deadline(
    indicator: Indicator, met: bool | None, why: str, policy: ScoringPolicy
) -> IndicatorScore:
    """A row whose target is a date or a time (`values.deadline_met`), a target met or not:
    met, the 分值, or on a row the form marks 定性 (`cells.printed_kind`) the declared 得分
    within the band 达成年度指标 (its top when none); missed, or not to be told from the
    cells, the declared 得分 (0 / the 分值 when none), reported. The kind is the form's own
    where it prints one, else quantitative: the dates were compared."""
    worth, declared = indicator.weight or ZERO, indicator.score
    words = printed_kind(indicator) is Kind.qualitative
    if met and words:
        low, high = band_points(worth, policy.qualitative_bands.achieved)
        score = within_band(declared, low, high)
        return IndicatorScore(Kind.qualitative, Rule.band, score, low, high, band="achieved")
    if met:
        return IndicatorScore(Kind.quantitative, Rule.deadline_met, worth, worth, worth)
    rule, none_declared = (
        (Rule.deadline_missed, ZERO) if met is False else (Rule.deadline_unchecked, worth)
    )
    kept = declared_or(declared, worth, none_declared=none_declared)
    result = _unchecked(rule, worth, kept, why, problem_field="actual")
    return dataclasses.replace(result, kind=Kind.qualitative) if words else result


def _dashed(
    indicator: Indicator, worth: Decimal, declared: Decimal | None, policy: ScoringPolicy
) -> IndicatorScore | None:
    """A row with a cell written / or —: not applicable (0 of 0), except a dash target (no
    numeric target) against words under a policy that judges such a row in its band
    (`dash_target_in_words`, 银川). None for a row without a dash."""
    target, actual = indicator.target, indicator.actual
    if not (is_not_applicable(target) or is_not_applicable(actual)):
        return None
    if policy.dash_target_in_words and actual.strip() and not is_not_applicable(actual):
        return _qualitative(worth, indicator, declared, policy)
    return IndicatorScore(Kind.not_applicable, Rule.not_applicable, ZERO, ZERO, ZERO)


def score_row(indicator: Indicator, policy: ScoringPolicy) -> IndicatorScore:
    """The 得分 of one 三级指标 row under the policy, and the rule that gave it.

    In order: a cell written / or — is not applicable (0 of 0; `_dashed`); an empty cell keeps
    the declared score, 0 when none (`cells.empty_cell`); a target that is a date or a time
    is met (the 分值) or not (`_deadline`); a cell that cannot be read keeps the declared score
    (`unreadable`); a row marked 定性 or with words in a cell is judged in its band
    (`formulas.band_points`); measure units that cannot be compared, or % against a bare
    fraction (`values.fraction_or_percent`), keep the declared score; else the 定量 formulas (`formulas.py`: 正向, 反向, =, and the breached-反向 and over-achievement
    variants of the policy). Sources: 财预〔2020〕10号, its articles on 单位自评 scoring, and the
    自评表 注. Raises nothing: what cannot be scored is said in `problem`.
    """
    worth, declared = indicator.weight or ZERO, indicator.score
    if (dashed := _dashed(indicator, worth, declared, policy)) is not None:
        return dashed
    if empty := empty_cell(indicator):
        rule = Rule.no_actual if empty == "actual" else Rule.no_target
        kept = declared_or(declared, worth, none_declared=ZERO)
        return _unchecked(rule, worth, kept, f"{CELL_NAMES[empty]} is empty", problem_field=empty)
    deadline = deadline_met(indicator.target, indicator.actual)
    if deadline is not None:  # whatever the 指标性质: a date can be met or not
        return _deadline(indicator, *deadline, policy)
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
                problem_hint=unreadable_hint(error),
            )
    target, actual = cells["target"], cells["actual"]
    if printed_kind(indicator) is Kind.qualitative or target is None or actual is None:
        return _qualitative(worth, indicator, declared, policy)
    if not measure_units_agree(target, actual):
        return _unchecked(
            Rule.measure_units_differ,
            worth,
            declared_or(declared, worth, none_declared=worth),
            f"target in {target.measure_unit}, actual in {actual.measure_unit}",
            target=target,
            actual=actual,
        )
    if fraction_or_percent(target, actual):
        return _unchecked(
            Rule.fraction_or_percent,
            worth,
            declared_or(declared, worth, none_declared=worth),
            "one cell is in percent and the other a bare number of at most 1",
            target=target,
            actual=actual,
            problem_field="actual",
        )
    return _quantitative(worth, target, actual, policy, declared)


def judgement_applied(indicator: Indicator, result: IndicatorScore) -> IndicatorScore:
    """A row a formula scored whose declared 得分 is below the formula's and whose 未完成原因分析
    gives a reason: the declared 得分 counts, accepted as the evaluator's judgement (财预〔2020〕
    10号 leaves the 得分 to the evaluator; docs/scoring.md, "Declared versus computed"). `low`
    and `high` stay the formula's, so that `reconcile` names both (`judgement-accepted`) and the
    total adds the figure that note states. Any other row is returned as it is.
    """
    declared = indicator.score
    accepted = (
        result.kind is Kind.quantitative
        and result.low == result.high  # a formula's figure, not a range kept for want of one
        and declared is not None
        and declared < result.low
        and bool(indicator.reason)
    )
    return dataclasses.replace(result, score=declared) if accepted else result


def grade_for(total: Decimal, policy: ScoringPolicy) -> str:
    """The 等次 label a total (points) earns under the policy's cut-offs (`formulas.grade_of`)."""
    return grade_of(total, policy.grades)


def level_weights(project: Project, policy: ScoringPolicy) -> dict[str, Decimal]:
    """分值 of each 一级指标, in points: the form's own where it prints them, else the policy's;
    under a policy whose levels are free (`weights.levels_total`, 四川), each 一级指标 the
    policy names that the form has rows under, worth what their 分值 add up to (in the
    policy's order; rows without 分值 add nothing)."""
    if project.weights.levels:
        return dict(project.weights.levels)
    if not policy.weights.levels_free:
        return dict(policy.weights.levels)
    sums: dict[str, Decimal] = {}
    for indicator in project.indicators:
        if indicator.level1 in policy.weights.levels and not indicator.is_placeholder:
            sums[indicator.level1] = sums.get(indicator.level1, ZERO) + (indicator.weight or ZERO)
    return {level: sums[level] for level in policy.weights.levels if level in sums}


def execution_weight(project: Project, policy: ScoringPolicy) -> Decimal:
    """分值 of the execution row, in points: the form's own where it prints one (in `weights`
    or on its 年度资金总额 row), else the policy's."""
    declared = project.weights.execution
    row = project.funding.total_row
    if declared is None and row is not None:
        declared = row.figure("weight")
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
    (`declared_parts`) for `reconcile`. A form whose source cut off its funding or indicator
    table (`Project.partial`) has a total of what is there, marked `incomplete`, and no grade.
    Pure; raises nothing for a validated `Project`.
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
    incomplete = project.lacks("funding") or project.lacks("indicators")
    return ProjectScore(
        execution=execution,
        indicators=indicators,
        levels=levels,
        level_weights=weights,
        total=total,
        grade=None if incomplete else grade_for(total, policy),
        not_applicable_weight=not_applicable,
        declared_parts=_declared_parts(project),
        incomplete=incomplete,
    )
