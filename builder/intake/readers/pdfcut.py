"""A ruled table a page break cuts through a row or a merged cell, put back together.

An office program (LibreOffice printing a Word report) lets a table row, or a merged cell
spanning rows (a 一级/二级指标 printed once for its rows), break across pages: the text that
did not fit on page N goes on in the same column atop page N+1's table, and the cells of that
row whose text was complete are blank there. Read page by page, the continuation would be a
row of its own (an indicator named 「持续发展」 with nothing else) or a label cut in two
(「服务对象满意度指」 / 「标」).

Geometry says where a cell may have been cut: page N's last ruled table ends the page's body
(only the footer below it), page N+1's first ruled table begins its body (only a page header
above it), both have the same left and right sides (their cells are then counted on one grid
of columns: every column edge of either), and the cell of N's last row has its last line on
the cell's bottom (no room for another line under it) reaching the cell's right side so that
the first word of the cell below, atop page N+1, would not have fitted on it
(`pdftext.wrap_between`). A header row printed again atop the next page (the rows the table
began with, again) is read once: left out there.

Content decides the rest, nothing guessed:
- every filled cell of the first row atop page N+1 continues its cell on page N: the row was
  cut; each is joined to the cell above (its cell atop page N+1 left blank);
- such a row where a filled cell's text would have fitted on the line above although that
  cell's lines reach its bottom (cut at a break made on purpose, or a row of its own: cannot
  tell) is left as it is, each such cell named (`page-break-cell`) for a person to look at;
- a cell with room under its text on page N starts a row of its own atop page N+1; in such a
  row only a cell left of its first cell of its own (the columns of merged labels, the cells
  to their left blank or continued) may go on from page N: it is joined when the two parts
  make one 一级/二级 label and the first is none alone (「服务对象满意度指」+「标」); two
  labels (「质量指标」, 「时效指标」) or a one-line cell that happened to fill its line are
  two cells; a cell of several lines that is not a label is named (`page-break-cell`).

A joined cell keeps the place of its part on page N.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from ..grid import Cell, Place, Row, Table
from .errors import ReadIssue
from .pdftext import Line, wrap_between

# A cell's last line less than this many font sizes above the cell's bottom leaves no room
# for another line under it: the text ran on to the cell's end.
FLUSH = 0.8


@dataclass(frozen=True, slots=True)
class CellLines:
    """What joining a cell across a page break needs of it: its `first` and `last` printed
    lines, where its text may reach (`right`, points) and whether its last line sits on the
    cell's bottom (`flush`)."""

    first: Line
    last: Line
    right: float
    flush: bool


@dataclass(frozen=True, slots=True)
class Cut:
    """A ruled table's facts for the join: its grid's column edges (x, points; the left
    side of each column, then the table's right side), whether it
    begins (`top`) or ends (`bottom`) its page's body, and its cells' lines by the (row,
    column) of their top-left grid cell."""

    columns: tuple[float, ...]
    top: bool
    bottom: bool
    cells: tuple[tuple[tuple[int, int], CellLines], ...]


@dataclass(frozen=True, slots=True)
class RuledTable(Table):
    """A table found by its ruling lines, with what the page-break join needs (`cut`, None
    for a table neither beginning nor ending its page's body)."""

    cut: Cut | None = None


def cell_lines(lines: list[Line], box: tuple[float, ...], right: float) -> CellLines | None:
    """A cell's `CellLines` from its printed `lines` and its `box` (x0, top, x1, bottom);
    None for a blank cell. Each character keeps only its text, box and size."""
    if not lines:
        return None
    first, last = _slim(lines[0]), _slim(lines[-1])
    return CellLines(first, last, right, box[3] - last.bottom < FLUSH * last.size)


def _slim(line: Line) -> Line:
    keys = ("text", "x0", "x1", "top", "bottom", "size")
    chars = tuple({k: char[k] for k in keys} for char in line.chars)
    return replace(line, chars=chars)


