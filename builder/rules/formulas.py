"""Every scoring formula, one pure function each over exact decimals, and the tables of variants.

A formula takes the 分值 (`worth`: the points a row is worth, the files' `weight`) and the
figures of the form, and returns points (分) as an exact `Decimal`; `score.py` decides which
formula a row falls under and rounds with `round2`. A ratio is a fraction (B/A = 0.2010); a rate
is a percent, as the forms print 执行率 (20.10); the formulas take ratios.

Where the rules differ by place or year, the variant is chosen by a setting of `scoring:`
(`policy.py`) through a table here, keyed by that setting: `BREACHED_REVERSE`,
`OVER_ACHIEVEMENT`. A new variant is one member of the setting's enum and one function and row
in its table (docs/scoring.md, "Adding a rule"); the qualitative bands and the grade cut-offs are
figures of the policy, so their variants need no code.

Sources: 财预〔2020〕10号《项目支出绩效评价管理办法》, its articles on 单位自评 (the weights of
预算执行率 and the 一级指标; 定量 and 定性 indicator scoring; the total and the grades), and the
fill-in notes (注) printed under its 项目支出绩效自评表; local rules name their place and setting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from .policy import (
    BreachedReversePolicy,
    Grade,
    OverAchievement,
    OverAchievementAction,
    QualitativeBand,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 places, the way forms are filled in (not banker's rounding): 2.125 -> 2.13.

    Source: how the 自评表 are filled in (得分 to two decimals, 20.10 % of 10 is 2.01); exact
    decimals throughout, never binary floats.
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- 预算执行率 ---------------------------------------------------------------------------------


def execution_ratio(budget: Decimal, executed: Decimal) -> Decimal | None:
    """全年执行数 (B) / 全年预算数 (A) of the 年度资金总额 row: 执行率 as a fraction (0.2010 for
    20.10 %).

    Both amounts in 元. Unrounded and uncapped (1.2 when 20 % over budget); None when A is 0 or
    less, where no 执行率 exists. Source: the 自评表 注 (A is the full-year, adjusted budget, never
    年初预算数).
    """
    return None if budget <= 0 else executed / budget


def execution_points(worth: Decimal, ratio: Decimal | None) -> Decimal:
    """得分 of the execution row = 分值 × min(执行率, 100 %), rounded; 0 when there is no 执行率.

    `ratio` is 执行率 as a fraction (see `execution_ratio`). Source: 财预〔2020〕10号, the article on the
    weights of 单位自评 (预算执行率 10 % by default), and the 自评表 注 (分值 × 执行率, at most the
    分值); the 分值 itself is a setting, `scoring.weights.execution` (湖北 2020: 20).
    """
    return ZERO if ratio is None else round2(worth * min(ratio, ONE))


# --- 定量 indicators ----------------------------------------------------------------------------


def positive_points(worth: Decimal, ratio: Decimal) -> Decimal:
    """正向 (≥, >, no operator): 分值 × min(B/A, 1), never below 0 (an actual below 0 against
    a target above 0 earns nothing); `ratio` is B/A as a fraction. Unrounded.

    Source: 财预〔2020〕10号, the article on 单位自评 scoring (a target met earns the whole 分值;
    one not met, points in the proportion of actual to target); the 自评表 注.
    """
    return worth * max(ZERO, min(ratio, ONE))


def met_points(worth: Decimal) -> Decimal:
    """A target met: a 反向 (≤, <) row with B ≤ A (B = 0 included), an equality (=) row with
    B = A. The whole 分值. Source: 财预〔2020〕10号, the article on 单位自评 scoring."""
    return worth


def breached_reverse_national(worth: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """反向 target exceeded (actual B > target A ≥ 0): 分值 × A/B. Unrounded.

    Source: 财预〔2020〕10号, the article on 单位自评 scoring, read for 反向 indicators as the
    proportion of target to actual; the 自评表 注. Setting `scoring.breached_reverse: national`.
    """
    return worth * (target / actual)


def breached_reverse_linear(worth: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """反向 target exceeded (B > A): 分值 × (2 − B/A), falling to 0 at B = 2A; 0 when A is 0.

    Source: local rule of a commercial budget-performance system's auto-scoring (its published
    configuration: (1 − (B − A)/A) × 分值), setting `scoring.breached_reverse: linear`.
    """
    return worth * max(ZERO, 2 - actual / target) if target > 0 else ZERO


def breached_reverse_zero(worth: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """反向 target exceeded (B > A): 0.

    Source: local rule of 六盘水市社会保险事业局 (the bundled 2023 forms, form 3 scores a
    breached 待遇领取人数 0), setting `scoring.breached_reverse: zero`.
    """
    return ZERO


# (分值, target A, actual B) -> unrounded points, for a 反向 row with B > A.
BreachedReverseFormula = Callable[[Decimal, Decimal, Decimal], Decimal]

BREACHED_REVERSE: Mapping[BreachedReversePolicy, BreachedReverseFormula] = MappingProxyType(
    {
        BreachedReversePolicy.national: breached_reverse_national,
        BreachedReversePolicy.linear: breached_reverse_linear,
        BreachedReversePolicy.zero: breached_reverse_zero,
    }
)


def over_achievement_none(worth: Decimal, setting: OverAchievement) -> Decimal | None:
    """No over-achievement rule: None, the row is scored as any 正向 row (full 分值).

    Source: 财预〔2020〕10号, the article on 单位自评 scoring, asks to reduce the points of a
    target set too low "by the degree of deviation" but fixes no threshold or amount: without a
    local rule nothing is deducted. Setting `scoring.over_achievement.action: none`.
    """
    return None


def over_achievement_explain(worth: Decimal, setting: OverAchievement) -> Decimal | None:
    """Over-achieved: the whole 分值; 未完成原因分析 must explain it (a finding when it does not).

    Source: local rule of one province (a written explanation when B ≥ 130 % of A), settings
    `scoring.over_achievement.action: explain` and `.threshold`.
    """
    return worth


def over_achievement_deduct(worth: Decimal, setting: OverAchievement) -> Decimal | None:
    """Over-achieved: 分值 × (1 − deduct), `deduct` a fraction (0.5 takes half off). Unrounded.

    Source: local rule of 六盘水市社会保险事业局 (the bundled 2023 forms, threshold 1.3, deduct
    0.5: form 2 scores 待遇领取人数 at 133 % 2.5 of 5), settings `scoring.over_achievement.action:
    deduct`, `.threshold` and `.deduct`.
    """
    return worth * (ONE - setting.deduct)


# (分值, the policy's over-achievement setting) -> unrounded points of a 正向 row whose B/A
# reached the threshold, or None where the action does not treat it as over-achieved.
OverAchievementFormula = Callable[[Decimal, OverAchievement], Decimal | None]

OVER_ACHIEVEMENT: Mapping[OverAchievementAction, OverAchievementFormula] = MappingProxyType(
    {
        OverAchievementAction.none: over_achievement_none,
        OverAchievementAction.explain: over_achievement_explain,
        OverAchievementAction.deduct: over_achievement_deduct,
    }
)


# --- 定性 indicators ----------------------------------------------------------------------------

# Phrases of 实际完成值 that name a band, and the band's name in `QualitativeBands`. Checked in
# this order: "未达成" contains "达成". Source: 财预〔2020〕10号, the article on 单位自评 scoring.
# 未完成 (not completed) says the target was not reached, as 未达成 does, and 部分完成 that it
# was partly reached; a bare 完成 names no band: it opens sentences (2023年内完成) that say no
# more than that something was done.
BAND_PHRASES = (
    ("未达成", "missed"),
    ("未完成", "missed"),
    ("部分达成", "partly"),
    ("部分完成", "partly"),
    ("达成", "achieved"),
)


def band_named(actual: str) -> str | None:
    """The band (`achieved`, `partly`, `missed`) that the 实际完成值 text names, or None."""
    for phrase, band in BAND_PHRASES:
        if phrase in actual:
            return band
    return None


def band_of(target: str, actual: str) -> str | None:
    """The band of a row in words: the one its 实际完成值 names (`band_named`), else `achieved`
    when the 实际完成值 restates the 年度指标值 word for word (指标值 有效, 完成值 有效: what was
    to be reached is what the form says was reached), else None."""
    named = band_named(actual)
    if named is not None:
        return named
    target, actual = target.strip(), actual.strip()
    return "achieved" if target and target == actual else None


def band_points(worth: Decimal, band: QualitativeBand) -> tuple[Decimal, Decimal]:
    """(fewest, most) points of a band: 分值 × its low and high shares (fractions), rounded.

    Source: 财预〔2020〕10号, the article on 单位自评 scoring: 达成年度指标 100–80 %,
    部分达成年度指标并具有一定效果 80–60 %, 未达成年度指标且效果较差 60–0 % of the 分值; the shares
    are a setting, `scoring.qualitative_bands` (湖北 2020: 80 / 50 / 0).
    """
    return round2(worth * band.low), round2(worth * band.high)


def within_band(declared: Decimal | None, low: Decimal, high: Decimal) -> Decimal:
    """The evaluator's 得分 kept inside [low, high]; the top of the band when none is declared."""
    return high if declared is None else min(max(declared, low), high)


