"""Validate: rules that span several fields of a form, or several forms.

What cannot be placed is an error (a 一级指标 the form does not have, an id used twice); where
the form's own figures contradict each other it is scored as printed, with warnings
(`arithmetic.py`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

from ..form.lengths import MAX_FORM_TEXT
from ..form.load import LoadedProject
from ..form.model import Project
from ..form.source import PathKey
from .arithmetic import arithmetic_findings
from .findings import Finding, Severity, figures
from .policy import ScoringPolicy
from .score import level_weights
from .texts import goals_findings


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


def _texts(project: Project) -> Iterator[tuple[PathKey, str]]:
    """Every text of a form that is printed, with its path, in the order of the file."""
    yield ("name",), project.name
    yield ("department", "name"), project.department.name
    yield ("unit",), project.unit
    yield ("contact",), project.contact
    yield ("funding", "reason"), project.funding.reason
    yield ("goals", "planned"), project.goals.planned or ""
    yield ("goals", "achieved"), project.goals.achieved or ""
    for index, row in enumerate(project.indicators):
        for key in ("level1", "level2", "name", "target", "actual", "reason"):
            yield ("indicators", index, key), getattr(row, key)
        yield ("indicators", index, "unit"), row.measure_unit or ""
    yield ("declared", "grade"), project.declared.grade or ""
    yield ("declared", "conclusion"), project.declared.conclusion


def _text_total(project: Project) -> list[Finding]:
    """`form-too-long`: the texts of the form add up to more than MAX_FORM_TEXT characters
    (each within its own bound, `form.lengths`); placed on the text where the sum passes it."""
    total, place = 0, None
    for path, text in _texts(project):
        total += len(text)
        if place is None and total > MAX_FORM_TEXT:
            place = path
    if place is None:
        return []
    return [
        Finding(
            Severity.error,
            "form-too-long",
            place,
            f"the texts of this form add up to {total} characters, more than the "
            f"{MAX_FORM_TEXT} a form may have; this one passes the bound",
            "shorten the longest texts",
            figures(total=total, limit=MAX_FORM_TEXT),
            message_zh=f"这张表的文字合计 {total} 个字符,超过一张表的上限 {MAX_FORM_TEXT} 个字符;"
            "到这一栏时超过了上限",
            hint_zh="请精简最长的几段文字",
        )
    ]


def validate_project(project: Project, policy: ScoringPolicy) -> list[Finding]:
    """Rules across the fields of one form: every row's 一级指标 is one of the form's (an error,
    `unknown-level`), then the form's own arithmetic (`arithmetic.arithmetic_findings`: its
    分值 per row, per 一级指标 and in all, its funding table; warnings), a 实际完成情况 that
    repeats the 预期目标 (`texts.goals_findings`, a warning) and the length of its texts
    together (an error, `form-too-long`). Pure; raises nothing.
    """
    return (
        _rows(project, level_weights(project, policy))
        + arithmetic_findings(project, policy)
        + goals_findings(project)
        + _text_total(project)
    )


def validate_corpus(
    projects: list[LoadedProject], known: Mapping[tuple[int, str], Path] | None = None
) -> None:
    """Rules across files: a (year, id) pair names one project only.

    `projects` are checked in order; `known` are forms checked before and not among them,
    (year, id) -> file. Every file that claims a (year, id) already taken (by a known form or
    an earlier one in `projects`) gets one `duplicate-id` error on its `id`, naming the first
    file, appended to its findings; that first file, when it is among `projects`, gets one
    too, naming the first file that claimed its id after it. Neither can be published as the
    project at that address (a build holds both back), whichever order the files are read in.
    """
    seen: dict[tuple[int, str], Path] = dict(known or {})
    owners: dict[tuple[int, str], LoadedProject] = {}
    for loaded in projects:
        if loaded.project is None:
            continue
        key = (loaded.project.year, loaded.project.id)
        first = seen.get(key)
        if first is None:
            seen[key] = loaded.file
            owners[key] = loaded
            continue
        loaded.findings.append(_duplicate(key, first, "is already used"))
        owner = owners.pop(key, None)  # named once, by the first file that claimed it again
        if owner is not None:
            owner.findings.append(_duplicate(key, loaded.file, "is also used"))


def _duplicate(key: tuple[int, str], other: Path, said: str) -> Finding:
    return Finding(
        Severity.error,
        "duplicate-id",
        ("id",),
        f"id {key[1]!r} {said} for {key[0]} by {other.as_posix()}",
        "each project needs its own id within a year",
        figures(id=key[1], year=key[0], first=other.as_posix()),
    )
