"""The spare: the site an incremental build swapped out, kept beside `site/` as the next
incremental build's staging folder.

An incremental build used to make its staging folder anew and, once done, hard-link every
published file it kept into it: at 10,000 forms 11,500 folders made and 63,000 links, and the
old site swapped out removed (74,000 unlinks) by a detached `rm` while the next build ran, for
1.25 s of an edit's 3 s. The site swapped out by an incremental build shares all but the
files that build changed with the site published, so it is kept instead, as
`.jixiao-spare-<site>`, and the next incremental build brings it up to date with the published
site before it writes anything (`mirror`: every entry that is not the published one, the
same inode, is linked again; every entry the published site does not have is removed), a walk
of both trees that changes a few dozen entries. The build then writes into it as into a fresh
staging folder (a file is replaced, never written through, `staging._replace`), removes from
it the published files this build drops (`drop_kept`) and exchanges it with `site/`: the site
swapped out becomes the spare again.

Nothing in the spare is trusted: any file or folder in it that is not the published site's
own (a stray file, a file replaced by hand, what a build killed midway wrote) is found by the
walk and put right, since only the same inode counts as the same file. A file edited in place
(written through, not replaced) is another matter: the spare's files are the published site's
own, so such an edit in either changes both, and no build notices it until that page is made
again (as with the staging folder before the spare, which linked the same files). A build
that fails leaves it for the next one to put right. A full build does not use it (it writes everything):
the spare is removed in the background, and so is the site a full build swaps out (it shares
no file with the new one but the cached PDFs).

A build holds the spare (`hold`, an exclusive `flock`) while it stages in it, and takes it
before it replaces or removes it: another build of the same site (another cache folder, so
not kept out by the cache's lock) stages afresh instead, and leaves it alone.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import SetupError

SPARE_PREFIX = ".jixiao-spare-"
# A staging folder (`staging.py`), and an old site or spare being removed in the background.
PREFIX = ".jixiao-build-"
OLD_PREFIX = ".jixiao-old-"
# With less free room than this on the site's file system, `publish` removes the old site
# before it returns, even when asked to leave that to the background: the room of the files
# only the old site holds is then free for the build's record (the manifest), written next.
ROOM_TO_SPARE = 256 * 1024 * 1024
# What `tempfile.mkdtemp` adds to a prefix (eight of these), with no hyphen.
_RANDOM = "[a-z0-9_]+"


def is_leftover(name: str, site_name: str) -> bool:
    """Whether `name`, in the parent of the site folder named `site_name`, is a folder a build
    of that site made and left: its staging folder (`PREFIX<site>-` and `mkdtemp`'s
    characters), an old site being removed (`OLD_PREFIX<site>-` and the same) or a
    spare being removed (`OLD_PREFIX<site>-spare-<pid>-<ns>`, `remove_in_background`). Never
    a folder of another site of the same parent whose name starts with this one's
    (`site-2`'s staging folder is not `site`'s leftover: a build of `site` must not remove
    what a build of `site-2` is writing)."""
    site = re.escape(site_name)
    pattern = (
        rf"(?:{re.escape(PREFIX)}{site}|{re.escape(OLD_PREFIX)}{site})-{_RANDOM}"
        rf"|{re.escape(OLD_PREFIX)}{site}-spare-[0-9]+-[0-9]+"
    )
    return re.fullmatch(pattern, name) is not None


def spare_of(site_dir: Path) -> Path:
    """Where the spare of `site_dir` is kept: beside it, `SPARE_PREFIX<site name>`."""
    site_dir = site_dir.resolve()
    return site_dir.parent / f"{SPARE_PREFIX}{site_dir.name}"


def hold(spare: Path) -> int | None:
    """Take the spare for this build: a descriptor of the folder `spare` holding an exclusive
    `flock` on it, or None when it is not a folder of its own (a link, a file, gone) or
    another build holds it. A build stages in the spare, replaces it or removes it only while
    it holds it: two builds of one site with two caches (each cache has its own build lock,
    `lock.py`; `jixiao serve -o site` has its own cache) would otherwise stage in one folder,
    or one would remove the folder the other is writing its site into. Released by `release`
    (or when the process ends)."""
    try:
        handle = os.open(spare, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None
    return handle


class SitePublishedMeanwhile(SetupError):
    """Another build (one with another cache folder) published the site while this
    incremental build ran: what this one laid over the site it found is not over the site now
    published. Nothing is published, nothing recorded (exit 1): the next build starts from the
    site as it is."""


def site_identity(site_dir: Path) -> tuple[int, int] | None:
    """The site folder's (device, inode), None where there is none. A build that publishes
    exchanges another folder in: an incremental build notes it before it reads the site to lay
    its files over and checks it before it publishes (`check_same_site`)."""
    try:
        info = os.stat(site_dir)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def check_same_site(site_dir: Path, seen: tuple[int, int] | None) -> None:
    """Raise `SitePublishedMeanwhile` when `site_dir` is no longer the folder noted as `seen`."""
    if site_identity(site_dir) != seen:
        raise SitePublishedMeanwhile(
            f"{site_dir}: 本次构建进行期间,另一个构建(用另一个缓存文件夹)发布了这个网站;本次构建"
            "没有发布任何内容,请再运行一次 / another build (with another cache folder) published "
            "this site while this build ran; nothing was published: run the build again"
        )


def release(handle: int | None) -> None:
    """Let go of a spare taken by `hold` (None: nothing to let go of)."""
    if handle is not None:
        os.close(handle)


def _remove(entry: os.DirEntry[str]) -> None:
    """Remove a file, link or folder (with all it holds) found in a walk."""
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def mirror(source: Path, target: Path) -> list[str]:
    """Make the folder `target` hold what `source` holds, every file (or symbolic link) a hard
    link to `source`'s own: an entry already the same inode is left as it is; any other is
    removed, or replaced by a link (a folder is made for a folder). Returns every folder of
    `source`, site-relative and `/`-separated, "" first. Raises OSError when a folder cannot
    be read or an entry cannot be linked or removed (`target` is then partly brought up to
    date: the next call finishes it)."""
    folders: list[str] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        folders.append(relative)
        names = sync_folder(source / relative, target / relative, whole=True)
        pending += [f"{relative}/{name}" if relative else name for name in names]
    return folders


def sync_folder(here: Path, there: Path | None, whole: bool = False) -> list[str]:
    """The names of the folders in `here`; with `there`, its entries made `here`'s, one level:
    each file (or link) a hard link to `here`'s own (one already the same inode left as it
    is, any other replaced), an entry `here` lacks removed, a folder `here` has made where
    missing, and then mirrored whole (`mirror`) unless `whole` (the caller walks every folder).
    Raises OSError as `mirror` does."""
    names: list[str] = []
    held: dict[str, os.DirEntry[str]] = {}
    if there is not None:
        with os.scandir(there) as entries:
            held = {entry.name: entry for entry in entries}
    with os.scandir(here) as entries:
        for entry in entries:
            folder = entry.is_dir(follow_symlinks=False)
            if folder:
                names.append(entry.name)
            if there is None:
                continue
            kept = held.pop(entry.name, None)
            destination = os.path.join(there, entry.name)
            if folder:
                if kept is not None and not kept.is_dir(follow_symlinks=False):
                    os.unlink(kept.path)
                    kept = None
                if kept is None:
                    os.mkdir(destination)
                    if not whole:
                        mirror(Path(entry.path), Path(destination))
                continue
            if kept is not None:
                if kept.inode() == entry.inode() and not kept.is_dir(follow_symlinks=False):
                    continue
                _remove(kept)
            os.link(entry.path, destination, follow_symlinks=False)
    for stray in held.values():
        _remove(stray)
    return names


def drop_kept(staged: Path, site: Path, deletions: Iterable[str]) -> None:
    """Remove from `staged` (a spare brought up to date with `site` by `mirror`, then written
    into by a build) each of the site paths in `deletions` (files or folders), except the
    files this build wrote there: those are not `site`'s own (another inode). A folder left
    empty is removed, and so is each folder above it left empty, as a fresh staging folder
    would not have had them."""
    top = os.fspath(staged)
    for relative in deletions:
        path = os.path.normpath(os.path.join(top, relative))
        published = os.path.normpath(os.path.join(os.fspath(site), relative))
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(info.st_mode):
            _drop_folder(path, published)
        elif _same(info, published):
            os.unlink(path)
        _remove_empty_above(path, top)


def _same(info: os.stat_result, published: str) -> bool:
    """Whether `info` is that of the file at `published` (the same inode)."""
    try:
        there = os.lstat(published)
    except OSError:
        return False
    return (there.st_ino, there.st_dev) == (info.st_ino, info.st_dev)


def _drop_folder(path: str, published: str) -> None:
    """Remove from the folder `path` every file that is the same inode as the one at the same
    place under `published`, and every folder left empty (`path` too)."""
    try:
        with os.scandir(published) as entries:
            theirs = {e.name: e.inode() for e in entries if not e.is_dir(follow_symlinks=False)}
    except OSError:
        theirs = {}
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _drop_folder(entry.path, os.path.join(published, entry.name))
            elif theirs.get(entry.name) == entry.inode():
                os.unlink(entry.path)
    try:
        os.rmdir(path)
    except OSError:
        pass  # not empty: it holds what this build wrote


def _remove_empty_above(path: str, top: str) -> None:
    """Remove each folder above `path`, up to `top` (kept), while it is empty."""
    folder = os.path.dirname(path)
    while len(folder) > len(top) and folder.startswith(top):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


def remove_old_sites_now(site_dir: Path) -> None:
    """Remove here and now the old sites beside `site_dir` that detached processes are still
    removing (`OLD_PREFIX<site>-…`): a build that prunes a cache by its links waits for every
    site that may still link a cached file, not only the one it replaced."""
    site_dir = site_dir.resolve()
    if not site_dir.parent.exists():
        return
    spare = spare_of(site_dir)
    for entry in site_dir.parent.iterdir():
        if entry.name.startswith(OLD_PREFIX) and is_leftover(entry.name, site_dir.name):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry == spare and (held := hold(spare)) is not None:  # else in another's use
            shutil.rmtree(entry, ignore_errors=True)
            release(held)


def room_to_spare(folder: Path) -> bool:
    """Whether the file system of `folder` has `ROOM_TO_SPARE` bytes free (False when that
    cannot be told)."""
    try:
        return shutil.disk_usage(folder).free >= ROOM_TO_SPARE
    except OSError:
        return False
