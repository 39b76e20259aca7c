"""The publish stage of a build: the staging folder takes the site's place, then what the
outputs do once it is in place (`OutputReport.after_publish`)."""

from __future__ import annotations

from pathlib import Path

from .. import faults
from ..outputs.base import OutputContext, OutputReport
from ..timing import Timer
from .spare import remove_old_sites_now


def publish_stage(
    site: Path,
    cache: Path,
    context: OutputContext,
    reports: dict[str, OutputReport],
    timer: Timer,
) -> None:
    """Stage publish: the staging folder replaces `site` (or is moved into it, removing what
    this build no longer makes: the context's stale paths and those the outputs replaced);
    then each output's `after_publish`. Starts at the fault point `stage:publish`; raises
    what `Staging.publish` raises (an `OutputWriteError` for a write the machine refuses).
    The site replaced is kept as the spare or removed in the background (`staging.publish`),
    unless an output's `after_publish` counts the links of the published files
    (`OutputReport.counts_links`: a cache pruned now): then it is removed first."""
    faults.point("stage:publish")
    timer.begin("publish")
    deletions = [*context.stale, *(path for r in reports.values() for path in r.replaced)]
    counts_links = any(report.counts_links for report in reports.values())
    context.staging.publish(site, deletions, cache, remove_old_later=not counts_links)
    if counts_links:  # and the sites replaced by the builds before, if still being removed
        remove_old_sites_now(site)
    for report in reports.values():
        if report.after_publish is not None:
            report.after_publish()
    timer.lap("publish")
