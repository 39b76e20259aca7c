"""Turning one HTML document into a PDF with WeasyPrint, in whichever process runs it.

A `Renderer` keeps one font configuration and one parsed stylesheet for all the documents it
renders: parsing the stylesheet and registering the subset fonts with fontconfig would otherwise
be paid again for every form. Which renderer a process uses is the worker's business
(`worker`).

Two things here reach inside other packages (bounded in pyproject.toml, checked by
tests/test_pdf.py `test_the_internals_we_use_are_where_we_expect_them`): pydyf's `_to_bytes`,
to compress streams ourselves, and the text of WeasyPrint's warning for a glyph no font has.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import time
import typing
import zlib
from collections.abc import Iterator
from pathlib import Path

import pydyf
from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from ..memory import collector_paused
from .jobs import EmbeddedFile, RenderJob, RenderResult, RenderSetup
from .tall import mark_tall_rows

WEASYPRINT_LOGGER = logging.getLogger("weasyprint")
# How WeasyPrint's warning begins (weasyprint/draw/text.py) when it draws a character no font
# of the stack has as a .notdef box; the characters are its first argument.
NOTDEF_WARNING = ".notdef glyph rendered"

# zlib's own default. pydyf compresses every stream at level 9, which takes twice as long for
# files 0.3% smaller: a tenth of a form's time goes into compressing its fonts.
STREAM_COMPRESSION_LEVEL = 6


class GlyphWatcher(logging.Handler):
    """Collects the characters WeasyPrint had to draw as .notdef boxes (`characters`)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the characters of a .notdef warning; ignore every other record."""
        if str(record.msg).startswith(NOTDEF_WARNING) and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            self.characters.update(str(args[0]))


@contextlib.contextmanager
def watching_glyphs() -> Iterator[GlyphWatcher]:
    """A `GlyphWatcher` on WeasyPrint's logger for the `with` block."""
    watcher = GlyphWatcher()
    WEASYPRINT_LOGGER.addHandler(watcher)
    try:
        yield watcher
    finally:
        WEASYPRINT_LOGGER.removeHandler(watcher)


def _finish(document: object, pdf: pydyf.PDF) -> None:
    """Last touches to the PDF before pydyf writes it."""
    _list_attachments_once(pdf)
    _compress_streams(pdf)
    _serialise_once(pdf)


def _made_once(kind: type) -> type:
    """A subclass of the pydyf object class `kind` whose `data` (its bytes in the file) is
    made on first use and kept."""

    def data(self: pydyf.Object) -> bytes:
        made = self.__dict__.get("_data")
        if made is None:
            made = self.__dict__["_data"] = kind.data.fget(self)  # type: ignore[attr-defined]
        return made

    doc = f"A pydyf {kind.__name__} whose bytes are made once (`_WrittenOnce`)."
    return type(f"Once{kind.__name__}", (kind,), {"data": property(data), "__doc__": doc})


class _WrittenOnce(pydyf.PDF):
    """A finished pydyf PDF whose objects make their bytes once. pydyf serialises every
    object twice when it writes a file identifier (into the file, then all of them again for
    its MD5), the object stream compressed at level 9 both times: for a tagged form, its
    structure tree of about 1,600 dictionaries, a tenth of the writing time. Nothing changes
    an object once the PDF is finished, so the bytes are the same."""

    ONCE: typing.ClassVar[dict[type, type]] = {
        kind: _made_once(kind) for kind in (pydyf.Dictionary, pydyf.Array, pydyf.Stream)
    }

    def add_object(self, object_: pydyf.Object) -> None:
        """Add an object (pydyf's), made to keep its bytes: the object and cross-reference
        streams pydyf makes while it writes."""
        _keep_bytes(object_)
        super().add_object(object_)


def _keep_bytes(pdf_object: object) -> None:
    once = _WrittenOnce.ONCE.get(type(pdf_object))
    if once is not None:
        pdf_object.__class__ = once


