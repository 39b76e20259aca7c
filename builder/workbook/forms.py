"""Each published form as a workbook in the official layout, beside its PDF on the site.

`form_workbook` makes one form's bytes (the same for the same form: an unchanged form keeps
its file in an incremental build); `write_form_workbooks` writes a build's forms through the
staging folder, in worker processes when there are many.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from ..form.dates import full_date
from ..form.model import Project
from ..publish.staging import Staging
from . import layout
from .form import form_grid
from .xlsx import new_workbook, workbook_bytes, write_grid

SHEET = "自评表"
# From this many forms on, worker processes make them (about 7 ms a form in one process).
POOL_FROM = 64
CHUNK = 32

Job = tuple[str, Project]  # (site path of the workbook, the form)


def form_workbook(project: Project) -> bytes:
    """The form as an .xlsx workbook: one sheet, 自评表, the printed grid (`form.form_grid`);
    dated by its 填报日期 (none: a fixed date), titled by its name, by its unit."""
    workbook = new_workbook(
        f"{project.name} — {layout.TITLE}({project.year}年度)",
        project.unit,
        full_date(project.filled_on),
    )
    sheet = workbook.active
    sheet.title = SHEET
    write_grid(sheet, form_grid(project))
    return workbook_bytes(workbook)


def _write_chunk(staging: Staging, jobs: Sequence[Job]) -> list[str]:
    """Write each job's workbook; the site paths written (not those published as they are)."""
    return [path for path, project in jobs if staging.write(path, form_workbook(project))]


class FormWorkbooks:
    """The workbooks of a build's forms, begun at once: with many forms, worker processes
    (forked now, in the calling thread) make them while the build goes on; `written()` waits
    and gives the site paths written."""

    def __init__(self, staging: Staging, jobs: Sequence[Job], workers: int) -> None:
        self.staging = staging
        self.jobs = list(jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.futures = []
        if workers > 1 and len(self.jobs) >= POOL_FROM:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            self.futures = [
                self.pool.submit(_write_chunk, staging, self.jobs[i : i + CHUNK])
                for i in range(0, len(self.jobs), CHUNK)
            ]

    def written(self) -> list[str]:
        """Wait for the workbooks; the site paths written, in the order of the jobs. A
        refused write raises `OutputWriteError` (from a worker too)."""
        if self.pool is None:
            return _write_chunk(self.staging, self.jobs)
        try:
            return [path for future in self.futures for path in future.result()]
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
