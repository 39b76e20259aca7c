"""The preview thread: build, watch the sources, rebuild after each save, reload the pages.

The sources are content/ (the forms and site.yaml) and templates/. watchfiles reports their
changes (inotify on Linux, the system's own notifications elsewhere), so a save is noticed
within milliseconds however many forms content/ holds, and groups the changes of one save
until the sources stay unchanged for the debounce.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import watchfiles

from ..build import BuildOptions, BuildReport, build, refresh_tables
from ..publish.manifest import Manifest
from ..rules.findings import Severity
from ..site.render import TEMPLATES, make_environment
from .handler import PreviewState
from .options import DEFAULT_DEBOUNCE, ServeOptions, shown_path, tell
from .problems import describe_failure, held_back_problem
from .search_index import SearchRefresher

CATCH_UP_PAUSE = 2.0  # seconds without edits or builds before the tables and manifest follow
WAKE = 0.1  # seconds: how often the preview thread wakes without changes, to see the time
MAX_BATCH = 1.6  # seconds: a stream of changes is cut into batches at most this long


class SourceFilter(watchfiles.DefaultFilter):
    """Which changes count: watchfiles' own filter of editor noise (vim's swap files `.sw?`,
    backups ending in `~`, emacs's `.#` locks, `.git`) plus every hidden file or folder below a
    watched folder, `.tmp` files, vim's `4913` probe, and whatever lies in a skipped folder
    (the preview's output and cache, should they be below a watched folder)."""

    ignore_entity_patterns = (
        *watchfiles.DefaultFilter.ignore_entity_patterns,
        r"^\.",
        r"\.tmp$",
        r"^4913$",
    )

    def __init__(self, roots: Iterable[Path], skip: Iterable[Path] = ()) -> None:
        super().__init__()
        self.roots = tuple(roots)
        self.skip = tuple(skip)

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        changed = Path(path)
        if any(changed == folder or changed.is_relative_to(folder) for folder in self.skip):
            return False
        for root in self.roots:
            if changed.is_relative_to(root):
                return not any(part.startswith(".") for part in changed.relative_to(root).parts)
        return True


def watch_sources(
    folders: Iterable[Path],
    stop: threading.Event,
    quiet: float = DEFAULT_DEBOUNCE,
    skip: Iterable[Path] = (),
) -> Iterator[set[Path]]:
    """The changes below folders (absolute, resolved paths of files and folders added, changed
    or removed), a batch once `quiet` seconds pass without another change, and an empty set
    each `WAKE` seconds without changes; ends when stop is set. The watching begins at the
    first `next()`: changes made while the caller works between two batches come in the next.
    A folder that does not exist is not watched. Raises OSError if a folder cannot be watched
    (on Linux, past `fs.inotify.max_user_watches`)."""
    roots = [Path(folder).resolve() for folder in folders]
    roots = [root for root in roots if root.is_dir()]
    source = SourceFilter(roots, [Path(folder).resolve() for folder in skip])
    changes = watchfiles.watch(
        *roots,
        watch_filter=source,
        debounce=round(MAX_BATCH * 1000),
        step=max(1, round(quiet * 1000)),
        stop_event=stop,
        rust_timeout=round(WAKE * 1000),
        yield_on_timeout=True,
        raise_interrupt=False,
        ignore_permission_denied=True,
    )
    for batch in changes:
        changed = {Path(path) for _, path in batch}
        for change, path in batch:
            if change is watchfiles.Change.added and os.path.isdir(path):
                # A new folder (a new year, a unit moved in): files written into it before
                # it was watched have no event of their own.
                changed |= _files_below(Path(path), source)
        yield changed


def _files_below(folder: Path, source: SourceFilter) -> set[Path]:
    found = set()
    for here, subfolders, names in os.walk(folder):
        subfolders[:] = [
            d for d in subfolders if source(watchfiles.Change.added, os.path.join(here, d))
        ]
        paths = (os.path.join(here, name) for name in names)
        found |= {Path(p) for p in paths if source(watchfiles.Change.added, p)}
    return found


class Preview:
    """Builds the site, keeps the state the server shows, and rebuilds when sources change.

    `last_activity` (time.monotonic seconds) is when the preview thread last did anything (a
    change seen, a build ended) and `busy` whether it is at it now: the background search index
    waits for a pause in both.
    """

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.site = options.site
        self.state = PreviewState(has_build=self.site.is_dir())
        self.stop = threading.Event()
        self.last_activity = time.monotonic()
        self.busy = True
        self._caught_up_at: float | None = None  # last_activity when the tables last followed
        self.search = (
            SearchRefresher(options.preview_dir, self.site, self.state, self.stop, self.idle_for)
            if options.defer
            else None
        )
        # Kept in memory between rebuilds, written to the preview's cache when edits pause.
        self.manifest = Manifest(options.preview_dir / "build", in_memory=True)
        # Each template compiled once for all the rebuilds of this preview.
        self.templates = make_environment()
        if self.search is not None and self.search.bundle.is_dir():
            self.state.search_root = self.search.root  # an earlier session's, until refreshed

    def watched(self) -> list[Path]:
        """The source folders: content/ and templates/."""
        return [self.options.content, TEMPLATES]

    def build_options(self) -> BuildOptions:
        """The build of the preview: its own folders, and unless --no-defer without the search
        index, the PDFs and the open-data tables."""
        complete = not self.options.defer
        options = BuildOptions(
            content=self.options.content,
            site=self.site,
            # Its own build cache: what the preview left out must not count as built for
            # `jixiao build`.
            cache=self.options.preview_dir / "build",
            jobs=self.options.jobs,
            search=complete,
            manifest=self.manifest,
            tables=complete,  # the open-data tables follow when the edits pause
            pdf=complete,
            templates=self.templates,
        )
        return options

    def idle_for(self) -> float:
        """Seconds since the preview thread last did anything; 0.0 while it is at work."""
        return 0.0 if self.busy else time.monotonic() - self.last_activity

    def build(self, reason: str) -> bool:
        """One build; on failure the problem is shown and the previous output stays served."""
        started = time.perf_counter()
        try:
            report = build(self.build_options())
        except Exception as error:  # whatever it is, the preview must outlive it
            problem = describe_failure(error)
            self.state.problem = problem
            tell(problem.terminal_text())
            return False
        finally:
            self.last_activity = time.monotonic()
        # The forms held back are shown over every page, as a failed build's errors are.
        held = held_back_problem(report.held_back, self.site) if report.held_back else None
        self.state.problem = held
        self.state.has_build = True
        tell(_built_line(self.site, report, time.perf_counter() - started, reason))
        if held is not None:
            tell(held.terminal_text())
        if self.search is not None:
            self.search.wanted()
        return True

    def rebuild(self, changed: set[Path]) -> None:
        """After a batch of changes: a build, as `jixiao build` makes it (a form with errors
        held back, its errors laid over the pages, the others published)."""
        self.build(_describe_changes(changed))

    def catch_up(self) -> None:
        """What the rebuilds left for a pause: the open-data tables, the manifest on disk.
        Once a pause; a failure is printed and tried again at the next pause."""
        self._caught_up_at = self.last_activity
        try:
            written = refresh_tables(self.build_options())
            if written:
                tell(f"open-data tables refreshed: {written} files")
        except Exception as error:  # the next pause tries again; the preview goes on
            tell(f"open-data tables not refreshed ({type(error).__name__}: {error})")
        self.manifest.save()

    def watch_and_rebuild(self, reload_browsers: Callable[[], None]) -> None:
        """Until stopped: build, then wait for changes, let them settle, rebuild, reload."""
        site, cache = self.site.resolve(), self.options.cache.resolve()
        batches = watch_sources(self.watched(), self.stop, self.options.debounce, (site, cache))
        try:
            # The first batch comes once the watching has begun, so that a save during the
            # first build is not missed; it is empty unless a save came first.
            if next(batches, None) is None:
                return
            self.build("start")
            reload_browsers()
            self.busy = False
            for changed in batches:
                if changed:
                    self.busy = True
                    self.last_activity = time.monotonic()
                    self.rebuild(changed)
                    reload_browsers()
                    self.busy = False
                elif self._caught_up_at != self.last_activity and self.idle_for() >= CATCH_UP_PAUSE:
                    self.catch_up()
        finally:
            batches.close()
            self.manifest.save()


def _built_line(site: Path, report: BuildReport, seconds: float, reason: str) -> str:
    stages = ", ".join(f"{name} {s:.2f}s" for name, s in report.seconds.items())
    if report.unchanged:
        return f"{site}/ already matches the sources ({reason}; {stages})"
    return (
        f"built {site}/ in {seconds:.2f}s ({reason}): {report.projects} projects, "
        f"{report.pages} pages written, {report.result.count(Severity.warning)} warnings in the "
        f"files re-read ({stages})"
    )


def _describe_changes(paths: set[Path]) -> str:
    first = shown_path(min(paths))
    return first + (f" and {len(paths) - 1} more changed" if len(paths) > 1 else " changed")
