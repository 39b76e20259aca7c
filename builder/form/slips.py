"""Slips: the YAML mistakes people make typing a form, each named where it was made.

Finance staff type forms with a Chinese input method and paste from Word and web pages. Four
slips recur, and YAML reports none of them where they are:

- indentation that is not ordinary spaces: U+00A0 不间断空格 (pasted), U+3000 全角空格 (typed
  with a Chinese input method), a tab. They look like spaces; YAML reads them as text, so a
  row indented with them is a syntax error at some colon further on, or a key that starts with
  them and lands in the wrong mapping.
- a full-width colon `：` typed where YAML needs `:` (`name： 项目`): no key at all, and the
  syntax error is reported on the next line.
- a full-width comma `，` typed where a one-line `{...}` row needs `,`.
- a half-width comma inside a value of a one-line `{...}` row (`500,000.00`, `原因一,原因二`):
  the comma ends the value, the pieces after it become keys without values, duplicate keys,
  unknown keys: many errors, none naming the comma.

The full-width colon and comma are ordinary characters inside text (`reason: 原因：资金未到位，
已整改` is right): they are named only where they are the cause of a syntax error, found by
trying the repair and reading again, or where they stand between a key and its value in a
`{...}` row. Nothing here runs for a text the reader reads without a problem, except the look
at each entry of a `{...}` row that the full path composes (`flow_row`).

Each message is worded in English (`message`, `hint`) and in Chinese (`message_zh`, `hint_zh`,
what `jixiao check` prints).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from .money import AMOUNT_KEYS
from .positions import PathKey, SourceProblem

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
# Characters that look like a space (or nothing) and are not one to YAML, with their Chinese
# names; others of Unicode's spaces are named by `space_name`.
SPACE_NAMES = {
    "\u00a0": "不间断空格",
    "\u3000": "全角空格",
    "\t": "制表符(Tab)",
    "\u200b": "零宽空格",
    "\ufeff": "零宽不换行空格",
}
ODD_SPACES = frozenset(
    (*SPACE_NAMES, *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u1680")
)
LEADING_SPACES = re.compile("[ " + "".join(sorted(ODD_SPACES)) + "]*")
FULL_WIDTH_COLON, FULL_WIDTH_COMMA = "\uff1a", "\uff0c"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,]+\Z")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")
MAX_PARSES = 64
"""At most this many readings of a text while finding the slips behind one syntax error (each
candidate repair is read once); fewer for a long text, so that the search costs at most about
as much as reading two million characters."""
PARSED_CHARACTERS = 2_000_000


def space_name(char: str) -> tuple[str, str]:
    """A space-like character as a message names it, in Chinese and in English:
    ("U+3000 全角空格", "U+3000 IDEOGRAPHIC SPACE")."""
    code = f"U+{ord(char):04X}"
    english = unicodedata.name(char, "TAB" if char == "\t" else "SPACE")
    return f"{code} {SPACE_NAMES.get(char, '特殊空白字符')}", f"{code} {english}"


def indentation_problem(line: int, column: int, run: str) -> SourceProblem:
    """The slip of a line indented with `run`, which holds characters other than spaces;
    `line` and `column` (from 1) are where the first of them is."""
    names = [space_name(c) for c in dict.fromkeys(c for c in run if c != " ")]
    chinese, english = "、".join(n[0] for n in names), ", ".join(n[1] for n in names)
    return SourceProblem(
        (),
        line,
        column,
        f"this line is indented with {english}, which YAML does not read as indentation",
        "replace it with ordinary spaces",
        message_zh=f"这一行用 {chinese} 缩进:它看起来像空格,YAML 却不把它当作缩进",
        hint_zh="删掉它,改用普通的半角空格缩进",
    )


def full_width_problem(path: PathKey, line: int, column: int, char: str) -> SourceProblem:
    """The slip of a full-width colon or comma typed where YAML needs `:` or `,`."""
    if char == FULL_WIDTH_COLON:
        return SourceProblem(
            path,
            line,
            column,
            "a full-width colon (U+FF1A) where YAML needs ':': the key is not read",
            "type ':' and a space",
            message_zh="这里的冒号是全角冒号“：”(U+FF1A),YAML 只认半角冒号“:”,所以这一项没有键",
            hint_zh="改成半角冒号加一个空格,如 name: 项目",
        )
    return SourceProblem(
        path,
        line,
        column,
        "a full-width comma (U+FF0C) where a {...} row needs ','",
        "type ','",
        message_zh="这里的逗号是全角逗号“，”(U+FF0C),一行 {…} 里各项之间要用半角逗号“,”",
        hint_zh="改成半角逗号“,”",
    )


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# One-line `{...}` rows -------------------------------------------------------------------


@dataclass
class Entry:
    """One entry of a `{...}` row as the form meant it: its key (None when it is not plain
    text), its nodes, and the value to use instead of the value node's, when a slip was
    repaired (`value_set`)."""

    key: str | None  # None when the key node is not text
    key_node: yaml.Node
    value_node: yaml.Node
    value: Any = None
    value_set: bool = False
    end: int = -1  # where the text of a value split by commas ends (a character index)


def _lone(key: yaml.Node, value: yaml.Node) -> bool:
    """An entry written without `:`, such as `000.00` in `{initial: 500,000.00}`."""
    return (
        value.tag == NULL_TAG
        and isinstance(value, yaml.ScalarNode)
        and not value.value
        and value.start_mark.index == key.end_mark.index
    )


def flow_row(
    text: str,
    pairs: list[tuple[yaml.Node, yaml.Node]],
    path: PathKey,
    child: Any,
    problems: list[SourceProblem],
) -> list[Entry] | None:
    """The entries of a `{...}` row with its slips repaired, or None when it has none; one
    problem per kind of slip is added to `problems`.

    A plain value followed by `,` and then text without `:` (or, after a text, a key that is not
    a field name glued to the comma, `原因一,原因二: 说明`) is one value split by the comma: the pieces are
    joined back into it (a number written with thousands separators is read without them) and
    the row gets one problem, naming the values split. `key： value` (a full-width colon) is read
    as `key: value`, with one problem at the colon. `child(path, key)` makes a child's path.
    """
    if not any(_suspect(text, key, value) for key, value in pairs):
        return None  # the common case: one look at each entry
    entries: list[Entry] = []
    split: list[Entry] = []
    for key_node, value_node in pairs:
        if not isinstance(key_node, yaml.ScalarNode):
            entries.append(Entry(None, key_node, value_node))
            continue
        key = key_node.value
        lone = _lone(key_node, value_node)
        head, colon, rest = key.partition(FULL_WIDTH_COLON)
        if lone and colon and not key_node.style and (_IDENTIFIER.match(head) or not entries):
            entry = _colon_entry(key_node, value_node, head.rstrip(), rest)
            problems.append(
                full_width_problem(
                    child(path, entry.key),
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + len(head) + 1,
                    FULL_WIDTH_COLON,
                )
            )
            entries.append(entry)
            continue
        last = entries[-1] if entries else None
        if last is not None and _continues(text, last, key_node, lone):
            last.end = (key_node if lone else value_node).end_mark.index
            if last not in split:
                split.append(last)
            continue
        entries.append(Entry(key, key_node, value_node))
    if split:
        problems.append(_split_problem(text, split, path, child))
    return entries


def _suspect(text: str, key: yaml.Node, value: yaml.Node) -> bool:
    """An entry written without `:`, or whose key is glued to the comma before it."""
    index = key.start_mark.index
    return value.start_mark.index == key.end_mark.index or text[index - 1 : index] == ","


def _colon_entry(key_node: yaml.Node, value_node: yaml.Node, key: str, rest: str) -> Entry:
    raw = rest.strip(" ")
    resolvers = Loader.yaml_implicit_resolvers.get(raw[:1], []) if raw else []
    tag = next(
        (tag for tag, pattern in resolvers if pattern.match(raw)), STR_TAG if raw else NULL_TAG
    )
    start = key_node.start_mark
    offset = len(key_node.value) - len(rest.lstrip(" "))
    mark = yaml.Mark(start.name, start.index + offset, start.line, start.column + offset, None, 0)
    node = yaml.ScalarNode(tag, raw, mark, value_node.end_mark)
    return Entry(key, key_node, node)


def _continues(text: str, last: Entry, key_node: yaml.Node, lone: bool) -> bool:
    """True when `key_node` is a piece of `last`'s value that a comma split off."""
    value = last.value_node
    if not (isinstance(value, yaml.ScalarNode) and not value.style and value.value):
        return False
    if lone:
        return True
    # The keys of a form's rows are field names; a key that is not one, glued to the comma
    # after a text, is a piece of that text (`原因一,原因二: 说明`). (The rows with keys of other
    # words, the 一级指标 of `weights.levels`, have numbers for values.)
    glued = text[key_node.start_mark.index - 1 : key_node.start_mark.index] == ","
    return (
        glued
        and value.tag == STR_TAG
        and not key_node.style
        and not _IDENTIFIER.match(key_node.value)
    )


