"""The scoring rules, one table row per rule: pure functions over Indicator and ScoringPolicy."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest

from builder.form.model import Indicator, Project
from builder.rules.check import check_content
from builder.rules.findings import LocatedFinding, Severity
from builder.rules.formulas import (
    BREACHED_REVERSE,
    CENT,
    OVER_ACHIEVEMENT,
    ZERO,
    band_named,
    rescaled_total,
    round2,
)
from builder.rules.policy import (
    BreachedReversePolicy,
    Grade,
    OverAchievement,
    OverAchievementAction,
    QualitativeBand,
    QualitativeBands,
    ScoringPolicy,
)
from builder.rules.score import (
    Kind,
    Rule,
    grade_for,
    score_execution,
    score_indicator,
    score_project,
)

from .conftest import SITE_YAML, minimal_project, position_of, write_project

NATIONAL = ScoringPolicy()
LINEAR = ScoringPolicy(breached_reverse=BreachedReversePolicy.linear)
ZERO_ON_BREACH = ScoringPolicy(breached_reverse=BreachedReversePolicy.zero)


def over_achievement(action: OverAchievementAction, deduct: str = "0.5") -> ScoringPolicy:
    return ScoringPolicy(
        over_achievement=OverAchievement(
            threshold=Decimal("1.3"), action=action, deduct=Decimal(deduct)
        )
    )


DEDUCT_HALF = over_achievement(OverAchievementAction.deduct)
DEDUCT_FIFTH = over_achievement(OverAchievementAction.deduct, deduct="0.2")
EXPLAIN = over_achievement(OverAchievementAction.explain)
THRESHOLD_ONLY = over_achievement(OverAchievementAction.none)
DEDUCT_WITHOUT_THRESHOLD = ScoringPolicy(
    over_achievement=OverAchievement(action=OverAchievementAction.deduct)
)
BANDS_80_50_0 = ScoringPolicy(
    qualitative_bands=QualitativeBands(
        achieved=QualitativeBand(low=Decimal("0.8"), high=Decimal(1)),
        partly=QualitativeBand(low=Decimal("0.5"), high=Decimal("0.8")),
        missed=QualitativeBand(low=Decimal(0), high=Decimal("0.5")),
    )
)


def indicator(
    target: str,
    actual: str,
    weight: str = "10",
    declared: str | None = None,
    nature: str | None = None,
) -> Indicator:
    return Indicator(
        level1="产出指标",
        level2="数量指标",
        name="测试指标",
        target=target,
        actual=actual,
        weight=Decimal(weight),
        score=None if declared is None else Decimal(declared),
        nature=nature,
    )


@pytest.mark.parametrize(
    ("budget", "executed", "weight", "rate", "score"),
    [
        pytest.param("86870000", "17461600", "10", "20.10", "2.01", id="seed-form-1-20.10%"),
        pytest.param("950500", "950500", "10", "100.00", "10.00", id="fully-executed"),
        pytest.param("1000", "1200", "10", "120.00", "10.00", id="capped-at-100%"),
        pytest.param("1000", "0", "10", "0.00", "0.00", id="nothing-executed"),
        pytest.param("0", "0", "10", None, "0", id="budget-0"),
        pytest.param("0", "500", "10", None, "0", id="budget-0-money-spent"),
        pytest.param("1000", "500", "20", "50.00", "10.00", id="own-weight-20"),
        # 0.2125 × 10 = 2.125: half-up gives 2.13 where banker's rounding would give 2.12.
        pytest.param("8000", "1700", "10", "21.25", "2.13", id="half-up"),
    ],
)
def test_execution_score(
    budget: str, executed: str, weight: str, rate: str | None, score: str
) -> None:
    result = score_execution(Decimal(budget), Decimal(executed), Decimal(weight))
    assert result.rate == (None if rate is None else Decimal(rate))
    assert result.score == Decimal(score)
    assert str(result.score) == str(Decimal(score))  # two places, as printed on a form


QUANTITATIVE_RULES = [
    # 正向: weight × min(B/A, 1)
    pytest.param("≥95%", "≥95%", "10", NATIONAL, "10.00", Rule.positive, id="ge-met"),
    pytest.param("≥95%", "90%", "10", NATIONAL, "9.47", Rule.positive, id="ge-short"),
    pytest.param(">100人", "80人", "10", NATIONAL, "8.00", Rule.positive, id="gt-short"),
    pytest.param("100", "50", "10", NATIONAL, "5.00", Rule.positive, id="no-operator-short"),
    pytest.param("≥95%", "≥99%", "10", NATIONAL, "10.00", Rule.positive, id="ge-exceeded-capped"),
    pytest.param("≥0", "5", "10", NATIONAL, "10.00", Rule.positive, id="ge-zero-target"),
    # 反向: weight × min(A/B, 1); B = 0 earns full marks
    pytest.param("≤11476人", "≤11342人", "10", NATIONAL, "10.00", Rule.reverse, id="le-met"),
    pytest.param("<3小时", "<2小时", "5", NATIONAL, "5.00", Rule.reverse, id="lt-met"),
    pytest.param("≤100", "100", "10", NATIONAL, "10.00", Rule.reverse, id="le-on-target"),
    pytest.param("≤100", "0", "10", NATIONAL, "10.00", Rule.reverse, id="le-actual-zero"),
    # 反向 breached, under each policy
    pytest.param(
        "≤324869人",
        "≤346947人",
        "10",
        NATIONAL,
        "9.36",
        Rule.reverse_breached,
        id="seed-3-national",
    ),
    pytest.param(
        "≤324869人", "≤346947人", "10", LINEAR, "9.32", Rule.reverse_breached, id="seed-3-linear"
    ),
    pytest.param(
        "≤324869人",
        "≤346947人",
        "10",
        ZERO_ON_BREACH,
        "0.00",
        Rule.reverse_breached,
        id="seed-3-zero",
    ),
    pytest.param("≤100", "150", "10", NATIONAL, "6.67", Rule.reverse_breached, id="150%-national"),
    pytest.param("≤100", "150", "10", LINEAR, "5.00", Rule.reverse_breached, id="150%-linear"),
    pytest.param("≤100", "200", "10", LINEAR, "0.00", Rule.reverse_breached, id="200%-linear"),
    pytest.param("≤100", "300", "10", LINEAR, "0.00", Rule.reverse_breached, id="300%-linear"),
    pytest.param("<100", "125", "10", NATIONAL, "8.00", Rule.reverse_breached, id="lt-national"),
    pytest.param("≤0", "5", "10", LINEAR, "0.00", Rule.reverse_breached, id="le-zero-linear"),
    pytest.param("≤0", "5", "10", NATIONAL, "0.00", Rule.reverse_breached, id="le-zero-national"),
    pytest.param("≤100", "125", "10", LINEAR, "7.50", Rule.reverse_breached, id="125%-linear"),
    pytest.param(
        "≤100", "101", "10", ZERO_ON_BREACH, "0.00", Rule.reverse_breached, id="101%-zero"
    ),
    # equality: full marks when met, otherwise 正向
    pytest.param("=100%", "=100%", "10", NATIONAL, "10.00", Rule.equal_met, id="eq-met"),
    pytest.param("=11套", "=11套", "10", NATIONAL, "10.00", Rule.equal_met, id="eq-met-count"),
    pytest.param(
        "=0.2元/人*月", "=0.2元/人*月", "5", NATIONAL, "5.00", Rule.equal_met, id="eq-compound-unit"
    ),
    pytest.param("=100%", "=90%", "10", NATIONAL, "9.00", Rule.positive, id="eq-not-met"),
    # over-achievement: the seed's 待遇领取人数, 346947 vs ≥260572 (133%)
    pytest.param(
        "≥260572人", "≥346947人", "5", DEDUCT_HALF, "2.50", Rule.over_achieved, id="over-deduct"
    ),
    pytest.param(
        "≥260572人",
        "≥346947人",
        "5",
        DEDUCT_FIFTH,
        "4.00",
        Rule.over_achieved,
        id="over-deduct-0.2",
    ),
    pytest.param(
        "≥260572人", "≥346947人", "5", EXPLAIN, "5.00", Rule.over_achieved, id="over-explain"
    ),
    pytest.param(
        "≥260572人", "≥346947人", "5", THRESHOLD_ONLY, "5.00", Rule.positive, id="over-action-none"
    ),
    pytest.param(
        "≥260572人", "≥346947人", "5", NATIONAL, "5.00", Rule.positive, id="over-no-threshold"
    ),
    pytest.param(
        "≥260572人",
        "≥346947人",
        "5",
        DEDUCT_WITHOUT_THRESHOLD,
        "5.00",
        Rule.positive,
        id="over-deduct-without-threshold",
    ),
    pytest.param("≥100", "130", "5", DEDUCT_HALF, "2.50", Rule.over_achieved, id="over-at-130%"),
    pytest.param("≥100", "129.99", "5", DEDUCT_HALF, "5.00", Rule.positive, id="over-below-130%"),
    pytest.param("≥100", "120", "5", EXPLAIN, "5.00", Rule.positive, id="explain-below-130%"),
    pytest.param("≥100", "90", "5", DEDUCT_HALF, "4.50", Rule.positive, id="deduct-policy-short"),
    pytest.param("≥0", "0", "5", DEDUCT_HALF, "5.00", Rule.positive, id="zero-target-no-over"),
    pytest.param(
        "≥72763人", "≥81167人", "10", DEDUCT_HALF, "10.00", Rule.positive, id="seed-5-112%"
    ),
    pytest.param("=100", "=140", "10", DEDUCT_HALF, "5.00", Rule.over_achieved, id="over-eq"),
    # measure units converted before comparing
    pytest.param("≤30万元", "≤300000元", "10", NATIONAL, "10.00", Rule.reverse, id="wan-yuan-met"),
    pytest.param(
        "≤30万元", "≤350000元", "10", NATIONAL, "8.57", Rule.reverse_breached, id="wan-yuan-over"
    ),
    pytest.param("≥95%", "≥95百分比", "10", NATIONAL, "10.00", Rule.positive, id="percent-word"),
    pytest.param(
        "≥95%", "90百分比", "10", NATIONAL, "9.47", Rule.positive, id="percent-word-short"
    ),
    pytest.param("≥1万人", "8000人", "10", NATIONAL, "8.00", Rule.positive, id="wan-ren"),
    pytest.param("≤3小时", "≤120分钟", "10", NATIONAL, "10.00", Rule.reverse, id="hours-minutes"),
    pytest.param("≥5‰", "0.4%", "10", NATIONAL, "8.00", Rule.positive, id="permille-percent"),
    # half-up to 2 places
    pytest.param("≥8", "3.4", "5", NATIONAL, "2.13", Rule.positive, id="half-up-2.125"),
    pytest.param("≥200", "1", "1", NATIONAL, "0.01", Rule.positive, id="half-up-0.005"),
    pytest.param("≥3", "1", "10", NATIONAL, "3.33", Rule.positive, id="third"),
    pytest.param("≥3", "2", "10", NATIONAL, "6.67", Rule.positive, id="two-thirds"),
]


@pytest.mark.parametrize(
    ("target", "actual", "weight", "policy", "expected", "rule"), QUANTITATIVE_RULES
)
def test_quantitative_rule(
    target: str, actual: str, weight: str, policy: ScoringPolicy, expected: str, rule: Rule
) -> None:
    result = score_indicator(indicator(target, actual, weight), policy)
    assert (result.kind, result.rule) == (Kind.quantitative, rule)
    assert result.score == result.low == result.high == Decimal(expected)
    assert str(result.score) == expected


@pytest.mark.parametrize(
    ("value", "half_up", "bankers"),
    [
        ("2.125", "2.13", "2.12"),
        ("0.005", "0.01", "0.00"),
        ("92.005", "92.01", "92.00"),
        ("9.3636", "9.36", "9.36"),
        ("6.6666", "6.67", "6.67"),
    ],
)
def test_round2_is_half_up(value: str, half_up: str, bankers: str) -> None:
    assert round2(Decimal(value)) == Decimal(half_up)
    # The expected banker's result shows which rows tell the two roundings apart.
    assert Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN) == Decimal(bankers)


def test_the_seed_breached_reverse_would_give_9_36_nationally() -> None:
    """The seed's form 3 gives 0 where the national formula A/B × w gives 9.36."""
    breached = indicator("≤324869人", "≤346947人")
    assert score_indicator(breached, NATIONAL).score == Decimal("9.36")
    assert score_indicator(breached, ZERO_ON_BREACH).score == Decimal(0)


