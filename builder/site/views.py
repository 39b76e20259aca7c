"""What the pages show: projects with their scores, and totals per year, department and unit.

Plain data for the templates, computed once per build. No HTML here.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import urls
from ..config import SiteConfig
from ..form.dates import PrintedMonth, full_date
from ..publish.dates import Dates
from ..rules.holdback import HeldBackEntry
from ..rules.policies import SitePolicies
from ..search.pagefind import SearchPart, search_parts
from .departments import department_choices, department_titles
from .project_view import ProjectView

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    """What listings, feeds and other years' pages show of a project: small enough to keep
    for every project between builds, so an edit re-reads only the files it touches.

    Money (`budget`, `executed`) in 元, None where the form prints none; `rate` is 执行率 in
    percent (20.10), None when it cannot be computed; `total` and `declared_total` in points;
    `unit` is the 实施单位, `unit_slug` its folder; `filled_on` None where the form prints no
    date. `incomplete`: the source cut off a part the rules score, so `total` is of the parts
    there and `grade` is None; such a form counts in no average and no grade distribution.
    `published_on` / `updated_on`: the days of the commits that added and last changed the
    file (`publish/dates.py`), None where git does not know the file as it is.
    """

    file: str  # content-relative path
    year: int
    id: str
    name: str
    unit: str
    unit_slug: str
    department: str
    department_code: str
    filled_on: dt.date | PrintedMonth | None
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    total: Decimal
    declared_total: Decimal | None
    grade: str | None  # None for a form cut off: no grade is computed
    issue_count: int  # the form's issues (`ProjectView.issue_list`), not its findings
    # The issues about figures, and what they are about (总分与等次, 三级指标“…”): the 复核 pages.
    figure_issues: int = 0
    issue_topics: tuple[str, ...] = ()
    incomplete: bool = False  # cut off by its source: its total is not the whole
    published_on: dt.date | None = None
    updated_on: dt.date | None = None

    @property
    def difference(self) -> Decimal | None:
        """复核 − 申报 total in points (−2.5), None where the form declares no total."""
        return None if self.declared_total is None else self.total - self.declared_total

    @property
    def in_review(self) -> bool:
        """True when a figure the form declares disagrees with the rules or with another."""
        return self.figure_issues > 0 or bool(self.difference)

    @property
    def department_key(self) -> str:
        """Who the department is (`urls.department_key`): its folder in the site."""
        return urls.department_key(self.department_code, self.department)

    @property
    def page(self) -> str:
        """The project's page in the site: `2023/<unit folder>/<id>/index.html`."""
        return f"{urls.year_dir(self.year)}{self.unit_slug}/{self.id}/index.html"

    @property
    def chart_rate(self) -> tuple[str, Decimal | None]:
        """(project name, 执行率 in percent): a bar of a year's execution chart."""
        return self.name, self.rate


def summarise(view: ProjectView, content: Path, dates: Dates | None = None) -> ProjectSummary:
    """The summary kept of a project page; `file` relative to `content` (as given when the file
    lies outside it); its 发布日期 and 最近更新 from `dates` (content-relative file ->
    `FormDates`), none when it is not there."""
    project, score = view.project, view.score
    # As written: a form read through a linked folder is known by its path under content/.
    try:
        file = Path(os.path.abspath(view.checked.file)).relative_to(os.path.abspath(content))
        file_name = file.as_posix()
    except ValueError:
        try:
            file_name = view.checked.file.resolve().relative_to(content.resolve()).as_posix()
        except ValueError:
            file_name = view.checked.file.as_posix()
    return ProjectSummary(
        file=file_name,
        year=project.year,
        id=project.id,
        name=project.name,
        unit=project.unit,
        unit_slug=view.unit_slug,
        department=project.department.name,
        department_code=project.department.code,
        filled_on=project.filled_on,
        budget=view.budget,
        executed=view.executed,
        rate=view.rate,
        total=score.total,
        declared_total=project.declared.total,
        grade=score.grade,
        issue_count=len(view.issue_list),
        figure_issues=len(view.figure_issues),
        issue_topics=tuple(issue.topic for issue in view.figure_issues),
        incomplete=score.incomplete,
        published_on=known.published if (known := (dates or {}).get(file_name)) else None,
        updated_on=known.updated if known else None,
    )


