"""`jixiao check` and `jixiao build` as people read them: on a terminal, or in a CI log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..form.chars import printable
from ..rules.check import CheckResult
from ..rules.findings import Severity
from .github import github_annotations
from .located import iter_reported_findings

if TYPE_CHECKING:
    from ..build import BuildReport

# The check table's columns, as a 项目支出绩效目标自评表 names them, and their alignment.
_TABLE_COLUMNS = (
    ("项目", "left"),
    ("年度", "right"),
    ("执行率", "right"),
    ("执行得分", "right"),
    ("计算总分", "right"),
    ("申报总分", "right"),
    ("等次", "left"),
    ("问题", "right"),
)
# Width of the table when the output is not a terminal (a log, a file).
_LOG_WIDTH = 140


def print_check_report(result: CheckResult, show_notes: bool, github: bool = False) -> None:
    """All that `jixiao check` prints without `--json`: the table of projects, every finding
    (notes only if `show_notes`), GitHub annotations if `github`, and a summary line."""
    if result.projects:
        print_table(result)
    print_findings(result, show_notes)
    if github:
        for line in github_annotations(result.all_findings(), show_notes):
            print(line)
    print(check_summary(result, show_notes))


def print_table(result: CheckResult) -> None:
    """One row per project: its computed execution rate, scores and grade, what the form
    declares, and how many errors (E) and warnings (W) it has. Every cell is Rich `Text`, never
    markup, and what comes from a form is `printable`: `[/dim]` or an ESC in a name prints as
    written."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False, width=None if sys.stdout.isatty() else _LOG_WIDTH)
    table = Table(title="jixiao check", show_lines=False)
    for column, justify in _TABLE_COLUMNS:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for checked in result.projects:
        project, score = checked.project, checked.score
        problems = Text(f"{checked.count(Severity.error)}E {checked.count(Severity.warning)}W")
        file = printable(checked.file.as_posix())
        if project is None or score is None:
            table.add_row(Text(file), "", "", "", "", "", "", problems)
            continue
        rate = "—" if score.execution.rate is None else f"{score.execution.rate}%"
        declared = project.declared.total
        name = Text(printable(project.name))
        name.append(f"\n{file}", style="dim")
        table.add_row(
            name,
            Text(str(project.year)),
            Text(rate),
            Text(str(score.execution.score)),
            Text(str(score.total), style="bold"),
            Text("—" if declared is None else str(declared)),
            Text(printable(score.grade)),
            problems,
        )
    console.print(table)


def print_findings(result: CheckResult, show_notes: bool) -> None:
    """Every finding (notes only if `show_notes`), each with the line it is on and a caret."""
    for reported in iter_reported_findings(result, show_notes):
        print(reported.text)


def check_summary(result: CheckResult, show_notes: bool) -> str:
    """`6 projects checked: 0 errors, 4 warnings, 2 notes`, with a pointer to `--notes`."""
    return (
        f"{len(result.projects)} projects checked: {result.count(Severity.error)} errors, "
        f"{result.count(Severity.warning)} warnings, {result.count(Severity.note)} notes"
        + ("" if show_notes else " (--notes shows the notes)")
    )


def print_build_failure(result: CheckResult, content: Path, site: Path) -> None:
    """Why a build stopped before writing: every error and warning, and that `site` was kept."""
    print_findings(result, show_notes=False)
    errors = result.count(Severity.error)
    if result.config is None and not errors:
        print(f"{content}/site.yaml could not be read")
    print(f"build failed: {errors} errors; {site}/ was left as it was")


def build_summary(report: BuildReport, site: Path) -> list[str]:
    """What a finished build says: that nothing changed, or what it wrote and how long it took
    (seconds); first a warning when some PDFs lack glyphs."""
    total = sum(report.seconds.values())
    if report.unchanged:
        return [
            f"{site}/ is up to date: {report.projects} projects, nothing changed ({total:.2f}s)"
        ]
    lines = []
    how = f"incremental, {report.checked} files re-read" if report.incremental else "full"
    if report.missing_glyphs:
        lines.append(
            f"warning: no font could draw {report.missing_glyphs!r}; those PDFs show boxes "
            "(add a font to pdf.font_stack in content/site.yaml)"
        )
    lines.append(
        f"built {site}/ ({how}): {report.projects} projects, {report.pages} pages, "
        f"{report.indexed} pages indexed for search, {report.pdfs_rendered} PDFs rendered and "
        f"{report.pdfs_reused} reused, {report.data_files} data files; "
        f"{report.result.count(Severity.warning)} warnings in the files re-read; {total:.2f}s"
    )
    return lines
