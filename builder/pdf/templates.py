"""The HTML that WeasyPrint lays out: one 项目支出绩效目标自评表 per project, and unit booklets.

The views below do the arithmetic of the layout (which cells merge over which rows, which
labels a row carries) so that the templates in `templates/pdf/` stay plain markup. Figures are
passed as Decimals and written in the templates by the filters of `environment`, which are the
site's formatters (`builder.formats`) with the paper form's blank for a figure not given: the
form's own figures as typed (`declared`, `declared_yuan`, `rate`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..form.dates import PrintedMonth, full_date, latest
from ..form.model import Indicator, Project, SubIndicator
from ..formats import (
    BLANK,
    chinese_date,
    declared_text,
    declared_yuan_text,
    rate_as_printed,
    slash_date,
)
from ..layouts import (
    Column,
    HeaderWords,
    Heading,
    block_labels,
    columns_before_figures,
    funding_columns,
    header_rows,
    header_words,
    indicator_columns,
    layout_of,
    leading_words,
    source_label,
    unit_label,
)
from ..printed import CORE_MARK, printed_execution_weight, table_lines
from ..rules.check import CheckedProject
from ..site.prose import markdown
from .annex import Annex, annex_view
from .extras import PdfExtras, pdf_extras
from .fit import breakable, fit_class
from .funding import FundingLine, funding_lines

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "pdf"


# ---------------------------------------------------------------------------------------------
# Views


@dataclass(frozen=True)
class IndicatorLine:
    """A line of the form's indicator table: a row, or a 「其中…」 sub-row under it (`sub`:
    blank 分值 and 得分), with the merged cells it begins."""

    indicator: Indicator | SubIndicator  # the row as printed
    level1_span: int  # rows the 一级指标 cell covers; 0 when an earlier row's cell covers it
    level1_points: Decimal | None  # the 一级指标's 分值, printed under its name as on paper
    level2_span: int
    level1: str = ""
    level2: str = ""
    level2_points: Decimal | None = None  # the 二级指标's 分值 where the form prints one
    weight: Decimal | None = None  # 分值; None for a sub-row or a row that prints none
    score: Decimal | None = None  # 得分 as declared
    sub: bool = False
    mark: str = ""  # ★ before a core indicator's name


@dataclass(frozen=True)
class FormView:
    """Everything one form's template shows, laid out as on paper: its funding and indicator
    columns in its family's order and words (`builder.layouts`), and only the 分值 it prints."""

    project: Project
    anchor: str
    department: str
    funding: list[FundingLine]
    execution_weight: Decimal | None  # as printed; None where the form prints none
    goals_planned: Markup
    goals_achieved: Markup
    indicators: list[IndicatorLine]
    columns: tuple[Column, ...]  # of the indicator table, after 三级指标
    total_weight: Decimal | None  # 分值 of the 总分 row as printed
    annex: Annex | None = None
    extras: PdfExtras = field(default_factory=lambda: PdfExtras())
    funding_columns: tuple[Column, ...] = ()
    funding_title: str = ""  # 项目资金, 预算执行情况(20分)
    source_label: str = ""  # over the funding rows' names
    unit_label: str = ""  # before the unit in the heading
    goals_implementation: Markup = field(default_factory=Markup)
    conclusion_label: str = "自评结论"  # 评价结论, or the form's own words
    header: HeaderWords = field(  # `layouts.header_words`
        default_factory=lambda: HeaderWords("主管部门及代码", "实施单位", True, "")
    )
    head_top: list[Heading] = field(init=False)
    head_below: list[Heading] = field(init=False)
    extra_columns: int = field(init=False)  # 指标性质 and 度量单位 shown: a narrower 原因

    def __post_init__(self) -> None:
        top, below = header_rows(self.columns)
        object.__setattr__(self, "head_top", top)
        object.__setattr__(self, "head_below", below)
        extra = sum(1 for c in self.columns if c.key in ("nature", "measure_unit"))
        object.__setattr__(self, "extra_columns", extra)

    @property
    def grade_beside_total(self) -> str:
        """The 自评等次 of a form that prints no conclusion, printed in the 总分 row's last cell
        as the central template has it (云南 永德: 总分 100 96 优); "" when the conclusion row
        carries it, or the table has no cell after 得分."""
        declared = self.project.declared
        if declared.conclusion or not any(c.key == "reason" for c in self.columns):
            return ""
        return declared.grade or ""

    @property
    def grade_row(self) -> str:
        """The 自评等次 of a form that prints no conclusion and has no cell for it beside the
        总分: a row of its own; "" otherwise."""
        declared = self.project.declared
        if declared.conclusion or self.grade_beside_total:
            return ""
        return declared.grade or ""

    @property
    def head_rows(self) -> int:
        """Rows of the indicator table's header: 2 under a group heading (年度指标值)."""
        return 2 if self.head_below else 1

    @property
    def total_span(self) -> int:
        """Cells the 总分 label spans: the section, the three levels and every column before
        the first that has a figure in the 总分 row (分值 or 得分)."""
        return 4 + columns_before_figures(self.columns)

    @property
    def funding_last_span(self) -> int:
        """Cells the last funding column spans: the head table has six figure columns; a
        family that prints fewer widens its last one."""
        return max(1, 7 - len(self.funding_columns))


