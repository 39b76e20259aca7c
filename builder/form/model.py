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
                amounts as printed (`money.Money`), in 元 or 万元 (`Funding.amount_unit`),
                read by the rules in 元 (`Money.yuan`)
    资金来源    a row of the funding table (`FundingLine`), one of them the total (年度资金总额)
    申报 / 复核  declared (what the form says) / computed (what the rules give)
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from . import lengths
from .chars import Visible
from .dates import FilledOn
from .funding import FUNDING_KEYS, AmountUnit, Funding, FundingLine, FundingRow
from .indicators import NATURE_PATTERN, Indicator, Nature, SubIndicator
from .labels import PrintedLabels
from .money import Money
from .provenance import Source
from .strict import Points, Rate, RateAsPrinted, ShortText, Strict, Text

__all__ = [
    "FUNDING_KEYS",
    "NATURE_PATTERN",
    "AmountUnit",
    "Declared",
    "Department",
    "Funding",
    "FundingLine",
    "FundingRow",
    "Goals",
    "Indicator",
    "Money",
    "Nature",
    "Partial",
    "Person",
    "PrintedWeights",
    "Project",
    "ShortText",
    "Source",
    "SubIndicator",
    "Text",
]

ProjectId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")]
# The layout families of real forms (docs/configuration.md, "Project files").
Template = Literal["central", "anhui-xianjie", "sichuan", "hubei-2020", "yinchuan"]
# Parts of a form its source may have cut off (`Partial.missing`).
FormPart = Literal["header", "funding", "goals", "indicators", "declared", "remarks", "people"]
# Each part in the form's words, for the pages, the PDFs and the findings.
PART_LABELS: dict[str, str] = {
    "header": "表头",
    "funding": "项目资金",
    "goals": "年度总体目标",
    "indicators": "绩效指标",
    "declared": "总分与自评结论",
    "remarks": "备注",
    "people": "负责人及联系人",
}

# The layout families (`Template`) in words, as the methodology page names them.
TEMPLATE_LABELS = MappingProxyType(
    {
        "central": "财预〔2020〕10号模板",
        "anhui-xianjie": "安徽衔接资金表样",
        "sichuan": "四川部门预算项目支出绩效自评表",
        "hubei-2020": "湖北2020项目自评表",
        "yinchuan": "银川市本级评分表",
    }
)
# What the values of the format's lists of choices mean, for a message naming them.
VALUE_WORDS = MappingProxyType({**PART_LABELS, **TEMPLATE_LABELS})


class Department(Strict):
    """主管部门: the supervising department and its code, each blank where the form is."""

    name: ShortText = Field(
        "", title="主管部门", description="Supervising department (may be blank)."
    )
    code: Text = Field(
        "", pattern=r"^[0-9A-Za-z]*$", title="部门代码", description="Department code, e.g. 502."
    )


class Goals(Strict):
    """年度总体目标: the year's goals as planned and as achieved (either may be absent)."""

    planned: Text | None = Field(
        None, title="预期目标", description="Annual goals as planned (Markdown)."
    )
    achieved: Text | None = Field(
        None, title="实际完成情况", description="What was achieved (Markdown)."
    )
    # Printed beside the goals (四川: 项目基本情况 1. 目标完成情况, 2. 实施内容及过程概述).
    implementation: Text | None = Field(
        None,
        title="项目实施内容及过程概述",
        description="What was done and how, verbatim, where the form has this block (四川).",
    )
    dump_if_given = frozenset({"planned", "achieved", "implementation"})


