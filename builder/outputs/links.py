"""The download links that give a PDF's size and pages (`PDF, 103 KB, 2 页`).

The pages are written before the PDFs exist (the PDFs are made alongside, while the search
indexes the pages). Once both are done, the pages that link a PDF made or kept in this build
(the project pages rendered in it; the unit, department and year pages in its scope, which
link the unit booklets) are rendered again with the facts of the files themselves
(`pdf/facts.py`). The links are outside the search's body
(`data-pagefind-ignore`), so the index made from the first rendering stays right.
"""

from __future__ import annotations

from collections.abc import Callable

from ..publish.staging import Staging
from ..site.render import pages, project_page, write_pages
from ..site.spilled import ProjectPages, SpilledViews
from .base import OutputContext, OutputReport

# The templates whose pages link a PDF with its facts: a project's form and its unit's
# booklet; a unit's booklet; each unit's booklet in a department's or a year's table of units.
LINKING = frozenset({"project.html", "group.html", "year.html"})


class _Afresh(Staging):
    """The build's staging folder, where a page is written afresh: the page written without
    the facts a moment ago is removed first, then the new one compared with the published
    page (an incremental build then keeps the published one when they are the same)."""

    @classmethod
    def of(cls, staging: Staging) -> _Afresh:
        """The same staging folder, writing afresh."""
        return cls(staging.root, staging.published, staging.site, staging.remove_old_later)

    def write(self, site_path: str, data: bytes) -> bool:
        """`Staging.write`, once the file written a moment ago is gone."""
        (self.root / site_path).unlink(missing_ok=True)
        return super().write(site_path, data)


class PdfLinks:
    """Rendered in this process, after the pages, the search index and the PDFs."""

    name = "links"
    needs: tuple[str, ...] = ("render", "search", "pdf")
    alongside = False
    writes = (
        "the project, unit, department and year pages of this build again, their PDF links "
        "with size and pages"
    )
    reuses = "every page whose bytes, facts included, are those published"

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`): only with the PDFs."""
        return context.pdf and context.config.pdf.enabled

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        return lambda: self._write(context)

    @staticmethod
    def _write(context: OutputContext) -> OutputReport:
        from ..pdf.facts import FactsOf

        site, views = context.site, context.views
        linking = [p for p in pages(site, (), context.scope) if p.template in LINKING]
        more: list[ProjectPages] = []
        if isinstance(views, SpilledViews):  # each batch read back where it is rendered
            more = [ProjectPages(site, part, project_page) for part in views.parts()]
        else:
            linking += [project_page(site, view) for view in views]
        written = write_pages(
            site,
            context.config,
            _Afresh.of(context.staging),
            {"pdf": context.pdf},
            linking,
            context.templates,
            pdf_facts=FactsOf(context.staging.root),
            jobs=context.jobs,
            more=more,
        )
        return OutputReport(figures={}, written=written)


PDF_LINKS = PdfLinks()
