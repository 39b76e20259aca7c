"""Booklets: a unit's forms bound together behind a cover and contents, with page numbers.

A booklet is not laid out again from its forms. The forms' own PDFs, already made, are joined
behind a cover and contents laid out by WeasyPrint (the contents' page numbers follow from the
forms' page counts), and every page after the cover gets the booklet's page number laid over
its bottom right corner; the forms keep their own numbers, bottom centre. Joining is qpdf's
work (pikepdf), milliseconds a page, where laying 50 forms out again took WeasyPrint 8 s: an
edit to one form re-makes its unit's booklet in a fraction of a second.

The cover document is PDF/A-3b with every form's record attached, and lends the booklet its
catalogue: metadata, output intent, attachments. The pages joined to it are PDF/A-3b pages of
the same fonts and colour space.
"""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path

import pikepdf
import weasyprint
from pikepdf import OutlineItem, Pdf

from ..memory import collector_paused
from .jobs import BookletJob, RenderResult
from .render import Renderer, watching_glyphs, write_atomically
from .templates import PdfTemplates

# The contents cannot be longer than this many pages: a guard against a layout that never
# settles (each try lays the cover out with the page count the last try gave).
MAX_CONTENTS_PAGES = 64


def contents_starts(cover_pages: int, member_pages: list[int]) -> list[int]:
    """The booklet page (1-based) each form begins on, after `cover_pages` of cover and
    contents."""
    starts, page = [], cover_pages + 1
    for count in member_pages:
        starts.append(page)
        page += count
    return starts


