"""What `jixiao build` says of the forms it held back (`rules.holdback`): on the terminal,
each error located as `jixiao check` words it, then the list; with `--json`, one document."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..form.chars import printable
from ..i18n import say, say_n
from ..rules.check import CheckResult
from ..rules.findings import Severity
from ..rules.holdback import HELD_BACK_FILE, HELD_BACK_STATUS, HeldBack
from .located import ReportedFinding, reported_findings

if TYPE_CHECKING:
    from ..build_options import BuildReport


def held_back_findings(held: list[HeldBack], lang: str = "zh") -> list[ReportedFinding]:
    """The errors of the held-back forms, as every reporter words and places them (in `lang`,
    "zh" or "en"), in file order (warnings and notes are left out: they hold no form back)."""
    result = CheckResult(None, [], [item.checked for item in held])
    return reported_findings(result, show_notes=False, severities={Severity.error}, lang=lang)


def held_back_lines(held: list[HeldBack], site: Path, lang: str = "zh") -> list[str]:
    """Every error of the held-back forms, located, then a headline and one line per form
    (its path under the content, its error codes: `  2023/unit/x.yaml  错误[code, ...]`) and
    where the site lists them, in `lang`. Nothing when no form was held back."""
    if not held:
        return []
    lines = [finding.text for finding in held_back_findings(held, lang)]
    listed = f"{site}/{HELD_BACK_FILE}"
    lines.append(say_n("build.held_back", len(held), lang, listed=listed, status=HELD_BACK_STATUS))
    word = say("severity.error", lang)
    for item in held:
        codes = ", ".join(dict.fromkeys(f.finding.code for f in item.errors))
        lines.append(f"  {printable(item.file)}  {word}[{codes}]")
    return lines


def build_document(
    report: BuildReport | None,
    content: Path,
    site: Path,
    failed: CheckResult | None = None,
    lang: str = "zh",
) -> dict[str, Any]:
    """`jixiao build --json`: `version` (1), `tool`, `content`, `site` (posix paths),
    `status` — "published" (every form), "held-back" (published without some; exit 3),
    "up-to-date" (nothing changed, nothing held back) or "failed" (nothing published; exit 1)
    —, `summary` (counts), `held_back` (per form: `file` as checked, `path` under the content,
    `errors` as `ReportedFinding.as_dict`, their `text` in `lang`) and, when failed,
    `errors` (every error found)."""
    document: dict[str, Any] = {
        "version": 1,
        "tool": f"jixiao {__version__}",
        "content": content.as_posix(),
        "site": site.as_posix(),
    }
    if report is None:
        errors = [
            finding.as_dict()
            for finding in (
                reported_findings(failed, False, {Severity.error}, lang) if failed else []
            )
        ]
        return document | {
            "status": "failed",
            "summary": {"errors": len(errors)},
            "held_back": [],
            "errors": errors,
        }
    held = report.held_back
    status = "held-back" if held else "up-to-date" if report.unchanged else "published"
    document |= {
        "status": status,
        "summary": {
            "projects": report.projects,
            "held_back": len(held),
            "checked": report.checked,
            "incremental": report.incremental,
            "pages": report.pages,
            "pdfs_rendered": report.pdfs_rendered,
            "pdfs_reused": report.pdfs_reused,
            "data_files": report.data_files,
            "warnings": report.result.count(Severity.warning),
        },
        "held_back": [
            {
                "file": item.checked.file.as_posix(),
                "path": item.file,
                "errors": [finding.as_dict() for finding in held_back_findings([item], lang)],
            }
            for item in held
        ],
    }
    return document


def print_build_document(document: dict[str, Any]) -> None:
    """A `build_document` on standard output, indented, Chinese as it is (not escaped)."""
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")
