"""`jixiao build`: hash → plan → check → render → search → pdf → export → publish → record.

Everything is checked before anything is written; a form with errors is held back and the
others are published (`builder.rules.holdback`; `strict` publishes nothing then). The outputs
(`builder.outputs.OUTPUTS`) are written into a staging folder that replaces the site only when
every stage succeeded. A
manifest of input hashes in the cache folder lets the next build re-read and rewrite only what
an edit touches (`builder.publish.plan`). Each stage starts at the fault point
`stage:<name>` (`builder.faults`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import faults
from .build_options import BuildFailed, BuildOptions, BuildReport
from .config import PdfSettings
from .dispatch import Executor, open_executor, parse_executor
from .form.load import load_config, project_files
from .memory import collector_paused, keep_what_is_made
from .outputs import OUTPUTS
from .outputs.base import OutputContext, run_outputs
from .outputs.opendata import OpenDataState, refresh_tables
from .outputs.pdfs import EarlyWorkers
from .publish.datadate import committed_on
from .publish.dates import FormDates, form_dates
from .publish.folders import check_folders
from .publish.lock import hold
from .publish.manifest import (
    BuildState,
    FileState,
    Manifest,
    Stamps,
    digest_files,
    global_digest,
    templates_digest,
)
from .publish.plan import Plan, edited, frame, full_plan, plan_build, scope, stale_outputs
from .publish.sitemark import mark_site, site_changed
from .publish.stage import publish_stage
from .publish.staging import Staging, clean_leftovers
from .publish.writing import write_failure
from .rules.check import CheckedProject, CheckResult, check_content
from .rules.findings import Severity
from .rules.holdback import HeldBack, site_entries, site_wide_errors, split_held_back
from .rules.policies import SitePolicies
from .rules.spill import FOLDER as SPILL
from .rules.spill import SpillStore, clean_spills
from .site.project_view import ProjectView
from .site.spilled import Summaries, form_ids, page_views
from .site.views import LATEST, ProjectSummary, site_view
from .timing import Progress, Timer

if TYPE_CHECKING:
    from .config import SiteConfig
    from .form.source import SourceDocument
    from .pdf.pool import WarmWorkers
    from .rules.findings import Finding

    # content/site.yaml as `load_config` reads it: its settings, its document, its findings.
    SiteYaml = tuple[SiteConfig | None, SourceDocument | None, list[Finding]]


def build(options: BuildOptions) -> BuildReport:
    """Build the site from `options.content` into `options.site`, re-reading and rewriting
    only what changed since the last build recorded in `options.cache` (unless
    `options.incremental` is False). The published site changes only if every stage
    succeeded, and then at once, by one exchange of folders (`builder.publish.staging`).

    A form with errors is held back (not published; an earlier version of it taken down) and
    listed in the report's `held_back` and the site's `held-back.json`. Raises `BuildFailed` (a
    `ContentError`) when the content has an error not about one form (site.yaml), when every
    form is held back, or, `options.strict`, on any error; `ExecutorError` for a wrong
    `options.executor` or a scheduler out of reach (at once) or lost, `PdfEnvironmentError`
    when the PDFs lack a font or a library, `PagefindMissing` without Pagefind (each a
    `SetupError`), `SearchIndexError` when Pagefind fails (an internal error); the published site is then as it was. An output or
    cache folder that overlaps the sources raises `UnsafeFolder`, one that cannot be written
    `FolderNotWritable`, and another build running with the same cache `BuildRunning`, each
    before anything is written. A write the machine refuses in any stage (a full disk, a
    quota, an I/O error, a read-only file system) raises `OutputWriteError` naming the file;
    the published site is then as it was, and nothing is recorded.
    """
    check_folders(options.content, options.site, options.cache)
    spec = parse_executor(options.executor)  # a wrong or unreachable one fails before any work
    try:
        with open_executor(spec, options.jobs) as executor, hold(options.site, options.cache):
            return _build(options, executor)
    except Exception as error:
        # A write the machine refused (a full disk), in any writer of any stage: one
        # message naming the file. Nothing was published, or, past the publish stage,
        # nothing recorded: the next build redoes what this one could not finish.
        failure = write_failure(error)
        if failure is None:
            raise
        raise failure from error


def _build(options: BuildOptions, executor: Executor) -> BuildReport:
    """`build` once its folders are checked and its lock held."""
    timer = Timer(options.progress)
    workers = EarlyWorkers()
    try:
        inputs = _hash(options, timer)
        if inputs.unchanged:
            return _up_to_date(options, inputs, timer)
        warm = workers.start(inputs.site[0], options.cache, options.jobs, inputs.edits, executor)
        state = inputs.state()
        timer.lap("hash")
        faults.point("stage:plan")
        inputs.dates = form_dates(options.content)  # 发布日期 and 最近更新, from git
        plan = plan_build(
            state, inputs.digests, options.content, inputs.files, inputs.make_pdfs, inputs.dates,
            inputs.templates,  # other templates: every page anew, the open data kept
        )  # fmt: skip
        checked = _check(options, inputs, plan, timer, executor)
        if plan.incremental and (
            checked.claims_kept or frame(checked.summaries.values()) != plan.previous_frame
        ):
            # Every page shows the years and the date of the data, and pages of a department's
            # projects and units its title (`frame`): all of them are rewritten. A form re-read
            # that claims the id of one kept: both are read (already, pages anew), both held back.
            anew, plan = plan.pages_anew, full_plan(inputs.files, inputs.digests)
            checked = checked if anew else _check(options, inputs, plan, timer, executor)
        context = _outputs_context(options, inputs, plan, checked, executor, warm)
        keep_what_is_made()  # the checked forms and views live to the end: not scanned again
        try:
            reports = run_outputs(OUTPUTS, context, timer)
            publish_stage(options.site, options.cache, context, reports, timer)
        except BaseException:
            context.staging.discard()
            raise
        timer.begin("record")
        _record(options, inputs, checked, reports["export"].state, context.staging.folders)
        timer.lap("record")
        figures = {k: v for report in reports.values() for k, v in report.figures.items()}
    except BaseException:
        workers.close(wait=False)
        raise
    workers.close(wait=True)
    return BuildReport(
        checked.everything,
        projects=len(checked.summaries),
        checked=len(checked.everything.projects),
        incremental=plan.incremental,
        seconds=timer.laps,
        held_back=checked.held_back,
        **figures,
    )


@dataclass
class _Inputs:
    """The hash stage's findings: every form file, its hash and (size, mtime), the last
    build's stamps if they can be built upon, and the digest of what every output depends on."""

    manifest: Manifest
    files: list[Path]
    digests: dict[str, str]  # content-relative file -> sha256
    stats: dict[str, tuple[int, int]]
    stamps: Stamps | None
    overall: str  # `global_digest`: the tool, site.yaml, the outputs made
    make_pdfs: bool
    site: SiteYaml  # content/site.yaml, read once for the whole build
    committed_on: dt.date | None = None  # the day of the data, from git (`publish.datadate`)
    dates: dict[str, FormDates] = field(default_factory=dict)  # each form's, `publish.dates`
    templates: str = field(default_factory=templates_digest)  # the pages' and the PDFs'

    @property
    def unchanged(self) -> bool:
        return self.stamps is not None and self.stamps.unchanged(self.digests, self.templates)

    @property
    def edits(self) -> int | None:
        """Files new, changed or gone since the last build (all: other templates); None when
        no PDFs are made."""
        return edited(self.stamps, self.digests, self.templates) if self.make_pdfs else None

    def state(self) -> BuildState | None:
        """The last build's summaries and rows, when it can be built upon."""
        return self.manifest.state(self.stamps) if self.stamps is not None else None