QUALITATIVE_RULES = [
    # 实际完成值 names a band: the declared score is kept inside it; none declared → top
    pytest.param(
        "有效保障", "达成年度指标", None, NATIONAL, "10", "8", "10", "achieved", id="achieved"
    ),
    pytest.param(
        "有效保障", "达成年度指标", "9", NATIONAL, "9", "8", "10", "achieved", id="in-band"
    ),
    pytest.param("有效保障", "达成年度指标", "7", NATIONAL, "8", "8", "10", "achieved", id="below"),
    pytest.param(
        "有效保障",
        "部分达成年度指标并具有一定效果",
        None,
        NATIONAL,
        "8",
        "6",
        "8",
        "partly",
        id="partly",
    ),
    pytest.param(
        "有效保障",
        "部分达成年度指标并具有一定效果",
        "9",
        NATIONAL,
        "8",
        "6",
        "8",
        "partly",
        id="above",
    ),
    pytest.param(
        "有效保障",
        "部分达成年度指标并具有一定效果",
        "6.5",
        NATIONAL,
        "6.5",
        "6",
        "8",
        "partly",
        id="p-in",
    ),
    pytest.param(
        "有效保障", "未达成年度指标且效果较差", None, NATIONAL, "6", "0", "6", "missed", id="missed"
    ),
    pytest.param(
        "有效保障",
        "未达成年度指标且效果较差",
        "3",
        NATIONAL,
        "3",
        "0",
        "6",
        "missed",
        id="missed-3",
    ),
    pytest.param(
        "有效保障",
        "部分达成年度指标",
        "5.5",
        BANDS_80_50_0,
        "5.5",
        "5",
        "8",
        "partly",
        id="80-50-0",
    ),
    pytest.param(
        "有效保障",
        "未达成年度指标且效果较差",
        None,
        BANDS_80_50_0,
        "5",
        "0",
        "5",
        "missed",
        id="80-50-0-missed",
    ),
    pytest.param(
        "有效保障",
        "达成年度指标",
        "3",
        BANDS_80_50_0,
        "8",
        "8",
        "10",
        "achieved",
        id="80-50-0-below",
    ),
    pytest.param(
        "全年缴费金额*10%*1/3",
        "达成年度指标",
        "10",
        NATIONAL,
        "10",
        "8",
        "10",
        "achieved",
        id="formula",
    ),
]