@dataclass
class Group:
    """Projects sharing a year and a department or unit, with their totals; a unit's `parent`
    department (when it has one only), a department's `children` units."""

    key: str
    title: str
    page: str
    projects: list[ProjectSummary] = field(default_factory=list)
    parent: Group | None = field(default=None, repr=False, compare=False)
    children: list[Group] = field(default_factory=list, repr=False, compare=False)

    @property
    def budget(self) -> Decimal:
        """The projects' 全年预算数 added up, in 元 (those that print none left out)."""
        return sum((p.budget for p in self.projects if p.budget is not None), ZERO)

    @property
    def executed(self) -> Decimal:
        """The projects' 全年执行数 added up, in 元 (those that print none left out)."""
        return sum((p.executed for p in self.projects if p.executed is not None), ZERO)

    @property
    def rate(self) -> Decimal | None:
        """The group's 执行率: executed / budget of the sums, in percent, unrounded; None when
        the budgets add up to 0."""
        return None if not self.budget else (self.executed / self.budget * 100)

    @property
    def average(self) -> Decimal | None:
        """The mean computed total, in points, unrounded, of the forms that are whole (a form
        cut off has a total of its parts only: `incomplete_count` says how many are left
        out); None for a group without such a form."""
        whole = [p.total for p in self.projects if not p.incomplete]
        return sum(whole, ZERO) / len(whole) if whole else None

    @property
    def incomplete_count(self) -> int:
        """How many of the group's forms are cut off by their source (`ProjectSummary.
        incomplete`): left out of its average and its grade distribution."""
        return sum(1 for p in self.projects if p.incomplete)

    @property
    def chart_money(self) -> tuple[str, Decimal, Decimal]:
        """(title, budget, executed in 元): a pair of bars of the year's money chart."""
        return self.title, self.budget, self.executed

    @property
    def rate_bands(self) -> list[tuple[str, int]]:
        """How many projects executed how much of their budget, for listings too long to
        chart project by project."""
        bands = [
            ("低于50%", Decimal(0)),
            ("50%-80%", Decimal(50)),
            ("80%-90%", Decimal(80)),
            ("90%-100%", Decimal(90)),
            ("100%", Decimal(100)),
        ]
        counts = Counter()
        for p in self.projects:
            rate = p.rate if p.rate is not None else Decimal(0)
            label = next(label for label, low in reversed(bands) if rate >= low)
            counts[label] += 1
        return [(label, counts.get(label, 0)) for label, _ in bands]

    @property
    def booklet(self) -> str:
        """The unit's booklet (meaningful for unit groups)."""
        year = self.projects[0].year if self.projects else 0
        return urls.unit_booklet(year, self.key)

    def grade_counts(self, labels: list[str]) -> list[tuple[str, int]]:
        """(grade label, number of projects) for each of `labels`, in their order; a form cut
        off has no grade and is in none (`incomplete_count`)."""
        counts = Counter(p.grade for p in self.projects)
        return [(label, counts.get(label, 0)) for label in labels]


@dataclass
class YearView(Group):
    """A year: its projects and totals (as a `Group`), and its departments and units."""

    departments: list[Group] = field(default_factory=list)
    units: list[Group] = field(default_factory=list)

    def relate(self) -> None:
        """Each department's units (a unit under each it has projects of), each unit's one."""
        by_key = {group.key: group for group in self.departments}
        for unit in self.units:
            keys = sorted({p.department_key for p in unit.projects})
            for key in keys:
                by_key[key].children.append(unit)
            unit.parent = by_key[keys[0]] if len(keys) == 1 else None


@dataclass(frozen=True)
class Update:
    """An entry of 最近更新 and of the feed: a project and when it was published or changed."""

    project: ProjectSummary
    kind: str  # 新公开, 更新 (from the repository's history) or 填报 (from the form's date)
    updated: str  # RFC 3339 date-time

    @property
    def date(self) -> dt.date:
        """The day of `updated`."""
        return dt.date.fromisoformat(self.updated[:10])


LATEST = 10


def latest_updates(
    projects: list[ProjectSummary], changes: dict[tuple[int, str], tuple[str, str]]
) -> list[Update]:
    """Newest first: the repository's history where there is one, else the 填报日期; a form
    with neither (no date printed) has no time to be listed by, and is not."""

    def when(p: ProjectSummary) -> tuple[str, str]:
        change = changes.get((p.year, p.id))
        if change is not None:
            return ("新公开" if change[0] == "added" else "更新", change[1])
        day = full_date(p.filled_on)  # a month alone is no time: listed as undated
        return ("填报", f"{day.isoformat()}T00:00:00Z" if day else "")

    def newest(p: ProjectSummary) -> tuple[str, str]:
        return (when(p)[1], p.id)

    # Only the first few are shown: picked without making an update of every project.
    dated = [p for p in projects if when(p)[1]]
    return [Update(p, *when(p)) for p in heapq.nlargest(LATEST, dated, key=newest)]


