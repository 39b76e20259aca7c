"""Reading the values written in a 年度指标值 / 实际完成值 cell.

A quantitative cell is an optional comparison operator, a number and an optional unit of
measure (度量单位, `measure_unit`):
`≥1.35%`, `≤11476人`, `=0.2元/人*月`, `＜３小时`, `72,763`. A date or a time of day (`2021年12月完成`,
`12月底前`, `8:30`) is a moment (`moments.py`, `parse_moment`), not a quantity. An estimate
(`90%左右`, `约95%`) is no figure to compare: qualitative text, as anything else is.

The comparison is written as a sign or in words, before the number or after it:

- Signs: ≥ ≧ ⩾ >= ; ≤ ≦ ⩽ <= ; = == ═ ; < ; > and their full-width forms (＞＝, ＜).
- Words before the number: 不低于 不少于 不小于 大于等于 大于或等于 至少 达到 (≥); 不高于 不超过
  不多于 不大于 小于等于 小于或等于 (≤); 大于 高于 多于 超过 (>); 小于 低于 少于 不满 不足 (<);
  等于 (=). `达到X` is ≥X: a target reached is met and may be exceeded, a 正向 indicator that
  the 自评表 注 (财预〔2020〕10号) scores by B/A capped at the 分值.
- Words after it: 以上 及以上 或以上 (≥); 以下 及以下 或以下 以内 之内 (≤), and 内 after a unit of
  time (`30天内`, `3个工作日内`: ≤).
- 以上, 以下 and 以内 include the number itself, 超过 and 不满 do not: 《民法典》第一千二百五十九条
  "民法所称的'以上'、'以下'、'以内'、'届满'，包括本数；所称的'不满'、'超过'、'以外'，不包括本数",
  the convention of Chinese legal and administrative text. So `95%以上` is ≥95%, `超过90%` is >90%.
- Words followed by no number (`达到国家标准`, `不低于上年水平`) are qualitative text, where a sign
  followed by no number (`≥≤5`) is a typing mistake (`UnreadableValue`). A sign before and a
  word after that disagree (`≤5%以上`) are a typing mistake too.
- `百分比` is a unit, the same as `%` (`≥100百分比` is ≥100%).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from ..pickling import quick_state
from .moments import Moment, meets, read_moment
from .moments import comparable as moments_comparable


class Operator(StrEnum):
    """The comparison a cell states: ≥ > ≤ < =, or none (a bare number)."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    NONE = ""


class UnreadableValue(Exception):
    """A cell that starts like a quantity but cannot be read as one."""


class ValueOutOfRange(UnreadableValue):
    """A cell whose number is too large or too fine to be read (see `out_of_range`)."""


# How large and how fine a number on a form may be: finite, at most MAX_INTEGER_DIGITS digits
# before the decimal point (under 10^15: 1,000 万亿元 as an amount, far above any budget) and at
# most AMOUNT_PLACES (amounts in 元: to the 分) or FIGURE_PLACES (points, rates and the numbers
# of 年度指标值 / 实际完成值 cells) digits after it. Every real form fits; within it every
# figure the rules derive (B/A of 0.01 元 and 999万亿元, as a percent to 2 places) stays inside
# decimal's 28 digits, and every JSON number is finite.
MAX_INTEGER_DIGITS = 15
AMOUNT_PLACES = 2
FIGURE_PLACES = 6


def decimal_places(value: Decimal) -> int:
    """Digits after the decimal point that are not trailing zeros (86870000.00 -> 0, 1.250 ->
    2, 1e-9 -> 9); counted on the digits themselves, so exact for a number of any length."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places = -exponent
    for digit in reversed(digits):
        if digit != 0 or places == 0:
            break
        places -= 1
    return places


def out_of_range(value: Decimal, places: int) -> str:
    """Why `value` is outside the bounds above ("" when it is inside): not finite, more than
    MAX_INTEGER_DIGITS digits before the point, or more than `places` after it. Raises
    nothing, whatever the size of the number."""
    if not value.is_finite():
        return "is not a finite number"
    if value and value.adjusted() >= MAX_INTEGER_DIGITS:
        return f"has more than {MAX_INTEGER_DIGITS} digits before the decimal point"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -places:
        return ""  # no more digits after the point than allowed, trailing zeros or not
    if decimal_places(value) > places:
        return f"has more than {places} digits after the decimal point"
    return ""


def abbreviated(text: str, limit: int = 40) -> str:
    """A number's text cut to `limit` characters for a message (a 5,000-digit literal is
    printed as its start, `…` and its length)."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


