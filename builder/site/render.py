"""Render: the HTML pages, feed and sitemap, through the Jinja2 templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from markupsafe import Markup, escape

from .. import __version__, urls
from ..config import SiteConfig
from ..executor_local import LocalExecutor
from ..form.dates import full_date
from ..formats import (
    band_label,
    chinese_date,
    declared_text,
    figure_text,
    fixed_text,
    grade_text,
    percent_text,
    wan_text,
    yuan_text,
)
from ..opendata.catalogue import FIELDS_PAGE, field_tables
from ..publish.staging import Staging
from ..rules.explain import ERROR_EXPLANATIONS, EXPLANATIONS, SEVERITY_LABELS, explain
from ..rules.findings import LocatedFinding, Severity
from ..rules.results import Kind, Rule
from . import charts
from .across import ProjectYears, department_money, department_years
from .compiled import CompiledTemplates
from .honesty import signed_text
from .methodology import finding_anchor, policy_tables
from .navigation import group_trail, project_trail, site_root, summary_of, url
from .pagetasks import PARALLEL_FROM, RenderShared, page_batches, render_pages
from .project_view import ProjectView
from .prose import MarkdownFilter
from .review import site_reviews
from .spilled import ProjectPages, SpilledViews
from .views import ProjectSummary, SiteView

if TYPE_CHECKING:
    from ..executor import Executor

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STATIC = "assets"

RULE_LABELS = {
    Rule.positive: "正向指标:实际值÷指标值×分值",
    Rule.reverse: "反向指标:指标值÷实际值×分值",
    Rule.reverse_breached: "反向指标超标",
    Rule.equal_met: "等于指标值,得满分",
    Rule.over_achieved: "超额完成",
    Rule.band: "定性指标,按完成情况分档",
    Rule.unbanded: "实际完成值未说明完成档次,无法核对,沿用申报得分",
    Rule.no_actual: "实际完成值为空,无法核对,沿用申报得分",
    Rule.no_target: "年度指标值为空,无法核对,沿用申报得分",
    Rule.measure_units_differ: "单位不同,沿用申报得分",
    Rule.fraction_or_percent: "百分比与不带单位的小数无法确定,沿用申报得分",
    Rule.deadline_met: "按期限完成,得满分",
    Rule.deadline_missed: "未按期限完成,沿用申报得分",
    Rule.deadline_unchecked: "无法判断是否按期完成,沿用申报得分",
    Rule.unreadable: "数值无法识别",
    Rule.not_applicable: "不适用",
    Rule.no_weight: "原表该行无分值,无法核对,沿用申报得分",
    Rule.placeholder: "表样占位行,未填写,不计分",
}


def make_environment(
    templates: Path = TEMPLATES, auto_reload: bool = True, compiled: Path | None = None
) -> Environment:
    """The Jinja2 environment of the pages, loading from `templates`: HTML, XML and SVG escaped,
    an undefined name an error (jinja2.UndefinedError when rendered), and the filters that
    write figures (`formats.py`) and links (`url`). `auto_reload` False: a template once
    loaded is not checked for a change on disk again (a build, whose templates do not change
    while it runs, saves a `stat` of each template a page uses, for every page); the preview
    keeps it True. `compiled`: a cache folder where compiled templates are kept between
    builds (`compiled.CompiledTemplates`)."""
    env = Environment(
        auto_reload=auto_reload,
        bytecode_cache=None if compiled is None else CompiledTemplates(compiled),
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=yuan_text,
        wan=wan_text,
        percent=percent_text,
        # A figure jixiao computed (or a policy's): 97.5; one the form declares, as typed.
        points=figure_text,
        declared=declared_text,
        fixed=fixed_text,
        grade=grade_text,
        chinese_date=chinese_date,
        markdown=MarkdownFilter(),
        rule_label=lambda rule: RULE_LABELS.get(rule, str(rule)),
        band_label=band_label,
        severity_label=lambda severity: SEVERITY_LABELS[severity],
        sitemap_entries=sitemap_entries,
        signed=signed_text,
    )
    env.globals.update(
        url=url,
        project_trail=project_trail,
        group_trail=group_trail,
        summary_of=summary_of,
        explain=lambda located: explain(located.finding),
        charts=charts,
        explanations=EXPLANATIONS,
        error_explanations=ERROR_EXPLANATIONS,
        finding_anchor=finding_anchor,
        Kind=Kind,
        Severity=Severity,
        version=__version__,
    )
    return env


def sitemap_entries(projects: list[ProjectSummary], base_url: str) -> Markup:
    """The sitemap's line for each project page: a loop in Python, ten thousand of them
    being a tenth of a second in the template."""
    return Markup(
        "".join(
            f"  <url><loc>{escape(base_url)}{escape(p.page.removesuffix('index.html'))}</loc>"
            + (f"<lastmod>{p.filled_on.isoformat()}</lastmod>" if p.filled_on else "")
            + "</url>\n"
            for p in projects
        )
    )


@dataclass(frozen=True)
class Page:
    """One page to write: its site path, its template, what the template is given."""

    path: str  # site-relative output path
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """The listing pages an incremental build rewrites: those that show a changed project."""

    years: frozenset[int]
    departments: frozenset[tuple[int, str]]
    units: frozenset[tuple[int, str]]


def pages(
    site: SiteView, views: Iterable[ProjectView], scope: Scope | None = None
) -> Iterator[Page]:
    """The pages to write: every listing (or those in `scope`) and the given project pages."""
    yield Page("index.html", "index.html", {})
    yield Page(
        "methodology/index.html", "methodology.html", {"policies": policy_tables(site.config)}
    )
    yield Page("search/index.html", "search.html", {})
    yield Page("404.html", "404.html", {"absolute_root": site_root(site.config.base_url)})
    # data/index.html is written by the open data (`outputs/opendata.py`), with the files'
    # sizes; 字段说明 comes from the column declarations alone.
    yield Page(FIELDS_PAGE, "data_fields.html", {"tables": field_tables()})
    reviews = site_reviews(site.years)
    # A department's page shows its totals of every year: a change in one year rewrites all.
    touched_departments = {key for _, key in scope.departments} if scope else set()
    yield Page("about/index.html", "about.html", {})
    yield Page("accessibility/index.html", "accessibility.html", {})
    for year in site.years:
        number = int(year.key)
        if scope is None or number in scope.years:
            yield Page(year.page + "index.html", "year.html", {"year": year})
            review = reviews[year.key].year
            yield Page(review.page, "review.html", {"year": year, "review": review})
        for review in reviews[year.key].departments:
            if scope is None or (number, review.department) in scope.departments:
                yield Page(review.page, "review.html", {"year": year, "review": review})
        for group in year.departments:
            if scope is None or group.key in touched_departments:
                yield Page(
                    group.page + "index.html",
                    "group.html",
                    {"year": year, "group": group, "kind": "department"},
                )
        for group in year.units:
            if scope is None or (number, group.key) in scope.units:
                yield Page(
                    group.page + "index.html",
                    "group.html",
                    {"year": year, "group": group, "kind": "unit"},
                )
    for view in views:
        yield project_page(site, view)


def project_page(site: SiteView, view: ProjectView) -> Page:
    """The page of one project: its view, the same project's other years."""
    history = site.history.get(view.project.id, [])
    return Page(
        view.page, "project.html", {"p": view, "history": history, "years": ProjectYears(history)}
    )


