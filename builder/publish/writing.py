"""A write the machine refused: a full disk, a used-up quota, an I/O error, a read-only file
system. One kind of failure, said once, in Chinese, naming the file and the reason.

Every writer of a build (the pages, the search index, the PDFs, the open data, the cache and
the manifest) lets such an `OSError` rise; the build turns it into `OutputWriteError` (a
`SetupError`: the machine's to fix, exit 1, no traceback) with `write_failure`. Writers that
know the site path of what they wrote name it (`Staging`); otherwise the file the error names
is said. The build fails before it publishes, so the published site stays as it was, and it
records nothing, so no later build takes a half-written output for one that is up to date.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import SetupError

# errno -> (what happened, what to do): the kinds of refused write that the machine's owner
# fixes, not jixiao.
REFUSED: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (
        "磁盘空间不足",
        "腾出磁盘空间，或用 --output 和 --cache 换到空间足够的磁盘，再运行一次",
    ),
    errno.EDQUOT: (
        "磁盘配额已用完",
        "请管理员提高配额，或腾出空间，再运行一次",
    ),
    errno.EIO: (
        "磁盘读写出错（输入/输出错误）",
        "检查磁盘和连接，或用 --output 换一个文件夹，再运行一次",
    ),
    errno.EROFS: (
        "文件系统是只读的",
        "用 --output 换一个可写的文件夹，或把文件系统挂载为可写，再运行一次",
    ),
    # The site folder is a mount point (or otherwise in use): it cannot be swapped for the
    # new one, which is made beside it.
    errno.EBUSY: (
        "文件夹正被占用（如网站文件夹本身是挂载点，无法换下）",
        "用 --output 换成挂载点里面的一个文件夹（如 <挂载点>/site），再运行一次",
    ),
}

UNCHANGED = "已发布的网站保持原样"


class OutputWriteError(SetupError):
    """A file of the build could not be written (`REFUSED`: ENOSPC, EDQUOT, EIO, EROFS,
    EBUSY). Exit 1; the message starts with the file, then `错误[write]`, the reason in
    Chinese with its errno name and number, what became of the published site, and the
    hint."""

    def __init__(self, path: str, code: int, note: str = UNCHANGED) -> None:
        reason, hint = REFUSED[code]
        name = errno.errorcode.get(code, str(code))
        super().__init__(
            f"{path}: 错误[write]: 无法写入：{reason}（{name}，errno {code}）；{note} ({hint})"
        )
        self.path = path
        self.errno = code
        self.note = note

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process, it is pickled back to the build: made again from its
        # fields (its message alone is not what `__init__` takes).
        return (OutputWriteError, (self.path, self.errno, self.note))


def refused(error: BaseException) -> OSError | None:
    """The refused write (`REFUSED`) that `error` is or was raised from, if any: the error
    itself, its cause or its context, followed as far as they go."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in REFUSED:
            return current
        current = current.__cause__ or current.__context__
    return None


def write_failure(
    error: BaseException, path: str | os.PathLike[str] | None = None, note: str = UNCHANGED
) -> OutputWriteError | None:
    """`OutputWriteError` for a refused write (`refused`), naming `path` (or else the file
    the error names, or else nothing); None for any other error."""
    found = refused(error)
    if found is None:
        return None
    if isinstance(error, OutputWriteError):
        return error
    where = path if path is not None else (found.filename or "(输出文件)")
    return OutputWriteError(os.fspath(where), found.errno or errno.EIO, note)


@contextmanager
def writing(path: str | os.PathLike[str]) -> Iterator[None]:
    """Around one write: a refused write becomes `OutputWriteError` naming `path`; any other
    error rises as it is."""
    try:
        yield
    except OSError as error:
        failure = write_failure(error, path)
        if failure is None:
            raise
        raise failure from error


def write_sealed(path: Path, data: bytes) -> None:
    """Store `data` at `path`, read-only, whole or not at all: written under a temporary name
    of this process and thread (no two writers share it; one left by a killed build is
    overwritten), then renamed over `path`, so that a reader never sees it half-written and
    two writers of the same bytes race harmlessly. The folder is made only when missing (the
    usual case is one `open`). A refused write raises `OutputWriteError` naming `path`. For
    the caches' entries (`workbook.cache`, `search.partcache`)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    with writing(path):
        try:
            handle = os.open(temporary, flags, 0o600)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(temporary, flags, 0o600)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
