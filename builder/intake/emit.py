"""A draft written as a project file: YAML laid out as the hand-written files are.

The first line names the JSON Schema (`# yaml-language-server: $schema=…`, relative to the
file's folder); then the header (id, year, name, department, unit, filled_on, contact and the
family's extras), then each part after a blank line (funding, goals, weights, indicators,
declared, remarks, partial) and `source:` last. Short rows are flow mappings
(`{level1: …, weight: 10}`), a row with a reason or 「其中」 rows is written out key by key, a
long text (goals, remarks, the declared texts) is a folded block. A blank value (None, "", an
empty list or mapping) is left out, as the hand files leave it out.

A string is quoted when YAML would read it otherwise (`"502"`, `no`, `"="`, `"8:30"`, a
leading `*` or `&`, a `, ` inside a flow row); a number field holds the number as printed
(`950500.00`), a date field the date (`2023-12-25`). The same draft always gives the same bytes.
The text is read back before it is returned: a document that would not read back as written is
written again with every string quoted (`EmitError` if even that fails: a bug).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..form.source import load_text
from .scalars import block_safe, multiline, plain, quoted, typed

SCHEMA_FILE = "project.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema="
# The header keys in the order of the hand-written files, then the parts (each after a blank
# line); any other key after them in the draft's order, `source` last.
HEADER = tuple(
    "id year code name template department unit unit_code region filled_on contact categories "
    "people labels".split()
)
PARTS = ("funding", "goals", "weights", "indicators", "declared", "remarks", "partial")
LAST = ("source",)
_FUNDING_KEYS = ("total", "fiscal", "local", "superior", "other")
_AMOUNTS = ("initial", "budget", "executed")
# Key order inside each kind of mapping (by the path's pattern, `*` a list item).
ORDER: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "department": ("name", "code"),
        "people.*": ("role", "name", "phone"),
        "funding": ("amount_unit", "rows", *_FUNDING_KEYS, "reason"),
        **{f"funding.{key}": _AMOUNTS for key in _FUNDING_KEYS},
        "funding.rows.*": ("name", "total", *_AMOUNTS, "weight", "rate", "score"),
        "goals": ("planned", "achieved"),
        "weights": ("execution", "levels", "level2"),
        "indicators.*": tuple(
            "level1 level2 name core nature target unit actual weight score reason subrows".split()
        ),
        "indicators.*.subrows.*": ("name", "nature", "target", "unit", "actual", "reason"),
        "declared": tuple(
            "execution_rate execution_ratio execution_score total_weight total grade "
            "conclusion problems improvements other_notes review_score".split()
        ),
        "partial": ("missing", "note"),
        "labels": tuple(
            "unit initial budget executed rate target actual reason conclusion problems "
            "improvements other_notes".split()
        ),
        "source": ("file", "sha256", "reader", "places"),
    }
)
# Values that are flow mappings or sequences on one line.
FLOW = frozenset(
    {
        "department",
        "people.*",
        *(f"funding.{key}" for key in _FUNDING_KEYS),
        "funding.rows.*",
        "weights.levels",
        "weights.level2",
        "indicators.*",
        "indicators.*.subrows.*",
        "partial.missing",
        "labels",
    }
)
# A row of these is written key by key when it has one of these keys (or a multi-line text),
# or when its flow mapping would be longer than FLOW_WIDTH characters.
BLOCK_WHEN: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"indicators.*": ("reason", "subrows")}
)
FLOW_WIDTH = 240
# Texts written as a folded block (`>-`) when longer than LONG_TEXT characters.
LONG_TEXTS = frozenset(
    {
        "goals.planned",
        "goals.achieved",
        "remarks",
        "funding.reason",
        "partial.note",
        *(f"declared.{key}" for key in ("conclusion", "problems", "improvements", "other_notes")),
    }
)
LONG_TEXT = 60
# In a folded block a numbered item starts a line: the single space before 「2.」 folds back.
_ITEM_BREAK = re.compile(r"(?<=\S) (?=\d{1,2} ?[.．、]\D)")
# Mappings whose keys are the form's own words (一级指标, check-box labels, field paths).
FREE_KEYS = frozenset({"weights.levels", "weights.level2", "categories", "source.places"})


class EmitError(Exception):
    """The YAML written for a draft does not read back as the draft (an internal error)."""


def schema_reference(folder: Path) -> str:
    """The `$schema` path a project file in `folder` names: relative to the nearest folder
    above holding `builder/schemas/project.schema.json` (the repository's own), else as in a
    site's `content/<year>/<unit>/` (`../../../builder/schemas/project.schema.json`)."""
    folder = folder.resolve()
    for above in (folder, *folder.parents):
        if (above / "builder" / "schemas" / SCHEMA_FILE).is_file():
            return Path(
                os.path.relpath(above / "builder" / "schemas" / SCHEMA_FILE, folder)
            ).as_posix()
    return f"../../../builder/schemas/{SCHEMA_FILE}"


def emit(data: Mapping[str, Any], schema: str) -> str:
    """The project file of `data` (a project file's keys and values, `source` included when
    given), its first line naming `schema` (`schema_reference`). Deterministic. Raises
    EmitError if the text would not read back as `data`."""
    for quote_all in (False, True):
        lines, expected = _document(data, quote_all)
        text = "\n".join([SCHEMA_LINE + schema, *lines]) + "\n"
        document = load_text(text, Path("draft.yaml"))
        if not document.problems and document.data == expected:
            return text
    raise EmitError("the YAML written for this draft does not read back as the draft")


def _document(data: Mapping[str, Any], quote_all: bool) -> tuple[list[str], dict[str, Any]]:
    writer = _Writer(quote_all)
    known = (*HEADER, *PARTS, *LAST)
    others = [key for key in data if key not in known]
    for key in (*HEADER, *PARTS, *others, *LAST):
        value = data.get(key)
        if _blank(value):
            continue
        if key not in HEADER and writer.lines:
            writer.lines.append("")
        writer.entry(key, value, (key,), 0)
    return writer.lines, writer.expected


def _blank(value: Any) -> bool:
    """None, "", an empty list, or a mapping of blanks: left out of the file."""
    if isinstance(value, Mapping):
        return all(_blank(item) for item in value.values())
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def _pattern(path: tuple[str | int, ...]) -> str:
    """`path` with list indexes and the keys of FREE_KEYS mappings as `*`: indicators.*.target."""
    parts: list[str] = []
    for part in path:
        free = isinstance(part, int) or ".".join(parts) in FREE_KEYS
        parts.append("*" if free else str(part))
    return ".".join(parts)


def _ordered(mapping: Mapping[str, Any], path: tuple[str | int, ...]) -> list[tuple[str, Any]]:
    order = ORDER.get(_pattern(path), ())
    keys = [k for k in order if k in mapping] + [k for k in mapping if k not in order]
    return [(str(k), mapping[k]) for k in keys if not _blank(mapping[k])]


class _Writer:
    """The lines of one document, and the data they must read back as."""

    def __init__(self, quote_all: bool) -> None:
        self.quote_all = quote_all
        self.lines: list[str] = []
        self.expected: dict[str, Any] = {}

    def entry(self, key: str, value: Any, path: tuple[str | int, ...], indent: int) -> None:
        """`key: value` at `indent` spaces, and its value recorded in `expected`."""
        _put(self.expected, path, None)
        pad, label = " " * indent, self.key(key, flow=False)
        pattern = _pattern(path)
        if isinstance(value, Mapping):
            flow = self.flow(value, path)
            if flow is not None:
                width = _funding_width(path)
                self.lines.append(f"{pad}{(label + ':').ljust(width)} {flow}")
                return
            comment = "  # 元" if path == ("funding",) and "amount_unit" not in value else ""
            self.lines.append(f"{pad}{label}:{comment}")
            _put(self.expected, path, {})
            for child, item in _ordered(value, path):
                self.entry(child, item, (*path, child), indent + 2)
            return
        if isinstance(value, list | tuple):
            _put(self.expected, path, [None] * len(value))
            if pattern in FLOW:
                items = [self.scalar(item, (*path, i), flow=True) for i, item in enumerate(value)]
                self.lines.append(f"{pad}{label}: [{', '.join(items)}]")
                return
            self.lines.append(f"{pad}{label}:")
            for index, item in enumerate(value):
                self.item(item, (*path, index), indent + 2)
            return
        block = self.block(value, pattern)
        if block is not None:
            _put(self.expected, path, value)
            self.lines.append(f"{pad}{label}: {block[0]}")
            self.lines.extend(f"{pad}  {line}" if line else "" for line in block[1])
            return
        self.lines.append(f"{pad}{label}: {self.scalar(value, path, flow=False)}")

    def item(self, value: Any, path: tuple[str | int, ...], indent: int) -> None:
        """`- value` of a block sequence at `indent`: a flow row, a mapping key by key, a scalar."""
        pad = " " * indent
        if isinstance(value, Mapping):
            flow = self.flow(value, path)
            if flow is not None:
                self.lines.append(f"{pad}- {flow}")
                return
            _put(self.expected, path, {})
            start = len(self.lines)
            for child, item in _ordered(value, path):
                self.entry(child, item, (*path, child), indent + 2)
            if len(self.lines) > start:
                self.lines[start] = f"{pad}- {self.lines[start][indent + 2 :]}"
            else:
                self.lines.append(f"{pad}- {{}}")  # a row of blanks: still a row
            return
        self.lines.append(f"{pad}- {self.scalar(value, path, flow=False)}")

    def flow(self, mapping: Mapping[str, Any], path: tuple[str | int, ...]) -> str | None:
        """`{key: value, …}` when the mapping at `path` is written on one line, else None."""
        pattern = _pattern(path)
        if pattern not in FLOW:
            return None
        items = _ordered(mapping, path)
        if any(key in mapping and not _blank(mapping[key]) for key in BLOCK_WHEN.get(pattern, ())):
            return None
        if any(isinstance(v, Mapping | list | tuple) for _, v in items):
            return None
        if any(isinstance(v, str) and multiline(v) for _, v in items):
            return None
        _put(self.expected, path, {})
        parts = [
            f"{self.key(k, flow=True)}: {self.scalar(v, (*path, k), flow=True)}" for k, v in items
        ]
        text = "{" + ", ".join(parts) + "}"
        return text if len(text) <= FLOW_WIDTH or pattern not in BLOCK_WHEN else None

    def key(self, key: str, flow: bool) -> str:
        """A mapping key, quoted when YAML would read it otherwise."""
        return quoted(key) if self.quote_all or not plain(key, flow) else key

    def scalar(self, value: Any, path: tuple[str | int, ...], flow: bool) -> str:
        """One value as YAML text by its field's kind; `expected` gets what it reads back as."""
        pattern = _pattern(path)
        text, read = typed(value, pattern)
        if read is not None:
            _put(self.expected, path, read)
            return text
        _put(self.expected, path, text)
        if self.quote_all or not plain(text, flow):
            return quoted(text)
        return text

    def block(self, value: Any, pattern: str) -> tuple[str, list[str]] | None:
        """(indicator, lines) of a text written as a block scalar: a multi-line text (`|`) or
        a long one of LONG_TEXTS (`>-`); None for any other value."""
        if self.quote_all or not isinstance(value, str) or not block_safe(value):
            return None
        if multiline(value):
            body = value[:-1] if value.endswith("\n") else value
            return ("|" if value.endswith("\n") else "|-"), body.split("\n")
        if pattern in LONG_TEXTS and len(value) > LONG_TEXT:
            return ">-", _ITEM_BREAK.split(value)
        return None


def _put(target: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    """Set `value` at `path` of the nested data `target`; None only makes the containers."""
    node: Any = target
    for part in path[:-1]:
        node = node[part]
    last = path[-1]
    if value is None:
        if isinstance(node, dict):
            node.setdefault(last, None)
        return
    node[last] = value


def _funding_width(path: tuple[str | int, ...]) -> int:
    """Keys of the funding table by key are padded so their rows line up: `total:    {…}`."""
    return len("superior:") if len(path) == 2 and path[0] == "funding" else 0


def iter_paths(data: Mapping[str, Any]) -> Iterator[str]:
    """Every field path of `data` in the order `emit` writes them (`indicators[0].target`)."""
    from ..form.positions import format_path

    def walk(value: Any, path: tuple[str | int, ...]) -> Iterator[str]:
        if path:
            yield format_path(path)
        if isinstance(value, Mapping):
            keys = [k for k, _ in _ordered(value, path)] if path else _top_keys(value)
            for key in keys:
                yield from walk(value[key], (*path, key))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))

    yield from walk(data, ())


def _top_keys(data: Mapping[str, Any]) -> list[str]:
    known = (*HEADER, *PARTS, *LAST)
    others = [key for key in data if key not in known]
    return [k for k in (*HEADER, *PARTS, *others, *LAST) if k in data and not _blank(data[k])]
