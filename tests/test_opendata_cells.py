"""The open data's quick writers give the general writers' bytes: a project's rows as CSV
lines and sheet XML (`opendata.cells`), its record as JSON (`encoding.record_bytes`)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import OrderedDict
from decimal import Decimal

import pytest

from builder.opendata import cells
from builder.opendata.columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS, Column
from builder.opendata.encoding import csv_tuple_lines, json_value, record_bytes
from builder.opendata.sheetxml import STRING_LIMIT, rows_xml

# Every kind of value a cell holds, and text of every shape the writers treat apart: plain,
# empty, formula-like, XML's specials, `_xHHHH_`, control characters, U+FFFE/U+FFFF, spaces
# (ASCII and U+3000) at either end, a newline at the end, too long for Excel, and quotes.
TEXTS = (
    "发放人数", "", "=1+1", "+86", "-2", "@x", "\tx", "\rx", "a<b>&c", "_x0041_", "a_b",
    "x\x01y", "x\ufffey\uffff", " 前", "后 ", "\u3000全角", "尾\u3000", "行\n", "a\nb",
    "逗,号", '引"号', "长" * (STRING_LIMIT // 2), "长" * (STRING_LIMIT // 2 + 1),
    "𝒳" * (STRING_LIMIT // 2 + 3), ">=95%", "=１００％",
)  # fmt: skip
NUMBERS = (
    0, 1, -3, 2023, 10**17, True, False, None, Decimal("0"), Decimal("97.50"), Decimal("100.00"),
    Decimal("-0.53"), Decimal("1E+2"), Decimal("0.1"), Decimal("12345678901234.56"),
    Decimal("1E-7"),
)  # fmt: skip
VALUES = TEXTS + NUMBERS


def _rows(width: int) -> list[tuple[object, ...]]:
    """Rows of `width` cells cycling through every value, some ending in missing values."""
    cycle = itertools.cycle(VALUES)
    rows = [tuple(next(cycle) for _ in range(width)) for _ in range(len(VALUES))]
    rows.append((*rows[0][:-2], None, None))
    rows.append((None,) * width)
    return rows


@pytest.mark.parametrize("columns", [PROJECT_COLUMNS, INDICATOR_COLUMNS, FINDING_COLUMNS])
def test_quick_sheet_xml_is_the_general_writers(columns: tuple[Column, ...]) -> None:
    rows = _rows(len(columns))
    assert cells.rows_xml(rows) == rows_xml(rows)  # type: ignore[arg-type]
    for value in VALUES:
        assert cells.rows_xml([(value,)]) == rows_xml([(value,)])  # type: ignore[list-item]


@pytest.mark.parametrize("columns", [PROJECT_COLUMNS, INDICATOR_COLUMNS, FINDING_COLUMNS])
def test_quick_csv_lines_are_the_general_writers(columns: tuple[Column, ...]) -> None:
    rows = _rows(len(columns))
    assert cells.csv_rows(columns, rows) == csv_tuple_lines(columns, rows)  # type: ignore[arg-type]
    assert cells.csv_rows(columns, []) == b""


def test_the_quick_path_is_taken_for_plain_text_alone() -> None:
    """Plain text is written as it is; the text of every other shape is not (it goes to the
    general writer, which escapes, guards or keeps its spaces)."""
    plain = '<c t="inlineStr"><is><t>{}</t></is></c>'
    assert cells.rows_xml([("发放人数",)]) == f"<row>{plain.format('发放人数')}</row>".encode()
    for text in ("=1+1", "a<b", "_x0041_", " 前", "尾\u3000", "x\x01y"):
        assert plain.format(text).encode() not in cells.rows_xml([(text,)])


def test_record_bytes_are_json_value_dumped() -> None:
    """Decimals as JSON numbers (whole ones as integers), dates as ISO text, tuples and other
    mappings as lists and objects, text unescaped: the bytes of `json_value` then `json.dumps`."""
    data = {
        "amounts": [Decimal("97.50"), Decimal("100.00"), Decimal("-0.53"), Decimal("1E+2"), None],
        "filled_on": dt.date(2024, 1, 31),
        "at": dt.datetime(2024, 1, 31, 8, 30),
        "pair": (1, Decimal("2.5")),
        "nested": OrderedDict([("名称", "发放<人数>"), ("levels", {"产出指标": Decimal("50")})]),
        "flags": [True, False],
        "text": '引"号\n',
    }
    expected = json.dumps(
        json_value(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
    assert record_bytes(data) == expected
    assert b'"amounts":[97.5,100,-0.53,100,null]' in expected


def test_record_bytes_refuse_what_json_cannot_say() -> None:
    with pytest.raises(TypeError, match="set"):
        record_bytes({"x": {1, 2}})
