"""The indicator table of a PDF page printed without ruling lines (a sheet typed without
borders, printed by LibreOffice), put back into its rows and columns by the text's positions.

Without rules the printed lines say nothing of where one cell ends, and pieces of text far
enough apart are not enough: a 二级指标 and the name beside it may be closer than a word's gap,
and a 一级指标 merged down its rows is printed centred on their middle, on a line of its own.
So the table is read from its header row, which the form prints in known words (一级指标,
二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分 …):

- **Columns.** Each word of the header line is a column. The side between two columns lies
  between their header words and, where a row prints a cell in every column (its n-th piece
  is then in the n-th column: figures set right under headers set left), past that row's
  cells; there, where no word of the rows is printed (the widest such gap; without one,
  where the fewest words cross). Text left of the first column's header that a gap sets
  apart (the 「绩效指标」 printed down the table's side) is a column of its own.
- **Cells.** Each character goes to the column its middle is in. A column's line goes on
  from the line above (one cell, joined as `pdftext.cell_text`) when it is a line's pitch
  below it, that line reached the column's side (a wrap) and, right of the 二级指标, it
  prints nothing in another column (rows of a sheet's default height are closer than a
  wrapped cell's lines, so the pitch alone cannot tell).
- **Rows.** One-line cells of the columns right of the 二级指标 that overlap up and down are
  a row; a cell of several lines (a name wrapped beside its one-line figures) joins the row
  whose middle is nearest its own.
- **Merged labels.** A block of the 一级/二级 columns (and of the side column) covers the run
  of rows from the one after the block above it whose middle is nearest its own middle: the
  centred label of a merged cell. Where no run of rows has its middle within a quarter of a
  row of the label's, the label is given at the row it is printed on, alone, with a review
  item (`label-rows`): how many rows it covers cannot be told.
- **What cannot be told is not guessed.** Its cell is read as blank with a review item at its
  page, line and column, and the rest of the table is read as usual: two characters on
  either side of a column's side with no gap between them, a word running over it (text
  that overflowed its cell, or that LibreOffice clipped against a filled neighbour, so the
  PDF holds less than the cell: `overflowing-text`); a row holding two cells of one column,
  or two pieces far apart in one column on one line (`cell-unclear`); two labels on one row
  of a merged column (`cell-unclear`).

The table runs from its header line to the line before the first line that begins with a
word of the form's foot (总分, 自评结论 …) or to the page's last line. The result has the
shape of a ruled table (`pdf._ruled_table`): blank cells given, a merged label once at its
first row with `rows`, the cells it covers left out; each `Place` has the page, the printed
`line` (the n-th on the page, as the text rows around it count), the table's `row` and the
`column` (1-based, the side column first when there is one).
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass

from ..grid import Row
from .errors import ReadIssue
from .pdfgrid_rows import Block, Grid, assemble
from .pdftext import PARAGRAPH_PITCH, PIECE_GAP, SPACE_GAP, Char, Line

# The words of an indicator header's columns (`recognise.columns` reads them by kind).
_HEADER_WORDS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "目标值",
    "度量单位",
    "计量单位",
    "完成值",
    "实际值",
    "分值",
    "权重",
    "得分",
    "未完成原因",
    "偏差原因",
)
_LEVEL_WORDS = ("一级指标", "二级指标")
_FOOT_WORDS = (
    "总分",
    "合计",
    "自评结论",
    "存在问题",
    "其他需要说明",
    "偏差大或目标未完成",
    "改进措施",
)


@dataclass(frozen=True, slots=True)
class Run:
    """A word as printed: characters with no gap wider than `SPACE_GAP` between them."""

    chars: tuple[Char, ...]
    x0: float
    x1: float

    @property
    def text(self) -> str:
        """The word's characters."""
        return "".join(c["text"] for c in self.chars)


def runs(line: Line) -> list[Run]:
    """The words of `line`, left to right (spaces left out)."""
    out: list[list[Char]] = []
    for char in line.chars:
        if char["text"].isspace():
            continue
        if out and char["x0"] - out[-1][-1]["x1"] <= SPACE_GAP * line.size:
            out[-1].append(char)
        else:
            out.append([char])
    return [Run(tuple(group), group[0]["x0"], max(c["x1"] for c in group)) for group in out]


