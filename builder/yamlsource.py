"""Safe YAML loading that remembers where every value came from.

PyYAML composes the document into nodes (with their marks); we construct plain Python values
ourselves so that every value keeps its file, line and column, duplicate keys are errors, and
numbers never pass through binary floats.
"""

from __future__ import annotations

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
        self.doc.positions[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)

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
                f"the tag {node.tag!r} is not allowed",
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
        if tag == "tag:yaml.org,2002:str":
            return raw
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return raw.lower() in ("true", "yes", "on")
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            return _number(raw)
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                return _loader_constructor().construct_yaml_timestamp(node)
            except ValueError:
                self._problem(path, node, f"{raw!r} is not a real date", "write YYYY-MM-DD")
                return raw
        return raw  # pragma: no cover - all standard tags handled above


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


def load_text(text: str, file: Path) -> SourceDocument:
    """Parse YAML text; syntax errors become problems, never exceptions."""
    doc = SourceDocument(file=file, data=None, lines=text.splitlines())
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