def rejoined(tables: list[Table]) -> tuple[list[Table], list[ReadIssue]]:
    """`tables` (a PDF's, in page order) with the rows and merged cells a page break cut
    joined back (see the module's docstring), as plain `Table`s, and the cells that may
    continue the cell above them but were left apart. The tables of one table continued
    over pages are given the same grid columns (every column edge of any of them)."""
    out = list(tables)
    issues: list[ReadIssue] = []
    for chain in _chains(out):
        grid = _union([out[index].cut.columns for index in chain])  # type: ignore[attr-defined]
        for index in chain:
            out[index] = _on_grid(out[index], grid)  # type: ignore[arg-type]
        for above, below in itertools.pairwise(chain):
            head = out[chain[0]].rows
            out[above], out[below] = _join(out[above], out[below], head, issues)  # type: ignore[arg-type]
    return [Table(table.rows, table.origin) for table in out], issues


def _chains(tables: list[Table]) -> list[list[int]]:
    """The indices of the ruled tables that continue each other over pages (`_continues`),
    a list per table so continued, in order; only text (a footer, a page header) between
    one and the next."""
    ruled = [index for index, table in enumerate(tables) if isinstance(table, RuledTable)]
    chains: list[list[int]] = []
    for above, below in itertools.pairwise(ruled):
        if not _continues(tables[above], tables[below]):  # type: ignore[arg-type]
            continue
        if chains and chains[-1][-1] == above:
            chains[-1].append(below)
        else:
            chains.append([above, below])
    return chains


def _continues(above: RuledTable, below: RuledTable) -> bool:
    """Whether `below` may be `above` continued: `above` ends its page's body, `below` begins
    the next page's, with the same left and right sides (within 1 pt)."""
    a, b = above.cut, below.cut
    return (
        a is not None
        and b is not None
        and a.bottom
        and b.top
        and below.origin.page == (above.origin.page or 0) + 1
        and abs(a.columns[0] - b.columns[0]) <= 1
        and abs(a.columns[-1] - b.columns[-1]) <= 1
    )


def _union(edges: list[tuple[float, ...]]) -> tuple[float, ...]:
    """Every column edge of `edges`, those within 1 pt of each other taken as one."""
    found: list[float] = []
    for value in sorted(x for each in edges for x in each):
        if not found or value - found[-1] > 1:
            found.append(value)
    return tuple(found)


def _on_grid(table: RuledTable, grid: tuple[float, ...]) -> RuledTable:
    """`table` with its cells' columns and spans counted on the column edges `grid`."""
    assert table.cut is not None
    own = table.cut.columns
    new = [min(range(len(grid)), key=lambda i: abs(grid[i] - x)) + 1 for x in own]

    def moved(column: int, span: int) -> tuple[int, int]:
        return new[column - 1], new[column - 1 + span] - new[column - 1]

    rows = tuple(
        tuple(
            replace(
                cell,
                place=replace(cell.place, column=moved(cell.place.column or 1, cell.span)[0]),
                span=moved(cell.place.column or 1, cell.span)[1],
            )
            for cell in row
        )
        for row in table.rows
    )
    cells = tuple(((r, new[c - 1]), lines) for (r, c), lines in table.cut.cells)
    return replace(table, rows=rows, cut=replace(table.cut, columns=grid, cells=cells))


def _join(
    above: RuledTable, below: RuledTable, head: tuple[Row, ...], issues: list[ReadIssue]
) -> tuple[RuledTable, RuledTable]:
    """`above` and `below` with the cells of `below`'s first row after its repeated header
    that continue `above`'s last cells joined to them (see the module's docstring)."""
    skip = _repeated(below.rows, head)
    below = replace(below, rows=below.rows[skip:])  # a header printed again is read once
    if not below.rows:
        return above, below
    row = below.rows[0]
    last = _last_cells(above)
    pairs = [(last.get((cell.place.column, cell.span)), cell) for cell in row]
    kinds = [_kind(above, below, a, b) for a, b in pairs]
    cut = "new" not in kinds
    joins: dict[Place, tuple[Cell, Cell, str]] = {}
    own = False
    for (a, b), kind in zip(pairs, kinds, strict=True):
        own = own or kind == "new"
        if a is None or kind not in ("cont", "para") or (not cut and (own or kind == "para")):
            continue  # in a row of its own, only a merged label left of its own cells goes on
        upper, lower = _lines(above, a), _lines(below, b)
        joint = wrap_between(upper.last, lower.first, upper.right) or ""
        if (cut and "para" not in kinds) or (not cut and _one_label(a.text, b.text)):
            joins[a.place] = (a, b, joint)
        elif cut or (upper.first.top < upper.last.top and not _is_level(a.text)):
            issues.append(_issue(a, b))
    return _with(above, {a.place: a.text + joint + b.text for a, b, joint in joins.values()}), (
        _with(below, {b.place: "" for _, b, _ in joins.values()})
    )