def _is_header(line: Line) -> bool:
    texts = [run.text for run in runs(line)]
    named = [t for t in texts if any(word in t for word in _HEADER_WORDS)]
    return len(named) >= 4 and any("三级指标" in t or "二级指标" in t for t in named)


def _is_foot(line: Line) -> bool:
    first = runs(line)
    return bool(first) and first[0].text.startswith(_FOOT_WORDS)


def find_table(lines: list[Line]) -> tuple[int, int] | None:
    """The indexes of the indicator header line in `lines` and of the line after the table
    (see the module's docstring), or None when no line is such a header."""
    start = next((i for i, line in enumerate(lines) if _is_header(line)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _is_foot(lines[i])), len(lines))
    return start, end


def read_table(
    file: str, page: int, lines: list[Line], numbers: list[int]
) -> tuple[tuple[Row, ...], list[ReadIssue]]:
    """The rows of the table whose header is `lines[0]` and whose rows are the other `lines`
    (from `find_table`), with the review items of its cells; `numbers` gives each line's
    number on the page (for the `Place`s). No rows ((), []) when nothing is printed in the
    columns right of the 二级指标 (then the lines are not such a table). See the module's
    docstring."""
    header = runs(lines[0])
    size = lines[0].size
    body = [run for line in lines[1:] for run in runs(line)]
    side = _side_column(header[0], body, size)
    reach = _reach(header, lines[1:])
    sides = [side] if side is not None else []
    for index, (a, b) in enumerate(itertools.pairwise(header)):
        # Between the header words and between the full lines' cells, where both can be.
        low = max(a.x1, reach.get((index, 1), a.x1))
        high = min(b.x0, reach.get((index + 1, 0), b.x0))
        sides.append(_side_between(*((low, high) if low < high else (a.x1, b.x0)), body))
    first = 1 if side is not None else 0
    spanning = {0} if side is not None else set()
    spanning |= {first + i for i, run in enumerate(header) if run.text.startswith(_LEVEL_WORDS)}
    grid = Grid(lines, sides, frozenset(spanning))
    for line in lines:
        for char in line.chars:
            column = _column(grid, char)
            grid.rights[column] = max(grid.rights.get(column, char["x1"]), char["x1"])
    for index in range(len(lines)):
        _blocks_of_line(grid, index)
    return assemble(grid, file, page, numbers)


def _pieces(line: Line) -> list[Run]:
    """The cells a line prints: its words, those closer than `PIECE_GAP` font sizes taken
    together."""
    out: list[Run] = []
    for run in runs(line):
        if out and run.x0 - out[-1].x1 <= PIECE_GAP * line.size:
            out[-1] = Run(out[-1].chars + run.chars, out[-1].x0, max(out[-1].x1, run.x1))
        else:
            out.append(run)
    return out


def _reach(header: list[Run], lines: list[Line]) -> dict[tuple[int, int], float]:
    """Where the cells of the lines that print a cell in every column reach: (column, 0) ->
    the least left end, (column, 1) -> the greatest right end. Such a line puts its n-th
    piece in the n-th column, wherever it stands: figures set right under headers set left
    stand nearer the next column's header word than their own."""
    reach: dict[tuple[int, int], float] = {}
    for line in lines:
        pieces = _pieces(line)
        if len(pieces) != len(header):
            continue
        for column, piece in enumerate(pieces):
            reach[(column, 0)] = min(reach.get((column, 0), piece.x0), piece.x0)
            reach[(column, 1)] = max(reach.get((column, 1), piece.x1), piece.x1)
    return reach


def _side_column(anchor: Run, body: list[Run], size: float) -> float | None:
    """The side between a column printed left of the header's first word (a 「绩效指标」 down
    the table's side) and the first column: the gap left of the words that reach the first
    header word, when words are printed wholly left of it; None when there is no such text."""
    left = anchor.x0
    for run in sorted(body, key=lambda r: -r.x1):
        if run.x0 < left and run.x1 > left - size:
            left = min(left, run.x0)
    before = [run.x1 for run in body if run.x1 <= left - size]
    return (max(before) + left) / 2 if before else None


