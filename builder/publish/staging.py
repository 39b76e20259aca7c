"""Publish: swap the finished build into place, at once.

Every build writes its outputs into a fresh temporary folder beside `site/`: a full build all
of them; an incremental build only the files that differ, and then, once every stage
succeeded, hard links to every published file it keeps (no copying). Either way the folder
then holds the whole new site, and one `rename(2)` that exchanges it with `site/`
(`renameat2(RENAME_EXCHANGE)`, `swap.exchange`) puts it in place: a reader, or a build killed
at any moment, sees the old site or the new one, never a mix. The old tree, swapped into the
temporary folder's place, is then renamed aside and removed by a detached process while the
build finishes (or by the next build, if that removal or this build died).
Where the file system cannot exchange, the old site is moved aside and the new one moved in
(two renames); a build that died between them leaves the old one beside `site/`, and the next
build puts it back first (`clean_leftovers`).

Every writer is handed the build's `Staging`: where to write, and which published site an
incremental build lays its files over. A write the machine refuses (a full disk) is an
`OutputWriteError` naming the site path (`writing.py`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import faults
from .lock import check_writable
from .sitemark import site_folders
from .swap import exchange
from .writing import writing

PREFIX = ".jixiao-build-"
OLD_PREFIX = ".jixiao-old-"
# Left in the cache folder by an incremental commit of versions before the commit became one
# exchange; nothing reads it now, and the next build removes it.
JOURNAL = "publish-journal.json"
# With less free room than this on the site's file system, `publish` removes the old site
# before it returns, even when asked to leave that to the background: the room of the files
# only the old site holds is then free for the build's record (the manifest), written next.
ROOM_TO_SPARE = 256 * 1024 * 1024


def clean_leftovers(site_dir: Path, cache: Path | None = None) -> None:
    """Remove what an interrupted build left; restore site/ if it died between the two renames
    of a swap (where the file system cannot exchange). A staging folder or an old site left
    is removed in the background as `publish` removes an old site (an old site whose detached
    removal has not finished yet, the usual leftover of the build just before, is 63,000 files
    at 10,000 forms), here and now on a disk without `ROOM_TO_SPARE` free."""
    site_dir = site_dir.resolve()
    parent = site_dir.parent
    if cache is not None:
        (cache / JOURNAL).unlink(missing_ok=True)
    if not parent.exists():
        return
    if not site_dir.exists():
        for old in sorted(parent.glob(f"{OLD_PREFIX}{site_dir.name}-*/{site_dir.name}")):
            os.replace(old, site_dir)
            break
    later = None
    for entry in parent.iterdir():
        if not entry.name.startswith((PREFIX + site_dir.name, OLD_PREFIX + site_dir.name)):
            continue
        later = _room_to_spare(parent) if later is None else later
        if not later:
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(PREFIX):
            remove_in_background(entry)  # renamed first: no longer taken for a staging folder
        else:
            remove_detached(entry)


class Staging:
    """The folder a build writes its outputs into, beside the site it will replace.

    `root` is the staging folder; `published` is the site an incremental build lays its files
    over (then only what differs from it is written), or None for a full build (everything is
    written); `site` is the site it becomes, named in messages. Handed to every writer: nothing
    else says where a build writes. Picklable, so a forked or spawned worker process writes
    the same way.
    """

    def __init__(
        self,
        root: Path,
        published: Path | None = None,
        site: Path | None = None,
        remove_old_later: bool = True,
    ) -> None:
        self.root = root
        self.published = published
        self.site = site if site is not None else (published or root)
        # False: the old site is removed before `publish` returns (a build whose PDF cache is
        # pruned next counts the links the old site still holds).
        self.remove_old_later = remove_old_later
        # Once an incremental build is published: every folder of the site it put in place
        # (site-relative, `/`-separated, "" for the site's own), for its record
        # (`sitemark`); None when not known (a full build's, never walked).
        self.folders: list[str] | None = None

    @classmethod
    def beside(cls, site_dir: Path, incremental: bool, remove_old_later: bool = True) -> Staging:
        """A fresh, empty staging folder in the parent of `site_dir` (created if missing);
        an incremental build lays it over `site_dir`. `remove_old_later`: the site it replaces
        is removed in the background (`remove_in_background`), else before `publish` returns."""
        parent = site_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{site_dir.name}-", dir=parent))
        return cls(root, site_dir if incremental else None, site_dir, remove_old_later)

    def shown(self, site_path: str) -> str:
        """How messages name the file at `site_path`: in the site it becomes."""
        return (self.site / site_path).as_posix()

    def write(self, site_path: str, data: bytes) -> bool:
        """Write one output file at `site_path` (relative to the site, `/`-separated); False
        when an incremental build finds it already published as is (then nothing is written).
        A file is replaced, never written through: staging may hold hard links to published
        files. A refused write (a full disk) raises `OutputWriteError` naming the file."""
        if self.published is not None:
            try:
                if (self.published / site_path).read_bytes() == data:
                    return False
            except OSError:
                pass
        with writing(self.shown(site_path)):
            _replace(self.root / site_path, (data,))
        return True

    def write_fresh(self, site_path: str, pieces: Iterable[bytes]) -> None:
        """Write one output file from pieces, known to differ from the published one (or to
        replace a folder of it); raises `OutputWriteError` as `write` does."""
        with writing(self.shown(site_path)):
            _replace(self.root / site_path, pieces)

    def make(self, site_path: str, maker: Callable[[Path], None]) -> None:
        """Write one output file, known to differ from the published one, by `maker`: called
        with a path that does not exist yet, a hidden file beside the one at `site_path`,
        which it creates and writes (a database built in a file); then moved into place at
        once. Removed if `maker` fails; raises `OutputWriteError` as `write` does."""
        target = self.root / site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        made = target.with_name(f".{target.name}.{os.getpid()}.part")
        with writing(self.shown(site_path)):
            try:
                made.unlink(missing_ok=True)
                maker(made)
                os.replace(made, target)
            finally:
                made.unlink(missing_ok=True)

    def publish(
        self, site_dir: Path, deletions: list[str], cache: Path, remove_old_later: bool = True
    ) -> None:
        """Put the finished build in place of `site_dir`, at once: a full build's folder as it
        is; an incremental build's once every published file it keeps, less the site paths
        in `deletions`, is linked into it (`commit_overlay`). The old site is removed in the
        background when both `remove_old_later` and the staging's own say so."""
        later = self.remove_old_later and remove_old_later
        if self.published is None:
            publish(self.root, site_dir, later)
        else:
            self.folders = []
            commit_overlay(self.root, site_dir, deletions, cache, later, self.folders)

    def discard(self) -> None:
        """Remove the staging folder: the build failed, the published site stays as it was."""
        shutil.rmtree(self.root, ignore_errors=True)


