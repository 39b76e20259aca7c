"""Stage 8, publish: swap the finished build into place, atomically.

Everything is written into a fresh temporary folder beside `site/`; only a build that finished
is renamed into place. A failed or killed build leaves the previous `site/` untouched; its
leftover temporary folder is removed by the next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

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
        os.replace(staged, site_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, site_dir)


def write_output(path: Path, data: bytes) -> None:
    """Write one output file. An incremental build's staging tree starts as hard links to the
    published files, so a file is replaced by a new one, never written through the link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def link_tree(source: Path, target: Path) -> int:
    """Mirror `source` into `target` as hard links (a copy that costs no data); returns files."""
    count = 0
    for folder, _, filenames in os.walk(source):
        relative = os.path.relpath(folder, source)
        destination = target if relative == "." else target / relative
        destination.mkdir(exist_ok=True)
        for name in filenames:
            os.link(os.path.join(folder, name), destination / name)
            count += 1
    return count
