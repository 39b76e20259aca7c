"""`jixiao import`: files in, one project file per form found, and what a person must check.

Each file is read (`readers`), its forms found (`recognise`), each form named (`names`: an
existing file of the same year, unit and name keeps its id and path), written as YAML (`emit`,
with a `source:` block saying where every value was read) and compared with what is there:

- no file there: written (atomically: a temporary file beside it, linked into place, so a
  reader never sees half a file and an existing file is never replaced), or with `dry_run`
  only shown;
- a file there that reads as the same form (ignoring `source:`): unchanged, nothing written;
- a file there that differs (edited since, or another form): never overwritten; the unified
  diff is shown and the form gets the review item `differs-from-existing`.

A file that cannot be read, or holds no form, is one located error and the other files are
still imported. `ImportReport.exit_status`: 0 every form written or unchanged; 3 a form
differs, could not be placed, or has a review item for a person; 1 a file could not be read.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import JixiaoError
from ..form.load import read_project
from ..form.model import Project
from ..form.source import load_text
from ..publish.writing import write_failure
from .draft import Draft, ReviewItem
from .emit import emit, iter_paths, schema_reference
from .grid import Place
from .names import Namer, known_projects
from .outcome import (
    DIFFERS,
    DRY_RUN,
    MESSAGES,
    NO_YEAR,
    UNCHANGED,
    WRITTEN,
    FormOutcome,
    ImportFailure,
    ImportOptions,
    ImportReport,
)

# The reader named in `source.reader`, by suffix (anything else is read as text).
READER_NAMES = MappingProxyType({".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx", ".pdf": "pdf"})
# What became of the file when a write was refused (`OutputWriteError`).
NOT_WRITTEN = "这个文件没有写入,其他已写入的文件保持完整"
# A file's drafts and the reader's own review items (cells it could not read).
Drafting = Callable[[Path], tuple[list[Draft], list[ReviewItem]]]


def read_drafts(path: Path) -> tuple[list[Draft], list[ReviewItem]]:
    """The forms found in the file at `path` (`readers`, then `recognise`) and the reader's
    review items. Raises the readers' error for a file that cannot be read."""
    from . import readers
    from .recognise import recognise

    reading = readers.read(path)
    issues = [
        ReviewItem(issue.code, issue.place, issue.message_zh, issue.message_en)
        for issue in getattr(reading, "issues", ())
    ]
    return recognise(reading.tables), issues


def run_import(
    files: Sequence[Path], options: ImportOptions, drafting: Drafting = read_drafts
) -> ImportReport:
    """Import `files` in order into `options.into`; never raises for a bad input file (it is
    an `ImportFailure`). A refused write raises `OutputWriteError` (a SetupError)."""
    namer = Namer(options.into, known_projects(options.into))
    forms: list[FormOutcome] = []
    failures: list[ImportFailure] = []
    for file in files:
        found = _drafts_of(file, drafting, options.debug)
        if isinstance(found, ImportFailure):
            failures.append(found)
            continue
        drafts, issues, digest = found
        for index, draft in enumerate(drafts):
            extra = [i for i in issues if _owner(i.place, drafts) == index]
            forms.append(_settle(file, digest, draft, extra, namer, options))
    return ImportReport(tuple(forms), tuple(failures))


def _drafts_of(
    file: Path, drafting: Drafting, debug: bool
) -> tuple[list[Draft], list[ReviewItem], str] | ImportFailure:
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


def _owner(place: Place, drafts: list[Draft]) -> int:
    """Which draft a reader's review item belongs to: the first with a value read on the same
    sheet, page or table; the first draft when none is."""
    where = (place.sheet, place.page, place.table)
    for index, draft in enumerate(drafts):
        if any((p.sheet, p.page, p.table) == where for p in draft.places.values()):
            return index
    return 0


def _stated(data: dict[str, Any], options: ImportOptions, review: list, where: Place) -> None:
    """What the user states of every form (`--template`, `--region`) into its data; a family
    stated over another that the form's columns suggest is a review item (informational)."""
    if options.region:
        data["region"] = options.region
    if options.template:
        found = str(data.get("template") or "central")
        if found != options.template:
            review.append(_item("template-stated", where, options.template, found))
        data.pop("template", None)
        if options.template != "central":
            data["template"] = options.template


