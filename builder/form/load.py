"""Load: read `content/`, turn every file into a model or into located errors."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..config import SiteConfig
from ..rules.findings import Finding, LocatedFinding, Severity, figures
from ..rules.policies import policy_findings
from .entries import scan_content
from .fields import allowed_keys, field_help, schema_chinese, unknown_key_chinese
from .funding import funding_problems
from .model import VALUE_WORDS, Project
from .source import PathKey, SourceDocument, load_file
from .typed import cells_as_text, replaced, typed_scalar, value_at
from .values import MAX_INTEGER_DIGITS, abbreviated

SITE_FILE = "site.yaml"
M = TypeVar("M", bound=BaseModel)


@dataclass
class LoadedProject:
    """A project file read: its document, its model, and the findings so far (unlocated)."""

    source: SourceDocument
    project: Project | None  # None when the file has errors that stop the model being built
    findings: list[Finding] = field(default_factory=list)

    @property
    def file(self) -> Path:
        """The path of the file, as it was given."""
        return self.source.file


@dataclass
class LoadedContent:
    """A content folder read: site.yaml (its model or None, its document, its findings) and
    every project file."""

    root: Path
    config: SiteConfig | None
    config_source: SourceDocument | None
    config_findings: list[Finding]
    projects: list[LoadedProject]


def content_files(content: Path) -> tuple[list[Path], list[Path]]:
    """(every project file under content/<year>/<unit>/ in a stable order, with every entry
    there that may not be read: reading it gives the located error; the stray files, neither
    forms nor ignored, sorted the same way), by the rule of `entries.scan_content`."""
    # os.walk and strings, not Path.rglob: a tenth of the time on ten thousand files, which a
    # build with nothing changed pays in full. Sorted by their parts, as paths sort.
    scan = scan_content(content)
    return _sorted_paths(scan.entries), _sorted_paths(scan.strays)


def _sorted_paths(found: list[str]) -> list[Path]:
    return [Path(text) for text in sorted(found, key=lambda text: text.split(os.sep))]


def project_files(content: Path) -> list[Path]:
    """The first of `content_files`: what is read as forms."""
    return content_files(content)[0]


def _friendly(
    error: dict[str, Any], model: type[BaseModel], value_path: PathKey, typed: str | None = None
) -> Finding:
    """A pydantic error as a finding; `typed` is the scalar as the file writes it, when known."""
    error = _as_text(error)
    kind = error["type"]
    loc: PathKey = tuple(error["loc"])
    given = error.get("input")
    if isinstance(given, str | int | Decimal) and not isinstance(given, bool):
        given = abbreviated(given) if isinstance(given, str) else _short_number(given)
    message, hint = error["msg"], ""
    message_zh, hint_zh = schema_chinese(error, model, given, typed, VALUE_WORDS)
    if kind == "extra_forbidden":
        message, hint, message_zh, hint_zh = _unknown_key(model, loc)
    elif kind == "missing":
        message = "this field is required but missing"
        hint = field_help(model, loc)
    elif kind in ("decimal_parsing", "decimal_type", "float_parsing", "int_parsing", "int_type"):
        message = f"expected a number, got {given!r}"
        hint = "write digits only, e.g. 10 or 86870000.00"
    elif kind in ("greater_than_equal", "greater_than"):
        limit = error.get("ctx", {}).get("ge", error.get("ctx", {}).get("gt"))
        message = f"must be at least {limit}, got {given}"
        hint = "amounts and points cannot be negative" if limit == 0 else ""
    elif kind in ("less_than_equal", "less_than"):
        message = f"must be at most {error.get('ctx', {}).get('le')}, got {given}"
    elif kind == "number_out_of_range":
        places = error.get("ctx", {}).get("places")
        message = f"{given} {error['msg']}"
        hint = f"at most {MAX_INTEGER_DIGITS} digits before the decimal point and {places} after it"
    elif kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        message = f"expected a date, got {given!r}"
        hint = "write YYYY-MM-DD, e.g. 2023-12-25"
    elif kind == "string_type":
        shown = typed if typed is not None else repr(given)
        message = f"expected text, got {type(given).__name__} {shown}"
        quoted = typed if typed is not None else given
        hint = f'quote it: "{quoted}"' if quoted is not None else ""
    elif kind == "string_pattern_mismatch":
        message = f"{given!r} does not have the expected form"
        hint = field_help(model, loc)
    elif kind in ("dict_type", "model_type"):
        message = f"expected a mapping of keys and values, got {type(given).__name__}"
    elif kind == "list_type":
        message = f"expected a list, got {type(given).__name__}"
        hint = "start each item with '- '"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind == "invisible_character":
        # A key's error ends in "[key]": the finding is about the key itself.
        return _invisible(error, value_path + (loc[:-1] if loc[-1:] == ("[key]",) else loc))
    return Finding(
        Severity.error,
        f"schema-{kind.replace('_', '-')}",
        value_path + loc,
        message,
        hint,
        message_zh=message_zh,
        hint_zh=hint_zh,
    )


def _unknown_key(model: type[BaseModel], loc: PathKey) -> tuple[str, str, str, str]:
    """The message and hint of a key the model does not have, in English and in Chinese: the
    nearest key it has, or all."""
    key = str(loc[-1])
    allowed = allowed_keys(model, loc[:-1])
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(allowed)}"
    message_zh, hint_zh = unknown_key_chinese(key, close[0] if close else None, allowed)
    if not close and allowed and not (key.isascii() and key.isidentifier()):
        # `reason: 原因一, 原因二: 说明` in a {...} row: a text split by its comma
        hint = f"if it belongs to the text before it, a comma split that text: quote it; {hint}"
        hint_zh = f"若它是前一项文字的一部分,是半角逗号把文字拆开了:请给整段文字加上引号;{hint_zh}"
    return f"unknown key {key!r}", hint, message_zh, hint_zh


def _as_text(error: dict[str, Any]) -> dict[str, Any]:
    """`error` as pydantic words it for a text, when it is a text over its bound (`lengths`)
    reported as a `too_long` list would be (an optional bounded text is)."""
    if error["type"] != "too_long" or not isinstance(error.get("input"), str):
        return error
    limit = error.get("ctx", {}).get("max_length")
    return {
        **error,
        "type": "string_too_long",
        "msg": f"String should have at most {limit} characters",
    }


def _short_number(value: int | Decimal) -> int | Decimal | str:
    """A number as a message shows it: itself, or its text abbreviated when it is long (an
    integer of more than 4,300 digits cannot even be turned into text by `str`)."""
    if isinstance(value, int):
        return value if value.bit_length() < 128 else f"an integer of {value.bit_length()} bits"
    text = f"{value:E}" if abs(value.adjusted()) > 40 else str(value)
    return value if len(text) <= 40 else abbreviated(text)


def _invisible(error: dict[str, Any], path: PathKey) -> Finding:
    """`invisible-character`: the text holds a control or bidirectional control character
    (`chars.refuse_invisible`); the message names the first and its place in the text."""
    ctx = error.get("ctx", {})
    more = ctx.get("count", 1) - 1
    message = error["msg"] + (f" and {more} more" if more > 0 else "")
    hint = "delete it: it is invisible, usually pasted from a web page or another program"
    data = figures(char=ctx.get("char", ""), position=ctx.get("position", ""))
    return Finding(Severity.error, "invisible-character", path, message, hint, data)


def _reader_findings(source: SourceDocument) -> list[Finding]:
    """The reader's problems as findings, each with its place among its figures; for a
    document that holds nothing (empty, only comments, `~` / `null`), the error that says so."""
    findings = [
        Finding(
            Severity.error,
            p.code,
            p.path,
            p.message,
            p.hint,
            figures(line=p.line, column=p.column),
            message_zh=p.message_zh,
            hint_zh=p.hint_zh,
        )
        for p in source.problems
    ]
    if source.data is None and not findings:
        findings.append(
            Finding(
                Severity.error,
                "yaml",
                (),
                "the file holds no keys and values (it is empty, only comments, or null)",
                "write the form's fields, or delete the file",
                message_zh="文件里没有键和值(是空文件、只有注释,或是 null)",
                hint_zh="写上表单的各个字段,或删除这个文件",
            )
        )
    return findings


def validate_model(source: SourceDocument, model: type[M]) -> tuple[M | None, list[Finding]]:
    """`model` built from the document's data, or None; with the findings that explain why
    not (the reader's problems, then pydantic's errors made friendly), errors all but one
    kind: a 指标值 or 完成值 cell written as a number is read as the digits typed, and where
    they cannot be read back from the file a warning says so (`typed.cells_as_text`). Keys
    are read as the files write them (aliases), never by a field's Python name."""
    # The reader's problems carry their place: two alike (a full-width comma twice in a row)
    # are each placed where they are.
    findings = _reader_findings(source)
    if source.data is None:
        return None, findings
    if not isinstance(source.data, dict):
        findings.append(
            Finding(
                Severity.error,
                "yaml",
                (),
                "the file must be a mapping of keys and values",
                message_zh="文件应由若干行“键: 值”组成",
            )
        )
        return None, findings
    data = source.data
    # At most once again, with the words typed for yes/no kept as text, and the 指标值 and
    # 完成值 cells written as numbers read as the digits typed (`typed.cells_as_text`).
    for _ in range(2):
        try:
            return model.model_validate(data, by_alias=True, by_name=False), findings
        except ValidationError as error:
            errors = error.errors()
        typed = {
            loc: text
            for e in errors
            if e["type"] == "string_type"
            and (text := typed_scalar(source, loc := tuple(e["loc"]), e["input"])) is not None
        }
        words = {loc: text for loc, text in typed.items() if isinstance(value_at(data, loc), bool)}
        cells, warnings = cells_as_text(source, data, errors)
        if not (words or cells) or data is not source.data:
            break
        findings = findings + warnings
        for loc, text in {**words, **cells}.items():
            data = replaced(data, loc, text)
    # A value the YAML reader already rejected (a bad tag, an impossible date) is reported
    # once, by the reader, not again as a type error of what was left in its place.
    # A value split by a comma is joined back and reported once, by the reader, whatever the
    # model would say of it.
    rejected = {p.path for p in source.problems}.union(*(p.covers for p in source.problems))
    findings.extend(
        _friendly(e, model, (), typed.get(tuple(e["loc"])))
        for e in errors
        if tuple(e["loc"]) not in rejected
    )
    return None, findings


