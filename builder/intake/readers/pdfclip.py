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
"""

from __future__ import annotations

from typing import Any

from .pdftext import Char

# Within this many points, a rule lies along a table's side, and a character within a stretch.
NEAR = 1.5


def printed(page: Any, chars: list[Char], tables: list[Any]) -> list[Char]:
    """`chars` (pdfplumber's, of `page`) less those not printed (see the module's
    docstring); `tables` are the page's ruled tables (pdfplumber's, any order)."""
    width, height = page.width, page.height
    kept = [c for c in chars if 0 <= _mid_x(c) <= width and 0 <= _mid_y(c) <= height]
    if not tables:
        return kept
    boxes = sorted((tuple(t.bbox) for t in tables), key=lambda b: b[1])
    rules = [e for e in page.edges if e["orientation"] == "h"]
    first, last = boxes[0], boxes[-1]
    above = _open(rules, first, first[1])
    below = _open(rules, last, last[3])
    return [
        c
        for c in kept
        if any(_inside(c, box) for box in boxes)
        or not (
            (_mid_y(c) < first[1] and _within(c, above))
            or (_mid_y(c) > last[3] and _within(c, below))
        )
    ]


def _open(rules: list[dict[str, Any]], box: tuple[float, ...], y: float) -> list[tuple[float, float]]:
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
