"""Hard links to every published file a staging folder does not hold yet: how an incremental
build that has no spare (`spare.py`) lays its few new files over the published site."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .writing import writing

# Threads that link the folders of a site at once: each link is a system call that waits on
# the file system (the GIL is released meanwhile), and at 10,000 forms there are 60,000.
LINKING_THREADS = 4
# Marks a folder `_link_folder` linked no file into: it exists if a folder below it got one.
UNSURE = "?"
# How deep `link_missing` splits the site into folders linked by one thread each: the years'
# unit folders (`2023/lps-sbj`), some 180 a year.
SPLIT_DEPTH = 2


def link_missing(
    source: Path, target: Path, skip: Iterable[Path] = (), made: list[str] | None = None
) -> int:
    """Hard-link into `target` every file of `source` it does not have yet, leaving out the
    files and folders in `skip` (paths in `source`): a full view of a folder at no copying
    cost. A folder is made only for a file linked into it (a full build makes no empty
    folder); a symbolic link is copied as a link. A `source` that does not exist (a unit the
    published site does not have: new, or back after all its forms were held back) links
    nothing. The folders `SPLIT_DEPTH` down are linked by `LINKING_THREADS` threads. Returns
    the files linked; `made`, when given, gets the path (`target` joined with a `source`-
    relative one) of each folder of `target` a file was linked into or found in, and, marked
    `UNSURE`, of each other one visited. A refused write raises `OutputWriteError`."""
    if not os.path.isdir(source):
        return 0
    skipped = {os.path.normpath(os.path.abspath(p)) for p in skip}
    with writing(target):
        folders: list[tuple[str, str]] = []
        top = (os.path.abspath(source), os.fspath(target))
        count = _link_folder(*top, skipped, made, folders)
        if len(folders) < 2:
            return count + sum(_link_folder(s, t, skipped, made) for s, t in folders)
        with ThreadPoolExecutor(LINKING_THREADS) as pool:
            linked = pool.map(lambda pair: _link_folder(*pair, skipped, made), folders)
            return count + sum(linked)


def _link_folder(
    source: str,
    target: str,
    skipped: set[str],
    made_list: list[str] | None = None,
    deeper: list[tuple[str, str]] | None = None,
    depth: int = SPLIT_DEPTH,
) -> int:
    """Link the files of `source` into `target`, and its folders: into `deeper`, as (source,
    target) pairs, those `depth` levels down when `deeper` is given, else all here. `target`
    is added to `made_list`, when given: marked `UNSURE` if no file was linked into it and it
    did not exist (a folder below may make it)."""
    # Strings and os.scandir, not pathlib: a site of ten thousand files is linked on every
    # incremental build, and its cost is that of the system calls alone.
    count = 0
    made = os.path.isdir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.path in skipped:
                continue
            destination = os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if deeper is None:
                    count += _link_folder(entry.path, destination, skipped, made_list)
                elif depth <= 1:
                    deeper.append((entry.path, destination))
                else:
                    count += _link_folder(
                        entry.path, destination, skipped, made_list, deeper, depth - 1
                    )
                continue
            if not made:
                os.makedirs(target, exist_ok=True)
                made = True
            try:
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), destination)
                else:
                    os.link(entry.path, destination, follow_symlinks=False)
            except FileExistsError:
                continue  # written by this build
            count += 1
    if made_list is not None:  # one without files of its own: made (or not) by the links below
        made_list.append(target if made else UNSURE + target)
    return count
