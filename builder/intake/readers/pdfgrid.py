"""The indicator table of a PDF page printed without ruling lines (a sheet typed without
borders, printed by LibreOffice), put back into its rows and columns by the text's positions.

Without rules the printed lines say nothing of where one cell ends, and pieces of text far
enough apart are not enough: a 二级指标 and the name beside it may be closer than a word's gap,
and a 一级指标 merged down its rows is printed centred on their middle, on a line of its own.
So the table is read from its header row, which the form prints in known words (一级指标,
二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分 …):

- **Columns.** Each word of the header line is a column. The side between two columns lies
  between their header words, where no word of the rows below is printed (the widest such gap;
  without one, where the fewest words cross). Text left of the first column's header that a
  gap sets apart (the 「绩效指标」 printed down the table's side) is a column of its own.
- **Cells.** Each character goes to the column its middle is in. A column's lines closer than
  a paragraph's pitch (`pdftext.PARAGRAPH_PITCH`) are one cell, joined as `pdftext.cell_text`.
- **Rows.** Cells of the columns right of the 二级指标 that overlap one another up and down
  are one row (a name wrapped over two lines beside its one-line figures).
- **Merged labels.** A block of the 一级/二级 columns (and of the side column) covers the run
  of rows from the one after the block above it whose middle is nearest its own middle: the
  centred label of a merged cell. Where no run of rows has its middle within a quarter of a
  row of the label's, the label is given at the row it is printed on, alone, with a review
  item (`label-rows`): how many rows it covers cannot be told.
- **Text across a column's side.** Two characters on either side of a column's side with no
  gap between them are one word running over it: text that overflowed its cell (or was
  printed over by its neighbour). Which cell it belongs to cannot be told, so both cells are
  read as blank, each with a review item (`overflowing-text`), and the rest of the table is
  read as usual.

The table runs from its header line to the line before the first line that begins with a
word of the form's foot (总分, 自评结论 …) or to the page's last line. The result has the
shape of a ruled table (`pdf._ruled_table`): blank cells given, a merged label once at its
first row with `rows`, the cells it covers left out; each `Place` has the page, the printed
`line` (the n-th on the page, as the text rows around it count), the table's `row` and the
`column` (1-based, the side column first when there is one).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ..grid import Cell, Place, Row
from .errors import ReadIssue
from .pdftext import PARAGRAPH_PITCH, SPACE_GAP, Char, Line, cell_text, lines_of

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
_FOOT_WORDS = ("总分", "合计", "自评结论", "存在问题", "其他需要说明", "偏差大或目标未完成", "改进措施")


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
    blocks: list[Block] = field(default_factory=list)


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
    number on the page (for the `Place`s). See the module's docstring."""
    header = runs(lines[0])
    size = lines[0].size
    body = [run for line in lines[1:] for run in runs(line)]
    side = _side_column(header[0], body, size)
    sides = ([side] if side is not None else []) + [
        _side_between(a.x1, b.x0, body) for a, b in zip(header, header[1:], strict=False)
    ]
    first = 1 if side is not None else 0
    spanning = {0} if side is not None else set()
    spanning |= {first + i for i, run in enumerate(header) if run.text.startswith(_LEVEL_WORDS)}
    grid = Grid(lines, sides, frozenset(spanning))
    for index in range(len(lines)):
        _blocks_of_line(grid, index)
    return _assemble(grid, file, page, numbers)


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
    return min(
        places, key=lambda x: (sum(1 for r in body if r.x0 < x < r.x1), abs(x - middle))
    )


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
        top = min(c["top"] for c in chars)
        bottom = max(c["bottom"] for c in chars)
        above = next((b for b in reversed(grid.blocks) if b.column == column), None)
        pitch = PARAGRAPH_PITCH * line.size
        # The header line (index 0) is a row of its own: nothing below goes on from it.
        if above is not None and above.lines[0] > 0 and top - above.last <= pitch:
            above.lines.append(index)
            above.chars += chars
            above.bottom, above.last = max(above.bottom, bottom), top
            above.broken |= column in broken
        else:
            grid.blocks.append(Block(column, [index], chars, top, bottom, top, column in broken))


def _overlap(a: Block, b: Block) -> bool:
    return a.top < b.bottom - 1 and b.top < a.bottom - 1