@pytest.mark.parametrize(
    ("target", "actual", "declared", "policy", "expected", "low", "high", "band"),
    QUALITATIVE_RULES,
)
def test_qualitative_band(
    target: str,
    actual: str,
    declared: str | None,
    policy: ScoringPolicy,
    expected: str,
    low: str,
    high: str,
    band: str,
) -> None:
    result = score_indicator(indicator(target, actual, declared=declared), policy)
    assert (result.kind, result.rule, result.band) == (Kind.qualitative, Rule.band, band)
    assert (result.score, result.low, result.high) == (
        Decimal(expected),
        Decimal(low),
        Decimal(high),
    )


@pytest.mark.parametrize(
    ("target", "actual", "declared", "nature", "expected"),
    [
        pytest.param("足额发放", "已足额发放", "7", None, "7", id="declared-stands"),
        pytest.param("足额发放", "已足额发放", None, None, "10", id="none-declared"),
        pytest.param("足额发放", "已足额发放", "12", None, "10", id="capped-at-weight"),
        pytest.param("≥95%", "90%", None, "定性", "10", id="marked-qualitative"),
    ],
)
def test_qualitative_without_band(
    target: str, actual: str, declared: str | None, nature: str | None, expected: str
) -> None:
    result = score_indicator(indicator(target, actual, declared=declared, nature=nature), NATIONAL)
    assert (result.kind, result.rule) == (Kind.qualitative, Rule.unbanded)
    assert (result.score, result.low, result.high) == (Decimal(expected), 0, 10)


