"""Safe YAML loading that remembers where every value came from.

PyYAML composes the document into nodes (with their marks); we construct plain Python values
ourselves so that every value keeps its file, line and column, duplicate keys are errors, and
numbers never pass through binary floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceProblem:
    """A problem found while reading a file, before the data model sees it."""

    path: PathKey
    line: int
    column: int
    message: str
    hint: str = ""


@dataclass
class SourceDocument:
    """A loaded YAML document: plain data plus the position of every value and key."""

    file: Path
    data: Any
    positions: dict[PathKey, Position] = field(default_factory=dict)
    problems: list[SourceProblem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def position(self, path: PathKey) -> Position:
        """The position of the value at `path`, or of its nearest ancestor that exists."""
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.positions.get((), Position(1, 1))


def format_path(path: PathKey) -> str:
    """`("indicators", 3, "weight")` -> `indicators[3].weight`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _Builder:
    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc

    def _mark(self, path: PathKey, node: yaml.Node) -> None:
        mark = node.start_mark
        self.doc.positions[path] = _position(mark.line + 1, mark.column + 1)

    def _problem(self, path: PathKey, node: yaml.Node, message: str, hint: str = "") -> None:
        self.doc.problems.append(
            SourceProblem(path, node.start_mark.line + 1, node.start_mark.column + 1, message, hint)
        )

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self._mark(path, node)
        if node.tag not in _STANDARD_TAGS:
            self._problem(
                path,
                node,
                f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed",
                "only plain YAML values are read; remove the tag",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                self._problem(path, key_node, "keys must be plain text", "write `name: value`")
                continue
            key = key_node.value
            child = (*path, key)
            if key in result:
                first = self.doc.positions[child]
                self._problem(
                    child,
                    key_node,
                    f"duplicate key {key!r} (first given on line {first.line})",
                    "keep one of them; YAML would silently keep only the last",
                )
                continue
            result[key] = self.build(value_node, child)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        tag, raw = node.tag, node.value
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                return _loader_constructor().construct_yaml_timestamp(node)
            except ValueError:
                self._problem(path, node, f"{raw!r} is not a real date", "write YYYY-MM-DD")
                return raw
        return _scalar_value(tag, raw)


def _scalar_value(tag: str, raw: str) -> Any:
    """The value of a resolved scalar other than a timestamp."""
    if tag == "tag:yaml.org,2002:str":
        return raw
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return raw.lower() in ("true", "yes", "on")
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return _number(raw)
    return raw  # pragma: no cover - all standard tags handled by the callers


def _number(raw: str) -> int | Decimal | str:
    text = raw.replace("_", "")
    try:
        return (
            int(text, 0) if text.lstrip("+-").isdigit() or text.startswith("0x") else Decimal(text)
        )
    except (ValueError, InvalidOperation):
        return raw


_constructor = None


def _loader_constructor() -> yaml.constructor.SafeConstructor:
    global _constructor
    if _constructor is None:
        _constructor = yaml.constructor.SafeConstructor()
    return _constructor


# The fast reader. Composing nodes with libyaml and walking them costs most of the time of
# `jixiao check`, and forms use a small, regular part of YAML: block mappings and sequences,
# one-line flow mappings, plain and quoted one-line scalars, and `>-` / `|` text. The reader below
# reads exactly that part, line by line, into the same data and the same positions as the full
# path. Whatever it is not sure of (tabs, anchors, tags, multi-line plain scalars, a duplicate
# key, any problem at all) makes it decline, and the full parser reads the text instead, so it
# never has to report problems itself.


class _Decline(Exception):
    """The text goes beyond what the fast reader reads exactly."""


_STR_TAG = "tag:yaml.org,2002:str"
# The resolver's own table (first character -> (tag, pattern)), so plain scalars get the very
# tags that libyaml's composer would give them.
_IMPLICIT_RESOLVERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers)
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
    if first is not None
}
_FAST_READER_USABLE = (
    None not in _Loader.yaml_implicit_resolvers and not _Loader.yaml_path_resolvers
)
# Characters outside YAML's printable set, line breaks other than \n (they move line numbers),
# tabs, a byte-order mark, and document markers or directives at the start of a line.
_OUTSIDE_SUBSET = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|^(?:---|\.\.\.|%)",
    re.MULTILINE,
)
# A plain scalar may not start with an indicator; `<` is left out too (`<<` is a merge key).
_PLAIN_START = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`<]"
_BLOCK_KEY = re.compile(_PLAIN_START + r"[^:#]*?:(?: +|$)")
_FLOW_KEY = re.compile(_PLAIN_START + r"[^:,\[\]{}#'\"]*?: +")
_FLOW_PLAIN = re.compile(_PLAIN_START + r"[^:,\[\]{}#'\"]*")
_BLOCK_SCALAR_HEADERS = {
    ">": (False, False),
    ">-": (False, True),
    "|": (True, False),
    "|-": (True, True),
}
_LONGEST_KEY = 500  # libyaml refuses simple keys over 1024 characters: leave long ones to it
_position_cache: dict[tuple[int, int], Position] = {}


def _position(line: int, column: int) -> Position:
    """Positions are immutable and recur across files: share one object per (line, column)."""
    key = (line, column)
    found = _position_cache.get(key)
    if found is None:
        if len(_position_cache) > 100_000:
            _position_cache.clear()
        found = _position_cache[key] = Position(line, column)
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _FastReader:
    def __init__(self, text: str, positions: dict[PathKey, Position]) -> None:
        if _OUTSIDE_SUBSET.search(text):
            raise _Decline
        self.lines = text.split("\n")
        self.positions = positions

    def read(self) -> dict[str, Any]:
        first = self._next(0)
        if first == len(self.lines) or self.lines[first][0] == " ":
            raise _Decline
        data, after = self._mapping(first, 0, ())
        if self._next(after) != len(self.lines):
            raise _Decline
        return data

    def _next(self, index: int) -> int:
        """The first line from `index` on that is neither blank nor a comment."""
        lines = self.lines
        while index < len(lines):
            stripped = lines[index].lstrip(" ")
            if stripped and stripped[0] != "#":
                return index
            index += 1
        return index

    def _mark(self, path: PathKey, index: int, column: int) -> None:
        self.positions[path] = _position(index + 1, column + 1)

    def _mapping(self, index: int, indent: int, path: PathKey) -> tuple[dict[str, Any], int]:
        """A block mapping whose keys start at column `indent`, the first on line `index`."""
        lines = self.lines
        result: dict[str, Any] = {}
        self._mark(path, index, indent)
        while True:
            line = lines[index]
            match = _BLOCK_KEY.match(line, indent)
            if match is None:
                raise _Decline
            end = match.end()
            key = line[indent : line.rindex(":", indent, end)]
            if key in result or key[-1] == " " or len(key) > _LONGEST_KEY:
                raise _Decline
            child = (*path, key)
            if end == len(line) or line[end] == "#":
                result[key], after = self._nested(index, indent, child)
            elif line[end] in "|>":
                result[key], after = self._block_scalar(index, end, indent, child)
            else:
                result[key] = self._inline(line, end, index, child, flow_ok=True)
                after = index + 1
            index = self._next(after)
            if index == len(lines):
                return result, index
            next_indent = _indent(lines[index])
            if next_indent < indent:
                return result, index
            if next_indent > indent:
                raise _Decline  # a continued plain scalar, or an error: the full parser decides

    def _nested(self, index: int, indent: int, path: PathKey) -> tuple[Any, int]:
        """The block collection under `key:` (nothing but a comment after the colon)."""
        lines = self.lines
        start = self._next(index + 1)
        if start == len(lines):
            raise _Decline
        line = lines[start]
        column = _indent(line)
        if column <= indent:
            raise _Decline  # an empty value, or an indentless sequence
        if line.startswith("-", column):
            return self._sequence(start, column, path)
        return self._mapping(start, column, path)

    def _sequence(self, index: int, indent: int, path: PathKey) -> tuple[list[Any], int]:
        lines = self.lines
        items: list[Any] = []
        self._mark(path, index, indent)
        while True:
            line = lines[index]
            if not line.startswith("- ", indent):
                raise _Decline
            column = indent + 2
            while column < len(line) and line[column] == " ":
                column += 1
            if column == len(line):
                raise _Decline
            child = (*path, len(items))
            if _BLOCK_KEY.match(line, column):
                item, after = self._mapping(index, column, child)
            else:
                item, after = self._inline(line, column, index, child, flow_ok=True), index + 1
            items.append(item)
            index = self._next(after)
            if index == len(lines):
                return items, index
            next_indent = _indent(lines[index])
            if next_indent < indent:
                return items, index
            if next_indent > indent:
                raise _Decline

    def _inline(self, line: str, column: int, index: int, path: PathKey, flow_ok: bool) -> Any:
        """A value that ends on its own line: a flow mapping, a quoted or a plain scalar."""
        first = line[column]
        if first == "{" and flow_ok:
            value, end = self._flow_mapping(line, column, index, path)
        elif first == '"' or first == "'":
            self._mark(path, index, column)
            value, end = _quoted(line, column)
        else:
            comment = line.find(" #", column)
            raw = line[column : comment if comment >= 0 else len(line)].rstrip(" ")
            if (
                first in "-?:,[]{}#&*!|>'\"%@`<"
                or ": " in raw
                or raw[-1] == ":"
                or len(raw) > _LONGEST_KEY  # see `_plain`: keeps libyaml's key limit out of play
            ):
                raise _Decline
            self._mark(path, index, column)
            return _plain(raw)
        _end_of_line(line, end)
        return value

    def _flow_mapping(
        self, line: str, column: int, index: int, path: PathKey
    ) -> tuple[dict[str, Any], int]:
        """`{key: value, ...}` on one line, without nesting; returns it and where it ends."""
        self._mark(path, index, column)
        result: dict[str, Any] = {}
        position = column + 1
        try:
            while line[position] == " ":
                position += 1
            if line[position] == "}":
                return result, position + 1
            while True:
                match = _FLOW_KEY.match(line, position)
                if match is None:
                    raise _Decline
                key = line[position : line.rindex(":", position, match.end())]
                if key in result or key[-1] == " " or len(key) > _LONGEST_KEY:
                    raise _Decline
                position = match.end()
                child = (*path, key)
                self._mark(child, index, position)
                if line[position] in "\"'":
                    result[key], position = _quoted(line, position)
                else:
                    plain = _FLOW_PLAIN.match(line, position)
                    if plain is None:
                        raise _Decline
                    result[key] = _plain(plain.group().rstrip(" "))
                    position = plain.end()
                while line[position] == " ":
                    position += 1
                if line[position] == "}":
                    return result, position + 1
                if line[position] != ",":
                    raise _Decline
                position += 1
                while line[position] == " ":
                    position += 1
        except IndexError:
            raise _Decline from None  # the mapping goes on past the end of the line

    def _block_scalar(
        self, index: int, column: int, parent_indent: int, path: PathKey
    ) -> tuple[str, int]:
        """`>`, `>-`, `|` or `|-` text, its lines indented alike (more only in `|`)."""
        lines = self.lines
        header = lines[index][column:].rstrip(" ")
        if header not in _BLOCK_SCALAR_HEADERS:
            raise _Decline  # indentation indicators, `+`, a comment after the header
        literal, strip = _BLOCK_SCALAR_HEADERS[header]
        self._mark(path, index, column)
        start = index + 1
        if start == len(lines) or not lines[start].strip(" "):
            raise _Decline  # leading blank lines decide the indentation in subtle ways
        indent = _indent(lines[start])
        if indent <= parent_indent:
            raise _Decline
        pieces: list[str | None] = []  # None for a blank line
        end = start
        while end < len(lines):
            line = lines[end]
            if not line.strip(" "):
                if len(line) > indent:
                    raise _Decline  # spaces beyond the indentation are content
                pieces.append(None)
            else:
                line_indent = _indent(line)
                if line_indent < indent:
                    break
                if line_indent > indent and not literal:
                    raise _Decline  # more-indented lines are not folded
                pieces.append(line[indent:])
            end += 1
        while pieces[-1] is None:
            pieces.pop()
        last_content = start + len(pieces) - 1
        if literal:
            text = "\n".join("" if piece is None else piece for piece in pieces)
        else:
            parts: list[str] = []
            blanks = 0
            for piece in pieces:
                if piece is None:
                    blanks += 1
                    continue
                if parts:
                    parts.append("\n" * blanks if blanks else " ")
                parts.append(piece)
                blanks = 0
            text = "".join(parts)
        if not strip and last_content < len(lines) - 1:
            text += "\n"  # clip: the final line break, when there is one
        return text, end


