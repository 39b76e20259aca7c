"""Scalars of a project file as YAML text: a value written by its field's kind, quoted only
where YAML would read it otherwise.

A number field (`NUMBERS`) writes the number as printed (`950500.00`, from a `str` of digits, an
`int` or a `Decimal`), a date field (`DATES`) the ISO date, a boolean field (`BOOLEANS`) true or
false; anything else is a string: plain when it reads back as itself (PyYAML's YAML 1.1
resolver and the flow indicators decide), double-quoted otherwise (`"502"`, `"="`, `"8:30"`,
`no`, a leading `*` or `&`, a `, ` in a flow row), with the characters YAML cannot hold escaped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

_FUNDING_KEYS = ("total", "fiscal", "local", "superior", "other")
_AMOUNTS = ("initial", "budget", "executed")
_DECLARED = ("execution_rate", "execution_ratio", "execution_score", "total_weight", "total")
# Field kinds other than text, by path pattern (`*` a list item or a key of the form's own).
NUMBERS = frozenset(
    {
        "year",
        "weights.execution",
        "weights.levels.*",
        "weights.level2.*",
        "indicators.*.weight",
        "indicators.*.score",
        *(f"funding.{key}.{amount}" for key in _FUNDING_KEYS for amount in _AMOUNTS),
        *(f"funding.rows.*.{key}" for key in (*_AMOUNTS, "weight", "rate", "score")),
        *(f"declared.{key}" for key in (*_DECLARED, "review_score")),
    }
)
BOOLEANS = frozenset({"funding.rows.*.total", "indicators.*.core"})
DATES = frozenset({"filled_on"})
# A number as printed: digits, a point and decimals.
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Starts that YAML reads as an indicator, a number in another notation, or a comment.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NUMERIC_LOOKING = re.compile(r"[-+]?(0[xXoObB]|\.?\d[\d_]*(\.\d*)?[eE][-+]?\d|\.(inf|nan)$)")
# Characters that a plain scalar or a block may not hold as they are.
_BREAKS = frozenset("\r\x85\u2028\u2029\ufeff\t")
_STR_TAG = "tag:yaml.org,2002:str"


def typed(value: Any, pattern: str) -> tuple[str, Any]:
    """(text, value read back) of a number, a date or a boolean in a field of that kind;
    (text, None) for a value to be written as a string."""
    if isinstance(value, bool):
        if pattern in BOOLEANS:
            return ("true" if value else "false"), value
        return ("true" if value else "false"), None
    if pattern in NUMBERS:
        found = number(value)
        if found is not None:
            return found
    if pattern in DATES:
        if isinstance(value, dt.date):
            return value.isoformat(), value
        if isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                day = None
            if day is not None and day.isoformat() == value:
                return value, day
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f"), None
    return str(value), None


def number(value: Any) -> tuple[str, Any] | None:
    """(text, value read back) of a number as printed: an int, a Decimal, a str of digits."""
    if isinstance(value, int):
        return str(value), value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and value.is_finite():
        text = format(value, "f")
        return text, Decimal(text) if "." in text else int(text)
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        try:
            return value, Decimal(value) if "." in value else int(value)
        except (InvalidOperation, ValueError):
            return None
    return None


def multiline(text: str) -> bool:
    return "\n" in text


def plain(text: str, flow: bool) -> bool:
    """True when `text` can be written without quotes and reads back as the same string."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if any(ch in _BREAKS or ch == "\n" or unicodedata.category(ch) == "Cc" for ch in text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and any(ch in ",[]{}" for ch in text):
        return False
    if _NUMERIC_LOOKING.match(text):
        return False
    return implicit_tag(text) == _STR_TAG


def implicit_tag(text: str) -> str:
    """The tag YAML 1.1 (PyYAML's resolver) gives `text` written plain: str, int, bool, null,
    float, timestamp, value (`=`) or merge (`<<`)."""
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    for tag, regexp in [*resolvers.get(text[0], []), *resolvers.get(None, [])]:
        if regexp.match(text):
            return str(tag)
    return _STR_TAG


def block_safe(text: str) -> bool:
    """True when `text` can be a block scalar as it is: its first line does not start with a
    space, no line ends in a space, no tab or other break, at most one final newline."""
    if not text.strip() or text[0] in " \n" or text.endswith("\n\n"):
        return False
    if any(ch in _BREAKS or (unicodedata.category(ch) == "Cc" and ch != "\n") for ch in text):
        return False
    return all(line == line.rstrip(" ") for line in text.split("\n"))


def quoted(text: str) -> str:
    """`text` double-quoted, every character YAML cannot hold as it is escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch == "\ufeff":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
