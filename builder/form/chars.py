"""Characters a form's text may not carry into what others read, and how to show them.

Two families matter. Control characters (C0 other than tab and newline, DEL, C1, and the
noncharacters U+FFFE and U+FFFF) make XML ill-formed and drive terminals. Bidirectional
controls (the embeddings and overrides U+202A-U+202E and the isolates U+2066-U+2069) are
invisible and reorder the text after them, numbers included. A form may hold neither
(`forbidden_characters`, used by `form.model`); anything printed from a form to a terminal or a
log shows them escaped (`printable`), as well as newlines and carriage returns, so that no text
from a form starts a line of its own.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

# Bidirectional embeddings, overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

_CONTROL_CLASS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff"
_BIDI_CLASS = r"\u202a-\u202e\u2066-\u2069"
# What a form's text may not contain: controls except tab and newline, and bidi controls.
_FORBIDDEN = re.compile(f"[{_CONTROL_CLASS}{_BIDI_CLASS}]")
# What a terminal line may not show raw: the above, plus newline and the line separators.
_UNPRINTABLE = re.compile(f"[\\n{_CONTROL_CLASS}{_BIDI_CLASS}\\u2028\\u2029]")

_NAMES = {
    "\n": "newline",
    "\r": "carriage return",
    "\x00": "NUL",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


def escaped(char: str) -> str:
    r"""One character as an escape a person can read and type back: "\n", "\r", "\t",
    "\x1b", "\u202e"."""
    if char in "\n\r\t":
        return {"\n": r"\n", "\r": r"\r", "\t": r"\t"}[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def char_name(char: str) -> str:
    r"""The character as a message names it: `\u202e (RIGHT-TO-LEFT OVERRIDE)`, `\x01`."""
    name = _NAMES.get(char)
    return f"{escaped(char)} ({name})" if name else escaped(char)


def printable(text: str) -> str:
    r"""`text` with every control, bidi control, newline and carriage return written as its
    escape (`escaped`): safe to print on one line of a terminal or a CI log. Tabs are kept.
    "a\x1b[31m\n::error" -> "a\\x1b[31m\\n::error"."""
    return _UNPRINTABLE.sub(lambda match: escaped(match.group()), text)


def forbidden_characters(text: str) -> list[tuple[int, str]]:
    """Each character `text` may not hold, with its offset (0-based, in characters)."""
    return [(match.start(), match.group()) for match in _FORBIDDEN.finditer(text)]


def refuse_invisible(value: object) -> object:
    """A pydantic before-validator: `value` unchanged, unless it is text holding a character
    `forbidden_characters` finds; then a `PydanticCustomError` of type `invisible_character`
    naming the first one and its position (1-based, in characters), with `char` and `position`
    in its context."""
    if not isinstance(value, str) or _FORBIDDEN.search(value) is None:
        return value  # every text of every form passes here: the common case costs one search
    found = forbidden_characters(value)
    if not found:
        return value
    offset, char = found[0]
    raise PydanticCustomError(
        "invisible_character",
        "the text holds the invisible character {char} at character {position}",
        {"char": char_name(char), "position": offset + 1, "count": len(found)},
    )


# Text of a form or of site.yaml: no control characters, no bidirectional controls.
Visible = Annotated[str, BeforeValidator(refuse_invisible)]
