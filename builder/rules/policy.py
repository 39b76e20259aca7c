"""The scoring policy: `scoring:` in `content/site.yaml`, one object with every rule's setting.

The defaults are the national rules (财预〔2020〕10号《项目支出绩效评价管理办法》 and the notes
(注) printed under the annual 自评表 template); a site's own `scoring:` declares where its
province or year differs. Each choice between formulas (an enum below) names a pure function in
the tables of `formulas.py`: a new local variant is one member here plus one function there (see
docs/scoring.md, "Adding a rule").

Words as on the form: 分值 is the points a row is worth (the key `weight` in the files, for
historical reasons), 得分 the points it scored; both are `Points`. 权重, where a local rule
says it, means the same 分值.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..form.chars import Visible

# Points (分): a 分值 or a 得分, an exact decimal from 0 to 1000 (a form's total is usually 100).
Points = Annotated[Decimal, Field(ge=0, le=1000)]
# A share from 0 to 1 (0.8 is 80 %), e.g. of a 分值.
Fraction = Annotated[Decimal, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OverAchievementAction(StrEnum):
    """What becomes of a 正向 indicator whose actual reaches `threshold` × its target."""

    # The formula of each: `formulas.OVER_ACHIEVEMENT`.
    none = "none"  # national: no such rule, scored as any 正向 indicator
    explain = "explain"  # full 分值, but 未完成原因分析 must explain it
    deduct = "deduct"  # 分值 × (1 − deduct)


class BreachedReversePolicy(StrEnum):
    """The 得分 of a 反向 (≤, <) indicator whose actual exceeds its target."""

    # The formula of each: `formulas.BREACHED_REVERSE`.
    national = "national"  # 财预〔2020〕10号: 分值 × A/B
    linear = "linear"  # a commercial system's: falls linearly to 0 at B = 2A
    zero = "zero"  # local rule of 六盘水 (the bundled 2023 forms): 0


class OverAchievement(_Strict):
    """What happens when the actual value far exceeds a 正向 target (the target was set too low)."""

    threshold: Decimal | None = Field(
        None,
        gt=1,
        title="超额阈值",
        description="Ratio actual/target from which a result counts as over-achieved, e.g. 1.3 "
        "(130%). Empty: no threshold, as in the national rules.",
    )
    action: OverAchievementAction = Field(
        OverAchievementAction.none,
        title="超额处理",
        description="`none`: full points; `explain`: full points, but 未完成原因分析 must explain "
        "it; `deduct`: the indicator loses `deduct` of its weight.",
    )
    deduct: Fraction = Field(
        Decimal("0.5"),
        title="扣减比例",
        description="Fraction of the weight taken off an over-achieved indicator when action is "
        "`deduct`.",
    )


class QualitativeBand(_Strict):
    """The range of points an evaluator may give a qualitative (定性) indicator."""

    low: Fraction = Field(description="Lowest share of the weight in this band.")
    high: Fraction = Field(description="Highest share of the weight in this band.")

    @model_validator(mode="after")
    def _ordered(self) -> QualitativeBand:
        if self.low > self.high:
            raise ValueError("low must not be above high")
        return self


class QualitativeBands(_Strict):
    """The band of each phrase 实际完成值 may use for a 定性 indicator, as shares of its 分值.

    财预〔2020〕10号 and the 自评表 注: 100–80 %, 80–60 %, 60–0 %; 湖北 (2020) used 100–80, 80–50,
    50–0.
    """

    achieved: QualitativeBand = Field(
        QualitativeBand(low=Decimal("0.8"), high=Decimal("1")),
        title="达成年度指标",
        description="Band for 达成年度指标 (fully or essentially achieved).",
    )
    partly: QualitativeBand = Field(
        QualitativeBand(low=Decimal("0.6"), high=Decimal("0.8")),
        title="部分达成年度指标并具有一定效果",
        description="Band for 部分达成年度指标并具有一定效果.",
    )
    missed: QualitativeBand = Field(
        QualitativeBand(low=Decimal("0"), high=Decimal("0.6")),
        title="未达成年度指标且效果较差",
        description="Band for 未达成年度指标且效果较差.",
    )


class Grade(_Strict):
    """One grade (等次) and the lowest total, in points, that earns it."""

    min: Points = Field(title="下限", description="Lowest total (inclusive) that earns this grade.")
    label: Visible = Field(
        min_length=1, title="等次", description="The grade as printed, e.g. 优秀."
    )


class DefaultWeights(_Strict):
    """The 分值 (points) of the execution row and of each 一级指标, where a form prints none.

    National defaults (财预〔2020〕10号): 预算执行率 10, 产出 50, 效益 30, 满意度 10.
    """

    execution: Points = Field(
        Decimal(10), title="预算执行率分值", description="Points for budget execution (预算执行率)."
    )
    levels: dict[Visible, Points] = Field(
        default_factory=lambda: {
            "产出指标": Decimal(50),
            "效益指标": Decimal(30),
            "满意度指标": Decimal(10),
        },
        title="一级指标分值",
        description="Points of each first-level indicator (一级指标). A project may declare its own.",
    )
    levels_total: Points | None = Field(
        None,
        title="一级指标分值合计(各项不固定)",
        description="Levels free, summing to this many points: each 一级指标 named in `levels` "
        "is worth what the 分值 of its rows add up to (or what the form prints in its own "
        "`weights.levels`), and together they must make this total (四川's 部门预算项目支出绩效"
        "自评表: 预算执行情况 10 + 绩效指标 90, the 一级指标 split as each form chooses). The "
        "figures of `levels` then only name the 一级指标 a form may use; a form whose rows add "
        "up to another total is scored as printed, with a warning (`weights-levels-total`). "
        "Empty: each 一级指标 is worth its figure in `levels`.",
    )

    @property
    def levels_free(self) -> bool:
        """True when the 一级指标 split `levels_total` freely (`levels_total` is given)."""
        return self.levels_total is not None


class ScoringPolicy(_Strict):
    """How forms are scored. The defaults are the national rules (财预〔2020〕10号)."""

    total: Points = Field(Decimal(100), title="总分", description="Full marks of a form.")
    weights: DefaultWeights = Field(default_factory=DefaultWeights, title="分值")
    grades: tuple[Grade, ...] = Field(
        (
            Grade(min=Decimal(90), label="优"),
            Grade(min=Decimal(80), label="良"),
            Grade(min=Decimal(60), label="中"),
            Grade(min=Decimal(0), label="差"),
        ),
        title="等次",
        description="Grade cut-offs, highest first: a total earns the first grade whose `min` "
        "it reaches.",
    )
    qualitative_bands: QualitativeBands = Field(
        default_factory=QualitativeBands,
        title="定性指标评分档次",
        description="Bands of the weight for qualitative indicators, by what 实际完成值 says.",
    )
    over_achievement: OverAchievement = Field(
        default_factory=OverAchievement, title="超额完成", description=OverAchievement.__doc__
    )
    breached_reverse: BreachedReversePolicy = Field(
        BreachedReversePolicy.national,
        title="反向指标未达标",
        description="Score of a 反向 (≤, <) indicator whose actual exceeds its target: "
        "`national` target/actual × weight; `linear` falls to 0 at twice the target; `zero` gives 0.",
    )
    rescale_not_applicable: bool = Field(
        False,
        title="不适用指标折算",
        description="When indicators are marked not applicable (/ or —), scale the total so the "
        "remaining points count out of the full marks.",
    )
    dash_target_in_words: bool = Field(
        False,
        title="指标值为—时按文字评判",
        description="A row whose 年度指标值 is a dash (— or /: no numeric target) and whose "
        "实际完成值 is words is judged in the band the words name, as 银川's 市本级 rubric does; "
        "false (national): such a row is not applicable.",
    )
    execution_reason_below: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        title="执行率说明阈值",
        description="执行率 in percent (60 means 60 %) below which the form must give a reason "
        "(funding.reason). Empty: no such rule.",
    )

    @model_validator(mode="after")
    def _grades_descending(self) -> ScoringPolicy:
        _check_grades(self.grades)
        return self


def _check_grades(grades: tuple[Grade, ...]) -> None:
    """Raises ValueError unless the cut-offs are listed highest first and the last is 0."""
    mins = [grade.min for grade in grades]
    if not mins or mins != sorted(mins, reverse=True):
        raise ValueError("grades must be listed highest first")
    if mins[-1] != 0:
        raise ValueError("the last grade must start at 0 so that every total has a grade")


# --- `policies:`: the rules of other years, templates and regions ------------------------------


class TemplateFamily(StrEnum):
    """The layout family of a form (a project file's `template`), which a policy may match."""

    central = "central"  # 财预〔2020〕10号 template and its local variants (the default)
    anhui_xianjie = "anhui-xianjie"  # 安徽 衔接资金 layout
    sichuan = "sichuan"  # 四川 部门预算项目支出绩效自评表
    hubei_2020 = "hubei-2020"  # 湖北 2020 项目自评表
    yinchuan = "yinchuan"  # 银川 市本级 rubric


def _one_or_many(value: object) -> object:
    """A single value written where a list may be: read as a list of one."""
    return value if isinstance(value, list | tuple) else [value]


Year = Annotated[int, Field(ge=2000, le=2100)]
Region = Annotated[Visible, Field(min_length=1)]
# A key of `match:`: one value, or a list of them (read as a tuple either way).
Years = Annotated[
    tuple[Year, ...], BeforeValidator(_one_or_many, json_schema_input_type=Year | list[Year])
]
Templates = Annotated[
    tuple[TemplateFamily, ...],
    BeforeValidator(_one_or_many, json_schema_input_type=TemplateFamily | list[TemplateFamily]),
]
Regions = Annotated[
    tuple[Region, ...], BeforeValidator(_one_or_many, json_schema_input_type=Region | list[Region])
]


class PolicyMatch(_Strict):
    """Which forms a policy scores: those whose every given key matches (a key left out matches
    any form). A key takes one value or a list of values, any of which matches."""

    year: Years = Field(
        (), title="年度", description="The form's `year`, e.g. 2020 or [2020, 2021]."
    )
    template: Templates = Field(
        (),
        title="表样",
        description="The form's `template`: central, anhui-xianjie, sichuan, hubei-2020, "
        "yinchuan (a form that names none is `central`).",
    )
    region: Regions = Field(
        (),
        title="地区",
        description="The start of the form's `region`, written from the province down: 湖北 "
        "matches 湖北 and 湖北武汉; a form with no region matches no region.",
    )


def _given(value: object) -> object:
    """Refuses `null` for a setting that cannot be empty: leaving the key out inherits it."""
    if value is None:
        raise ValueError("a value is needed here; leave the key out to take the one of scoring:")
    return value


_INHERITS = "Not given: as under `scoring:`."


class PolicyWeights(_Strict):
    """`weights:` of a policy: each key given replaces the one of `scoring.weights`; `levels`,
    when given, replaces the whole table of 一级指标."""

    execution: Points | None = Field(
        None, title="预算执行率分值", description="As `scoring.weights.execution`. " + _INHERITS
    )
    levels: dict[Visible, Points] | None = Field(
        None, title="一级指标分值", description="As `scoring.weights.levels`. " + _INHERITS
    )
    levels_total: Points | None = Field(
        None,
        title="一级指标分值合计(各项不固定)",
        description="As `scoring.weights.levels_total`; `null` here: each 一级指标 is worth its "
        "figure in `levels`. " + _INHERITS,
    )

    _not_null = field_validator("execution", "levels")(_given)


class PolicyRule(_Strict):
    """One item of `policies:`: a name, the forms it matches, a note, and the settings where it
    departs from `scoring:`. A setting given replaces that setting of `scoring:` wholly (the
    keys of a nested setting left out take their national default), except `weights`, whose
    `execution` and `levels` are taken one by one. The first policy that matches a form scores
    it; a form no policy matches is scored by `scoring:`."""

    name: Visible = Field(
        min_length=1,
        max_length=40,
        title="名称",
        description="Shown on the pages of the forms it scores and on the methodology page, "
        "e.g. 湖北2020. Each policy has its own.",
    )
    match: PolicyMatch = Field(
        title="适用范围", description="The forms it scores: see `policies[].match` below."
    )
    note: Visible = Field(
        "",
        title="说明",
        description="Where the rules come from (the document, the form's 注), shown with them.",
    )
    total: Points | None = Field(None, title="总分", description="As `scoring.total`. " + _INHERITS)
    weights: PolicyWeights | None = Field(
        None, title="分值", description="As `scoring.weights`. " + _INHERITS
    )
    grades: tuple[Grade, ...] | None = Field(
        None, title="等次", description="As `scoring.grades`. " + _INHERITS
    )
    qualitative_bands: QualitativeBands | None = Field(
        None, title="定性指标评分档次", description="As `scoring.qualitative_bands`. " + _INHERITS
    )
    over_achievement: OverAchievement | None = Field(
        None, title="超额完成", description="As `scoring.over_achievement`. " + _INHERITS
    )
    breached_reverse: BreachedReversePolicy | None = Field(
        None, title="反向指标未达标", description="As `scoring.breached_reverse`. " + _INHERITS
    )
    rescale_not_applicable: bool | None = Field(
        None,
        title="不适用指标折算",
        description="As `scoring.rescale_not_applicable`. " + _INHERITS,
    )
    dash_target_in_words: bool | None = Field(
        None,
        title="指标值为—时按文字评判",
        description="As `scoring.dash_target_in_words`. " + _INHERITS,
    )
    execution_reason_below: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        title="执行率说明阈值",
        description="As `scoring.execution_reason_below`; `null` here: no such rule. " + _INHERITS,
    )

    _not_null = field_validator(
        "total",
        "weights",
        "grades",
        "qualitative_bands",
        "over_achievement",
        "breached_reverse",
        "rescale_not_applicable",
        "dash_target_in_words",
    )(_given)

    @field_validator("grades")
    @classmethod
    def _grades_descending(cls, grades: tuple[Grade, ...] | None) -> tuple[Grade, ...] | None:
        if grades is not None:
            _check_grades(grades)
        return grades
