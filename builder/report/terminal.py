"""`jixiao check` and `jixiao build` as people read them: on a terminal, or in a CI log.

Everything is said in Chinese (`lang` "zh", the default: finance staff read it) or in English
(`--lang en`), from the catalogues (`builder.i18n`); a finding's words are `rules.wording`'s."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..form.chars import printable
from ..i18n import say, say_n
from ..rules.check import CheckedProject, CheckResult
from ..rules.findings import Severity
from .github import github_annotations
from .located import iter_reported_findings, located_with_forms

if TYPE_CHECKING:
    from rich.text import Text

    from ..build import BuildReport

# The check table's columns (`check.column.<name>` in the catalogues, as a 项目支出绩效目标自评表
# names them) and their alignment: narrow enough that the table fits a terminal of 80 columns.
_TABLE_COLUMNS = (
    ("project", "left"),
    ("year", "right"),
    ("rate", "right"),
    ("execution", "right"),
    ("total", "right"),
    ("declared", "right"),
    ("grade", "left"),
    ("problems", "right"),
)
# Width of the table when the output is not a terminal (a log, a file) and COLUMNS is unset.
_LOG_WIDTH = 140


def print_check_report(
    result: CheckResult, show_notes: bool, github: bool = False, lang: str = "zh"
) -> None:
    """All that `jixiao check` prints without `--json`: the table of projects, every finding
    (notes only if `show_notes`), GitHub annotations if `github`, and a summary line, in
    `lang`."""
    if result.projects:
        print_table(result, lang)
    print_findings(result, show_notes, lang)
    if github:
        for line in github_annotations(located_with_forms(result), show_notes, lang):
            print(line)
    print(check_summary(result, show_notes, lang))


def print_table(result: CheckResult, lang: str = "zh") -> None:
    """One row per project: its computed execution rate, scores and grade, what the form
    declares, and how many errors and warnings it has (`0/3`). Every cell is Rich `Text`,
    never markup, and what comes from a form is `printable`: `[/dim]` or an ESC in a name
    prints as written. As wide as the terminal (or `COLUMNS`; 140 in a log), and within 80
    columns still whole: no vertical rules, the name and file folded onto more lines."""
    import os

    from rich import box
    from rich.console import Console
    from rich.table import Table

    tty = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
    console = Console(highlight=False, width=None if tty else _LOG_WIDTH)
    table = Table(title=say("check.title", lang), box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in _TABLE_COLUMNS:
        table.add_column(
            say(f"check.column.{name}", lang),
            justify=justify,  # type: ignore[arg-type]
            overflow="fold",
            no_wrap=justify == "right",
        )
    for checked in result.projects:
        table.add_row(*_table_cells(checked, lang))
    console.print(table)


def _table_cells(checked: CheckedProject, lang: str = "zh") -> list[Text]:
    from rich.text import Text

    project, score = checked.project, checked.score
    problems = Text(f"{checked.count(Severity.error)}/{checked.count(Severity.warning)}")
    file = printable(checked.file.as_posix())
    if project is None or score is None:
        return [Text(file), *(Text("") for _ in range(6)), problems]
    rate = "—" if score.execution.rate is None else f"{score.execution.rate}%"
    declared = project.declared.total
    name = Text(printable(project.name))
    name.append(f"\n{file}", style="dim")
    return [
        name,
        Text(str(project.year)),
        Text(rate),
        Text(str(score.execution.score)),
        # A form cut off: a total of the parts there, no grade (`ProjectScore.incomplete`).
        Text(
            say("check.incomplete", lang, total=score.total)
            if score.incomplete
            else str(score.total),
            style="bold",
        ),
        Text("—" if declared is None else str(declared)),
        Text("—" if score.grade is None else printable(score.grade)),
        problems,
    ]


def print_findings(result: CheckResult, show_notes: bool, lang: str = "zh") -> None:
    """Every finding (notes only if `show_notes`), each with the line it is on and a caret."""
    for reported in iter_reported_findings(result, show_notes, lang=lang):
        print(reported.text)


def check_summary(result: CheckResult, show_notes: bool, lang: str = "zh") -> str:
    """`检查了 6 个项目:0 个错误,4 条警告,2 条说明`, with a pointer to `--notes` when they
    are not shown (`6 projects checked: 0 errors, 4 warnings, 2 notes` in English)."""
    said = say(
        "check.summary",
        lang,
        projects=say_n("count.project", len(result.projects), lang),
        errors=say_n("count.error", result.count(Severity.error), lang),
        warnings=say_n("count.warning", result.count(Severity.warning), lang),
        notes=say_n("count.note", result.count(Severity.note), lang),
    )
    return said + ("" if show_notes else say("check.notes_hidden", lang))


def print_build_failure(result: CheckResult, content: Path, site: Path, lang: str = "zh") -> None:
    """Why a build stopped before writing: every error and warning, and that `site` was kept."""
    print_findings(result, show_notes=False, lang=lang)
    errors = result.count(Severity.error)
    if result.config is None and not errors:
        print(say("build.site_unreadable", lang, content=content))
    print(say("build.failed", lang, errors=say_n("count.error", errors, lang), site=site))


def build_summary(report: BuildReport, site: Path, lang: str = "zh") -> list[str]:
    """What a finished build says: that nothing changed, or what it wrote and how long it took
    (seconds); first a warning when some PDFs lack glyphs. In `lang` ("zh" or "en")."""
    seconds = sum(report.seconds.values())
    projects = say_n("count.project", report.projects, lang)
    if report.unchanged:
        return [say("build.up_to_date", lang, site=site, projects=projects, seconds=seconds)]
    lines = []
    if report.missing_glyphs:
        lines.append(say("build.missing_glyphs", lang, glyphs=repr(report.missing_glyphs)))
    how = (
        say_n("build.incremental", report.checked, lang)
        if report.incremental
        else say("build.full", lang)
    )
    lines.append(
        say(
            "build.built",
            lang,
            site=site,
            how=how,
            projects=projects,
            pages=say_n("count.page", report.pages, lang),
            indexed=say_n("count.page", report.indexed, lang),
            rendered=say_n("count.pdf", report.pdfs_rendered, lang),
            reused=report.pdfs_reused,
            data_files=say_n("count.data_file", report.data_files, lang),
            warnings=say_n("count.warning", report.result.count(Severity.warning), lang),
            seconds=seconds,
        )
    )
    return lines


def print_build_warnings(report: BuildReport, lang: str = "zh") -> None:
    """The warnings the build's summary counts (those of the files it re-read), each located
    as `jixiao check` prints it, under a line that counts them; nothing when there are none.
    Errors are not among them: a form with one is held back and listed on its own."""
    count = report.result.count(Severity.warning)
    if not count:
        return
    print(say("build.warnings", lang, count=count))
    for reported in iter_reported_findings(
        report.result, show_notes=False, severities={Severity.warning}, lang=lang
    ):
        print(reported.text)
