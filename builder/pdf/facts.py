"""What a download link says of a PDF: its size and pages, read from the file as built.

`PDF, 103 KB, 2 页` beside the link, so that a reader on a phone knows what a tap costs.
Read from the built files (pikepdf opens a file lazily: a few milliseconds a PDF), never
guessed; written into the pages once the PDFs exist (`outputs/links.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..formats import size_text


@dataclass(frozen=True)
class PdfFacts:
    """A PDF's size in bytes and its number of pages."""

    size: int
    pages: int

    @property
    def text(self) -> str:
        """`PDF, 103 KB, 2 页`."""
        return f"PDF, {size_text(self.size)}, {self.pages} 页"


def pdf_facts(file: Path) -> PdfFacts | None:
    """The size and page count of the PDF at `file`; None when there is no such file or it
    cannot be read as a PDF (the link then says only `PDF`)."""
    import pikepdf

    try:
        with pikepdf.open(file) as pdf:
            return PdfFacts(file.stat().st_size, len(pdf.pages))
    except (OSError, pikepdf.PdfError):
        return None


class FactsOf:
    """The link text of the PDFs under a folder (`root`), read when first asked for: a page
    asks `get(site_path, default)` as of a dict."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, str | None] = {}

    def get(self, site_path: str, default: str = "PDF") -> str:
        """`PDF, 103 KB, 2 页` for the PDF at `site_path`, or `default` without one."""
        if site_path not in self._known:
            found = pdf_facts(self.root / site_path)
            self._known[site_path] = None if found is None else found.text
        return self._known[site_path] or default
