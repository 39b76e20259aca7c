"""The project file format: one 项目支出绩效目标自评表 as submitted.

Everything in a project file is what the paper form says. Nothing here is computed; the scorer
works on these values and keeps its results apart (`builder.rules.score`).

Glossary: each term of the form has one English name in the code, the files and the site.

    项目支出绩效目标自评表  the form; a `Project`, one file under content/<year>/<unit>/
    实施单位    unit: the implementing unit that fills the form in (`Project.unit`); its folder
                under content/<year>/ is its `unit_slug`; a unit's forms of a year make its booklet
    主管部门    department: the supervising department (`Department`), 部门代码 its `code`
    度量单位    measure_unit: the unit of measure of an indicator row (`Indicator.measure_unit`,
                written `unit` in the files) or of a value (`form.values.Quantity.measure_unit`);
                never called `unit` in the code
    分值        weight in the files: the points a row is worth; `worth` in the rules
    得分        score: the points a row earned; 总分 total, 自评等次 grade
    权重        a share of the whole (not points); not used yet
    执行率      rate: always a percent, as the forms print it (20.10); see ratio
    ratio       a fraction (B/A = 0.2010): `ExecutionScore.ratio`, `IndicatorScore.ratio`
    年度指标值  target (A of an indicator row)
    实际完成值  actual (B of an indicator row)
    指标性质    nature: 定量 (quantitative) or 定性 (qualitative)
    一/二/三级指标  level1, level2, name
    全年预算数  budget (A of the funding table), 全年执行数 executed (B), 年初预算数 initial;
                amounts in 元
    申报 / 复核  declared (what the form says) / computed (what the rules give)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from ..rules.policy import Points as PolicyPoints
from .chars import Visible
from .values import AMOUNT_PLACES, FIGURE_PLACES, out_of_range


def _within(places: int) -> AfterValidator:
    """A validator that refuses a number outside the bounds of `values.out_of_range` (not
    finite, 10^15 or more, more than `places` decimals) with the error `number_out_of_range`."""

    def check(value: Decimal) -> Decimal:
        problem = out_of_range(value, places)
        if problem:
            raise PydanticCustomError(
                "number_out_of_range", "{problem}", {"problem": problem, "places": places}
            )
        return value

    return AfterValidator(check)


Money = Annotated[
    Decimal, Field(ge=0, description="Amount in 元 (exact decimal)."), _within(AMOUNT_PLACES)
]
Points = Annotated[PolicyPoints, _within(FIGURE_PLACES)]
Rate = Annotated[Decimal, Field(ge=0), _within(FIGURE_PLACES)]
# Text as written, without the spaces around it; never a control or bidirectional control
# character (`chars.forbidden_characters`: an error `invisible-character` names it).
Text = Annotated[Visible, StringConstraints(strip_whitespace=True)]
ProjectId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")]


# A model's docstring is its description in the JSON Schemas shipped in builder/schemas/ and on
# the site. A field whose Python name differs from its key in the files (`measure_unit`, written
# `unit`) has that key as its alias: files are read by alias only (`load.validate_model`), Python
# code may build a model by name, and every dump and schema writes the key of the files.
class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )


class Department(_Strict):
    """主管部门: the supervising department and its code."""

    name: Text = Field(min_length=1, title="主管部门", description="Supervising department.")
    code: Text = Field(
        "", pattern=r"^[0-9A-Za-z]*$", title="部门代码", description="Department code, e.g. 502."
    )


class FundingRow(_Strict):
    """One row of the funding table: three amounts in 元."""

    initial: Money = Field(title="年初预算数", description="Budget at the start of the year (元).")
    budget: Money = Field(title="全年预算数(A)", description="Full-year (adjusted) budget (元).")
    executed: Money = Field(title="全年执行数(B)", description="Amount executed in the year (元).")


class Funding(_Strict):
    """项目资金: the five rows of the funding table, in 元."""

    total: FundingRow = Field(title="年度资金总额", description="The 年度资金总额 row.")
    fiscal: FundingRow | None = Field(None, title="财政拨款", description="财政拨款.")
    local: FundingRow | None = Field(
        None, title="本级安排", description="财政拨款 of which 本级安排."
    )
    superior: FundingRow | None = Field(
        None, title="上级补助", description="财政拨款 of which 上级补助."
    )
    other: FundingRow | None = Field(None, title="其他资金", description="其他 (non-fiscal) funds.")
    reason: Text = Field(
        "",
        title="执行率说明",
        description="Why the execution rate is low, where a reason is required.",
    )


class Goals(_Strict):
    """年度总体目标: the year's goals as planned and as achieved."""

    planned: Text = Field(title="预期目标", description="Annual goals as planned (Markdown).")
    achieved: Text = Field(title="实际完成情况", description="What was achieved (Markdown).")


