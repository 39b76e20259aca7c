"""Each project's form as an Excel workbook in the official layout, beside its PDF."""

from __future__ import annotations

from collections.abc import Callable

from .. import urls
from ..opendata.records import exported_projects
from .base import OutputContext, OutputReport


class Workbooks:
    """Made alongside: with many forms, in worker processes forked when it starts."""

    name = "xlsx"
    needs: tuple[str, ...] = ()
    alongside = True
    writes = "<year>/<unit>/<project>/<id>.xlsx: the form in the official layout"
    reuses = (
        "the workbooks of the projects not re-read (linked with the rest of the site), any "
        "whose bytes are those published, and any made before from the same grid, hard-linked "
        "from the cache (.cache/xlsx)"
    )

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`)."""
        return True

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        from ..workbook.forms import FormWorkbooks

        jobs = [
            (urls.project_xlsx(item.project, item.unit_slug), item.project)
            for item in exported_projects(context.result)
        ]
        cache = context.cache / "xlsx"
        running = FormWorkbooks(context.staging, jobs, context.jobs, cache)

        def finish() -> OutputReport:
            written = running.written()
            report = OutputReport(figures={"workbooks": len(written)}, written=written)
            if running.made:  # once published, the versions this build replaced have no link
                from ..workbook.cache import prune_when_due

                full = not context.plan.incremental
                report.after_publish = lambda: prune_when_due(cache, running.made, now=full)
            return report

        return finish


WORKBOOKS = Workbooks()
