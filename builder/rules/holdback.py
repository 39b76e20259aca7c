"""Hold back: which checked forms a build publishes, which it holds back, and what it says of
them where the publisher can check.

A form with an error (it cannot be read: YAML, the schema, a value, the file itself; or it
cannot be placed: an id another form of its year also claims) is held back: no page, no
listing, search entry, PDF, open data, feed or sitemap line, and the version an earlier build
published is taken down (shown as current, it would state what the file no longer says). The
others are published. What is not about one form (site.yaml, the content folder) stops the
build: every form is scored by the policy site.yaml declares.

The site keeps the list in `held-back.json` and on the data page: the file's path and each
error's line, column and code; the JSON adds each error's Chinese message and hint, as `jixiao
check` says them (`wording.worded`). Never the form's text beyond what those messages quote: a value written
(abbreviated to 40 characters, `form.values.abbreviated`), a key, a 一级指标 or an id, each with its control and
bidirectional characters escaped (`printable`); an unreadable file may hold anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..form.chars import printable
from .check import CheckedProject, CheckResult
from .findings import LocatedFinding, Severity
from .spill import SpilledForms
from .wording import worded

HELD_BACK_FILE = "held-back.json"  # site path of the list
# `jixiao build`'s exit status when it published the site but held forms back.
HELD_BACK_STATUS = 3


@dataclass(frozen=True)
class HeldBackEntry:
    """One held-back form as the site lists it: `file` its content-relative path as it is,
    `shown` that path printable (controls and bidi controls escaped), each error's (line,
    column, code), lines and columns from 1, and beside them, in the same order, each error's
    (message, hint) in Chinese, printable (`worded`; the hint may be "")."""

    file: str
    shown: str
    errors: tuple[tuple[int, int, str], ...]
    worded: tuple[tuple[str, str], ...] = ()

    @property
    def codes(self) -> list[str]:
        """The codes of its errors, each once, in order of first appearance."""
        return list(dict.fromkeys(code for _, _, code in self.errors))

    def as_json(self) -> dict[str, Any]:
        """`{"file": "2023/unit/x.yaml", "errors": [{"line", "column", "code", "message",
        "hint"}, ...]}`: `message` and `hint` in Chinese (added in version 1: a reader of the
        older keys reads them as before)."""
        words = self.worded or (("", ""),) * len(self.errors)
        return {
            "file": self.file,
            "errors": [
                {"line": ln, "column": col, "code": code, "message": message, "hint": hint}
                for (ln, col, code), (message, hint) in zip(self.errors, words, strict=True)
            ],
        }


@dataclass(frozen=True)
class HeldBack:
    """A form a build did not publish: `file` content-relative (posix) and the form as checked
    (`checked.located` has its errors, placed)."""

    file: str
    checked: CheckedProject

    @property
    def errors(self) -> list[LocatedFinding]:
        """Its errors, in the order of the file."""
        return [f for f in self.checked.located if f.finding.severity is Severity.error]

    def entry(self) -> HeldBackEntry:
        """What the site says of it."""
        errors = self.errors
        return HeldBackEntry(
            self.file,
            printable(self.file),
            tuple((f.line, f.column, f.finding.code) for f in errors),
            tuple(
                (printable(message), printable(hint))
                for _, message, hint in (
                    worded(f.finding, "zh", self.checked.project) for f in errors
                )
            ),
        )


def site_wide_errors(result: CheckResult) -> bool:
    """Whether the check found what stops a whole build: site.yaml unusable or missing (the
    content folder missing with it), or an error about the folder rather than one form."""
    return result.config is None or any(
        f.finding.severity is Severity.error for f in result.config_findings
    )


def split_held_back(result: CheckResult, content: Path) -> tuple[CheckResult, list[HeldBack]]:
    """The check's forms without an error (a `CheckResult` the outputs publish: site.yaml's
    findings and settings as they were) and those with one, held back, in file order."""
    projects = result.projects
    if isinstance(projects, SpilledForms):  # decided on the findings kept in memory
        errors = [
            any(f.finding.severity is Severity.error for f in key.located) for key in projects.keys
        ]
        held = [
            HeldBack(_relative(projects[index].file, content), projects[index])
            for index, error in enumerate(errors)
            if error
        ]
        projects.forget()
        kept = projects.subset([key for key, e in zip(projects.keys, errors, strict=True) if not e])
        return CheckResult(result.config, result.config_findings, kept), held
    published: list[CheckedProject] = []
    held = []
    for checked in projects:
        if checked.count(Severity.error):
            held.append(HeldBack(_relative(checked.file, content), checked))
        else:
            published.append(checked)
    return CheckResult(result.config, result.config_findings, published), held


def _relative(file: Path, content: Path) -> str:
    try:
        return file.relative_to(content).as_posix()
    except ValueError:
        return file.as_posix()


def site_entries(held: list[HeldBack]) -> tuple[HeldBackEntry, ...]:
    """What the site lists of the held-back forms, ordered by their paths' parts (as the
    content is walked), so that a full and an incremental build list them alike."""
    return tuple(sorted((h.entry() for h in held), key=lambda entry: entry.file.split("/")))


def held_back_json(entries: tuple[HeldBackEntry, ...]) -> bytes:
    """The site's `held-back.json` (UTF-8; `site_entries`' order, the same bytes for the same
    list): `{"version": 1, "count": N, "held_back": [HeldBackEntry.as_json(), ...]}`. Written
    by every build, with an empty list when nothing was held back, so that a publisher's
    check can rely on it being there."""
    ordered = sorted(entries, key=lambda entry: entry.file.split("/"))
    document = {
        "version": 1,
        "count": len(ordered),
        "held_back": [entry.as_json() for entry in ordered],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
