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

from .positions import PathKey, Position, SourceProblem, child_path, position
from .slips import ODD_SPACES, flow_row, indentation_problem
from .syntax import diagnose, syntax_problem

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
MAX_DEPTH = 32
"""How deep values may nest (the document itself is depth 0). Forms nest four levels
(`indicators[3].weight`); the bound keeps the reading of a hostile text bounded and far from
Python's recursion limit, and a deeper value is a located problem."""


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

    def __init__(
        self, text: str, positions: dict[PathKey, Position], problems: list[SourceProblem]
    ) -> None:
        self.text = text
        self.positions = positions
        self.problems = problems
        # A line indented with a character other than a space was read into the wrong
        # mapping: what follows from it would mislead, so the document is not used.
        self.misindented = False

    def _problem(
        self, path: PathKey, node: yaml.Node, message: tuple[str, str], hint: tuple[str, str]
    ) -> None:
        """A problem at `node`: its message and hint each (English, Chinese)."""
        mark = node.start_mark
        line, column = mark.line + 1, mark.column + 1
        problem = SourceProblem(path, line, column, message[0], hint[0])
        problem.message_zh, problem.hint_zh = message[1], hint[1]
        self.problems.append(problem)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        mark = node.start_mark
        self.positions[path] = position(mark.line + 1, mark.column + 1)
        if len(path) > MAX_DEPTH:
            raise _TooDeep(_too_deep(mark.line, mark.column))
        if node.tag not in STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(
                path,
                node,
                (f"the tag {tag!r} is not allowed", f"不允许使用标记“{tag}”"),
                (
                    "only plain YAML values are read; remove the tag",
                    "只读取普通的 YAML 值:删掉这个标记",
                ),
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        pairs = node.value
        if node.flow_style and len(pairs) > 1:
            entries = flow_row(self.text, pairs, path, child_path, self.problems)
            if entries is not None:  # a row with slips, repaired
                for entry in entries:
                    self._entry(result, path, entry.key_node, entry.key, entry.value_node)
                    if entry.value_set and entry.key in result:
                        result[entry.key] = entry.value
                return result
        for key_node, value_node in pairs:
            self._entry(result, path, key_node, None, value_node)
        return result

    def _entry(
        self,
        result: dict[str, Any],
        path: PathKey,
        key_node: yaml.Node,
        key: str | None,
        value_node: yaml.Node,
    ) -> None:
        """One entry of a mapping into `result`; `key` when it is not the key node's text."""
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            self._problem(
                path,
                key_node,
                ("keys must be plain text", "键只能是普通文字"),
                ("write `name: value`", "写成“name: 值”"),
            )
            return
        key = key_node.value if key is None else key
        if key[:1] in ODD_SPACES and not key_node.style:
            self._misindented(key_node, key)
            return
        child = (*path, key)
        if key in result:
            first = self.positions[child]
            self._problem(
                child,
                key_node,
                (
                    f"duplicate key {key!r} (first given on line {first.line})",
                    f"键“{key}”重复(第 {first.line} 行已经写过)",
                ),
                (
                    "keep one of them; YAML would silently keep only the last",
                    "只保留其中一个;否则 YAML 会悄悄只保留最后一个",
                ),
            )
            return
        result[key] = self.build(value_node, child)

    def _misindented(self, key_node: yaml.Node, key: str) -> None:
        """A key that starts with a character that looks like a space: the line was indented
        with it, and YAML took it for text."""
        mark = key_node.start_mark
        run = key[: len(key) - len(key.lstrip("".join(ODD_SPACES) + " "))]
        self.problems.append(indentation_problem(mark.line + 1, mark.column + 1, run))
        self.misindented = True

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        if node.tag == TIMESTAMP_TAG:
            try:
                return timestamp(node.value)
            except ValueError:
                self._problem(
                    path,
                    node,
                    (f"{node.value!r} is not a real date", f"“{node.value}”不是一个真实的日期"),
                    ("write YYYY-MM-DD", "写成 年-月-日,如 2023-12-25"),
                )
                return node.value
        return scalar_value(node.tag, node.value)


class _TooDeep(Exception):
    """A value nested deeper than `MAX_DEPTH`: the document is not read further."""

    def __init__(self, problem: SourceProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _too_deep(line: int, column: int) -> SourceProblem:
    """The problem of a value nested too deep at a 0-based mark."""
    return SourceProblem(
        (),
        line + 1,
        column + 1,
        f"this value is nested more than {MAX_DEPTH} levels deep",
        "forms nest only a few levels; check the brackets and the indentation",
        message_zh=f"这个值嵌套超过了 {MAX_DEPTH} 层",
        hint_zh="表单只嵌套几层:检查括号和缩进",
    )


def _first_alias(text: str) -> SourceProblem | None:
    """The first alias (`*name`) in the text, as a problem; None when there is none.

    Forms have no use for anchors and aliases, and an alias repeats a whole value: a few lines
    of nested aliases expand to billions of values. They are refused before anything is built,
    by reading the parser's events (linear in the text). A syntax error ends the search: the
    composer reports it.
    """
    if "*" not in text:  # no alias without an asterisk
        return None
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                return SourceProblem(
                    (),
                    mark.line + 1,
                    mark.column + 1,
                    f"the alias *{event.anchor} is not allowed"
                    f" (it repeats the value marked &{event.anchor})",
                    "forms do not use anchors (&) and aliases (*): write the value out in full,"
                    " or quote a text that starts with * or &",
                    message_zh=f"不允许使用别名 *{event.anchor}(它重复标为 &{event.anchor} 的值)",
                    hint_zh="表单不用锚点(&)和别名(*):把值完整写出;以 * 或 & 开头的文字请加引号",
                )
    except yaml.YAMLError:
        return None
    return None


def _reader_problem(text: str, error: yaml.reader.ReaderError) -> SourceProblem:
    """A character YAML does not accept (NUL, other control characters), located where it is.

    libyaml counts `error.position` in bytes of the UTF-8 text, PyYAML's own reader in
    characters; the character at that place tells which.
    """
    at = error.position
    if not (at < len(text) and ord(text[at]) == error.character):
        at = len(text.encode("utf-8")[: error.position].decode("utf-8", "replace"))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    name = "NUL" if error.character == 0 else f"U+{error.character:04X}"
    return SourceProblem(
        (),
        line,
        column,
        f"the character {name} is not allowed in YAML text ({error.reason})",
        "delete it: it is invisible in most editors; retype the text around it",
        message_zh=f"YAML 文本中不允许有字符 {name}",
        hint_zh="删掉它:多数编辑器里看不见它;请重新输入它周围的文字",
    )


def _syntax_problems(text: str, error: yaml.MarkedYAMLError) -> list[SourceProblem]:
    """A syntax error as the slips behind it (`syntax.diagnose`) and, when they explain it,
    what else is wrong in the text they leave (placed in the text as written); else the error
    as libyaml says it. The document itself is not used: a repair is a guess."""
    diagnosis = diagnose(text, error)
    if not diagnosis.problems:
        return [syntax_problem(text, error)]
    repaired, found = diagnosis.repaired, list(diagnosis.problems)
    if repaired is not None:
        later: list[SourceProblem] = []
        alias = _first_alias(repaired)
        try:
            if alias is not None:
                later.append(alias)
            elif (node := yaml.compose(repaired, Loader=Loader)) is not None:  # "" if all was slips
                _Builder(repaired, {}, later).build(node, ())
        except (yaml.YAMLError, _TooDeep):
            pass  # said when the slips are mended and the text is read again
        found += [diagnosis.place_back(problem) for problem in later]
    return sorted(found, key=lambda problem: (problem.line, problem.column))


def compose(text: str, positions: dict[PathKey, Position], problems: list[SourceProblem]) -> Any:
    """Read YAML text with libyaml: the data (None when the text cannot be read at all).

    Fills `positions` with the position of every value and key path, and `problems` with what is
    wrong (syntax, characters YAML refuses, aliases, values nested deeper than `MAX_DEPTH`, tags,
    duplicate keys, impossible dates). An empty document is `{}`. Time and memory are linear in
    the text: aliases are refused before any value is built.
    """
    try:
        alias = _first_alias(text)
        if alias is not None:
            problems.append(alias)
            return None
        node = yaml.compose(text, Loader=Loader)
    except yaml.reader.ReaderError as error:
        problems.append(_reader_problem(text, error))
        return None
    except yaml.MarkedYAMLError as error:
        problems.extend(_syntax_problems(text, error))
        return None
    except yaml.YAMLError as error:
        problems.append(
            SourceProblem((), 1, 1, f"YAML: {error}", message_zh=f"无法作为 YAML 读取:{error}")
        )
        return None
    if node is None:
        positions[()] = Position(1, 1)
        return {}
    builder = _Builder(text, positions, problems)
    try:
        data = builder.build(node, ())
    except _TooDeep as error:
        problems.append(error.problem)
        return None
    return None if builder.misindented else data
