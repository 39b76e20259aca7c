"""The open data: each project's record and source, the tables and data packages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..build_options import BuildOptions
from ..form.dates import full_date
from ..form.load import load_config
from ..opendata.catalogue import DATA_PAGE, data_catalogue
from ..opendata.export import Changes, write_project_files, write_tables
from ..opendata.records import ProjectData, exported_projects, project_share
from ..opendata.stored import DataStore, StoredData
from ..publish.datadate import committed_on
from ..publish.staging import Staging
from ..rules.spill import SpilledForms
from ..site.render import Page, build_date, write_pages
from .base import OutputContext, OutputReport


@dataclass(frozen=True)
class OpenDataState:
    """What the next build keeps: every project's rows (content-relative file -> its data)
    and the tables' signatures (none when the tables were left for later: then the next
    build writes them all)."""

    data: dict[str, ProjectData | StoredData]  # pickled, a StoredData is its ProjectData
    tables: dict[str, str]


class OpenData:
    """Written in this process, while the search index and the PDFs are made alongside."""

    name = "export"
    needs: tuple[str, ...] = ()
    alongside = False
    writes = (
        "beside each project page its record and source; data/: tables, data packages, the "
        "SQLite file, and the data page (data/index.html), which lists them with their sizes"
    )
    reuses = (
        "the rows, records and sources of the projects not re-read, or re-read for their pages "
        "alone after a change of templates (kept in the manifest), and every table whose rows "
        "are unchanged"
    )

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`)."""
        return True

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        return lambda: self._export(context)

    @staticmethod
    def _export(context: OutputContext) -> OutputReport:
        """Each re-read project's record and source, then every table from all rows."""
        plan, staging = context.plan, context.staging
        data: dict[str, ProjectData | StoredData] = dict(plan.kept_data)
        forms = context.result.projects
        # Forms kept on disk (a build): their shares kept beside them, read back by the tables.
        store = (
            DataStore(forms.store.folder, forms.store) if isinstance(forms, SpilledForms) else None
        )
        written = 0
        fresh: list[ProjectData | StoredData] = []
        # Every form re-read for its pages alone (the templates changed): the shares, records
        # and sources the plan keeps are those published, whatever the templates.
        leave = plan.left_as_published(context.file_of)
        for item in exported_projects(context.result, leave):
            rel = context.file_of[item.checked.file]
            made, tables = project_share(item, context.config.base_url)
            written += len(write_project_files(staging, item, made))
            data[rel] = made if store is None else store.put(made, tables)
            fresh.append(data[rel])
        signatures: dict[str, str] = {}
        if context.tables or not plan.incremental:
            # What the published tables no longer hold: every re-read and removed project.
            gone = {share.sort_key: share for share in plan.gone_data.values()}
            changes = Changes(gone, fresh)  # type: ignore[arg-type]
            tables, signatures = write_tables(
                data.values(),
                context.config,
                staging,
                plan.kept_tables,
                build_date(context.site),
                changes if plan.incremental else None,
            )
            written += len(tables)
        written += len(_write_data_page(context, list(data.values())))
        return OutputReport(figures={"data_files": written}, state=OpenDataState(data, signatures))


def _write_data_page(context: OutputContext, data: list[ProjectData]) -> list[str]:
    """data/index.html, once the files it lists are written: their sizes and rows."""
    page = Page(DATA_PAGE, "data.html", {"catalogue": data_catalogue(data, context.staging)})
    return write_pages(
        context.site,
        context.config,
        context.staging,
        {"pdf": context.pdf},
        [page],
        context.templates,
    )


OPEN_DATA = OpenData()


def refresh_tables(options: BuildOptions) -> int:
    """Write the open-data tables that builds with `tables=False` left out, in place, from the
    manifest kept in memory; returns the files written. For the preview, between edits."""
    manifest = options.manifest
    state = manifest.current() if manifest is not None else None
    if manifest is None or state is None or state.tables:
        return 0
    config, _, _ = load_config(options.content)
    if config is None:
        return 0
    kept = state.files.values()
    # The date of the data as the pages say it (`site.render.build_date`): git's, else the
    # latest 填报日期, else none.
    # A month alone names no day: it gives no date of the data (`form.dates.full_date`).
    dates = [day for item in kept if (day := full_date(item.summary.filled_on))]
    written, signatures = write_tables(
        [item.data for item in kept],
        config,
        Staging(options.site),
        state.tables,
        committed_on(options.content) or max(dates, default=None),
    )
    manifest.update_tables(signatures)
    return len(written)
