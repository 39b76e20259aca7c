"""The `jixiao` command line: its arguments, and which part of jixiao each command runs.

What the commands print is written by `builder.report` (findings, summaries, progress) and
`builder.publish.changes_report`. Failures are told apart as `builder.errors` describes: a
ContentError or SetupError is one line on standard error and exit 1 (or the status its kind
documents); anything else is an internal error, a bug: one line saying so and how to report it,
exit 2, and the traceback only with `--debug`.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

from . import __version__
from .cli_help import HelpParser
from .errors import INTERNAL_ERROR_HINT, JixiaoError
from .i18n import argv_lang, environment_lang, say


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            from .form.load import project_files

            files.extend(project_files(path))
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


def cmd_check(args: argparse.Namespace) -> int:
    """`jixiao check`: exit 1 on an error (with `--strict`, on a warning too), else 0."""
    from .report.document import print_check_document
    from .report.terminal import print_check_report
    from .rules.check import check_content
    from .rules.findings import Severity

    content = _content_root(args.paths, args.content)
    files = _expand(args.paths) if args.paths else None
    result = check_content(content, files, jobs=args.jobs)
    if args.json:
        print_check_document(result, content)
    else:
        print_check_report(
            result, show_notes=args.notes, github=args.format == "github", lang=args.lang
        )
    errors, warnings = result.count(Severity.error), result.count(Severity.warning)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_build(args: argparse.Namespace) -> int:
    """`jixiao build`: 0 when every form was published; 3 when the site was published without
    the forms that have errors (each listed, located); 1 when nothing was published (site.yaml
    unusable, no form readable, or `--strict` and an error: site/ is left as it was)."""
    from .build import BuildFailed, BuildOptions, build
    from .report.holdback import build_document, held_back_lines, print_build_document
    from .report.progress import progress_for
    from .report.terminal import build_summary, print_build_failure, print_build_warnings

    options = BuildOptions(
        content=Path(args.content),
        site=Path(args.output),
        cache=Path(args.cache),
        jobs=max(1, args.jobs),
        incremental=not args.full,
        strict=args.strict,
        pdf=not args.no_pdf,
        executor=args.executor,
        progress=progress_for(args.quiet or args.json, args.lang),
    )
    try:
        report = build(options)
    except BuildFailed as failed:
        if args.json:
            print_build_document(
                build_document(None, options.content, options.site, failed.result, args.lang)
            )
        else:
            print_build_failure(failed.result, options.content, options.site, args.lang)
        return 1
    finally:
        close = getattr(options.progress, "close", None)
        if close:
            close()
    if args.json:
        print_build_document(build_document(report, options.content, options.site, lang=args.lang))
        return report.exit_status
    if not args.quiet:
        print_build_warnings(report, args.lang)
        for line in build_summary(report, options.site, args.lang):
            print(line)
    for line in held_back_lines(report.held_back, options.site, args.lang):
        print(line)
    return report.exit_status


def cmd_schema(args: argparse.Namespace) -> int:
    """`jixiao schema`: exit 1 when a shipped schema or docs/configuration.md is stale."""
    from . import configdoc
    from .form.schema import SCHEMA_DIR, stale_schemas, write_schemas

    lang = environment_lang()
    if args.write:
        for path in [*write_schemas(), configdoc.write()]:
            print(say("schema.wrote", lang, path=_relative(path)))
        return 0
    stale = [SCHEMA_DIR / name for name in stale_schemas()]
    if configdoc.is_stale():
        stale.append(configdoc.DOC_PATH)
    for path in stale:
        print(say("schema.stale", lang, path=_relative(path)))
    return 1 if stale else 0


def cmd_import(args: argparse.Namespace) -> int:
    """`jixiao import`: 0 every form written or unchanged; 3 a form differs from its file, has
    no year, or has a review item for a person; 1 a file could not be read."""
    from .intake.importer import ImportOptions, run_import
    from .report.imports import print_import

    stated = (args.year, args.dry_run, args.debug, args.template, args.region)
    options = ImportOptions(Path(args.into), *stated, jobs=max(1, args.jobs))
    report = run_import([Path(name) for name in args.files], options)
    print_import(report, args.json, args.lang)
    return report.exit_status


def cmd_changes(args: argparse.Namespace) -> int:
    """`jixiao changes`: 0 whatever changed; a git problem is a GitError (exit 2)."""
    from .publish.changes import compare_revisions
    from .publish.changes_report import print_comparison

    comparison = compare_revisions(Path(args.content), args.old, args.new)
    print_comparison(comparison, as_json=args.json)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`jixiao serve`: runs until interrupted."""
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


def cmd_template(args: argparse.Namespace) -> int:
    """`jixiao template --xlsx`: 0 written; 1 the file exists (without --force) or cannot be
    written."""
    from .workbook.command import write_template

    return write_template(args)


def _content_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--content", default="content", help=say("help.option.content", lang))


def _lang_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=environment_lang(),
        help=say("help.option.lang", lang),
    )


def _jobs_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help=say("help.option.jobs", lang),
    )


def _add_check(commands: argparse._SubParsersAction, lang: str) -> None:
    check = commands.add_parser("check", help=say("help.check", lang))
    check.add_argument("paths", nargs="*", help=say("help.check.paths", lang))
    _content_option(check, lang)
    check.add_argument("--json", action="store_true", help=say("help.check.json", lang))
    check.add_argument("--strict", action="store_true", help=say("help.check.strict", lang))
    check.add_argument("--notes", action="store_true", help=say("help.check.notes", lang))
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help=say("help.check.format", lang),
    )
    _lang_option(check, lang)
    _jobs_option(check, lang)
    check.set_defaults(func=cmd_check)


