"""Where the heavy render work runs: local worker processes, or an existing Dask cluster.

`--executor local` (the default) forks worker processes on this machine. `--executor
dask://HOST:PORT` connects to a running Dask distributed scheduler and sends it the documents
to render; its workers need jixiao and its system libraries installed, but not the content or
the fonts: each task carries what it needs and returns the PDF's bytes.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import SetupError


class ExecutorError(SetupError):
    """The executor cannot be used: an address not understood, the `distributed` package
    missing, or a scheduler that cannot be reached. The message says which and what to do."""


@dataclass(frozen=True)
class ExecutorSpec:
    """Where to render: `kind` "local" (worker processes here) or "dask", whose scheduler is
    at `address` (`tcp://host:port` or `tls://host:port`)."""

    kind: str
    address: str = ""

    @property
    def remote(self) -> bool:
        """True when the work is sent to another machine (a Dask cluster)."""
        return self.kind == "dask"


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
        f"未知的 executor“{text}”:请用 local 或 dask://主机:端口 / "
        f"unknown executor {text!r}: use 'local' or 'dask://HOST:PORT' (a Dask scheduler)"
    )


def dask_client(spec: ExecutorSpec, timeout: float = 10):  # -> distributed.Client
    """A client of the running scheduler; a clear error when it cannot be reached.

    `timeout` is in seconds. Raises ExecutorError without `distributed` installed, or when no
    connection to the scheduler's address can be made within `timeout`; a refused connection
    (nothing listens there) fails at once."""
    try:
        from distributed import Client
    except ImportError as error:
        raise ExecutorError(
            "Dask 执行器需要 distributed 软件包 / "
            "the Dask executor needs the 'distributed' package: pip install 'jixiao[dask]'"
        ) from error
    # Dask retries a refused connection until its timeout, as if the scheduler were about to
    # start; one plain connection first tells a build at once that nothing listens there.
    parts = urlsplit(spec.address)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=timeout).close()
    except OSError as error:
        raise ExecutorError(
            f"无法连接 {spec.address} 上的 Dask 调度器 / "
            f"cannot reach the Dask scheduler at {spec.address}: {error}"
        ) from error
    try:
        return Client(spec.address, timeout=timeout, set_as_default=False)
    except OSError as error:
        raise ExecutorError(
            f"无法连接 {spec.address} 上的 Dask 调度器 / "
            f"cannot reach the Dask scheduler at {spec.address}: {error}"
        ) from error
