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
from .documents import DataDates, Document, FormDocuments
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
    # Site path -> document key of each PDF placed from the cache (those with missing glyphs,
    # kept out of it, left out): what the PDF links' facts are known by (`facts.FactsMemo`).
    keys: dict[str, str] = field(default_factory=dict)


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


# Forms made, keyed and looked up in the cache together: the pending ones among them are sent
# longest first (a pool ends sooner when the long ones start early).
BATCH = 64


@dataclass(frozen=True)
class _Placed:
    """What the stage keeps of a document once its job is sent: where its PDF goes."""

    site_path: str
    key: str
    is_booklet: bool
    fresh: bool  # made in this build (else reused from the cache)


@dataclass
class _Documents:
    """The build's documents, made as their jobs are taken (`forms`, then `booklets`): each
    keyed and looked up in the cache, the pending ones turned into jobs; what is kept of
    every one of them (`placed`, forms in their order, then booklets) is its path and key."""

    made: FormDocuments
    shared: str  # the build's part of every key
    cache_dir: Path
    placed: list[_Placed] = field(default_factory=list)

    def _place(self, document: Document) -> bool:
        document.key = document_key(self.shared, document)
        fresh = not cached_pdf(self.cache_dir, document.key).exists()
        self.placed.append(_Placed(document.site_path, document.key, document.is_booklet, fresh))
        return fresh

    def forms(self) -> Iterator[RenderJob]:
        """The jobs of the forms to lay out, BATCH forms made at a time."""
        made = iter(self.made)
        while batch := list(itertools.islice(made, BATCH)):
            pending = [d for d in batch if self._place(d)]
            for d in sorted(pending, key=lambda d: -len(d.html)):
                yield RenderJob(
                    key=d.key,
                    html=d.html,
                    target=str(cached_pdf(self.cache_dir, d.key)),
                    attachments=d.attachments,
                    date=d.date,
                )

    def booklets(self) -> Iterator[BookletJob]:
        """The jobs of the booklets to bind, the largest first; once every form is made."""
        keys = {p.site_path: p.key for p in self.placed if not p.is_booklet}
        booklets = [d for d in self.made.booklets(keys) if self._place(d)]
        for d in sorted(booklets, key=lambda d: -len(d.members)):
            if d.booklet is not None:
                yield BookletJob(
                    key=d.key,
                    target=str(cached_pdf(self.cache_dir, d.key)),
                    cover=d.booklet,
                    members=tuple(str(cached_pdf(self.cache_dir, m)) for m in d.members),
                    attachments=d.attachments,
                    date=d.date,
                    stamps=str(self.cache_dir / "stamps"),
                )


def _pending(made: _Documents) -> tuple[Iterator[RenderJob], Iterator[BookletJob]] | None:
    """The form jobs and the booklet jobs (those made once the forms are), or None when
    nothing is to be made: a build with nothing new sets up no fonts for its workers."""
    forms = made.forms()
    first = next(forms, None)
    if first is not None:
        return itertools.chain([first], forms), made.booklets()
    booklets = made.booklets()
    first_booklet = next(booklets, None)
    if first_booklet is None:
        return None
    return iter(()), itertools.chain([first_booklet], booklets)


def _render_pending(
    made: _Documents,
    settings: PdfSettings,
    templates: PdfTemplates,
    font_setup: FontSetup,
    jobs: int,
    executor: Executor | None,
    warm: WarmWorkers | None,
) -> Iterator[RenderResult]:
    """Make the pending documents' PDFs in the cache, the booklets after their forms."""
    pending = _pending(made)
    if pending is None:
        return
    forms, booklets = pending
    setup, faces = build_render_setup(settings, templates, font_setup, made.cache_dir)
    workers = max(1, min(jobs, os.cpu_count() or 1))
    if executor is not None and executor.remote:
        # Binding is light and needs the forms' files: it stays on this machine.
        yield from render_remote(forms, setup, executor, faces)
        yield from render_local(booklets, setup, workers, warm)
    elif warm is not None and warm.workers == 1:
        # One process takes its work in order: the booklets after their forms, with no pause
        # in between.
        yield from render_local(itertools.chain(forms, booklets), setup, 1, warm)
    else:
        yield from render_local(forms, setup, workers, warm)
        yield from render_local(booklets, setup, workers, warm)


def _link_into_site(
    placed: list[_Placed],
    missing_by_key: dict[str, str],
    site_dir: Path,
    cache_dir: Path,
    report: PdfReport,
) -> None:
    """Put every document's cached PDF at its site path and count it in `report`."""
    for document in placed:
        cached = cached_pdf(cache_dir, document.key)
        report.linked &= place(cached, site_dir / document.site_path)
        report.written.append(document.site_path)
        fresh = document.fresh
        if document.is_booklet:
            report.booklets_rendered += fresh
            report.booklets_reused += not fresh
        else:
            report.rendered += fresh
            report.reused += not fresh
        if document.key in missing_by_key:
            report.missing_glyphs[document.site_path] = missing_by_key[document.key]
        else:
            report.keys[document.site_path] = document.key
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
    made = _Documents(
        FormDocuments(result, pdf_settings, templates, _data_dates(form_dates or {}, data_date)),
        _shared_key(pdf_settings, font_setup, base_css),
        cache_dir,
    )
    missing_by_key: dict[str, str] = {}
    for outcome in _render_pending(made, pdf_settings, templates, font_setup, jobs, executor, warm):
        report.layout_seconds += outcome.layout_seconds
        report.render_seconds += outcome.seconds
        if outcome.missing_glyphs:
            missing_by_key[outcome.key] = outcome.missing_glyphs
        else:
            seal(cached_pdf(cache_dir, outcome.key))
    report.skipped = made.made.skipped
    _link_into_site(made.placed, missing_by_key, site_dir, cache_dir, report)
    if report.missing_glyphs:
        LOGGER.error(
            "PDF: characters without a glyph in any font of pdf.font_stack, drawn as boxes: %s",
            "; ".join(f"{path}: {chars}" for path, chars in report.missing_glyphs.items()),
        )
    report.seconds = time.perf_counter() - started
    return report
