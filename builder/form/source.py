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

    # A document read from text (`load_text`) keeps that text, outside the fields. Its `lines`
    # are split from it when first asked for (most files are never quoted in a finding). Sent to
    # another process it travels as the text alone: pickling hundreds of paths and positions
    # costs more than reading the text again, and the receiving side rarely needs them (findings
    # are placed where the document was read); there `data` and `positions` are read again
    # from the text, the same way, the first time they are asked for.

    def __reduce_ex__(self, protocol: Any) -> Any:
        text = self.__dict__.get("_text")
        if text is None:
            return object.__reduce_ex__(self, protocol)
        return (_document_from_text, (self.file, text, self.problems))

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set: the fields of a document not yet read again.
        text = self.__dict__.get("_text")
        if text is None or name not in ("data", "positions", "lines"):
            raise AttributeError(name)
        if name == "lines":
            self.lines = text.splitlines()
        else:
            again = load_text(text, self.file)
            self.data, self.positions = again.data, again.positions
        return self.__dict__[name]


def _document_from_text(file: Path, text: str, problems: list[SourceProblem]) -> SourceDocument:
    document = SourceDocument.__new__(SourceDocument)
    document.__dict__.update(file=file, problems=problems, _text=text)
    return document


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
# path. Whatever it is not sure of (tabs, anchors, tags, escapes, multi-line plain scalars, a
# duplicate key, any problem at all) makes it decline, and the full parser reads the text instead,
# so it never has to report problems itself.


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
# Characters outside YAML's printable set, and line breaks other than \n and tabs (they would
# move line numbers and columns, or change what is indentation).
_OUTSIDE_SUBSET = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)
# A plain scalar may not start with an indicator (`-`, `?` and `:` may, but rarely do here).
_PLAIN_START = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]"
# A key that the full path would read differently is left out: `<<` (a merge key), `...` (the
# end of a document at the start of a line), a space before the colon, over 500 characters
# (libyaml refuses simple keys over 1024).
_KEY_START = r"(?!<<:|\.\.\.)" + _PLAIN_START
_BLOCK_KEY = re.compile("(" + _KEY_START + r"(?:[^:#]{0,498}[^:#\s])?):(?: +|$)")
# One entry of a one-line flow mapping: key, value (quoted without escapes, or plain) and the
# `,` or `}` after it.
_FLOW_ENTRY = re.compile(
    " *(" + _KEY_START + r"""(?:[^:,\[\]{}#'"]{0,498}[^:,\[\]{}#'"\s])?): +"""
    r"""("[^"\\]*"|'(?:[^']|'')*'|""" + _PLAIN_START + r"""[^:,\[\]{}#'"]*?) *([,}])"""
)
_BLOCK_SCALAR_HEADERS = {
    ">": (False, False),
    ">-": (False, True),
    "|": (True, False),
    "|-": (True, True),
}
_CACHE_LIMIT = 100_000
_position_cache: dict[tuple[int, int], Position] = {}
_plain_cache: dict[str, Any] = {}
_MISSING = object()


def _position(line: int, column: int) -> Position:
    """Positions are immutable and recur across files: share one object per (line, column)."""
    key = (line, column)
    found = _position_cache.get(key)
    if found is None:
        if len(_position_cache) > _CACHE_LIMIT:
            _position_cache.clear()
        found = _position_cache[key] = Position(line, column)
    return found


# Paths recur in every form (`indicators[3].weight`): one shared tuple per path, found through
# its parent, saves memory and the collector's time over thousands of documents.
_path_children: dict[PathKey, dict[str | int, PathKey]] = {}