# Spellings seen on real forms, mapped to one operator. Longest first so `>=` wins over `>`.
# Full-width ＜ ＞ ＝ are folded to < > = by `normalise` first, so `＞＝`, `＞=` and `＝＝` are
# read like `>=` and `==`.
_OPERATOR_SPELLINGS: list[tuple[str, Operator]] = sorted(
    [
        (">=", Operator.GE),
        ("≥", Operator.GE),
        ("≧", Operator.GE),
        ("⩾", Operator.GE),
        ("<=", Operator.LE),
        ("≤", Operator.LE),
        ("≦", Operator.LE),
        ("⩽", Operator.LE),
        ("==", Operator.EQ),
        ("=", Operator.EQ),
        ("═", Operator.EQ),
        ("<", Operator.LT),
        (">", Operator.GT),
    ],
    key=lambda pair: -len(pair[0]),
)
_OPERATOR_CHARS = frozenset("".join(spelling for spelling, _ in _OPERATOR_SPELLINGS))
# The comparison in words, before the number (see the module docstring). Longest first, so that
# 不超过 wins over 超过 and 大于等于 over 大于.
_WORD_OPERATORS: list[tuple[str, Operator]] = sorted(
    [
        *((word, Operator.GE) for word in ("不低于", "不少于", "不小于", "大于等于", "大于或等于")),
        *((word, Operator.GE) for word in ("至少", "达到")),
        *((word, Operator.LE) for word in ("不高于", "不超过", "不多于", "不大于", "小于等于")),
        ("小于或等于", Operator.LE),
        *((word, Operator.GT) for word in ("大于", "高于", "多于", "超过")),
        *((word, Operator.LT) for word in ("小于", "低于", "少于", "不满", "不足")),
        ("等于", Operator.EQ),
    ],
    key=lambda pair: -len(pair[0]),
)
# The words a comparison may be written in before a number (不低于, 不超过, 达到 …), longest
# first: what a split 指标性质 column may print instead of a sign (`indicators.NATURE_PATTERN`).
OPERATOR_WORDS = tuple(word for word, _ in _WORD_OPERATORS)
# The comparison in words after the number and its unit; 内 only after a unit of time.
_SUFFIX_OPERATORS: list[tuple[str, Operator]] = [
    *((word, Operator.GE) for word in ("及以上", "或以上", "以上")),
    *((word, Operator.LE) for word in ("及以下", "或以下", "以下", "以内", "之内")),
]
_TIME_UNITS = frozenset(
    {"秒", "分钟", "小时", "天", "日", "个工作日", "工作日", "周", "个月", "月", "年"}
)

# Full-width forms (U+FF01-FF5E: ０-９, ％, ＜, ＝, Ａ-Ｚ, ...) and the ideographic space, as NFKC
# folds them. NFKC is applied to these only: on a whole cell it would also rewrite what the
# rules read differently, ①2项 into 12项, 10³ into 103, ㎡ into m2. ≥ ≤ ≧ ═ 。 are no
# full-width forms and stay as they are (the operators are spelt out in _OPERATOR_SPELLINGS);
# ～ is one, and becomes ~.
_FULLWIDTH = {
    code: unicodedata.normalize("NFKC", chr(code)) for code in (*range(0xFF01, 0xFF5F), 0x3000)
}
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")

# Units of measure that can be compared after scaling: measure unit -> (dimension, factor to the
# base measure unit of that dimension).
_MEASURE_UNIT_SCALE: dict[str, tuple[str, Decimal]] = {
    "元": ("money", Decimal(1)),
    "千元": ("money", Decimal(1000)),
    "万元": ("money", Decimal(10000)),
    "亿元": ("money", Decimal(100000000)),
    "%": ("percent", Decimal(1)),
    "百分比": ("percent", Decimal(1)),
    "‰": ("percent", Decimal("0.1")),
    "人": ("people", Decimal(1)),
    "人次": ("visits", Decimal(1)),
    "万人": ("people", Decimal(10000)),
    "万人次": ("visits", Decimal(10000)),
    "秒": ("time", Decimal(1)),
    "分钟": ("time", Decimal(60)),
    "小时": ("time", Decimal(3600)),
    "天": ("time", Decimal(86400)),
    "日": ("time", Decimal(86400)),
    "个工作日": ("workdays", Decimal(1)),
    "工作日": ("workdays", Decimal(1)),
    "月": ("months", Decimal(1)),
    "个月": ("months", Decimal(1)),
    "年": ("years", Decimal(1)),
}

NOT_APPLICABLE = frozenset({"/", "—", "——", "-", "－", "／", "不适用"})
# Words that say "none happened" (无 accidents, 零 complaints): a count of zero where the other
# cell is a number, not "does not apply".
ZERO_WORDS = frozenset({"无", "零", "〇", "没有", "无发生", "未发生"})


