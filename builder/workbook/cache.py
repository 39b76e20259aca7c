"""The form workbooks' cache: a workbook's key, where it is kept, linking it into the site,
pruning (as `builder.pdf.cache` does for the PDFs).

A form's workbook is made from its printed grid (`form.form_grid`), its document properties
(title, unit, 填报日期) and the writer; its key is the sha256 of all of them: the grid as its
cells (`made_of`: a change to the layout, the labels or the figures' formats changes the key),
the properties, the source of the writer's modules and XlsxWriter's version. Finished workbooks
live under `<cache>/xlsx/objects/<key[:2]>/<key>.xlsx`, read-only, and are hard-linked into
the site: a build with a warm cache (a template change, `--full`) links every unchanged form's
workbook instead of writing it. Pruned after a build's site is published, of the workbooks no
site links to, once `PRUNE_AFTER` were made since the last pruning (or after a full build).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from importlib import metadata
from pathlib import Path

from ..publish.staging import Staging
from ..publish.writing import write_sealed, writing
from .grid import Grid

PRUNE_AFTER = 200  # workbooks made since the cache was last pruned
_MADE_SINCE_PRUNE = "made-since-prune"
# The modules whose code turns a grid into bytes: their source is part of every key.
WRITER_MODULES = (
    "xlsx.py",
    "formxml.py",
    "packed.py",
    "forms.py",
    "cache.py",
    "../opendata/sheetxml.py",
)


def writer_version() -> str:
    """What makes the bytes besides the grid: XlsxWriter's version and the sha256 of the
    writer's own modules (`WRITER_MODULES`), so that a change to either makes new keys."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in WRITER_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return f"xlsxwriter {metadata.version('xlsxwriter')} writer {digest.hexdigest()}"


def made_of(properties: tuple[str, str, dt.date | None], grid: Grid) -> str:
    """The text of everything a form's workbook shows, for its key (`workbook_key`): the
    document's title, author and date, the grid's column widths, ruled rows and each cell's
    place, span, look and value (texts with their lengths, so that no two grids read alike).
    Named areas are left out: the workbook does not show them."""
    title, author, date = properties
    parts = [f"{len(title)}:{title}", f"{len(author)}:{author}", str(date)]
    parts.append(f"{grid.widths!r} {grid.table_rows!r}")
    parts += [
        f"{c.row},{c.column},{c.rows},{c.columns},{c.role.value},{c.left:d}{c.bold:d},"
        f"{c.lines},{c.number},{c.number_format!r},{len(c.text)}:{c.text}"
        for c in grid.cells
    ]
    return "\n".join(parts)


def workbook_key(writer: str, made_of: str) -> str:
    """The key (sha256, hex) of a workbook made by `writer` (`writer_version`) from `made_of`
    (the text of everything the workbook shows: its grid and properties)."""
    digest = hashlib.sha256(writer.encode())
    digest.update(b"\0workbook\0" + made_of.encode())
    return digest.hexdigest()


def cached_workbook(cache_dir: Path, key: str) -> Path:
    """Where the workbook of `key` is kept in `cache_dir` (the build's `<cache>/xlsx`)."""
    return cache_dir / "objects" / key[:2] / f"{key}.xlsx"


def keep(cached: Path, data: bytes) -> None:
    """Store `data` at `cached`, read-only, atomically (a process making the same workbook at
    the same time writes the same bytes: `publish.writing.write_sealed`). A refused write
    raises `OutputWriteError`."""
    write_sealed(cached, data)


def link_into(staging: Staging, site_path: str, cached: Path) -> bool:
    """Put the cached workbook at `site_path` in `staging`: a hard link where possible, else a
    copy. False when an incremental build finds the same bytes published there (nothing is
    put). A refused write raises `OutputWriteError`."""
    if staging.published is not None:
        published = staging.published / site_path
        try:
            if published.samefile(cached) or published.read_bytes() == cached.read_bytes():
                return False
        except OSError:
            pass
    target = staging.root / site_path
    with writing(staging.shown(site_path)):
        try:
            os.link(cached, target)  # the usual case: one call, the folder made already
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(cached, target)
            except OSError:
                _replace_with(target, cached)
        except OSError:
            _replace_with(target, cached)
    return True


def _replace_with(target: Path, cached: Path) -> None:
    """`target` replaced by a link to `cached` (a copy where the file system cannot link),
    never written through: the staging folder may hold, at `target`, a hard link to the
    published file (the search stage links a unit's published pages beside the new ones)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        try:
            os.link(cached, temporary)
        except OSError:
            shutil.copyfile(cached, temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def prune_when_due(cache_dir: Path, made: int, now: bool = False) -> int:
    """Prune the cache (`prune`) once `PRUNE_AFTER` workbooks were made since the last time,
    or `now`; returns the workbooks removed."""
    counter = cache_dir / _MADE_SINCE_PRUNE
    try:
        since = int(counter.read_text(encoding="ascii"))
    except (OSError, ValueError):
        since = 0
    since += made
    removed = 0
    if now or since >= PRUNE_AFTER:
        removed, since = prune(cache_dir), 0
    cache_dir.mkdir(parents=True, exist_ok=True)
    counter.write_text(str(since), encoding="ascii")
    return removed


def prune(cache_dir: Path) -> int:
    """Remove the cached workbooks no site links to (a cached file with one link: an edited
    form's earlier version), and temporary files a killed build left; returns how many. A
    workbook the site that was replaced still links is removed by a later pruning."""
    removed = 0
    for folder in (cache_dir / "objects").glob("??"):
        for entry in os.scandir(folder):
            if entry.name.endswith(".tmp") or (
                entry.name.endswith(".xlsx") and entry.stat().st_nlink == 1
            ):
                os.unlink(entry.path)
                removed += 1
    return removed