def _hash(options: BuildOptions, timer: Timer) -> _Inputs:
    """Stage hash: finish what an interrupted build left, then hash every input."""
    faults.point("stage:hash")
    timer.begin("hash")
    content, site_dir = options.content, options.site
    clean_leftovers(site_dir, options.cache)  # what a build that died left
    clean_spills(options.cache)
    files = project_files(content)
    site = load_config(content)
    make_pdfs = options.pdf and (site[0].pdf if site[0] is not None else PdfSettings()).enabled
    # What the last build made counts too: after a build without PDFs, one with them is not
    # "nothing changed".
    read = site[1].read() if site[1] is not None else None
    # The day of the data git gives is on every page: another day is another build.
    committed = committed_on(content)
    outputs = f"pdf={make_pdfs} search={options.search} date={committed}"
    overall = global_digest(content, outputs, read[1] if read is not None else None)
    manifest = options.manifest or Manifest(options.cache)
    stamps = manifest.stamps(content, overall) if options.incremental else None
    if stamps is not None and (not site_dir.is_dir() or site_changed(site_dir, stamps.site)):
        stamps = None  # the output folder is gone or was changed by hand: build it whole
    digests, stats = digest_files(content, files, stamps)
    return _Inputs(manifest, files, digests, stats, stamps, overall, make_pdfs, site, committed)