def _add_build(commands: argparse._SubParsersAction, lang: str) -> None:
    build = commands.add_parser(
        "build",
        help=say("help.build", lang),
        description=say("help.build.description", lang),
    )
    _content_option(build, lang)
    build.add_argument("--output", "-o", default="site", help=say("help.build.output", lang))
    build.add_argument("--cache", default=".cache", help=say("help.build.cache", lang))
    _lang_option(build, lang)
    _jobs_option(build, lang)
    build.add_argument("--full", action="store_true", help=say("help.build.full", lang))
    build.add_argument("--quiet", "-q", action="store_true", help=say("help.build.quiet", lang))
    build.add_argument("--no-pdf", action="store_true", help=say("help.build.no_pdf", lang))
    build.add_argument(
        "--strict",
        action="store_true",
        help=say("help.build.strict", lang),
    )
    build.add_argument("--json", action="store_true", help=say("help.build.json", lang))
    build.add_argument(
        "--executor",
        default="local",
        help=say("help.build.executor", lang),
    )
    build.set_defaults(func=cmd_build, failure="cli.failure.build")


def _add_schema(commands: argparse._SubParsersAction, lang: str) -> None:
    schema = commands.add_parser("schema", help=say("help.schema", lang))
    schema.add_argument("--write", action="store_true", help=say("help.schema.write", lang))
    schema.set_defaults(func=cmd_schema)


def _add_import(commands: argparse._SubParsersAction, lang: str) -> None:
    command = commands.add_parser(
        "import",
        help=say("help.import", lang),
        description=say("help.import.description", lang),
    )
    command.add_argument("files", nargs="+", metavar="FILE", help=say("help.import.files", lang))
    command.add_argument("--into", default="content", help=say("help.import.into", lang))
    command.add_argument("--year", type=int, help=say("help.import.year", lang))
    command.add_argument(
        "--template",
        choices=("central", "anhui-xianjie", "sichuan", "hubei-2020", "yinchuan"),
        metavar="FAMILY",
        help=say("help.import.template", lang),
    )
    command.add_argument("--region", help=say("help.import.region", lang))
    command.add_argument("--dry-run", action="store_true", help=say("help.import.dry_run", lang))
    command.add_argument("--json", action="store_true", help=say("help.import.json", lang))
    _lang_option(command, lang)
    _jobs_option(command, lang)
    command.set_defaults(func=cmd_import, failure="cli.failure.import")


def _add_changes(commands: argparse._SubParsersAction, lang: str) -> None:
    changes = commands.add_parser("changes", help=say("help.changes", lang))
    changes.add_argument("old", help=say("help.changes.old", lang))
    changes.add_argument("new", nargs="?", help=say("help.changes.new", lang))
    _content_option(changes, lang)
    changes.add_argument("--json", action="store_true", help=say("help.changes.json", lang))
    changes.set_defaults(func=cmd_changes)


def _add_serve(commands: argparse._SubParsersAction, lang: str) -> None:
    serve = commands.add_parser("serve", help=say("help.serve", lang))
    _content_option(serve, lang)
    serve.add_argument("--output", "-o", help=say("help.serve.output", lang))
    serve.add_argument("--cache", default=".cache", help=say("help.serve.cache", lang))
    serve.add_argument("--host", default="127.0.0.1", help=say("help.serve.host", lang))
    serve.add_argument("--port", type=int, default=8000, help=say("help.serve.port", lang))
    serve.add_argument("--no-open", action="store_true", help=say("help.serve.no_open", lang))
    serve.add_argument("--debounce", type=float, default=0.1, help=say("help.serve.debounce", lang))
    serve.add_argument("--no-defer", action="store_true", help=say("help.serve.no_defer", lang))
    _jobs_option(serve, lang)
    serve.set_defaults(func=cmd_serve)


def _add_template(commands: argparse._SubParsersAction, lang: str) -> None:
    from .workbook.command import add_arguments

    template = commands.add_parser("template", help=say("help.template", lang))
    add_arguments(template, lang)
    _content_option(template, lang)
    template.set_defaults(func=cmd_template)


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The parser of every command, its help in `lang` ("zh" or "en"); each command sets `func`
    (what runs it) and may set `failure` (the catalogue's key of how its failures begin;
    `jixiao COMMAND` otherwise)."""
    parser = HelpParser(prog="jixiao", description=say("help.jixiao.description", lang), lang=lang)
    parser.add_argument(
        "--version",
        action="version",
        version=f"jixiao {__version__}",
        help=say("help.version", lang),
    )
    parser.add_argument("--debug", action="store_true", help=say("help.jixiao.debug", lang))
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=functools.partial(HelpParser, lang=lang)
    )
    for add in (
        _add_check,
        _add_build,
        _add_import,
        _add_template,
        _add_schema,
        _add_changes,
        _add_serve,
    ):
        add(commands, lang)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `jixiao ARGS...` (`argv`, default the process's) and return the exit status: 0 done,
    1 the content or the machine needs fixing, 2 an internal error (or a git problem in
    `jixiao changes`), 3 `jixiao build` published the site but held forms with errors back (or
    `jixiao import` left something for a person to check), 130 interrupted."""
    args = build_parser(argv_lang(sys.argv[1:] if argv is None else argv)).parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `jixiao check --json | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except Exception as error:  # the last line of defence: no traceback unless asked for
        if isinstance(error, JixiaoError):  # ContentError, SetupError: the message says it all
            failure = getattr(args, "failure", "")
            said = say(failure, getattr(args, "lang", "zh")) if failure else ""
            print(f"{said or f'jixiao {args.command}'}: {error}", file=sys.stderr)
            return error.exit_status
        if args.debug:
            raise
        print(
            f"jixiao: 内部错误 / internal error: {type(error).__name__}: {error}\n"
            f"jixiao: {INTERNAL_ERROR_HINT}",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
