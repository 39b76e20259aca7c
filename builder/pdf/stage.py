"""The PDF stage: every project's 项目支出绩效目标自评表, and a booklet per unit and year.

The PDFs are what a finance bureau prints, stamps and archives, and what a citizen downloads:
the paper form's layout, the declared figures as submitted, the computed figures and findings in
an annex, PDF/A-3b with the project's JSON record embedded.

Speed comes from three things: the CJK font is subset once per build (`subset`), each worker
process keeps its font configuration and stylesheet (`worker`), and a PDF is only laid out
when something it is made from changed (`cache`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..config import PdfOrientation, PdfSettings, SiteConfig
from ..executor import Executor
from ..rules.check import CheckedProject, CheckResult
from .cache import (
    cached_pdf,
    document_key,
    place,
    prune_cache,
    prune_cache_when_due,
    seal,
    tool_versions,
)
from .documents import DataDates, Document, documents
from .fonts import FontSetup, PdfEnvironmentError, check_environment
from .jobs import BookletJob, RenderJob, RenderResult
from .pool import WarmWorkers, render_local, render_remote
from .setup import build_render_setup, render_setup, settings_css
from .templates import PdfTemplates

__all__ = [
    "PdfEnvironmentError",
    "PdfOrientation",
    "PdfReport",
    "PdfSettings",
    "prune_cache",
    "prune_cache_when_due",
    "render_setup",
    "write_pdfs",
]

LOGGER = logging.getLogger(__name__)


@dataclass
class PdfReport:
    """What `write_pdfs` did."""

    rendered: int = 0  # project PDFs laid out in this build
    reused: int = 0  # project PDFs taken from the cache unchanged
    skipped: int = 0  # projects that could not be read: no PDF
    booklets_rendered: int = 0
    booklets_reused: int = 0
    seconds: float = 0.0  # wall time of the whole stage
    layout_seconds: float = 0.0  # WeasyPrint layout time, summed over the rendered documents
    render_seconds: float = 0.0  # layout and PDF writing, summed over the rendered documents
    written: list[str] = field(default_factory=list)  # site paths, projects then booklets
    linked: bool = True  # every PDF in the site is a hard link to its cached file
    # Site path -> characters no font of the stack has, drawn as empty boxes. Such PDFs are
    # written but not cached, so the next build reports them again until a font is installed.
    missing_glyphs: dict[str, str] = field(default_factory=dict)


def _shared_key(settings: PdfSettings, font_setup: FontSetup, base_css: str) -> str:
    """The part of every document's key that the whole build shares."""
    return "\0".join(
        [
            tool_versions(),
            # Only the settings that change a document: turning booklets on must not make
            # every form look new.
            settings.model_dump_json(
                include={"orientation", "font_stack", "annex", "pdfa", "tagged"}
            ),
            font_setup.fingerprint(),
            base_css,
        ]
    )


def _jobs(pending: list[Document], cache_dir: Path) -> tuple[list[RenderJob], list[BookletJob]]:
    """The forms to lay out, the longest first (a pool ends sooner when they start early),
    and the booklets to bind, the largest first."""
    forms = sorted((d for d in pending if not d.is_booklet), key=lambda d: -len(d.html))
    form_jobs = [
        RenderJob(
            key=d.key,
            html=d.html,
            target=str(cached_pdf(cache_dir, d.key)),
            attachments=d.attachments,
            date=d.date,
        )
        for d in forms
    ]
    booklets = sorted((d for d in pending if d.is_booklet), key=lambda d: -len(d.members))
    booklet_jobs = [
        BookletJob(
            key=d.key,
            target=str(cached_pdf(cache_dir, d.key)),
            cover=d.booklet,
            members=tuple(str(cached_pdf(cache_dir, m.key)) for m in d.members),
            attachments=d.attachments,
            date=d.date,
            stamps=str(cache_dir / "stamps"),
        )
        for d in booklets
        if d.booklet is not None
    ]
    return form_jobs, booklet_jobs


