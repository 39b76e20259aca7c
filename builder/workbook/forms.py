"""Each published form as a workbook in the official layout, beside its PDF on the site.

`form_workbook` makes one form's bytes (the same for the same form: an unchanged form keeps
its file in an incremental build); `FormWorkbooks` puts a build's forms in the staging folder,
linked from the workbooks' cache (`cache.py`), making those it does not hold, in worker
processes when there are many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import urls
from ..executor_local import forked_pool, run_listed
from ..form.dates import full_date
from ..form.model import Project
from ..publish.staging import Staging
from ..rules.spill import load_batch
from . import layout
from .cache import cached_workbook, keep, link_into, made_of, workbook_key, writer_version
from .form import form_grid
from .formxml import form_book
from .grid import Grid

SHEET = "自评表"
# From this many forms on, worker processes make them (about 1.5 ms a form in one process).
POOL_FROM = 64
CHUNK = 32

Job = tuple[str, Project]  # (site path of the workbook, the form)
Chunk = tuple[list[str], int]  # (site paths written, workbooks made)


def _properties(project: Project) -> tuple[str, str, dt.date | None]:
    """The workbook's title, author and date: titled by the form's name, by its unit, dated
    by its 填报日期 (none: a fixed date)."""
    title = f"{project.name} — {layout.TITLE}({project.year}年度)"
    return title, project.unit, full_date(project.filled_on)


def _workbook(properties: tuple[str, str, dt.date | None], grid: Grid) -> bytes:
    return form_book(SHEET, properties, grid)


def form_workbook(project: Project) -> bytes:
    """The form as an .xlsx workbook: one sheet, 自评表, the printed grid (`form.form_grid`);
    dated by its 填报日期 (none: a fixed date), titled by its name, by its unit."""
    return _workbook(_properties(project), form_grid(project))


def _write_chunk(staging: Staging, cache: Path, writer: str, jobs: Sequence[Job]) -> Chunk:
    """Put each job's workbook in the site from the cache (`cache.py`), making those the cache
    does not hold; (the site paths written, not those published as they are; how many
    workbooks were made)."""
    written, made = [], 0
    for path, project in jobs:
        properties, grid = _properties(project), form_grid(project)
        cached = cached_workbook(cache, workbook_key(writer, made_of(properties, grid)))
        if not cached.is_file():
            keep(cached, _workbook(properties, grid))
            made += 1
        if link_into(staging, path, cached):
            written.append(path)
    return written, made


@dataclass(frozen=True)
class SpilledChunk:
    """Workbooks of forms of one batch of a build's spill store (`rules.spill`, in `folder`):
    (unit folder, the form's place in the batch) each, the batch read where they are made."""

    folder: Path
    batch: int
    places: tuple[tuple[str, int], ...]

    def jobs(self) -> list[Job]:
        """The jobs, their forms read back."""
        items = load_batch(self.folder, self.batch)
        jobs = []
        for unit, offset in self.places:
            project = items[offset].project
            assert project is not None
            jobs.append((urls.project_xlsx(project, unit), project))
        return jobs


def _write_spilled(staging: Staging, cache: Path, writer: str, chunk: SpilledChunk) -> Chunk:
    return _write_chunk(staging, cache, writer, chunk.jobs())


def _write_any(shared: tuple[Staging, Path, str], chunk: list[Job] | SpilledChunk) -> Chunk:
    """A chunk of a pool's jobs (`forked_pool`): forms in memory or in the spill store."""
    staging, cache, writer = shared
    if isinstance(chunk, SpilledChunk):
        return _write_spilled(staging, cache, writer, chunk)
    return _write_chunk(staging, cache, writer, chunk)


class FormWorkbooks:
    """The workbooks of a build's forms, begun at once: with many forms, worker processes
    (forked now, in the calling thread) make them while the build goes on; `written()` waits
    and gives the site paths written. `cache` is the workbooks' cache folder (`cache.py`)."""

    def __init__(
        self,
        staging: Staging,
        jobs: Sequence[Job],
        workers: int,
        cache: Path,
        spilled: Sequence[SpilledChunk] = (),
    ) -> None:
        self.staging = staging
        self.jobs = list(jobs)
        self.spilled = list(spilled)  # after `jobs`: forms read back where they are made
        self.cache = cache
        self.writer = writer_version()
        self.made = 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures = []
        count = len(self.jobs) + sum(len(chunk.places) for chunk in self.spilled)
        if workers > 1 and count >= POOL_FROM:
            # The forms reach the forked workers through fork, never pickled: only each
            # chunk's index travels (pickling a form costs about what making its workbook does).
            chunks: list[list[Job] | SpilledChunk] = [
                self.jobs[i : i + CHUNK] for i in range(0, len(self.jobs), CHUNK)
            ]
            chunks += self.spilled
            self.pool = forked_pool(workers, (staging, cache, self.writer), chunks)
            self.futures = [
                self.pool.submit(run_listed, _write_any, index) for index in range(len(chunks))
            ]

    def written(self) -> list[str]:
        """Wait for the workbooks; the site paths written, in the order of the jobs (`made`:
        how many were made rather than taken from the cache). A refused write raises
        `OutputWriteError` (from a worker too)."""
        if self.pool is None:
            written, self.made = _write_chunk(self.staging, self.cache, self.writer, self.jobs)
            for chunk in self.spilled:
                more, made = _write_spilled(self.staging, self.cache, self.writer, chunk)
                written += more
                self.made += made
            return written
        try:
            chunks = [future.result() for future in self.futures]
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.made = sum(made for _, made in chunks)
        return [path for written, _ in chunks for path in written]
