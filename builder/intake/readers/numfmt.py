"""A number as a spreadsheet shows it under the cell's number format (`shown`).

A workbook stores 950500 and shows "950,500.00" under `#,##0.00`: the printed form is what
people checked and signed, so the reader gives the shown text (with the digits of the stored
value: nothing is rounded that the sheet did not round). openpyxl reads the format code but
does not apply it, and no well-kept Python library does (calamine gives values only), so the
codes that forms use are applied here: General, `0`, `0.00`, `#,##0`, `#,##0.00`, `0.0#`,
percent, literal text and currency signs (`0.00"元"`, `[$¥-804]#,##0`), sections for negative
and zero values, trailing-comma scaling. A code outside that (fractions, scientific) falls
back to the General text of the value. Dates are given as ISO dates (2023-12-25), whatever
their format, since the project format writes dates that way.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

# A quoted literal, an escaped character, a bracketed part ([Red], [$¥-804], [>100]), a
# padding (_x) or fill (*x) character, or any other single character.
_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|.', re.S)
_PLACEHOLDERS = frozenset("0#?,.")


def shown(value: object, number_format: str | None) -> str:
    """The text a spreadsheet shows for a cell holding `value` (bool, int, float, Decimal,
    datetime, date, time, str, None) under `number_format` (an Excel format code; None or
    "General" for none). None gives ""; text is returned as it is; dates and times in ISO form
    (`2023-12-25`, `2023-12-25 08:30:00` when there is a time, `08:30:00`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    if not isinstance(value, int | float | Decimal):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    code = (number_format or "General").strip()
    if code.lower() in {"general", "@", ""}:
        return general(number)
    section = _section(code, number)
    if section is None:
        return general(number)
    text = _apply(section, abs(number) if _signs_itself(code, number) else number)
    return general(number) if text is None else text


def general(number: Decimal) -> str:
    """The General text of a number: at most 15 significant digits, no exponent, no trailing
    zeros (10.0 → "10", 0.1+0.2 → "0.3", 86870000 → "86870000")."""
    rounded = Decimal(f"{number:.15g}") if number else Decimal(0)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _sections(code: str) -> list[str]:
    """The code cut at the semicolons outside quotes and brackets."""
    parts, current = [], ""
    for token in _TOKEN.findall(code):
        if token == ";":
            parts.append(current)
            current = ""
        else:
            current += token
    parts.append(current)
    return parts


def _signs_itself(code: str, number: Decimal) -> bool:
    """Whether the section used for `number` prints its own sign (a negative section)."""
    return number < 0 and len(_sections(code)) >= 2


def _section(code: str, number: Decimal) -> str | None:
    """The section of `code` that applies to `number`; None when it is a text section or a
    condition ([>100]) this module does not evaluate."""
    parts = _sections(code)
    if any(re.search(r"\[[<>=]", part) for part in parts):
        return None
    if number < 0 and len(parts) >= 2:
        return parts[1]
    if number == 0 and len(parts) >= 3:
        return parts[2]
    return parts[0]


def _apply(section: str, number: Decimal) -> str | None:
    """`number` written by one section's tokens; None for a code it does not cover."""
    tokens = _TOKEN.findall(section)
    if any(t[0] in "Ee/" and len(t) == 1 for t in tokens) or any(
        t.lower() in set("ymdhs") for t in tokens
    ):
        return None
    pattern = "".join(t for t in tokens if t in _PLACEHOLDERS)
    if not pattern:
        return "".join(_literal(t) for t in tokens)
    percent = sum(t == "%" for t in tokens)
    scaled = number * (Decimal(100) ** percent) / (Decimal(1000) ** _scaling(pattern))
    digits = _number(scaled, pattern.rstrip(","))
    out, placed = [], False
    for token in tokens:
        if token in _PLACEHOLDERS:
            if not placed:
                out.append(digits)
                placed = True
        else:
            out.append(_literal(token))
    return "".join(out)


def _scaling(pattern: str) -> int:
    """The number of thousands a trailing run of commas divides by (`#,##0,` → 1)."""
    return len(pattern) - len(pattern.rstrip(","))


def _number(number: Decimal, pattern: str) -> str:
    """The digits of `number` for a placeholder pattern such as `#,##0.00` or `0.0#`."""
    whole_part, _, fraction = pattern.partition(".")
    most = sum(c in "0#?" for c in fraction)
    least = fraction.count("0")
    rounded = number.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, decimals = format(abs(rounded), "f").partition(".")
    decimals = decimals.ljust(most, "0")[:most]
    while len(decimals) > least and decimals.endswith("0"):
        decimals = decimals[:-1]
    minimum = whole_part.count("0")
    whole = whole.lstrip("0").rjust(minimum, "0")
    if "," in whole_part and whole:
        whole = f"{int(whole):,}"
    return sign + whole + ("." + decimals if decimals or fraction.startswith("0") else "")


def _literal(token: str) -> str:
    """What a non-placeholder token prints: the text of a quoted literal or escaped
    character, the sign of a currency tag ([$¥-804] → ¥), nothing for colours, padding and
    fill."""
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("[$"):
        return token[2:-1].split("-", 1)[0]
    if token.startswith(("[", "_", "*")):
        return ""
    return token
