"""Each project's PDF and each unit's booklet, rendered by worker processes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import SiteConfig
from ..executor import Executor
from .base import OutputContext, OutputReport

if TYPE_CHECKING:
    from ..pdf.jobs import RenderSetup
    from ..pdf.pool import WarmWorkers

# builder.pdf is imported only by a build that makes PDFs: a build with nothing to do, or
# one without PDFs, does not pay for loading it.


class Pdfs:
    """The worker processes (started early in the build, warm) or a dask cluster lay the
    documents out while this process writes the open data."""

    name = "pdf"
    needs: tuple[str, ...] = ()
    alongside = True
    writes = "<year>/<unit>/<project>/*.pdf and each unit's booklet"
    reuses = "every PDF whose document is unchanged, hard-linked from the cache (.cache/pdf)"

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`)."""
        return context.pdf

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        return lambda: self._render(context)

    @staticmethod
    def _render(context: OutputContext) -> OutputReport:
        cache = context.cache / "pdf"
        from ..pdf.stage import write_pdfs
        from ..site.render import build_date

        pdfs = write_pdfs(
            context.result,
            context.config,
            context.config.pdf,
            context.staging.root,
            cache,
            context.jobs,
            executor=context.executor,
            warm=context.warm,
            data_date=build_date(context.site),
            form_dates=_form_dates(context),
        )
        if context.warm is not None:
            # Their work is done: the pages rendered again next (`links`) need the memory
            # more than idle workers do (a worker that laid out 500 forms holds 200 MB).
            context.warm.pool.shutdown(wait=True)
        rendered = pdfs.rendered + pdfs.booklets_rendered
        report = OutputReport(
            figures={
                "pdfs_rendered": rendered,
                "pdfs_reused": pdfs.reused + pdfs.booklets_reused,
                "missing_glyphs": pdfs.missing_glyphs,
            },
            written=pdfs.written,
            state=pdfs.keys,  # the PDF links' facts are known by their keys (`links`)
        )
        if pdfs.linked and rendered > 0:
            # Once published, the versions this build replaced have no link left.
            full = not context.plan.incremental
            from ..pdf.cache import prune_cache_when_due, prune_due

            report.after_publish = lambda: prune_cache_when_due(cache, rendered, now=full)
            # Only a build that prunes waits for the old site to be removed; every other one
            # leaves that to the background (at 10,000 forms, removing the whole site).
            report.counts_links = prune_due(cache, rendered, now=full)
        return report


def _form_dates(context: OutputContext) -> dict[Path, dt.date]:
    """The form's file (`CheckedProject.file`) -> its 最近更新 from git (`publish.dates`), as its page says
    it; the forms git cannot date are left out (their PDFs say the site's date of the data)."""
    updated = {s.file: s.updated_on for s in context.site.projects if s.updated_on is not None}
    return {key: updated[rel] for key, rel in context.file_of.items() if rel in updated}


PDFS = Pdfs()


# Up to this many edited forms, one early worker is enough: a form, then its unit's booklet.
EDITS_FOR_ONE_WORKER = 8


class EarlyWorkers:
    """The PDF stage's worker processes, started early in a build and closed at its end."""

    def __init__(self) -> None:
        self.warm: WarmWorkers | None = None

    def start(
        self,
        config: SiteConfig | None,
        cache: Path,
        jobs: int,
        edits: int | None,
        executor: Executor,
    ) -> WarmWorkers | None:
        """Something changed (`edits` files; None when no PDFs are made): the workers start
        now and get WeasyPrint ready while the build checks and renders. None when the PDFs
        are not made in local processes. Started once per build: a later call returns them."""
        if edits is None or executor.remote:
            return None
        if self.warm is None:
            count = jobs if edits > EDITS_FOR_ONE_WORKER else 1
            from ..pdf.pool import warm_workers

            self.warm = warm_workers(count, _early_render_setup(config, cache / "pdf"))
        return self.warm

    def close(self, wait: bool) -> None:
        """Stop the workers. After a build that finished they are idle: `wait` lets them exit
        cleanly (the interpreter's own exit hook then finds no pool to wake). After a failure
        or an interrupt the build does not wait for what they were doing."""
        if self.warm is not None:
            self.warm.pool.shutdown(wait=wait, cancel_futures=True)
            self.warm = None


def _early_render_setup(config: SiteConfig | None, cache: Path) -> RenderSetup | None:
    """The PDF workers' set-up from the build's settings (`config`, None when site.yaml is
    unusable), if it can be had before checking; else they make it later, and a problem (a
    missing font) is reported by the PDF stage, where it belongs."""
    if config is None:
        return None
    try:
        from ..pdf.setup import render_setup

        return render_setup(config, cache)
    except Exception:
        return None