def _up_to_date(options: BuildOptions, inputs: _Inputs, timer: Timer) -> BuildReport:
    """Nothing changed: keep the files' new times if they were touched, write nothing. A
    held-back form is never recorded, so no build with one is "nothing changed": each reads
    it again, lists it and exits with its status."""
    assert inputs.stamps is not None
    if inputs.stamps.touched(inputs.stats):
        inputs.manifest.restamp(inputs.stamps, inputs.stats)
    timer.lap("hash")
    report = BuildReport(
        CheckResult(inputs.site[0], [], []), projects=len(inputs.digests), unchanged=True
    )
    report.seconds = timer.laps
    return report


@dataclass
class _Checked:
    """The check stage's result and what the build keeps of it in memory: from
    `BuildOptions.spill_from` forms on, the forms themselves are on disk (`rules.spill`),
    read back by each output that needs them."""

    result: CheckResult  # the forms published: no errors
    views: Sequence[ProjectView]  # of the re-read projects (made as each form is read back)
    fresh: dict[str, ProjectSummary]  # content-relative file -> summary, re-read
    file_of: dict[Path, str]  # CheckedProject.file -> content-relative file
    summaries: dict[str, ProjectSummary]  # every published project's, re-read or kept
    everything: CheckResult  # every form re-read, the held-back ones included
    held_back: list[HeldBack]
    claims_kept: bool  # a form re-read claims the (year, id) of one kept without re-reading
    read: dict[str, str]  # content-relative file -> sha256 of the bytes checked, re-read

    def digests(self, hashed: dict[str, str]) -> dict[str, str]:
        """content-relative file -> sha256 of the bytes this build published: for a re-read
        file, of what the check read (the file may have changed since the hash stage read
        it); else the hash stage's."""
        return {**hashed, **self.read}


def _check(
    options: BuildOptions, inputs: _Inputs, plan: Plan, timer: Timer, executor: Executor
) -> _Checked:
    """Stage check: load, validate, score and reconcile the files the plan re-reads, against
    the ids of those it keeps; hold back each form with an error. Raises BuildFailed on an
    error not about one form, when no form is left to publish, or (strict) on any error.
    From `options.spill_from` forms on, the checked forms go to a spill store in the cache as
    they come (`rules.spill`) and the build keeps their summaries and findings."""
    faults.point("stage:check")
    timer.begin("check", len(plan.to_check))
    known = plan.known_ids()
    spill = len(plan.to_check) >= options.spill_from
    seen = Summaries(options.content, inputs.dates, SitePolicies.of_config(inputs.site[0]))
    result = check_content(
        options.content,
        plan.to_check,
        jobs=options.jobs,
        known_ids=known,
        site=inputs.site,
        executor=executor,
        spill=SpillStore(options.cache / SPILL) if spill else None,
        seen=seen if spill else None,
    )
    timer.lap("check")
    claims = any(ids in known for ids in form_ids(result))
    # A form claiming a kept form's id: both are read again (the caller plans a full build)
    # before even a strict build says so, so that it names both.
    if site_wide_errors(result) or (options.strict and result.count(Severity.error) and not claims):
        raise BuildFailed(result)
    published, held = split_held_back(result, options.content)
    claims |= any(item.file in plan.kept_data for item in held)  # pages anew: kept, held back
    with collector_paused():  # the views live to the end of the build: nothing to collect
        views, files = page_views(published)
        if not spill:  # the forms in memory: each summary made from its page's view
            seen.add(views)
    fresh, file_of, read = {}, {}, {}
    for file in files:
        summary, digest = seen.seen[file]
        fresh[summary.file] = summary
        file_of[file] = summary.file
        if digest is not None:
            read[summary.file] = digest
    summaries = {**plan.kept_summaries, **fresh}
    if held and not summaries:
        raise BuildFailed(result)  # not one form to publish: the site stays as it was
    return _Checked(published, views, fresh, file_of, summaries, result, held, claims, read)


