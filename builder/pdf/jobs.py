"""What the PDF stage hands its worker processes, and what they hand back.

Kept apart from the modules that do the work (`pdf_render`, `pdf_booklet`) because those import
WeasyPrint, which takes half a second: the building process describes the jobs without it, and
the workers, started as the build begins (`warm_workers`), import it meanwhile.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .templates import BookletCover


@dataclass(frozen=True)
class RenderSetup:
    """What every document of a build shares."""

    stylesheet: str  # the complete CSS, @font-face rules for the subset fonts included
    base_url: str
    pdf_variant: str | None  # e.g. "pdf/a-3b"


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    description: str
    data: bytes


@dataclass(frozen=True)
class RenderJob:
    key: str
    html: str
    target: str  # where the PDF goes (a file in the cache)
    attachments: tuple[EmbeddedFile, ...]
    date: dt.date  # the attachments' dates: from the data, so the bytes are reproducible


@dataclass(frozen=True)
class BookletJob:
    key: str
    target: str  # where the booklet goes (a file in the cache)
    cover: BookletCover
    members: tuple[str, ...]  # the forms' PDF files, in order
    attachments: tuple[EmbeddedFile, ...]
    date: dt.date
    stamps: str = ""  # a folder where page-number stamps are kept between builds


Job = RenderJob | BookletJob


@dataclass(frozen=True)
class RenderResult:
    key: str
    pages: int
    layout_seconds: float  # WeasyPrint parsing and layout (the floor for this HTML)
    seconds: float  # layout and writing the PDF
    size: int
    missing_glyphs: str  # characters no font of the stack could draw (drawn as boxes)


def _warm_up(setup: RenderSetup | None) -> None:
    """Worker initializer: import what rendering needs, and parse the stylesheet and load the
    fonts, while the build does other things."""
    from .fonts import PdfEnvironmentError, check_weasyprint

    try:
        check_weasyprint()
        from . import booklet as pdf_booklet  # noqa: F401
        from . import render as pdf_render

        if setup is not None:
            pdf_render.init_worker(setup)
        pdf_render.enter_worker()
    except PdfEnvironmentError:
        pass  # raised again, with its message, by the first job
    gc.collect()
    gc.freeze()


@dataclass
class WarmWorkers:
    pool: ProcessPoolExecutor
    workers: int


def warm_workers(jobs: int, setup: RenderSetup | None = None) -> WarmWorkers:
    """Worker processes for the PDF stage, started now so that they are ready when it comes:
    forked while this process is still small, importing WeasyPrint alongside the build."""
    workers = max(1, min(jobs, os.cpu_count() or 1))
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_warm_up,
        initargs=(setup,),
    )
    # A pool starts its processes as work arrives: something to do starts them now.
    for _ in range(workers):
        pool.submit(_ready)
    return WarmWorkers(pool, workers)


def _ready() -> None:
    pass


def run(setup: RenderSetup, job: Job) -> RenderResult:
    """A task in a warm worker: render or bind `job` with this process's renderer for setup."""
    from .fonts import check_weasyprint

    check_weasyprint()
    from . import booklet as pdf_booklet
    from . import render as pdf_render

    pdf_render.renderer_for(setup)
    return pdf_booklet.run_job(job)
