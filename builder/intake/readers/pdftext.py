"""Text from the characters of a PDF page: printed lines, pieces of a line, a cell's text.

pdfplumber gives each character with its box (`x0`, `x1`, `top`, `bottom`, `size`); these
functions put them back into what was printed. A cell's lines are joined as the text was
before the renderer wrapped it (`cell_text`): two Chinese characters with nothing between
them, two ASCII words (or an ASCII comma or full stop and what follows) with one space. A
wrap keeps the space it was made at where the renderer printed it at the line's end
(LibreOffice does), or, where it did not (WeasyPrint), where the cell's own lines put a space
after that punctuation mark (「93元, 提高」). A figure or word longer than its line, broken
where it reached the cell's side, is joined with nothing between its parts. A line that ends
short of the cell's right side although the next line's first word would have fitted, or
that is followed by a line starting further left (the next item of a list with hanging
indents), was broken on purpose: `\\n`. A line followed by a wider gap than the lines' own
spacing ends a paragraph: `\\n\\n`, as a blank line between paragraphs in the project file.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass
from typing import Any

Char = dict[str, Any]

# A gap wider than this many font sizes between two characters of a line is a space.
SPACE_GAP = 0.3
# A gap wider than this many font sizes splits a line into pieces (cells) outside tables.
PIECE_GAP = 1.0
# A line pitch above this many font sizes follows the end of a paragraph.
PARAGRAPH_PITCH = 1.55
_CLOSING = frozenset("，。、；：！？）》」』〕〉】〗,.;:!?)]}%")
_OPENING = frozenset("（《「『〔〈【〖([{")
# Quotation marks a line may neither end nor start with next to what they touch (UAX #14 QU).
_QUOTES = frozenset("“”‘’\"'")
_SPACE_AFTER = frozenset(",;:!?.")
# Signs that may stand before a figure (≤95%) as part of its word.
_SIGNS = "≤≥＜＞<>=±+-－"


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: its characters left to right and its box."""

    chars: tuple[Char, ...]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def text(self) -> str:
        """The line's text, a space where the characters have a gap (`SPACE_GAP`)."""
        return _spaced(self.chars)


def lines_of(chars: list[Char]) -> list[Line]:
    """The printed lines of `chars` (any order), top to bottom: a character belongs to the
    line it overlaps by more than half its height."""
    lines: list[list[Char]] = []
    bottom = top = 0.0
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        height = char["bottom"] - char["top"]
        if lines and char["top"] < bottom - height / 2 and char["bottom"] > top + height / 2:
            lines[-1].append(char)
            bottom = max(bottom, char["bottom"])
            continue
        lines.append([char])
        top, bottom = char["top"], char["bottom"]
    return [_line(group) for group in lines]


