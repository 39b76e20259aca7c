"""The rows of an indicator table printed without ruling lines (`pdfgrid`), from the blocks
of text found in its columns: the rows (`_rows`), the merged labels laid over the rows they
are centred on (`_tile`), and the table in the shape of a ruled one with the review items of
the cells that could not be told (`assemble`). See `pdfgrid`'s docstring for the rules.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass, field

from ..grid import Cell, Place, Row
from .errors import ReadIssue
from .pdftext import Char, Line, cell_text, lines_of


@dataclass
class Block:
    """A cell's lines in one column: the indexes of its lines and its characters."""

    column: int
    lines: list[int]
    chars: list[Char]
    top: float
    bottom: float
    last: float  # the top of its last line
    broken: bool = False  # a word ran over one of the column's sides
    # its row holds two cells of one column, or a line of it two pieces far apart: which
    # row or column its text is in cannot be told
    unclear: bool = False

    @property
    def middle(self) -> float:
        """Half way down the block, in points."""
        return (self.top + self.bottom) / 2


@dataclass
class Grid:
    """The table being put together: its lines, column sides and the blocks found."""

    lines: list[Line]
    sides: list[float]
    spanning: frozenset[int]
    rights: dict[int, float] = field(default_factory=dict)  # column -> its widest line's end
    blocks: list[Block] = field(default_factory=list)


def _overlap(a: Block, b: Block) -> bool:
    return a.top < b.bottom - 1 and b.top < a.bottom - 1


def _rows(grid: Grid) -> list[list[Block]]:
    """The table's rows below the header, top to bottom, from the blocks of the columns that
    are not merged down: one-line blocks that overlap up and down are a row; a block of
    several lines (a wrapped name beside one-line figures) joins the row whose middle is
    nearest its own, or is a row of its own when none is within it."""
    cells = [b for b in grid.blocks if b.column not in grid.spanning and b.lines[0] > 0]
    groups: list[list[Block]] = []
    for block in sorted((b for b in cells if len(b.lines) == 1), key=lambda b: b.top):
        touching = [g for g in groups if any(_overlap(block, other) for other in g)]
        groups = [g for g in groups if all(g is not t for t in touching)]
        groups.append([block, *(b for g in touching for b in g)])
    for block in (b for b in cells if len(b.lines) > 1):
        near = [g for g in groups if block.top <= _middle(g) <= block.bottom]
        if near:
            min(near, key=lambda g: abs(_middle(g) - block.middle)).append(block)
        else:
            groups.append([block])
    return sorted(groups, key=lambda g: min(b.top for b in g))


def _middle(group: list[Block]) -> float:
    return (min(b.top for b in group) + max(b.bottom for b in group)) / 2


def _bounds(extents: list[tuple[float, float]]) -> list[float]:
    """The sides between rows printed over `extents` (top, bottom), half way between one's
    text and the next's; the first and last as far out as the first row's text is from its
    side below."""
    inner = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(extents)]
    if not inner:
        top, bottom = extents[0]
        return [top - 1, bottom + 1]
    pad = max(1.0, inner[0] - extents[0][1])
    return [extents[0][0] - pad, *inner, extents[-1][1] + pad]


def _tile(
    blocks: list[Block], bounds: list[float], extents: list[tuple[float, float]]
) -> list[tuple[Block, int, int, bool]]:
    """Each label block of a merged column with the first row it covers, how many, and
    whether its middle fits that run of rows (see the module's docstring); rows are counted
    between `bounds`, their text spans `extents` (top, bottom). A label printed on the text
    of a row after the first of its run is not sure: a run of an odd number of rows centred
    on it (a merged cell, taken) and a label alone on its row under blank cells (a table
    whose blank 一级 cells mean "as above") print alike."""
    count = len(bounds) - 1
    if count < 1:
        return [(block, 0, 1, False) for block in blocks[:1]]
    tolerance = max(1.5, min(b - a for a, b in itertools.pairwise(bounds)) / 4)
    out: list[tuple[Block, int, int, bool]] = []
    start = 0
    for block in sorted(blocks, key=lambda b: b.top):
        middle = block.middle
        ends = range(start, count)
        end = min(
            ends, key=lambda e: abs((bounds[start] + bounds[e + 1]) / 2 - middle), default=None
        )
        if end is not None and abs((bounds[start] + bounds[end + 1]) / 2 - middle) <= tolerance:
            on = any(extents[r][0] <= middle <= extents[r][1] for r in range(start + 1, end + 1))
            out.append((block, start, end - start + 1, not on))
            start = end + 1
            continue
        at = min(max(bisect_right(bounds, middle) - 1, 0), count - 1)
        if out and at < start:  # printed on a row a label above covers: that one is shorter
            above, first, _, _ = out[-1]
            if at <= first:  # two labels on one row: neither can be told
                above.unclear = block.unclear = True
                continue
            out[-1] = (above, first, at - first, False)
        out.append((block, at, 1, False))
        start = at + 1
    return out


