"""A project's rows written as CSV lines and as sheet XML in one quick pass each: the usual
cell (plain text, no value missing) takes a short path, anything else the general writers
(`encoding.csv_cell`, `sheetxml.cell_xml`), so the bytes are theirs whatever the value.

Made for the open data's records (`records.project_data`), where ten thousand projects'
150,000 rows spent most of their time in per-cell calls: the text of almost every cell needs
no escaping, no formula guard and no whitespace kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from .columns import CSV_LINE_END, FORMULA_GUARD, FORMULA_TRIGGERS, Cell, Column
from .encoding import csv_cell
from .sheetxml import PLAIN_TEXT, STRING_LIMIT, cell_xml


def _xml_cell(value: Cell) -> str:
    """`sheetxml.cell_xml(value)`, quicker for the usual text, whole numbers and booleans."""
    kind = type(value)
    if kind is int:
        return "<c><v>" + format(float(value), ".16G") + "</v></c>"  # type: ignore[arg-type]
    if kind is bool:
        return '<c t="b"><v>1</v></c>' if value else '<c t="b"><v>0</v></c>'
    if (
        kind is str
        and value
        and len(value) <= STRING_LIMIT // 2
        and not value[0].isspace()
        and not value[-1].isspace()
        and not value.startswith(FORMULA_TRIGGERS)
        and PLAIN_TEXT.fullmatch(value)
    ):
        return '<c t="inlineStr"><is><t>' + value + "</t></is></c>"
    return cell_xml(value)


def rows_xml(rows: Iterable[Sequence[Cell]]) -> bytes:
    """`sheetxml.rows_xml(rows)`, byte for byte: `rows` (values in column order) as `<row>`
    elements in UTF-8, trailing values not given left out."""
    parts = []
    for row in rows:
        last = len(row)
        while last and row[last - 1] is None:
            last -= 1
        parts.append("<row>" + "".join([_xml_cell(value) for value in row[:last]]) + "</row>")
    return "".join(parts).encode("utf-8")


def _csv_cell(column: Column, value: Cell) -> str:
    """`encoding.csv_cell(column, value)`, quicker for text and missing values."""
    if type(value) is str:
        return FORMULA_GUARD + value if value.startswith(FORMULA_TRIGGERS) else value
    if value is None:
        return ""
    return csv_cell(column, value)


def csv_rows(columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> bytes:
    """`encoding.csv_tuple_lines(columns, rows)`, byte for byte: rows given as values in
    column order as CSV lines in UTF-8, without the header."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=CSV_LINE_END).writerows(
        [
            [_csv_cell(column, value) for column, value in zip(columns, row, strict=True)]
            for row in rows
        ]
    )
    return buffer.getvalue().encode("utf-8")
