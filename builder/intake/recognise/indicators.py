"""The 绩效指标 table: its rows read into indicators, with the merged 一级/二级 cells a source
gives once carried down to the rows under them.

Rows are assembled first: a label the source wrapped over lines (「经济效益」「指标」) is joined,
labels printed on a line of their own are put before the next row, and in a flattened source a
row broken over several short lines is joined until it has its figures. Each row is then read
by `columns.read_row`. A 「其中…」 row without 分值 and 得分 is a sub-row of the row above; a ★
marks a core indicator; a template row left as issued (「指标2:」, 「……」) is kept as printed.
"""

from __future__ import annotations

import re

from ..grid import Cell
from .columns import Reading
from .words import (
    LEVEL1_CHILDREN,
    is_dash,
    is_level,
    joined,
    key,
    level_points,
    number,
    without_points,
)

_PLACEHOLDER = re.compile(r"^(指标\s*\d+\s*[:：]?|[.…。·]{2,}|…+)$")
_NUMBERED = re.compile(r"^(指标\s*\d+\s*[:：])(.+)$")
CORE = "★"


def is_placeholder(text: str) -> bool:
    """True for a row name the template issues empty: 「指标2:」, 「……」."""
    return bool(_PLACEHOLDER.match(text.strip()))


def _fragment(cells: list[Cell]) -> bool:
    """A line that is a piece of a wrapped label: one short cell, no figures."""
    if len(cells) != 1:
        return False
    text = cells[0].text.strip()
    if is_placeholder(text) or number(text) is not None or len(key(text)) > 9:
        return False
    return not any(ch.isdigit() for ch in without_points(text))


def _labels(fragments: list[Cell]) -> list[Cell]:
    """Wrapped label pieces joined: 「经济效益」「指标」 -> 「经济效益指标」; a 「(10分)」 joins
    the label before it."""
    out: list[Cell] = []
    pending: list[Cell] = []
    for cell in fragments:
        text = cell.text.strip()
        if not key(without_points(text)) and level_points(text) is not None and not pending:
            if out:
                out[-1] = Cell(joined(out[-1].text) + text, out[-1].place)
            else:
                out.append(cell)
            continue
        pending.append(cell)
        whole = "".join(joined(piece.text) for piece in pending)
        if is_level(whole):
            out.append(Cell(whole, pending[0].place))
            pending = []
    out.extend(pending)
    return out


def _split_numbered(cells: list[Cell]) -> list[Cell]:
    """「指标1:/」 -> 「指标1:」 and 「/」: a template's numbered row whose cell ran into a dash."""
    out = []
    for cell in cells:
        match = _NUMBERED.match(cell.text.strip())
        if match and is_dash(match.group(2)):
            out += [Cell(match.group(1), cell.place), Cell(match.group(2), cell.place)]
        else:
            out.append(cell)
    return out


def _add(out: list[list[Cell]], cells: list[Cell], short: bool) -> None:
    """Add a row, or join it to the row before when that one is a piece of a broken row."""
    joinable = (
        out
        and short
        and not is_level(cells[0].text)
        and not is_placeholder(out[-1][-1].text)
        and not is_placeholder(cells[0].text)
        and not any(number(c.text) is not None for c in out[-1])
    )
    if joinable:
        out[-1] = out[-1] + cells
    else:
        out.append(cells)


def _prefixed(out: list[list[Cell]], labels: list[Cell], cells: list[Cell]) -> None:
    """A row with the labels printed on lines above it; a 二级指标 label followed by another
    one before any row (an empty block, 「生态效益指标」 with nothing in it) is a row of its own."""
    own = 0
    while own < len(cells) and is_level(cells[own].text):
        own += 1
    leading = labels + cells[:own]
    level2 = [i for i, cell in enumerate(leading) if not _is_level1(cell.text)]
    for i in level2[:-1]:
        out.append([leading[i]])
    keep = [cell for i, cell in enumerate(leading) if i not in level2[:-1]]
    out.append(keep + cells[own:])


def _is_level1(text: str) -> bool:
    return key(without_points(text)) in LEVEL1_CHILDREN or (
        level_points(text) is not None and not key(without_points(text))
    )


Item = tuple[list[Cell], Reading | None]


def assemble(rows: list[tuple[list[Cell], int, Reading | None]], width: int) -> list[Item]:
    """The table's rows, wrapped labels joined and broken rows joined (module docstring).
    `rows` are (printed cells, width of the source row with blanks, the row read by the
    header's columns or None); `width` the number of columns of the table. A row read by
    the columns is taken as it is."""
    out: list[list[Cell]] = []
    readings: dict[int, Reading] = {}
    fragments: list[Cell] = []
    for cells, source_width, reading in rows:
        if reading is not None:
            if fragments:
                out.append(_labels(fragments))
                fragments = []
            readings[len(out)] = reading
            out.append(cells)
            continue
        cells = _split_numbered(cells)
        if _fragment(cells):
            fragments += cells
            continue
        labels = _labels(fragments)
        fragments = []
        short = source_width < width - 2
        if labels and not any(is_level(cell.text) for cell in labels):
            _add(out, labels, True)
            labels = []
        if labels:
            _prefixed(out, labels, cells)
        else:
            _add(out, cells, short)
    if fragments:
        out.append(_labels(fragments))
    return [(cells, readings.get(index)) for index, cells in enumerate(out)]
