"""Where a build's heavy work runs: worker processes on this machine, or an existing Dask
cluster.

Every heavy stage (checking the forms, rendering the pages, the Pagefind runs of the search
parts, the PDFs) hands its work to one `Executor` as tasks: a module-level function, what all
its tasks share (sent once) and the tasks themselves. `map` gives the results back in the order
of the tasks, and the building process writes every file: the stage never knows where its tasks
ran, and its output is the same bytes either way (`tests/test_dask.py`).

`dispatch.open_executor` opens the one a build asked for. `--executor local` (the default) is
`LocalExecutor`: forked processes, or threads for work
that waits on another program. `--executor dask://HOST:PORT` (or `tcp://`, `tls://`) is
`DaskExecutor`: a client of a running Dask distributed scheduler, opened once per build. Its
workers need jixiao, WeasyPrint's system libraries and the Pagefind binary, but not the content,
the templates or the fonts: each task carries what it needs and returns results and bytes.
docs/publishing.md says how to run a cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from .errors import ExecutorError

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ExecutorSpec:
    """Where to run: `kind` "local" (worker processes here) or "dask", whose scheduler is
    at `address` (`tcp://host:port` or `tls://host:port`)."""

    kind: str
    address: str = ""

    @property
    def remote(self) -> bool:
        """True when the work is sent to other machines (a Dask cluster)."""
        return self.kind == "dask"


class Executor(Protocol):
    """Runs a stage's tasks somewhere; the stage does not know where.

    `remote` says the tasks leave this machine (the stage's inputs travel with them anyway;
    only a stage with work that needs this machine's files, the PDF booklets, looks at it).
    `workers` is how many tasks run at once, for sizing batches.
    """

    remote: bool
    workers: int

    def map(
        self,
        function: Callable[[S, T], R],
        shared: S,
        tasks: Iterable[T],
        *,
        waits: bool = False,
    ) -> Iterator[R]:
        """`function(shared, task)` for every task, the results yielded in the order of
        `tasks`. `function` is a module-level function of jixiao (workers import it by name);
        `shared` and each task pickle. `tasks` is consumed a few ahead of the results, so a
        generator of large tasks is never all in memory; tasks already in memory, given as a
        list, reach local processes through fork, unpickled. `waits`: the task spends its time
        waiting on another program (Pagefind), so threads of this process suffice locally.
        An exception in a task is raised here, as the task raised it."""
        ...


def parse_executor(text: str | None) -> ExecutorSpec:
    """`local` (or nothing), `dask://host:port`, `tcp://host:port` or `tls://host:port` into an
    ExecutorSpec. Raises ExecutorError for anything else."""
    if not text or text == "local":
        return ExecutorSpec("local")
    parts = urlsplit(text)
    if parts.scheme in ("dask", "tcp", "tls") and parts.hostname and parts.port:
        scheme = "tls" if parts.scheme == "tls" else "tcp"
        return ExecutorSpec("dask", f"{scheme}://{parts.hostname}:{parts.port}")
    raise ExecutorError(
        text,
        "无法识别的执行器地址,请用 local 或 dask://主机:端口",
        f"unknown executor {text!r}: use 'local' or 'dask://HOST:PORT' (a Dask scheduler)",
        "不加 --executor 即在本机构建;Dask 调度器的地址形如 dask://10.0.0.5:8786",
    )
