"""Incremental planning: from the last build's state and the files' hashes, what to re-read,
which listings to rewrite, what the published site has that this build no longer makes.

A build without a usable state (the first one, `--full`, a change of the tool or site.yaml)
plans everything: `Plan.incremental` is False and nothing below narrows it. A change of the
templates alone re-reads every form and renders every page, but keeps the open data of the
forms an edit would keep (`pages_anew`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import urls
from ..form.dates import full_date
from ..opendata.export import DATA_DIR
from ..opendata.records import ProjectData
from ..search.merge import ENTRY_FILE, PART_FILE
from ..search.pagefind import BUNDLE, SearchPart, unit_part
from ..site.departments import department_titles
from ..site.render import Scope
from ..site.views import ProjectSummary, SiteView
from .dates import FormDates
from .manifest import BuildState, Stamps

# (years in the menu, date of the data): what every page shows of the whole site.
Frame = tuple[tuple[int, ...], object, dict[tuple[int, str], str]]


@dataclass
class Plan:
    """What a build re-reads and what it keeps of the last one. Paths are content-relative
    (`2023/unit/file.yaml`); `to_check` are the files to read, as paths under the content."""

    incremental: bool
    to_check: list[Path]
    changed: set[str]  # files re-read because they are new or changed
    removed: dict[str, ProjectSummary]  # files gone since the last build
    previous: dict[str, ProjectSummary]  # last build's summary of every re-read file
    kept_summaries: dict[str, ProjectSummary]
    kept_data: dict[str, ProjectData]
    kept_tables: dict[str, str] = field(default_factory=dict)  # table site path -> signature
    previous_frame: Frame | None = None  # the last build's, when incremental
    # The last build's open-data share of every re-read or removed file: where its rows lay
    # in the published tables (`opendata.splice`).
    gone_data: dict[str, ProjectData] = field(default_factory=dict)
    # The templates changed since the last build: every form is re-read and every page
    # rendered again, yet `kept_data` holds the shares of the forms an edit would keep.
    pages_anew: bool = False

    def left_as_published(self, file_of: Mapping[Path, str]) -> set[Path]:
        """The forms re-read (`CheckedProject.file`, `file_of` their content-relative paths)
        whose outputs that no template makes (open data, workbook) are left as published: those
        an edit would not re-read, when the pages are made anew (`pages_anew`); else none."""
        return {file for file, rel in file_of.items() if rel in self.kept_data}

    def known_ids(self) -> dict[tuple[int, str], str]:
        """(year, id) -> file of every form kept without being re-read."""
        return {(s.year, s.id): rel for rel, s in self.kept_summaries.items()}


def full_plan(files: list[Path], digests: Mapping[str, str]) -> Plan:
    """Read every file, keep nothing: a full build."""
    return Plan(False, files, set(digests), {}, {}, {}, {})


def plan_build(
    state: BuildState | None,
    digests: Mapping[str, str],
    content: Path,
    files: list[Path],
    with_unit_mates: bool = False,
    dates: Mapping[str, FormDates] | None = None,
    templates: str = "",
) -> Plan:
    """The files to re-read: the new and changed ones, the other years of a touched project
    (their pages show its history), those whose 发布日期 or 最近更新 in `dates` (from git:
    a commit after the build that read them) is not what their page says, and, `with_unit_mates` (when booklets are made), every
    project of a touched unit and year. Without a `state`, a full plan. When `templates`
    (`manifest.templates_digest`) are not the state's, every page anew (`pages_anew`)."""
    if state is None:
        return full_plan(files, digests)
    changed = {
        rel
        for rel, digest in digests.items()
        if rel not in state.files or state.files[rel].digest != digest
    }
    removed = {rel: state.files[rel].summary for rel in state.files if rel not in digests}
    touched_ids = {state.files[rel].summary.id for rel in changed if rel in state.files}
    touched_ids |= {summary.id for summary in removed.values()}
    for rel in changed - set(state.files):
        touched_ids.add(Path(rel).stem)  # a new file: its id is usually its name
    related = {
        rel
        for rel, item in state.files.items()
        if item.summary.id in touched_ids and rel in digests
    }
    if dates is not None:
        related |= {
            rel
            for rel, item in state.files.items()
            if rel in digests and redated(item.summary, dates.get(rel))
        }
    to_read = changed | related
    if with_unit_mates:
        to_read |= _unit_mates(state, digests, to_read, removed)
    kept = {rel: item for rel, item in state.files.items() if rel in digests and rel not in to_read}
    planned = Plan(
        incremental=True,
        to_check=[content / rel for rel in sorted(to_read)],
        changed=changed,
        removed=removed,
        previous={rel: state.files[rel].summary for rel in to_read if rel in state.files},
        kept_summaries={rel: item.summary for rel, item in kept.items()},
        kept_data={rel: item.data for rel, item in kept.items()},
        kept_tables=state.tables,
        previous_frame=frame(item.summary for item in state.files.values()),
        gone_data={
            rel: state.files[rel].data for rel in (to_read | set(removed)) if rel in state.files
        },
    )
    return pages_anew(planned, files) if state.templates != templates else planned


