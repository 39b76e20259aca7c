"""The download links that give a PDF's size and pages (`PDF, 103 KB, 2 页`).

The pages are written before the PDFs exist (the PDFs are made alongside, while the search
indexes the pages). So they are first rendered with the facts of the PDFs the last build
placed at their paths, as the PDF cache's memo knows them (`pdf/facts.py`, `first_facts`):
rebuilding a site whose PDFs all come from the cache (a template changed) renders each page
once. Once the PDFs and the search are done, the facts of the files themselves are read (from
the memo, for a cached file it knows; else the file is opened) and the pages whose links turn
out otherwise are rendered again: those rendered in this build (project pages, the unit,
department and year pages in its scope) that show a PDF whose facts differ from what they
were rendered with, and the unit, department and year pages of the site that show a PDF this
build placed whose facts differ from what the published page says. The links are outside the
search's body (`data-pagefind-ignore`), so the index made from the first rendering stays right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import urls
from ..publish.staging import Staging
from ..site.render import Page, pages, project_links, project_page, write_pages
from ..site.spilled import ProjectPages, SpilledViews
from .base import OutputContext, OutputReport

if TYPE_CHECKING:
    from ..pdf.facts import FactsMemo, FactsReader
    from ..site.project_view import ProjectView

# The templates whose pages link a PDF with its facts (`linked_pdfs`): a project's form; a
# unit's booklet; each unit's booklet in a department's or a year's table of units.
LINKING = frozenset({"project.html", "group.html", "year.html"})


@dataclass(frozen=True)
class FirstFacts:
    """What the pages are first rendered with: `texts`, site path -> `PDF, 103 KB, 2 页` of
    the PDF the last build placed there, from `memo`, the PDF cache's (`pdf.facts`)."""

    memo: FactsMemo
    texts: dict[str, str]


def first_facts(context: OutputContext) -> FirstFacts | None:
    """The PDF links' texts known before the PDFs are made, for the render stage; None when
    this build makes no PDF links (the pages then link a PDF, if at all, as `PDF`)."""
    if not PDF_LINKS.wanted(context):
        return None
    from ..pdf.facts import FactsMemo

    memo = FactsMemo.load(context.cache / "pdf")
    return FirstFacts(memo, memo.predicted())


def linked_pdfs(page: Page) -> list[str]:
    """The site paths of the PDFs whose facts `page` shows (a page of `LINKING`; the
    `pdf_facts.get` of project.html, group.html and the table of units, `_macros.html`)."""
    context = page.context
    if page.template == "project.html":
        return [project_links(context["p"])["pdf"]]
    if page.template == "year.html":
        return [unit.booklet for unit in context["year"].units]
    if page.template == "group.html":
        group = context["group"]
        if context["kind"] == "unit":
            return [group.booklet]
        return [unit.booklet for unit in group.children]
    return []


class _Afresh(Staging):
    """The build's staging folder, where a page is written afresh: the page written without
    the facts a moment ago is removed first, then the new one compared with the published
    page (an incremental build then keeps the published one when they are the same)."""

    @classmethod
    def of(cls, staging: Staging) -> _Afresh:
        """The same staging folder, writing afresh."""
        made = cls(staging.root, staging.published, staging.site, staging.remove_old_later)
        made.mirrored = staging.mirrored
        return made

    def write(self, site_path: str, data: bytes) -> bool:
        """`Staging.write`, once the file written a moment ago is gone."""
        (self.root / site_path).unlink(missing_ok=True)
        return super().write(site_path, data)


