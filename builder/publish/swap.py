"""Exchange two paths in one step: `renameat2(2)` with `RENAME_EXCHANGE` (Linux 3.15, glibc
2.28; ext4, XFS, Btrfs, tmpfs, overlayfs and others). Python's `os` has no call for it, and
the small packages that wrap it are unmaintained or ship stray top-level modules, so it is
called through ctypes here, in the one place that needs it.

Where the system or the file system has no such call, `exchange` says so (False) and the
caller falls back on two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys

AT_FDCWD = -100
RENAME_EXCHANGE = 2
# The call or the flag is unknown here: the caller swaps another way.
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """libc's renameat2, or None (not Linux, or a C library without it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: os.PathLike[str] | str, second: os.PathLike[str] | str) -> bool:
    """Exchange the two existing paths (folders or files) at once: afterwards `first` names
    what `second` named and the reverse, and no moment shows either missing. True when done;
    False when this system or file system cannot (nothing changed). Raises OSError for any
    other failure (a path missing, permission refused)."""
    function = _renameat2()
    if function is None:
        return False
    result = function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), os.fspath(first), None, os.fspath(second))
