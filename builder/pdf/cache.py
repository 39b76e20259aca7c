"""The PDF cache: a document's key, where its PDF is kept, linking it into the site, pruning.

Every document has a key, the hash of its HTML (the project's data through the templates), its
attachments, the stylesheet, the font files, the settings and the versions of the tools;
finished PDFs live in the cache under that key, read-only, and are hard-linked into the site.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from importlib import metadata
from pathlib import Path

from .documents import Document

# Bump when a change to this package changes the PDFs in a way their inputs do not show.
RENDERING_VERSION = "3"

PRUNE_AFTER = 200  # PDFs rendered since the cache was last pruned
_RENDERED_SINCE_PRUNE = "rendered-since-prune"


def tool_versions() -> str:
    """The versions that make the PDFs: jixiao, RENDERING_VERSION, WeasyPrint, pydyf."""

    def version(package: str) -> str:
        # From the installed metadata: importing WeasyPrint here would cost half a second
        # that the worker processes pay alongside the build instead.
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "unknown"

    return (
        f"jixiao {version('jixiao')} pdf {RENDERING_VERSION} "
        f"weasyprint {version('weasyprint')} pydyf {version('pydyf')}"
    )


def document_key(shared: str, document: Document) -> str:
    """The document's key (sha256, hex): `shared` (what every document of the build shares)
    and the document's HTML, attachments, date and, for a booklet, its forms' keys."""
    digest = hashlib.sha256(shared.encode())
    digest.update(b"\0html\0" + document.html.encode())
    for embedded in document.attachments:
        digest.update(b"\0file\0" + embedded.name.encode() + b"\0" + embedded.data)
    digest.update(f"\0date\0{document.date}".encode())
    if document.is_booklet:  # made of its forms' PDFs, joined by qpdf
        digest.update(f"\0binder\0{metadata.version('pikepdf')}".encode())
    for member in document.members:
        digest.update(f"\0member\0{member}".encode())
    return digest.hexdigest()


def cached_pdf(cache_dir: Path, key: str) -> Path:
    """Where the PDF of `key` is kept in the cache."""
    return cache_dir / "objects" / key[:2] / f"{key}.pdf"


def place(source: Path, target: Path) -> bool:
    """Put a cached PDF at its site path: a hard link where possible, else a copy. Returns
    whether it is a link.

    Cached files are read-only, so a tool that edits a site PDF in place fails instead of
    quietly changing the cache behind it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        try:
            if target.samefile(source):
                return True
        except OSError:
            pass
        target.unlink()
    try:
        os.link(source, target)
        return True
    except OSError:
        shutil.copyfile(source, target)
        return False


def seal(path: Path) -> None:
    """Make a cached PDF read-only for everyone."""
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _rendered_since_prune(cache_dir: Path) -> int:
    try:
        return int((cache_dir / _RENDERED_SINCE_PRUNE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return 0


def prune_due(cache_dir: Path, rendered: int, now: bool = False) -> bool:
    """Whether `prune_cache_when_due(cache_dir, rendered, now)` prunes: `now`, or
    `PRUNE_AFTER` PDFs rendered since the last pruning with the `rendered` of this build."""
    return now or _rendered_since_prune(cache_dir) + rendered >= PRUNE_AFTER


def prune_cache_when_due(cache_dir: Path, rendered: int, now: bool = False) -> int:
    """Prune the cache (`prune_cache`) once `PRUNE_AFTER` PDFs were rendered since the last
    time, or `now`: scanning ten thousand cached PDFs is a tenth of a second that an edit
    need not pay every time. Returns the PDFs removed."""
    counter = cache_dir / _RENDERED_SINCE_PRUNE
    since = _rendered_since_prune(cache_dir) + rendered
    if now or since >= PRUNE_AFTER:
        removed = prune_cache(cache_dir)
        since = 0
    else:
        removed = 0
    cache_dir.mkdir(parents=True, exist_ok=True)
    counter.write_text(str(since), encoding="ascii")
    return removed


def prune_cache(cache_dir: Path) -> int:
    """Remove the cached PDFs that no site links to any more (an edited form's old version,
    a booklet before its unit changed); returns how many. A PDF in a site is a hard link to
    its cached file, so a cached file with one link is nobody's. Call only after a build
    whose PDFs were all linked, once its site is published."""
    removed = 0
    for folder in (cache_dir / "objects").glob("??"):
        for entry in os.scandir(folder):
            if entry.name.endswith(".pdf") and entry.stat().st_nlink == 1:
                os.unlink(entry.path)
                removed += 1
    return removed
