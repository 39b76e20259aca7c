"""The fast reader: the small, regular part of YAML that forms use, read line by line.

Composing nodes with libyaml and walking them (`compose.py`) costs most of the time of
`jixiao check`. Forms use block mappings and sequences, one-line flow mappings, plain and quoted
one-line scalars, and `>-` / `|` text; this reader reads exactly that part into the same data and
the same positions as the full path, two to three times faster. Whatever it is not sure of (tabs,
anchors, tags, escapes, multi-line plain scalars, a duplicate key, any problem at all) makes it
decline, and the full path reads the text instead, so it never reports problems itself.
`tests/test_source.py` holds the proof that the two agree on every text the reader accepts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .compose import (
    MAX_DEPTH,
    STANDARD_TAGS,
    STR_TAG,
    TIMESTAMP_TAG,
    Loader,
    scalar_value,
    timestamp,
)
from .positions import PathKey, Position, child_path, position


class Declined(Exception):
    """The text goes beyond what the fast reader reads exactly: read it with the full path."""


# The resolver's own table (first character -> (tag, pattern)), so plain scalars get the very
# tags that libyaml's composer would give them.
_IMPLICIT_RESOLVERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers)
    for first, resolvers in Loader.yaml_implicit_resolvers.items()
    if first is not None
}
USABLE = None not in Loader.yaml_implicit_resolvers and not Loader.yaml_path_resolvers
"""False when PyYAML resolves plain scalars other than by their first character: then the
reader could not give the tags the full path gives, and is not used."""
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
_MEMO_SIZE = 100_000


def read(text: str, positions: dict[PathKey, Position]) -> dict[str, Any]:
    """The data of a form's YAML text, a mapping; fills `positions` with every value's place.

    Raises `Declined` for any text outside the subset read here (then `positions` holds a part
    of the document and is to be thrown away).
    """
    return _Reader(text, positions).read()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Reader:
    """One text, read top-down; every method raises `Declined` at the first thing it is not
    sure of."""

    def __init__(self, text: str, positions: dict[PathKey, Position]) -> None:
        if _OUTSIDE_SUBSET.search(text):
            raise Declined
        self.lines = text.split("\n")
        self.positions = positions

    def read(self) -> dict[str, Any]:
        first = self._next(0)
        if first == len(self.lines) or self.lines[first][0] == " ":
            raise Declined
        data, after = self._mapping(first, 0, ())
        if self._next(after) != len(self.lines):
            raise Declined
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
        lines, positions = self.lines, self.positions
        result: dict[str, Any] = {}
        if len(path) > MAX_DEPTH:
            raise Declined  # the full path reports it
        positions[path] = position(index + 1, indent + 1)
        while True:
            line = lines[index]
            match = _BLOCK_KEY.match(line, indent)
            if match is None:
                raise Declined
            key = match.group(1)
            if key in result:
                raise Declined
            child = child_path(path, key)
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
                raise Declined  # a continued plain scalar, or an error: the full parser decides

    def _nested(self, index: int, indent: int, path: PathKey) -> tuple[Any, int]:
        """The block collection under `key:` (nothing but a comment after the colon)."""
        start, column = self._next_indented(index + 1)
        if column <= indent:
            raise Declined  # an empty value, an indentless sequence, or the end of the text
        line = self.lines[start]
        if line.startswith("-", column):
            return self._sequence(start, column, path)
        return self._mapping(start, column, path)

    def _sequence(self, index: int, indent: int, path: PathKey) -> tuple[list[Any], int]:
        lines = self.lines
        items: list[Any] = []
        if len(path) > MAX_DEPTH:
            raise Declined  # the full path reports it
        self.positions[path] = position(index + 1, indent + 1)
        while True:
            line = lines[index]
            if not line.startswith("- ", indent):
                raise Declined
            column = indent + 2
            while column < len(line) and line[column] == " ":
                column += 1
            if column == len(line):
                raise Declined
            number = len(items)
            child = child_path(path, number)
            if _BLOCK_KEY.match(line, column):
                item, after = self._mapping(index, column, child)
            else:
                item, after = self._inline(line, column, index, child), index + 1
            items.append(item)
            index, next_indent = self._next_indented(after)
            if next_indent < indent:
                return items, index
            if next_indent > indent:
                raise Declined

    def _inline(self, line: str, column: int, index: int, path: PathKey) -> Any:
        """A value that ends on its own line: a flow mapping, a quoted or a plain scalar."""
        first = line[column]
        if first == "{":
            value, end = self._flow_mapping(line, column, index, path)
        elif first == '"' or first == "'":
            self.positions[path] = position(index + 1, column + 1)
            value, end = _quoted(line, column)
        else:
            comment = line.find(" #", column)
            raw = line[column : comment if comment >= 0 else len(line)].rstrip(" ")
            if first in "-?:,[]{}#&*!|>'\"%@`" or ": " in raw or raw[-1] == ":":
                raise Declined
            self.positions[path] = position(index + 1, column + 1)
            return _plain(raw)
        _end_of_line(line, end)
        return value

    def _flow_mapping(
        self, line: str, column: int, index: int, path: PathKey
    ) -> tuple[dict[str, Any], int]:
        """`{key: value, ...}` on one line, without nesting; returns it and where it ends."""
        # The innermost loop of the reader: local names.
        positions, entry = self.positions, _FLOW_ENTRY.match
        line_number = index + 1
        positions[path] = position(line_number, column + 1)
        result: dict[str, Any] = {}
        at = column + 1
        text_before = False  # the value before is plain text
        closing = line.find("}", at)
        if closing >= 0 and not line[at:closing].strip(" "):
            return result, closing + 1
        while True:
            match = entry(line, at)
            if match is None:
                raise Declined  # nesting, escapes, a trailing comma, more than one line, ...
            key, raw, separator = match.group(1, 2, 3)
            if key in result:
                raise Declined
            if text_before and match.start(1) == at and not (key.isascii() and key.isidentifier()):
                raise Declined  # `原因一,原因二: …`: a text split by a comma (`slips.py`)
            child = child_path(path, key)
            positions[child] = position(line_number, match.start(2) + 1)
            first = raw[0]
            text_before = False
            if first == '"':
                result[key] = raw[1:-1]
            elif first == "'":
                result[key] = raw[1:-1].replace("''", "'")
            else:
                result[key] = value = _plain(raw)
                text_before = value.__class__ is str
            at = match.end()
            if separator == "}":
                return result, at

    def _block_scalar(
        self, index: int, column: int, parent_indent: int, path: PathKey
    ) -> tuple[str, int]:
        """`>`, `>-`, `|` or `|-` text, its lines indented alike (more only in `|`)."""
        lines = self.lines
        header = lines[index][column:].rstrip(" ")
        if header not in _BLOCK_SCALAR_HEADERS:
            raise Declined  # indentation indicators, `+`, a comment after the header
        literal, strip = _BLOCK_SCALAR_HEADERS[header]
        self.positions[path] = position(index + 1, column + 1)
        start = index + 1
        if start == len(lines) or not lines[start].strip(" "):
            raise Declined  # leading blank lines decide the indentation in subtle ways
        indent = _indent(lines[start])
        if indent <= parent_indent:
            raise Declined
        pieces: list[str | None] = []  # None for a blank line
        end = start
        while end < len(lines):
            line = lines[end]
            if not line.strip(" "):
                if len(line) > indent:
                    raise Declined  # spaces beyond the indentation are content
                pieces.append(None)
            else:
                line_indent = _indent(line)
                if line_indent < indent:
                    break
                if line_indent > indent and not literal:
                    raise Declined  # more-indented lines are not folded
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
            raise Declined
        return line[column + 1 : end], end + 1
    text, at = [], column + 1
    while True:
        end = line.find("'", at)
        if end < 0:
            raise Declined
        text.append(line[at:end])
        if line.startswith("''", end):
            text.append("'")
            at = end + 2
            continue
        return "".join(text), end + 1


@lru_cache(maxsize=_MEMO_SIZE)
def _plain(raw: str) -> Any:
    """The value of a plain scalar, as libyaml's resolver tags it. Values are immutable and
    recur (产出指标, 10): a bounded memo. Declined for tags other than the standard ones."""
    tag = STR_TAG
    for candidate, pattern in _IMPLICIT_RESOLVERS.get(raw[0], ()):
        if pattern.match(raw):
            tag = candidate
            break
    if tag is STR_TAG:
        return raw
    if tag not in STANDARD_TAGS:
        raise Declined  # reported as a problem by the full path
    if tag == TIMESTAMP_TAG:
        try:
            return timestamp(raw)
        except ValueError:
            raise Declined from None
    return scalar_value(tag, raw)


def _end_of_line(line: str, at: int) -> None:
    """Only spaces, or spaces and a comment, may follow a value on its line."""
    rest = line[at:]
    stripped = rest.lstrip(" ")
    if stripped and not (stripped[0] == "#" and len(stripped) < len(rest)):
        raise Declined
