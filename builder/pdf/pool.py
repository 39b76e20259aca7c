"""Where the PDF stage's jobs run: worker processes on this machine, or a Dask cluster.

This module is imported by the building process and does not import WeasyPrint: the tasks it
submits (`run`, `_warm_up`) import the worker side (`worker`) in the worker processes, so the
building process goes on with the build while they load it.
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
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

# Jobs sent to a worker ahead of its results: enough that it never waits for the next one.
IN_FLIGHT_PER_WORKER = 4


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


def _through(
    pool: ProcessPoolExecutor, setup: RenderSetup, jobs: Iterator[Job], window: int
) -> Iterator[RenderResult]:
    """Run `jobs` in `pool`, taking each from the iterator only when fewer than `window` are
    in flight, yielding each result as it is done. A pool keeps every job submitted to it
    (its HTML included) until its result is taken: sent all at once, ten thousand forms'
    would all be in memory at the same time."""
    in_flight: set[Future[RenderResult]] = set()
    for job in jobs:
        in_flight.add(pool.submit(run, setup, job))
        if len(in_flight) >= window:
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)
    for future in as_completed(in_flight):
        yield future.result()


def _more(jobs: Iterator[Job]) -> Iterator[Job] | None:
    """`jobs` again when it has one more, else None."""
    first = next(jobs, None)
    return None if first is None else itertools.chain([first], jobs)


def render_local(
    jobs: Iterable[Job],
    setup: RenderSetup,
    workers: int,
    warm: WarmWorkers | None = None,
) -> Iterator[RenderResult]:
    """Render `jobs`, yielding each result as it is done: in `warm` worker processes started
    with the build when there are any, else in this process for a couple of documents, else
    in pools of `workers` forked processes. `jobs` are taken as the workers get free
    (IN_FLIGHT_PER_WORKER each), so a generator of them is never all in memory."""
    remaining: Iterator[Job] | None = iter(jobs)
    round_size = workers * TASKS_PER_WORKER
    if warm is not None:
        window = max(workers, warm.workers) * IN_FLIGHT_PER_WORKER
        yield from _through(warm.pool, setup, itertools.islice(remaining, round_size), window)
        remaining = _more(remaining)
        if remaining is None:
            return
    else:
        head = list(itertools.islice(remaining, 3))
        if workers <= 1 or len(head) <= 2:
            for job in itertools.chain(head, remaining):
                yield run(setup, job)
            return
        remaining = itertools.chain(head, remaining)
    # Workers are recycled after TASKS_PER_WORKER documents each. max_tasks_per_child would
    # need the spawn or forkserver start method, which re-imports the caller's main module in
    # every worker; a fresh forked pool per round keeps fork, whose workers start at once with
    # WeasyPrint already imported.
    from .worker import init_worker  # imports WeasyPrint: only where this process forks

    context = multiprocessing.get_context("fork")
    while remaining is not None:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(setup,),
        ) as pool:
            batch = itertools.islice(remaining, round_size)
            yield from _through(pool, setup, batch, workers * IN_FLIGHT_PER_WORKER)
        remaining = _more(remaining)


def render_remote(
    jobs: Iterable[RenderJob], setup: RenderSetup, executor: Executor, faces: Iterable[SubsetFace]
) -> Iterator[RenderResult]:
    """Render forms through `executor` (a Dask cluster), yielding results in order. Each
    task carries its form and shares the subset fonts, sent once; it returns the PDF's bytes,
    written here to `job.target`: the workers share no files with this machine. `jobs` are
    taken a few ahead of the results (`Executor.map`): a generator is never all in memory."""
    from .worker import RemoteSetup, render_remote

    fonts = tuple((face.file.resolve().as_uri(), face.file.read_bytes()) for face in faces)
    targets: collections.deque[str] = collections.deque()

    def sent() -> Iterator[RenderJob]:
        for job in jobs:
            targets.append(job.target)
            yield job

    outcomes = executor.map(render_remote, RemoteSetup(setup, fonts), sent())
    for result, data in outcomes:
        target = Path(targets.popleft())
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        yield result
