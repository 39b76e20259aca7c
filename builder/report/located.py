"""The findings of a check as plain data: where each is, what it says, and the line it is on."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..form.chars import printable
from ..form.model import Project
from ..rules.check import CheckedProject, CheckResult
from ..rules.findings import LocatedFinding, Severity
from ..rules.spill import SpilledForms
from ..rules.wording import chinese, worded
from .provenance import source_note, source_place


@dataclass(frozen=True)
class ReportedFinding:
    """One finding as every reporter shows it.

    `file` is the path as checked (posix), `line` and `column` count from 1 (columns in
    characters), `severity` is "error", "warning" or "note", `field` the value's path in the
    form (`indicators[3].weight`, "" for the whole file), `data` the figures behind the message
    (text), `message` and `hint` in English, `message_zh` and `hint_zh` in Chinese
    (`wording.chinese`), `source_line` the file's line it is on (None when not at hand:
    site.yaml, a file that could not be read), and `text` the terminal text in the language
    asked for: `file:line:column: 错误[code]: field: 中文 (提示)` (`severity[code]: field:
    message (hint)` in English), then the source line with a caret under the column. For a
    form imported by `jixiao import`, `source_file` and `source_place` say where the value (or
    its nearest parent with a place) was read in the original file, and the first line of
    `text` ends with them (`provenance.source_note`); None otherwise.
    """

    file: str
    line: int
    column: int
    severity: str
    code: str
    field: str
    message: str
    hint: str
    message_zh: str
    hint_zh: str
    data: dict[str, str]
    source_line: str | None
    text: str
    source_file: str | None = None
    source_place: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: every field above."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "message_zh": self.message_zh,
            "hint_zh": self.hint_zh,
            "data": dict(self.data),
            "source_line": self.source_line,
            "text": self.text,
            "source_file": self.source_file,
            "source_place": self.source_place,
        }


def reported_findings(
    result: CheckResult,
    show_notes: bool = True,
    severities: set[Severity] | None = None,
    lang: str = "zh",
) -> list[ReportedFinding]:
    """The findings of `result`, site.yaml's first, then each project's in order of the file.

    Notes are left out unless `show_notes`; `severities`, when given, keeps only those (e.g.
    `{Severity.error}` for what stops a build); `text` is in `lang` ("zh" or "en").
    """
    return list(iter_reported_findings(result, show_notes, severities, lang))


def iter_reported_findings(
    result: CheckResult,
    show_notes: bool = True,
    severities: set[Severity] | None = None,
    lang: str = "zh",
) -> Iterator[ReportedFinding]:
    """`reported_findings`, one at a time: a printer shows each as soon as it is worded."""
    sources = _sources(result)
    for located, project in located_with_forms(result):
        severity = located.finding.severity
        if severity is Severity.note and not show_notes:
            continue
        if severities is not None and severity not in severities:
            continue
        yield _reported(located, _source_line(sources, located), lang, project)


def located_with_forms(result: CheckResult) -> Iterator[tuple[LocatedFinding, Project | None]]:
    """Every finding of `result` in the order of `all_findings`, with the form it is about
    (None for site.yaml's and a form that could not be read): its rows word the Chinese."""
    for located in result.config_findings:
        yield located, None
    for checked in _with_findings(result):
        for located in checked.located:
            yield located, checked.project


def _sources(result: CheckResult) -> dict[Path, Any]:
    """The document of each file checked, the first when a file was checked twice."""
    sources: dict[Path, Any] = {}
    for checked in _with_findings(result):
        sources.setdefault(checked.file, checked.loaded.source)
    return sources


def _with_findings(result: CheckResult) -> Sequence[CheckedProject]:
    """The forms of `result` that have findings: of forms a build keeps on disk
    (`rules.spill`), only those are read back."""
    forms = result.projects
    if isinstance(forms, SpilledForms):
        return forms.subset([key for key in forms.keys if key.located])
    return forms


def _source_line(sources: dict[Path, Any], located: LocatedFinding) -> str | None:
    source = sources.get(located.file)
    if source is None:
        return None
    lines = source.lines  # split from the text only now: most files have no finding
    return lines[located.line - 1] if 0 < located.line <= len(lines) else None


def _reported(
    located: LocatedFinding, source_line: str | None, lang: str, project: Project | None
) -> ReportedFinding:
    finding = located.finding
    message_zh, hint_zh = chinese(finding, project)
    text = located.format(source_line, worded(finding, lang, project))
    note = source_note(project, finding.path, lang)
    if note:
        first, newline, rest = text.partition("\n")
        text = first + printable(note) + newline + rest
    place = source_place(project, finding.path)
    return ReportedFinding(
        file=located.file.as_posix(),
        line=located.line,
        column=located.column,
        severity=str(finding.severity),
        code=finding.code,
        field=finding.field,
        message=finding.message,
        hint=finding.hint,
        message_zh=message_zh,
        hint_zh=hint_zh,
        data=dict(finding.data),
        source_line=source_line,
        text=text,
        source_file=place[0] if place else None,
        source_place=place[1] if place else None,
    )
