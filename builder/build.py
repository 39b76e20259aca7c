"""`jixiao build`: load → validate → score → render → search → pdf → export → publish.

Everything is loaded and checked before anything is written; the site is written into a
staging folder and swapped in only when every stage succeeded. A manifest of input hashes in
the cache folder lets the next build re-read and rewrite only what an edit touches.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import faults, urls
from .config import PdfSettings, SiteConfig
from .executor import parse_executor
from .form.load import load_config, locate, project_files
from .opendata.export import (
    DATA_DIR,
    ProjectData,
    exported_projects,
    project_data,
    write_project_files,
    write_tables,
)
from .pdf.jobs import RenderSetup, WarmWorkers, warm_workers
from .pdf.stage import prune_cache_when_due, render_setup, write_pdfs
from .publish.manifest import BuildState, FileState, Manifest, Stamps, digest_files, global_digest
from .publish.staging import (
    clean_leftovers,
    commit_overlay,
    finish_commit,
    link_missing,
    publish,
    set_overlay,
    staging_dir,
)
from .rules.check import CheckedProject, CheckResult, check_content
from .rules.findings import Finding, Severity
from .search.pagefind import BUNDLE, SearchPart, write_search_index
from .site.render import Scope, write_site
from .site.views import LATEST, ProjectSummary, SiteView, project_view, site_view, summarise


class BuildFailed(Exception):
    """The content has errors; nothing was published."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(f"{result.count(Severity.error)} errors")
        self.result = result