def project_links(view: ProjectView) -> dict[str, str]:
    """Site paths of a project's PDF, record, source, booklet and listings, by name."""
    project, unit = view.project, view.unit_slug
    return {
        "pdf": urls.project_pdf(project, unit),
        "xlsx": urls.project_xlsx(project, unit),
        "record": urls.project_record(project, unit),
        "source": urls.project_source(project, unit),
        "booklet": urls.unit_booklet(project.year, unit),
        "unit": urls.unit_dir(project.year, unit),
        "department": urls.department_dir(
            project.year, urls.department_key(project.department.code, project.department.name)
        ),
        "year": urls.year_dir(project.year),
    }


def build_date(site: SiteView) -> dt.date | None:
    """The date of the data (数据截至), from the data only, so that rebuilding the same data
    gives the same site: the day of the last commit of content/ when the forms are as
    committed (`SiteView.committed_on`), else the latest 填报日期; None when neither is known
    (no form prints a date and git cannot say): the pages then say no date at all."""
    if site.committed_on is not None:
        return site.committed_on
    return max((d for p in site.projects if (d := full_date(p.filled_on))), default=None)


def undated_moment(data_date: dt.date | None) -> str:
    """The feed's time of the entries no date is known of: the date of the data as an RFC 3339
    time (its midnight, UTC, as a 填报日期 is given); "" when that is not known either."""
    return f"{data_date.isoformat()}T00:00:00Z" if data_date is not None else ""


def feed_updated(site: SiteView, data_date: dt.date | None) -> str:
    """The feed's `<updated>`: the latest time of its entries (the undated ones are as of
    `data_date`); "" when nothing is dated, and then there is no feed: an Atom feed and each
    of its entries must say when it was updated (RFC 4287 4.1.1, 4.1.2), and no date is
    made up."""
    moments = [u.updated for u in site.latest]
    if site.undated and data_date is not None:
        moments.append(undated_moment(data_date))
    return max(
        moments, key=lambda m: dt.datetime.fromisoformat(m.replace("Z", "+00:00")), default=""
    )


def common_context(
    site: SiteView, config: SiteConfig, features: dict[str, bool], pdf_facts: Any = None
) -> dict[str, Any]:
    """What every page's template is given besides its own context. `pdf_facts` tells a PDF
    link its size and pages (`get(site_path, "PDF")`, `pdf/facts.py`): none while the PDFs
    are not made yet, when the pages are first written."""
    data_date = build_date(site)
    return {
        "pdf_facts": {} if pdf_facts is None else pdf_facts,
        "site": site,
        "config": config,
        "features": features,
        "data_date": data_date,
        "feed_updated": feed_updated(site, data_date),
        "undated_moment": undated_moment(data_date),
        "project_links": project_links,
        "findings_sorted": _findings_sorted,
        "reviews": site_reviews(site.years),
        "department_years": department_years(site.years),
        "department_money": department_money,
    }


