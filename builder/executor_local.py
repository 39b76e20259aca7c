"""`--executor local`: a stage's tasks in processes forked on this machine (or threads).

A map forks `workers - 1` processes and this process takes a task itself whenever the others
have two queued each: a task this process runs is a result that need not be pickled back. What
the tasks share reaches the forked processes through fork, never pickled (`_SHARED`), and so do
the tasks when they are given as a list (only their indices travel: a batch of pages with its
views costs more to pickle than to render); tasks from an iterator are pickled one by one, as
it is consumed. Only the results travel back. One task, or one worker, runs here without
forking at all.
Work that waits on another program (`waits=True`: Pagefind) runs in threads of this process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from typing import Any

# What the tasks of the current map share, and its tasks when they were given as a list, in
# a process forked for that map: set once by `_receive`, the pool's initializer, in that
# process only; the documented singleton of a local worker process. The building process
# never sets it: it passes `shared` and the tasks directly.
_SHARED: tuple[Any, Sequence[Any]] = (None, ())


def _receive(shared: Any, tasks: Sequence[Any]) -> None:
    global _SHARED
    _SHARED = (shared, tasks)


def _run(function: Callable[[Any, Any], Any], task: Any) -> Any:
    return function(_SHARED[0], task)


def _run_at(function: Callable[[Any, Any], Any], index: int) -> Any:
    return function(_SHARED[0], _SHARED[1][index])


def forked_pool(workers: int, shared: Any, tasks: Sequence[Any]) -> ProcessPoolExecutor:
    """A pool of `workers` processes forked from this one that hold `shared` and `tasks`
    without their being pickled: give it `run_listed(function, index)` to run
    `function(shared, tasks[index])` there (only the index travels, and the result back)."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_receive,
        initargs=(shared, tasks),
    )


def run_listed(function: Callable[[Any, Any], Any], index: int) -> Any:
    """In a process of `forked_pool`: `function(shared, tasks[index])`."""
    return _run_at(function, index)


class LocalExecutor:
    """Tasks on this machine: at most `jobs` at once (this process included), never more than
    its cores. Keeps no pool between maps: each map forks its processes after `shared`
    exists, so that they inherit it."""

    remote = False

    def __init__(self, jobs: int) -> None:
        self.workers = max(1, min(jobs, os.cpu_count() or 1))

    def map(
        self,
        function: Callable[[Any, Any], Any],
        shared: Any,
        tasks: Iterable[Any],
        *,
        waits: bool = False,
    ) -> Iterator[Any]:
        """See `executor.Executor.map`: results in the order of `tasks`."""
        listed = tasks if isinstance(tasks, Sequence) else ()
        tasks = iter(tasks)
        first = list(itertools.islice(tasks, 2))
        tasks = itertools.chain(first, tasks)
        if self.workers == 1 or len(first) < 2:
            return (function(shared, task) for task in tasks)
        if waits:
            return self._threads(function, shared, tasks)
        return self._processes(function, shared, tasks, listed)

    def _threads(
        self, function: Callable[[Any, Any], Any], shared: Any, tasks: Iterator[Any]
    ) -> Iterator[Any]:
        with ThreadPoolExecutor(self.workers, "jixiao-task") as pool:
            yield from _ordered(pool, tasks, 2 * self.workers, function, shared, here=False)

    def _processes(
        self,
        function: Callable[[Any, Any], Any],
        shared: Any,
        tasks: Iterator[Any],
        listed: Sequence[Any],
    ) -> Iterator[Any]:
        helpers = self.workers - 1
        with forked_pool(helpers, shared, listed) as pool:
            yield from _ordered(
                pool, tasks, 2 * helpers, function, shared, here=True, listed=bool(listed)
            )


def _ordered(
    pool: Executor,
    tasks: Iterator[Any],
    window: int,
    function: Callable[[Any, Any], Any],
    shared: Any,
    here: bool,
    listed: bool = False,
) -> Iterator[Any]:
    """Keep `window` tasks queued in `pool`; with `here`, run the next task in this process
    while they wait; `listed`, the pool's processes have the tasks (`_receive`) and are sent
    their indices. Yields the results in the order of the tasks."""
    done: dict[int, Any] = {}
    queued: dict[Future[Any], int] = {}
    submitted = emitted = 0
    end = object()
    upcoming = next(tasks, end)
    while upcoming is not end or queued:
        while upcoming is not end and len(queued) < window:
            if listed:
                queued[pool.submit(_run_at, function, submitted)] = submitted
            elif here:
                queued[pool.submit(_run, function, upcoming)] = submitted
            else:
                queued[pool.submit(function, shared, upcoming)] = submitted
            submitted += 1
            upcoming = next(tasks, end)
        if here and upcoming is not end:
            done[submitted] = function(shared, upcoming)
            submitted += 1
            upcoming = next(tasks, end)
            finished = [future for future in queued if future.done()]
        else:
            finished = list(wait(queued, return_when=FIRST_COMPLETED)[0])
        for future in finished:
            done[queued.pop(future)] = future.result()
        while emitted in done:
            yield done.pop(emitted)
            emitted += 1
