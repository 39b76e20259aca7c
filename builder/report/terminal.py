"""`jixiao check` and `jixiao build` as people read them: on a terminal, or in a CI log.

Everything is said in Chinese (`lang` "zh", the default: finance staff read it) or in English
(`--lang en`); a finding's words are `rules.wording`'s."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..form.chars import printable
from ..rules.check import CheckedProject, CheckResult
from ..rules.findings import Severity
from .github import github_annotations
from .located import iter_reported_findings, located_with_forms
from .words import say

if TYPE_CHECKING:
    from rich.text import Text

    from ..build import BuildReport

# The check table's columns, as a 项目支出绩效目标自评表 names them (Chinese, English), and their
# alignment: narrow enough that the table fits a terminal of 80 columns.
_TABLE_COLUMNS = (
    ("项目", "project", "left"),
    ("年度", "year", "right"),
    ("执行率", "rate", "right"),
    ("执行\n得分", "exec.\nscore", "right"),
    ("复核\n总分", "total", "right"),
    ("申报\n总分", "declared", "right"),
    ("等次", "grade", "left"),
    ("错误/\n不一致", "E/W", "right"),
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
    for chinese, english, justify in _TABLE_COLUMNS:
        table.add_column(
            english if lang == "en" else chinese,
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
    """`检查了 6 个项目:0 个错误,4 处不一致,2 条说明`, with a pointer to `--notes` when they
    are not shown (`6 projects checked: 0 errors, 4 warnings, 2 notes` in English)."""
    projects, errors = len(result.projects), result.count(Severity.error)
    warnings, notes = result.count(Severity.warning), result.count(Severity.note)
    if lang == "en":
        return (
            f"{projects} projects checked: {errors} errors, {warnings} warnings, {notes} notes"
            + ("" if show_notes else " (--notes shows the notes)")
        )
    return f"检查了 {projects} 个项目:{errors} 个错误,{warnings} 处不一致,{notes} 条说明" + (
        "" if show_notes else "(加 --notes 显示说明)"
    )


def print_build_failure(result: CheckResult, content: Path, site: Path, lang: str = "zh") -> None:
    """Why a build stopped before writing: every error and warning, and that `site` was kept."""
    print_findings(result, show_notes=False, lang=lang)
    errors = result.count(Severity.error)
    unreadable = result.config is None and not errors
    if lang == "en":
        if unreadable:
            print(f"{content}/site.yaml could not be read")
        print(f"build failed: {errors} errors; {site}/ was left as it was")
        return
    if unreadable:
        print(f"{content}/site.yaml 无法读取")
    print(f"构建失败:{errors} 个错误;{site}/ 保持原样,没有改动")


def build_summary(report: BuildReport, site: Path, lang: str = "zh") -> list[str]:
    """What a finished build says: that nothing changed, or what it wrote and how long it took
    (seconds); first a warning when some PDFs lack glyphs. In `lang` ("zh" or "en")."""
    if lang == "en":
        return _build_summary_en(report, site)
    total = sum(report.seconds.values())
    if report.unchanged:
        return [f"{site}/ 已是最新:{report.projects} 个项目,没有变化({total:.2f} 秒)"]
    lines = []
    how = f"增量,重新读取 {report.checked} 个文件" if report.incremental else "全量"
    if report.missing_glyphs:
        lines.append(
            f"警告:没有字体能显示 {report.missing_glyphs!r},这些 PDF 中显示为方框"
            "(在 content/site.yaml 的 pdf.font_stack 中加一种字体)"
        )
    lines.append(
        f"已构建 {site}/({how}):{report.projects} 个项目,{report.pages} 个页面,"
        f"{report.indexed} 个页面编入搜索索引,生成 {report.pdfs_rendered} 个 PDF、"
        f"沿用 {report.pdfs_reused} 个,{report.data_files} 个数据文件;"
        f"重新读取的文件中有 {report.result.count(Severity.warning)} 处不一致;{total:.2f} 秒"
    )
    return lines


def _build_summary_en(report: BuildReport, site: Path) -> list[str]:
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