def _render_written(
    shared: RenderShared,
    staging: Staging,
    to_write: list[Page],
    runner: Executor,
    progress: Callable[[int], None] | None,
    more: Sequence[ProjectPages] = (),
) -> list[str]:
    """`to_write` rendered in batches by `runner` (`site.pagetasks`), then the batches `more`
    (the project pages of forms kept on disk, `site.spilled`), and written here through
    `staging`; the site paths written. `progress` is told how many pages each batch wrote."""
    if len(to_write) > PARALLEL_FROM and not runner.remote:
        compile_pages(shared.env)  # before the workers fork: compiled once, not in each
    written: list[str] = []
    batches: list[Any] = [*page_batches(to_write, runner.workers), *more]
    for rendered in runner.map(render_pages, shared, batches):
        fresh = [path for path, html in rendered if staging.write(path, html)]
        written += fresh
        if progress:
            progress(len(fresh))
    return written


def compile_pages(env: Environment) -> None:
    """Load (compile) every page template of `env`'s folder, those the pages include and
    extend among them, into its cache: done before a render forks its local workers, which
    then inherit them compiled (each compiled them again on its own: about 0.1 s of CPU a
    process). The PDF templates, in their own folder, are left, and so is a template that
    does not compile: a page that uses it raises as it did."""
    for name in env.list_templates(filter_func=lambda name: "/" not in name):
        try:
            env.get_template(name)
        except TemplateError:
            continue


def write_pages(
    site: SiteView,
    config: SiteConfig,
    staging: Staging,
    features: dict[str, bool],
    pages_to_write: list[Page],
    env: Environment | None = None,
    pdf_facts: Any = None,
    jobs: int = 1,
    more: Sequence[ProjectPages] = (),
) -> list[str]:
    """Render and write these pages alone, then the batches `more` (project pages of forms
    kept on disk, as `write_site` renders them), as `write_site` renders its own (an output
    that knows what a page shows only once it wrote its files: the data page, the PDF links
    with `pdf_facts`); returns the site paths written. Rendered on this machine, in this
    process or, with `jobs` > 1 and many pages, in `jobs` forked ones: `pdf_facts` reads the
    files in this build's staging folder, which only this machine has."""
    common = common_context(site, config, features, pdf_facts)
    shared = RenderShared(env or make_environment(auto_reload=False), common, make_environment)
    return _render_written(shared, staging, pages_to_write, LocalExecutor(jobs), None, more)


def write_site(
    site: SiteView,
    views: Sequence[ProjectView],
    config: SiteConfig,
    out: Staging | Path,
    features: dict[str, bool],
    jobs: int = 1,
    scope: Scope | None = None,
    env: Environment | None = None,
    progress: Callable[[int], None] | None = None,
    executor: Executor | None = None,
    pdf_facts: Any = None,
) -> list[str]:
    """Render the pages (every listing, or those in `scope`, and a page per view), the
    sitemap, feed and robots.txt, and copy the static assets, through `out` (a folder is
    written in full). Returns the site paths written (in an incremental build, those that
    differ from the published ones). Batches of pages are rendered by `executor` (a Dask
    cluster), or else by `jobs` local processes (`site.pagetasks`), and written here;
    `progress` is told how many pages each batch wrote. `pdf_facts`: the PDF links' texts
    known before the PDFs are made (site path -> `PDF, 103 KB, 2 页`, `outputs/links.py`)."""
    staging = out if isinstance(out, Staging) else Staging(out)
    env = env or make_environment(auto_reload=False)
    common = common_context(site, config, features, pdf_facts)
    runner = executor if executor is not None else LocalExecutor(jobs)
    shared = RenderShared(env, common, make_environment)
    if isinstance(views, SpilledViews):  # each batch read back where it is rendered
        listings = list(pages(site, (), scope))
        more = [ProjectPages(site, part, project_page) for part in views.parts()]
        written = _render_written(shared, staging, listings, runner, progress, more)
    else:
        written = _render_written(
            shared, staging, list(pages(site, views, scope)), runner, progress
        )
    for name in ("sitemap.xml", "feed.xml", "robots.txt"):
        if name == "feed.xml" and not common["feed_updated"]:
            continue  # nothing in it can be dated (`feed_updated`): no feed
        text = env.get_template(name).render(page=name, **common)
        if staging.write(name, text.encode("utf-8")):
            written.append(name)
    static = TEMPLATES / "static"
    for source in sorted(static.rglob("*")):
        if source.is_file():
            relative = source.relative_to(static).as_posix()
            if staging.write(f"{STATIC}/{relative}", source.read_bytes()):
                written.append(f"{STATIC}/{relative}")
    return written


def _findings_sorted(findings: list[LocatedFinding]) -> list[LocatedFinding]:
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(findings, key=lambda f: (order[str(f.finding.severity)], f.line))