@quick_state
@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantitative cell: operator, exact number and unit of measure (度量单位) as written
    ("" when none)."""

    operator: Operator
    number: Decimal
    measure_unit: str

    def in_base_measure_unit(self) -> tuple[str, Decimal]:
        """(dimension, value) with the measure unit's scale applied (30万元 -> ("money", 300000));
        a measure unit not in the table is its own dimension, with factor 1."""
        dimension, factor = _MEASURE_UNIT_SCALE.get(
            self.measure_unit, (self.measure_unit, Decimal(1))
        )
        return dimension, self.number * factor

    def in_percent(self) -> bool:
        """True when the measure unit is a percent: %, 百分比 or ‰."""
        return self.in_base_measure_unit()[0] == "percent"


def normalise(text: str) -> str:
    """A cell as the rules read it: full-width digits, signs and letters folded to ASCII
    (`＞＝１０％` -> `>=10%`), the ideographic space to a space, and stripped."""
    return text.translate(_FULLWIDTH).strip()


def _split_operator(text: str) -> tuple[Operator, str, bool]:
    """(operator, the rest, whether the operator was written in words)."""
    for spellings, worded in ((_OPERATOR_SPELLINGS, False), (_WORD_OPERATORS, True)):
        for spelling, operator in spellings:
            if text.startswith(spelling):
                return operator, text[len(spelling) :].lstrip(), worded
    return Operator.NONE, text, False


def _split_suffix(measure_unit: str) -> tuple[str, Operator]:
    """(unit, operator) of the text after a number: `%以上` -> ("%", ≥), `天内` -> ("天", ≤)."""
    for word, operator in _SUFFIX_OPERATORS:
        if measure_unit.endswith(word):
            return measure_unit[: -len(word)].rstrip(), operator
    if measure_unit.endswith("内") and measure_unit[:-1] in _TIME_UNITS:
        return measure_unit[:-1], Operator.LE
    return measure_unit, Operator.NONE


def _with_suffix(text: str, operator: Operator, suffix: Operator) -> Operator:
    """The cell's one operator: a sign or word before the number, a word after it, or both
    when they agree (`≥95%以上`); UnreadableValue when they disagree (`≤5%以上`)."""
    if suffix is Operator.NONE or suffix is operator:
        return operator
    if operator is Operator.NONE:
        return suffix
    raise UnreadableValue(f"{text!r} states two comparisons that disagree")


def parse_moment(text: str) -> Moment | None:
    """The date or time of day a cell names (`2021年12月完成`, `12月底前`, `8:30`), None when it
    names none; see `moments.read_moment`. Raises nothing."""
    return read_moment(normalise(text))


@lru_cache(maxsize=4096)  # a cell is read 3 times a form, and `100%` in most forms
def parse_quantity(text: str) -> Quantity | None:
    """The quantity written in a cell, None when the cell is qualitative text.

    A comparison in words (`不低于95%`, `95%以上`) is read like its sign; words that open a
    sentence (`达到国家标准`) and an estimate (`90%左右`, `约95%`) are qualitative text. A date or
    a time (`parse_moment`) is None.
    Raises UnreadableValue when the cell starts with a comparison sign but what follows is not a
    number and measure unit (`≥≤5`, `>=约五成`), or states two comparisons that disagree
    (`≤5%以上`): that is a typing mistake, not a qualitative value; ValueOutOfRange (one of
    them) when the number is outside the bounds of `out_of_range` with FIGURE_PLACES.
    Memoised: a Quantity is frozen; a cell that raises is read again each time.
    """
    cleaned = normalise(text)
    if not cleaned or read_moment(cleaned) is not None:
        return None
    operator, rest, worded = _split_operator(cleaned)
    match = _NUMBER.match(rest)
    if match is None:
        if worded:
            return None  # 达到国家标准: words, not a comparison with a number
        if operator is not Operator.NONE or (rest and rest[0] in _OPERATOR_CHARS):
            raise UnreadableValue(f"{text!r} starts with a comparison but has no number after it")
        return None
    if rest[match.end() :].strip().endswith(_APPROXIMATE):
        return None  # 90%左右: about a number, words as 约95% are (judged in its band)
    measure_unit, suffix = _split_suffix(rest[match.end() :].strip())
    if (
        (operator is Operator.NONE or worded)
        and measure_unit
        and not (
            measure_unit in _MEASURE_UNIT_SCALE
            or len(measure_unit) <= 3
            or "/" in measure_unit
            or measure_unit.removeprefix("万").removeprefix("亿") in _COMPOUND_MEASURE_UNITS
        )
    ):
        return None  # e.g. "2023年内完成": a number opening a sentence is not a quantity
    operator = _with_suffix(text, operator, suffix)
    if measure_unit and measure_unit[0] in _OPERATOR_CHARS:
        raise UnreadableValue(f"{text!r} has a second comparison after the number")
    if measure_unit and not _is_measure_unit(measure_unit):
        if worded:
            return None  # 达到95%,群众满意: a sentence that opens with a comparison in words
        raise UnreadableValue(f"{text!r}: {measure_unit!r} is not a unit")
    number = Decimal(match.group().replace(",", ""))
    problem = out_of_range(number, FIGURE_PLACES)
    if problem:
        raise ValueOutOfRange(f"the number in {abbreviated(text)!r} {problem}")
    return Quantity(operator, number, measure_unit)


# Words after a number that make it an estimate, not a figure to compare (90%左右, 100人上下),
# as 约 or 大约 before it do (约95% is no quantity: no number follows the words).
_APPROXIMATE = ("左右", "上下")
# Measure units of more than 3 characters once a scale (万, 亿, …) opens them: 186万平方米 is
# a quantity, where 3万人受益 is the start of a sentence.
_COMPOUND_MEASURE_UNITS = frozenset({"平方米", "立方米", "平方公里", "平方千米", "千瓦时", "公顷"})
_MEASURE_UNIT_TEXT = re.compile(r"^[^\d\s,.;；，。:：]{1,12}$")


def _is_measure_unit(text: str) -> bool:
    return bool(_MEASURE_UNIT_TEXT.match(text)) and len(text) <= 12


def _same_measure_unit(target: Quantity, actual: Quantity) -> bool:
    return (
        not target.measure_unit
        or not actual.measure_unit
        or target.measure_unit == actual.measure_unit
    )


def measure_units_agree(target: Quantity, actual: Quantity) -> bool:
    """True when the two can be compared: the same measure unit, one without a measure unit, or
    measure units of one dimension (万元 and 元, 小时 and 分钟)."""
    if _same_measure_unit(target, actual):
        return True
    return target.in_base_measure_unit()[0] == actual.in_base_measure_unit()[0]


def comparable(target: Quantity, actual: Quantity) -> tuple[Decimal, Decimal]:
    """(target, actual) numbers in one measure unit: as written when the measure units are the
    same (or one is missing), else both scaled to the dimension's base measure unit (万元 -> 元).
    Call only when `measure_units_agree`; otherwise the numbers are not comparable."""
    if _same_measure_unit(target, actual):
        return target.number, actual.number
    return target.in_base_measure_unit()[1], actual.in_base_measure_unit()[1]


def fraction_or_percent(target: Quantity, actual: Quantity) -> bool:
    """True when one cell is in percent (%, 百分比, ‰) and the other a bare number above 0 and
    at most 1 (`≥95%` against `0.98`): the bare one may be a fraction (0.98 = 98%) or a percent
    written without its sign (0.98%), and the two readings score differently. The rules do not
    choose: the row keeps its declared score and is reported (`fraction-or-percent`); nothing
    is converted. A bare 0 is the same either way and a bare number above 1 (`98`) can only be
    a percent, so neither is reported."""
    for percent, bare in ((target, actual), (actual, target)):
        if percent.in_percent() and not bare.measure_unit and 0 < bare.number <= 1:
            return True
    return False


def deadline_met(target_text: str, actual_text: str) -> tuple[bool | None, str] | None:
    """Whether a target written as a date or a time of day is met (`moments.py`): None when the
    target is no moment, or the actual is words (judged in its band) or cannot be read; else
    (True, "") met, (False, why) missed, (None, why) when the cells cannot tell (the actual a
    number, a date against a time, a year on one side only, a span across the deadline).
    Raises nothing."""
    target = parse_moment(target_text)
    if target is None:
        return None
    actual = read_moment(normalise(actual_text), month_alone=True)
    if actual is None:
        try:
            if parse_quantity(actual_text) is None:
                return None
        except UnreadableValue:
            return None
        return None, f"the target {target_text!r} is a date or a time, the actual is not"
    problem = moments_comparable(target, actual)
    met = None if problem else meets(target, actual)
    if met is None:
        return None, problem or f"{actual_text!r} may fall before or after {target_text!r}"
    return met, "" if met else f"{actual_text!r} does not meet {target_text!r}"


def is_not_applicable(text: str) -> bool:
    """True for a cell that says "does not apply": `/`, `—`, `不适用` and their full-width
    spellings. `无` is not one of them: it is a zero (`is_zero_word`)."""
    return normalise(text) in NOT_APPLICABLE


def is_zero_word(text: str) -> bool:
    """True for a cell that says "none" in words (`无`, `零`, `〇`, `没有`, `未发生`): a count of
    zero when the other cell of the row is a number, else a row that does not apply."""
    return normalise(text) in ZERO_WORDS
