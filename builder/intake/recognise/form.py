"""One form's rows into a `Draft`: its parts (sections.py) each read by its own module."""

from __future__ import annotations

from ..draft import Draft
from ..grid import Cell, Row
from . import family, header
from .boxes import read_boxes
from .columns import (
    Reading,
    column_kinds,
    header_kind,
    header_positions,
    is_header,
    read_positional,
)
from .foot import read_foot, read_goals
from .funding_block import read_funding
from .indicators import assemble
from .levels import check_levels
from .own_words import put_labels
from .sections import Parts, cut, header_cells
from .sheet import FormSheet, filled
from .table import put_rows, read_rows, unused
from .tail import cut_off, read_partial_note, read_remarks


def read_form(rows: list[Row], last: bool, issued: bool = False) -> Draft:
    """The draft of one form; `last`: the form ends its file (so a form that stops short was
    cut off by its source); `issued`: the form is jixiao's blank template filled in (its
    「指标N:」 rows nobody filled in are the template's: left out, `table.unused`)."""
    origin = next(cell.place for row in rows for cell in filled(row))
    sheet = FormSheet(rows, origin, issued=issued)
    parts = cut(rows)
    year = header.year_of([tuple(p.cells) for p in parts.pieces["head"]])
    if year is not None:
        sheet.put(("year",), year[0], year[1])
        if year[2] is not None:
            sheet.note(
                "year-guess",
                year[1],
                f"表格上方写有两个年度({year[2]}年度、{year[0]}年度),取离表格最近的 {year[0]} 年度,请核对",
                f"the text above the table names two years ({year[2]}, {year[0]}); the one "
                f"nearest the table, {year[0]}, was taken",
            )
    else:
        sheet.note(
            "no-year",
            origin,
            "表中没有年度,请用 --year 指定",
            "the form prints no year: give --year",
        )
    around = [tuple(p.cells) for name in ("head", "foot") for p in parts.pieces[name]]
    found = header.read_header(sheet, around)
    header.put_header(sheet, found, origin)
    read_boxes(sheet, around)
    if parts.pieces["funding"]:
        whole = [p.row for p in parts.pieces["funding"] if p.row is not None]
        read_funding(sheet, parts.cells("funding"), whole)
    if parts.pieces["goals"]:
        pieces = parts.pieces["goals"]
        read_goals(sheet, parts.cells("goals"), any(p.loose for p in pieces))
    kinds, columns = _indicators(sheet, parts)
    read_foot(sheet, [p.cells for p in parts.pieces["foot"]], columns)
    read_remarks(sheet, parts)
    read_partial_note(sheet)
    family.detect(sheet, parts, kinds)
    put_labels(sheet, kinds)
    cut_off(sheet, parts, last)
    return sheet.draft()


def _indicators(sheet: FormSheet, parts: Parts) -> tuple[tuple[str, ...], dict[int, str]]:
    """The indicator table into the draft; its column kinds (() when the form has none) and,
    where its header row was given whole, the kind of each column (`header_positions`)."""
    pieces = parts.pieces["indicators"]
    if not pieces:
        return (), {}
    cells = parts.cells("indicators")
    count = header_cells(cells)
    kinds = column_kinds(cells[:count])
    for cell in cells[:count]:
        kind = header_kind(cell.text)
        if kind in ("target", "actual", "reason"):
            sheet.word(kind, cell, last=kind == "target")
    first = pieces[0]
    layout = header_positions(first.row) if first.row and len(first.cells) == count else {}
    rows: list[tuple[list[Cell], int, Reading | None]] = []
    seen = 0
    for piece in pieces:
        own = piece.cells[max(0, count - seen) :]
        seen += len(piece.cells)
        if own and not (is_header(own) and len(rows) > 0):
            whole = piece.row if layout and piece.row and len(own) == len(piece.cells) else None
            reading = read_positional(whole, layout) if whole else None
            rows.append((own, piece.width, reading))
    assembled = assemble(rows, len(kinds) + 1)
    lines = [line for line in read_rows(sheet, assembled, kinds) if not unused(sheet, line)]
    check_levels(sheet, lines)
    put_rows(sheet, lines)
    return kinds, layout
