"""Validate: rules that span several fields of a form, or several forms.

What cannot be placed is an error (a 一级指标 the form does not have, an id used twice); where
the form's own figures contradict each other it is scored as printed, with warnings
(`arithmetic.py`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from ..form.load import LoadedProject
from ..form.model import Project
from .arithmetic import arithmetic_findings
from .findings import Finding, Severity, figures
from .policy import ScoringPolicy
from .score import level_weights


def _rows(project: Project, worths: dict[str, Decimal]) -> list[Finding]:
    """Each row whose 一级指标 is not one of the form's (the policy's where the form prints
    none): an error, with the closest name as a hint."""
    findings: list[Finding] = []
    for index, indicator in enumerate(project.indicators):
        level = indicator.level1
        if level not in worths:
            close = difflib.get_close_matches(level, list(worths), n=1, cutoff=0.3)
            findings.append(
                Finding(
                    Severity.error,
                    "unknown-level",
                    ("indicators", index, "level1"),
                    f"{level!r} is not a first-level indicator of this form",
                    f"did you mean {close[0]!r}?" if close else f"expected one of {list(worths)}",
                    figures(level=level)
                    + (
                        figures(suggestion=close[0]) if close else figures(levels="、".join(worths))
                    ),
                )
            )
    return findings


def validate_project(project: Project, policy: ScoringPolicy) -> list[Finding]:
    """Rules across the fields of one form: every row's 一级指标 is one of the form's (an error,
    `unknown-level`), then the form's own arithmetic (`arithmetic.arithmetic_findings`: its
    分值 per row, per 一级指标 and in all, its funding table; warnings). Pure; raises nothing.
    """
    return _rows(project, level_weights(project, policy)) + arithmetic_findings(project, policy)


def validate_corpus(
    projects: list[LoadedProject], known: Mapping[tuple[int, str], Path] | None = None
) -> None:
    """Rules across files: a (year, id) pair names one project only.

    `projects` are checked in order; `known` are forms checked before and not among them,
    (year, id) -> file. Every file that claims a (year, id) already taken (by a known form or
    an earlier one in `projects`) gets one `duplicate-id` error on its `id`, naming the first
    file, appended to its findings.
    """
    seen: dict[tuple[int, str], Path] = dict(known or {})
    for loaded in projects:
        if loaded.project is None:
            continue
        key = (loaded.project.year, loaded.project.id)
        first = seen.get(key)
        if first is None:
            seen[key] = loaded.file
        else:
            loaded.findings.append(
                Finding(
                    Severity.error,
                    "duplicate-id",
                    ("id",),
                    f"id {key[1]!r} is already used for {key[0]} by {first.as_posix()}",
                    "each project needs its own id within a year",
                    figures(id=key[1], year=key[0], first=first.as_posix()),
                )
            )