def undated_projects(
    projects: list[ProjectSummary], changes: dict[tuple[int, str], tuple[str, str]], room: int
) -> list[ProjectSummary]:
    """The first `room` projects (in the order of `projects`) that neither the repository's
    history nor a 填报日期 dates: the feed lists them after the dated ones, as of the date of
    the data, so that a form printed without a date is not left out of it."""
    found: list[ProjectSummary] = []
    for p in projects:
        if len(found) >= room:
            break
        if (p.year, p.id) not in changes and full_date(p.filled_on) is None:
            found.append(p)
    return found


@dataclass
class SiteView:
    """Everything the pages of a build show: the projects newest year first, each year with
    its groups, each project's history, the latest updates, and the search index's parts."""

    config: SiteConfig
    projects: list[ProjectSummary]
    years: list[YearView]
    history: dict[str, list[ProjectSummary]]  # project id -> the same project, oldest year first
    grade_labels: list[str]
    latest: list[Update]
    everything: Group
    search_parts: list[SearchPart] = field(default_factory=list)
    held_back: tuple[HeldBackEntry, ...] = ()  # forms with errors, listed on the data page
    # Projects no date is known of, for the feed after `latest` (`undated_projects`).
    undated: list[ProjectSummary] = field(default_factory=list)
    # The day of the last commit of content/ when the forms are as committed (the build's
    # `publish.datadate.committed_on`); None when git cannot say it.
    committed_on: dt.date | None = None

    # The search page's choices: every name once, in the order Jinja2's `unique | sort` gives.
    @functools.cached_property
    def department_choices(self) -> list[tuple[str, str]]:
        """Every 主管部门 once as (filter value, words), namesakes told apart by their codes
        (`departments.department_choices`)."""
        return department_choices(self.projects)

    @functools.cached_property
    def unit_names(self) -> list[str]:
        """Every 实施单位 name once, sorted case-insensitively."""
        return sorted(dict.fromkeys(p.unit for p in self.projects), key=str.lower)


def site_view(
    summaries: list[ProjectSummary],
    config: SiteConfig,
    changes: dict[tuple[int, str], tuple[str, str]] | None = None,
) -> SiteView:
    """The listings of the whole site from the projects' summaries. `changes` maps (year, id) to
    (change kind, RFC 3339 time) from the repository's history, for 最近更新."""
    projects = sorted(summaries, key=lambda p: (-p.year, p.unit_slug, p.id))
    policies = SitePolicies.of_config(config)
    # The default policy's grades, and another policy's where a form earned them.
    shown = {g.label for g in policies.default.policy.grades} | {
        p.grade for p in projects if p.grade is not None
    }
    grade_labels = [label for label in policies.grade_labels if label in shown]

    # Titled as everywhere they are shown (listings, headings, cards, breadcrumbs, charts),
    # and as an incremental build compares them (`publish.plan.frame`).
    titles = department_titles(projects)
    years: list[YearView] = []
    for year in sorted({p.year for p in projects}, reverse=True):
        in_year = [p for p in projects if p.year == year]
        view = YearView(str(year), f"{year}年度", urls.year_dir(year), in_year)
        departments: dict[str, Group] = {}
        units: dict[str, Group] = {}
        for p in in_year:
            key = p.department_key
            departments.setdefault(
                key, Group(key, titles[(year, key)], urls.department_dir(year, key))
            ).projects.append(p)
            units.setdefault(
                p.unit_slug, Group(p.unit_slug, p.unit, urls.unit_dir(year, p.unit_slug))
            ).projects.append(p)
        view.departments = sorted(departments.values(), key=lambda g: g.key)
        view.units = sorted(units.values(), key=lambda g: g.key)
        view.relate()
        years.append(view)

    latest = latest_updates(projects, changes or {})
    undated = undated_projects(projects, changes or {}, LATEST - len(latest))
    everything = Group("all", config.title, "index.html", projects)
    pages: Counter[tuple[int, str]] = Counter((p.year, p.unit_slug) for p in projects)
    return SiteView(
        config,
        projects,
        years,
        history_of(projects),
        grade_labels,
        latest,
        everything,
        search_parts(pages),
        undated=undated,
    )


def history_of(projects: list[ProjectSummary]) -> dict[str, list[ProjectSummary]]:
    """Each project id's summaries over the years, oldest first."""
    history: dict[str, list[ProjectSummary]] = defaultdict(list)
    for p in projects:
        history[p.id].append(p)
    for same in history.values():
        same.sort(key=lambda p: p.year)
    return dict(history)