def declared_or(declared: Decimal | None, worth: Decimal, none_declared: Decimal) -> Decimal:
    """Where no formula applies (no band named, units that cannot be compared, a cell that
    cannot be read): the declared 得分, at most the 分值; `none_declared` when there is none."""
    return none_declared if declared is None else min(declared, worth)


# --- total and grade ----------------------------------------------------------------------------


def rescaled_total(total: Decimal, full_marks: Decimal, not_applicable: Decimal) -> Decimal:
    """The total scaled so that the points left after rows marked not applicable count out of
    the full marks: total × full / (full − 分值 not applicable). Unrounded; the caller ensures
    full > not_applicable. Source: the 自评表 注 (不适用 rows may be rescaled), setting
    `scoring.rescale_not_applicable`.
    """
    return total * full_marks / (full_marks - not_applicable)


def grade_of(total: Decimal, grades: Sequence[Grade]) -> str:
    """The 等次 of a total: the label of the first grade (highest first) whose `min` it reaches.

    Source: 财预〔2020〕10号 and the 自评表 注: 90 (含)–100 优, 80 (含)–90 良, 60 (含)–80 中,
    below 60 差; cut-offs and labels are a setting,
    `scoring.grades` (the bundled forms: 优秀 / 良好 / 合格 / 不合格).
    """
    for grade in grades:
        if total >= grade.min:
            return grade.label
    return grades[-1].label