def load_project(path: Path) -> LoadedProject:
    """Read and validate one project file; problems become findings, never exceptions."""
    return read_project(load_file(path))


def read_project(source: SourceDocument) -> LoadedProject:
    """The project in a document already read: its model, or None and the findings that stop
    the model being built."""
    project, findings = validate_model(source, Project)
    if project is not None:
        problems = funding_problems(project.funding, project.lacks("funding"))
        if problems:  # a table the rules cannot read: as a schema error, no model
            return LoadedProject(source, None, findings + problems)
    return LoadedProject(source, project, findings)


def load_config(content: Path) -> tuple[SiteConfig | None, SourceDocument | None, list[Finding]]:
    """`content/site.yaml`: its model (None when missing or invalid), its document (None when
    missing) and its findings. Never raises for a bad file."""
    path = content / SITE_FILE
    if not path.exists():
        return (
            None,
            None,
            [
                Finding(
                    Severity.error,
                    "config-missing",
                    (),
                    f"{path} is missing",
                    "create it with at least `title:` and `base_url:`",
                    message_zh=f"缺少 {path}",
                )
            ],
        )
    source = load_file(path)
    config, findings = validate_model(source, SiteConfig)
    if config is not None:
        findings.extend(policy_findings(config.policies))
    return config, source, findings


def locate(source: SourceDocument, finding: Finding) -> LocatedFinding:
    """The finding placed in `source`'s file: at the value its path names (or the nearest
    ancestor that exists), or, for the reader's own problems, exactly where the reader was."""
    # The reader knows exactly where its own problems are (a syntax error, the second of two
    # duplicate keys); the position of the value at the finding's path would point elsewhere.
    if finding.code in ("yaml", "file"):
        place = dict(finding.data)
        if "line" in place and "column" in place:
            return LocatedFinding(source.file, int(place["line"]), int(place["column"]), finding)
        for problem in source.problems:
            if problem.path == finding.path and problem.message == finding.message:
                return LocatedFinding(source.file, problem.line, problem.column, finding)
    position = source.position(finding.path)
    return LocatedFinding(source.file, position.line, position.column, finding)


def load_content(content: Path, paths: list[Path] | None = None) -> LoadedContent:
    """site.yaml and the project files `paths` (default: all of `content`), read and
    validated; nothing scored."""
    config, config_source, config_findings = load_config(content)
    files = paths if paths is not None else project_files(content)
    projects = [load_project(path) for path in files]
    return LoadedContent(content, config, config_source, config_findings, projects)
