"""Publish: swap the finished build into place, at once.

A full build writes its outputs into a fresh temporary folder beside `site/`. An incremental
build writes only the files that differ: into the spare (`spare.py`: the site the last
incremental build swapped out, first brought up to date with the published one by hard
links), or, where there is none, into a fresh folder, then, once every stage succeeded, links
every published file it keeps into it (no copying). Either way the folder then holds the whole
new site, and one `rename(2)` that exchanges it with `site/` (`renameat2(RENAME_EXCHANGE)`,
`swap.exchange`) puts it in place: a reader, or a build killed at any moment, sees the old
site or the new one, never a mix. The old tree, swapped into the folder's place, is then kept
as the spare (an incremental build's), or renamed aside and removed by a detached process
while the build finishes (or by the next build, if that removal or this build died).
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
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import faults
from .linking import UNSURE, link_missing
from .lock import check_writable
from .sitemark import RECENT_NS, site_folders
from .spare import (
    OLD_PREFIX,
    PREFIX,
    SPARE_PREFIX,
    check_same_site,
    drop_kept,
    hold,
    is_leftover,
    mirror,
    release,
    room_to_spare,
    site_identity,
    spare_of,
)
from .sparenote import bring_up_to_date, folders_after, leave_note, take_note
from .swap import exchange
from .writing import writing

# Left in the cache folder by an incremental commit of versions before the commit became one
# exchange; nothing reads it now, and the next build removes it.
JOURNAL = "publish-journal.json"


def clean_leftovers(site_dir: Path, cache: Path | None = None) -> None:
    """Remove what an interrupted build left; restore site/ if it died between the two renames
    of a swap (where the file system cannot exchange). A staging folder or an old site left
    is removed in the background as `publish` removes an old site (an old site whose detached
    removal has not finished yet, the usual leftover of the build just before, is 63,000 files
    at 10,000 forms), here and now on a disk without `spare.ROOM_TO_SPARE` free."""
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
        if not is_leftover(entry.name, site_dir.name):
            continue
        later = room_to_spare(parent) if later is None else later
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
        mirrored: bool = False,
        held: int | None = None,
        seen: tuple[int, int] | None = None,
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
        # True: `root` is the spare (`spare.py`), brought up to date with `published`, which
        # it holds whole (hard links) before the build writes; else it holds only what this
        # build wrote, and the kept files are linked in when it is published.
        self.mirrored = mirrored
        # The descriptor holding the spare (`spare.hold`) while this build stages in it.
        self.held = held
        # The published site's identity as the build began to lay its files over it.
        self.seen = seen if seen is not None or published is None else site_identity(published)
        # When it began to stage, and in the spare, every folder the spare held (`sparenote`).
        self.began = time.time_ns() - RECENT_NS
        self.known: list[str] | None = None

    def release(self) -> None:
        """Let go of the spare this build staged in (nothing when it staged afresh)."""
        release(self.held)
        self.held = None

    @classmethod
    def beside(
        cls,
        site_dir: Path,
        incremental: bool,
        remove_old_later: bool = True,
        dropped: Iterable[str] = (),
        cache: Path | None = None,
    ) -> Staging:
        """A fresh, empty staging folder in the parent of `site_dir` (created if missing);
        an incremental build lays it over `site_dir`, in the spare (`spare.py`) brought up to
        date with it where there is one. `remove_old_later`: the site it replaces is removed
        in the background (`remove_in_background`) or kept as the spare, else removed before
        `publish` returns. A full build removes the spare in the background. `dropped`: site
        paths the build no longer publishes, left out of the spare at once (as a fresh folder
        never holds them: Pagefind indexes the pages of the folders it finds). `cache`: where
        the last build noted the spare it left (`sparenote`), so that only the folders it
        changed are walked."""
        parent = site_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        spare, seen = spare_of(site_dir), site_identity(site_dir)
        held = hold(spare)
        note = take_note(cache) if cache is not None and held is not None else None
        if held is not None:  # else none, or another build of this site is staging in it
            if incremental and site_dir.is_dir():
                try:
                    known = bring_up_to_date(site_dir, spare, note) or mirror(site_dir, spare)
                    drop_kept(spare, site_dir, dropped)
                    staging = cls(spare, site_dir, site_dir, remove_old_later, True, held, seen)
                    staging.known = known
                    return staging
                except OSError:
                    pass  # left to be removed; the build stages afresh
            remove_in_background(spare)
            release(held)
        root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{site_dir.name}-", dir=parent))
        return cls(root, site_dir if incremental else None, site_dir, remove_old_later, seen=seen)

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
                    if self.mirrored and not os.path.lexists(self.root / site_path):
                        # removed a moment ago by this build (`links._Afresh`): kept after all
                        os.link(self.published / site_path, self.root / site_path)
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
        try:
            if self.published is None:
                publish(self.root, site_dir, later)
                return
            check_same_site(site_dir, self.seen)
            if self.mirrored:
                check_writable(site_dir, cache)
                drop_kept(self.root, site_dir, deletions)
                known = self.known
                folders = site_folders(self.root) if known is None else None
                self.folders = folders or folders_after(self.root, known or (), self.began)
                faults.point("commit:moved-one")
                publish(self.root, site_dir, later, keep=True)
                if known is not None:  # the site swapped out, the spare now, held those
                    leave_note(cache, spare_of(site_dir), self.began, known, self.folders)
            else:
                self.folders = []
                commit_overlay(self.root, site_dir, deletions, cache, later, self.folders)
        finally:
            self.release()

    def discard(self) -> None:
        """Remove the staging folder: the build failed, the published site stays as it was
        (the spare is left as it is: the next build brings it up to date)."""
        if not self.mirrored:
            shutil.rmtree(self.root, ignore_errors=True)
        self.release()


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


def publish(
    staged: Path, site_dir: Path, remove_old_later: bool = True, keep: bool = False
) -> None:
    """Replace site_dir by staged: one exchange where the file system can, else the old tree
    moved aside first; then the old tree is removed, in the background when
    `remove_old_later` and the disk has `spare.ROOM_TO_SPARE` free; or, exchanged, kept as the
    spare (`spare.py`) when `keep` too (an incremental build's: it shares most files with the
    new site). Raises `OutputWriteError` for a refused write (a read-only file system)."""
    site_dir = site_dir.resolve()
    remove_old_later = remove_old_later and room_to_spare(site_dir.parent)
    with writing(site_dir):
        os.chmod(staged, 0o755)  # mkdtemp creates 0700; a web server must read the site
        if not site_dir.exists():
            os.replace(staged, site_dir)
            return
        if exchange(staged, site_dir):
            # `staged` now names the old site: a build killed here leaves the new one
            # published and the old one for the next build to remove.
            faults.point("publish:moved-aside")
            if remove_old_later and keep:
                _keep_as_spare(staged, site_dir)
            elif remove_old_later:
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


def _keep_as_spare(old_site: Path, site_dir: Path) -> None:
    """Keep the site `old_site` swapped out as the spare of `site_dir`, in place of any
    spare left (removed in the background); removed in the background if it cannot be."""
    spare = spare_of(site_dir)
    if old_site == spare:
        return
    held = hold(spare)
    if held is None and spare.is_dir() and not spare.is_symlink():
        remove_in_background(old_site)  # another build of this site is staging in it
        return
    if os.path.lexists(spare):
        remove_in_background(spare)
    try:
        os.rename(old_site, spare)
    except OSError:
        remove_in_background(old_site)
    finally:
        release(held)


def remove_in_background(old_site: Path) -> None:
    """Remove an old site swapped out by `publish` without waiting for it: renamed to
    `OLD_PREFIX<site>-…` (a name `clean_leftovers` removes, and never takes for a site to put
    back: it holds the old site's files, not a folder named as the site), then removed by
    `remove_detached`. If the rename is refused it is removed here and now."""
    name = old_site.name.removeprefix(PREFIX)
    if name.startswith(SPARE_PREFIX):  # one name only: made unique as a staging folder's is
        name = f"{name.removeprefix(SPARE_PREFIX)}-spare-{os.getpid()}-{time.time_ns()}"
    aside = old_site.with_name(OLD_PREFIX + name)
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
    publish(staged, site, remove_old_later, keep=True)
    return linked
