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
    deadline_met,
    fraction_or_percent,
    is_not_applicable,
    is_zero_word,
    parse_moment,
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


# --- comparisons written in words, before or after the number (issue 12) -----------------------

GE, LE, GT, LT, EQ, NONE = (
    Operator.GE,
    Operator.LE,
    Operator.GT,
    Operator.LT,
    Operator.EQ,
    Operator.NONE,
)


@pytest.mark.parametrize(
    ("cell", "operator", "number", "unit"),
    [
        # words before the number; 超过 and 不满 exclude the number (《民法典》第一千二百五十九条)
        ("不低于95%", GE, "95", "%"),
        ("不少于1000人", GE, "1000", "人"),
        ("不小于3个", GE, "3", "个"),
        ("大于等于95%", GE, "95", "%"),
        ("大于或等于95%", GE, "95", "%"),
        ("至少2次", GE, "2", "次"),
        ("达到100%", GE, "100", "%"),
        ("达到 100 %", GE, "100", "%"),
        ("不高于5%", LE, "5", "%"),
        ("不超过30万元", LE, "30", "万元"),
        ("不多于3起", LE, "3", "起"),
        ("不大于2%", LE, "2", "%"),
        ("小于等于3小时", LE, "3", "小时"),
        ("小于或等于3小时", LE, "3", "小时"),
        ("大于90%", GT, "90", "%"),
        ("高于90%", GT, "90", "%"),
        ("多于10人", GT, "10", "人"),
        ("超过90%", GT, "90", "%"),
        ("小于5%", LT, "5", "%"),
        ("低于5%", LT, "5", "%"),
        ("少于3起", LT, "3", "起"),
        ("不满5起", LT, "5", "起"),
        ("不足5起", LT, "5", "起"),
        ("等于100%", EQ, "100", "%"),
        # words after it; 以上, 以下 and 以内 include the number
        ("95%以上", GE, "95", "%"),
        ("95%及以上", GE, "95", "%"),
        ("95%或以上", GE, "95", "%"),
        ("100%以下", LE, "100", "%"),
        ("5%及以下", LE, "5", "%"),
        ("5%或以下", LE, "5", "%"),
        ("30万元以内", LE, "30", "万元"),
        ("30万元之内", LE, "30", "万元"),
        ("30天内", LE, "30", "天"),
        ("3个工作日内", LE, "3", "个工作日"),
        ("24小时内", LE, "24", "小时"),
        ("≤3个工作日", LE, "3", "个工作日"),
        # both, agreeing
        ("≥95%以上", GE, "95", "%"),
        ("不低于95%以上", GE, "95", "%"),
        ("不超过5%以下", LE, "5", "%"),
        # the seed's and the real forms' signs, 百分比 and full-width forms
        ("≧735人次", GE, "735", "人次"),
        ("≦5", LE, "5", ""),
        ("═100%", EQ, "100", "%"),
        ("＞＝９５％", GE, "95", "%"),
        ("９５％以上", GE, "95", "%"),
        ("不低于９５％", GE, "95", "%"),
        ("≥100百分比", GE, "100", "百分比"),
        ("100百分比", NONE, "100", "百分比"),
        (">=95%", GE, "95", "%"),
        ("0", NONE, "0", ""),
        ("0起", NONE, "0", "起"),
    ],
)
def test_comparisons_in_words_and_signs(
    cell: str, operator: Operator, number: str, unit: str
) -> None:
    assert parse_quantity(cell) == Quantity(operator, Decimal(number), unit)


@pytest.mark.parametrize(
    "cell",
    [
        "达到国家标准",
        "不低于上年水平",
        "不超过预算",
        "高于全省平均",
        "达到95%,群众满意",  # a sentence that opens with a comparison in words
        "达到3个乡镇全覆盖",
        "按时完成",
        "每月10号前",
        "最低标准提高至130元",
    ],
)
def test_words_without_a_number_are_qualitative_not_a_mistake(cell: str) -> None:
    assert parse_quantity(cell) is None


@pytest.mark.parametrize("cell", ["≤5%以上", "≥95%以下", "不低于95%以下", "不超过5%以上"])
def test_two_comparisons_that_disagree_are_unreadable(cell: str) -> None:
    with pytest.raises(UnreadableValue, match="disagree"):
        parse_quantity(cell)