# Every divisor of the rules at 0 or below 0: a score or a stated problem, never an exception.
# (target, actual, declared, policy, score, rule, the problem is stated)
DIVISORS_AT_OR_BELOW_ZERO = [
    # 反向 target below 0, exceeded: no proportion A/B; the declared score stands (at most 分值)
    pytest.param("≤-5%", "0%", None, NATIONAL, "0", Rule.reverse_breached, True, id="le-neg-b0"),
    pytest.param("≤-5%", "0%", None, LINEAR, "0", Rule.reverse_breached, True, id="linear-b0"),
    pytest.param("≤-5%", "0", None, ZERO_ON_BREACH, "0", Rule.reverse_breached, True, id="zero"),
    pytest.param("<-5%", "-3%", "4", NATIONAL, "4", Rule.reverse_breached, True, id="between"),
    pytest.param("≤-5%", "3%", "12", NATIONAL, "10", Rule.reverse_breached, True, id="above-0"),
    pytest.param("≤-5万元", "0元", "6", NATIONAL, "6", Rule.reverse_breached, True, id="scaled"),
    # 反向 target below 0 or at 0, met; at 0 exceeded, where A/B = 0 is a proportion
    pytest.param("≤-5%", "-10%", None, NATIONAL, "10.00", Rule.reverse, False, id="le-neg-met"),
    pytest.param("≤0", "0", None, NATIONAL, "10.00", Rule.reverse, False, id="le-0-met"),
    pytest.param("≤0起", "2起", None, NATIONAL, "0.00", Rule.reverse_breached, False, id="le0-b2"),
    pytest.param("≤0起", "2起", None, LINEAR, "0.00", Rule.reverse_breached, False, id="lin-0"),
    # 正向 target at or below 0, or an actual below 0: B/A never negative points
    pytest.param("≥0", "-1", None, NATIONAL, "0.00", Rule.positive, False, id="ge-0-b-neg"),
    pytest.param("≥-5%", "-3%", None, NATIONAL, "10.00", Rule.positive, False, id="ge-neg-met"),
    pytest.param("≥5%", "-3%", None, NATIONAL, "0.00", Rule.positive, False, id="ge-b-negative"),
    pytest.param("=0", "0", None, NATIONAL, "10.00", Rule.equal_met, False, id="eq-0"),
]


@pytest.mark.parametrize(
    ("target", "actual", "declared", "policy", "expected", "rule", "problem"),
    DIVISORS_AT_OR_BELOW_ZERO,
)
def test_divisors_at_or_below_zero(
    target: str,
    actual: str,
    declared: str | None,
    policy: ScoringPolicy,
    expected: str,
    rule: Rule,
    problem: bool,
) -> None:
    result = score_indicator(indicator(target, actual, declared=declared), policy)
    assert (result.rule, result.score, bool(result.problem)) == (rule, Decimal(expected), problem)
    assert ZERO <= result.low <= result.score <= result.high <= Decimal(10)


def test_a_breached_reverse_target_below_zero_is_a_located_warning(tmp_path: Path) -> None:
    data = minimal_project()
    data["indicators"][2] |= {"target": "≤-5%", "actual": "0%", "score": 8}
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    path = write_project(content, data)
    result = check_content(content)
    found = [f for f in result.all_findings() if f.finding.code == "reverse-target-below-zero"]
    assert [f"{f.file.as_posix()}:{f.line}:{f.column}" for f in found] == [
        position_of(path, "≤-5%")
    ]
    assert result.projects[0].score is not None
    assert result.projects[0].score.indicators[2].score == Decimal(8)


@pytest.mark.parametrize(
    ("target", "actual", "declared", "expected"),
    [
        pytest.param("≥100人", "100元", "7", "7", id="declared-stands"),
        pytest.param("≥100人", "100元", None, "10", id="none-declared"),
        pytest.param("≤3小时", "≤3人", "4", "4", id="time-vs-people"),
    ],
)
def test_measure_units_that_cannot_be_compared(
    target: str, actual: str, declared: str | None, expected: str
) -> None:
    result = score_indicator(indicator(target, actual, declared=declared), NATIONAL)
    assert result.rule is Rule.measure_units_differ
    assert result.score == Decimal(expected)
    assert result.problem


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("/", "/"),
        ("—", "—"),
        ("不适用", "—"),
        ("≥95%", "/"),
        ("／", "≥95%"),
        ("——", "达成年度指标"),
    ],
)
def test_not_applicable_rows_score_nothing(target: str, actual: str) -> None:
    result = score_indicator(indicator(target, actual, declared="10"), NATIONAL)
    assert (result.kind, result.rule) == (Kind.not_applicable, Rule.not_applicable)
    assert result.score == result.low == result.high == 0


@pytest.mark.parametrize(
    ("target", "actual", "cell"),
    [("≥≤5", "≥95%", "target"), ("≥95%", ">=约五成", "actual")],
)
def test_unreadable_cell_keeps_declared_score_and_names_the_cell(
    target: str, actual: str, cell: str
) -> None:
    result = score_indicator(indicator(target, actual, declared="7"), NATIONAL)
    assert result.rule is Rule.unreadable
    assert result.score == Decimal(7)
    assert result.problem_field == cell


SEED_GRADES = ScoringPolicy(
    grades=(
        Grade(min=Decimal(90), label="优秀"),
        Grade(min=Decimal(80), label="良好"),
        Grade(min=Decimal(60), label="合格"),
        Grade(min=Decimal(0), label="不合格"),
    )
)


