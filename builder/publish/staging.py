"""Publish: swap the finished build into place, atomically.

A full build writes everything into a fresh temporary folder beside `site/`; only a build that
finished is renamed into place. An incremental build writes only the files that differ into
such a folder; once it finished, they are moved into `site/` file by file (each move atomic)
under a journal, so a commit that is interrupted is completed by the next build. Either way a
failed or killed build leaves the previous `site/` as it was; leftovers are removed next time.

Every writer is handed the build's `Staging`: where to write, and which published site an
incremental build lays its files over.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .. import faults
from .lock import check_writable

PREFIX = ".jixiao-build-"
OLD_PREFIX = ".jixiao-old-"


def clean_leftovers(site_dir: Path) -> None:
    """Remove what an interrupted build left; restore site/ if it died mid-swap."""
    site_dir = site_dir.resolve()
    parent = site_dir.parent
    if not parent.exists():
        return
    if not site_dir.exists():
        for old in sorted(parent.glob(f"{OLD_PREFIX}{site_dir.name}-*/{site_dir.name}")):
            os.replace(old, site_dir)
            break
    for entry in parent.iterdir():
        if entry.name.startswith((PREFIX + site_dir.name, OLD_PREFIX + site_dir.name)):
            shutil.rmtree(entry, ignore_errors=True)


class Staging:
    """The folder a build writes its outputs into, beside the site it will replace.

    `root` is the staging folder; `published` is the site an incremental build lays its files
    over (then only what differs from it is written), or None for a full build (everything is
    written). Handed to every writer: nothing else says where a build writes. Picklable, so a
    forked or spawned worker process writes the same way.
    """

    def __init__(self, root: Path, published: Path | None = None) -> None:
        self.root = root
        self.published = published

    @classmethod
    def beside(cls, site_dir: Path, incremental: bool) -> Staging:
        """A fresh, empty staging folder in the parent of `site_dir` (created if missing);
        an incremental build lays it over `site_dir`."""
        parent = site_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{site_dir.name}-", dir=parent))
        return cls(root, site_dir if incremental else None)

    def write(self, site_path: str, data: bytes) -> bool:
        """Write one output file at `site_path` (relative to the site, `/`-separated); False
        when an incremental build finds it already published as is (then nothing is written).
        A file is replaced, never written through: staging may hold hard links to published
        files."""
        if self.published is not None:
            try:
                if (self.published / site_path).read_bytes() == data:
                    return False
            except OSError:
                pass
        path = self.root / site_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.write_bytes(data)
        return True

    def write_fresh(self, site_path: str, pieces: Iterable[bytes]) -> None:
        """Write one output file from pieces, known to differ from the published one."""
        path = self.root / site_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        with open(path, "wb") as handle:
            handle.writelines(pieces)

    def publish(self, site_dir: Path, deletions: list[str], cache: Path) -> None:
        """Put the finished build in place of `site_dir`: swap the whole folder (full build),
        or move the files in under a journal in `cache` after removing the site paths in
        `deletions` (incremental build)."""
        if self.published is None:
            publish(self.root, site_dir)
        else:
            commit_overlay(self.root, site_dir, deletions, cache)

    def discard(self) -> None:
        """Remove the staging folder: the build failed, the published site stays as it was."""
        shutil.rmtree(self.root, ignore_errors=True)


def publish(staged: Path, site_dir: Path) -> None:
    """Replace site_dir by staged. The old tree is moved aside first, then removed."""
    site_dir = site_dir.resolve()
    os.chmod(staged, 0o755)  # mkdtemp creates 0700; a web server must read the site
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{site_dir.name}-", dir=site_dir.parent))
        os.replace(site_dir, old / site_dir.name)
        faults.point("publish:moved-aside")
        os.replace(staged, site_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, site_dir)


JOURNAL = "publish-journal.json"


def commit_overlay(staged: Path, site: Path, deletions: list[str], cache: Path) -> int:
    """Move an incremental build's files into the published site. The build is complete
    before this starts; a journal makes an interrupted commit finish on the next build.
    Every folder of the site the commit writes to is proven writable first: raises
    `FolderNotWritable` before any file moves (the site stays whole)."""
    touched = {site / relative for relative in deletions}
    for folder, _, names in os.walk(staged):
        touched.update(site / Path(folder, name).relative_to(staged) for name in names)
    check_writable(site, cache, sorted({path.parent for path in touched}))
    cache.mkdir(parents=True, exist_ok=True)
    journal = cache / JOURNAL
    temporary = journal.with_suffix(".tmp")
    temporary.write_text(
        json.dumps(
            {"staged": str(staged.resolve()), "site": str(site.resolve()), "deletions": deletions}
        ),
        encoding="utf-8",
    )
    os.replace(temporary, journal)
    return finish_commit(cache)


def finish_commit(cache: Path) -> int:
    """Carry out a journalled commit (again, if it was interrupted); returns files moved."""
    journal = cache / JOURNAL
    if not journal.exists():
        return 0
    plan = json.loads(journal.read_text(encoding="utf-8"))
    staged, site = Path(plan["staged"]), Path(plan["site"])
    for relative in plan["deletions"]:
        target = site / relative
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        _remove_empty_parents(target, site)
    moved = 0
    if staged.exists():
        for folder, _, names in os.walk(staged):
            for name in names:
                source = Path(folder, name)
                target = site / source.relative_to(staged)
                if target.exists() and os.path.samefile(source, target):
                    continue  # a link to the published file, made for the search indexer
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
                moved += 1
                if moved == 1:
                    faults.point("commit:moved-one")
        shutil.rmtree(staged, ignore_errors=True)
    journal.unlink()
    return moved


def _remove_empty_parents(path: Path, root: Path) -> None:
    """A folder left empty by a deletion goes too (a full build would not make it)."""
    folder = path.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone already
            if folder.exists():
                return
        folder = folder.parent


def link_missing(source: Path, target: Path, skip: Iterable[Path] = ()) -> int:
    """Hard-link into `target` every file of `source` it does not have yet, leaving out the
    folders in `skip`: a full view of a folder for the search indexer at no copying cost.
    Returns the files linked."""
    count = 0
    skipped = {Path(p).resolve() for p in skip}
    for folder, dirnames, filenames in os.walk(source):
        dirnames[:] = [d for d in dirnames if Path(folder, d).resolve() not in skipped]
        relative = os.path.relpath(folder, source)
        destination = target if relative == "." else target / relative
        destination.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            if Path(folder, name).resolve() in skipped:
                continue
            if not (destination / name).exists():
                os.link(os.path.join(folder, name), destination / name)
                count += 1
    return count