def _quoted(line: str, column: int) -> tuple[str, int]:
    """A quoted scalar that closes on its own line, without escapes; and where it ends."""
    quote = line[column]
    if quote == '"':
        end = line.find('"', column + 1)
        if end < 0 or "\\" in line[column + 1 : end]:
            raise _Decline
        return line[column + 1 : end], end + 1
    text, position = [], column + 1
    while True:
        end = line.find("'", position)
        if end < 0:
            raise _Decline
        text.append(line[position:end])
        if line.startswith("''", end):
            text.append("'")
            position = end + 2
            continue
        return "".join(text), end + 1


def _plain(raw: str) -> Any:
    tag = _STR_TAG
    for candidate, pattern in _IMPLICIT_RESOLVERS.get(raw[0], ()):
        if pattern.match(raw):
            tag = candidate
            break
    if tag is _STR_TAG:
        return raw
    if tag not in _STANDARD_TAGS:
        raise _Decline  # reported as a problem by the full path
    if tag == "tag:yaml.org,2002:timestamp":
        try:
            return _loader_constructor().construct_yaml_timestamp(yaml.ScalarNode(tag, raw))
        except ValueError:
            raise _Decline from None
    return _scalar_value(tag, raw)


def _end_of_line(line: str, position: int) -> None:
    """Only spaces, or spaces and a comment, may follow a value on its line."""
    rest = line[position:]
    stripped = rest.lstrip(" ")
    if stripped and not (stripped[0] == "#" and len(stripped) < len(rest)):
        raise _Decline