def _serialise_once(pdf: pydyf.PDF) -> None:
    """Make the finished PDF and its objects keep each object's bytes once made
    (`_WrittenOnce`)."""
    for pdf_object in pdf.objects:
        _keep_bytes(pdf_object)
    if type(pdf) is pydyf.PDF:
        pdf.__class__ = _WrittenOnce


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


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file beside it, so that a reader never
    sees half a file; makes the folder. Raises OSError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


class Renderer:
    """Lays out HTML and writes PDFs with one font configuration and stylesheet (`setup`).

    The font configuration copies the stylesheet's @font-face fonts into a temporary folder
    (`weasyprint-*`, 10 MB with the CJK subsets) that WeasyPrint removes in its finaliser
    only: not at all when the configuration is still alive at the interpreter's exit, or
    held in a reference cycle that the collector never frees (Kozea/WeasyPrint#2090). The
    process that made a renderer `close`s it when it is done with it (`worker`).
    """

    def __init__(self, setup: RenderSetup) -> None:
        self.setup = setup
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            string=setup.stylesheet, base_url=setup.base_url, font_config=self.font_config
        )
        self.pid = os.getpid()  # a forked child inherits the renderer, not its fonts' folder

    def close(self) -> None:
        """Remove the font configuration's temporary folder, through WeasyPrint's own
        clean-up (the finaliser `FontConfiguration.__del__`, which no public method offers),
        now rather than whenever the collector frees it, if ever. The renderer cannot render
        afterwards. Does nothing in a process that did not make it (its parent's fonts), and
        nothing the second time."""
        if os.getpid() == self.pid:
            self.font_config.__del__()

    def layout(self, html: str) -> Document:
        """The laid-out document: its pages, before any PDF is written. Laid out a second
        time when a table row is taller than half a page, which may then split (`tall`)."""
        source = HTML(string=html, base_url=self.setup.base_url)
        document = self._render(source)
        if mark_tall_rows(document):
            document = self._render(source)
        return document

    def _render(self, source: HTML) -> Document:
        return source.render(
            stylesheets=[self.stylesheet],
            font_config=self.font_config,
            pdf_variant=self.setup.pdf_variant,
            pdf_tags=self.setup.pdf_tags,
        )

    def write(
        self, document: Document, attachments: tuple[EmbeddedFile, ...], date: dt.date
    ) -> bytes:
        """The PDF of a laid-out document, with its attachments dated from the data (midnight
        UTC of `date`)."""
        return document.write_pdf(
            finisher=_finish,
            pdf_variant=self.setup.pdf_variant,
            pdf_tags=self.setup.pdf_tags,
            attachments=self.attachments(attachments, date),
            # An identifier derived from the content, so that it stays reproducible.
            pdf_identifier=True if self.setup.pdf_variant else None,
        )

    @staticmethod
    def attachments(attachments: tuple[EmbeddedFile, ...], date: dt.date) -> list[Attachment]:
        """WeasyPrint's attachments of `attachments`, dated midnight UTC of `date`."""
        moment = dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.UTC)
        return [
            Attachment(
                string=embedded.data,
                name=embedded.name,
                description=embedded.description,
                created=moment,
                modified=moment,
                relationship="Data",
            )
            for embedded in attachments
        ]

    def render(self, job: RenderJob) -> RenderResult:
        """Lay out and write one form to `job.target`, with the collector paused (see
        `builder.memory`). Raises OSError when the file cannot be written."""
        with watching_glyphs() as watcher, collector_paused():
            start = time.perf_counter()
            document = self.layout(job.html)
            laid_out = time.perf_counter()
            pdf = self.write(document, job.attachments, job.date)
            done = time.perf_counter()
        write_atomically(Path(job.target), pdf)
        return RenderResult(
            key=job.key,
            pages=len(document.pages),
            layout_seconds=laid_out - start,
            seconds=done - start,
            size=len(pdf),
            missing_glyphs="".join(sorted(watcher.characters)),
        )
