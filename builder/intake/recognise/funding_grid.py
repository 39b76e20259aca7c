"""Funding rows read by the header's columns: a source that gives whole rows with their blank
cells (a workbook, a PDF table, jixiao's own layout) says exactly which cell is blank, so such
a row, as wide as the header, is read by position when every cell fits its column."""

from __future__ import annotations

from ..grid import Cell, Row
from .columns import positions
from .funding import header_kind
from .words import SOURCE_LABELS, is_dash, key, percent


def layout_of(rows: list[Row]) -> dict[int, str]:
    """column -> kind of the first whole row that names the funding columns ({} if none);
    the 资金来源 column is `label`."""
    for row in rows:
        found = {}
        for column, cell in zip(positions(row), row, strict=True):
            kind = header_kind(cell.text) or ("label" if key(cell.text) in SOURCE_LABELS else "")
            if kind:
                found[column] = kind
        if len(found) >= 3:
            return found
    return {}


def read_by_columns(row: Row, layout: dict[int, str]) -> tuple[Cell, dict[str, Cell]] | None:
    """(label, kind -> cell) of a row read by the header's columns, None when the row does
    not line up with them (then its cells are read by content)."""
    if not layout or "label" not in layout.values():
        return None
    spans = positions(row)
    if not row or spans[-1] + row[-1].span < max(layout) + 1:
        return None  # the row stops short of the header's last column: read by content
    label: Cell | None = None
    got: dict[str, Cell] = {}
    for column, cell in zip(spans, row, strict=True):
        kind = layout.get(column)
        text = cell.text.strip()
        if kind == "label":
            label = cell
        elif kind and text:
            if percent(text)[0] is None and not is_dash(text):
                return None
            got[kind] = cell
    if label is None or not label.text.strip():
        return None
    return label, got
