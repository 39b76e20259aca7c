"""A process that renders: its renderer, its binder, and the dispatch of a job to them.

Each worker process keeps one `Renderer` (fonts registered, stylesheet parsed) and one `Binder`
for every document it is given, in `_PROCESS`: the documented singleton of a worker process,
the only module-level state of the PDF stage. The building process never imports this module
(it imports WeasyPrint): it hands jobs over through `pool`, whose tasks import it in the
worker.

A worker process renders documents and nothing else (`enter_worker`): the cyclic collector is
off, and each document's garbage is collected once, after it (`after_document`).

A renderer's fonts are copied into a temporary folder (`render.Renderer`), and a Dask task's
into another (`_local_setup`); neither may outlive the process that made it. Every process
that makes one removes them when it replaces its renderer and when it exits (`close_process`,
run by multiprocessing's exit hook, which runs in the pool's and Dask's worker processes as in
the building process, where an `atexit` hook would not).
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from multiprocessing import util
from pathlib import Path

from ..memory import freeze_survivors
from .booklet import Binder
from .jobs import BookletJob, Job, RenderJob, RenderResult, RenderSetup
from .render import Renderer
from .templates import PdfTemplates


@dataclass
class _ProcessState:
    renderer: Renderer | None = None
    binder: Binder | None = None
    dedicated: bool = False  # this process renders documents and nothing else
    # Dask workers: a RemoteSetup's fonts written to local files once -> its local setup.
    remote_setups: dict[int, RenderSetup] = field(default_factory=dict)
    font_folders: list[Path] = field(default_factory=list)  # those local files' folders
    # Renderers inherited from the parent at fork: kept alive, since the collector freeing
    # one here would remove the parent's font folder (WeasyPrint's finaliser).
    inherited: list[Renderer] = field(default_factory=list)
    closing_pid: int = 0  # the process whose exit hook is registered (`_close_at_exit`)


_PROCESS = _ProcessState()


# After the executor's own exit hooks (priority 0 and none), before the interpreter's end.
EXIT_PRIORITY = 10


def close_process() -> None:
    """Remove the temporary folders of this process's renderer and Dask fonts; the next
    document makes a new renderer. Run at the process's exit; safe to run twice."""
    _set_renderer(None)
    for folder in _PROCESS.font_folders:
        shutil.rmtree(folder, ignore_errors=True)
    _PROCESS.font_folders.clear()
    _PROCESS.remote_setups.clear()


def _close_at_exit() -> None:
    """Have `close_process` run when this process exits, once per process (a forked child
    inherits the flag with the parent's pid, and registers its own)."""
    if _PROCESS.closing_pid != os.getpid():
        _PROCESS.closing_pid = os.getpid()
        util.Finalize(None, close_process, exitpriority=EXIT_PRIORITY)


def _set_renderer(renderer: Renderer | None) -> None:
    """Make `renderer` this process's, closing the one it replaces (or keeping it, unclosed,
    when it was inherited from the parent)."""
    old = _PROCESS.renderer
    if old is not None and old is not renderer:
        if old.pid == os.getpid():
            old.close()
        else:
            _PROCESS.inherited.append(old)
    _PROCESS.binder = None
    _PROCESS.renderer = renderer
    if renderer is not None:
        _close_at_exit()


def enter_worker() -> None:
    """This process renders documents and nothing else (see `after_document`)."""
    _PROCESS.dedicated = True
    # Its garbage is the documents', collected once after each of them. With the collector on
    # between documents, turning it back on after one set off a second collection of the same
    # garbage: 1.4% of a form's time.
    gc.disable()


def init_worker(setup: RenderSetup) -> None:
    """Process-pool initializer: this process's renderer for `setup`, made now."""
    _set_renderer(Renderer(setup))
    enter_worker()
    # What the worker inherited and set up lives as long as the worker: keep it out of the
    # collector's scans.
    freeze_survivors()


def renderer_for(setup: RenderSetup) -> Renderer:
    """This process's renderer for `setup`, made on first use or when the setup changed."""
    renderer = _PROCESS.renderer
    if renderer is None or renderer.setup != setup or renderer.pid != os.getpid():
        renderer = Renderer(setup)
        _set_renderer(renderer)
    return renderer


def current_renderer() -> Renderer:
    """This process's renderer. Raises RuntimeError when none was made yet."""
    if _PROCESS.renderer is None:
        raise RuntimeError("no renderer in this process: init_worker() or renderer_for() first")
    return _PROCESS.renderer


def after_document() -> None:
    """In a worker (`enter_worker`), collect the document's garbage now, once."""
    if _PROCESS.dedicated:
        # The document's boxes are cyclic garbage. Collected here, at once, and what survives
        # (WeasyPrint's caches) frozen, no later collection scans either again: a tenth of a
        # form's time in a worker that renders hundreds.
        freeze_survivors()


def _binder(job: BookletJob) -> Binder:
    renderer = current_renderer()
    if _PROCESS.binder is None or _PROCESS.binder.renderer is not renderer:
        _PROCESS.binder = Binder(renderer, PdfTemplates(job.cover.site_title))
    return _PROCESS.binder


def run_job(job: Job) -> RenderResult:
    """Make one document of either kind with this process's renderer: a form is laid out, a
    booklet bound. Raises RuntimeError when the process has no renderer yet."""
    if isinstance(job, BookletJob):
        result = _binder(job).bind(job)
    else:
        result = current_renderer().render(job)
    after_document()
    return result


def run(setup: RenderSetup, job: Job) -> RenderResult:
    """`run_job` with this process's renderer for `setup` (made if needed)."""
    renderer_for(setup)
    return run_job(job)


@dataclass(frozen=True)
class RemoteSetup:
    """A RenderSetup for a machine that has none of this build's files: the subset fonts
    travel with it, as (the URI the stylesheet names, the font's bytes)."""

    setup: RenderSetup
    fonts: tuple[tuple[str, bytes], ...]


def _local_setup(remote: RemoteSetup) -> RenderSetup:
    key = hash((remote.setup, tuple(uri for uri, _ in remote.fonts)))
    if key not in _PROCESS.remote_setups:
        folder = Path(tempfile.mkdtemp(prefix="jixiao-fonts-"))
        _PROCESS.font_folders.append(folder)
        _close_at_exit()
        stylesheet = remote.setup.stylesheet
        for index, (uri, data) in enumerate(remote.fonts):
            local = folder / f"{index}{Path(uri).suffix}"
            local.write_bytes(data)
            stylesheet = stylesheet.replace(uri, local.as_uri())
        _PROCESS.remote_setups[key] = RenderSetup(
            stylesheet=stylesheet,
            base_url=remote.setup.base_url,
            pdf_variant=remote.setup.pdf_variant,
            pdf_tags=remote.setup.pdf_tags,
        )
    return _PROCESS.remote_setups[key]


def render_remote(remote: RemoteSetup, job: RenderJob) -> tuple[RenderResult, bytes]:
    """A Dask task: render one form here; hand back the result and the PDF's bytes."""
    renderer = renderer_for(_local_setup(remote))
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as folder:
        target = Path(folder) / "document.pdf"
        result = renderer.render(replace(job, target=str(target)))
        return result, target.read_bytes()