@pytest.mark.parametrize(
    ("target", "actual", "mismatch"),
    [
        ("≥95%", "0.98", True),
        ("≥95%", "1", True),
        ("≥95百分比", "0.98", True),
        ("≥5‰", "0.5", True),
        ("0.95", "98%", True),  # the other way round
        ("≥95%", "98", False),  # above 1: a percent without its sign, as before
        ("≥95%", "0", False),  # 0 is 0 either way
        ("≥95%", "0.98%", False),
        ("≥0.95", "0.98", False),  # no percent anywhere
        ("≥95人", "0.98", False),
    ],
)
def test_fraction_against_percent_is_recognised_never_converted(
    target: str, actual: str, mismatch: bool
) -> None:
    t, a = parse_quantity(target), parse_quantity(actual)
    assert t is not None and a is not None
    assert fraction_or_percent(t, a) is mismatch


# --- dates and times: a target that can be met ---------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "relation", "start", "end"),
    [
        ("2021年12月完成", "=", (2021, 12, 1, 0), (2021, 12, 31, 1439)),
        ("2021年12月", "=", (2021, 12, 1, 0), (2021, 12, 31, 1439)),
        ("12月底前", "≤", (0, 12, 31, 0), (0, 12, 31, 1439)),
        ("12月底之前完成", "≤", (0, 12, 31, 0), (0, 12, 31, 1439)),
        ("12月末", "=", (0, 12, 31, 0), (0, 12, 31, 1439)),
        ("2023年12月31日前", "≤", (2023, 12, 31, 0), (2023, 12, 31, 1439)),
        ("2023年12月31日之前完成", "≤", (2023, 12, 31, 0), (2023, 12, 31, 1439)),
        ("2023年底前完成", "≤", (2023, 12, 31, 0), (2023, 12, 31, 1439)),
        ("2023年内完成", "≤", (2023, 1, 1, 0), (2023, 12, 31, 1439)),
        ("2023年", "=", (2023, 1, 1, 0), (2023, 12, 31, 1439)),
        ("于2023年6月30日前", "≤", (2023, 6, 30, 0), (2023, 6, 30, 1439)),
        ("已于2023年6月20日完成", "=", (2023, 6, 20, 0), (2023, 6, 20, 1439)),
        ("不晚于2023年6月30日", "≤", (2023, 6, 30, 0), (2023, 6, 30, 1439)),
        ("2023-06-30", "=", (2023, 6, 30, 0), (2023, 6, 30, 1439)),
        ("2023/6/30", "=", (2023, 6, 30, 0), (2023, 6, 30, 1439)),
        ("2023.06.30", "=", (2023, 6, 30, 0), (2023, 6, 30, 1439)),
        ("2023-06", "=", (2023, 6, 1, 0), (2023, 6, 30, 1439)),
        ("2024年2月底", "=", (2024, 2, 29, 0), (2024, 2, 29, 1439)),
        ("2023年2月底", "=", (2023, 2, 28, 0), (2023, 2, 28, 1439)),
        ("12月下旬", "=", (0, 12, 21, 0), (0, 12, 31, 1439)),
        ("6月上旬完成", "=", (0, 6, 1, 0), (0, 6, 10, 1439)),
        ("12月31日", "=", (0, 12, 31, 0), (0, 12, 31, 1439)),
        ("12月完成", "=", (0, 12, 1, 0), (0, 12, 31, 1439)),
        ("12月前", "≤", (0, 12, 1, 0), (0, 12, 31, 1439)),
        ("8:30", "=", (0, 0, 0, 510), (0, 0, 0, 510)),
        ("８：３０", "=", (0, 0, 0, 510), (0, 0, 0, 510)),
        ("8:30前", "≤", (0, 0, 0, 510), (0, 0, 0, 510)),
        ("≤8:30", "≤", (0, 0, 0, 510), (0, 0, 0, 510)),
        ("≥8:00", "≥", (0, 0, 0, 480), (0, 0, 0, 480)),
        ("17时前", "≤", (0, 0, 0, 1020), (0, 0, 0, 1020)),
        ("8点半", "=", (0, 0, 0, 510), (0, 0, 0, 510)),
        ("8时30分", "=", (0, 0, 0, 510), (0, 0, 0, 510)),
        ("2023年12月31日17:00前", "≤", (2023, 12, 31, 1020), (2023, 12, 31, 1020)),
    ],
)
def test_dates_and_times_are_moments(
    cell: str, relation: str, start: tuple[int, ...], end: tuple[int, ...]
) -> None:
    moment = parse_moment(cell)
    assert moment is not None
    assert (moment.relation, moment.start, moment.end) == (relation, start, end)
    assert parse_quantity(cell) is None  # a moment is no quantity (8:30 was an error before)


