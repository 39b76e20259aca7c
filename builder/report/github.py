"""Findings as GitHub Actions workflow commands, so that they show on the lines they concern.

`::error file=...,line=...,col=...,title=...::message` is read by GitHub from a job's log and
shown on the commit, the pull request and the file; see "Workflow commands for GitHub Actions".
"""

from __future__ import annotations

from collections.abc import Iterable

from ..form.chars import printable
from ..form.model import Project
from ..rules.findings import LocatedFinding, Severity
from ..rules.wording import worded

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


def github_annotation(
    located: LocatedFinding, lang: str = "zh", project: Project | None = None
) -> str:
    """One finding as one workflow command line: `::error file=F,line=L,col=C,title=T::M`,
    with GitHub's escapes (`%25`, `%0A`, and `%3A`, `%2C` in the properties). The title is
    `错误[code]` and the message Chinese (`wording.worded`; `project` is the form, when at
    hand), or `error[code]` and English when `lang` is "en"; the command (`error`, `warning`,
    `notice`) is GitHub's. Text from the form shows its controls as escapes and its newlines
    as `%0A`: never a line of the log."""
    finding = located.finding
    label, text, hint = worded(finding, lang, project)
    properties = {
        "file": printable(located.file.as_posix()),
        "line": str(located.line),
        "col": str(located.column),
        "title": f"{label}[{finding.code}]",
    }
    message = _shown(text)
    if finding.field:
        message = f"{_shown(finding.field)}: {message}"
    if hint:
        message += f"\n{_shown(hint)}"
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{GITHUB_COMMAND[finding.severity]} {joined}::{_escape_data(message)}"


def github_annotations(
    findings: Iterable[tuple[LocatedFinding, Project | None]],
    show_notes: bool = False,
    lang: str = "zh",
) -> list[str]:
    """One workflow command line per (finding, its form or None), in the order given, in
    `lang`; notes only if `show_notes`."""
    return [
        github_annotation(located, lang, project)
        for located, project in findings
        if show_notes or located.finding.severity is not Severity.note
    ]