def indicator_lines(project: Project) -> list[IndicatorLine]:
    """The indicator table as printed (`printed.table_lines`: sub-rows under their rows, the
    一级/二级 cells merged over both), each 一级指标 and 二级指标 with the 分值 the form prints
    beside it, if any: never the policy's, which the form does not print."""
    return [
        IndicatorLine(
            line.row,
            line.level1_span,
            project.weights.levels.get(line.level1),
            line.level2_span,
            line.level1,
            line.level2,
            project.weights.level2.get(line.level2),
            line.weight,
            line.score,
            line.sub,
            CORE_MARK if line.core else "",
        )
        for line in table_lines(project)
    ]


def form_view(checked: CheckedProject, with_annex: bool) -> FormView:
    """The view of a project that was read and scored (AssertionError otherwise): the form as
    printed, in its family's columns, with only the figures it prints (no policy's 分值); the
    annex of computed figures only `with_annex`."""
    project, score = checked.project, checked.score
    assert project is not None and score is not None, "only projects without errors get a PDF"
    department = project.department
    code = f"[{department.code}]" if department.code else ""
    layout = layout_of(project)
    execution_weight = printed_execution_weight(project)
    title = layout.funding_title
    if layout.points_in_title and execution_weight is not None:
        title += f"({declared_text(execution_weight)}分)"
    return FormView(
        project=project,
        anchor=f"project-{project.id}",
        department=code + department.name,
        funding=funding_lines(project, execution_weight),
        execution_weight=execution_weight,
        goals_planned=markdown(project.goals.planned or ""),
        goals_achieved=markdown(project.goals.achieved or ""),
        indicators=indicator_lines(project),
        columns=indicator_columns(project),
        total_weight=project.declared.total_weight,
        annex=annex_view(checked, score) if with_annex else None,
        extras=pdf_extras(project, score.incomplete),
        funding_columns=funding_columns(project),
        funding_title=title,
        source_label=source_label(project),
        unit_label=unit_label(project),
        goals_implementation=markdown(project.goals.implementation or ""),
        conclusion_label=block_labels(project)["conclusion"],
        header=header_words(project),
    )


# ---------------------------------------------------------------------------------------------
# Rendering


@dataclass(frozen=True)
class DocumentMeta:
    """What goes into the PDF's metadata: <title>, <meta> and <html lang>."""

    title: str
    subject: str
    author: str
    keywords: str
    # None: no 填报日期 printed, no date in the metadata; a month alone (`PrintedMonth`) is
    # shown (a booklet's 填报截至) but stamps no time.
    date: dt.date | PrintedMonth | None

    @property
    def timestamp(self) -> str:
        """The date as an ISO 8601 time stamp, midnight China Standard Time ("" without one)."""
        # Dates come from the data (the form's 填报日期), never the clock, so that the same
        # content always makes the same bytes. China Standard Time, as on the form.
        day = full_date(self.date)
        return f"{day.isoformat()}T00:00:00+08:00" if day else ""