class Progress:
    """Told what the build is doing; the command line shows it, a library caller may not care."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def finish(self, name: str, seconds: float) -> None:
        pass


@dataclass
class BuildOptions:
    content: Path = Path("content")
    site: Path = Path("site")
    cache: Path = Path(".cache")
    jobs: int = os.cpu_count() or 1
    search: bool = True
    pdf: bool = True  # False defers the PDFs (the preview server), whatever site.yaml says
    executor: str = "local"  # or dask://HOST:PORT: where the PDFs are rendered
    incremental: bool = True
    progress: Progress = field(default_factory=Progress)
    # Kept by a caller that builds again and again (the preview server); else read from and
    # written to `cache` by each build.
    manifest: Manifest | None = None
    # False leaves the open-data tables of an incremental build for `refresh_tables()`: a
    # preview shows the page it rebuilt sooner.
    tables: bool = True


@dataclass
class BuildReport:
    result: CheckResult
    projects: int = 0
    checked: int = 0
    pages: int = 0
    indexed: int = 0
    pdfs_rendered: int = 0
    pdfs_reused: int = 0
    missing_glyphs: str = ""
    data_files: int = 0
    removed: int = 0
    incremental: bool = False
    unchanged: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def build(options: BuildOptions) -> BuildReport:
    workers = _WarmWorkers()
    try:
        return _build(options, workers)
    finally:
        workers.close()


def _build(options: BuildOptions, workers: _WarmWorkers) -> BuildReport:
    executor = parse_executor(options.executor)  # a wrong address fails before any work
    timer = _Timer(options.progress)
    timer.begin("hash")
    content, site_dir = options.content, options.site
    clean_leftovers(site_dir)
    finish_commit(options.cache)  # an incremental commit that was interrupted
    files = project_files(content)
    make_pdfs = options.pdf and _pdf_settings(content).enabled
    # What the last build made counts too: after a build without PDFs, one with them is not
    # "nothing changed".
    overall = global_digest(content, f"pdf={make_pdfs} search={options.search}")
    manifest = options.manifest or Manifest(options.cache)
    stamps = manifest.stamps(content, overall) if options.incremental else None
    if stamps is not None and not site_dir.is_dir():
        stamps = None
    digests, stats = digest_files(content, files, stamps)
    if stamps is not None and stamps.unchanged(digests):
        if stamps.touched(stats):
            manifest.restamp(stamps, stats)
        timer.lap("hash")
        config, _, _ = load_config(content)
        report = BuildReport(CheckResult(config, [], []), projects=len(digests), unchanged=True)
        report.seconds = timer.laps
        return report
    # Something changed: PDF workers start now and get WeasyPrint ready while this process
    # loads the manifest, checks and renders. A few edited forms need one worker: a form,
    # then its unit's booklet.
    warm = None
    if make_pdfs and not executor.remote:
        edited = len(digests) if stamps is None else _edited(stamps, digests)
        warm = workers.start(
            options.jobs if edited > EDITS_FOR_ONE_WORKER else 1,
            _early_render_setup(content, options.cache / "pdf"),
        )
    state = manifest.state(stamps) if stamps is not None else None
    timer.lap("hash")

    plan = _plan(state, digests, content, files, with_unit_mates=make_pdfs)
    faults.point("stage:check")
    timer.begin("check", len(plan.to_check))
    result = check_content(content, plan.to_check, jobs=options.jobs)
    if plan.incremental:
        _check_ids_against_unchanged(result, plan, content)
    timer.lap("check")
    if result.config is None or result.count(Severity.error):
        raise BuildFailed(result)
    config = result.config

    views = [view for c in result.projects if (view := project_view(c)) is not None]
    fresh = {summary.file: summary for summary in (summarise(v, content) for v in views)}
    file_of = {
        id(view.checked): summary.file for view, summary in zip(views, fresh.values(), strict=True)
    }
    summaries = {**plan.kept_summaries, **fresh}
    if state is not None and _frame(summaries.values()) != _frame(
        item.summary for item in state.files.values()
    ):
        # Every page shows the years and the date of the data: all of them are rewritten.
        return _build(replace(options, incremental=False), workers)
    site = site_view(list(summaries.values()), config, _recent(content))
    scope = _scope(plan, fresh) if plan.incremental else None
    report = BuildReport(
        result, projects=len(summaries), checked=len(result.projects), incremental=plan.incremental
    )

    staged = staging_dir(site_dir)
    prune = False
    indexing: _Alongside | None = None
    rendering: _Alongside | None = None
    if plan.incremental:
        set_overlay(staged, site_dir)
    try:
        features = {"pdf": make_pdfs}
        faults.point("stage:render")
        timer.begin("render")
        written = write_site(
            site,
            views,
            config,
            staged,
            features,
            jobs=options.jobs,
            scope=scope,
            progress=options.progress.advance,
        )
        report.pages = len(written)
        timer.lap("render")
        deletions = _stale_outputs(site_dir, plan, site) if plan.incremental else []
        if options.search:
            parts = site.search_parts
            if plan.incremental:
                parts = _parts_to_index(site_dir, site, written, plan, deletions)
                for part in parts:
                    for unit in part.units:
                        link_missing(
                            site_dir / urls.unit_dir(part.year, unit),
                            staged / urls.unit_dir(part.year, unit),
                            skip=[site_dir / stale for stale in deletions],
                        )
                    deletions.append(part.bundle)
            faults.point("stage:search")
            # Pagefind runs in processes of its own and reads only the pages, which are
            # written: it indexes while this process makes the PDFs and the open data.
            indexing = _Alongside(
                write_search_index,
                staged,
                parts,
                jobs=options.jobs,
                published=site_dir if plan.incremental else None,
            )
        # The PDFs are made by worker processes; this one writes the open data meanwhile.
        if make_pdfs:
            faults.point("stage:pdf")
            rendering = _Alongside(
                write_pdfs,
                result,
                config,
                config.pdf,
                staged,
                options.cache / "pdf",
                options.jobs,
                executor=executor,
                warm=warm,
            )
        faults.point("stage:opendata")
        timer.begin("export")
        data, tables = _export(
            result, file_of, plan, config, staged, site_dir, report, options.tables
        )
        timer.lap("export")
        if rendering is not None:
            pdfs = rendering.result()
            timer.record("pdf", rendering.seconds)
            report.pdfs_rendered = pdfs.rendered + pdfs.booklets_rendered
            report.pdfs_reused = pdfs.reused + pdfs.booklets_reused
            report.missing_glyphs = pdfs.missing_glyphs
            prune = pdfs.linked and report.pdfs_rendered > 0
        if indexing is not None:
            report.indexed = indexing.result()
            timer.record("search", indexing.seconds)
        faults.point("stage:publish")
        timer.begin("publish")
        set_overlay(None, None)
        if plan.incremental:
            commit_overlay(staged, site_dir, deletions, options.cache)
        else:
            publish(staged, site_dir)
        if make_pdfs and prune:
            # Once published, the versions this build replaced have no link left.
            prune_cache_when_due(
                options.cache / "pdf", report.pdfs_rendered, now=not plan.incremental
            )
        timer.lap("publish")
    except BaseException as error:
        set_overlay(None, None)
        if not isinstance(error, KeyboardInterrupt):
            # They write into the folder about to be removed.
            for alongside in (indexing, rendering):
                if alongside is not None:
                    alongside.wait()
        shutil.rmtree(staged, ignore_errors=True)
        raise
    manifest.record(
        content,
        overall,
        {
            file: FileState(digests[file], summary, data[file], stats[file])
            for file, summary in summaries.items()
            if file in data
        },
        tables,
    )
    report.seconds = timer.laps
    return report


def _frame(summaries: Iterable[ProjectSummary]) -> tuple[tuple[int, ...], object]:
    """What every page shows of the whole site: the years in the menu, the date of the data."""
    summaries = list(summaries)
    years = tuple(sorted({s.year for s in summaries}))
    return years, max((s.filled_on for s in summaries), default=None)


def _parts_to_index(
    site_dir: Path, site: SiteView, written: list[str], plan: _Plan, stale: list[str]
) -> list[SearchPart]:
    """Search parts to rebuild: a project page in them was rewritten or left them, or their
    bundle is new (a year split anew)."""
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
        if any((part.year, unit) in touched for unit in part.units)
        or not (site_dir / part.bundle / "pagefind-entry.json").is_file()
    ]


def _recent(content: Path) -> dict[tuple[int, str], tuple[str, str]]:
    """(year, id) -> (kind, date) of each project's latest change in the repository's history."""
    from .publish.changes import recent_changes

    return {
        change.key: (str(change.kind), change.date)
        for change in recent_changes(content.resolve(), content.resolve(), limit=LATEST)
        if change.year is not None
        and change.id is not None
        and change.date
        and change.kind != "removed"
    }


@dataclass
class _Plan:
    incremental: bool
    to_check: list[Path]
    changed: set[str]  # content-relative files re-read because they changed
    removed: dict[str, ProjectSummary]  # files gone since the last build
    previous: dict[str, ProjectSummary]  # last build's summary of every re-read file
    kept_summaries: dict[str, ProjectSummary]
    kept_data: dict[str, ProjectData]
    kept_tables: dict[str, str] = field(default_factory=dict)  # table path -> signature


def _pdf_settings(content: Path) -> PdfSettings:
    config, _, _ = load_config(content)
    return config.pdf if config is not None else PdfSettings()


def _plan(
    state: BuildState | None,
    digests: dict[str, str],
    content: Path,
    files: list[Path],
    with_unit_mates: bool = False,
) -> _Plan:
    if state is None:
        return _Plan(False, files, set(digests), {}, {}, {}, {})
    changed = {
        rel
        for rel, digest in digests.items()
        if rel not in state.files or state.files[rel].digest != digest
    }
    removed = {rel: state.files[rel].summary for rel in state.files if rel not in digests}
    # Pages that show a changed project besides its own: its other years (the history
    # section). Their files are re-read so their pages can be rendered again.
    touched_ids = {state.files[rel].summary.id for rel in changed if rel in state.files}
    touched_ids |= {summary.id for summary in removed.values()}
    for rel in changed - set(state.files):
        touched_ids.add(Path(rel).stem)  # a new file: its id is usually its name
    related = {
        rel
        for rel, item in state.files.items()
        if item.summary.id in touched_ids and rel in digests
    }
    if with_unit_mates:
        # A unit's booklet holds every project of that unit and year.
        units = {
            (item.summary.year, item.summary.unit_slug)
            for rel, item in state.files.items()
            if rel in changed or rel in removed
        }
        units |= {(int(rel[:4]), Path(rel).parent.name) for rel in changed if rel[:4].isdigit()}
        related |= {
            rel
            for rel, item in state.files.items()
            if rel in digests and (item.summary.year, item.summary.unit_slug) in units
        }
    to_read = changed | related
    kept = {rel: item for rel, item in state.files.items() if rel in digests and rel not in to_read}
    return _Plan(
        incremental=True,
        to_check=[content / rel for rel in sorted(to_read)],
        changed=changed,
        removed=removed,
        previous={rel: state.files[rel].summary for rel in to_read if rel in state.files},
        kept_summaries={rel: item.summary for rel, item in kept.items()},
        kept_data={rel: item.data for rel, item in kept.items()},
        kept_tables=state.tables,
    )


def _check_ids_against_unchanged(result: CheckResult, plan: _Plan, content: Path) -> None:
    """A re-read file may not take a (year, id) that a file left untouched already has."""
    taken = {(s.year, s.id): rel for rel, s in plan.kept_summaries.items()}
    for checked in result.projects:
        project = checked.project
        if project is None:
            continue
        owner = taken.get((project.year, project.id))
        if owner is not None:
            finding = Finding(
                Severity.error,
                "duplicate-id",
                ("id",),
                f"id {project.id!r} is already used for {project.year} by "
                f"{(content / owner).as_posix()}",
                "each project needs its own id within a year",
            )
            checked.loaded.findings.append(finding)
            checked.located.append(locate(checked.loaded.source, finding))


def _scope(plan: _Plan, fresh: dict[str, ProjectSummary]) -> Scope:
    """Listings show only what a summary holds: a re-read project whose summary is as before
    (an edited contact, a reworded goal) touches no listing."""
    touched = [*plan.removed.values()]
    for rel in {*plan.previous, *fresh}:
        before, after = plan.previous.get(rel), fresh.get(rel)
        if before != after:
            touched += [s for s in (before, after) if s is not None]
    return Scope(
        years=frozenset(s.year for s in touched),
        departments=frozenset((s.year, s.department_code) for s in touched),
        units=frozenset((s.year, s.unit_slug) for s in touched),
    )


def _stale_outputs(site_dir: Path, plan: _Plan, site: SiteView) -> list[str]:
    """What the published site has that this build no longer makes: the folders of projects
    that moved or disappeared, listings of groups that are gone, search parts of lost years."""
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
            urls.department_dir(summary.year, summary.department_code),
            urls.year_dir(summary.year),
        ):
            if page not in live_groups and (site_dir / page / "index.html").exists():
                stale.append(page + "index.html")
    data = site_dir / DATA_DIR
    if data.is_dir():
        stale += [
            f"{DATA_DIR}/{entry.name}"
            for entry in sorted(data.iterdir())
            if entry.name.isdigit() and entry.name not in {y.key for y in site.years}
        ]
    live_bundles = {part.bundle for part in site.search_parts}
    live_years = {bundle.rsplit("/", 1)[0] for bundle in live_bundles}
    bundles = site_dir / BUNDLE
    if bundles.is_dir():
        for year in sorted(bundles.iterdir()):
            name = f"{BUNDLE}/{year.name}"
            if name not in live_years or not year.is_dir():
                stale.append(name)
                continue
            stale += [
                f"{name}/{entry.name}"
                for entry in sorted(year.iterdir())
                if f"{name}/{entry.name}" not in live_bundles
            ]
    return sorted(set(stale))


def _export(
    result: CheckResult,
    file_of: dict[int, str],
    plan: _Plan,
    config: SiteConfig,
    staged: Path,
    published: Path | None,
    report: BuildReport,
    with_tables: bool = True,
) -> tuple[dict[str, ProjectData], dict[str, str]]:
    """Each re-read project's record and source, then every table from all projects' rows.
    Returns every project's rows and the tables' signatures (none when the tables were left
    for later: then the next build writes them all)."""
    data = dict(plan.kept_data)
    written = 0
    for item in exported_projects(result):
        rel = file_of[id(item.checked)]
        data[rel] = project_data(item, config.base_url)
        written += len(write_project_files(staged, item, data[rel]))
    signatures: dict[str, str] = {}
    if with_tables or not plan.incremental:
        tables, signatures = write_tables(
            data.values(), config, staged, plan.kept_tables, published if plan.incremental else None
        )
        written += len(tables)
    report.data_files = written
    return data, signatures


def refresh_tables(options: BuildOptions) -> int:
    """Write the open-data tables that builds with `tables=False` left out, in place, from the
    manifest kept in memory; returns the files written. For the preview, between edits."""
    manifest = options.manifest
    state = manifest.current() if manifest is not None else None
    if manifest is None or state is None or state.tables:
        return 0
    config, _, _ = load_config(options.content)
    if config is None:
        return 0
    written, signatures = write_tables(
        [item.data for item in state.files.values()],
        config,
        options.site,
        state.tables,
        options.site,
    )
    manifest.update_tables(signatures)
    return len(written)


EDITS_FOR_ONE_WORKER = 8


def _edited(stamps: Stamps, digests: dict[str, str]) -> int:
    """How many files are new, changed or gone since the last build."""
    changed = sum(1 for rel, digest in digests.items() if stamps.files.get(rel, ("",))[0] != digest)
    return changed + len(stamps.files.keys() - digests.keys())


def _early_render_setup(content: Path, cache: Path) -> RenderSetup | None:
    """The PDF workers' set-up, if it can be had before checking; else they make it later,
    and a problem (a missing font) is reported by the PDF stage, where it belongs."""
    config, _, _ = load_config(content)
    if config is None:
        return None
    try:
        return render_setup(config, cache)
    except Exception:
        return None


class _WarmWorkers:
    """The PDF stage's worker processes, started early in a build and closed at its end."""

    def __init__(self) -> None:
        self.warm: WarmWorkers | None = None

    def start(self, jobs: int, setup: RenderSetup | None) -> WarmWorkers:
        if self.warm is None:
            self.warm = warm_workers(jobs, setup)
        return self.warm

    def close(self) -> None:
        if self.warm is not None:
            self.warm.pool.shutdown(wait=False, cancel_futures=True)
            self.warm = None


class _Alongside:
    """A call run in a thread while this one goes on, for work done by other processes."""

    def __init__(self, function: Callable[..., Any], *args: object, **kwargs: object) -> None:
        self.seconds = 0.0
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(function, args, kwargs), name="jixiao-alongside", daemon=True
        )
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        started = time.perf_counter()
        try:
            self._value = function(*args, **kwargs)
        except BaseException as error:  # handed to the caller by result()
            self._error = error
        finally:
            self.seconds = time.perf_counter() - started

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


class _Timer:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.start = time.perf_counter()
        self.laps: dict[str, float] = {}

    def begin(self, name: str, total: int | None = None) -> None:
        self.start = time.perf_counter()
        self.progress.stage(name, total)

    def record(self, name: str, seconds: float) -> None:
        """A stage that ran alongside the others, taking `seconds`."""
        self.progress.stage(name)
        self.laps[name] = seconds
        self.progress.finish(name, seconds)
        self.start = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.start
        self.progress.finish(name, self.laps[name])
        self.start = now


__all__ = ["BuildFailed", "BuildOptions", "BuildReport", "CheckedProject", "build"]
