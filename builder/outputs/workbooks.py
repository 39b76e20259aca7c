"""Each project's form as an Excel workbook in the official layout, beside its PDF."""

from __future__ import annotations

from collections.abc import Callable, Container
from pathlib import Path
from typing import TYPE_CHECKING

from .. import urls
from ..opendata.records import exported_keys, exported_projects
from ..rules.spill import SpilledForms
from .base import OutputContext, OutputReport

if TYPE_CHECKING:
    from ..workbook.forms import SpilledChunk


class Workbooks:
    """Made alongside: with many forms, in worker processes forked when it starts."""

    name = "xlsx"
    needs: tuple[str, ...] = ()
    alongside = True
    writes = "<year>/<unit>/<project>/<id>.xlsx: the form in the official layout"
    reuses = (
        "the workbooks of the projects not re-read, or re-read for their pages alone after a "
        "change of templates (linked with the rest of the site), any "
        "whose bytes are those published, and any made before from the same grid, hard-linked "
        "from the cache (.cache/xlsx)"
    )

    def wanted(self, context: OutputContext) -> bool:
        """Whether this build makes this output (see `base.Output`)."""
        return True

    def start(self, context: OutputContext) -> Callable[[], OutputReport]:
        """Begin; returns the rest of the work (see `base.Output`)."""
        from ..workbook.forms import FormWorkbooks

        forms = context.result.projects
        cache = context.cache / "xlsx"
        # The pages made anew (the templates changed): a form not edited keeps its workbook.
        leave = context.plan.left_as_published(context.file_of)
        if isinstance(forms, SpilledForms):  # the workers read the forms back themselves
            spilled = _spilled_chunks(forms, leave)
            running = FormWorkbooks(context.staging, [], context.jobs, cache, spilled)
        else:
            jobs = [
                (urls.project_xlsx(item.project, item.unit_slug), item.project)
                for item in exported_projects(context.result, leave)
            ]
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


def _spilled_chunks(forms: SpilledForms, leave: Container[Path] = ()) -> list[SpilledChunk]:
    """The workbooks of the forms `exported_projects` gives, in its order, but those whose
    file is in `leave`, a chunk for each run of forms of one batch of the spill store."""
    from ..workbook.forms import SpilledChunk

    chunks: list[SpilledChunk] = []
    places: list[tuple[str, int]] = []
    batch = -1
    for key in exported_keys(forms):
        if key.file in leave:
            continue
        if key.batch != batch and places:
            chunks.append(SpilledChunk(forms.store.folder, batch, tuple(places)))
            places = []
        batch = key.batch
        places.append((urls.unit_slug(key.file), key.offset))
    if places:
        chunks.append(SpilledChunk(forms.store.folder, batch, tuple(places)))
    return chunks


WORKBOOKS = Workbooks()