def load_text(text: str, file: Path) -> SourceDocument:
    """Parse YAML text; syntax errors become problems, never exceptions."""
    doc = SourceDocument(file=file, data=None, lines=text.splitlines())
    if _FAST_READER_USABLE:
        try:
            doc.data = _FastReader(text, doc.positions).read()
            return doc
        except _Decline:
            doc.positions.clear()
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = error.problem or "cannot be read as YAML"
        context = f" ({error.context})" if error.context else ""
        doc.problems.append(
            SourceProblem(
                (),
                line,
                column,
                f"YAML syntax: {message}{context}",
                "check indentation and quoting on this line or the one above",
            )
        )
        return doc
    except yaml.YAMLError as error:
        doc.problems.append(SourceProblem((), 1, 1, f"YAML: {error}"))
        return doc
    if node is None:
        doc.data = {}
        doc.positions[()] = Position(1, 1)
        return doc
    doc.data = _Builder(doc).build(node, ())
    return doc


def load_file(file: Path) -> SourceDocument:
    try:
        raw = file.read_bytes()
    except OSError as error:
        doc = SourceDocument(file=file, data=None)
        doc.problems.append(SourceProblem((), 1, 1, f"cannot read the file: {error.strerror}"))
        return doc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        doc = SourceDocument(file=file, data=None)
        line = raw[: error.start].count(b"\n") + 1
        doc.problems.append(
            SourceProblem((), line, 1, "the file is not UTF-8 text", "save it as UTF-8")
        )
        return doc
    return load_text(text, file)


__all__ = ["Position", "SourceDocument", "SourceProblem", "format_path", "load_file", "load_text"]
