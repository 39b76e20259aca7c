"""Stage 8, publish: swap the finished build into place, atomically.

A full build writes everything into a fresh temporary folder beside `site/`; only a build that
finished is renamed into place. An incremental build writes only the files that differ into
such a folder; once it finished, they are moved into `site/` file by file (each move atomic)
under a journal, so a commit that is interrupted is completed by the next build. Either way a
failed or killed build leaves the previous `site/` as it was; leftovers are removed next time.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .. import faults

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


def staging_dir(site_dir: Path) -> Path:
    parent = site_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{site_dir.name}-", dir=parent))


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


# In an incremental build the staging folder holds only what differs from the published site:
# (staging root, published root) while such a build writes, else None.
_overlay: tuple[Path, Path] | None = None


def set_overlay(staged: Path | None, site: Path | None) -> None:
    global _overlay
    _overlay = (staged, site) if staged is not None and site is not None else None


def write_output(path: Path, data: bytes) -> bool:
    """Write one output file; False when an incremental build finds it already published as
    is (then nothing is written). A file is replaced, never written through: staging may hold
    hard links to published files."""
    if _overlay is not None:
        staged, site = _overlay
        try:
            published = site / path.relative_to(staged)
            if published.read_bytes() == data:
                return False
        except (ValueError, OSError):
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_bytes(data)
    return True


def write_fresh(path: Path, pieces: Iterable[bytes]) -> None:
    """Write one output file from pieces, known to differ from the published one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with open(path, "wb") as handle:
        handle.writelines(pieces)


JOURNAL = "publish-journal.json"


def commit_overlay(staged: Path, site: Path, deletions: list[str], cache: Path) -> int:
    """Move an incremental build's files into the published site. The build is complete
    before this starts; a journal makes an interrupted commit finish on the next build."""
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
