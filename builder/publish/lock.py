"""One build at a time per cache folder, and folders a build can write, checked first.

Two builds on one tree would interleave their staging, swaps and journals and leave a site
missing files that the next build calls up to date. `hold` takes an exclusive lock on
`<cache>/build.lock` (`fcntl.flock`, released when the build ends or its process dies) and
refuses a second build at once, with a one-line message naming the running one: it does not
wait, so a build never sits silently behind a hung one, and running it again afterwards is
cheap (incremental). The preview's builds use a cache folder of their own.

Before the lock, the output and cache folders are proven writable by creating and removing a
probe file in each (`os.access` says yes to root whatever the modes): a build that could not
publish fails before it changes anything.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType

from ..errors import SetupError
from .writing import write_failure, writing

LOCK = "build.lock"
PROBE_PREFIX = ".jixiao-probe-"
# The folders a message names, in Chinese (messages are `中文 / English`, as `errors.py` says).
ROLES_ZH = MappingProxyType({"output": "输出", "cache": "缓存", "site": "网站"})


class BuildRunning(SetupError):
    """Another build holds the lock of the same cache folder. Exit 1; the message names the
    cache folder and the process."""


class FolderNotWritable(SetupError):
    """The output or cache folder (or one of the site's folders) cannot be written. Exit 1;
    the message starts with the folder and says why."""


def probe_writable(folder: Path, role: str) -> None:
    """Create and remove a probe file in `folder` (which exists). Raises
    `FolderNotWritable` naming `folder`, `role` ("output", "cache", "site") and the reason."""
    try:
        handle, name = tempfile.mkstemp(prefix=PROBE_PREFIX, dir=folder)
        os.close(handle)
        os.unlink(name)
    except OSError as error:
        refused = write_failure(error, folder)  # a full disk: the one message for it
        if refused is not None:
            raise refused from None
        reason = error.strerror or type(error).__name__
        raise FolderNotWritable(
            f"{folder}: {ROLES_ZH.get(role, role)}文件夹无法写入({reason}),没有做任何改动:"
            "请让当前用户可以写入,或换一个文件夹"
            f" / the {role} folder cannot be written ({reason}); nothing was "
            "changed: make it writable for this user, or choose another folder"
        ) from None


def existing(folder: Path) -> Path:
    """`folder` (as given), or its nearest ancestor that exists (what creating it would write
    to)."""
    if folder.exists():
        return folder
    folder = folder.absolute()
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def check_writable(site: Path, cache: Path, more: Iterable[Path] = ()) -> None:
    """Prove that a build can write the cache folder (created if missing), the site folder's
    parent (its staging folder and swap) and the site folder itself, and each folder of
    `more`. Raises `FolderNotWritable` for the first that cannot be written."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the probe below names the folder that refused
    probe_writable(existing(cache), "cache")
    probe_writable(existing(site.absolute().parent), "output")
    if site.is_dir():
        probe_writable(site, "output")
    for folder in more:
        probe_writable(existing(folder), "output")


@contextlib.contextmanager
def hold(site: Path, cache: Path) -> Iterator[None]:
    """Check that `site` and `cache` can be written, then hold the build lock of `cache`
    for the body. Raises `FolderNotWritable`, or `BuildRunning` when another process holds
    the lock (the body does not run)."""
    check_writable(site, cache)
    path = cache / LOCK
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            handle.seek(0)
            pid = handle.read().strip()
            holder = f"process {pid}" if pid.isdigit() else "another process"
            holder_zh = f"进程 {pid}" if pid.isdigit() else "另一个进程"
            raise BuildRunning(
                f"{cache}: 另一个构建正在使用这个缓存文件夹({holder_zh}):请等它结束后再运行"
                f" / another build is running with this cache folder ({holder}); wait for it "
                "to finish, then run again"
            ) from None
        with writing(path):  # a full disk fails here, before anything else
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


__all__ = ["BuildRunning", "FolderNotWritable", "check_writable", "hold", "probe_writable"]