def _children(path: PathKey) -> dict[str | int, PathKey]:
    children = _path_children.get(path)
    if children is None:
        if len(_path_children) > _CACHE_LIMIT:
            _path_children.clear()
        children = _path_children[path] = {}
    return children


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
        return self._next_indented(index)[0]

    def _next_indented(self, index: int) -> tuple[int, int]:
        """`_next`, and the indentation of that line (-1 at the end of the text)."""
        lines = self.lines
        while index < len(lines):
            line = lines[index]
            stripped = line.lstrip(" ")
            if stripped and stripped[0] != "#":
                return index, len(line) - len(stripped)
            index += 1
        return index, -1

    def _mapping(self, index: int, indent: int, path: PathKey) -> tuple[dict[str, Any], int]:
        """A block mapping whose keys start at column `indent`, the first on line `index`."""
        lines, positions, children = self.lines, self.positions, _children(path)
        result: dict[str, Any] = {}
        positions[path] = _position(index + 1, indent + 1)
        while True:
            line = lines[index]
            match = _BLOCK_KEY.match(line, indent)
            if match is None:
                raise _Decline
            key = match.group(1)
            if key in result:
                raise _Decline
            child = children.get(key) or children.setdefault(key, (*path, key))
            end = match.end()
            if end == len(line) or line[end] == "#":
                result[key], after = self._nested(index, indent, child)
            elif line[end] in "|>":
                result[key], after = self._block_scalar(index, end, indent, child)
            else:
                result[key] = self._inline(line, end, index, child)
                after = index + 1
            index, next_indent = self._next_indented(after)
            if next_indent < indent:
                return result, index  # a shallower line, or the end of the text
            if next_indent > indent:
                raise _Decline  # a continued plain scalar, or an error: the full parser decides

    def _nested(self, index: int, indent: int, path: PathKey) -> tuple[Any, int]:
        """The block collection under `key:` (nothing but a comment after the colon)."""
        start, column = self._next_indented(index + 1)
        if column <= indent:
            raise _Decline  # an empty value, an indentless sequence, or the end of the text
        line = self.lines[start]
        if line.startswith("-", column):
            return self._sequence(start, column, path)
        return self._mapping(start, column, path)

    def _sequence(self, index: int, indent: int, path: PathKey) -> tuple[list[Any], int]:
        lines, children = self.lines, _children(path)
        items: list[Any] = []
        self.positions[path] = _position(index + 1, indent + 1)
        while True:
            line = lines[index]
            if not line.startswith("- ", indent):
                raise _Decline
            column = indent + 2
            while column < len(line) and line[column] == " ":
                column += 1
            if column == len(line):
                raise _Decline
            number = len(items)
            child = children.get(number) or children.setdefault(number, (*path, number))
            if _BLOCK_KEY.match(line, column):
                item, after = self._mapping(index, column, child)
            else:
                item, after = self._inline(line, column, index, child), index + 1
            items.append(item)
            index, next_indent = self._next_indented(after)
            if next_indent < indent:
                return items, index
            if next_indent > indent:
                raise _Decline

    def _inline(self, line: str, column: int, index: int, path: PathKey) -> Any:
        """A value that ends on its own line: a flow mapping, a quoted or a plain scalar."""
        first = line[column]
        if first == "{":
            value, end = self._flow_mapping(line, column, index, path)
        elif first == '"' or first == "'":
            self.positions[path] = _position(index + 1, column + 1)
            value, end = _quoted(line, column)
        else:
            comment = line.find(" #", column)
            raw = line[column : comment if comment >= 0 else len(line)].rstrip(" ")
            if first in "-?:,[]{}#&*!|>'\"%@`" or ": " in raw or raw[-1] == ":":
                raise _Decline
            self.positions[path] = _position(index + 1, column + 1)
            return _plain(raw)
        _end_of_line(line, end)
        return value

    def _flow_mapping(
        self, line: str, column: int, index: int, path: PathKey
    ) -> tuple[dict[str, Any], int]:
        """`{key: value, ...}` on one line, without nesting; returns it and where it ends."""
        # The innermost loop of the reader: local names and inlined cache look-ups.
        positions, position_cache, plain_cache = self.positions, _position_cache, _plain_cache
        children = _children(path)
        line_number = index + 1
        positions[path] = _position(line_number, column + 1)
        result: dict[str, Any] = {}
        position = column + 1
        closing = line.find("}", position)
        if closing >= 0 and not line[position:closing].strip(" "):
            return result, closing + 1
        entry = _FLOW_ENTRY.match
        while True:
            match = entry(line, position)
            if match is None:
                raise _Decline  # nesting, escapes, a trailing comma, more than one line, ...
            key, raw, separator = match.group(1, 2, 3)
            if key in result:
                raise _Decline
            where = (line_number, match.start(2) + 1)
            child = children.get(key) or children.setdefault(key, (*path, key))
            positions[child] = position_cache.get(where) or _position(*where)
            first = raw[0]
            if first == '"':
                result[key] = raw[1:-1]
            elif first == "'":
                result[key] = raw[1:-1].replace("''", "'")
            else:
                value = plain_cache.get(raw, _MISSING)
                result[key] = _plain(raw) if value is _MISSING else value
            position = match.end()
            if separator == "}":
                return result, position

    def _block_scalar(
        self, index: int, column: int, parent_indent: int, path: PathKey
    ) -> tuple[str, int]:
        """`>`, `>-`, `|` or `|-` text, its lines indented alike (more only in `|`)."""
        lines = self.lines
        header = lines[index][column:].rstrip(" ")
        if header not in _BLOCK_SCALAR_HEADERS:
            raise _Decline  # indentation indicators, `+`, a comment after the header
        literal, strip = _BLOCK_SCALAR_HEADERS[header]
        self.positions[path] = _position(index + 1, column + 1)
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
    """The value of a plain scalar. Values are immutable and recur (产出指标, 10): cached."""
    value = _plain_cache.get(raw, _MISSING)
    if value is not _MISSING:
        return value
    tag = _STR_TAG
    for candidate, pattern in _IMPLICIT_RESOLVERS.get(raw[0], ()):
        if pattern.match(raw):
            tag = candidate
            break
    if tag is _STR_TAG:
        value = raw
    elif tag not in _STANDARD_TAGS:
        raise _Decline  # reported as a problem by the full path
    elif tag == "tag:yaml.org,2002:timestamp":
        try:
            value = _loader_constructor().construct_yaml_timestamp(yaml.ScalarNode(tag, raw))
        except ValueError:
            raise _Decline from None
    else:
        value = _scalar_value(tag, raw)
    if len(_plain_cache) > _CACHE_LIMIT:
        _plain_cache.clear()
    _plain_cache[raw] = value
    return value


def _end_of_line(line: str, position: int) -> None:
    """Only spaces, or spaces and a comment, may follow a value on its line."""
    rest = line[position:]
    stripped = rest.lstrip(" ")
    if stripped and not (stripped[0] == "#" and len(stripped) < len(rest)):
        raise _Decline


def load_text(text: str, file: Path) -> SourceDocument:
    """Parse YAML text; syntax errors become problems, never exceptions."""
    doc = _document_from_text(file, text, [])  # see SourceDocument.__reduce_ex__
    doc.data, doc.positions = None, {}
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
