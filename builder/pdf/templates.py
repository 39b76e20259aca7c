"""The HTML that WeasyPrint lays out: one 项目支出绩效目标自评表 per project, and unit booklets.

The views below do the arithmetic of the layout (which cells merge over which rows, which
labels a row carries) so that the templates in `templates/pdf/` stay plain markup. Figures are
passed as Decimals and written in the templates by the filters of `environment`, which are the
site's formatters (`builder.formats`) with the paper form's blank for a figure not given.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..config import ScoringPolicy
from ..form.model import Indicator, Project, SubIndicator
from ..formats import BLANK, chinese_date, declared_yuan_text, figure_text, slash_date
from ..printed import CORE_MARK, TableColumns, table_lines
from ..rules.check import CheckedProject
from ..rules.explain import SEVERITY_LABELS, explain, finding_place
from ..rules.findings import plain
from ..rules.reconcile import quoted_grade
from ..rules.results import ProjectScore
from ..rules.score import level_weights
from ..site.render import markdown
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
class AnnexLine:
    """A figure of the annex: as declared on the form and as computed, as text ("—" when
    not given)."""

    label: str
    declared: str
    computed: str
    differs: bool


@dataclass(frozen=True)
class AnnexFinding:
    """A finding of the check, as the annex lists it."""

    severity: str
    code: str
    place: str  # on the form, in Chinese
    line: int  # in the project's YAML
    message: str


@dataclass(frozen=True)
class Annex:
    """附:复核计算结果: the computed figures beside the declared ones, and the findings."""

    figures: list[AnnexLine]
    indicators: list[AnnexLine]  # only those whose computed score differs from the declared
    findings: list[AnnexFinding]


@dataclass(frozen=True)
class FormView:
    """Everything one form's template shows, laid out as on paper."""

    project: Project
    anchor: str
    department: str
    funding: list[FundingLine]
    execution_weight: Decimal | None
    goals_planned: Markup
    goals_achieved: Markup
    indicators: list[IndicatorLine]
    has_nature: bool
    has_measure_unit: bool
    total_weight: Decimal | None
    annex: Annex | None = None
    extras: PdfExtras = field(default_factory=lambda: PdfExtras())
    extra_columns: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_columns", int(self.has_nature) + int(self.has_measure_unit))


def _level_weight(project: Project, policy: ScoringPolicy, level1: str) -> Decimal | None:
    """The 一级指标's 分值 as the form prints it, else the policy's; none on a form that prints
    no 分值 at all (nothing is shown that the form does not have)."""
    if level1 in project.weights.levels:
        return project.weights.levels[level1]
    return level_weights(project, policy).get(level1) if project.prints_weights else None


