"""What every output of a build has in common: what it is given, what it reports, how the
build runs the declared list of them (`builder.outputs.OUTPUTS`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from jinja2 import Environment

from .. import faults
from ..config import SiteConfig
from ..executor import Executor
from ..publish.plan import Plan
from ..publish.staging import Staging
from ..rules.check import CheckResult
from ..site.project_view import ProjectView
from ..site.render import Scope
from ..site.views import SiteView

if TYPE_CHECKING:
    from ..pdf.pool import WarmWorkers


@dataclass
class OutputContext:
    """Everything an output may read, and where it writes (`staging`). Made once per build,
    after the content was checked and before any output runs; `reports` fills as outputs
    finish (an output reads only those it `needs`)."""

    site_dir: Path  # the published site (an incremental build lays `staging` over it)
    cache: Path  # the build's cache folder
    jobs: int  # processes an output may use
    search: bool  # make the search index
    pdf: bool  # make the PDFs
    tables: bool  # write the open-data tables (an incremental preview may leave them)
    executor: Executor  # where the heavy work runs: check, pages, search parts, PDFs
    warm: WarmWorkers | None  # PDF worker processes started early in the build
    progress: Callable[[int], None]  # told of every page written
    plan: Plan
    # The re-read files, checked: no errors. In a build, read back from the cache as they are
    # gone through (`rules.spill`): an output goes through them in order, or one at a time.
    result: CheckResult
    config: SiteConfig
    views: Sequence[ProjectView]  # the re-read projects' pages (`site.spilled`: made as read)
    file_of: dict[Path, str]  # CheckedProject.file -> content-relative file
    site: SiteView  # every project, re-read or kept
    scope: Scope | None  # the listings to rewrite; None for all
    stale: list[str]  # site paths the published site has that this build no longer makes
    staging: Staging
    templates: Environment | None  # compiled templates to reuse; None: the pages make theirs
    reports: dict[str, OutputReport] = field(default_factory=dict)


@dataclass
class OutputReport:
    """What one output did."""

    figures: dict[str, Any] = field(default_factory=dict)  # BuildReport field -> value
    written: list[str] = field(default_factory=list)  # site paths written
    replaced: list[str] = field(default_factory=list)  # site paths removed before publishing
    state: Any = None  # what the next build keeps of this output (the open-data rows)
    after_publish: Callable[[], None] | None = None  # once the site is in place
    # `after_publish` counts the links the published files hold (a cache pruned now): the
    # site replaced, which holds links too, is removed before it runs, not in the background.
    counts_links: bool = False


class Output(Protocol):
    """One kind of output of the site: one module, one line in `OUTPUTS`.

    `start(context)` does in the building process what must happen there, and returns the
    rest of the work, a call that gives the `OutputReport`. An output that is `alongside`
    does that rest in other processes (Pagefind, the PDF workers): the build runs it in a
    thread and goes on with the next outputs, which must not read what it writes. Each output
    says what it `needs` (outputs whose files or report it reads: they finish first), what it
    `writes` and what it `reuses` when nothing it depends on changed.
    """

    name: str  # the stage's name, as timed and shown
    needs: tuple[str, ...]
    alongside: bool
    writes: str
    reuses: str

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output at all."""
        ...

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin: returns the rest of the work."""
        ...


class Clock(Protocol):
    """Times the stages and tells the progress display (the build's timer)."""

    def begin(self, name: str, total: int | None = None) -> None:
        """A stage run in this process begins."""

    def lap(self, name: str) -> None:
        """The stage begun last ended."""

    def record(self, name: str, seconds: float) -> None:
        """A stage that ran alongside ended, after `seconds`."""


def run_outputs(
    outputs: Iterable[Output], context: OutputContext, clock: Clock
) -> dict[str, OutputReport]:
    """Make every wanted output, in the declared order, those `alongside` in threads; returns
    each one's report by name once all finished. On a failure the threads are waited for (they
    write into the staging folder the caller then removes) and the error is raised."""
    running: dict[str, _Alongside] = {}

    def collect(name: str) -> None:
        alongside = running.pop(name)
        context.reports[name] = alongside.result()
        clock.record(name, alongside.seconds)

    try:
        for output in outputs:
            if not output.wanted(context):
                continue
            for need in output.needs:
                if need in running:
                    collect(need)
            faults.point(f"stage:{output.name}")
            if output.alongside:
                running[output.name] = _Alongside(output.start(context))
                continue
            clock.begin(output.name)
            context.reports[output.name] = output.start(context)()
            clock.lap(output.name)
        for name in list(running):
            collect(name)
    except BaseException as error:
        if not isinstance(error, KeyboardInterrupt):
            for alongside in running.values():
                alongside.wait()
        raise
    return context.reports


class _Alongside:
    """A call run in a thread while this one goes on, for work done by other processes."""

    def __init__(self, function: Callable[[], OutputReport]) -> None:
        self.seconds = 0.0
        self._value: OutputReport | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(function,), name="jixiao-alongside", daemon=True
        )
        self._thread.start()

    def _run(self, function: Callable[[], OutputReport]) -> None:
        started = time.perf_counter()
        try:
            self._value = function()
        except BaseException as error:  # handed to the caller by result()
            self._error = error
        finally:
            self.seconds = time.perf_counter() - started

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> OutputReport:
        """The report, once the call returned; or the error it raised, raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value