def environment(template_dir: Path = TEMPLATE_DIR) -> jinja2.Environment:
    """The Jinja2 environment of the PDF templates, with the filters they write figures
    with. Undefined names raise jinja2.UndefinedError."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The paper form leaves a figure that was not given blank. Every figure the form prints is
    # as declared, its digits as typed (`declared`: 9.50 stays 9.50); the annex's computed
    # figures come as text from `annex.py`.
    env.filters.update(
        declared_yuan=functools.partial(declared_yuan_text, missing=BLANK),
        declared=functools.partial(declared_text, missing=BLANK),
        rate=functools.partial(rate_as_printed, missing=BLANK),
        slash_date=slash_date,
        chinese_date=chinese_date,
        fit=fit_class,
        breakable=breakable,
    )
    return env


def form_meta(project: Project) -> DocumentMeta:
    """A form's PDF metadata, dated by its 填报日期."""
    return DocumentMeta(
        title=f"{project.name} — 项目支出绩效目标自评表({project.year}年度)",
        subject=f"{project.unit} {project.year}年度项目支出绩效目标自评表:{project.name}",
        author=project.unit,
        keywords=f"项目支出绩效目标自评表, {project.year}, {project.unit}, "
        f"{project.department.name}",
        date=project.filled_on,  # a month alone: shown, no time stamp (`timestamp`)
    )


@dataclass(frozen=True)
class CoverForm:
    """What a booklet's cover and metadata read of one of its forms (`cover_form`): kept for
    every form of a build until the booklets are made, so a few words, not the project."""

    name: str
    unit: str
    department_code: str
    department_name: str
    department: str  # as the form prints it: [code]name
    filled_on: dt.date | PrintedMonth | None  # 填报日期 as read


def cover_form(view: FormView) -> CoverForm:
    """The `CoverForm` of a form's view."""
    project = view.project
    department = project.department
    return CoverForm(
        project.name,
        project.unit,
        department.code,
        department.name,
        view.department,
        project.filled_on,
    )


def booklet_meta(year: int, unit_name: str, forms: Sequence[CoverForm]) -> DocumentMeta:
    """A booklet's PDF metadata, dated by the latest 填报日期 of its forms (at least one)."""
    departments = sorted({f.department_name for f in forms})
    return DocumentMeta(
        title=f"{unit_name} {year}年度项目支出绩效目标自评表汇编",
        subject=f"{unit_name} {year}年度全部 {len(forms)} 个项目的项目支出绩效目标自评表",
        author=unit_name,
        keywords=", ".join(["项目支出绩效目标自评表", str(year), unit_name, *departments]),
        date=latest([f.filled_on for f in forms]),
    )


class PdfTemplates:
    """The loaded templates; one instance renders every document of a build."""

    def __init__(
        self,
        site_title: str,
        template_dir: Path = TEMPLATE_DIR,
        base_url: str = "",
    ) -> None:
        self.env = environment(template_dir)
        self.site_title = site_title
        self.base_url = base_url  # the site's address: each form prints its page's
        self.form_template = self.env.get_template("form.html")
        self.booklet_template = self.env.get_template("booklet.html")
        self.stamps_template = self.env.get_template("stamps.html")

    def source_text(self) -> str:
        """Every template's source, stylesheet included: what the documents can show beside
        the forms' own text."""
        loader = self.env.loader
        if loader is None:
            return ""
        sources = "".join(loader.get_source(self.env, name)[0] for name in loader.list_templates())
        return sources + leading_words()  # header words now in builder/layouts.py

    def stylesheet(self) -> str:
        """The PDF stylesheet's text (templates/pdf/pdf.css)."""
        return (self.env.loader.get_source(self.env, "pdf.css")[0]) if self.env.loader else ""

    def form(self, view: FormView, address: str = "", data_date: dt.date | None = None) -> str:
        """One form's HTML; `address` is its page's on the site, printed at the foot of every
        page with the date of the form's data (`data_date`, 数据截至: its 最近更新 from git,
        else the site's date of the data) when there is one."""
        return self.form_template.render(
            form=view,
            meta=form_meta(view.project),
            site_title=self.site_title,
            address=address,
            data_date=data_date,
        )

    def booklet(self, cover: Any, starts: list[int]) -> str:
        """The cover and contents (a `cover.BookletCover`) of a booklet whose forms begin on
        the pages `starts`."""
        return self.booklet_template.render(
            meta=cover.meta,
            year=cover.year,
            unit_name=cover.unit_name,
            departments=list(cover.departments),
            names=list(cover.names),
            starts=starts,
            site_title=cover.site_title,
            rows=list(cover.rows),
            data_date=cover.data_date,
        )

    def stamps(self, numbers: range) -> str:
        """HTML of one page per number, each number where a booklet page carries it."""
        return self.stamps_template.render(numbers=numbers)
