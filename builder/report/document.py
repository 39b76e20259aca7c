"""`jixiao check --json`: one JSON document for programs. A contract: fields may be added to this
shape, none renamed or removed (tests/test_check_cli.py holds it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..rules.check import CheckResult, project_record
from ..rules.findings import Finding, Severity
from ..rules.wording import chinese
from .provenance import source_place


def check_document(result: CheckResult, content: Path) -> dict[str, Any]:
    """The whole check as plain data: `version` (1), `tool`, `content` (posix path), `summary`
    (counts of projects, errors, warnings, notes), `config_findings` (site.yaml's, each with its
    `file`) and `projects` (one `project_record` each, in the order checked). Each finding
    has, beside its English `message` and `hint`, the Chinese `message_zh` and `hint_zh` that
    `jixiao check` prints (`wording.chinese`), and `source_file` / `source_place`: where the
    value was read in the original file of a form `jixiao import` wrote (None otherwise)."""
    projects = []
    for checked in result.projects:
        record = project_record(checked)
        record["findings"] = [
            item | _chinese(located.finding, checked.project) | _source(located, checked.project)
            for item, located in zip(record["findings"], checked.located, strict=True)
        ]
        projects.append(record)
    return {
        "version": 1,
        "tool": f"jixiao {__version__}",
        "content": content.as_posix(),
        "summary": {
            "projects": len(result.projects),
            "errors": result.count(Severity.error),
            "warnings": result.count(Severity.warning),
            "notes": result.count(Severity.note),
        },
        "config_findings": [
            f.as_json() | {"file": f.file.as_posix()} | _chinese(f.finding, None)
            for f in result.config_findings
        ],
        "projects": projects,
    }


def _source(located: Any, project: Any) -> dict[str, str | None]:
    place = source_place(project, located.finding.path)
    return {"source_file": place[0] if place else None, "source_place": place[1] if place else None}


def _chinese(finding: Finding, project: Any) -> dict[str, str]:
    message, hint = chinese(finding, project)
    return {"message_zh": message, "hint_zh": hint}


def print_check_document(result: CheckResult, content: Path) -> None:
    """`check_document` on standard output, indented, Chinese as it is (not escaped)."""
    json.dump(
        check_document(result, content), sys.stdout, ensure_ascii=False, indent=2, allow_nan=False
    )
    sys.stdout.write("\n")
