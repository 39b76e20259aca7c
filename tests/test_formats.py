"""How figures are written (builder/formats.py), on the pages and in the PDFs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from builder.formats import (
    BLANK,
    band_label,
    chinese_date,
    declared_text,
    declared_yuan_text,
    figure_text,
    fixed_text,
    merged_spans,
    percent_text,
    slash_date,
    wan_text,
    yuan_text,
)
from builder.pdf.templates import environment as pdf_environment
from builder.site.render import make_environment


def test_amounts() -> None:
    assert yuan_text(Decimal("86870000")) == "86,870,000.00"
    assert declared_yuan_text(Decimal("86870000")) == "86,870,000"
    assert declared_yuan_text(Decimal("950500.00")) == "950,500.00"
    assert wan_text(Decimal("86870000")) == "8,687.00"
    assert yuan_text(None) == wan_text(None) == declared_yuan_text(None) == "—"
    assert declared_yuan_text(None, missing=BLANK) == ""


def test_rates_points_and_dates() -> None:
    assert percent_text(Decimal("95.5")) == "95.50%"
    assert figure_text(Decimal("97.50")) == "97.5" and figure_text(Decimal("100.00")) == "100"
    assert fixed_text(Decimal("87.456")) == "87.46"
    assert percent_text(None) == figure_text(None) == fixed_text(None) == "—"
    assert chinese_date(dt.date(2023, 12, 5)) == "2023年12月5日"
    assert slash_date(dt.date(2023, 12, 5)) == "2023/12/05"
    assert band_label("partly") == "部分达成" and band_label("other") == "other"
    assert band_label(None) == band_label("") == ""


def test_pages_and_pdfs_use_the_same_formatters() -> None:
    site, pdf = make_environment().filters, pdf_environment().filters
    assert site["money"] is yuan_text and site["wan"] is wan_text
    assert site["percent"] is percent_text and site["points"] is figure_text
    assert site["declared"] is declared_text
    assert site["chinese_date"] is pdf["chinese_date"] is chinese_date
    assert pdf["declared_yuan"].func is declared_yuan_text
    assert pdf["declared"].func is declared_text
    assert pdf["declared_yuan"].keywords == pdf["declared"].keywords == {"missing": BLANK}
    # The form prints only what it declares: no filter that writes a computed figure.
    assert "figure" not in pdf and "points" not in pdf


def _spans_by_hand(rows: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """The merged cells as a person counts them: a cell begins where its row's 一级 (or its
    一级 and 二级) differ from the row above, and covers the rows until the next begins."""
    spans = []
    for index, (level1, level2) in enumerate(rows):
        first1 = index == 0 or rows[index - 1][0] != level1
        first2 = first1 or rows[index - 1][1] != level2
        length1 = length2 = 0
        while index + length1 < len(rows) and rows[index + length1][0] == level1:
            length1 += 1
        while index + length2 < len(rows) and rows[index + length2] == (level1, level2):
            length2 += 1
        spans.append((length1 if first1 else 0, length2 if first2 else 0))
    return spans


@given(st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from("xy")), max_size=12))
def test_merged_spans(rows: list[tuple[str, str]]) -> None:
    indicators = [SimpleNamespace(level1=level1, level2=level2) for level1, level2 in rows]
    assert merged_spans(indicators) == _spans_by_hand(rows)  # type: ignore[arg-type]