def _rows(grid: Grid) -> list[list[Block]]:
    """The table's rows below the header: the blocks of the columns that are not merged
    down, those that overlap up and down taken together, top to bottom."""
    groups: list[list[Block]] = []
    for block in sorted(grid.blocks, key=lambda b: b.top):
        if block.column in grid.spanning or block.lines[0] == 0:
            continue
        touching = [g for g in groups if any(_overlap(block, other) for other in g)]
        groups = [g for g in groups if all(g is not t for t in touching)]
        groups.append([block, *(b for g in touching for b in g)])
    return sorted(groups, key=lambda g: min(b.top for b in g))


def _bounds(extents: list[tuple[float, float]]) -> list[float]:
    """The sides between rows printed over `extents` (top, bottom), half way between one's
    text and the next's; the first and last as far out as the first row's text is from its
    side below."""
    inner = [(a[1] + b[0]) / 2 for a, b in zip(extents, extents[1:], strict=False)]
    if not inner:
        top, bottom = extents[0]
        return [top - 1, bottom + 1]
    pad = max(1.0, inner[0] - extents[0][1])
    return [extents[0][0] - pad, *inner, extents[-1][1] + pad]


def _tile(blocks: list[Block], bounds: list[float]) -> list[tuple[Block, int, int, bool]]:
    """Each label block of a merged column with the first row it covers, how many, and
    whether its middle fits that run of rows (see the module's docstring); rows are counted
    between `bounds`."""
    count = len(bounds) - 1
    tolerance = max(1.5, min(b - a for a, b in zip(bounds, bounds[1:], strict=False)) / 4)
    out: list[tuple[Block, int, int, bool]] = []
    start = 0
    for block in sorted(blocks, key=lambda b: b.top):
        middle = block.middle
        ends = range(start, count)
        end = min(ends, key=lambda e: abs((bounds[start] + bounds[e + 1]) / 2 - middle), default=None)
        if end is not None and abs((bounds[start] + bounds[end + 1]) / 2 - middle) <= tolerance:
            out.append((block, start, end - start + 1, True))
            start = end + 1
            continue
        at = min(max(bisect_right(bounds, middle) - 1, 0), count - 1)
        if out and at < start:  # printed on a row a label above covers: read with it
            above = out[-1][0]
            above.chars += block.chars
            out[-1] = (above, out[-1][1], out[-1][2], False)
            continue
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


def _unsure_label(place: Place) -> ReadIssue:
    return ReadIssue(
        "label-rows",
        place,
        "没有边框的表格中,这个合并的指标名称不在任何几行的正中,无法判断它覆盖哪几行:只放在它所在的一行,请核对",
        "in a table without ruling lines, this merged label is not centred on any run of "
        "rows, so the rows it covers cannot be told: given at the row it is printed on only; "
        "check it",
    )


def _assemble(
    grid: Grid, file: str, page: int, numbers: list[int]
) -> tuple[tuple[Row, ...], list[ReadIssue]]:
    """The table's rows from its blocks (see the module's docstring)."""
    rows = _rows(grid)
    header = grid.lines[0]
    extents = [(header.top, header.bottom)]
    extents += [(min(b.top for b in g), max(b.bottom for b in g)) for g in rows]
    bounds = _bounds(extents)
    rights: dict[int, float] = {}
    for block in grid.blocks:
        right = max(c["x1"] for c in block.chars)
        rights[block.column] = max(rights.get(block.column, right), right)
    out = _Out(file, page, numbers, rights)
    labels = _labels(grid, bounds)
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


def _labels(grid: Grid, bounds: list[float]) -> dict[tuple[int, int], tuple[Block, int, bool]]:
    """(row index, column) -> the merged label that starts there, how many rows it covers
    and whether that is sure; the side column's labels are laid over the header row too."""
    found: dict[tuple[int, int], tuple[Block, int, bool]] = {}
    side = 0 if 0 in grid.spanning and not any(
        b.column == 0 and b.lines[0] == 0 for b in grid.blocks
    ) else None
    for column in sorted(grid.spanning):
        first = 0 if column == side else 1
        blocks = [b for b in grid.blocks if b.column == column and (b.lines[0] > 0 or first == 0)]
        for block, start, count, sure in _tile(blocks, bounds[first:]):
            found[(start + first, column)] = (block, count, sure)
    return found
