"""The full YAML path: libyaml composes nodes with their marks, we build the values ourselves.

Building the values from the nodes, rather than letting PyYAML construct them, keeps the position
of every value, makes duplicate keys and tags errors, and keeps numbers out of binary floats.
Whatever is wrong becomes a `SourceProblem`, never an exception.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import yaml

from .positions import PathKey, Position, SourceProblem, position

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

STR_TAG = "tag:yaml.org,2002:str"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
STANDARD_TAGS = frozenset(
    {
        STR_TAG,
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        TIMESTAMP_TAG,
        "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    }
)
"""The tags of plain YAML values; any other tag in a form is a problem."""


@cache
def _timestamp_constructor() -> yaml.constructor.SafeConstructor:
    return yaml.constructor.SafeConstructor()


def timestamp(raw: str) -> date | datetime:
    """A scalar resolved as a timestamp, read as PyYAML reads it (`2023-12-25` -> a date).

    Raises ValueError for an impossible date such as `2023-02-30`.
    """
    node = yaml.ScalarNode(TIMESTAMP_TAG, raw)
    return _timestamp_constructor().construct_yaml_timestamp(node)  # type: ignore[no-any-return]


def scalar_value(tag: str, raw: str) -> Any:
    """The value of a resolved scalar other than a timestamp: str, None, bool, int or Decimal.

    A number that cannot be read as one (`.inf`, `.nan`) stays its text.
    """
    if tag == STR_TAG:
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


class _Builder:
    """Values from composed nodes; positions and problems go into the lists it is given."""

    def __init__(self, positions: dict[PathKey, Position], problems: list[SourceProblem]) -> None:
        self.positions = positions
        self.problems = problems

    def _problem(self, path: PathKey, node: yaml.Node, message: str, hint: str = "") -> None:
        mark = node.start_mark
        self.problems.append(SourceProblem(path, mark.line + 1, mark.column + 1, message, hint))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        mark = node.start_mark
        self.positions[path] = position(mark.line + 1, mark.column + 1)
        if node.tag not in STANDARD_TAGS:
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
                first = self.positions[child]
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
        if node.tag == TIMESTAMP_TAG:
            try:
                return timestamp(node.value)
            except ValueError:
                self._problem(path, node, f"{node.value!r} is not a real date", "write YYYY-MM-DD")
                return node.value
        return scalar_value(node.tag, node.value)


def compose(text: str, positions: dict[PathKey, Position], problems: list[SourceProblem]) -> Any:
    """Read YAML text with libyaml: the data (None when the text cannot be read at all).

    Fills `positions` with the position of every value and key path, and `problems` with what is
    wrong (syntax, tags, duplicate keys, impossible dates). An empty document is `{}`.
    """
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = error.problem or "cannot be read as YAML"
        context = f" ({error.context})" if error.context else ""
        problems.append(
            SourceProblem(
                (),
                line,
                column,
                f"YAML syntax: {message}{context}",
                "check indentation and quoting on this line or the one above",
            )
        )
        return None
    except yaml.YAMLError as error:
        problems.append(SourceProblem((), 1, 1, f"YAML: {error}"))
        return None
    if node is None:
        positions[()] = Position(1, 1)
        return {}
    return _Builder(positions, problems).build(node, ())