@dataclass
class _Out:
    """The table being written: its file and page, line numbers, rows and review items."""

    file: str
    page: int
    numbers: list[int]
    rights: dict[int, float]
    issues: list[ReadIssue] = field(default_factory=list)

    def place(self, line: int, row: int, column: int) -> Place:
        return Place(self.file, page=self.page, line=self.numbers[line], row=row, column=column + 1)

    def cell(self, blocks: list[Block], line: int, row: int, column: int, rows: int = 1) -> Cell:
        """The cell of `blocks` (one column's, maybe none) at table row `row`."""
        if not blocks:
            return Cell("", self.place(line, row, column))
        place = self.place(min(b.lines[0] for b in blocks), row, column)
        if any(b.broken for b in blocks):
            self.issues.append(_overflowing(place))
            return Cell("", place, 1, rows)
        if any(b.unclear for b in blocks):
            self.issues.append(_unclear(place))
            return Cell("", place, 1, rows)
        chars = [c for b in blocks for c in b.chars]
        return Cell(cell_text(lines_of(chars), self.rights[column]), place, 1, rows)


def _overflowing(place: Place) -> ReadIssue:
    return ReadIssue(
        "overflowing-text",
        place,
        "没有边框的表格中,文字跨过了栏的分界(超出本格或被相邻格遮盖),无法判断属于哪一格,该格按空白读取:请对照原表填写",
        "in a table without ruling lines, text runs over a column's side (overflowing its "
        "cell or overprinted by its neighbour), so its cell cannot be told: read as blank, "
        "fill it in from the original",
    )


def _unclear(place: Place) -> ReadIssue:
    return ReadIssue(
        "cell-unclear",
        place,
        "没有边框的表格中,分不清这里的文字属于哪一行或哪一栏(一格换行还是上下两格,或数字靠右排在下一栏标题下),该格按空白读取:请对照原表填写",
        "in a table without ruling lines, the row or column of the text here cannot be told "
        "(one wrapped cell or two rows' cells, or figures set right under the next column's "
        "header): read as blank, fill it in from the original",
    )


def _unsure_label(place: Place) -> ReadIssue:
    return ReadIssue(
        "label-rows",
        place,
        "没有边框的表格中,分不清这个指标名称覆盖哪几行(合并居中于几行,还是只属于它所在的一行、上面几格空白):请核对各行的指标名称",
        "in a table without ruling lines, the rows this label covers cannot be told (merged "
        "and centred over several rows, or its own row only under blank cells): check the "
        "labels of these rows",
    )


def assemble(
    grid: Grid, file: str, page: int, numbers: list[int]
) -> tuple[tuple[Row, ...], list[ReadIssue]]:
    """The table's rows from the blocks of `grid` (its first line the header), with the
    review items of its cells; `numbers` gives each line's number on the page."""
    rows = _rows(grid)
    if not rows:
        return (), []
    for group in rows:
        columns = [b.column for b in group]
        if len(set(columns)) < len(columns):  # two cells of one column: rows run together
            for block in group:
                block.unclear = True
    header = grid.lines[0]
    extents = [(header.top, header.bottom)]
    extents += [(min(b.top for b in g), max(b.bottom for b in g)) for g in rows]
    bounds = _bounds(extents)
    out = _Out(file, page, numbers, grid.rights)
    labels = _labels(grid, bounds, extents)
    firsts = [0] + [min(b.lines[0] for b in g) for g in rows]
    covered: set[tuple[int, int]] = set()
    table: list[Row] = []
    for index, line in enumerate(firsts):
        own = [b for b in grid.blocks if b.lines[0] == 0] if index == 0 else rows[index - 1]
        cells: list[Cell] = []
        for column in range(len(grid.sides) + 1):
            if (index, column) in covered:
                continue
            if column in grid.spanning and (index, column) in labels:
                block, count, sure = labels[(index, column)]
                covered |= {(index + k, column) for k in range(count)}
                cell = out.cell([block], line, index + 1, column, count)
                if not sure:
                    out.issues.append(_unsure_label(cell.place))
            else:
                blocks = [b for b in own if b.column == column]
                if index and column in grid.spanning:
                    blocks = []
                cell = out.cell(blocks, line, index + 1, column)
            cells.append(cell)
        table.append(tuple(cells))
    return tuple(table), out.issues


def _labels(
    grid: Grid, bounds: list[float], extents: list[tuple[float, float]]
) -> dict[tuple[int, int], tuple[Block, int, bool]]:
    """(row index, column) -> the merged label that starts there, how many rows it covers
    and whether that is sure; the side column's labels are laid over the header row too."""
    found: dict[tuple[int, int], tuple[Block, int, bool]] = {}
    side = (
        0
        if 0 in grid.spanning and not any(b.column == 0 and b.lines[0] == 0 for b in grid.blocks)
        else None
    )
    for column in sorted(grid.spanning):
        first = 0 if column == side else 1
        blocks = [b for b in grid.blocks if b.column == column and (b.lines[0] > 0 or first == 0)]
        for block, start, count, sure in _tile(blocks, bounds[first:], extents[first:]):
            found[(start + first, column)] = (block, count, sure)
    return found