def pages_anew(plan: Plan, files: list[Path]) -> Plan:
    """The plan of a build whose templates changed since the last one (`plan`, made by
    `plan_build` from that build's state): every one of `files` re-read, so that every page,
    listing and PDF is made again through the new templates, while the open data keeps the
    shares, the tables and the records of the forms `plan` keeps (no template makes them).
    Every form is `previous` then: its last build's summary stands for what its pages showed."""
    return replace(
        plan,
        to_check=list(files),
        previous={**plan.kept_summaries, **plan.previous},  # the last build's, of every form
        kept_summaries={},
        pages_anew=True,
    )


def _unit_mates(
    state: BuildState,
    digests: Mapping[str, str],
    to_read: set[str],
    removed: Mapping[str, ProjectSummary],
) -> set[str]:
    """Every published form of a unit and year one of `to_read` (or `removed`) is in: its
    booklet is made again from the forms read, so they must be all of the unit's. The units
    of the other years a touched project is read in, and of the forms re-read for their dates,
    count as much as the edited form's own."""
    units = {
        (item.summary.year, item.summary.unit_slug)
        for rel, item in state.files.items()
        if rel in to_read or rel in removed
    }
    units |= {(int(rel[:4]), Path(rel).parent.name) for rel in to_read if rel[:4].isdigit()}
    return {
        rel
        for rel, item in state.files.items()
        if rel in digests and (item.summary.year, item.summary.unit_slug) in units
    }


def redated(summary: ProjectSummary, dates: FormDates | None) -> bool:
    """Whether a form's page shows other days than `dates` (None: git does not know it)."""
    shown = (summary.published_on, summary.updated_on)
    return shown != ((dates.published, dates.updated) if dates else (None, None))


def frame(summaries: Iterable[ProjectSummary]) -> Frame:
    """What pages show of forms other than their own: the years in the menu and the date of
    the data (every page), and each department's title in each year (`department_titles`:
    every page of its projects and units, in their breadcrumbs; it comes from the
    department's first form, and from namesakes elsewhere in the year). When it changes, an
    incremental build becomes a full one: a title changes only when a department's first form
    goes or is renamed, or a namesake comes or goes."""
    summaries = list(summaries)
    years = tuple(sorted({s.year for s in summaries}))
    data_date = max((d for s in summaries if (d := full_date(s.filled_on))), default=None)
    return years, data_date, department_titles(summaries)


def scope(plan: Plan, fresh: Mapping[str, ProjectSummary]) -> Scope:
    """The listings to rewrite. Listings show only what a summary holds: a re-read project
    whose summary is as before (an edited contact, a reworded goal) touches no listing."""
    touched = [*plan.removed.values()]
    for rel in {*plan.previous, *fresh}:
        before, after = plan.previous.get(rel), fresh.get(rel)
        if before != after:
            touched += [s for s in (before, after) if s is not None]
    return Scope(
        years=frozenset(s.year for s in touched),
        departments=frozenset((s.year, s.department_key) for s in touched),
        units=frozenset((s.year, s.unit_slug) for s in touched),
    )


