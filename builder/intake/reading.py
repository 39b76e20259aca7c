"""Reading the files of one `jixiao import`: every file's forms found, in worker processes.

The files are independent, so each is a task of the executor (`executor.Executor.map`, the
build's interface: `LocalExecutor` forks `jobs - 1` processes and takes tasks itself): read
(`readers`), its forms found (`recognise`), its sha256 taken. A long PDF is cut into page
ranges, a task each: a page is read alone (`readers.pdf.read_pages`), so the ranges' tables
put back in page order are the file's tables, and the forms are found in them here, after
the join, so a form printed across the cut is found whole. Results come back in the order of
the files whatever finishes first, and nothing here names a form: ids are given afterwards,
in that order (`importer.run_import`). One job reads the same tasks in this process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import JixiaoError
from ..executor import Executor
from .draft import Draft, ReviewItem
from .outcome import ImportFailure

# A file's drafts and the reader's own review items (cells it could not read).
Drafting = Callable[[Path], tuple[list[Draft], list[ReviewItem]]]
# One file's forms, its reader's review items and its sha256; or why it gave none.
Found = tuple[list[Draft], list[ReviewItem], str] | ImportFailure
# A PDF of at least this many pages is read in page ranges of at least half as many pages:
# opening the file again costs a range about what two pages cost to read.
SPLIT_FROM_PAGES = 8


def read_drafts(path: Path) -> tuple[list[Draft], list[ReviewItem]]:
    """The forms found in the file at `path` (`readers`, then `recognise`) and the reader's
    review items. Raises the readers' error for a file that cannot be read."""
    from . import readers

    reading = readers.read(path)
    return _drafts(reading)


@dataclass(frozen=True)
class _Task:
    """A whole file (`first` 0) or the pages `first`…`last` of a PDF."""

    path: Path
    first: int = 0
    last: int = 0


def read_all(
    files: Sequence[Path], drafting: Drafting, debug: bool, executor: Executor
) -> list[Found]:
    """What each of `files` gave, in their order (see the module docstring). `drafting`
    reads one whole file (tests give their own); the page ranges of a long PDF are read only
    with the default, `read_drafts`. A file's error is its `ImportFailure`, unless `debug`
    and the error is not a reader's own (then it rises, with its traceback)."""
    plan = [_ranges(path, executor.workers, drafting) for path in files]
    tasks = [task for ranges in plan for task in ranges]
    results = iter(executor.map(_read_task, (drafting, debug), tasks))
    found: list[Found] = []
    for path, ranges in zip(files, plan, strict=True):
        parts = [next(results) for _ in ranges]
        found.append(parts[0] if ranges[0].first == 0 else _joined(path, parts, debug))
    return found


def _ranges(path: Path, workers: int, drafting: Drafting) -> list[_Task]:
    """The tasks reading `path`: the file whole, or a long PDF's page ranges (about two per
    worker, none longer than needed for that and none shorter than SPLIT_FROM_PAGES / 2 but
    the last)."""
    if workers < 2 or drafting is not read_drafts or path.suffix.lower() != ".pdf":
        return [_Task(path)]
    from .readers.pdf import page_count

    try:
        pages = page_count(path)
    except Exception:  # the whole-file task says what is wrong with it
        return [_Task(path)]
    if pages < SPLIT_FROM_PAGES:
        return [_Task(path)]
    size = max(SPLIT_FROM_PAGES // 2, -(-pages // (2 * workers)))
    return [_Task(path, first, min(pages, first + size - 1)) for first in range(1, pages + 1, size)]


def _read_task(shared: tuple[Drafting, bool], task: _Task) -> object:
    """One task in a worker: a whole file's `Found`, or a page range's tables (a list) or
    its `ImportFailure` (returned, so that the first in page order is the one said)."""
    drafting, debug = shared
    if task.first == 0:
        return drafts_of(task.path, drafting, debug)
    from .readers.pdf import read_pages

    try:
        return read_pages(task.path, task.first, task.last)
    except Exception as error:  # a ReadError: the page that cannot be parsed
        failure = _failure_of(str(task.path), error, debug)
        if failure is None:
            raise
        return failure


def _joined(path: Path, parts: list[object], debug: bool) -> Found:
    """A PDF's `Found` from its page ranges' tables (or the first range's failure)."""
    from .readers.pdf import joined

    failed = [part for part in parts if isinstance(part, ImportFailure)]
    if failed:
        return failed[0]
    return drafts_of(path, lambda _: _drafts(joined(path, parts)), debug)  # type: ignore[arg-type]


def _drafts(reading: object) -> tuple[list[Draft], list[ReviewItem]]:
    """The drafts of a reader's `Reading` and its issues as review items."""
    from .recognise import recognise

    issues = [
        ReviewItem(issue.code, issue.place, issue.message_zh, issue.message_en)
        for issue in getattr(reading, "issues", ())
    ]
    issued = bool(getattr(reading, "issued", False))
    return recognise(reading.tables, issued), issues  # type: ignore[attr-defined]


def drafts_of(file: Path, drafting: Drafting, debug: bool) -> Found:
    """The drafts of one file, its reader's review items and the file's sha256, or why not."""
    name = str(file)
    try:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        drafts, issues = drafting(file)
    except Exception as error:  # a reader's own error, or a library's on a damaged file
        failure = _failure_of(name, error, debug)
        if failure is None:
            raise
        return failure
    if not drafts:
        return ImportFailure(
            name,
            "no-form",
            "没有找到项目支出绩效自评表(没有「项目名称」和绩效指标表)",
            "no 项目支出绩效自评表 found (no 项目名称 and no indicator table)",
            "确认这是自评表本身,而不是决算表或说明文字",
            "check that the file is the form itself",
        )
    return drafts, issues, digest


def _failure_of(name: str, error: Exception, debug: bool) -> ImportFailure | None:
    """A file's error as a failure: a reader's own (`code`, `message_zh`, `message_en`,
    hints), an OSError, a JixiaoError; anything else too (a library's error on a damaged
    file), unless `debug` (None: let it rise with its traceback)."""
    if getattr(error, "code", None) and hasattr(error, "message_zh"):
        return ImportFailure(
            name,
            str(getattr(error, "code", "unreadable-file")),
            str(getattr(error, "message_zh", "")),
            str(getattr(error, "message_en", "")),
            str(getattr(error, "hint_zh", "")),
            str(getattr(error, "hint_en", "")),
        )
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        return ImportFailure(
            name,
            "unreadable-file",
            f"无法读取文件:{reason}",
            f"cannot read the file: {reason}",
            "检查路径和权限",
            "check the path and the permissions",
        )
    if isinstance(error, JixiaoError):
        return ImportFailure(name, "unreadable-file", str(error), str(error))
    return None if debug else _unexpected(name, error)


def _unexpected(name: str, error: BaseException) -> ImportFailure:
    what = f"{type(error).__name__}: {error}"
    return ImportFailure(
        name,
        "unreadable-file",
        f"无法按其格式读取(文件可能已损坏):{what}",
        f"cannot be read as its format (the file may be damaged): {what}",
        "用原程序打开后重新保存,或加 --debug 查看详情",
        "save it again from the program that made it, or run with --debug",
    )
