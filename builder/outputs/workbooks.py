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
        "the workbooks of the projects not re-read (linked with the rest of the site), and any "
        "whose bytes are those published"
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
        running = FormWorkbooks(context.staging, jobs, context.jobs)

        def finish() -> OutputReport:
            written = running.written()
            return OutputReport(figures={"workbooks": len(written)}, written=written)

        return finish


WORKBOOKS = Workbooks()
