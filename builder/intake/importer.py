"""`jixiao import`: files in, one project file per form found, and what a person must check.

Each file is read (`readers`), its forms found (`recognise`), each form named (`pairing`,
`names`: the file an earlier import wrote from the same place of the same source file, else
an existing file of the same year, unit and name, keeps its id and path), written as YAML (`emit`,
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

import dataclasses
import difflib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..executor import Executor
from ..executor_local import LocalExecutor
from ..form.load import read_project
from ..form.model import Project
from ..form.source import load_text
from ..publish.writing import write_failure
from .draft import Draft, ReviewItem
from .emit import emit, iter_paths, schema_reference
from .grid import Place
from .names import Namer, Naming, known_projects
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
from .pairing import key_of, namesakes, paired
from .reading import Drafting, read_all, read_drafts

# The reader named in `source.reader`, by suffix (anything else is read as text).
READER_NAMES = MappingProxyType({".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx", ".pdf": "pdf"})
# What became of the file when a write was refused (`OutputWriteError`).
NOT_WRITTEN = "这个文件没有写入,其他已写入的文件保持完整"


def run_import(
    files: Sequence[Path],
    options: ImportOptions,
    drafting: Drafting = read_drafts,
    executor: Executor | None = None,
) -> ImportReport:
    """Import `files` in order into `options.into`; never raises for a bad input file (it is
    an `ImportFailure`). A refused write raises `OutputWriteError` (a SetupError).

    The files are read, and each form's file made, in `options.jobs` processes (or by
    `executor`); the forms are named here, in the order of the files, once every file was
    read, and written here in that order: the output is the same whatever the jobs. The
    tasks name files of this machine and carry `drafting`: `executor` is a local one."""
    runner = executor if executor is not None else LocalExecutor(options.jobs)
    namer = Namer(options.into, known_projects(options.into))
    read: list[tuple[Path, str, Draft, list[ReviewItem]]] = []
    failures: list[ImportFailure] = []
    for file, found in zip(files, read_all(files, drafting, options.debug, runner), strict=True):
        if isinstance(found, ImportFailure):
            failures.append(found)
            continue
        drafts, issues, digest = found
        for index, draft in enumerate(drafts):
            extra = [i for i in issues if _owner(i.place, drafts) == index]
            read.append((file, digest, draft, extra))
    keys = [
        key_of(_year(draft.data.get("year"), options.year), file, draft.places.get("name"))
        for file, _, draft, _ in read
    ]
    pairs = paired(namer, keys)  # by where each was read first, then by name (`pairing`)
    settling = [_named(*form, namer, options, pair) for form, pair in zip(read, pairs, strict=True)]
    settling = _namesakes(namer, settling)
    forms = [_written(outcome) for outcome in runner.map(_made, options, settling)]
    return ImportReport(tuple(forms), tuple(failures))


def _namesakes(namer: Namer, settling: list[_Settling]) -> list[_Settling]:
    """Each form with a review item naming the other forms of its year, unit and name."""
    named = [
        (form.naming.path, (form.data["year"], _text(form.data, "unit"), _text(form.data, "name")))
        for form in settling
        if form.naming is not None
    ]
    others = namesakes(namer.known, named)
    out = []
    for form in settling:
        same = others.get(form.naming.path, []) if form.naming is not None else []
        if same:
            where = form.draft.places.get("name", Place(file=str(form.file)))
            listed = "、".join(path.as_posix() for path in same)
            review = (*form.review, _item("duplicate-name", where, listed))
            form = dataclasses.replace(form, review=review)
        out.append(form)
    return out


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


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


@dataclass(frozen=True)
class _Settling:
    """One form named: its source `file` and sha256, its data with the id (or no `naming`:
    it has no year) and its review items so far."""

    file: Path
    digest: str
    draft: Draft
    data: dict[str, Any]
    review: tuple[ReviewItem, ...]
    naming: Naming | None


def _named(
    file: Path,
    digest: str,
    draft: Draft,
    issues: list[ReviewItem],
    namer: Namer,
    options: ImportOptions,
    pair: Naming | None = None,
) -> _Settling:
    """What the user states of the form, its year and its id and path: the file an earlier
    import wrote from the same place (`pair`), else by name (`namer`, in order)."""
    data = dict(draft.data)
    review = [*issues, *draft.review]
    _stated(data, options, review, draft.places.get("name", Place(file=str(file))))
    name = str(data.get("name") or "")
    year = _year(data.get("year"), options.year)
    origin = Place(file=str(file))
    if year is None:
        review.append(_item("no-year", draft.places.get("year", origin), name))
        return _Settling(file, digest, draft, data, tuple(review), None)
    data["year"] = year
    naming = pair or namer.name(year, str(data.get("unit") or ""), name)
    data["id"] = naming.id
    if naming.chosen:
        review.append(_item("id-chosen", draft.places.get("name", origin), naming.id))
    return _Settling(file, digest, draft, data, tuple(review), naming)


def _made(options: ImportOptions, form: _Settling) -> FormOutcome:
    """A named form's YAML, checked and compared with the file there (a task: the module's
    docstring); WRITTEN means it is still to be written (`_written`)."""
    file, data, review, naming = form.file, dict(form.data), list(form.review), form.naming
    name = str(data.get("name") or "")
    if naming is None:
        return FormOutcome(None, NO_YEAR, None, name, str(file), tuple(review))
    origin = Place(file=str(file))
    data["source"] = _source(file, form.digest, form.draft, data)
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
    return _with(outcome, WRITTEN, review)


def _written(outcome: FormOutcome) -> FormOutcome:
    """`outcome`, its file written first when it is a new one (WRITTEN)."""
    if outcome.status == WRITTEN and outcome.path is not None:
        write_new(outcome.path, outcome.text)
    return outcome


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
