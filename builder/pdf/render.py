"""Turning one HTML document into a PDF with WeasyPrint, in whichever process runs it.

Each process keeps one font configuration and one parsed stylesheet for all the documents it
renders: parsing the stylesheet and registering the subset fonts with fontconfig would otherwise
be paid again for every form.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import os
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pydyf
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from .jobs import EmbeddedFile, RenderJob, RenderResult, RenderSetup

__all__ = ["EmbeddedFile", "RenderJob", "RenderResult", "RenderSetup", "Renderer"]

WEASYPRINT_LOGGER = logging.getLogger("weasyprint")
NOTDEF_WARNING = ".notdef glyph rendered"


class _GlyphWatcher(logging.Handler):
    """Collects the characters WeasyPrint had to draw as .notdef boxes."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(NOTDEF_WARNING) and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            self.characters.update(str(args[0]))


# zlib's own default. pydyf compresses every stream at level 9, which takes twice as long for
# files 0.3% smaller: a tenth of a form's time goes into compressing its fonts.
STREAM_COMPRESSION_LEVEL = 6


def _finish(document: object, pdf: pydyf.PDF) -> None:
    """Last touches to the PDF before pydyf writes it."""
    _list_attachments_once(pdf)
    _compress_streams(pdf)


def _list_attachments_once(pdf: pydyf.PDF) -> None:
    """WeasyPrint lists each PDF/A-3 attachment twice in the catalog's /AF; once is right."""
    files = pdf.catalog.get("AF")
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)


def _compress_streams(pdf: pydyf.PDF) -> None:
    """Compress the streams pydyf would compress, at STREAM_COMPRESSION_LEVEL."""
    for pdf_object in pdf.objects:
        if isinstance(pdf_object, pydyf.Stream) and pdf_object.compress:
            # The stream's bytes as pydyf itself serialises them (Stream.data), uncompressed.
            raw = b"\n".join(pydyf._to_bytes(item) for item in pdf_object.stream)
            pdf_object.stream = [zlib.compress(raw, STREAM_COMPRESSION_LEVEL)]
            pdf_object.extra["Filter"] = "/FlateDecode"
            pdf_object.compress = False


class Renderer:
    def __init__(self, setup: RenderSetup) -> None:
        self.setup = setup
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            string=setup.stylesheet, base_url=setup.base_url, font_config=self.font_config
        )

    def layout(self, html: str):  # -> weasyprint.document.Document
        return HTML(string=html, base_url=self.setup.base_url).render(
            stylesheets=[self.stylesheet],
            font_config=self.font_config,
            pdf_variant=self.setup.pdf_variant,
        )

    def write(self, document, attachments: tuple[EmbeddedFile, ...], date: dt.date) -> bytes:
        """The PDF of a laid-out document, with its attachments dated from the data."""
        moment = dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.UTC)
        return document.write_pdf(
            finisher=_finish,
            pdf_variant=self.setup.pdf_variant,
            attachments=[
                Attachment(
                    string=embedded.data,
                    name=embedded.name,
                    description=embedded.description,
                    created=moment,
                    modified=moment,
                    relationship="Data",
                )
                for embedded in attachments
            ],
            # An identifier derived from the content, so that it stays reproducible.
            pdf_identifier=True if self.setup.pdf_variant else None,
        )

    def render(self, job: RenderJob) -> RenderResult:
        with watching_glyphs() as watcher, collector_paused():
            start = time.perf_counter()
            document = self.layout(job.html)
            laid_out = time.perf_counter()
            pdf = self.write(document, job.attachments, job.date)
            done = time.perf_counter()
        write_atomically(Path(job.target), pdf)
        result = RenderResult(
            key=job.key,
            pages=len(document.pages),
            layout_seconds=laid_out - start,
            seconds=done - start,
            size=len(pdf),
            missing_glyphs="".join(sorted(watcher.characters)),
        )
        del document
        after_document()
        return result


@contextlib.contextmanager
def watching_glyphs() -> Iterator[_GlyphWatcher]:
    watcher = _GlyphWatcher()
    WEASYPRINT_LOGGER.addHandler(watcher)
    try:
        yield watcher
    finally:
        WEASYPRINT_LOGGER.removeHandler(watcher)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Layout makes hundreds of thousands of short-lived objects; the cyclic collector, running
    every few hundred allocations, scans them all again and again and takes a fifth of the time
    (more in a booklet). A document's garbage is collected once, after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def after_document() -> None:
    if _in_worker:
        # The document's boxes are cyclic garbage. Collected here, at once, and what survives
        # (WeasyPrint's caches) frozen, no later collection scans either again: a tenth of a
        # form's time in a worker that renders hundreds.
        gc.collect()
        gc.freeze()


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


_renderer: Renderer | None = None
_in_worker = False  # this process renders documents and nothing else


def enter_worker() -> None:
    """This process renders documents and nothing else (see `after_document`)."""
    global _in_worker
    _in_worker = True
    # Its garbage is the documents', collected once after each of them. With the collector on
    # between documents, turning it back on after one set off a second collection of the same
    # garbage: 1.4% of a form's time.
    gc.disable()


def init_worker(setup: RenderSetup) -> None:
    """Process-pool initializer: one renderer per worker process."""
    global _renderer
    _renderer = Renderer(setup)
    enter_worker()
    # What the worker inherited and set up lives as long as the worker: keep it out of the
    # collector's scans.
    gc.collect()
    gc.freeze()


def renderer_for(setup: RenderSetup) -> Renderer:
    """This process's renderer for setup, made on first use."""
    global _renderer
    if _renderer is None or _renderer.setup != setup:
        _renderer = Renderer(setup)
    return _renderer


def current_renderer() -> Renderer:
    if _renderer is None:
        raise RuntimeError("no renderer in this process: init_worker() or renderer_for() first")
    return _renderer


def render_job(job: RenderJob) -> RenderResult:
    if _renderer is None:
        raise RuntimeError("render_job() runs in a worker started with init_worker()")
    return _renderer.render(job)


@dataclass(frozen=True)
class RemoteSetup:
    """A RenderSetup for a machine that has none of this build's files: the subset fonts
    travel with it, as (the URI the stylesheet names, the font's bytes)."""

    setup: RenderSetup
    fonts: tuple[tuple[str, bytes], ...]


_remote_setups: dict[int, RenderSetup] = {}


def _local_setup(remote: RemoteSetup) -> RenderSetup:
    key = hash((remote.setup, tuple(uri for uri, _ in remote.fonts)))
    if key not in _remote_setups:
        folder = Path(tempfile.mkdtemp(prefix="jixiao-fonts-"))
        stylesheet = remote.setup.stylesheet
        for index, (uri, data) in enumerate(remote.fonts):
            local = folder / f"{index}{Path(uri).suffix}"
            local.write_bytes(data)
            stylesheet = stylesheet.replace(uri, local.as_uri())
        _remote_setups[key] = RenderSetup(
            stylesheet=stylesheet,
            base_url=remote.setup.base_url,
            pdf_variant=remote.setup.pdf_variant,
        )
    return _remote_setups[key]


def render_remote(remote: RemoteSetup, job: RenderJob) -> tuple[RenderResult, bytes]:
    """A Dask task: render one document here, hand back the result and the PDF's bytes."""
    renderer = renderer_for(_local_setup(remote))
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as folder:
        target = Path(folder) / "document.pdf"
        result = renderer.render(replace(job, target=str(target)))
        return result, target.read_bytes()