def _repeated(rows: tuple[Row, ...], head: tuple[Row, ...]) -> int:
    """How many of `rows`' first rows repeat the first rows of `head` (a header row printed
    again atop each page), by their texts and columns."""
    count = 0
    for row, first in zip(rows, head, strict=False):
        if _texts(row) != _texts(first) or not any(cell.text for cell in row):
            break
        count += 1
    return count


def _texts(row: Row) -> list[tuple[int | None, int, str]]:
    return [(cell.place.column, cell.span, cell.text) for cell in row]


def _last_cells(table: RuledTable) -> dict[tuple[int | None, int], Cell]:
    """The cells reaching the table's last grid row (merged cells from above included), by
    (column, span)."""
    ends = [(cell.place.row or 0) + cell.rows - 1 for row in table.rows for cell in row]
    bottom = max(ends, default=0)
    return {
        (cell.place.column, cell.span): cell
        for row in table.rows
        for cell in row
        if (cell.place.row or 0) + cell.rows - 1 == bottom
    }


def _lines(table: RuledTable, cell: Cell) -> CellLines:
    assert table.cut is not None
    return dict(table.cut.cells)[(cell.place.row or 0, cell.place.column or 0)]


def _kind(above: RuledTable, below: RuledTable, a: Cell | None, b: Cell) -> str:
    """What the cell `b` atop the page is to `a`, the cell above it on the page before:
    "blank"; "cont" when it may continue `a` (`a`'s last line on its bottom, `b`'s first
    word not fitting on it); "para" when `a` has lines down to its bottom but `b`'s first
    word would have fitted (a cut at a break made on purpose, or a cell of its own: cannot
    tell); "new" otherwise (`a` blank or with room under its text: `b` is a cell of its own)."""
    if not b.text:
        return "blank"
    if a is None or not a.text:
        return "new"
    upper, lower = _lines(above, a), _lines(below, b)
    if not upper.flush:
        return "new"
    if wrap_between(upper.last, lower.first, upper.right) is not None:
        return "cont"
    return "para" if upper.first.top < upper.last.top else "new"


def _one_label(first: str, second: str) -> bool:
    """Whether two parts make one 一级/二级 label of which the first is none alone
    (「服务对象满意度指」+「标」, 「服务对象」+「满意度指标」; not 「质量指标」+「时效指标」)."""
    return _is_level(first + second) and not _is_level(first)


def _is_level(text: str) -> bool:
    """Whether `text` can be a 一级/二级指标 label (`recognise.words.is_level`)."""
    from ..recognise.words import is_level

    return is_level(text)


def _with(table: RuledTable, texts: dict[Place, str]) -> RuledTable:
    """`table` with the cells at the places of `texts` given those texts."""
    if not texts:
        return table
    rows = tuple(
        tuple(replace(cell, text=texts.get(cell.place, cell.text)) for cell in row)
        for row in table.rows
    )
    return replace(table, rows=rows)


def _issue(a: Cell, b: Cell) -> ReadIssue:
    return ReadIssue(
        "page-break-cell",
        b.place,
        f"分页后表格顶端的「{b.text}」可能接续上一页单元格「{a.text}」,未合并",
        f"'{b.text}' atop the table after a page break may continue the cell '{a.text}'"
        " on the page before: not joined",
    )
