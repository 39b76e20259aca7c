"""What a content entry may be, and reading one under that rule.

An entry of `content/` is read only when it is a regular file whose real path (every symbolic
link on the way followed) stays inside the content folder. A symbolic link that stays inside is
followed; one that leaves is refused without opening its target; a FIFO, socket or device is
refused without being opened for reading (`stat` first, then a non-blocking open checked with
`fstat`, so a FIFO swapped in between cannot hang the reader). Folders are walked by the same
rule (`scan_content`): a linked folder inside the content is read, one leading outside, or back
to a folder already read, is returned as an entry that `read_entry` refuses.

What the walk does with a name (`scan_content`): a form is a file whose name ends in `.yaml`;
a name ending in `.yml` or `.YAML` is a form misnamed, and a link that leads nowhere (missing
target, a loop of links) may have been meant as a unit folder: both are entries that
`read_entry` refuses, so they are located errors, never skipped in silence. Hidden files and
folders (`.DS_Store`, `.git`, an editor's lock `.#x.yaml`) and editor backups (`x.yaml~`,
`#x.yaml#`) are ignored. Any other file (`notes.txt`, `README.md`, a `.docx`) is a stray: not
read, and named by the checker (`rules.check`), so that nobody expects it published.

The content folder of a file is the nearest folder above it, as written, that holds
`site.yaml`; without one, the working folder.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

SITE_FILE = "site.yaml"
FORM_SUFFIX = ".yaml"
OUTSIDE = "a symbolic link leading outside the content folder: nothing it points at is read"
LOOP = "a symbolic link to a folder that holds it (a loop): it is not read again"
NOWHERE = (
    "a symbolic link that leads nowhere (its target is missing, or it links back to itself):"
    " nothing is read"
)


# The kinds of entry `_kind` names, in Chinese.
_KINDS_ZH = MappingProxyType(
    {
        "a folder": "文件夹",
        "a FIFO (named pipe)": "命名管道(FIFO)",
        "a socket": "套接字",
        "a device": "设备",
        "not a regular file": "特殊文件",
    }
)


def reason_chinese(reason: str) -> str:
    """An `EntryError`'s reason in Chinese (the reason as it is when it is not one of them)."""
    if reason == OUTSIDE:
        return "这是指向内容文件夹之外的符号链接:它指向的内容一概不读取"
    if reason == LOOP:
        return "这是指向包含它的文件夹的符号链接(循环):不再重复读取"
    if reason == NOWHERE:
        return "这是无处可指的符号链接(目标不存在,或链接回自身):不读取"
    renamed = re.match(
        r"a form's file name ends in \.yaml: rename it to (.*); it is not read$", reason
    )
    if renamed:
        return f"表单的文件名应以 .yaml 结尾:请改名为 {renamed.group(1)};不读取"
    head, colon, rest = reason.partition(": ")
    if head == "cannot read the file" and colon:
        return f"无法读取该文件:{rest}"
    kind, sep, _ = reason.partition(", not a file")
    if sep:
        return f"这是{_KINDS_ZH.get(kind, kind)},不是文件:不读取"
    return reason


class EntryError(OSError):
    """A content entry that may not be read; `str()` is the one-line reason (no target path,
    nothing of its bytes)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def content_root(path: Path) -> str:
    """The real path of `path`'s content folder: the nearest folder above it, as written (links
    not followed), that holds site.yaml; else the working folder."""
    here = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.isfile(os.path.join(here, SITE_FILE)):
            return os.path.realpath(here)
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.realpath(os.getcwd())
        here = parent


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def ignored(name: str) -> bool:
    """A hidden file or folder (`.DS_Store`, `.git`, `.#x.yaml`) or an editor's backup
    (`x.yaml~`, `#x.yaml#`): never read, never reported."""
    return name.startswith(".") or name.endswith("~") or (name[:1] == "#" and name[-1:] == "#")


def misnamed(name: str) -> str | None:
    """The problem of a form file named `x.yml` or `x.YAML` (forms end in `.yaml`, lower case:
    the name the git history, the preview and the published copy use), or None."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix.lower() in ("yaml", "yml") and suffix != "yaml":
        return f"a form's file name ends in .yaml: rename it to {stem}.yaml; it is not read"
    return None