def _replace(path: Path, pieces: Iterable[bytes]) -> None:
    """Write `path` as a new file (never through an existing one: it may be a hard link to a
    published file), making its folder if missing. One `open` for the usual case, a new file
    in a folder already made: a full build writes 40,000 files at 10,000 projects, and a
    folder made or a file removed first for each cost a fifth of the open data's time."""
    try:
        handle = open(path, "xb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "xb")
    except FileExistsError:
        path.unlink()
        handle = open(path, "xb")
    with handle:
        handle.writelines(pieces)


def publish(staged: Path, site_dir: Path, remove_old_later: bool = True) -> None:
    """Replace site_dir by staged: one exchange where the file system can, else the old tree
    moved aside first; then the old tree is removed, in the background when
    `remove_old_later` and the disk has `ROOM_TO_SPARE` free. Raises `OutputWriteError` for a refused write (a read-only file
    system)."""
    site_dir = site_dir.resolve()
    remove_old_later = remove_old_later and _room_to_spare(site_dir.parent)
    with writing(site_dir):
        os.chmod(staged, 0o755)  # mkdtemp creates 0700; a web server must read the site
        if not site_dir.exists():
            os.replace(staged, site_dir)
            return
        if exchange(staged, site_dir):
            # `staged` now names the old site: a build killed here leaves the new one
            # published and the old one for the next build to remove.
            faults.point("publish:moved-aside")
            if remove_old_later:
                remove_in_background(staged)
            else:
                shutil.rmtree(staged, ignore_errors=True)
            return
        old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{site_dir.name}-", dir=site_dir.parent))
        os.replace(site_dir, old / site_dir.name)
        faults.point("publish:moved-aside")
        os.replace(staged, site_dir)
    if remove_old_later:
        remove_detached(old)
    else:
        shutil.rmtree(old, ignore_errors=True)


def _room_to_spare(folder: Path) -> bool:
    """Whether the file system of `folder` has `ROOM_TO_SPARE` bytes free (False when that
    cannot be told)."""
    try:
        return shutil.disk_usage(folder).free >= ROOM_TO_SPARE
    except OSError:
        return False


def remove_old_sites_now(site_dir: Path) -> None:
    """Remove here and now the old sites beside `site_dir` that detached processes are still
    removing (`OLD_PREFIX<site>-…`): a build that prunes a cache by its links waits for every
    site that may still link a cached file, not only the one it replaced."""
    site_dir = site_dir.resolve()
    if not site_dir.parent.exists():
        return
    for entry in site_dir.parent.iterdir():
        if entry.name.startswith(OLD_PREFIX + site_dir.name):
            shutil.rmtree(entry, ignore_errors=True)


def remove_in_background(old_site: Path) -> None:
    """Remove an old site swapped out by `publish` without waiting for it: renamed to
    `OLD_PREFIX<site>-…` (a name `clean_leftovers` removes, and never takes for a site to put
    back: it holds the old site's files, not a folder named as the site), then removed by
    `remove_detached`. If the rename is refused it is removed here and now."""
    aside = old_site.with_name(OLD_PREFIX + old_site.name.removeprefix(PREFIX))
    try:
        os.rename(old_site, aside)
    except OSError:
        shutil.rmtree(old_site, ignore_errors=True)
        return
    remove_detached(aside)


def remove_detached(folder: Path) -> None:
    """Remove `folder` in a detached `rm -rf` at a lower CPU priority, while the build
    finishes: removing the 40,000 files of a 10,000-project site took 9 s of a full build in
    the foreground. A removal that dies leaves the folder for the next build's
    `clean_leftovers`. Where there is no `rm`, or no process can be started, it is removed
    here and now."""
    remover, nice = shutil.which("rm"), shutil.which("nice")
    try:
        if remover is None:
            raise FileNotFoundError("rm")
        command = [remover, "-rf", "--", os.fspath(folder)]
        subprocess.Popen(
            [nice, "-n", "10", *command] if nice else command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def commit_overlay(
    staged: Path,
    site: Path,
    deletions: list[str],
    cache: Path,
    remove_old_later: bool = True,
    folders: list[str] | None = None,
) -> int:
    """Publish an incremental build: hard-link into `staged` every file of `site` it does not
    hold, leaving out the site paths in `deletions` (files or folders), then swap it in
    (`publish`). The build is complete before this starts. The site's parent is proven
    writable first: raises `FolderNotWritable` before anything changes. Returns the files
    linked; `folders`, when given, is filled with every folder of the new site (site-relative,
    `/`-separated, "" for its own), known from the walks that link it."""
    check_writable(site, cache)
    made: list[str] | None = None if folders is None else []
    if folders is not None:  # what this build wrote, before the links are laid among it
        folders += site_folders(staged)
    skip = [site / relative for relative in deletions]
    linked = link_missing(site, staged, skip=skip, made=made)
    if folders is not None and made is not None:
        top, known = len(os.fspath(staged)) + 1, set(folders)
        made = [p.removeprefix(UNSURE) for p in made if p[0] != UNSURE or os.path.isdir(p[1:])]
        folders += [f for f in dict.fromkeys(path[top:] for path in made) if f not in known]
    faults.point("commit:moved-one")
    publish(staged, site, remove_old_later)
    return linked


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
