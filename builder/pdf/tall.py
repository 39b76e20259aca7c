"""Rows taller than half a page: found in a first layout, allowed to split in the second.

A row of the printed form never splits across pages (`tr { break-inside: avoid }` in pdf.css),
as on paper. A row taller than a page cannot keep that rule: WeasyPrint then moves the table to
the next page, lays the row out alone with no heading row, and splits it anyway. A row taller
than half a page would leave more than half a page empty before it. So the renderer lays a
document out once, finds such rows (`tall_rows`), marks them `may-split` (`mark_tall_rows`)
and lays the document out again, once: such a row then starts where it falls and continues on
the next pages under its table's repeated heading row. Forms without such a row are laid out
once, as before.

This reads WeasyPrint's boxes (`Page._page_box`, `TableRowBox`), bounded in pyproject.toml
and checked by tests/test_pdf.py `test_the_internals_we_use_are_where_we_expect_them`.
"""

from __future__ import annotations

from typing import Any

from weasyprint.document import Document
from weasyprint.formatting_structure.boxes import TableRowBox

# The class pdf.css lets split, and the share of a page's content height a row may take
# before it gets it.
MAY_SPLIT = "may-split"
TALL_SHARE = 0.5


def tall_rows(document: Document) -> list[Any]:
    """The HTML elements (ElementTree) of the table rows of `document` whose height, summed
    over the pages they are on, is more than TALL_SHARE of a page's content height; in the
    order they first appear."""
    heights: dict[int, float] = {}
    elements: dict[int, Any] = {}
    limit = float("inf")
    for page in document.pages:
        page_box = page._page_box
        limit = min(limit, page_box.height * TALL_SHARE)
        for box in page_box.descendants():
            if isinstance(box, TableRowBox) and box.element is not None:
                key = id(box.element)
                elements.setdefault(key, box.element)
                heights[key] = heights.get(key, 0.0) + float(box.height or 0)
    return [elements[key] for key, height in heights.items() if height > limit]


def mark_tall_rows(document: Document) -> int:
    """Add the class MAY_SPLIT to each of `tall_rows(document)` that lacks it, in the parsed
    HTML the document was laid out from; how many were marked (0: nothing to lay out again)."""
    marked = 0
    for element in tall_rows(document):
        classes = (element.get("class") or "").split()
        if MAY_SPLIT not in classes:
            element.set("class", " ".join([*classes, MAY_SPLIT]))
            marked += 1
    return marked