def entry_problem(path: Path, root: str | None = None) -> str | None:
    """Why `path` may not be read as a content file, or None when it may: `root` is the real
    path of its content folder (default: `content_root(path)`). Never opens the file."""
    lexical = os.path.abspath(path)
    wrong_name = misnamed(os.path.basename(lexical))
    if wrong_name is not None:
        return wrong_name
    real = os.path.realpath(lexical)
    if real != lexical or os.path.islink(lexical):
        base = root if root is not None else content_root(path)
        if not _inside(real, base):
            return OUTSIDE
        if not os.path.exists(lexical):
            return NOWHERE
        if os.path.islink(lexical) and os.path.isdir(real):
            return LOOP
    try:
        mode = os.stat(real).st_mode
    except OSError as error:
        return f"cannot read the file: {error.strerror}"
    if not stat.S_ISREG(mode):
        return f"{_kind(mode)}, not a file: it is not read"
    return None


def read_entry(path: Path, root: str | None = None) -> bytes:
    """The bytes of content file `path` under the rule above; raises `EntryError` with the
    reason (a located error's message) instead of reading anything it may not."""
    problem = entry_problem(path, root)
    if problem is not None:
        raise EntryError(problem)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise EntryError(f"cannot read the file: {error.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise EntryError(f"{_kind(mode)}, not a file: it is not read")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except EntryError:
        raise
    except OSError as error:
        raise EntryError(f"cannot read the file: {error.strerror}") from None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class ContentScan:
    """The content folder walked: `entries` are read as forms (each form file, and each entry
    that reading refuses with a located error); `strays` are other files, never read. Paths
    are written under the content folder as given; unsorted."""

    entries: list[str]
    strays: list[str]


def scan_content(content: Path) -> ContentScan:
    """Every entry under `content` by the rule of the module's docstring. Linked folders inside
    the content are walked (one linking to a folder read elsewhere too: its forms are read
    twice, which the duplicate-id check reports); a linked folder leading outside, or back to
    a folder that holds it, is an entry (refused when read), and so is a link that leads
    nowhere and a misnamed form."""
    root = os.path.realpath(content)
    entries: list[str] = []
    strays: list[str] = []
    for folder, dirnames, names in os.walk(content, followlinks=True):
        here = os.path.realpath(folder)
        kept = []
        for name in dirnames:
            path = os.path.join(folder, name)
            if ignored(name):
                continue
            if os.path.islink(path):
                real = os.path.realpath(path)
                if not _inside(real, root) or _inside(here, real):  # outside, or a loop
                    entries.append(path)
                    continue
            kept.append(name)
        dirnames[:] = kept
        for name in names:
            if ignored(name) or name == SITE_FILE:
                continue
            path = os.path.join(folder, name)
            if name.endswith(FORM_SUFFIX) or misnamed(name) or not os.path.exists(path):
                entries.append(path)
            else:
                strays.append(path)
    return ContentScan(entries, strays)


def walk_content(content: Path) -> list[str]:
    """The entries of `scan_content`: the form files under `content` and the entries that
    reading refuses. Unsorted."""
    return scan_content(content).entries


def link_note(path: Path) -> str | None:
    """ "read through a symbolic link" when `path`, as written, goes through one, else None."""
    lexical = os.path.abspath(path)
    return "read through a symbolic link" if os.path.realpath(lexical) != lexical else None


__all__ = [
    "ContentScan",
    "EntryError",
    "content_root",
    "entry_problem",
    "ignored",
    "link_note",
    "misnamed",
    "read_entry",
    "scan_content",
    "walk_content",
]
