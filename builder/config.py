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
    "PortalSettings",
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


# An address a reader may follow: http(s) only (no javascript:, no file:).
WebAddress = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(https?://\S+)?$")]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^([^@\s<>\"]+@[^@\s<>\"]+)?$")
]


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
    url: WebAddress = Field(
        "",
        title="许可网址",
        description="Where the licence's text is (empty: none linked).",
    )
    attribution: Visible = Field(
        "",
        title="署名要求",
        description="How a reuser should credit the data, e.g. `数据来源:某某市财政局`; "
        "shown beside the licence.",
    )


class PortalSettings(BaseModel):
    """`portal:` in `content/site.yaml`: what a government website shows of who runs it, in
    every page's footer and on the about page (关于本站). A key left empty is not shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sponsor: Visible = Field(
        "", title="主办单位", description="The body the site belongs to (主办单位)."
    )
    organizer: Visible = Field(
        "", title="承办单位", description="The body that runs it day to day (承办单位)."
    )
    phone: Visible = Field("", title="联系电话", description="A telephone number for readers.")
    email: Email = Field("", title="联系邮箱", description="An e-mail address for readers.")
    address: Visible = Field("", title="通讯地址", description="A postal address for readers.")
    icp: Visible = Field(
        "",
        title="ICP备案号",
        description="The ICP filing number (`黔ICP备12345678号`); the footer links it to "
        "beian.miit.gov.cn, as the filing rules require.",
    )
    police: Visible = Field(
        "",
        title="公安备案号",
        description="The public security filing (`黔公网安备 52020102000123号`); its digits "
        "make the link to beian.gov.cn.",
    )
    site_code: Visible = Field(
        "",
        title="网站标识码",
        description="The government website identifier (网站标识码, e.g. `5202000001`).",
    )
    correction_url: WebAddress = Field(
        "",
        title="纠错",
        description="Where a reader reports an error (the national 政府网站找错 address or the "
        "site's own form); without it the footer offers `email`.",
    )
    about: Visible = Field(
        "",
        title="关于本站",
        description="A paragraph (Markdown) opening the about page, before what the site "
        "generates: who runs it, where the data comes from, how the scores are checked.",
    )

    @property
    def police_code(self) -> str:
        """The digits of `police` (the record code the filing site's address takes)."""
        return "".join(c for c in self.police if c.isdigit())


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
    portal: PortalSettings = Field(default_factory=PortalSettings, title="网站信息")
    licence: DataLicence | None = Field(
        None,
        title="开放数据许可",
        description="The terms of reuse of the open data (`data/`): shown on the data page and "
        "written into every datapackage.json. Unset: the data page says no licence was "
        "declared, so reusers know to ask.",
    )
