"""The Pagefind search index: one bundle per search part (a year, or a share of one)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from .. import urls
from ..publish.plan import parts_to_index
from ..publish.staging import link_missing
from ..search.pagefind import SearchPart, write_search_index
from .base import OutputContext, OutputReport


class Search:
    """Pagefind runs in processes of its own, handed the pages (written by then) in the order
    of their paths: it indexes while this process goes on (open data). Its files are written
    through the staging folder's checked writer."""

    name = "search"
    needs: tuple[str, ...] = ("render",)
    alongside = True
    writes = "pagefind/<year>/<part>/: one bundle per search part"
    reuses = "the bundles of parts in which no project page was rewritten, added or removed"

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`)."""
        return context.search

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        parts = context.site.search_parts
        replaced: list[str] = []
        if context.plan.incremental:
            parts = parts_to_index(
                context.site_dir,
                context.site,
                context.reports["render"].written,
                context.plan,
                context.stale,
            )
            self._link_unchanged_pages(context, parts)
            replaced = [part.bundle for part in parts]
        return partial(self._index, context, parts, replaced)

    @staticmethod
    def _link_unchanged_pages(context: OutputContext, parts: list[SearchPart]) -> None:
        """A part is indexed whole: its units' published pages that were not rewritten are
        hard-linked into the staging folder beside the new ones (no copying)."""
        site_dir, staged = context.site_dir, context.staging.root
        for part in parts:
            for unit in part.units:
                link_missing(
                    site_dir / urls.unit_dir(part.year, unit),
                    staged / urls.unit_dir(part.year, unit),
                    skip=[site_dir / stale for stale in context.stale],
                )

    @staticmethod
    def _index(
        context: OutputContext, parts: list[SearchPart], replaced: list[str]
    ) -> OutputReport:
        staging = context.staging
        indexed = write_search_index(
            staging.root,
            parts,
            lambda path, data: staging.write_fresh(path, (data,)),
            jobs=context.jobs,
        )
        return OutputReport(figures={"indexed": indexed}, replaced=replaced)


SEARCH = Search()
