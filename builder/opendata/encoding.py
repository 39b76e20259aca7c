"""Values as JSON and CSV text: exact decimals, no timestamps, the same bytes every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..rules.findings import plain
from .columns import CSV_ENCODING, CSV_LINE_END, FORMULA_GUARD, FORMULA_TRIGGERS, Cell, Column


def json_number(value: Decimal | None) -> int | float | None:
    """A JSON number for an exact decimal, the way `jixiao check --json` writes them.

    A float's shortest repr gives back the decimal digit for digit up to 15 significant
    digits: 10 000 000 000 000.00 元 with its fen, far above any project budget. The CSV
    files carry the exact text whatever its length. A form's numbers are bounded when it is
    read (`form.values.out_of_range`), so the float is finite; every JSON file is written with
    `allow_nan=False` all the same, as RFC 8259 has no Infinity or NaN.
    """
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def json_value(value: Any) -> Any:
    """Model data (Decimals, dates, nested dicts and lists) as plain JSON values."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def json_default(value: Any) -> Any:
    """What `json_value` makes of a value the JSON encoder has no rule for, as its `default`:
    `json.dumps(data, default=json_default)` writes the bytes `json.dumps(json_value(data))`
    does, without walking the data in Python first (Decimals, dates, other mappings). Raises
    TypeError for anything else, as the encoder does."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items()}
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def record_bytes(data: Any) -> bytes:
    """`data` (model values: Decimals, dates, nested dicts and lists) as compact JSON in
    UTF-8, without a final newline: what `json_value` and `json.dumps` would make of it."""
    return json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=json_default
    ).encode("utf-8")


def csv_text(value: Cell) -> str:
    """A cell as CSV text: exact decimals (`plain`), empty for missing values."""
    if value is None:
        return ""
    if isinstance(value, bool):  # Frictionless's default true and false values
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run a cell of this text as a formula: it starts with
    = + - @, a tab or a carriage return (OWASP's CSV injection advice)."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise_formula(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (OWASP's CSV injection advice)."""
    return FORMULA_GUARD + text if looks_like_formula(text) else text


def csv_cell(column: Column, value: Cell) -> str:
    """A cell's CSV text. A number (int or finite Decimal, as `plain` writes it: a minus sign
    before digits is a number to every spreadsheet, never a formula) in a number column is
    written as it is; any text, in any column, goes behind the formula guard when it starts
    like a formula."""
    text = csv_text(value)
    if column.type != "string" and not isinstance(value, str):
        return text
    return neutralise_formula(text)


def json_bytes(data: Any, indent: int | None = None) -> bytes:
    """Compact by default: the indenting encoder is pure Python and many times slower, which
    matters for ten thousand records; the small descriptive files are indented for people."""
    separators = (",", ":") if indent is None else None
    text = json.dumps(
        data, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
    )
    return (text + "\n").encode("utf-8")


def csv_lines(columns: Sequence[Column], rows: Iterable[Mapping[str, Cell]]) -> bytes:
    """Rows as CSV lines in UTF-8, without the header."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END)
    for row in rows:
        writer.writerow([csv_cell(column, row[column.name]) for column in columns])
    return buffer.getvalue().encode("utf-8")


def csv_tuple_lines(columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Rows given as values in column order (`ProjectData.sheets`) as CSV lines in UTF-8,
    without the header; each cell as `csv_cell` writes it."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END)
    for row in rows:
        writer.writerow(
            [csv_cell(column, value) for column, value in zip(columns, row, strict=True)]
        )
    return buffer.getvalue().encode("utf-8")


def csv_header(columns: Sequence[Column], titles: bool = False) -> bytes:
    """The header line, after the byte order mark: the columns' machine names (the stable
    contract), or with `titles` their Chinese titles (the `-zh.csv` copies)."""
    names = [column.title if titles else column.name for column in columns]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=CSV_LINE_END).writerow(
        [neutralise_formula(name) for name in names]
    )
    return buffer.getvalue().encode(CSV_ENCODING)