class _Again:
    """Which pages to render again, and the texts they are to show: `first`, the texts the
    pages were rendered with; `reader`, the facts of the PDFs as published."""

    def __init__(self, first: dict[str, str], reader: FactsReader) -> None:
        self.first = first
        self.reader = reader
        self.texts: dict[str, str] = {}  # the facts of the PDFs of the pages to render again

    def differs(self, paths: Iterable[str]) -> bool:
        """Whether a link to one of `paths` was rendered with other facts than the file's."""
        return any(self.first.get(path) != self.reader.text(path) for path in paths)

    def take(self, paths: Iterable[str]) -> None:
        """A page linking `paths` is to be rendered again: their texts are needed."""
        for path in paths:
            if (text := self.reader.text(path)) is not None:
                self.texts[path] = text

    def listings(self, context: OutputContext, placed: dict[str, str]) -> list[Page]:
        """The unit, department and year pages to render again: those of this build (its
        scope) showing a PDF whose facts differ from those they were rendered with, and the
        others (as published) showing a PDF placed by this build whose facts differ."""
        scope = context.scope
        rendered = None if scope is None else {p.path for p in pages(context.site, (), scope)}
        again = []
        for page in pages(context.site, ()):
            if page.template not in LINKING:
                continue
            paths = linked_pdfs(page)
            if rendered is None or page.path in rendered:
                shown = paths
            else:
                shown = [path for path in paths if path in placed]
            if self.differs(shown):
                self.take(paths)
                again.append(page)
        return again

    def projects(self, context: OutputContext) -> tuple[list[Page], list[ProjectPages]]:
        """The pages of this build's projects whose PDF's facts differ from those they were
        rendered with: made here, or (forms kept on disk) batches read back where rendered."""
        views: Sequence[ProjectView] = context.views
        if not isinstance(views, SpilledViews):
            made = [
                project_page(context.site, view)
                for view in views
                if self.differs([project_links(view)["pdf"]])
            ]
            for page in made:
                self.take(linked_pdfs(page))
            return made, []
        keys = [key for key in views.forms.keys if self.differs([_form_pdf(key)])]
        for key in keys:
            self.take([_form_pdf(key)])
        chosen = SpilledViews(views.forms.subset(keys), views.policies)
        return [], [ProjectPages(context.site, part, project_page) for part in chosen.parts()]


def _form_pdf(key: Any) -> str:
    """The site path of the PDF of a form kept on disk (`rules.spill.FormKey`, read and
    scored), as `urls.project_pdf` names it."""
    year, ident = key.ids[0], key.ids[1]
    return f"{urls.unit_dir(year, urls.unit_slug(key.file))}{ident}/{ident}.pdf"


class PdfLinks:
    """Rendered in this process, after the pages, the search index and the PDFs."""

    name = "links"
    needs: tuple[str, ...] = ("render", "search", "pdf")
    alongside = False
    writes = (
        "the project, unit, department and year pages whose PDF links were rendered with "
        "other facts (size and pages) than those of the PDFs made or kept, again"
    )
    reuses = (
        "every page rendered with the facts its PDFs have; the facts of every PDF the cache's "
        "memo knows (`pdf/facts.FactsMemo`), not opened"
    )

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`): only with the PDFs."""
        return context.pdf and context.config.pdf.enabled

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        return lambda: self._write(context)

    @staticmethod
    def _write(context: OutputContext) -> OutputReport:
        from ..pdf.facts import FactsMemo, FactsReader

        cache = context.cache / "pdf"
        first: FirstFacts | None = context.reports["render"].state
        memo = first.memo if first is not None else FactsMemo.load(cache)
        placed: dict[str, str] = context.reports["pdf"].state or {}
        staging = context.staging
        roots = [staging.root, *([staging.published] if staging.published else [])]
        again = _Again(
            first.texts if first is not None else {}, FactsReader(roots, placed, memo, cache)
        )
        listings = again.listings(context, placed)
        made, more = again.projects(context)
        written = write_pages(
            context.site,
            context.config,
            _Afresh.of(staging),
            {"pdf": context.pdf},
            [*listings, *made],
            context.templates,
            pdf_facts=again.texts,
            jobs=context.jobs,
            more=more,
        )
        memo.save(cache, placed, whole=not context.plan.incremental)
        figures = {
            "links_again": len(listings) + len(made) + sum(len(part) for part in more),
            "facts_read": again.reader.opened,
        }
        return OutputReport(figures=figures, written=written)


PDF_LINKS = PdfLinks()
