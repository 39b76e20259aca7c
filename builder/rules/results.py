"""What the scorer gives: the rule a row fell under, each row's 得分 with the range the rules
allow, the execution row, and the form as a whole (`score.py` computes them). Plain data.

Words: 分值 (`worth`, the files' `weight`) is what a row is worth, 得分 (`score`) what it earned;
both in points (分). A rate is a percent, as the forms print 执行率 (20.10); a ratio is a
fraction (B/A = 0.2010).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ..form.values import Quantity
from ..pickling import quick_state
from .formulas import HUNDRED, ZERO, round2


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
    no_actual = "no_actual"  # 实际完成值 empty: nothing to check, the declared score stands
    no_target = "no_target"  # 年度指标值 empty, an actual no band names: likewise
    # Measure units (度量单位) that cannot be compared: the declared score stands, reported. The
    # value is what `check --json` and indicators.csv have always written.
    measure_units_differ = "units_differ"
    fraction_or_percent = "fraction_or_percent"  # % against a bare 0.98: kept, reported
    deadline_met = "deadline_met"  # a date or time target met: w
    deadline_missed = "deadline_missed"  # missed: the declared score stands, reported
    deadline_unchecked = "deadline_unchecked"  # the cells cannot tell: likewise
    unreadable = "unreadable"
    not_applicable = "not_applicable"
    # The form prints no 分值 for the row (no 分值 column, a sub-row): the declared score is
    # kept, unchecked.
    no_weight = "no_weight"
    # A row of the template left as issued (「指标1:」 and nothing else): not scored, not shown.
    placeholder = "placeholder"


# The rules that score a row from its cells (`IndicatorScore.checked`).
_CHECKED = frozenset(
    {
        Rule.positive,
        Rule.reverse,
        Rule.reverse_breached,
        Rule.equal_met,
        Rule.over_achieved,
        Rule.band,
        Rule.deadline_met,
        Rule.not_applicable,
    }
)


@quick_state
@dataclass(frozen=True, slots=True)
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
    # A row without 分值 (`Rule.no_weight`) whose cells leave it unchecked for a reason that
    # needs no 分值 too (an empty 实际完成值, % against a bare 0.98, words that name no band…):
    # that reading, keeping the declared 得分, for `reconcile` to say as of any row.
    reading: IndicatorScore | None = None

    @property
    def checked(self) -> bool:
        """True when the rules checked the row from its cells: a formula, a band, a deadline
        met, a cell marked not applicable; False when the declared 得分 is kept for want of
        something to check it by (no 分值, an empty or unreadable cell, words that name no
        band, units or a fraction the rules cannot compare, a missed deadline…)."""
        return self.rule in _CHECKED and not self.problem


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
    label, None for a form whose source cut off a part the rules score (`incomplete`: a total
    of what is there earns no grade); `not_applicable_weight`: the 分值 of rows marked not
    applicable; `declared_parts`: the form's own execution 得分 plus its row 得分, None when
    any of them is missing.
    """

    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    levels: dict[str, Decimal]  # computed points per first-level indicator
    level_weights: dict[str, Decimal]
    total: Decimal
    grade: str | None
    not_applicable_weight: Decimal = ZERO
    declared_parts: Decimal | None = field(default=None)
    # True for a form its source cut off (`Project.partial`): the total is of what is there.
    incomplete: bool = False

    @property
    def rows_checked(self) -> tuple[int, int]:
        """(rows the rules checked from their cells, rows in all), placeholder rows left out
        (`IndicatorScore.checked`)."""
        rows = [r for r in self.indicators if r.rule is not Rule.placeholder]
        return sum(1 for r in rows if r.checked), len(rows)