class Indicator(_Strict):
    """One row of the 绩效指标 table."""

    level1: Text = Field(min_length=1, title="一级指标", description="e.g. 产出指标.")
    level2: Text = Field(min_length=1, title="二级指标", description="e.g. 数量指标.")
    name: Text = Field(min_length=1, title="三级指标", description="The indicator itself.")
    target: Text = Field(title="年度指标值(A)", description="Target as written, e.g. ≥95%.")
    actual: Text = Field(title="实际完成值(B)", description="Actual as written, e.g. 达成年度指标.")
    weight: Points = Field(title="分值", description="Points this indicator is worth.")
    score: Points | None = Field(None, title="得分", description="Score declared on the form.")
    reason: Text = Field(
        "", title="未完成原因分析", description="Explanation given on the form, if any."
    )
    nature: Annotated[str, StringConstraints(pattern=r"^(定量|定性)$")] | None = Field(
        None, title="指标性质", description="定量 or 定性, where the form has this column."
    )
    measure_unit: Text | None = Field(
        None,
        alias="unit",
        title="度量单位",
        description="Unit column, where the form has it.",
    )


class Declared(_Strict):
    """What the submitted form itself declares, kept apart from anything computed."""

    execution_rate: Rate | None = Field(
        None, title="执行率", description="执行率 as printed, in % (e.g. 20.10)."
    )
    execution_score: Points | None = Field(
        None, title="执行率得分", description="得分 of the 年度资金总额 row."
    )
    total_weight: Points | None = Field(None, title="总分分值", description="分值 of the 总分 row.")
    total: Points | None = Field(None, title="总分", description="得分 of the 总分 row.")
    grade: Text | None = Field(None, title="自评等次", description="Grade as declared.")
    conclusion: Text = Field("", title="自评结论", description="The 自评结论 text, verbatim.")


class PrintedWeights(_Strict):
    """分值 the form prints itself, in points, where it departs from the scoring policy."""

    execution: Points | None = Field(
        None, title="预算执行率分值", description="分值 of the execution row, if the form sets one."
    )
    levels: dict[Visible, Points] = Field(
        default_factory=dict,
        title="一级指标分值",
        description="Points per first-level indicator as printed, e.g. 产出指标: 50.",
    )


class Project(_Strict):
    """One 项目支出绩效目标自评表."""

    id: ProjectId = Field(
        title="项目标识",
        description="Stable id (lower-case letters, digits, hyphens): the project's address, the "
        "same across years.",
    )
    year: int = Field(ge=2000, le=2100, title="年度", description="Assessment year.")
    name: Text = Field(min_length=1, title="项目名称", description="Project name.")
    department: Department = Field(title="主管部门及代码")
    unit: Text = Field(min_length=1, title="实施单位", description="Implementing unit.")
    filled_on: dt.date = Field(title="填报日期", description="Date the form was filled in.")
    contact: Text = Field("", title="联系人", description="Contact person.")
    funding: Funding = Field(title="项目资金(元)")
    goals: Goals = Field(title="年度总体目标")
    weights: PrintedWeights = Field(default_factory=PrintedWeights, title="分值")
    indicators: list[Indicator] = Field(min_length=1, title="绩效指标")
    declared: Declared = Field(default_factory=Declared, title="自评结果(申报)")
