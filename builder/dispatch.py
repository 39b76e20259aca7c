"""The executor a build runs its heavy stages on (`executor.Executor`), opened for the build."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .executor import Executor, ExecutorSpec, parse_executor
from .executor_dask import open_dask
from .executor_local import LocalExecutor


@contextmanager
def open_executor(spec: ExecutorSpec, jobs: int) -> Iterator[Executor]:
    """The executor of `spec` for one build: local processes (at most `jobs` at once), or a
    client of the Dask scheduler, connected now and closed on the way out. Raises
    ExecutorError when `distributed` is missing, the scheduler cannot be reached or a worker
    has other versions of the packages that make the output (`executor_dask`)."""
    if not spec.remote:
        yield LocalExecutor(jobs)
        return
    with open_dask(spec.address) as executor:
        yield executor


__all__ = ["Executor", "ExecutorSpec", "open_executor", "parse_executor"]