def _render_pending(
    pending: list[Document],
    settings: PdfSettings,
    templates: PdfTemplates,
    font_setup: FontSetup,
    cache_dir: Path,
    jobs: int,
    executor: Executor | None,
    warm: WarmWorkers | None,
) -> Iterator[RenderResult]:
    """Make the pending documents' PDFs in the cache, the booklets after their forms."""
    setup, faces = build_render_setup(settings, templates, font_setup, cache_dir)
    form_jobs, booklet_jobs = _jobs(pending, cache_dir)
    workers = max(1, min(jobs, os.cpu_count() or 1, len(pending)))
    if executor is not None and executor.remote:
        # Binding is light and needs the forms' files: it stays on this machine.
        return itertools.chain(
            render_remote(form_jobs, setup, executor, faces),
            render_local(booklet_jobs, setup, workers, warm),
        )
    if warm is not None and warm.workers == 1:
        # One process takes its work in order: the booklets after their forms, with no pause
        # in between.
        return render_local([*form_jobs, *booklet_jobs], setup, 1, warm)
    return itertools.chain(
        render_local(form_jobs, setup, workers, warm),
        render_local(booklet_jobs, setup, workers, warm),
    )


def _link_into_site(
    all_documents: list[Document],
    pending_keys: set[str],
    missing_by_key: dict[str, str],
    site_dir: Path,
    cache_dir: Path,
    report: PdfReport,
) -> None:
    """Put every document's cached PDF at its site path and count it in `report`."""
    for document in all_documents:
        cached = cached_pdf(cache_dir, document.key)
        report.linked &= place(cached, site_dir / document.site_path)
        report.written.append(document.site_path)
        fresh = document.key in pending_keys
        if document.is_booklet:
            report.booklets_rendered += fresh
            report.booklets_reused += not fresh
        else:
            report.rendered += fresh
            report.reused += not fresh
        if document.key in missing_by_key:
            report.missing_glyphs[document.site_path] = missing_by_key[document.key]
    for key in missing_by_key:
        # Kept out of the cache: the next build must lay it out (and report it) again.
        cached_pdf(cache_dir, key).unlink(missing_ok=True)


def _data_dates(form_dates: Mapping[Path, dt.date], fallback: dt.date | None) -> DataDates:
    """Each form's date of the data: its own in `form_dates` (by its file), else
    `fallback`."""

    def data_date(checked: CheckedProject) -> dt.date | None:
        return form_dates.get(checked.file, fallback)

    return data_date


def write_pdfs(
    result: CheckResult,
    config: SiteConfig,
    pdf_settings: PdfSettings,
    site_dir: Path,
    cache_dir: Path,
    jobs: int,
    executor: Executor | None = None,
    warm: WarmWorkers | None = None,
    data_date: dt.date | None = None,
    form_dates: Mapping[Path, dt.date] | None = None,
) -> PdfReport:
    """Write every project's PDF and every unit booklet under site_dir, reusing cache_dir.
    `warm` are worker processes started with the build (`pool.warm_workers`): they render,
    and this process does not import WeasyPrint. Each form's page footer gives the date of
    its data (数据截至): its own from `form_dates` (the form's file -> its 最近更新 from
    git), else `data_date`, the site's, else none. A form's date is part of its PDF's key
    only: a commit on a new day re-makes the PDFs of the forms it changed and their booklets.

    Raises PdfEnvironmentError, naming the package to install, when a font or a native
    library the PDFs need is missing.
    """
    started = time.perf_counter()
    report = PdfReport()
    if not pdf_settings.enabled:
        return report
    font_setup: FontSetup = check_environment(pdf_settings.font_stack, weasyprint=warm is None)

    templates = PdfTemplates(config.title, base_url=config.base_url)
    base_css = settings_css(pdf_settings) + templates.stylesheet()
    all_documents, report.skipped = documents(
        result, pdf_settings, templates, _data_dates(form_dates or {}, data_date)
    )
    shared = _shared_key(pdf_settings, font_setup, base_css)
    for document in all_documents:
        document.key = document_key(shared, document)
    pending = [d for d in all_documents if not cached_pdf(cache_dir, d.key).exists()]

    missing_by_key: dict[str, str] = {}
    if pending:
        for outcome in _render_pending(
            pending, pdf_settings, templates, font_setup, cache_dir, jobs, executor, warm
        ):
            report.layout_seconds += outcome.layout_seconds
            report.render_seconds += outcome.seconds
            if outcome.missing_glyphs:
                missing_by_key[outcome.key] = outcome.missing_glyphs
            else:
                seal(cached_pdf(cache_dir, outcome.key))

    pending_keys = {d.key for d in pending}
    _link_into_site(all_documents, pending_keys, missing_by_key, site_dir, cache_dir, report)
    if report.missing_glyphs:
        LOGGER.error(
            "PDF: characters without a glyph in any font of pdf.font_stack, drawn as boxes: %s",
            "; ".join(f"{path}: {chars}" for path, chars in report.missing_glyphs.items()),
        )
    report.seconds = time.perf_counter() - started
    return report
