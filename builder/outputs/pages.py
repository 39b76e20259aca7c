"""The HTML pages, the feed, the sitemap, robots.txt and the static assets."""

from __future__ import annotations

from collections.abc import Callable

from ..rules.holdback import HELD_BACK_FILE, held_back_json
from ..site.render import write_site
from .base import OutputContext, OutputReport
from .links import first_facts


class Pages:
    """Rendered in batches by the build's executor (local processes, which inherit the view
    through fork, or a Dask cluster) and written in this process."""

    name = "render"
    needs: tuple[str, ...] = ()
    alongside = False
    writes = (
        "every HTML page, feed.xml, sitemap.xml, robots.txt, assets/, and held-back.json: the "
        "forms held back (`rules.holdback`), an empty list when none; the PDF links with the "
        "facts the last build's PDFs had (`links` renders again those that turn out otherwise)"
    )
    reuses = (
        "the listings outside the plan's scope and the pages of projects not re-read; any "
        "page whose bytes are those published"
    )

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`)."""
        return True

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        return lambda: self._write(context)

    def _write(self, context: OutputContext) -> OutputReport:
        # With the PDFs: their links say the facts the last build's PDFs had (`links`).
        first = first_facts(context)
        written = write_site(
            context.site,
            context.views,
            context.config,
            context.staging,
            {"pdf": context.pdf},
            jobs=context.jobs,
            scope=context.scope,
            progress=context.progress,
            env=context.templates,
            executor=context.executor,
            pdf_facts=None if first is None else first.texts,
        )
        if context.staging.write(HELD_BACK_FILE, held_back_json(context.site.held_back)):
            written.append(HELD_BACK_FILE)
        return OutputReport(figures={"pages": len(written)}, written=written, state=first)


PAGES = Pages()
