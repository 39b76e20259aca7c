"""Where the PDF stage's jobs run: worker processes on this machine, or a Dask cluster.

This module is imported by the building process and does not import WeasyPrint: the tasks it
submits (`run`, `_warm_up`) import the worker side (`worker`) in the worker processes, so the
building process goes on with the build while they load it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..memory import freeze_survivors
from .fonts import PdfEnvironmentError, check_weasyprint
from .jobs import Job, RenderJob, RenderResult, RenderSetup
from .subset import SubsetFace

if TYPE_CHECKING:
    from ..executor import Executor

# Workers are replaced after this many documents: Pango and fontconfig keep caches that only
# grow, and a fresh process gives the memory back. A worker that has rendered 500 synthetic
# forms peaks at about 235 MB (bench/pdf_bench.py reports it).
TASKS_PER_WORKER = 500


@dataclass
class WarmWorkers:
    """Worker processes started with the build (`warm_workers`); the caller shuts the pool
    down."""

    pool: ProcessPoolExecutor
    workers: int


def _warm_up(setup: RenderSetup | None) -> None:
    """Worker initializer: import what rendering needs, and parse the stylesheet and load the
    fonts, while the build does other things."""
    try:
        check_weasyprint()
        from . import worker

        if setup is not None:
            worker.init_worker(setup)
        worker.enter_worker()
    except PdfEnvironmentError:
        pass  # raised again, with its message, by the first job
    freeze_survivors()


def _ready() -> None:
    pass


def warm_workers(jobs: int, setup: RenderSetup | None = None) -> WarmWorkers:
    """Worker processes for the PDF stage, started now so that they are ready when it comes:
    forked while this process is still small, importing WeasyPrint alongside the build.
    At most `jobs` and the number of cores; `setup`, when known, is prepared in each."""
    workers = max(1, min(jobs, os.cpu_count() or 1))
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_warm_up,
        initargs=(setup,),
    )
    # A pool starts its processes as work arrives: something to do starts them now.
    for _ in range(workers):
        pool.submit(_ready)
    return WarmWorkers(pool, workers)


def run(setup: RenderSetup, job: Job) -> RenderResult:
    """A task in a worker process: render or bind `job` with this process's renderer for
    `setup`. Raises PdfEnvironmentError when WeasyPrint cannot make the PDFs well here."""
    check_weasyprint()
    from . import worker

    return worker.run(setup, job)


def render_local(
    jobs: list[Job],
    setup: RenderSetup,
    workers: int,
    warm: WarmWorkers | None = None,
) -> Iterator[RenderResult]:
    """Render `jobs`, yielding each result as it is done: in `warm` worker processes started
    with the build when there are any, else in this process for a couple of documents, else
    in pools of `workers` forked processes."""
    round_size = workers * TASKS_PER_WORKER
    if warm is not None:
        futures = [warm.pool.submit(run, setup, job) for job in jobs[:round_size]]
        for future in as_completed(futures):
            yield future.result()
        jobs = jobs[round_size:]
        if not jobs:
            return
    elif workers <= 1 or len(jobs) <= 2:
        for job in jobs:
            yield run(setup, job)
        return
    # Workers are recycled after TASKS_PER_WORKER documents each. max_tasks_per_child would
    # need the spawn or forkserver start method, which re-imports the caller's main module in
    # every worker; a fresh forked pool per round keeps fork, whose workers start at once with
    # WeasyPrint already imported.
    from .worker import init_worker  # imports WeasyPrint: only where this process forks

    context = multiprocessing.get_context("fork")
    for first in range(0, len(jobs), round_size):
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(setup,),
        ) as pool:
            futures = [pool.submit(run, setup, job) for job in jobs[first : first + round_size]]
            for future in as_completed(futures):
                yield future.result()


def render_remote(
    jobs: list[RenderJob], setup: RenderSetup, executor: Executor, faces: Iterable[SubsetFace]
) -> Iterator[RenderResult]:
    """Render forms through `executor` (a Dask cluster), yielding results in order. Each
    task carries its form and shares the subset fonts, sent once; it returns the PDF's bytes,
    written here to `job.target`: the workers share no files with this machine."""
    from .worker import RemoteSetup, render_remote

    fonts = tuple((face.file.resolve().as_uri(), face.file.read_bytes()) for face in faces)
    outcomes = executor.map(render_remote, RemoteSetup(setup, fonts), jobs)
    for job, (result, data) in zip(jobs, outcomes, strict=True):
        target = Path(job.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        yield result
