"""The characters of a PDF page that are printed: those a renderer put in the text layer but
clipped away are left out.

LibreOffice Calc prints a merged cell that a page break cuts (a 一级/二级指标 spanning rows,
some on page N, the rest atop page N+1) on both pages, its whole text drawn on each at its
place in the whole merged cell and clipped to the part of the cell on that page. The text
layer keeps what was clipped: on page N+1 the lines of the label above the table (in the top
margin, or above the page's top edge), on page N those below the table. Read as they are,
they would be printed lines outside the table (a label 「效益指标(30分)」 standing alone above
page N+1's table) and the label's lines counted on both pages.

Geometry says what was clipped, nothing else:
- a character whose middle lies outside the page's box is never printed;
- a cell running into a page break has no rule along its side at the cut, while the cells
  beside it (rows of their own, closed at the break) have theirs: the side of the page's
  first table (its top) or last table (its bottom) is open over those cells only. A
  character outside the tables, beyond that side (above the first table, below the last),
  whose box lies within the sides of such an open stretch is the clipped part of the cell
  running into the break. A side open along its whole length (a table drawn without that
  rule) says nothing: the text beyond it (a title over a table) stays.

The same open sides tell `pdfcut` which cells of two pages are one cell cut by the break.
"""

from __future__ import annotations

from typing import Any

from .pdftext import Char

# Within this many points, a rule lies along a table's side, and a character within a stretch.
NEAR = 1.5

# Stretches of a side (x0, x1), in points.
Stretches = list[tuple[float, float]]


def printed(
    page: Any, chars: list[Char], boxes: list[tuple[float, ...]], sides: tuple[Stretches, Stretches]
) -> list[Char]:
    """`chars` (pdfplumber's, of `page`) less those not printed (see the module's
    docstring); `boxes` are the page's ruled tables' boxes (x0, top, x1, bottom; points), top
    to bottom, `sides` the open stretches of the first's top and the last's bottom
    (`open_sides`)."""
    width, height = page.width, page.height
    kept = [c for c in chars if 0 <= _mid_x(c) <= width and 0 <= _mid_y(c) <= height]
    if not boxes:
        return kept
    above, below = sides
    first, last = boxes[0], boxes[-1]
    return [
        c
        for c in kept
        if any(_inside(c, box) for box in boxes)
        or not (
            (_mid_y(c) < first[1] and _within(c, above))
            or (_mid_y(c) > last[3] and _within(c, below))
        )
    ]


def open_sides(page: Any, boxes: list[tuple[float, ...]]) -> tuple[Stretches, Stretches]:
    """The stretches (x0, x1, points) of the top side of the page's first ruled table and of
    the bottom side of its last that no rule covers, where a rule covers some of that side
    (see the module's docstring): the sides of the cells running into a page break. `boxes`
    are the tables' boxes (x0, top, x1, bottom), top to bottom."""
    rules = [e for e in page.edges if e["orientation"] == "h"]
    first, last = boxes[0], boxes[-1]
    return _open(rules, first, first[1]), _open(rules, last, last[3])


def opened(
    box: tuple[float, ...], table: tuple[float, ...], sides: tuple[Stretches, Stretches]
) -> str:
    """Which sides of the cell at `box` run into a page break, open (`open_sides`): "top",
    "bottom", both or ""; `table` is the box of the cell's table, `sides` its open stretches
    at top and bottom ([] where it is not the page's first or last table)."""
    out = ""
    for name, edge, stretches in (("top", 1, sides[0]), ("bottom", 3, sides[1])):
        if abs(box[edge] - table[edge]) <= NEAR and any(
            x0 - NEAR <= box[0] and box[2] <= x1 + NEAR for x0, x1 in stretches
        ):
            out += name
    return out


def _open(
    rules: list[dict[str, Any]], box: tuple[float, ...], y: float
) -> list[tuple[float, float]]:
    """The stretches (x0, x1) of the side at `y` of the table at `box` that no rule covers;
    [] when no rule lies along that side at all (a side open along its whole length)."""
    spans = sorted(
        (max(e["x0"], box[0]), min(e["x1"], box[2]))
        for e in rules
        if abs(e["top"] - y) <= NEAR and e["x1"] > box[0] and e["x0"] < box[2]
    )
    if not spans:
        return []
    gaps: list[tuple[float, float]] = []
    reach = box[0]
    for x0, x1 in spans:
        if x0 - reach > NEAR:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    if box[2] - reach > NEAR:
        gaps.append((reach, box[2]))
    return gaps


def _within(char: Char, stretches: list[tuple[float, float]]) -> bool:
    return any(x0 - NEAR <= char["x0"] and char["x1"] <= x1 + NEAR for x0, x1 in stretches)


def _inside(char: Char, box: tuple[float, ...]) -> bool:
    return box[0] <= _mid_x(char) <= box[2] and box[1] <= _mid_y(char) <= box[3]


def _mid_x(char: Char) -> float:
    return (char["x0"] + char["x1"]) / 2


def _mid_y(char: Char) -> float:
    return (char["top"] + char["bottom"]) / 2