@pytest.mark.parametrize(
    ("total", "national", "seed"),
    [
        ("100", "优", "优秀"),
        ("90", "优", "优秀"),
        ("89.99", "良", "良好"),
        ("80", "良", "良好"),
        ("79.99", "中", "合格"),
        ("60", "中", "合格"),
        ("59.99", "差", "不合格"),
        ("0", "差", "不合格"),
    ],
)
def test_grade_from_cut_offs(total: str, national: str, seed: str) -> None:
    assert grade_for(Decimal(total), NATIONAL) == national
    assert grade_for(Decimal(total), SEED_GRADES) == seed


def project(**changes: object) -> Project:
    return Project.model_validate(minimal_project(**changes))


def test_project_total_is_execution_plus_indicators() -> None:
    half_spent = {"total": {"initial": 1000, "budget": 1000, "executed": 205}}
    result = score_project(project(funding=half_spent), NATIONAL)
    assert result.execution.score == Decimal("2.05")
    assert result.levels == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert result.total == Decimal("92.05")
    assert result.grade == "优"


def test_not_applicable_weight_is_left_out_unless_rescaled() -> None:
    data = minimal_project()
    data["indicators"][2].update(target="/", actual="/")
    plain_total = score_project(Project.model_validate(data), NATIONAL)
    assert plain_total.not_applicable_weight == 10
    assert plain_total.total == 90
    rescaled = score_project(
        Project.model_validate(data), ScoringPolicy(rescale_not_applicable=True)
    )
    assert rescaled.total == 100


def test_project_weights_override_the_policy() -> None:
    data = minimal_project(weights={"execution": 20, "levels": {"产出指标": 80}})
    data["indicators"] = [dict(data["indicators"][0], weight=80)]
    data["funding"] = {"total": {"initial": 100, "budget": 100, "executed": 50}}
    result = score_project(Project.model_validate(data), NATIONAL)
    assert result.execution.score == 10
    assert result.level_weights == {"产出指标": 80}
    assert result.total == 90


def test_declared_parts_add_up_the_forms_own_scores() -> None:
    data = minimal_project(declared={"execution_score": 10})
    for row, declared in zip(data["indicators"], [45, 30, 10], strict=True):
        row["score"] = declared
    assert score_project(Project.model_validate(data), NATIONAL).declared_parts == 95
    data["indicators"][0].pop("score")
    assert score_project(Project.model_validate(data), NATIONAL).declared_parts is None


# ---------------------------------------------------------------------------------------------
# The tables of variants: every setting has its formula, and each formula is pure.


def test_every_setting_has_its_formula() -> None:
    assert set(BREACHED_REVERSE) == set(BreachedReversePolicy)
    assert set(OVER_ACHIEVEMENT) == set(OverAchievementAction)


@pytest.mark.parametrize(
    ("policy", "target", "actual", "expected"),
    [
        (BreachedReversePolicy.national, "100", "150", "6.666666666666666666666666667"),
        (BreachedReversePolicy.linear, "100", "150", "5.0"),
        (BreachedReversePolicy.linear, "100", "250", "0"),
        (BreachedReversePolicy.linear, "0", "5", "0"),
        (BreachedReversePolicy.zero, "100", "150", "0"),
    ],
)
def test_breached_reverse_formulas_are_exact(
    policy: BreachedReversePolicy, target: str, actual: str, expected: str
) -> None:
    points = BREACHED_REVERSE[policy](Decimal(10), Decimal(target), Decimal(actual))
    assert points == Decimal(expected)


@pytest.mark.parametrize(
    ("action", "deduct", "expected"),
    [
        (OverAchievementAction.none, "0.5", None),
        (OverAchievementAction.explain, "0.5", "5"),
        (OverAchievementAction.deduct, "0.5", "2.5"),
        (OverAchievementAction.deduct, "0.2", "4.0"),
        (OverAchievementAction.deduct, "1", "0"),
    ],
)
def test_over_achievement_formulas(
    action: OverAchievementAction, deduct: str, expected: str | None
) -> None:
    setting = OverAchievement(threshold=Decimal("1.3"), action=action, deduct=Decimal(deduct))
    points = OVER_ACHIEVEMENT[action](Decimal(5), setting)
    assert points == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    ("actual", "band"),
    [
        ("达成年度指标", "achieved"),
        ("基本达成年度指标", "achieved"),
        ("部分达成年度指标并具有一定效果", "partly"),
        ("未达成年度指标且效果较差", "missed"),
        ("已足额发放", None),
    ],
)
def test_band_named_by_the_actual_text(actual: str, band: str | None) -> None:
    assert band_named(actual) == band


@pytest.mark.parametrize(
    ("total", "full", "not_applicable", "expected"),
    [("90", "100", "10", "100"), ("45", "100", "50", "90"), ("60", "100", "25", "80")],
)
def test_rescaled_total(total: str, full: str, not_applicable: str, expected: str) -> None:
    result = rescaled_total(Decimal(total), Decimal(full), Decimal(not_applicable))
    assert result == Decimal(expected)


def test_the_seed_policy_reproduces_the_bundled_totals() -> None:
    """六盘水's 2023 policy (threshold 1.3, deduct 0.5, breached 反向 zero), as in site.yaml."""
    from builder.rules.check import check_content

    result = check_content(Path(__file__).resolve().parent.parent / "content")
    totals = sorted(str(c.score.total) for c in result.projects if c.score is not None)
    assert totals == sorted(["92.01", "97.50", "90.00", "100.00", "100.00", "100.00"])