def _recent(content: Path) -> dict[tuple[int, str], tuple[str, str]]:
    from .publish.changes import latest_by_project  # git is read only by a build that writes

    return latest_by_project(content, LATEST)


def _outputs_context(
    options: BuildOptions,
    inputs: _Inputs,
    plan: Plan,
    checked: _Checked,
    executor: Executor,
    warm: WarmWorkers | None,
) -> OutputContext:
    """What the outputs are given: the site's view, the listings and stale files the plan
    names, and a fresh staging folder to write into."""
    assert checked.result.config is not None
    site = site_view(
        list(checked.summaries.values()), checked.result.config, _recent(options.content)
    )
    site = replace(
        site, held_back=site_entries(checked.held_back), committed_on=inputs.committed_on
    )
    from .site.render import make_environment

    stale = stale_outputs(options.site, plan, site)
    return OutputContext(
        site_dir=options.site,
        cache=options.cache,
        jobs=options.jobs,
        search=options.search,
        pdf=inputs.make_pdfs,
        tables=options.tables,
        executor=executor,
        warm=warm,
        progress=options.progress.advance,
        plan=plan,
        result=checked.result,
        config=checked.result.config,
        views=checked.views,
        file_of=checked.file_of,
        site=site,
        scope=scope(plan, checked.fresh) if plan.incremental and not plan.pages_anew else None,
        stale=stale,
        # The old site is removed in the background, unless a cache is pruned by the links
        # left to it in this build (`publish_stage`).
        staging=Staging.beside(options.site, plan.incremental, dropped=stale, cache=options.cache),
        # One environment for every output that renders pages (the pages, the data page, the
        # PDF links): each template is compiled once a build, never checked on disk again,
        # and kept compiled in the cache for the next build.
        templates=options.templates or make_environment(auto_reload=False, compiled=options.cache),
    )


def _record(
    options: BuildOptions,
    inputs: _Inputs,
    checked: _Checked,
    kept: OpenDataState,
    folders: list[str] | None,
) -> None:
    """Stage record: what this build made, for the next one (the manifest), with the mark of
    the site it published (of its `folders`, site-relative, when the publish stage knows
    them; else of every folder found)."""
    faults.point("stage:record")
    data, tables = kept.data, kept.tables
    digests = checked.digests(inputs.digests)
    try:
        inputs.manifest.record(
            options.content,
            inputs.overall,
            {
                file: FileState(digests[file], summary, data[file], inputs.stats[file])
                for file, summary in checked.summaries.items()
                if file in data
            },
            tables,
            () if inputs.manifest.in_memory else mark_site(options.site, folders),
            tuple(held.file for held in checked.held_back),
            inputs.templates,
        )
    except OSError as error:
        failure = write_failure(error, options.cache, RECORD_NOTE)
        if failure is None:
            raise
        raise failure from error


# What a refused write of the manifest leaves: the site is whole; the manifest is the last
# build's, so the next build redoes this one's work.
RECORD_NOTE = "网站已发布，但构建记录未能写入，下次构建会重做本次的工作"


__all__ = [
    "BuildFailed",
    "BuildOptions",
    "BuildReport",
    "CheckedProject",
    "Progress",
    "build",
    "refresh_tables",
]