class Declared(Strict):
    """What the submitted form itself declares, kept apart from anything computed."""

    execution_rate: RateAsPrinted | None = Field(
        None, title="执行率", description="执行率 as printed, in % (e.g. 20.10, or 100%)."
    )
    execution_ratio: Rate | None = Field(
        None, title="执行率(比值)", description="执行率 printed as a ratio (1 for 100%), instead."
    )
    execution_score: Points | None = Field(
        None, title="执行率得分", description="得分 of the 年度资金总额 row."
    )
    total_weight: Points | None = Field(None, title="总分分值", description="分值 of the 总分 row.")
    total: Points | None = Field(None, title="总分", description="得分 of the 总分 row.")
    grade: ShortText | None = Field(None, title="自评等次", description="Grade as declared.")
    conclusion: Text = Field("", title="自评结论", description="The 自评结论 text, verbatim.")
    problems: Text | None = Field(None, title="存在问题", description="存在问题, verbatim.")
    improvements: Text | None = Field(
        None, title="改进措施", description="改进措施 (及结果应用方案), verbatim."
    )
    other_notes: Text | None = Field(
        None, title="其他需要说明事项", description="其他需要说明事项, verbatim."
    )
    review_score: Points | None = Field(
        None, title="财政审核评分", description="Score the finance bureau's review printed."
    )
    dump_if_given = frozenset(
        {"execution_ratio", "problems", "improvements", "other_notes", "review_score"}
    )

    @property
    def rate_percent(self) -> Decimal | None:
        """The printed 执行率 in percent: `execution_rate`, else `execution_ratio` × 100."""
        if self.execution_rate is not None or self.execution_ratio is None:
            return self.execution_rate
        return self.execution_ratio * 100


class PrintedWeights(Strict):
    """分值 the form prints itself, in points, where it departs from the scoring policy."""

    execution: Points | None = Field(
        None, title="预算执行率分值", description="分值 of the execution row, if the form sets one."
    )
    levels: dict[Visible, Points] = Field(
        default_factory=dict,
        title="一级指标分值",
        description="Points per first-level indicator as printed, e.g. 产出指标: 50.",
    )
    level2: dict[Visible, Points] = Field(
        default_factory=dict,
        title="二级指标分值",
        description="Points per second-level indicator as printed, e.g. 数量指标: 10; the 分值 of "
        "the rows under it are checked against them (a warning where they differ).",
    )
    dump_if_given = frozenset({"level2"})


class Person(Strict):
    """Someone the form names: 项目负责人, 财务负责人, 联系人, 填报人, with a phone where printed."""

    role: ShortText | None = Field(None, title="角色", description="e.g. 项目负责人 (as printed).")
    name: ShortText | None = Field(None, title="姓名", description="The name as printed.")
    phone: ShortText | None = Field(None, title="电话", description="The phone number as printed.")
    dump_if_given = frozenset({"role", "name", "phone"})


class Partial(Strict):
    """A form its source cut off: which parts are missing. Missing rows are not invented; the
    weights need not add up, and the computed total is marked incomplete (funding or
    indicators missing): it earns no grade and is not compared with the declared total."""

    missing: list[FormPart] = Field(
        min_length=1, title="缺失部分", description="The parts the source does not have."
    )
    note: Text = Field("", title="说明", description="e.g. 源文件在此处截断.")