def indicator_lines(project: Project, policy: ScoringPolicy) -> list[IndicatorLine]:
    """The indicator table as printed (`printed.table_lines`: sub-rows under their rows, the
    一级/二级 cells merged over both), each 一级指标 with its 分值 from the form or else the
    policy, each 二级指标 with the 分值 the form prints beside it, if any."""
    return [
        IndicatorLine(
            line.row,
            line.level1_span,
            _level_weight(project, policy, line.level1),
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


def _text(value: Decimal | str | None, suffix: str = "") -> str:
    if value is None or value == "":
        return "—"
    return (plain(value) if isinstance(value, Decimal) else value) + suffix


def _line(label: str, declared: Decimal | str | None, computed: Decimal | str | None) -> AnnexLine:
    differs = declared is not None and declared != "" and declared != computed
    return AnnexLine(label, _text(declared), _text(computed), differs)


def annex_view(checked: CheckedProject, score: ProjectScore) -> Annex:
    """The annex of a project that was read and scored: every figure declared and computed,
    the indicators whose declared score is not the computed one (or outside the range a
    qualitative band allows), and each finding in Chinese at its place on the form."""
    project = checked.project
    assert project is not None
    declared = project.declared
    rate = score.execution.rate
    figures = [
        AnnexLine(
            "预算执行率(%)",
            _text(project.execution_rate_printed),
            _text(rate),
            project.execution_rate_printed not in (None, rate),
        ),
        _line("执行率得分", project.execution_score_printed, score.execution.score),
    ]
    for level, points in score.levels.items():
        scores = [i.score for i in project.indicators if i.level1 == level]
        level_declared = (
            sum(scores, Decimal(0)) if scores and all(s is not None for s in scores) else None
        )
        figures.append(_line(f"{level}得分", level_declared, points))
    figures.append(_line("总分", declared.total, score.total))
    grade = declared.grade or quoted_grade(declared.conclusion)
    figures.append(_line("自评等次", grade, score.grade))

    indicators = []
    for indicator, computed in zip(project.indicators, score.indicators, strict=True):
        if computed.low != computed.high:
            allowed = f"{plain(computed.low)}–{plain(computed.high)}"
            outside = indicator.score is not None and not (
                computed.low <= indicator.score <= computed.high
            )
            if outside:
                indicators.append(AnnexLine(indicator.name, _text(indicator.score), allowed, True))
        elif indicator.score is not None and indicator.score != computed.score:
            indicators.append(
                AnnexLine(indicator.name, _text(indicator.score), plain(computed.score), True)
            )

    names = [indicator.name for indicator in project.indicators]
    findings = []
    for located in checked.located:
        general, detail = explain(located.finding)
        findings.append(
            AnnexFinding(
                SEVERITY_LABELS[located.finding.severity],
                located.finding.code,
                finding_place(located.finding, names),
                located.line,
                f"{general}{detail}",
            )
        )
    return Annex(figures, indicators, findings)


def form_view(checked: CheckedProject, policy: ScoringPolicy, with_annex: bool) -> FormView:
    """The view of a project that was read and scored (AssertionError otherwise); weights
    not on the form come from `policy`; the annex only `with_annex`."""
    project, score = checked.project, checked.score
    assert project is not None and score is not None, "only projects without errors get a PDF"
    department = project.department
    code = f"[{department.code}]" if department.code else ""
    columns = TableColumns.of(project)
    execution_weight = (
        project.weights.execution
        if project.weights.execution is not None
        else policy.weights.execution
    )
    return FormView(
        project=project,
        anchor=f"project-{project.id}",
        department=code + department.name,
        funding=funding_lines(project, execution_weight),
        execution_weight=execution_weight,
        goals_planned=markdown(project.goals.planned or ""),
        goals_achieved=markdown(project.goals.achieved or ""),
        indicators=indicator_lines(project, policy),
        has_nature=columns.nature,
        has_measure_unit=columns.measure_unit,
        total_weight=(
            project.declared.total_weight
            if project.declared.total_weight is not None or not project.prints_weights
            else policy.total
        ),
        annex=annex_view(checked, score) if with_annex else None,
        extras=pdf_extras(project, score.incomplete),
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
    date: dt.date | None  # None: no 填报日期 printed, no date in the metadata

    @property
    def timestamp(self) -> str:
        """The date as an ISO 8601 time stamp, midnight China Standard Time ("" without one)."""
        # Dates come from the data (the form's 填报日期), never the clock, so that the same
        # content always makes the same bytes. China Standard Time, as on the form.
        return f"{self.date.isoformat()}T00:00:00+08:00" if self.date else ""


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
    # The paper form leaves a figure that was not given blank.
    env.filters.update(
        declared_yuan=functools.partial(declared_yuan_text, missing=BLANK),
        figure=functools.partial(figure_text, missing=BLANK),
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
        date=project.filled_on,
    )


def booklet_meta(year: int, unit_name: str, forms: list[FormView]) -> DocumentMeta:
    """A booklet's PDF metadata, dated by the latest 填报日期 of its forms (at least one)."""
    departments = sorted({f.project.department.name for f in forms})
    return DocumentMeta(
        title=f"{unit_name} {year}年度项目支出绩效目标自评表汇编",
        subject=f"{unit_name} {year}年度全部 {len(forms)} 个项目的项目支出绩效目标自评表",
        author=unit_name,
        keywords=", ".join(["项目支出绩效目标自评表", str(year), unit_name, *departments]),
        date=max((f.project.filled_on for f in forms if f.project.filled_on), default=None),
    )


class PdfTemplates:
    """The loaded templates; one instance renders every document of a build."""

    def __init__(self, site_title: str, template_dir: Path = TEMPLATE_DIR) -> None:
        self.env = environment(template_dir)
        self.site_title = site_title
        self.form_template = self.env.get_template("form.html")
        self.booklet_template = self.env.get_template("booklet.html")
        self.stamps_template = self.env.get_template("stamps.html")

    def source_text(self) -> str:
        """Every template's source, stylesheet included: what the documents can show beside
        the forms' own text."""
        loader = self.env.loader
        if loader is None:
            return ""
        return "".join(loader.get_source(self.env, name)[0] for name in loader.list_templates())

    def stylesheet(self) -> str:
        """The PDF stylesheet's text (templates/pdf/pdf.css)."""
        return (self.env.loader.get_source(self.env, "pdf.css")[0]) if self.env.loader else ""

    def form(self, view: FormView) -> str:
        """One form's HTML."""
        return self.form_template.render(
            form=view, meta=form_meta(view.project), site_title=self.site_title
        )

    def booklet(self, cover: BookletCover, starts: list[int]) -> str:
        """The cover and contents of a booklet whose forms begin on the pages `starts`."""
        return self.booklet_template.render(
            meta=cover.meta,
            year=cover.year,
            unit_name=cover.unit_name,
            departments=list(cover.departments),
            names=list(cover.names),
            starts=starts,
            site_title=cover.site_title,
        )

    def stamps(self, numbers: range) -> str:
        """HTML of one page per number, each number where a booklet page carries it."""
        return self.stamps_template.render(numbers=numbers)


@dataclass(frozen=True)
class BookletCover:
    """What a booklet's cover and contents show."""

    year: int
    unit_name: str
    departments: tuple[str, ...]
    names: tuple[str, ...]  # the forms' project names, in order
    meta: DocumentMeta
    site_title: str


def booklet_cover(year: int, forms: list[FormView], site_title: str) -> BookletCover:
    """The cover of the booklet of `forms` (one unit's forms of `year`, in order)."""
    unit_name = "、".join(sorted({f.project.unit for f in forms}))
    departments = sorted({(f.project.department.code, f.department) for f in forms})
    return BookletCover(
        year=year,
        unit_name=unit_name,
        departments=tuple(label for _, label in departments),
        names=tuple(f.project.name for f in forms),
        meta=booklet_meta(year, unit_name, forms),
        site_title=site_title,
    )