def _settle(
    file: Path,
    digest: str,
    draft: Draft,
    issues: list[ReviewItem],
    namer: Namer,
    options: ImportOptions,
) -> FormOutcome:
    """Name, write and compare one form (the module's docstring)."""
    data = dict(draft.data)
    review = [*issues, *draft.review]
    _stated(data, options, review, draft.places.get("name", Place(file=str(file))))
    name = str(data.get("name") or "")
    year = _year(data.get("year"), options.year)
    origin = Place(file=str(file))
    if year is None:
        review.append(_item("no-year", draft.places.get("year", origin), name))
        return FormOutcome(None, NO_YEAR, None, name, str(file), tuple(review))
    data["year"] = year
    naming = namer.name(year, str(data.get("unit") or ""), name)
    data["id"] = naming.id
    if naming.chosen:
        review.append(_item("id-chosen", draft.places.get("name", origin), naming.id))
    data["source"] = _source(file, digest, draft, data)
    text = emit(data, schema_reference(naming.path.parent))
    review.extend(_validity(text, naming.path, origin))
    outcome = FormOutcome(naming.path, WRITTEN, naming.id, name, str(file), (), text=text)
    existing = _existing(naming.path)
    if existing is not None:
        if existing == text or _same_form(existing, text, naming.path):
            return _with(outcome, UNCHANGED, review)
        review.append(_item("differs-from-existing", origin, naming.path.as_posix()))
        diff = _diff(existing, text, naming.path)
        return _with(outcome, DIFFERS, review, diff)
    if options.dry_run:
        return _with(outcome, DRY_RUN, review)
    write_new(naming.path, text)
    return _with(outcome, WRITTEN, review)


def _with(
    outcome: FormOutcome, status: str, review: list[ReviewItem], diff: str = ""
) -> FormOutcome:
    return FormOutcome(
        outcome.path,
        status,
        outcome.id,
        outcome.name,
        outcome.source,
        tuple(review),
        diff,
        outcome.text,
    )


def _year(value: Any, given: int | None) -> int | None:
    """The form's year as printed (an int, or its digits), else `given` (--year)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return given


def _source(file: Path, digest: str, draft: Draft, data: dict[str, Any]) -> dict[str, Any]:
    """The `source:` block: the file's name, sha256, reader, and the place of every value in
    the order the file writes the values (places of paths not written after, sorted)."""
    texts = {path: place.describe() for path, place in draft.places.items()}
    order = [path for path in iter_paths(data) if path in texts]
    order += sorted(set(texts) - set(order))
    return {
        "file": file.name,
        "sha256": digest,
        "reader": READER_NAMES.get(file.suffix.lower(), "text"),
        "places": {path: texts[path] for path in order},
    }


def _existing(path: Path) -> str | None:
    """The text of the file at `path`, None when there is none (or it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None if not path.exists() else ""


def _model(text: str, path: Path) -> Project | None:
    return read_project(load_text(text, path)).project


def _same_form(existing: str, text: str, path: Path) -> bool:
    """True when the file there and the new text read as the same form, `source:` aside."""
    old, new = _model(existing, path), _model(text, path)
    if old is None or new is None:
        return False
    return old.model_copy(update={"source": None}) == new.model_copy(update={"source": None})


def _validity(text: str, path: Path, origin: Place) -> list[ReviewItem]:
    """A review item when the file made does not read as a valid form (`jixiao check` names
    each error): a value the recogniser could not place, a blank required cell."""
    loaded = read_project(load_text(text, path))
    errors = [f for f in loaded.findings if str(f.severity) == "error"]
    if loaded.project is not None and not errors:
        return []
    fields = "、".join(dict.fromkeys(f.field or "(整个文件)" for f in errors)) or "(整个文件)"
    return [_item("invalid-form", origin, fields)]


def _diff(existing: str, text: str, path: Path) -> str:
    lines = difflib.unified_diff(
        existing.splitlines(keepends=True),
        text.splitlines(keepends=True),
        fromfile=path.as_posix(),
        tofile=f"{path.as_posix()} (imported)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_new(path: Path, text: str) -> None:
    """Write `text` to `path` (UTF-8), which must not exist: through a temporary file in its
    folder linked into place, so that no reader sees half a file and no file there is ever
    replaced (FileExistsError if one appeared meanwhile). Makes the folders. A refused write
    (disk full, read-only) is `OutputWriteError` naming `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.link(temporary, path)
        finally:
            os.unlink(temporary)
    except OSError as error:
        failure = write_failure(error, path, NOT_WRITTEN)
        if failure is None:
            raise
        raise failure from error


def _item(code: str, place: Place, *subjects: str) -> ReviewItem:
    """A review item the importer itself makes (`code` a key of `outcome.MESSAGES`)."""
    zh, en = MESSAGES[code]
    return ReviewItem(code, place, zh.format(*subjects), en.format(*subjects))