class Project(Strict):
    """One 项目支出绩效目标自评表."""

    id: ProjectId = Field(
        title="项目标识",
        description="Stable id (lower-case letters, digits, hyphens): the project's address, the "
        "same across years.",
    )
    year: int = Field(ge=2000, le=2100, title="年度", description="Assessment year.")
    name: ShortText = Field(min_length=1, title="项目名称", description="Project name.")
    department: Department = Field(default_factory=Department, title="主管部门及代码")
    unit: ShortText = Field(min_length=1, title="实施单位", description="Implementing unit.")
    filing_unit: ShortText | None = Field(
        None,
        title="单位名称(表头)",
        description="The unit the form's heading names (湖北: 单位名称), where it is not the "
        "实施单位; absent: the heading names the 实施单位.",
    )
    filled_on: FilledOn | None = Field(
        None,
        title="填报日期",
        description="Date the form was filled in, or the month alone where it prints only "
        "that (2021年12月, `form.dates.PrintedMonth`); absent if not printed.",
    )
    contact: ShortText = Field("", title="联系人", description="Contact person.")
    funding: Funding = Field(
        default_factory=Funding,
        title="项目资金",
        description="The funding table; absent only when partial.missing lists funding.",
    )
    goals: Goals = Field(default_factory=Goals, title="年度总体目标")
    weights: PrintedWeights = Field(default_factory=PrintedWeights, title="分值")
    indicators: list[Indicator] = Field(
        min_length=1, max_length=lengths.MAX_INDICATORS, title="绩效指标"
    )
    declared: Declared = Field(default_factory=Declared, title="自评结果(申报)")
    template: Template = Field(
        "central",
        title="表样",
        description="The layout family: central (财预〔2020〕10号 and its local variants), "
        "anhui-xianjie, sichuan, hubei-2020, yinchuan.",
    )
    region: ShortText | None = Field(None, title="地区", description="e.g. 湖北, 云南临沧.")
    code: ShortText | None = Field(
        None, title="项目编码", description="Code printed before the name."
    )
    unit_code: ShortText | None = Field(None, title="单位编码", description="The unit's code.")
    people: list[Person] = Field(
        default_factory=list,
        title="人员",
        description="项目负责人, 财务负责人, 联系人… as printed.",
    )
    categories: dict[Visible, ShortText] = Field(
        default_factory=dict,
        title="类别勾选",
        description="Check boxes: printed label -> option ticked, e.g. 项目属性: 持续性项目.",
    )
    remarks: Text | None = Field(
        None,
        title="备注/注",
        description="The form's own 备注 or 注 (its fill-in rules), verbatim.",
    )
    partial: Partial | None = Field(
        None, title="不完整", description="Set when the source cut the form off."
    )
    source: Source | None = Field(
        None, title="导入来源", description="Set by jixiao import: where the form was read."
    )
    labels: PrintedLabels = Field(
        default_factory=PrintedLabels,
        title="表上文字",
        description="The words the form prints where its family's differ, e.g. {reason: "
        "偏差原因分析及改进措施, unit: 部门}.",
    )
    dump_if_given = frozenset(
        {
            "department",
            "filing_unit",
            "filled_on",
            "funding",
            "goals",
            "template",
            "region",
            "code",
            "unit_code",
            "people",
            "categories",
            "remarks",
            "partial",
            "source",
            "labels",
        }
    )

    def lacks(self, part: str) -> bool:
        """True when `partial.missing` lists `part` (funding, indicators, …)."""
        return self.partial is not None and part in self.partial.missing

    @property
    def execution_rate_printed(self) -> Decimal | None:
        """执行率 as the form prints it, in percent: `declared.execution_rate` (or its ratio ×
        100), else the 年度资金总额 row's own `rate`; None when the form prints none."""
        row = self.funding.total_row
        rate = self.declared.rate_percent
        return rate if rate is not None or row is None else row.figure("rate")

    @property
    def execution_score_printed(self) -> Decimal | None:
        """The execution 得分 as printed: `declared.execution_score`, else the 年度资金总额
        row's own `score`; None when the form prints none."""
        row = self.funding.total_row
        score = self.declared.execution_score
        return score if score is not None or row is None else row.figure("score")

    @property
    def missing_parts(self) -> str:
        """The parts a form cut off by its source lacks, in the form's words joined by 、
        (绩效指标、自评结果); "" for a whole form."""
        if self.partial is None:
            return ""
        return "、".join(PART_LABELS[part] for part in self.partial.missing)

    @property
    def prints_weights(self) -> bool:
        """False for a form that prints no 分值 for any row (湖北2020 prints 得分 only): then no
        分值 is shown for it anywhere, not even the policy's."""
        return any(indicator.weight is not None for indicator in self.indicators)

    @property
    def heading_unit(self) -> str:
        """The unit the form's heading names: `filing_unit`, else the 实施单位."""
        return self.filing_unit or self.unit

    @property
    def scored_indicators(self) -> list[tuple[int, Indicator]]:
        """(index in `indicators`, row) of every row but the placeholders left in."""
        return [(i, row) for i, row in enumerate(self.indicators) if not row.is_placeholder]
