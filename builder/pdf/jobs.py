"""What the PDF stage hands its worker processes, and what they hand back: plain data.

Kept apart from the modules that do the work (`render`, `booklet`, `worker`) because those
import WeasyPrint, which takes half a second: the building process describes the jobs without
it, and the workers, started as the build begins (`pool.warm_workers`), import it meanwhile.
Every type here pickles, to a forked worker or to a Dask worker on another machine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .cover import BookletCover


@dataclass(frozen=True)
class RenderSetup:
    """What every document of a build shares."""

    stylesheet: str  # the complete CSS, @font-face rules for the subset fonts included
    base_url: str  # where relative URLs in the HTML and CSS resolve: templates/pdf/ as a URI
    pdf_variant: str | None  # e.g. "pdf/a-3a"; None for a plain PDF
    pdf_tags: bool = False  # tagged PDF: structure tree, MarkInfo, /Lang (implied by pdf/a-3a)


@dataclass(frozen=True)
class EmbeddedFile:
    """A file attached to a PDF (PDF/A-3 associated file): the project's JSON record."""

    name: str  # the file name a reader saves it under, e.g. "lps-sbj-001.json"
    description: str
    data: bytes


@dataclass(frozen=True)
class RenderJob:
    """One project's form: HTML to lay out and write as a PDF."""

    key: str  # the document's cache key (sha256 hex)
    html: str
    target: str  # where the PDF goes (a file in the cache)
    attachments: tuple[EmbeddedFile, ...]
    date: dt.date  # the attachments' dates: from the data, so the bytes are reproducible


@dataclass(frozen=True)
class BookletJob:
    """One unit's booklet: a cover laid out, then its forms' PDFs (already made) joined."""

    key: str  # the document's cache key (sha256 hex)
    target: str  # where the booklet goes (a file in the cache)
    cover: BookletCover
    members: tuple[str, ...]  # the forms' PDF files, in order
    attachments: tuple[EmbeddedFile, ...]
    date: dt.date
    stamps: str = ""  # a folder where page-number stamps are kept between builds


Job = RenderJob | BookletJob


@dataclass(frozen=True)
class RenderResult:
    """What making one document took and gave."""

    key: str
    pages: int
    layout_seconds: float  # WeasyPrint parsing and layout (the floor for this HTML)
    seconds: float  # layout and writing the PDF
    size: int  # bytes of the PDF
    missing_glyphs: str  # characters no font of the stack could draw (drawn as boxes)
