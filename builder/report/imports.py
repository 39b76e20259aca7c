"""`jixiao import` as people and programs read it.

People: one line per form (written, unchanged, differs and its diff, would be written and the
YAML with `--dry-run`) followed by its review items, each at its place in the source (`名称.pdf:第2页 表1 第5行第3列: 复核[column-guess]: … (提示)`), one line per file that gave no
form, and a summary. Chinese by default, English with `--lang en`.

Programs (`--json`): `{"version": 1, "tool", "forms": [{"path", "status", "id", "name",
"source", "review": [{"code", "file", "place", "place_en", "message_zh", "message", "hint_zh",
"hint", "needs_person"}], "diff", "text"}], "errors": [{"file", "code", "message_zh",
"message", "hint_zh", "hint"}], "summary": {…}, "exit_status"}`. A contract: fields may be
added, none renamed or removed (tests/test_import_cli.py holds it).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from .. import __version__
from ..form.chars import printable
from ..i18n import say, say_n
from ..intake.draft import ReviewItem
from ..intake.outcome import (
    DIFFERS,
    DRY_RUN,
    INFORMATIONAL,
    NO_YEAR,
    UNCHANGED,
    WRITTEN,
    FormOutcome,
    ImportFailure,
    ImportReport,
    hint_of,
)

# The statuses in the order the summary counts them; each is said as `import.status.<status>`.
_STATUS = (WRITTEN, UNCHANGED, DIFFERS, DRY_RUN, NO_YEAR)


def import_lines(report: ImportReport, lang: str = "zh") -> list[str]:
    """Everything `jixiao import` prints without `--json`, line by line, in `lang`."""
    lines: list[str] = []
    for form in report.forms:
        label = say(f"import.status.{form.status}", lang)
        where = form.path.as_posix() if form.path is not None else form.name
        source = say("import.from", lang, source=form.source)
        lines.append(printable(f"{label}: {where} {source}"))
        if form.status == DIFFERS:
            lines.extend(printable(line) for line in form.diff.splitlines())
        elif form.status == DRY_RUN:
            lines.extend("    " + printable(line) for line in form.text.splitlines())
        lines.extend(review_line(item, lang) for item in form.review)
    lines.extend(failure_line(failure, lang) for failure in report.failures)
    lines.append(summary_line(report, lang))
    return lines


def failure_line(failure: ImportFailure, lang: str = "zh") -> str:
    """`名称.xls: 错误[unsupported-format]: 不能直接读取 .xls 文件 (另存为 .xlsx)`."""
    zh = lang == "zh"
    message = failure.message_zh if zh else failure.message_en
    hint = failure.hint_zh if zh else failure.hint_en
    label = say("severity.error", lang)
    tail = f" ({hint})" if hint else ""
    return printable(f"{failure.file}: {label}[{failure.code}]: {message}{tail}")


def review_line(item: ReviewItem, lang: str = "zh") -> str:
    """`名称.pdf:第2页 表1 第5行第3列: 复核[code]: message (hint)`; the place is left out when
    the item is about the whole file."""
    zh = lang == "zh"
    place = _place(item, lang)
    where = f"{item.place.file}:{place}" if place else item.place.file
    hint = hint_of(item)[0 if zh else 1]
    informs = item.code in INFORMATIONAL
    label = say("severity.note", lang) if informs else say("import.review", lang)
    message = item.message_zh if zh else item.message_en
    tail = f" ({hint})" if hint else ""
    return printable(f"{where}: {label}[{item.code}]: {message}{tail}")


def _place(item: ReviewItem, lang: str) -> str:
    place = item.place
    whole = all(
        getattr(place, part) is None for part in ("sheet", "page", "table", "row", "column", "line")
    )
    return "" if whole else place.describe(lang)


def summary_line(report: ImportReport, lang: str = "zh") -> str:
    """`导入 6 张表:写入 5,未变 1;1 个文件无法读取;需复核 2 处` (English with "en")."""
    counts = Counter(form.status for form in report.forms)
    review = sum(
        1 for form in report.forms for item in form.review if item.code not in INFORMATIONAL
    )
    done = say("import.done.separator", lang).join(
        say("import.done", lang, status=say(f"import.status.{status}", lang), count=counts[status])
        for status in _STATUS
        if counts[status]
    )
    return say(
        "import.summary",
        lang,
        forms=say_n("count.form", len(report.forms), lang),
        done=done or say("import.done.none", lang),
        failures=say_n("count.unread_file", len(report.failures), lang),
        review=say_n("count.review", review, lang),
    )


def import_document(report: ImportReport) -> dict[str, Any]:
    """The run as plain data (the module's docstring)."""
    return {
        "version": 1,
        "tool": f"jixiao {__version__}",
        "forms": [_form_record(form) for form in report.forms],
        "errors": [_failure_record(failure) for failure in report.failures],
        "summary": {
            "forms": len(report.forms),
            **{status: sum(f.status == status for f in report.forms) for status in _STATUS},
            "failures": len(report.failures),
        },
        "exit_status": report.exit_status,
    }


def _form_record(form: FormOutcome) -> dict[str, Any]:
    return {
        "path": form.path.as_posix() if form.path is not None else None,
        "status": form.status,
        "id": form.id,
        "name": form.name,
        "source": form.source,
        "review": [_review_record(item) for item in form.review],
        "needs_person": form.needs_person,
        "diff": form.diff,
        "text": form.text if form.status == DRY_RUN else "",
    }


def _review_record(item: ReviewItem) -> dict[str, Any]:
    hint_zh, hint = hint_of(item)
    return {
        "code": item.code,
        "file": item.place.file,
        "place": _place(item, "zh"),
        "place_en": _place(item, "en"),
        "message_zh": item.message_zh,
        "message": item.message_en,
        "hint_zh": hint_zh,
        "hint": hint,
        "needs_person": item.code not in INFORMATIONAL,
    }


def _failure_record(failure: ImportFailure) -> dict[str, str]:
    return {
        "file": failure.file,
        "code": failure.code,
        "message_zh": failure.message_zh,
        "message": failure.message_en,
        "hint_zh": failure.hint_zh,
        "hint": failure.hint_en,
    }


def print_import(report: ImportReport, as_json: bool, lang: str = "zh") -> None:
    """The report on standard output: the lines, or the JSON document (indented, Chinese as
    it is)."""
    if as_json:
        json.dump(import_document(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for line in import_lines(report, lang):
        print(line)
