"""Which source files changed: inotify on Linux, a modification-time scan elsewhere.

The preview has to notice a save within milliseconds, and a content folder can hold ten
thousand forms: scanning all their modification times every tenth of a second would keep a core
busy. On Linux the kernel reports changes instead (inotify, through ctypes, so no extra
dependency); elsewhere, or when inotify cannot be set up, the folders are scanned at an interval
that grows with the time one scan takes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import struct
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

# Editors write these beside the file being edited; vim rewrites its swap file while you type.
_EDITOR_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", "~")
_EDITOR_NAMES = {"4913"}  # vim's probe that a folder is writable


def is_editor_noise(name: str) -> bool:
    """Hidden files and folders (.git, .#lock files) and editor scratch files."""
    return name.startswith(".") or name.endswith(_EDITOR_SUFFIXES) or name in _EDITOR_NAMES


class ChangeWatcher(Protocol):
    def changes(self, timeout: float) -> set[Path]:
        """Paths changed since the last call, waiting up to timeout seconds for the first one."""
        ...

    def close(self) -> None: ...


def watch(
    roots: Iterable[Path], skip: Callable[[Path], bool] = lambda path: False
) -> ChangeWatcher:
    """A watcher over every file below roots, ignoring editor noise and what skip rejects."""
    folders = [Path(root).resolve() for root in roots]
    if sys.platform.startswith("linux"):
        try:
            return InotifyWatcher(folders, skip)
        except OSError as error:
            print(
                f"jixiao: file notifications unavailable ({error}); scanning for changes",
                flush=True,
            )
    return PollingWatcher(folders, skip)


# <sys/inotify.h>
_IN_MODIFY = 0x2
_IN_ATTRIB = 0x4  # `touch` a file to force a rebuild
_IN_CLOSE_WRITE = 0x8
_IN_MOVED_FROM = 0x40
_IN_MOVED_TO = 0x80
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_DELETE_SELF = 0x400
_IN_MOVE_SELF = 0x800
_IN_Q_OVERFLOW = 0x4000
_IN_IGNORED = 0x8000
_IN_ONLYDIR = 0x01000000
_IN_ISDIR = 0x40000000
_WATCH_MASK = (
    _IN_MODIFY
    | _IN_ATTRIB
    | _IN_CLOSE_WRITE
    | _IN_MOVED_FROM
    | _IN_MOVED_TO
    | _IN_CREATE
    | _IN_DELETE
    | _IN_DELETE_SELF
    | _IN_MOVE_SELF
    | _IN_ONLYDIR
)
_EVENT_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


class InotifyWatcher:
    def __init__(self, roots: list[Path], skip: Callable[[Path], bool]) -> None:
        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            code = ctypes.get_errno()
            raise OSError(code, f"inotify_init1: {os.strerror(code)}")
        self._skip = skip
        self._folders: dict[int, Path] = {}
        self._roots = roots
        try:
            for root in roots:
                self._watch_tree(root)
        except OSError:
            os.close(self._fd)
            raise

    def _skipped(self, path: Path) -> bool:
        return is_editor_noise(path.name) or self._skip(path)

    def _watch_tree(self, top: Path) -> list[Path]:
        """Watch top and every folder below it; returns the files already there."""
        files: list[Path] = []
        for folder, subfolders, names in os.walk(top):
            here = Path(folder)
            subfolders[:] = [d for d in subfolders if not self._skipped(here / d)]
            descriptor = self._libc.inotify_add_watch(self._fd, os.fsencode(here), _WATCH_MASK)
            if descriptor < 0:
                code = ctypes.get_errno()
                if code == errno.ENOENT:  # removed while we walked
                    continue
                hint = " (raise fs.inotify.max_user_watches)" if code == errno.ENOSPC else ""
                raise OSError(code, f"inotify_add_watch {here}: {os.strerror(code)}{hint}")
            self._folders[descriptor] = here
            files.extend(here / name for name in names if not self._skipped(here / name))
        return files

    def changes(self, timeout: float) -> set[Path]:
        changed: set[Path] = set()
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        while ready:
            try:
                data = os.read(self._fd, 256 * 1024)
            except BlockingIOError:
                break
            changed |= self._parse(data)
            ready, _, _ = select.select([self._fd], [], [], 0)
        return changed

    def _parse(self, data: bytes) -> set[Path]:
        changed: set[Path] = set()
        offset = 0
        while offset + _EVENT_HEADER.size <= len(data):
            descriptor, mask, _cookie, length = _EVENT_HEADER.unpack_from(data, offset)
            offset += _EVENT_HEADER.size
            name = os.fsdecode(data[offset : offset + length].rstrip(b"\0"))
            offset += length
            if mask & _IN_Q_OVERFLOW:
                # Events were lost: report the roots, the caller rebuilds everything anyway.
                changed.update(self._roots)
                continue
            folder = self._folders.get(descriptor)
            if folder is None:
                continue
            if mask & _IN_IGNORED:
                del self._folders[descriptor]
                continue
            if mask & (_IN_DELETE_SELF | _IN_MOVE_SELF):
                changed.add(folder)
                continue
            path = folder / name
            if not name or self._skipped(path):
                continue
            if mask & _IN_ISDIR and mask & (_IN_CREATE | _IN_MOVED_TO):
                # A new folder (a new year, a unit moved in): watch it and count its files.
                changed.update(self._watch_tree(path))
            changed.add(path)
        return changed

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class PollingWatcher:
    """Compares (mtime, size) of every file between scans."""

    def __init__(self, roots: list[Path], skip: Callable[[Path], bool]) -> None:
        self._roots = roots
        self._skip = skip
        self._seen = self._scan()
        self._interval = 0.1
        self._next_scan = time.monotonic() + self._interval

    def _scan(self) -> dict[Path, tuple[int, int]]:
        started = time.monotonic()
        found: dict[Path, tuple[int, int]] = {}
        pending = list(self._roots)
        while pending:
            try:
                entries = list(os.scandir(pending.pop()))
            except OSError:
                continue
            for entry in entries:
                path = Path(entry.path)
                if is_editor_noise(entry.name) or self._skip(path):
                    continue
                try:
                    if entry.is_dir():
                        pending.append(path)
                    else:
                        stat = entry.stat()
                        found[path] = (stat.st_mtime_ns, stat.st_size)
                except OSError:
                    continue
        # A large tree is scanned less often, so that watching costs at most a fifth of a core.
        self._interval = max(0.1, 5 * (time.monotonic() - started))
        return found

    def changes(self, timeout: float) -> set[Path]:
        wait = self._next_scan - time.monotonic()
        if wait > timeout:
            time.sleep(max(0.0, timeout))
            return set()
        time.sleep(max(0.0, wait))
        current = self._scan()
        self._next_scan = time.monotonic() + self._interval
        changed = {
            p for p in current.keys() | self._seen.keys() if current.get(p) != self._seen.get(p)
        }
        self._seen = current
        return changed

    def close(self) -> None:
        pass
