"""Findings as GitHub Actions workflow commands, so that they show on the lines they concern.

`::error file=...,line=...,col=...,title=...::message` is read by GitHub from a job's log and
shown on the commit, the pull request and the file; see "Workflow commands for GitHub Actions".
"""

from __future__ import annotations

from collections.abc import Iterable

from ..form.chars import printable
from ..rules.findings import LocatedFinding, Severity

GITHUB_COMMAND = {
    Severity.error: "error",
    Severity.warning: "warning",
    Severity.note: "notice",
}


def _escape_data(text: str) -> str:
    """GitHub's escapes of a command's message; the caller makes form text `printable` first."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _shown(text: str) -> str:
    """Form text made `printable` line by line: its newlines stay (GitHub's `%0A` makes them
    lines of the annotation, never of the log), every other control shows as an escape."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(located: LocatedFinding) -> str:
    """One finding as one workflow command line: `::error file=F,line=L,col=C,title=T::M`,
    with GitHub's escapes (`%25`, `%0A`, and `%3A`, `%2C` in the properties). Text from the
    form shows its controls as escapes and its newlines as `%0A`: never a line of the log."""
    finding = located.finding
    properties = {
        "file": printable(located.file.as_posix()),
        "line": str(located.line),
        "col": str(located.column),
        "title": f"{finding.severity}[{finding.code}]",
    }
    message = _shown(finding.message)
    if finding.field:
        message = f"{_shown(finding.field)}: {message}"
    if finding.hint:
        message += f"\n{_shown(finding.hint)}"
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{GITHUB_COMMAND[finding.severity]} {joined}::{_escape_data(message)}"


def github_annotations(findings: Iterable[LocatedFinding], show_notes: bool = False) -> list[str]:
    """One workflow command line per finding, in the order given; notes only if `show_notes`."""
    return [
        github_annotation(located)
        for located in findings
        if show_notes or located.finding.severity is not Severity.note
    ]