@pytest.mark.parametrize(
    "cell",
    [
        "12月",  # twelve months, or December: read as a number of months, as before
        "≤12月",
        "30天内",
        "3个工作日",
        "每月10号前",
        "10号前",  # a day of no month
        "按时完成",
        "年底前完成",
        "2023年2月30日",
        "2023年13月",
        "25:00",
        "8:61",
        "12月8:30",  # a time needs a day
        "≥2023年12月31日前",  # two comparisons that disagree
        "2021.12",  # a decimal number, not December 2021
    ],
)
def test_cells_that_are_no_moment(cell: str) -> None:
    assert parse_moment(cell) is None


@pytest.mark.parametrize(
    ("target", "actual", "met"),
    [
        ("2021年12月完成", "2021年12月", True),
        ("2021年12月完成", "2021年12月20日", True),
        ("2021年12月完成", "2021年11月", True),
        ("2021年12月完成", "2022年1月", False),
        ("12月底前", "12月20日", True),
        ("12月底前", "12月31日", True),  # the day named runs to 二十四时 (《民法典》第二百零三条)
        ("12月底前", "11月", True),
        ("2023年12月31日前", "2023年12月31日", True),
        ("2023年12月31日前", "2023年11月30日", True),
        ("2023年12月31日前", "2024年1月5日", False),
        ("2023年12月15日前", "2023年12月", None),  # December may be before or after the 15th
        ("2023年12月15日前", "2023年12月10日前完成", True),
        ("2023年12月15日前", "2023年12月20日前", None),
        ("12月底前", "2024年1月5日", None),  # no year against a year: not assumed
        ("8:30", "8:20", True),
        ("8:30", "8:30", True),
        ("8:30前", "9:00", False),
        ("<8:30", "8:30", False),
        ("≥8:00", "8:10", True),
        ("≥8:00", "7:50", False),
        ("=2023年6月", "2023年6月15日", True),
        ("=2023年6月", "2023年7月1日", False),
        ("8:30", "2023年12月1日", None),  # a time against a date
        ("12月下旬", "12月25日", True),
        ("12月下旬", "2023年12月25日", None),
    ],
)
def test_a_date_or_time_target_is_met_exactly(target: str, actual: str, met: bool | None) -> None:
    result = deadline_met(target, actual)
    assert result is not None
    assert result[0] is met
    assert bool(result[1]) is (met is not True)  # a reason whenever it is not met


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("2023年12月31日前", "按时完成"),  # words: judged in their band
        ("12月底前", "达成年度指标"),
        ("≥95%", "2023年12月1日"),  # the target is no moment
        ("每月10号前", "达成年度指标"),
        ("12月底前", "≥≤5"),  # an actual that cannot be read: reported as such
    ],
)
def test_rows_that_are_no_deadline_to_check(target: str, actual: str) -> None:
    assert deadline_met(target, actual) is None


def test_a_number_against_a_date_cannot_be_told() -> None:
    assert deadline_met("12月底前", "100%") == (
        None,
        "the target '12月底前' is a date or a time, the actual is not",
    )


@settings(deadline=None, max_examples=300)
@given(
    st.text(
        st.sampled_from("0123456789年月日号底末前后内上中下旬:时点分半完成≤≥<>=-/. "), max_size=16
    )
)
def test_reading_a_moment_never_raises(text: str) -> None:
    moment = parse_moment(text)
    assert moment is None or moment.start <= moment.end
    outcome(text)  # and parse_quantity raises nothing but UnreadableValue
