"""Figures as a sheet holds them: a number with the format that shows the printed digits.

An amount is stored as a number, so that a spreadsheet can add it up, with a number format
that shows exactly the digits the form printed: `950500.00` is 950500 with `0.00`, `500,000.00`
is 500000 with `#,##0.00`, `420` is 420 with `0`. A reader that renders a number by its format
(as a spreadsheet shows it) gets the printed text back. A cell whose text no number can show
(a dash, a leading zero, more than 15 significant digits, beyond a double's exact digits) is
written as the text itself.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..form.money import Money
from ..form.strict import SignedPercent

# A double holds 15 significant decimal digits exactly.
EXACT_DIGITS = 15
_PRINTED_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")

Figure = tuple[str, Decimal | None, str]  # (text as printed, number or None, number format)


def number_format(text: str) -> str | None:
    """Excel's number format that shows a number as `text` (digits, optional thousands
    separators, optional decimals); None when `text` is not such a number."""
    match = _PRINTED_NUMBER.fullmatch(text)
    if match is None:
        return None
    whole = "#,##0" if "," in match.group(1) else "0"
    decimals = match.group(2) or ""
    return whole + ("." + "0" * len(decimals) if decimals else "")


def shown(number: Decimal, number_format: str) -> str:
    """How a spreadsheet shows `number` with a format made by `number_format`."""
    decimals = len(number_format.partition(".")[2])
    return f"{number:,.{decimals}f}" if number_format.startswith("#,") else f"{number:.{decimals}f}"


def _figure(text: str, number: Decimal | None) -> Figure:
    """The cell of a figure printed as `text`: a number when its format shows `text` back
    and a double holds it exactly, else the text."""
    fmt = number_format(text) if number is not None else None
    if number is None or fmt is None:
        return text, None, ""
    digits = len(number.normalize().as_tuple().digits)
    if digits > EXACT_DIGITS or shown(number, fmt) != text:
        return text, None, ""
    return text, number, fmt


def amount(money: Money | None) -> Figure:
    """An amount cell: blank for None, the dash as printed, else the printed digits."""
    if money is None:
        return "", None, ""
    return _figure(money.printed, money.number)


def figure(value: Decimal | str | None) -> Figure:
    """A 分值, 得分 or 执行率 with the digits the form typed: its decimals are the Decimal's
    own (20.10 shows 20.10 under `0.00`, 100.00 under `0.00`, 97.5 under `0.0`, as the PDF
    prints a 执行率, `formats.rate_as_printed`); blank for None; a dash a funding row prints
    (`—`, `-`, `/`) as text, as printed; a rate printed with its sign (`100%`) as that text."""
    if value is None:
        return "", None, ""
    if isinstance(value, str):
        return value, None, ""
    if isinstance(value, SignedPercent):
        return value.printed, None, ""
    return _figure(format(value, "f"), value)