def _line(chars: list[Char]) -> Line:
    ordered = tuple(sorted(chars, key=lambda c: c["x0"]))
    sizes = sorted(c["size"] for c in ordered)
    return Line(
        ordered,
        min(c["x0"] for c in ordered),
        max(c["x1"] for c in ordered),
        min(c["top"] for c in ordered),
        max(c["bottom"] for c in ordered),
        sizes[len(sizes) // 2],
    )


def _spaced(chars: tuple[Char, ...]) -> str:
    """The characters' text, one space where two are further apart than `SPACE_GAP`."""
    out: list[str] = []
    previous: Char | None = None
    for char in chars:
        text = char["text"]
        if previous is not None and not text.isspace() and not out[-1].endswith(" "):
            if char["x0"] - previous["x1"] > SPACE_GAP * char["size"]:
                out.append(" ")
        if text.isspace() and (not out or out[-1].endswith(" ")):
            continue
        out.append(" " if text.isspace() else text)
        previous = char
    return "".join(out).strip()


def pieces(line: Line) -> list[tuple[str, float]]:
    """The pieces of a line separated by gaps wider than `PIECE_GAP` (a form's 单位 and
    填报日期 on one printed line, the cells of a table without rulings), each with its x0."""
    groups: list[list[Char]] = [[]]
    end: float | None = None  # where the last character that is not a space ends
    for char in line.chars:
        if char["text"].isspace():
            groups[-1].append(char)
            continue
        if end is not None and char["x0"] - end > PIECE_GAP * line.size:
            groups.append([])
        groups[-1].append(char)
        end = char["x1"]
    found = [(_spaced(tuple(group)), group[0]["x0"]) for group in groups]
    return [(text, x0) for text, x0 in found if text]


def cell_text(lines: list[Line], right: float) -> str:
    """The text of a cell printed as `lines` (top to bottom) in a box whose text may reach
    `right` (the cell's right side less its padding): wrapped lines joined, breaks made on
    purpose kept (see the module docstring). The room left on a line is measured on its
    right, which halves it for centred text: a break there is taken as a wrap unless plainly
    not one."""
    if not lines:
        return ""
    texts = [line.text for line in lines]
    out = [texts[0]]
    starts = True  # whether the line above starts a paragraph (after a break on purpose)
    for (above, below), text in zip(itertools.pairwise(lines), texts[1:], strict=True):
        if not text:
            continue
        if below.top - above.top > PARAGRAPH_PITCH * max(above.size, below.size):
            out.append("\n\n")
        elif _broken(above, below, right, starts):
            out.append("\n")
        else:
            out.append(_wrapped_at(above, below, right, lines))
        starts = out[-1].startswith("\n")
        out.append(text)
    return "".join(out).strip()


def wrap_between(above: Line, below: Line, right: float) -> str | None:
    """What stood between `above` (a cell's last line, its text reaching at most `right`)
    and `below` (a line printed after it, e.g. atop the next page) if the renderer wrapped
    the text there: " " or "" as `cell_text` joins a wrap; None where `below`'s first word
    would have fitted on `above` (measured strictly, unlike `cell_text`: the room left is
    less than that word's width)."""
    if not above.text or not below.text or right - above.x1 >= _first_word_width(below):
        return None
    return _wrapped_at(above, below, right, [above, below])


def _wrapped_at(above: Line, below: Line, right: float, lines: list[Line]) -> str:
    """What the renderer's wrap between `above` and `below` took the place of: " " or "".
    The space it printed at the line's end; else nothing inside a word or figure longer than
    its line (`_split_word`); else a space between two ASCII words or after an ASCII comma
    or stop ending one (`_needs_space`), or after a punctuation mark the cell's own `lines`
    mostly put a space after (`_spaced_after`)."""
    if above.chars[-1]["text"].isspace():
        return " "
    before, after = above.text, below.text
    if not before or _split_word(above, below, right):
        return ""
    if _needs_space(before, after) or _spaced_after(before[-1], after[0], lines):
        return " "
    return ""


def _split_word(above: Line, below: Line, right: float) -> bool:
    """Whether `above` is one ASCII word or figure that filled its line (less room left than
    `below`'s first character takes) and goes on at the start of `below`: a word longer
    than the line, broken where it reached the side (`950500.0` / `0`). A renderer moves a
    word that fits a line to the next line whole, so only a word alone on its line is
    broken; a comparison sign (≤, ≥) may stand before a figure."""
    word = above.text.lstrip(_SIGNS)
    first = below.chars[0]
    return (
        bool(word)
        and word.isascii()
        and " " not in word
        and _is_ascii_text(first["text"])
        and right - above.x1 < (first["x1"] - first["x0"]) + above.size / 4
    )


def _spaced_after(last: str, first: str, lines: list[Line]) -> bool:
    """Whether the punctuation mark `last` is followed by a space before a character of
    `first`'s kind (wide or not) more often than not in `lines`, a line that ends with it
    and a printed space counted as spaced (a cell written 「精神, 经省委」 throughout: its
    wrap after 「,」 took a space too, where the space hung past the cell's side). False for
    a letter, a digit or a Chinese character, and where the lines do not say."""
    if not unicodedata.category(last).startswith("P"):
        return False
    wide = _is_wide(first)
    spaced = sum(1 for line in lines if line.chars[-1]["text"].isspace() and line.text[-1:] == last)
    plain = 0
    for text in (line.text for line in lines):
        for index in _positions(text, last):
            rest = text[index + 1 : index + 3]
            if rest[:1] == " " and rest[1:] and _is_wide(rest[1]) == wide:
                spaced += 1
            elif rest[:1] not in ("", " ") and _is_wide(rest[0]) == wide:
                plain += 1
    return spaced > plain


def _positions(text: str, char: str) -> list[int]:
    """The indices of `char` in `text`."""
    return [index for index, each in enumerate(text) if each == char]


def _broken(above: Line, below: Line, right: float, starts: bool) -> bool:
    """Whether the line break between `above` and `below` was made on purpose: the next
    line's first word would have fitted on the line above, or the next line starts left of
    a line that continues a paragraph (a new item of a list with hanging indents; a
    paragraph's first line may be indented, so the line after it may start further left)."""
    if right - above.x1 > _first_word_width(below) + above.size / 4:
        return True
    return not starts and below.x0 < above.x0 - above.size / 2


def _first_word_width(line: Line) -> float:
    """The width of what the renderer would have had to fit on the line above: a run of
    ASCII (a word, a number such as 6.2% or [2016]101) or one wide character, with the
    opening punctuation before it, the closing punctuation after it (which may not end or
    start a line) and quotation marks with what they touch, a run of ASCII after a closing
    bracket (〔2019〕70号: LibreOffice keeps 〕70 together), a character before a closing mark
    (号)) and a slash with what follows it (元/座). Taken wide rather than narrow: a break is kept only where the line above plainly
    had room."""
    texts = [c["text"] for c in line.chars]
    end = 1
    while end < len(texts) and texts[end - 1] in _OPENING | _QUOTES:
        end += 1
    end = _ascii_run_end(texts, end)
    while end < len(texts) and (
        texts[end] in _CLOSING | _QUOTES | {"/"}
        or texts[end - 1] in _QUOTES | {"/"}
        or (end + 1 < len(texts) and texts[end + 1] in _CLOSING)
    ):
        end += 1
        if texts[end - 1] in _CLOSING and end < len(texts) and _is_ascii_text(texts[end]):
            end += 1  # the ASCII run after a closing mark goes with it
        end = _ascii_run_end(texts, end)
    return line.chars[end - 1]["x1"] - line.chars[0]["x0"]


def _ascii_run_end(texts: list[str], end: int) -> int:
    """`end` moved past a run of ASCII characters (not spaces) that the character before it
    starts; a hyphen or slash ends the run, as a line may break after one."""
    while (
        end < len(texts)
        and _is_ascii_text(texts[end - 1])
        and _is_ascii_text(texts[end])
        and texts[end - 1] not in "-/"
    ):
        end += 1
    return end


def _needs_space(before: str, after: str) -> bool:
    """Whether a wrap between `before` and `after` replaced a space: between two ASCII
    words, or after an ASCII comma or stop that ends an ASCII word; never next to a Chinese
    character otherwise."""
    last, first = before[-1:], after[:1]
    if not last or not first:
        return False
    if _is_ascii_word(last) and _is_ascii_word(first):
        return True
    # Chinese text written with ASCII commas (「养护,绿地」) has no space after them either.
    after_word = not _is_wide(before[-2:-1] or " ")
    return last in _SPACE_AFTER and first not in _CLOSING and after_word and not _is_wide(first)


def _is_ascii_text(char: str) -> bool:
    return char.isascii() and not char.isspace()


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")
