"""`content/site.yaml`: the site's settings, and its scoring policy (`rules/policy.py`).

Every field carries its help text here and in `rules/policy.py`; the documentation
(`docs/configuration.md`) and the methodology page are generated from these declarations.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .form.chars import Visible
from .rules.policy import PolicyRule, ScoringPolicy

__all__ = [
    "DataLicence",
    "FontFamily",
    "PdfOrientation",
    "PdfSettings",
    "PolicyRule",
    "ScoringPolicy",
    "SiteConfig",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


FontFamily = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\"'\\;{}<>\n]+$")
]


class PdfOrientation(StrEnum):
    """How the forms are printed: on A4 upright (portrait) or on its side (landscape)."""

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
        title="PDF/A-3",
        description="Write archival PDF/A-3 files (PDF/A-3a when `tagged`, else PDF/A-3b), with "
        "the project's JSON record attached. Off: plain PDF (the record is still attached).",
    )
    tagged: bool = Field(
        True,
        title="带标签的PDF",
        description="Tag each form's structure (headings, tables and their header cells, "
        "reading order, language zh-CN), so that screen readers and reflowing readers can "
        "read it: PDF/A-3a with `pdfa`. Costs about a tenth of a form's time "
        "(docs/performance.md). Booklets are bound from the forms and keep only the cover's "
        "tags.",
    )


class DataLicence(_Strict):
    """`licence:` in `content/site.yaml`: under which terms the open data (the tables, the
    records, the SQLite file) may be reused; shown on the data page, in the SQLite file's 数据说明 and in every
    `datapackage.json` (`licenses`)."""

    name: Visible = Field(
        min_length=1,
        title="许可名称",
        description="The licence's short name as readers know it, e.g. `CC-BY-4.0` or "
        "`署名 4.0 国际 (CC BY 4.0)`.",
    )
    url: str = Field(
        "",
        pattern=r"^(https?://.*)?$",
        title="许可网址",
        description="Where the licence's text is (empty: none linked).",
    )
    attribution: Visible = Field(
        "",
        title="署名要求",
        description="How a reuser should credit the data, e.g. `数据来源:某某市财政局`; "
        "shown beside the licence.",
    )


class SiteConfig(_Strict):
    """`content/site.yaml`."""

    title: Visible = Field(
        min_length=1, title="站点名称", description="Site title, shown on every page."
    )
    base_url: str = Field(
        pattern=r"^https?://",
        title="网址",
        description="Public address of the site, used for canonical links, the sitemap and feeds.",
    )
    publisher: Visible = Field(
        "", title="发布单位", description="Who publishes the site (shown in the footer and feeds)."
    )
    description: Visible = Field(
        "", title="简介", description="One sentence shown on the home page."
    )
    scoring: ScoringPolicy = Field(
        default_factory=ScoringPolicy,
        title="评分规则",
        description="The site's default policy: it scores every form that no item of "
        "`policies:` matches.",
    )
    policies: tuple[PolicyRule, ...] = Field(
        (),
        title="其他评分规则",
        description="Policies of other years, templates and regions, each over `scoring:`: the "
        "first whose `match` names a form scores it (see `policies[]` below).",
    )
    pdf: PdfSettings = Field(default_factory=PdfSettings, title="PDF")
    licence: DataLicence | None = Field(
        None,
        title="开放数据许可",
        description="The terms of reuse of the open data (`data/`): shown on the data page and "
        "written into every datapackage.json. Unset: the data page says no licence was "
        "declared, so reusers know to ask.",
    )
