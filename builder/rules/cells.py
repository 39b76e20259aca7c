"""How a row's cells are read before a rule applies: split 指标性质 / 指标值 / 度量单位 columns
joined into one value, words for none (无, 零, 没有) in a count, an empty cell that leaves
nothing to check, and the advice for a cell that cannot be read. Pure: the row as written is
never altered (the scorer works on a copy); `score.py` applies the rules to the result,
`readings.py` says how a word was read. A row without 分值 keeps its declared 得分, with what
its cells leave unchecked (`without_weight`).
"""

from __future__ import annotations

import dataclasses

from ..form.model import Indicator
from ..form.values import (
    FIGURE_PLACES,
    MAX_INTEGER_DIGITS,
    Operator,
    Quantity,
    UnreadableValue,
    ValueOutOfRange,
    is_zero_word,
    normalise,
    parse_quantity,
)
from .formulas import ZERO, band_named
from .results import IndicatorScore, Kind, Rule

# The cells a row's rule reads, by their key in the files, as the forms name them.
CELL_NAMES = {"target": "年度指标值", "actual": "实际完成值"}


def printed_kind(indicator: Indicator) -> Kind | None:
    """The kind of a row as the form's own 指标性质 states it, the one reading of that column
    the rules use: 定性 -> qualitative (judged in its band); 定量, or the operator of a split
    column (≥ ≤ = ≧ ═ …) -> quantitative; None where the form prints none (the row is then
    judged by its cells: numbers and dates are compared, words judged in their band)."""
    if indicator.nature is None:
        return None
    return Kind.qualitative if indicator.nature == "定性" else Kind.quantitative


def empty_cell(indicator: Indicator) -> str:
    """The cell whose emptiness leaves the rules nothing to check, "" when none: "actual" for
    an empty 实际完成值; "target" for an empty 年度指标值 against an actual that names no band
    (a band judges words without a target; nothing judges a number without one)."""
    if not normalise(indicator.actual):
        return "actual"
    if not normalise(indicator.target) and band_named(indicator.actual) is None:
        return "target"
    return ""


def unreadable_hint(error: UnreadableValue) -> str:
    """The advice for a cell that cannot be read (`UnreadableValue`): its own for a number out
    of range, else "" (the finding's general advice)."""
    if isinstance(error, ValueOutOfRange):
        return (
            f"write at most {MAX_INTEGER_DIGITS} digits before the decimal point and "
            f"{FIGURE_PLACES} after it, e.g. ≥95% or ≤30万元"
        )
    return ""


def _quantity_or_none(text: str) -> Quantity | None:
    try:
        return parse_quantity(text)
    except UnreadableValue:
        return None


def read_zero_words(indicator: Indicator) -> tuple[Indicator, str, str]:
    """The row with a word for none (`is_zero_word`: 无, 零, 没有) read: as 0 in the other
    cell's measure unit when that cell is a number (`≤0起` / `无` -> `0起`), both as 0 when both
    are such words, else as 不适用 (`无` against `有效提升`).
    Returns (row as scored, the cell that held the word or "", its reading: "0起" or "不适用")."""
    for cell, other in (("actual", "target"), ("target", "actual")):
        if not is_zero_word(getattr(indicator, cell)):
            continue
        if is_zero_word(getattr(indicator, other)):  # 无 against 无: none planned, none happened
            return indicator.model_copy(update={cell: "0", other: "0"}), cell, "0"
        quantity = _quantity_or_none(getattr(indicator, other))
        if quantity is None:
            return indicator.model_copy(update={cell: "不适用"}), cell, "不适用"
        reading = f"0{quantity.measure_unit}"
        return indicator.model_copy(update={cell: reading}), cell, reading
    return indicator, "", ""


def split_columns_read(indicator: Indicator) -> Indicator:
    """The row as the rules read its cells where the form splits 指标性质 / 指标值 / 度量单位
    into columns: `{nature: ≧, target: 735, unit: 人次}` reads as target `≧735人次`, and a
    number without a unit in either cell takes the 度量单位. The 度量单位 is the 指标值's own
    column; the 实际完成值 only borrows it, so under a percent 度量单位 (%, 百分比, ‰) a bare
    actual above 0 and at most 1 is left bare (`{target: 90, unit: "%", actual: 0.95}` reads
    as `90%` against `0.95`): it may be a fraction or a percent without its sign, and the rules
    do not choose (`values.fraction_or_percent`), as for the same values in one column.
    Words, dashes and blank cells are read as written; a row without such columns is
    returned as it is."""
    nature = indicator.nature if indicator.nature not in (None, "定量", "定性") else ""
    unit = (indicator.measure_unit or "").strip()
    if not (nature or unit):
        return indicator
    in_percent = bool(unit) and Quantity(Operator.NONE, ZERO, unit).in_percent()
    update: dict[str, str] = {}
    for cell in ("target", "actual"):
        text = getattr(indicator, cell)
        quantity = _quantity_or_none(text) if text else None
        if quantity is None:
            continue
        written = text
        if cell == "target" and nature and quantity.operator is Operator.NONE:
            written = nature + written
        borrowed = unit and not quantity.measure_unit
        if borrowed and not (cell == "actual" and in_percent and 0 < quantity.number <= 1):
            written += unit
        if written != text:
            update[cell] = written
    return indicator.model_copy(update=update) if update else indicator


def cells_as_read(indicator: Indicator) -> tuple[str, str]:
    """(年度指标值, 实际完成值) as the rules read them (`split_columns_read`: `90` under 度量单位
    % reads `90%`), for a finding to quote what was compared; the cells as written where the
    form has no split columns."""
    read = split_columns_read(indicator)
    return read.target, read.actual


# What a row's cells may leave unchecked whatever its 分值: said of a row without one too.
_UNCHECKED_READINGS = frozenset(
    {
        Rule.no_actual,
        Rule.no_target,
        Rule.unbanded,
        Rule.measure_units_differ,
        Rule.fraction_or_percent,
        Rule.deadline_missed,
        Rule.deadline_unchecked,
        Rule.unreadable,
    }
)


def without_weight(indicator: Indicator, probe: IndicatorScore) -> IndicatorScore:
    """A row the form prints no 分值 for: its declared 得分 kept (0 when none), unchecked
    (`Rule.no_weight`); `probe` is the row scored with no points to give, and where its cells
    leave it unchecked for a reason of their own (an empty 实际完成值, % against a bare
    fraction, words that name no band, `_UNCHECKED_READINGS`; or a row marked 定量 in words),
    that reading is kept as `reading`, at the declared 得分, for `reconcile` to say."""
    kept = indicator.score if indicator.score is not None else ZERO
    kind = printed_kind(indicator) or Kind.quantitative
    in_words = printed_kind(indicator) is Kind.quantitative and probe.kind is Kind.qualitative
    reading = None
    if probe.rule in _UNCHECKED_READINGS or in_words:
        reading = dataclasses.replace(probe, score=kept, low=kept, high=kept)
    return IndicatorScore(
        kind,
        Rule.no_weight,
        kept,
        kept,
        kept,
        problem="no 分值 is printed for this row",
        reading=reading,
    )
