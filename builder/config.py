"""`content/site.yaml`: the site's settings and its scoring policy, declared once.

Every field carries its help text here; the documentation (`docs/configuration.md`) and the
methodology page are generated from these declarations.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Points = Annotated[Decimal, Field(ge=0, le=1000)]
Fraction = Annotated[Decimal, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OverAchievementAction(StrEnum):
    none = "none"
    explain = "explain"
    deduct = "deduct"


class BreachedReversePolicy(StrEnum):
    national = "national"
    linear = "linear"
    zero = "zero"


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
    min: Points = Field(title="下限", description="Lowest total (inclusive) that earns this grade.")
    label: str = Field(min_length=1, title="等次", description="The grade as printed, e.g. 优秀.")


class Weights(_Strict):
    execution: Points = Field(
        Decimal(10), title="预算执行率分值", description="Points for budget execution (预算执行率)."
    )
    levels: dict[str, Points] = Field(
        default_factory=lambda: {
            "产出指标": Decimal(50),
            "效益指标": Decimal(30),
            "满意度指标": Decimal(10),
        },
        title="一级指标分值",
        description="Points of each first-level indicator (一级指标). A project may declare its own.",
    )


class ScoringPolicy(_Strict):
    """How forms are scored. The defaults are the national rules (财预〔2020〕10号)."""

    total: Points = Field(Decimal(100), title="总分", description="Full marks of a form.")
    weights: Weights = Field(default_factory=Weights, title="分值")
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
    execution_reason_below: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        title="执行率说明阈值",
        description="Execution rate (in %) below which the form must give a reason "
        "(funding.reason). Empty: no such rule.",
    )

    @model_validator(mode="after")
    def _grades_descending(self) -> ScoringPolicy:
        mins = [grade.min for grade in self.grades]
        if not mins or mins != sorted(mins, reverse=True):
            raise ValueError("grades must be listed highest first")
        if mins[-1] != 0:
            raise ValueError("the last grade must start at 0 so that every total has a grade")
        return self


FontFamily = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\"'\\;{}<>\n]+$")
]


class PdfOrientation(StrEnum):
    portrait = "portrait"
    landscape = "landscape"


class PdfSettings(BaseModel):
    """`pdf:` in `content/site.yaml`: the printable forms and booklets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(
        True,
        title="生成PDF",
        description="Make a PDF of every project's form and a booklet per unit and year.",
    )
    orientation: PdfOrientation = Field(
        PdfOrientation.portrait,
        title="纸张方向",
        description="A4 `portrait` (as the paper form) or `landscape` (wider columns).",
    )
    font_stack: tuple[FontFamily, ...] = Field(
        ("Noto Serif CJK SC", "serif"),
        min_length=1,
        title="字体",
        description="Font families, first choice first. The first must be an installed CJK "
        "font (the default comes with Debian's fonts-noto-cjk); it is embedded, subset to the "
        "characters used. The others are fallbacks for characters it lacks.",
    )
    booklets: bool = Field(
        True,
        title="单位汇编",
        description="Also make one booklet per unit and year: a cover, a table of contents with "
        "page numbers, then the PDF of every form of the unit as published (annex included), "
        "each page numbered within the booklet, with a bookmark per project.",
    )
    annex: bool = Field(
        True,
        title="复核附页",
        description="Add a page after each form with the computed figures and the findings. "
        "The form itself always shows the figures as submitted.",
    )
    pdfa: bool = Field(
        True,
        title="PDF/A-3b",
        description="Write archival PDF/A-3b files, with the project's JSON record attached. "
        "Off: plain PDF (the record is still attached).",
    )


class SiteConfig(_Strict):
    """`content/site.yaml`."""

    title: str = Field(
        min_length=1, title="站点名称", description="Site title, shown on every page."
    )
    base_url: str = Field(
        pattern=r"^https?://",
        title="网址",
        description="Public address of the site, used for canonical links, the sitemap and feeds.",
    )
    publisher: str = Field(
        "", title="发布单位", description="Who publishes the site (shown in the footer and feeds)."
    )
    description: str = Field("", title="简介", description="One sentence shown on the home page.")
    scoring: ScoringPolicy = Field(default_factory=ScoringPolicy, title="评分规则")
    pdf: PdfSettings = Field(default_factory=PdfSettings, title="PDF")


def default_policy() -> ScoringPolicy:
    return ScoringPolicy()