@pytest.mark.parametrize(
    ("target", "actual", "expected", "cell", "reading"),
    [
        ("≤0起", "无", "10", "actual", "0起"),
        ("≤0起", "零", "10", "actual", "0起"),
        ("≤0起", "〇", "10", "actual", "0起"),
        ("≤0起", "没有", "10", "actual", "0起"),
        ("＜1起", "未发生", "10", "actual", "0起"),
        ("≤0次", "0次", "10", "", ""),
        ("≤０起", "０起", "10", "", ""),
        ("≥5人", "无", "0", "actual", "0人"),
        ("无", "0起", "10", "target", "0起"),
        ("无", "无", "10", "actual", "0"),
    ],
)
def test_a_word_for_none_in_a_count_is_zero(
    target: str, actual: str, expected: str, cell: str, reading: str
) -> None:
    result = score_indicator(indicator(target, actual, declared="10"), NATIONAL)
    assert result.kind is Kind.quantitative
    assert result.score == Decimal(expected)
    assert (result.word_cell, result.word_reading) == (cell, reading)


@pytest.mark.parametrize(("target", "actual"), [("有效提升", "无"), ("无", "达成年度指标")])
def test_a_word_for_none_against_words_does_not_apply_and_says_so(target: str, actual: str) -> None:
    result = score_indicator(indicator(target, actual, declared="10"), NATIONAL)
    assert result.rule is Rule.not_applicable
    assert result.word_reading == "不适用"


def _checked_row(tmp_path: Path, target: str, actual: str) -> tuple[Path, list[LocatedFinding]]:
    data = minimal_project()
    data["indicators"][2] |= {"target": target, "actual": actual, "score": 10}
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    path = write_project(content, data)
    return path, check_content(content).all_findings()


def test_wu_in_a_count_keeps_the_grade_and_a_note_says_how_it_was_read(tmp_path: Path) -> None:
    path, found = _checked_row(tmp_path, "≤0起", "无")
    assert {f.finding.code for f in found} == {"word-read-as-zero"}
    (note,) = found
    assert note.finding.severity is Severity.note
    assert note.finding.field == "indicators[2].actual"
    assert f"{note.file.as_posix()}:{note.line}:{note.column}" == position_of(path, "无")
    assert "read as 0起" in note.finding.message


def test_wu_against_words_is_a_located_warning_not_a_silent_zero(tmp_path: Path) -> None:
    path, found = _checked_row(tmp_path, "有效提升", "无")
    codes = [f.finding.code for f in found]
    assert "word-read-as-not-applicable" in codes
    warning = found[codes.index("word-read-as-not-applicable")]
    assert warning.finding.severity is Severity.warning
    assert f"{warning.file.as_posix()}:{warning.line}:{warning.column}" == position_of(path, "无")


# The reported form: a count of accidents written 无 against ≤0起 lowered the grade to 合格.
WU_CASE = """\
id: demo-project
year: 2023
name: 示例社区养老服务补助
department: {name: 示例市民政局, code: "601"}
unit: 示例市养老服务中心
filled_on: 2023-12-20
contact: 王某
funding:
  total:    {initial: 500000, budget: 500000, executed: 480000}
  fiscal:   {initial: 500000, budget: 500000, executed: 480000}
  local:    {initial: 500000, budget: 500000, executed: 480000}
  superior: {initial: 0, budget: 0, executed: 0}
  other:    {initial: 0, budget: 0, executed: 0}
goals:
  planned: 为辖区老年人提供社区养老服务。
  achieved: 已为辖区老年人提供社区养老服务。
weights:
  execution: 10
  levels: {产出指标: 50, 效益指标: 30, 满意度指标: 10}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 服务人数, target: ≥1000人, actual: ≥1000人, weight: 20, score: 20}
  - {level1: 产出指标, level2: 质量指标, name: 安全事故, target: ≤0起, actual: 无, weight: 20, score: 20}
  - {level1: 产出指标, level2: 时效指标, name: 按时完成, target: 年底前完成, actual: 达成年度指标, weight: 10, score: 10}
  - {level1: 效益指标, level2: 社会效益指标, name: 老年人生活质量, target: 有效提升, actual: 达成年度指标, weight: 30, score: 30}
  - {level1: 满意度指标, level2: 满意度指标, name: 服务对象满意度, target: ≥90%, actual: 95%, weight: 10, score: 10}
declared:
  execution_rate: 96.00
  execution_score: 9.6
  total_weight: 100
  total: 99.6
  conclusion: 单位绩效自评分数99.6分,自评等次为优秀。
"""


def test_the_wu_means_zero_case_scores_as_declared(tiny_content: Path) -> None:
    write_project(tiny_content, WU_CASE, unit="demo-unit")
    result = check_content(tiny_content)
    (checked,) = result.projects
    assert checked.score is not None
    assert (checked.score.total, checked.score.grade) == (Decimal("99.60"), "优秀")
    assert result.count(Severity.warning) == 0


# --- value spellings real forms use (issue 12): each one a row --------------------------------

