"""The `jixiao` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .rules.check import CheckResult, check_content, project_record
from .rules.findings import Severity

if TYPE_CHECKING:
    from .build import Progress


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*.yaml")) if p.name != "site.yaml")
        else:
            files.append(path)
    return files


def _content_root(paths: list[str], default: str) -> Path:
    """The content folder: the one given, or the nearest folder above a path with site.yaml."""
    if paths:
        start = Path(paths[0]).resolve()
        for folder in [start, *start.parents]:
            if (folder / "site.yaml").is_file():
                return _relative(folder)
    return Path(default)


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _print_table(result: CheckResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    table = Table(title="jixiao check", show_lines=False)
    for column, justify in (
        ("项目", "left"),
        ("年度", "right"),
        ("执行率", "right"),
        ("执行得分", "right"),
        ("计算总分", "right"),
        ("申报总分", "right"),
        ("等次", "left"),
        ("问题", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for checked in result.projects:
        project, score = checked.project, checked.score
        problems = f"{checked.count(Severity.error)}E {checked.count(Severity.warning)}W"
        if project is None or score is None:
            table.add_row(str(checked.file), "", "", "", "", "", "", problems)
            continue
        rate = "—" if score.execution.percent is None else f"{score.execution.percent}%"
        declared = project.declared.total
        table.add_row(
            f"{project.name}\n[dim]{checked.file.as_posix()}[/dim]",
            str(project.year),
            rate,
            str(score.execution.score),
            f"[bold]{score.total}[/bold]",
            "—" if declared is None else str(declared),
            score.grade,
            problems,
        )
    console.print(table)


def _print_findings(result: CheckResult, show_notes: bool) -> None:
    for located in result.all_findings():
        if located.finding.severity is Severity.note and not show_notes:
            continue
        source_line = None
        for checked in result.projects:
            if checked.file == located.file and checked.loaded.source.lines:
                lines = checked.loaded.source.lines
                if 0 < located.line <= len(lines):
                    source_line = lines[located.line - 1]
                break
        print(located.format(source_line))


def cmd_check(args: argparse.Namespace) -> int:
    content = _content_root(args.paths, args.content)
    files = _expand(args.paths) if args.paths else None
    result = check_content(content, files, jobs=args.jobs)
    errors, warnings = result.count(Severity.error), result.count(Severity.warning)
    if args.json:
        document = {
            "version": 1,
            "tool": f"jixiao {__version__}",
            "content": content.as_posix(),
            "summary": {
                "projects": len(result.projects),
                "errors": errors,
                "warnings": warnings,
                "notes": result.count(Severity.note),
            },
            "config_findings": [
                f.as_json() | {"file": f.file.as_posix()} for f in result.config_findings
            ],
            "projects": [project_record(c) for c in result.projects],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        if result.projects:
            _print_table(result)
        _print_findings(result, show_notes=args.notes)
        if args.format == "github":
            from .report.github import github_annotations

            for line in github_annotations(result.all_findings(), args.notes):
                print(line)
        print(
            f"{len(result.projects)} projects checked: {errors} errors, {warnings} warnings, "
            f"{result.count(Severity.note)} notes"
            + ("" if args.notes else " (--notes shows the notes)")
        )
    if errors or (args.strict and warnings):
        return 1
    return 0


def _progress(quiet: bool) -> Progress:
    """Progress bars on a terminal, one plain line per stage in a log (CI), nothing if quiet."""
    from .build import Progress

    class Plain(Progress):
        def finish(self, name: str, seconds: float) -> None:
            print(f"  {name}: {seconds:.2f}s", flush=True)

    class Bars(Progress):
        def __init__(self) -> None:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self.bar = Bar(
                TextColumn("{task.description:>8}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            )
            self.task: object = None

        def stage(self, name: str, total: int | None = None) -> None:
            if self.task is None:
                self.bar.start()
            self.task = self.bar.add_task(name, total=total)

        def advance(self, amount: int = 1) -> None:
            if self.task is not None:
                self.bar.advance(self.task, amount)  # type: ignore[arg-type]

        def finish(self, name: str, seconds: float) -> None:
            if self.task is not None:
                self.bar.remove_task(self.task)  # type: ignore[arg-type]
            self.bar.console.print(f"  {name}: {seconds:.2f}s", highlight=False)

        def close(self) -> None:
            self.bar.stop()

    if quiet:
        return Progress()
    return Bars() if sys.stdout.isatty() else Plain()


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildFailed, BuildOptions, build
    from .executor import ExecutorError
    from .pdf.fonts import PdfEnvironmentError

    options = BuildOptions(
        content=Path(args.content),
        site=Path(args.output),
        cache=Path(args.cache),
        jobs=max(1, args.jobs),
        incremental=not args.full,
        pdf=not args.no_pdf,
        executor=args.executor,
        progress=_progress(args.quiet),
    )
    try:
        report = build(options)
    except (PdfEnvironmentError, ExecutorError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    except BuildFailed as failed:
        _print_findings(failed.result, show_notes=False)
        errors = failed.result.count(Severity.error)
        if failed.result.config is None and not errors:
            print(f"{options.content}/site.yaml could not be read")
        print(f"build failed: {errors} errors; {options.site}/ was left as it was")
        return 1
    finally:
        close = getattr(options.progress, "close", None)
        if close:
            close()
    if args.quiet:
        return 0
    result = report.result
    total = sum(report.seconds.values())
    if report.unchanged:
        print(
            f"{options.site}/ is up to date: {report.projects} projects, nothing changed "
            f"({total:.2f}s)"
        )
        return 0
    how = f"incremental, {report.checked} files re-read" if report.incremental else "full"
    if report.missing_glyphs:
        print(
            f"warning: no font could draw {report.missing_glyphs!r}; those PDFs show boxes "
            "(add a font to pdf.font_stack in content/site.yaml)"
        )
    print(
        f"built {options.site}/ ({how}): {report.projects} projects, {report.pages} pages, "
        f"{report.indexed} pages indexed for search, {report.pdfs_rendered} PDFs rendered and "
        f"{report.pdfs_reused} reused, {report.data_files} data files; "
        f"{result.count(Severity.warning)} warnings in the files re-read; {total:.2f}s"
    )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from . import configdoc
    from .form.schema import SCHEMA_DIR, stale_schemas, write_schemas

    if args.write:
        for path in [*write_schemas(), configdoc.write()]:
            print(f"wrote {_relative(path)}")
        return 0
    stale = [SCHEMA_DIR / name for name in stale_schemas()]
    if configdoc.is_stale():
        stale.append(configdoc.DOC_PATH)
    for path in stale:
        print(f"{_relative(path)}: stale (run `jixiao schema --write`)")
    return 1 if stale else 0


def cmd_changes(args: argparse.Namespace) -> int:
    from .publish.changes import print_comparison

    return print_comparison(Path(args.content), args.old, args.new, as_json=args.json)


def cmd_serve(args: argparse.Namespace) -> int:
    from .preview.server import ServeOptions, serve

    return serve(
        ServeOptions(
            content=Path(args.content),
            output=None if args.output is None else Path(args.output),
            cache=Path(args.cache),
            host=args.host,
            port=args.port,
            debounce=args.debounce,
            jobs=args.jobs,
            defer=not args.no_defer,
            open_browser=not args.no_open,
        )
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="Publish 项目支出绩效目标自评表 as a static site, scored by the official rules.",
    )
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate, score and reconcile the forms")
    check.add_argument("paths", nargs="*", help="project files or folders (default: all content)")
    check.add_argument("--content", default="content", help="content folder (default: content)")
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--notes", action="store_true", help="also print notes")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: also print the findings as GitHub Actions annotations",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores)",
    )
    check.set_defaults(func=cmd_check)

    build = commands.add_parser("build", help="build the site into site/")
    build.add_argument("--content", default="content", help="content folder (default: content)")
    build.add_argument("--output", "-o", default="site", help="output folder (default: site)")
    build.add_argument("--cache", default=".cache", help="cache folder (default: .cache)")
    build.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores)",
    )
    build.add_argument("--full", action="store_true", help="ignore the cache, rebuild everything")
    build.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    build.add_argument("--no-pdf", action="store_true", help="skip the PDFs (quicker previews)")
    build.add_argument(
        "--executor",
        default="local",
        help="where the PDFs are rendered: local worker processes (default) or "
        "dask://HOST:PORT, a running Dask distributed scheduler",
    )
    build.set_defaults(func=cmd_build)

    schema = commands.add_parser(
        "schema", help="check or regenerate the JSON Schemas and docs/configuration.md"
    )
    schema.add_argument("--write", action="store_true", help="regenerate builder/schemas/")
    schema.set_defaults(func=cmd_schema)

    changes = commands.add_parser(
        "changes", help="list the projects added, changed or removed between two git revisions"
    )
    changes.add_argument("old", help="the earlier revision, e.g. HEAD~1 or a tag")
    changes.add_argument("new", nargs="?", help="the later revision (default: the files on disk)")
    changes.add_argument("--content", default="content", help="content folder (default: content)")
    changes.add_argument("--json", action="store_true", help="print one JSON document")
    changes.set_defaults(func=cmd_changes)

    serve = commands.add_parser(
        "serve", help="preview on this machine: rebuild on every save, reload the browser"
    )
    serve.add_argument("--content", default="content", help="content folder (default: content)")
    serve.add_argument("--output", "-o", help="preview folder (default: .cache/preview/site)")
    serve.add_argument("--cache", default=".cache", help="cache folder (default: .cache)")
    serve.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--no-open", action="store_true", help="do not open a browser")
    serve.add_argument(
        "--debounce", type=float, default=0.1, help="quiet seconds before rebuilding (0.1)"
    )
    serve.add_argument(
        "--no-defer", action="store_true", help="search index and PDFs on every rebuild too"
    )
    serve.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores)",
    )
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `jixiao check --json | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except Exception as error:  # the last line of defence: no traceback unless asked for
        if args.debug:
            raise
        print(
            f"jixiao: internal error: {type(error).__name__}: {error} "
            "(run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