def stale_outputs(site_dir: Path, plan: Plan, site: SiteView) -> list[str]:
    """Site paths, sorted, that the published site has and this build no longer makes: the
    folders of projects that moved or disappeared, listings of groups that are gone, open
    data and search bundles of lost years. Empty for a full build (it replaces everything)."""
    if not plan.incremental:
        return []
    stale: list[str] = []
    current_pages = {p.page for p in site.projects}
    touched = [*plan.removed.values(), *plan.previous.values()]
    for summary in touched:
        if summary.page not in current_pages:
            stale.append(summary.page.rsplit("/", 1)[0])
    live_groups = {g.page for y in site.years for g in [y, *y.departments, *y.units]}
    for summary in touched:
        for page in (
            urls.unit_dir(summary.year, summary.unit_slug),
            urls.department_dir(summary.year, summary.department_key),
            urls.year_dir(summary.year),
        ):
            if page not in live_groups and (site_dir / page / "index.html").exists():
                stale.append(page + "index.html")
        stale += _stale_reviews(site_dir, summary, live_groups)
        # A unit with no form left published (all held back or gone): its booklet goes too.
        booklet = urls.unit_booklet(summary.year, summary.unit_slug)
        gone = urls.unit_dir(summary.year, summary.unit_slug) not in live_groups
        if gone and (site_dir / booklet).exists():
            stale.append(booklet)
    data = site_dir / DATA_DIR
    if data.is_dir():
        stale += [
            f"{DATA_DIR}/{entry.name}"
            for entry in sorted(data.iterdir())
            if entry.name.isdigit() and entry.name not in {y.key for y in site.years}
        ]
    return sorted(set(stale + _stale_bundles(site_dir, site)))


def _stale_reviews(site_dir: Path, summary: ProjectSummary, live_groups: set[str]) -> list[str]:
    """The 复核 pages (their folders) of a summary's department and year where those are gone."""
    year, key = summary.year, summary.department_key
    pairs = (
        (urls.department_dir(year, key), urls.review_dir(year, key)),
        (urls.year_dir(year), urls.review_dir(year)),
    )
    return [
        review.rstrip("/")
        for group, review in pairs
        if group not in live_groups and (site_dir / review).is_dir()
    ]


def _stale_bundles(site_dir: Path, site: SiteView) -> list[str]:
    """Search bundles (whole years, or parts of one) the site view no longer has."""
    stale: list[str] = []
    live_bundles = {part.bundle for part in site.search_parts}
    live_years = {bundle.rsplit("/", 1)[0] for bundle in live_bundles}
    bundles = site_dir / BUNDLE
    if bundles.is_dir():
        for year in sorted(bundles.iterdir()):
            name = f"{BUNDLE}/{year.name}"
            if name not in live_years or not year.is_dir():
                stale.append(name)
                continue
            stale += [  # the year's parts; its reader bundle's files are the search output's
                f"{name}/{entry.name}"
                for entry in sorted(year.iterdir())
                if "-of-" in entry.name and f"{name}/{entry.name}" not in live_bundles
            ]
    return stale


def parts_to_index(
    site_dir: Path, site: SiteView, written: list[str], plan: Plan, stale: list[str]
) -> list[SearchPart]:
    """Search parts to rebuild: a project page in them was rewritten (`written`, site paths)
    or left them (`stale`), or their bundle is not published yet (a year split anew). A unit
    is found in its part by the hash that placed it there (`unit_part`), not by the part's
    list of units: a unit whose last form stopped being published (held back, deleted) is in
    no list any more, yet its pages are still in its part's published index."""
    touched = {
        (int(path[:4]), path.split("/")[1])
        for path in written
        if path.count("/") == 3 and path.endswith("/index.html") and path[:4].isdigit()
    }
    touched |= {
        (int(path[:4]), path.split("/")[1])
        for path in stale
        if path.count("/") == 2 and path[:4].isdigit()
    }
    touched |= {(summary.year, summary.unit_slug) for summary in plan.removed.values()}
    return [
        part
        for part in site.search_parts
        if any(
            year == part.year and unit_part(unit, part.of) == part.number for year, unit in touched
        )
        or not (site_dir / part.bundle / PART_FILE).is_file()  # new, or of an older layout
        or not (site_dir / BUNDLE / str(part.year) / ENTRY_FILE).is_file()  # no reader bundle
    ]


def edited(stamps: Stamps | None, digests: Mapping[str, str], templates: str = "") -> int:
    """How many files are new, changed or gone since the last build (all, without stamps or
    when the last build's templates were other than `templates`, `manifest.templates_digest`:
    every page and PDF is made again)."""
    if stamps is None or stamps.templates != templates:
        return len(digests)
    changed = sum(1 for rel, digest in digests.items() if stamps.files.get(rel, ("",))[0] != digest)
    return changed + len(stamps.files.keys() - digests.keys())