SPELLING_RULES = [
    # comparisons in words (values.py; 以上/以下/以内 include the number, 《民法典》第一千二百五十九条)
    pytest.param("不低于95%", "90%", "10", NATIONAL, "9.47", Rule.positive, id="buddiyu"),
    pytest.param("不少于1000人", "900人", "10", NATIONAL, "9.00", Rule.positive, id="bushaoyu"),
    pytest.param("大于等于95%", "95%", "10", NATIONAL, "10.00", Rule.positive, id="dayudengyu"),
    pytest.param("达到100%", "90%", "10", NATIONAL, "9.00", Rule.positive, id="dadao-short"),
    pytest.param("达到100%", "100%", "10", NATIONAL, "10.00", Rule.positive, id="dadao-met"),
    pytest.param("95%以上", "98%", "10", NATIONAL, "10.00", Rule.positive, id="yishang"),
    pytest.param("95%以上", "95%", "10", NATIONAL, "10.00", Rule.positive, id="yishang-equal"),
    pytest.param("95%及以上", "90%", "10", NATIONAL, "9.47", Rule.positive, id="ji-yishang"),
    pytest.param("不高于5%", "4%", "10", NATIONAL, "10.00", Rule.reverse, id="bugaoyu"),
    pytest.param(
        "不超过30万元", "35万元", "10", NATIONAL, "8.57", Rule.reverse_breached, id="buchaoguo"
    ),
    pytest.param("100%以下", "100%", "10", NATIONAL, "10.00", Rule.reverse, id="yixia-equal"),
    pytest.param(
        "5%以下", "6%", "10", ZERO_ON_BREACH, "0.00", Rule.reverse_breached, id="yixia-breached"
    ),
    pytest.param("30万元以内", "300000元", "10", NATIONAL, "10.00", Rule.reverse, id="yinei"),
    pytest.param("30天内", "25天", "10", NATIONAL, "10.00", Rule.reverse, id="tian-nei"),
    pytest.param("3个工作日内", "2个工作日", "10", NATIONAL, "10.00", Rule.reverse, id="gzr-nei"),
    pytest.param(
        "≤3个工作日", "4个工作日", "10", NATIONAL, "7.50", Rule.reverse_breached, id="le-gzr"
    ),
    pytest.param("不满5起", "4起", "10", NATIONAL, "10.00", Rule.reverse, id="buman"),
    pytest.param("高于90%", "81%", "10", NATIONAL, "9.00", Rule.positive, id="gaoyu"),
    # signs of the real forms, full-width forms and 百分比
    pytest.param("≧735人次", "735人次", "10", NATIONAL, "10.00", Rule.positive, id="yunnan-ge"),
    pytest.param("═100%", "98%", "10", NATIONAL, "9.80", Rule.positive, id="yunnan-eq-98"),
    pytest.param("═100%", "100%", "10", NATIONAL, "10.00", Rule.equal_met, id="yunnan-eq-met"),
    pytest.param("≦5", "4", "10", NATIONAL, "10.00", Rule.reverse, id="le-jis"),
    pytest.param("＞＝９５％", "９０％", "10", NATIONAL, "9.47", Rule.positive, id="full-width"),
    pytest.param("≥100百分比", "100%", "10", NATIONAL, "10.00", Rule.positive, id="baifenbi-ge"),
    pytest.param("100百分比", "98百分比", "10", NATIONAL, "9.80", Rule.positive, id="baifenbi"),
    pytest.param(">=95%", "95%", "10", NATIONAL, "10.00", Rule.positive, id="ascii-ge"),
    # a count of none: 0 with no sign or with = is 反向 (none meant); ≥0 is met by any count
    pytest.param("0起", "0起", "10", NATIONAL, "10.00", Rule.reverse, id="zero-met"),
    pytest.param("0起", "2起", "10", NATIONAL, "0.00", Rule.reverse_breached, id="zero-breached"),
    pytest.param("0起", "2起", "10", LINEAR, "0.00", Rule.reverse_breached, id="zero-linear"),
    pytest.param("=0", "3", "10", NATIONAL, "0.00", Rule.reverse_breached, id="eq-zero-breached"),
    pytest.param("=0", "0", "10", NATIONAL, "10.00", Rule.equal_met, id="eq-zero-met"),
    pytest.param("0%", "0%", "10", NATIONAL, "10.00", Rule.reverse, id="zero-percent"),
    pytest.param("≥0", "3", "10", NATIONAL, "10.00", Rule.positive, id="ge-zero-any-count"),
]


@pytest.mark.parametrize(
    ("target", "actual", "weight", "policy", "expected", "rule"), SPELLING_RULES
)
def test_each_spelling_scores_by_its_rule(
    target: str, actual: str, weight: str, policy: ScoringPolicy, expected: str, rule: Rule
) -> None:
    result = score_indicator(indicator(target, actual, weight), policy)
    assert (result.kind, result.rule) == (Kind.quantitative, rule)
    assert result.score == result.low == result.high == Decimal(expected)


@pytest.mark.parametrize(
    ("target", "actual", "expected", "reading"),
    [
        # 无 and 0 are read alike on either side: 0 against 0 met, a count against none breached
        ("无", "1起", "0", "0起"),
        ("0起", "无", "10", "0起"),
        ("无", "0起", "10", "0起"),
        ("≤0起", "无", "10", "0起"),
        ("无", "无", "10", "0"),
    ],
)
def test_wu_and_zero_in_a_count_score_alike(
    target: str, actual: str, expected: str, reading: str
) -> None:
    written = score_indicator(indicator(target, actual, declared="10"), NATIONAL)
    zero = score_indicator(
        indicator(target.replace("无", reading), actual.replace("无", reading)), NATIONAL
    )
    assert written.word_reading == reading
    assert written.score == zero.score == Decimal(expected)
    assert written.rule == zero.rule


