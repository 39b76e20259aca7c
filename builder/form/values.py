"""Reading the values written in a 年度指标值 / 实际完成值 cell.

A quantitative cell is an optional comparison operator, a number and an optional unit of
measure (度量单位, `measure_unit`):
`≥1.35%`, `≤11476人`, `=0.2元/人*月`, `＜３小时`, `72,763`. Anything else is qualitative text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


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


@dataclass(frozen=True)
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


def normalise(text: str) -> str:
    """A cell as the rules read it: full-width digits, signs and letters folded to ASCII
    (`＞＝１０％` -> `>=10%`), the ideographic space to a space, and stripped."""
    return text.translate(_FULLWIDTH).strip()


def _split_operator(text: str) -> tuple[Operator, str]:
    for spelling, operator in _OPERATOR_SPELLINGS:
        if text.startswith(spelling):
            return operator, text[len(spelling) :].lstrip()
    return Operator.NONE, text


def parse_quantity(text: str) -> Quantity | None:
    """The quantity written in a cell, None when the cell is qualitative text.

    Raises UnreadableValue when the cell starts with a comparison operator but what follows is not a
    number and measure unit (`≥≤5`, `>=约五成`): that is a typing mistake, not a qualitative value;
    ValueOutOfRange (one of them) when the number is outside the bounds of `out_of_range` with
    FIGURE_PLACES.
    """
    cleaned = normalise(text)
    if not cleaned:
        return None
    operator, rest = _split_operator(cleaned)
    match = _NUMBER.match(rest)
    if match is None:
        if operator is not Operator.NONE or (rest and rest[0] in _OPERATOR_CHARS):
            raise UnreadableValue(f"{text!r} starts with a comparison but has no number after it")
        return None
    measure_unit = rest[match.end() :].strip()
    if (
        operator is Operator.NONE
        and measure_unit
        and not (
            measure_unit in _MEASURE_UNIT_SCALE or len(measure_unit) <= 3 or "/" in measure_unit
        )
    ):
        return None  # e.g. "2023年底前完成": a number opening a sentence is not a quantity
    if measure_unit and measure_unit[0] in _OPERATOR_CHARS:
        raise UnreadableValue(f"{text!r} has a second comparison after the number")
    if measure_unit and not _is_measure_unit(measure_unit):
        raise UnreadableValue(f"{text!r}: {measure_unit!r} is not a unit")
    number = Decimal(match.group().replace(",", ""))
    problem = out_of_range(number, FIGURE_PLACES)
    if problem:
        raise ValueOutOfRange(f"the number in {abbreviated(text)!r} {problem}")
    return Quantity(operator, number, measure_unit)


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


def is_not_applicable(text: str) -> bool:
    """True for a cell that says "does not apply": `/`, `—`, `不适用` and their full-width
    spellings. `无` is not one of them: it is a zero (`is_zero_word`)."""
    return normalise(text) in NOT_APPLICABLE


def is_zero_word(text: str) -> bool:
    """True for a cell that says "none" in words (`无`, `零`, `〇`, `没有`, `未发生`): a count of
    zero when the other cell of the row is a number, else a row that does not apply."""
    return normalise(text) in ZERO_WORDS