class Binder:
    """Makes booklets with a renderer (for the cover and contents, and the page-number
    stamps) and the templates; keeps the stamps made, by booklet length."""

    def __init__(self, renderer: Renderer, templates: PdfTemplates) -> None:
        self.renderer = renderer
        self.templates = templates
        self._stamps: dict[int, bytes] = {}  # booklet length -> its page-number stamps

    def bind(self, job: BookletJob) -> RenderResult:
        """Make the booklet of `job` at `job.target`. Raises OSError when a form's PDF cannot
        be read or the booklet written, RuntimeError when the contents never settle."""
        started = time.perf_counter()
        members = [Pdf.open(path) for path in job.members]
        try:
            counts = [len(member.pages) for member in members]
            with watching_glyphs() as watcher, collector_paused():
                cover, cover_pages, layout_seconds = self._cover(job, counts)
            total = cover_pages + sum(counts)
            booklet = Pdf.open(io.BytesIO(cover))
            stamps = Pdf.open(io.BytesIO(self._stamp_pdf(total, job.stamps)))
            _retag_fonts(stamps, f"{job.key}:stamps")
            starts = contents_starts(cover_pages, counts)
            with booklet.open_outline() as outline:
                for number, (member, start) in enumerate(zip(members, starts, strict=True)):
                    _retag_fonts(member, f"{job.key}:{number}")
                    booklet.pages.extend(member.pages)
                    outline.root.extend(_outline_items(member, start - 1))
            for index in range(1, total):
                _lay_over(booklet, booklet.pages[index], stamps.pages[index - 1], index + 1)
            buffer = io.BytesIO()
            booklet.save(
                buffer,
                deterministic_id=True,  # the same booklet, the same bytes
                compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
        finally:
            for member in members:
                member.close()
        data = buffer.getvalue()
        write_atomically(Path(job.target), data)
        return RenderResult(
            key=job.key,
            pages=total,
            layout_seconds=layout_seconds,
            seconds=time.perf_counter() - started,
            size=len(data),
            missing_glyphs="".join(sorted(watcher.characters)),
        )

    def _cover(self, job: BookletJob, counts: list[int]) -> tuple[bytes, int, float]:
        """The cover and contents as a PDF, its page count, and the layout time. The page
        numbers in the contents depend on how many pages the contents take: laid out with a
        guess first, then with the count that gave, until the two agree."""
        guess = 1 + max(1, -(-len(counts) // 30))
        layout = 0.0
        for _ in range(MAX_CONTENTS_PAGES):
            html = self.templates.booklet(job.cover, contents_starts(guess, counts))
            start = time.perf_counter()
            document = self.renderer.layout(html)
            layout += time.perf_counter() - start
            if len(document.pages) == guess:
                return self.renderer.write(document, job.attachments, job.date), guess, layout
            guess = len(document.pages)
        raise RuntimeError(f"the contents of {job.target} do not settle on a page count")

    def _stamp_pdf(self, total: int, folder: str) -> bytes:
        """The page numbers 2 to `total`, one per page: the same for every booklet of that
        length, so kept in memory and in `folder`."""
        if total in self._stamps:
            return self._stamps[total]
        # Whatever makes the stamps: the stylesheet and fonts, the template, WeasyPrint.
        made_by = "\0".join(
            [
                self.renderer.setup.stylesheet,
                self.templates.stamps(range(2, 3)),
                weasyprint.__version__,
            ]
        )
        setup = hashlib.sha256(made_by.encode("utf-8")).hexdigest()[:16]
        cached = Path(folder, f"{setup}-{total}.pdf") if folder else None
        if cached is not None and cached.is_file():
            data = cached.read_bytes()
        else:
            with collector_paused():
                document = self.renderer.layout(self.templates.stamps(range(2, total + 1)))
                data = document.write_pdf()
            if cached is not None:
                write_atomically(cached, data)
        self._stamps[total] = data
        return data


def _lay_over(pdf: Pdf, page: pikepdf.Page, stamp: pikepdf.Page, number: int) -> None:
    """Draw `stamp` (a page of the same size) over `page`, booklet page `number`. pikepdf's
    add_overlay would name the drawing at random, and the same booklet would not come out
    byte for byte the same; the pages of one form share their resources, so each page's
    drawing has a name of its own."""
    name = pikepdf.Name(f"/JixiaoBookletPage{number}")
    drawing = pdf.copy_foreign(stamp.as_form_xobject())
    page.add_resource(drawing, pikepdf.Name.XObject, name=name)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ q " + bytes(name.unparse()) + b" Do Q\n")


def _subset_tag(seed: str) -> str:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _retag_fonts(member: Pdf, salt: str) -> None:
    """Give a form's font subsets tags of their own. Every document names its subset of the
    same font alike (`ABCDEF+Noto…`), but within one file different subsets must have
    different tags (ISO 32000-1, 9.6.4)."""
    seen: set[tuple[int, int]] = set()
    for page in member.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            if font.objgen in seen or "/BaseFont" not in font:
                continue
            seen.add(font.objgen)
            name = str(font.BaseFont)[1:]
            if len(name) < 8 or name[6] != "+":
                continue
            renamed = pikepdf.Name("/" + _subset_tag(f"{salt}:{name}") + name[6:])
            font.BaseFont = renamed
            for descendant in font.get("/DescendantFonts", []):
                descendant.BaseFont = renamed
                if "/FontDescriptor" in descendant:
                    descendant.FontDescriptor.FontName = renamed
            if "/FontDescriptor" in font:
                font.FontDescriptor.FontName = renamed


def _outline_items(member: Pdf, offset: int) -> list[OutlineItem]:
    """A form's bookmarks, pointing at its pages in the booklet (`offset` pages on)."""
    pages = {page.objgen: index for index, page in enumerate(member.pages)}

    def copy(item: OutlineItem) -> OutlineItem:
        index, top = 0, None
        destination = item.destination
        if isinstance(destination, pikepdf.Array) and len(destination) >= 1:
            index = pages.get(destination[0].objgen, 0)
            if len(destination) >= 4 and destination[1] == pikepdf.Name.XYZ:
                top = destination[3]
        copied = OutlineItem(
            item.title,
            offset + index,
            "XYZ" if top is not None else None,
            left=0 if top is not None else None,
            top=float(top) if top is not None else None,
        )
        copied.children.extend(copy(child) for child in item.children)
        return copied

    with member.open_outline() as outline:
        return [copy(item) for item in outline.root]
