"""`builder.values.parse_quantity`: what a 年度指标值 / 实际完成值 cell says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.form.values import (
    Operator,
    Quantity,
    UnreadableValue,
    is_not_applicable,
    is_zero_word,
    parse_quantity,
)

# Written out here rather than imported, so that a spelling dropped from the parser fails a test.
OPERATOR_SPELLINGS: dict[str, Operator] = {
    "≥": Operator.GE,
    "≧": Operator.GE,
    "⩾": Operator.GE,
    ">=": Operator.GE,
    "＞=": Operator.GE,
    ">＝": Operator.GE,
    "＞＝": Operator.GE,
    "≤": Operator.LE,
    "≦": Operator.LE,
    "⩽": Operator.LE,
    "<=": Operator.LE,
    "＜=": Operator.LE,
    "<＝": Operator.LE,
    "＜＝": Operator.LE,
    "=": Operator.EQ,
    "==": Operator.EQ,
    "＝": Operator.EQ,
    "＝＝": Operator.EQ,
    "═": Operator.EQ,
    "<": Operator.LT,
    "＜": Operator.LT,
    ">": Operator.GT,
    "＞": Operator.GT,
}

# Measure units (度量单位) that read back exactly as written, with or without an operator first.
SHORT_MEASURE_UNITS = [
    "",
    "%",
    "人",
    "元",
    "万元",
    "亿元",
    "人次",
    "万人次",
    "小时",
    "个工作日",
    "百分比",
    "套",
]
# Longer measure units read as such only after an operator (without one, "0.2元/人*月" could be
# prose).
LONG_MEASURE_UNITS = ["元/人*月", "元/人", "户/年"]

HALF_TO_FULL = str.maketrans("0123456789.,%-+<>= ", "０１２３４５６７８９．，％－＋＜＞＝　")

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
QUALITATIVE_TEXT = st.text(CJK, min_size=1, max_size=20)

numbers = st.decimals(
    min_value=Decimal(0), max_value=Decimal(10**12), places=2, allow_nan=False, allow_infinity=False
)


def outcome(text: str) -> Quantity | type[Exception] | None:
    """What parsing gives: the result, or the class of the exception (its message quotes the text)."""
    try:
        return parse_quantity(text)
    except Exception as error:
        return type(error)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("≥1.35%", Quantity(Operator.GE, Decimal("1.35"), "%")),
        ("≤11476人", Quantity(Operator.LE, Decimal(11476), "人")),
        ("=0.2元/人*月", Quantity(Operator.EQ, Decimal("0.2"), "元/人*月")),
        ("＜３小时", Quantity(Operator.LT, Decimal(3), "小时")),
        ("72,763", Quantity(Operator.NONE, Decimal(72763), "")),
        ("≤8687万元", Quantity(Operator.LE, Decimal(8687), "万元")),
        ("≥ 95 %", Quantity(Operator.GE, Decimal(95), "%")),
        ("＞＝９５％", Quantity(Operator.GE, Decimal(95), "%")),
        ("  =11套  ", Quantity(Operator.EQ, Decimal(11), "套")),
        ("≥.5", Quantity(Operator.GE, Decimal("0.5"), "")),
        ("≥-5", Quantity(Operator.GE, Decimal(-5), "")),
    ],
)
def test_cells_from_real_forms(cell: str, expected: Quantity) -> None:
    assert parse_quantity(cell) == expected


@pytest.mark.parametrize(("spelling", "operator"), OPERATOR_SPELLINGS.items())
def test_every_operator_spelling(spelling: str, operator: Operator) -> None:
    assert parse_quantity(f"{spelling}95%") == Quantity(operator, Decimal(95), "%")


@pytest.mark.parametrize(
    "cell",
    [
        "足额发放",
        "每月10号前",
        "有效保障",
        "达成年度指标",
        "根据文件要求",
        "全年缴费金额*10%*1/3",
        "最低标准提高至130元",
        "视需求而定",
        "2023年底前完成",
        "",
        "   ",
    ],
)
def test_qualitative_cells_are_not_quantities(cell: str) -> None:
    assert parse_quantity(cell) is None


@pytest.mark.parametrize("cell", ["≥≤5", ">=约五成", "≥", "＜＝左右", "≤5≤"])
def test_typing_mistakes_are_unreadable(cell: str) -> None:
    with pytest.raises(UnreadableValue):
        parse_quantity(cell)


@pytest.mark.parametrize("cell", ["/", "—", "——", "-", "－", "／", "不适用", " / "])
def test_not_applicable_spellings(cell: str) -> None:
    assert is_not_applicable(cell)


@pytest.mark.parametrize("cell", ["0", "≥0", "达成年度指标", "无法评估"])
def test_values_that_are_applicable(cell: str) -> None:
    assert not is_not_applicable(cell)


@st.composite
def quantity_cells(draw: st.DrawFn) -> tuple[str, Quantity]:
    """A cell written from (operator spelling, number, measure unit), and the quantity it stands
    for."""
    spelling = draw(st.sampled_from(["", *OPERATOR_SPELLINGS]))
    number = draw(numbers)
    measure_units = SHORT_MEASURE_UNITS + (LONG_MEASURE_UNITS if spelling else [])
    measure_unit = draw(st.sampled_from(measure_units))
    space = draw(st.sampled_from(["", " "])) if spelling else ""
    operator = OPERATOR_SPELLINGS.get(spelling, Operator.NONE)
    return f"{spelling}{space}{number:f}{measure_unit}", Quantity(operator, number, measure_unit)


@settings(deadline=None)
@given(quantity_cells())
def test_round_trip(cell_and_quantity: tuple[str, Quantity]) -> None:
    cell, quantity = cell_and_quantity
    assert parse_quantity(cell) == quantity


@settings(deadline=None)
@given(quantity_cells())
def test_full_width_cell_reads_like_half_width(cell_and_quantity: tuple[str, Quantity]) -> None:
    cell, quantity = cell_and_quantity
    assert parse_quantity(cell.translate(HALF_TO_FULL)) == quantity


@settings(deadline=None)
@given(st.text(st.sampled_from("0123456789.,%-+<>= ≥≤人元万约"), max_size=12))
def test_full_width_text_behaves_like_half_width(text: str) -> None:
    assert outcome(text.translate(HALF_TO_FULL)) == outcome(text)


@settings(deadline=None)
@given(
    st.sampled_from(["", *OPERATOR_SPELLINGS]),
    st.integers(min_value=1000, max_value=10**15 - 1),  # the largest a form may hold
    st.sampled_from(["", ".5", ".25"]),
    st.sampled_from(SHORT_MEASURE_UNITS),
    st.sampled_from([",", "，"]),
)
def test_thousands_separators(
    spelling: str, whole: int, fraction: str, measure_unit: str, separator: str
) -> None:
    grouped = f"{whole:,}".replace(",", separator)
    parsed = parse_quantity(f"{spelling}{grouped}{fraction}{measure_unit}")
    assert parsed is not None
    assert parsed.number == Decimal(f"{whole}{fraction}")
    assert parsed.measure_unit == measure_unit


@settings(deadline=None)
@given(QUALITATIVE_TEXT)
def test_chinese_text_is_qualitative(text: str) -> None:
    assert parse_quantity(text) is None


@settings(deadline=None)
@given(st.sampled_from(list(OPERATOR_SPELLINGS)), st.text(CJK, max_size=10))
def test_operator_without_number_is_unreadable(spelling: str, rest: str) -> None:
    with pytest.raises(UnreadableValue):
        parse_quantity(f"{spelling}{rest}")


@settings(deadline=None, max_examples=500)
@given(
    st.text()
    | st.text(st.sampled_from("0123456789.,%-+<>=≥≤＜＞＝０１２ 　人元万/*e_٣"), max_size=15)
)
def test_never_raises_anything_but_unreadable(text: str) -> None:
    try:
        parsed = parse_quantity(text)
    except UnreadableValue:
        return
    assert parsed is None or isinstance(parsed.number, Decimal)


@pytest.mark.parametrize("cell", ["〈关于养老保险的通知〉要求", "《通知》要求"])
def test_title_marks_open_qualitative_text_not_a_comparison(cell: str) -> None:
    assert parse_quantity(cell) is None


def test_a_compound_measure_unit_needs_no_operator() -> None:
    assert parse_quantity("0.2元/人*月") == Quantity(Operator.NONE, Decimal("0.2"), "元/人*月")


@pytest.mark.parametrize("cell", ["无", " 无 ", "零", "〇", "没有", "未发生", "无发生"])
def test_words_for_none_are_a_zero_not_not_applicable(cell: str) -> None:
    assert is_zero_word(cell)
    assert not is_not_applicable(cell)


@pytest.mark.parametrize("cell", ["/", "不适用", "无法评估", "无明显变化", "0", "达成年度指标"])
def test_other_cells_are_no_word_for_none(cell: str) -> None:
    assert not is_zero_word(cell)