def _split_problem(text: str, split: list[Entry], path: PathKey, child: Any) -> SourceProblem:
    """One problem for a row whose values were split by commas; each value joined back.

    Placed where the user acts: at the first comma of a number (to delete the separators), at
    the start of a text (to open its quotes)."""
    for entry in split:
        entry.value_set = True
        entry.value = _joined_value(text[entry.value_node.start_mark.index : entry.end])
    first = split[0]
    written = text[first.value_node.start_mark.index : first.end]
    others = [str(e.key) for e in split[1:]]
    also_zh = f"(还有 {'、'.join(others)})" if others else ""
    also_en = f" (and {', '.join(others)})" if others else ""
    covers = tuple(child(path, e.key) for e in split)
    if isinstance(first.value, int | Decimal):
        comma = first.value_node.end_mark
        plain = written.replace(",", "")
        hint, hint_zh = f"write it without separators: {plain}", f"数字不写千分位逗号,写成 {plain}"
        if first.key in AMOUNT_KEYS:  # an amount is read with its separators when quoted
            hint += f', or quote it as printed: "{written}"'
            hint_zh += f',或照表上所印加引号写成 "{written}"(引号里的千分位逗号照常读取)'
        return SourceProblem(
            covers[0],
            comma.line + 1,
            comma.column + 1,
            f"the comma split the number {written} of {first.key}{also_en}:"
            " in a {...} row a comma ends the value",
            hint,
            covers=covers,
            message_zh=f"{first.key} 的数字 {written} 被半角逗号拆开了{also_zh}:"
            "在一行 {…} 里,逗号分隔各项",
            hint_zh=hint_zh,
        )
    start = first.value_node.start_mark
    if _NUMBER_LIKE.match(written):
        return SourceProblem(
            covers[0],
            start.line + 1,
            start.column + 1,
            f"the comma split the number {written} of {first.key}{also_en}",
            "write digits and a '.' only",
            covers=covers,
            message_zh=f"{first.key} 的数字 {written} 被半角逗号拆开了{also_zh}:"
            "在一行 {…} 里,逗号分隔各项",
            hint_zh="数字里不写逗号:小数点写“.”,千分位不写",
        )
    shown = _shown(written)
    return SourceProblem(
        covers[0],
        start.line + 1,
        start.column + 1,
        f"the comma split the text of {first.key}{also_en}: in a {{...}} row a comma ends"
        " the value",
        "quote the whole text, or use the full-width comma",
        covers=covers,
        message_zh=f"{first.key} 的文字“{shown}”被半角逗号拆开了{also_zh}:"
        "在一行 {…} 里,逗号分隔各项",
        hint_zh=f'给整段文字加上引号:{first.key}: "{shown}",引号里的逗号(含数字中的千分位逗号)'
        "照常读取;或改用全角逗号“，”",
    )


def _joined_value(written: str) -> Any:
    """The value a split one was meant to be: a number without its thousands separators, or
    the text as written."""
    if _THOUSANDS.match(written):
        digits = written.replace(",", "")
        return Decimal(digits) if "." in digits else int(digits)
    return written
