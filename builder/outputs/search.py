"""The search indexes: Pagefind's, one bundle per search part (a year, or a share of one), and
the substring index of names, units, departments, ids and figures (`search/substring.py`)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from .. import urls
from ..publish.plan import parts_to_index
from ..publish.staging import link_missing
from ..search.pagefind import SearchPart, write_search_index
from ..search.substring import FOLDER as SUBSTRING_FOLDER
from ..search.substring import index_pieces, same_records
from ..search.substring_update import updated_files
from .base import OutputContext, OutputReport


class Search:
    """Pagefind runs in processes of its own (here, or on the build's Dask cluster), handed
    the pages (written by then) in the order of their paths: it indexes while this process
    goes on (open data). Its files are written through the staging folder's checked writer."""

    name = "search"
    needs: tuple[str, ...] = ("render",)
    alongside = True
    writes = (
        "pagefind/<year>/: the year's reader bundle, merged from its parts' bundles "
        "pagefind/<year>/<part>/; search/substring/"
    )
    reuses = (
        "the index of every part whose pages give Pagefind the text, URLs and order of a part "
        "kept in the cache (.cache/search: a template change outside the indexed text, "
        "`--full`, runs no Pagefind: `search/partcache.py`); "
        "the bundles of parts in which no project page was rewritten, added or removed, the "
        "reader bundles of years without such a part or whose parts indexed anew came out "
        "as published (`search/reuse.py`; a year that lost a whole part is merged again from "
        "the parts left, indexing nothing), and the substring index when the projects give "
        "the records published, its changed files only when they change records in the "
        "order published (`search/substring_update.py`; else it is made anew: 0.8 s at "
        "10,000)"
    )

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`): always, since a build
        that leaves Pagefind out (the preview's, `BuildOptions.search` false) still makes the
        substring index, a second's work at 10,000 projects, so that its search page finds
        names, units and figures at once."""
        return True

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        if not context.search:
            return partial(self._substring, context)
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
            if not context.staging.mirrored:  # else every published page is there already
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
    def _write_substring(context: OutputContext) -> list[str]:
        """The substring index, each file written as it is made (none held after); returns
        what an incremental build replaces of the published site: nothing when its projects
        give the records published (`same_records`: a contact or a goal edited), whose files
        are then kept as they are, nor when they change records without changing their
        order (a figure, a grade), whose few changed files are then written over the
        published index (`substring_update.updated_files`); else the whole folder."""
        plan = context.plan
        if plan.incremental:
            projects, removed = context.site.projects, len(plan.removed)
            published = context.site_dir / SUBSTRING_FOLDER / "meta.json"
            if same_records(published, projects, plan.previous, plan.changed, removed):
                return []
            files = updated_files(context.site_dir, projects, plan.previous, plan.changed, removed)
            if files is not None:
                for path, data in files:
                    context.staging.write_fresh(path, (data,))
                return []
        for path, data in index_pieces(context.site.projects):
            context.staging.write_fresh(path, (data,))
        return [SUBSTRING_FOLDER] if plan.incremental else []

    @staticmethod
    def _substring(context: OutputContext) -> OutputReport:
        replaced = Search._write_substring(context)
        return OutputReport(figures={"indexed": 0}, replaced=replaced)

    @staticmethod
    def _index(
        context: OutputContext, parts: list[SearchPart], replaced: list[str]
    ) -> OutputReport:
        staging = context.staging
        incremental = context.plan.incremental
        stale: list[str] = []
        with ThreadPoolExecutor(1, "jixiao-substring") as pool:
            # Made while Pagefind indexes, in processes of its own.
            substring = pool.submit(Search._write_substring, context)
            indexed = write_search_index(
                staging.root,
                parts,
                lambda path, data: staging.write_fresh(path, (data,)),
                jobs=context.jobs,
                executor=context.executor,
                every_part=context.site.search_parts,
                published=context.site_dir if incremental else None,
                stale=stale,
                cache_dir=context.cache,
            )
            substring_replaced = substring.result()
        replaced = [*replaced, *stale, *substring_replaced] if incremental else replaced
        return OutputReport(figures={"indexed": indexed}, replaced=replaced)


SEARCH = Search()