DATE_ROWS = [
    # (target, actual, declared, rule, score, low, high)
    ("2021年12月完成", "2021年12月", "10", Rule.deadline_met, "10", "10", "10"),
    ("2021年12月完成", "2021年12月", "7", Rule.deadline_met, "10", "10", "10"),
    ("12月底前", "12月20日", None, Rule.deadline_met, "10", "10", "10"),
    ("12月底之前完成", "11月", "10", Rule.deadline_met, "10", "10", "10"),
    ("2023年12月31日前", "2023年12月31日", "10", Rule.deadline_met, "10", "10", "10"),
    ("8:30", "8:20", "10", Rule.deadline_met, "10", "10", "10"),
    ("2023年12月31日前", "2024年1月5日", "6", Rule.deadline_missed, "6", "0", "10"),
    ("2023年12月31日前", "2024年1月5日", None, Rule.deadline_missed, "0", "0", "10"),
    ("8:30前", "9:00", "10", Rule.deadline_missed, "10", "0", "10"),
    ("12月底前", "2024年1月5日", "8", Rule.deadline_unchecked, "8", "0", "10"),
    ("2023年12月15日前", "2023年12月", "9", Rule.deadline_unchecked, "9", "0", "10"),
    ("12月底前", "100%", None, Rule.deadline_unchecked, "10", "0", "10"),
]


@pytest.mark.parametrize(
    ("target", "actual", "declared", "rule", "score", "low", "high"), DATE_ROWS
)
def test_a_date_or_time_target(
    target: str,
    actual: str,
    declared: str | None,
    rule: Rule,
    score: str,
    low: str,
    high: str,
) -> None:
    result = score_indicator(indicator(target, actual, declared=declared), NATIONAL)
    assert (result.kind, result.rule) == (Kind.quantitative, rule)
    assert (result.score, result.low, result.high) == tuple(map(Decimal, (score, low, high)))


@pytest.mark.parametrize(
    ("target", "actual", "nature"),
    [
        ("2023年12月31日前", "按时完成", None),
        ("12月底前", "达成年度指标", None),
        ("2023年12月31日前", "2024年1月5日", "定性"),  # marked 定性: the evaluator judges
    ],
)
def test_a_date_target_against_words_is_judged_in_a_band(
    target: str, actual: str, nature: str | None
) -> None:
    result = score_indicator(indicator(target, actual, declared="10", nature=nature), NATIONAL)
    assert result.kind is Kind.qualitative


@pytest.mark.parametrize(
    ("target", "actual", "declared", "score"),
    [
        ("≥95%", "0.98", "9", "9"),
        ("≥95%", "1", "10", "10"),
        ("≥95%", "0.5", None, "10"),
        ("0.95", "98%", "10", "10"),
        ("≥95百分比", "0.98", "8", "8"),
    ],
)
def test_a_bare_fraction_against_a_percent_keeps_the_declared_score(
    target: str, actual: str, declared: str | None, score: str
) -> None:
    result = score_indicator(indicator(target, actual, declared=declared), NATIONAL)
    assert result.rule is Rule.fraction_or_percent
    assert (result.score, result.low, result.high) == (Decimal(score), ZERO, Decimal(10))


def test_a_bare_number_above_one_is_still_a_percent() -> None:
    result = score_indicator(indicator("≥95%", "98"), NATIONAL)
    assert (result.rule, result.score) == (Rule.positive, Decimal("10.00"))


@pytest.mark.parametrize(
    ("target", "actual", "code", "words"),
    [
        ("2023年12月31日前", "2024年1月5日", "deadline-missed", "does not meet"),
        ("12月底前", "2024年1月5日", "deadline-unchecked", "names a year"),
        ("12月底前", "100%", "deadline-unchecked", "is a date or a time"),
        ("≥95%", "0.98", "fraction-or-percent", "fraction"),
    ],
)
def test_rows_the_rules_do_not_score_are_located_warnings_in_both_languages(
    tmp_path: Path, target: str, actual: str, code: str, words: str
) -> None:
    from builder.rules.explain import explain

    path, found = _checked_row(tmp_path, target, actual)
    assert [f.finding.code for f in found] == [code]
    (warning,) = found
    assert warning.finding.severity is Severity.warning
    assert warning.finding.field == "indicators[2].actual"
    quoted = f"'{actual}'" in path.read_text(encoding="utf-8")  # YAML quotes 0.98 and 100%
    assert f"{warning.file.as_posix()}:{warning.line}:{warning.column}" == position_of(
        path, f"'{actual}'" if quoted else actual, line_with="actual"
    )
    assert (
        words in warning.finding.message and "declared score 10 is kept" in warning.finding.message
    )
    general, detail = explain(warning.finding)
    assert "保留申报得分" in general
    if code == "fraction-or-percent":  # the bare cell as written, and both its readings
        assert detail == (
            f"指标值“{target}”,实际完成值“{actual}”:{actual} 可能是 98%,也可能是 {actual}%,"
            "保留申报得分 10 分(满分 10)。"
        )
    else:
        assert detail == f"指标值“{target}”,实际完成值“{actual}”,保留申报得分 10 分(满分 10)。"


@pytest.mark.parametrize(
    ("target", "actual"),
    [("8:30", "8:20"), ("2021年12月完成", "2021年12月"), ("不低于95%", "98%"), ("95%以上", "95%")],
)
def test_met_spellings_give_no_finding(tmp_path: Path, target: str, actual: str) -> None:
    _, found = _checked_row(tmp_path, target, actual)
    assert found == []  # 8:30 was an error (value-unreadable) before it was read as a time


def test_a_date_target_met_but_scored_lower_is_reported(tmp_path: Path) -> None:
    data = minimal_project()
    data["indicators"][2] |= {"target": "2021年12月完成", "actual": "2021年12月", "score": 7}
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    write_project(content, data)
    found = check_content(content).all_findings()
    assert "score-below-rule" in [f.finding.code for f in found]