def _side_between(low: float, high: float, body: list[Run]) -> float:
    """The side between two columns whose header words end at `low` and begin at `high`: the
    middle of the widest gap there that no word of `body` covers; else the place there that
    the fewest words run over (the nearest to the middle among equals)."""
    spans = sorted((max(low, r.x0), min(high, r.x1)) for r in body if r.x0 < high and r.x1 > low)
    gaps, reach = [], low
    for x0, x1 in spans:
        if x0 > reach:
            gaps.append((x0 - reach, (reach + x0) / 2))
        reach = max(reach, x1)
    if high > reach:
        gaps.append((high - reach, (reach + high) / 2))
    if gaps:
        return max(gaps)[1]
    middle = (low + high) / 2
    places = sorted({low, high, *(x for span in spans for x in span)})
    return min(places, key=lambda x: (sum(1 for r in body if r.x0 < x < r.x1), abs(x - middle)))


def _column(grid: Grid, char: Char) -> int:
    return bisect_right(grid.sides, (char["x0"] + char["x1"]) / 2)


def _blocks_of_line(grid: Grid, index: int) -> None:
    """The characters of line `index` put into its columns' blocks: a column's block goes on
    from a line above it closer than a paragraph's pitch; a word that runs over a column's
    side (no gap, or characters drawn over each other) marks both blocks broken."""
    line = grid.lines[index]
    per: dict[int, list[Char]] = {}
    broken: set[int] = set()
    previous: tuple[Char, int] | None = None
    for char in line.chars:
        if char["text"].isspace():
            continue
        column = _column(grid, char)
        if previous is not None and previous[1] != column:
            if char["x0"] - previous[0]["x1"] <= SPACE_GAP * line.size:
                broken |= {column, previous[1]}
        per.setdefault(column, []).append(char)
        previous = (char, column)
    for column, chars in sorted(per.items()):
        # Two pieces far apart in one column on one line: the columns' sides are not where
        # the cells are (figures set right under headers set left): not read.
        unclear = any(
            b["x0"] - a["x1"] > PIECE_GAP * line.size for a, b in itertools.pairwise(chars)
        )
        top = min(c["top"] for c in chars)
        bottom = max(c["bottom"] for c in chars)
        above = next((b for b in reversed(grid.blocks) if b.column == column), None)
        pitch = PARAGRAPH_PITCH * line.size
        # The header line (index 0) is a row of its own: nothing below goes on from it.
        if (
            above is not None
            and above.lines[0] > 0
            and 1.1 * line.size <= top - above.last <= pitch
            and _wrapped(grid, above, chars, column, _alone(grid, per, column))
        ):
            above.lines.append(index)
            above.chars += chars
            above.bottom, above.last = max(above.bottom, bottom), top
            above.broken |= column in broken
            above.unclear |= unclear
        else:
            block = Block(column, [index], chars, top, bottom, top, column in broken, unclear)
            grid.blocks.append(block)


def _wrapped(grid: Grid, above: Block, chars: list[Char], column: int, alone: bool) -> bool:
    """Whether `chars` (a line's characters in `column`) go on from the last line of the
    block `above`: that line reaches the column's side so nearly that the first character
    below would not have fitted after it (less room than its width and a font size for the
    cell's padding): a wrap, not the next row's cell (rows of a sheet's default height are
    closer than a wrapped cell's lines). A line that prints in another column right of the
    二级指标 too (`alone` False) begins a row; in the last column, whose right side is not
    known, any other line goes on."""
    if not alone:
        return False
    last = [c for c in above.chars if c["top"] >= above.last - 0.5]
    first = min(chars, key=lambda c: c["x0"])
    if column == len(grid.sides):  # the last column: no side known on its right
        return True
    room = grid.sides[column] - max(c["x1"] for c in last)
    return room < (first["x1"] - first["x0"]) + first["size"]


def _alone(grid: Grid, per: dict[int, list[Char]], column: int) -> bool:
    """Whether a line's characters in `column` are the only ones it prints in the columns
    that are not merged down (those of a merged column: always)."""
    if column in grid.spanning:
        return True
    return all(other == column or other in grid.spanning for other in per)
