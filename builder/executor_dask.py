"""`--executor dask://HOST:PORT`: a stage's tasks on an existing Dask distributed cluster.

One client per build (`open_dask`), connected before any work. What a map's tasks share is
scattered to every worker once; the tasks are submitted a few ahead of the results, which come
back in order. Nothing here reads or writes a file: the tasks carry what they need.
"""

from __future__ import annotations

import platform
import socket
import subprocess
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

from .errors import ExecutorError, SetupError
from .search.pagefind import pagefind_binary

# What every message about reaching the scheduler advises.
START_HINT = (
    "先在调度器主机上运行 dask scheduler,在各工作机上运行 dask worker 调度器地址,"
    "并确认本机能连到该端口;或去掉 --executor 在本机构建"
)


def _unreachable(address: str, error: BaseException) -> ExecutorError:
    return ExecutorError(
        address,
        f"无法连接该地址上的 Dask 调度器({_reason_zh(error)})",
        f"cannot reach the Dask scheduler at {address}: {error}",
        START_HINT,
    )


def _reason_zh(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "连接被拒绝:该端口上没有调度器在运行"
    if isinstance(error, TimeoutError | socket.timeout):
        return "连接超时"
    if isinstance(error, socket.gaierror):
        return "主机名无法解析"
    return "网络错误"


def dask_client(address: str, timeout: float = 10) -> Any:  # -> distributed.Client
    """A client of the scheduler at `address` (`tcp://host:port`, `tls://host:port`).

    `timeout` is in seconds. Raises ExecutorError without `distributed` installed, or when no
    connection to the scheduler's address can be made within `timeout`; a refused connection
    (nothing listens there) fails at once."""
    try:
        from distributed import Client
    except ImportError as error:
        raise ExecutorError(
            address,
            "Dask 执行器需要 distributed 软件包",
            "the Dask executor needs the 'distributed' package: pip install 'jixiao[dask]'",
            "pip install 'jixiao[dask]'",
        ) from error
    # Dask retries a refused connection until its timeout, as if the scheduler were about to
    # start; one plain connection first tells a build at once that nothing listens there.
    parts = urlsplit(address)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=timeout).close()
    except OSError as error:
        raise _unreachable(address, error) from error
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except OSError as error:
        raise _unreachable(address, error) from error


# The packages whose version decides the bytes of what the workers make: pages (Jinja2,
# Markdown, nh3), the check (pydantic, PyYAML), the PDFs (WeasyPrint, pydyf, fontTools,
# pikepdf), the search index (cbor2), and jixiao itself.
OUTPUT_PACKAGES = (
    "jixiao",
    "jinja2",
    "markupsafe",
    "markdown",
    "nh3",
    "pydantic",
    "pyyaml",
    "weasyprint",
    "pydyf",
    "fonttools",
    "pikepdf",
    "cbor2",
)


def package_versions() -> dict[str, str]:
    """Python's version, each of `OUTPUT_PACKAGES`' installed here ("" when missing), and
    the version the Pagefind binary the search stage runs says ("" when there is none)."""
    found = {"python": platform.python_version()}
    for name in OUTPUT_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    found["pagefind"] = pagefind_version()
    return found


def pagefind_version() -> str:
    """What `pagefind_extended --version` says here (`pagefind 1.6.0`); "" without one."""
    try:
        command = [pagefind_binary(), "--version"]
        run = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    except (SetupError, OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip()


def _check_versions(client: Any, address: str) -> None:
    """Raise ExecutorError when a worker has another version of a package that decides the
    output's bytes: its pages, index or PDFs would not be those of a local build."""
    here = package_versions()
    if not here["pagefind"]:
        del here["pagefind"]  # a machine that only sends the work need not have Pagefind
    for worker, there in sorted(client.run(package_versions).items()):
        differ = [
            f"{name} {here[name]}≠{there.get(name)}"
            for name in here
            if there.get(name) != here[name]
        ]
        if differ:
            raise ExecutorError(
                address,
                f"工作节点 {worker} 的软件版本与本机不同:{', '.join(differ)}",
                f"worker {worker} has other versions than this machine: {', '.join(differ)}",
                "在每个工作节点上安装与本机相同版本的 jixiao 及其依赖(同一份锁定的依赖清单)",
            )


@contextmanager
def open_dask(address: str) -> Iterator[DaskExecutor]:
    """A `DaskExecutor` of the scheduler at `address` for one build; the client is closed on
    the way out. Raises ExecutorError (see `dask_client`), or when a worker's packages are
    not this machine's versions (`OUTPUT_PACKAGES`)."""
    client = dask_client(address)
    try:
        _check_versions(client, address)
        yield DaskExecutor(client, address)
    finally:
        client.close()


class DaskExecutor:
    """Tasks on the workers of a Dask cluster (`distributed.Client`); `workers` is the
    threads the cluster had when the build connected."""

    remote = True

    def __init__(self, client: Any, address: str) -> None:
        self.client = client
        self.address = address
        self.workers = max(1, sum(client.nthreads().values()))

    def map(
        self,
        function: Callable[[Any, Any], Any],
        shared: Any,
        tasks: Iterable[Any],
        *,
        waits: bool = False,
    ) -> Iterator[Any]:
        """See `executor.Executor.map`: results in the order of `tasks`. Raises ExecutorError
        when the connection to the scheduler is lost."""
        try:
            yield from self._map(function, shared, tasks)
        except OSError as error:  # distributed's CommClosedError is one
            raise ExecutorError(
                self.address,
                "构建过程中与 Dask 调度器的连接中断",
                f"lost the Dask scheduler at {self.address}: {error}",
                "检查调度器和网络后重新构建;已发布的网站保持原样",
            ) from error

    def _map(
        self, function: Callable[[Any, Any], Any], shared: Any, tasks: Iterable[Any]
    ) -> Iterator[Any]:
        client = self.client
        # Sent to every worker once (in a list: scatter would split a list or dict given
        # alone); hash=False: tokenizing a site's views costs more than sending them.
        [scattered] = client.scatter([shared], broadcast=True, hash=False)
        window = 2 * self.workers
        queued: deque[Any] = deque()
        try:
            for task in tasks:
                queued.append(client.submit(function, scattered, task, pure=False))
                if len(queued) >= window:
                    yield queued.popleft().result()
            while queued:
                yield queued.popleft().result()
        finally:
            for future in queued:
                future.cancel()
            scattered.release()
