"""Where a value of a form lies: its path in the document, and its line and column in the file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..pickling import quick_state

PathKey = tuple[str | int, ...]
"""The path of a value in a document: mapping keys and list indexes, `("indicators", 3, "weight")`;
`()` is the document itself."""

# Positions and paths recur across thousands of forms: one shared object each saves memory and
# the collector's time. Bounded memos of pure functions, so no caller can tell they are there.
_MEMO_SIZE = 100_000


@quick_state
@dataclass(frozen=True, slots=True)
class Position:
    """A place in a text file: `line` and `column`, both counted from 1, columns in characters."""

    line: int
    column: int


@dataclass
class SourceProblem:
    """A problem found while reading a file, before the data model sees it.

    `path` is the value concerned (`()` for the whole document), `line` and `column` (from 1) where
    the reader found it, `message` what is wrong and `hint` how to fix it ("" when obvious),
    in English, `message_zh` and `hint_zh` the same in Chinese (what `jixiao check` prints),
    `covers` the paths of other values it explains.
    """

    path: PathKey
    line: int
    column: int
    message: str
    hint: str = ""
    code: str = "yaml"  # the finding's code: "file" when the entry may not be read at all
    # Other values this problem explains (the values of a row split by its commas): the data
    # model's errors about them would repeat it.
    covers: tuple[PathKey, ...] = ()
    message_zh: str = ""
    hint_zh: str = ""


@lru_cache(maxsize=_MEMO_SIZE)
def position(line: int, column: int) -> Position:
    """The `Position` of (line, column), both from 1: one shared object per place."""
    return Position(line, column)


@lru_cache(maxsize=_MEMO_SIZE)
def child_path(path: PathKey, key: str | int) -> PathKey:
    """`path` extended by a mapping key or list index: one shared tuple per path."""
    return (*path, key)


def format_path(path: PathKey) -> str:
    """`("indicators", 3, "weight")` -> `indicators[3].weight`; `()` -> `""`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
