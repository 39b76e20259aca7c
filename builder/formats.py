"""How figures are written, the same on the pages and in the PDFs: money, percentages, points,
dates, the qualitative bands, and the indicator table's merged cells.

Each function takes the figure as the model holds it (a `Decimal`, exact) and gives the text.
A figure that was not given prints as `missing`: "—" on the pages (`NOT_GIVEN`), an empty cell
on the paper form (the PDF's templates pass `BLANK`).

Two ways of writing an amount in 元 are two functions, each meant where it is used: the pages
compare amounts, so every one has two decimals (`yuan_text`); the PDF reproduces the form as
submitted, so it keeps the decimal places the unit wrote (`declared_yuan_text`).

Points likewise: a figure the form declares (a row's 分值 and 得分, a 一级/二级指标's 分值, the
funding block's 分值 and 得分, the 总分 row, 财政审核评分) is written with the digits typed
(`declared_text`: 9.50 stays 9.50), wherever it is shown; a figure jixiao computed (a
recomputed score or total, a sum, a difference) as a person writes it (`figure_text`: 97.5),
or with two decimals where it is an average (`fixed_text`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from .form.dates import PrintedMonth
from .form.model import Indicator, Money
from .form.strict import SignedPercent
from .form.values import decimal_places
from .printed import run_starts
from .rules.findings import plain

NOT_GIVEN = "—"  # a figure the pages show as not given
BLANK = ""  # a cell the paper form leaves empty

WAN = Decimal(10000)  # 元 in one 万元

# The qualitative bands of a 定性指标, as the pages name them (`ScoringPolicy.bands` keys).
BAND_LABELS = {"achieved": "达成年度指标", "partly": "部分达成", "missed": "未达成"}


def _number_of(value: Decimal | Money | None) -> Decimal | str | None:
    """A `Money` cell's number in its table's unit, or its printed dash; other values as given."""
    if isinstance(value, Money):
        return value.printed if value.number is None else value.number
    return value


def yuan_text(value: Decimal | Money | None, missing: str = NOT_GIVEN) -> str:
    """An amount with thousands separators and two decimals: 86870000 -> 86,870,000.00. A
    `Money` is written in its table's unit (元 or 万元), with more decimals where it printed
    more (万元 1.5632 -> 1.5632), and a dash as printed."""
    number = _number_of(value)
    if isinstance(number, str) or number is None:
        return missing if number is None else number
    finer = isinstance(value, Money) and value.unit != "元" and decimal_places(number) > 2
    return format(number, ",f") if finer else f"{number:,.2f}"


def declared_yuan_text(value: Decimal | Money | None, missing: str = NOT_GIVEN) -> str:
    """An amount with thousands separators and the decimal places as submitted:
    950500.00 -> 950,500.00, 86870000 -> 86,870,000; a `Money` in its table's unit, a dash as
    printed."""
    number = _number_of(value)
    if isinstance(number, str) or number is None:
        return missing if number is None else number
    return format(number, ",f")


def wan_text(value: Decimal | None, missing: str = NOT_GIVEN) -> str:
    """An amount given in 元, written in 万元 as budgets are quoted, two decimals:
    86870000 -> 8,687.00."""
    return missing if value is None else f"{value / WAN:,.2f}"


def percent_text(value: Decimal | str | None, missing: str = NOT_GIVEN) -> str:
    """A percentage (already times 100) with two decimals and the sign: 95.5 -> 95.50%; a
    cell printed as a dash (a funding row's own 执行率: `—`, `-`, `/`) as printed."""
    if isinstance(value, str):
        return value
    return missing if value is None else f"{value:.2f}%"


def figure_text(value: Decimal | str | None, missing: str = NOT_GIVEN) -> str:
    """A figure jixiao computed (a recomputed score or total, a sum, a policy's figure) as a
    person writes it, trailing zeros dropped: 97.50 -> 97.5, 100.00 -> 100; text as it is.
    Never for a figure the form declares: that is `declared_text`."""
    if isinstance(value, str):
        return value
    return missing if value is None else plain(value)


def declared_text(value: Decimal | str | None, missing: str = NOT_GIVEN) -> str:
    """A figure as the form declares it, in points (a row's 分值 or 得分, a 一级/二级指标's
    分值, the funding block's 分值 or 得分, 总分, 财政审核评分), with the digits typed: the
    file's `9.50` stays 9.50, `100.00` stays 100.00, `10` stays 10, `0.5` stays 0.5 (the
    model keeps them: `Decimal("9.50")`); a cell printed as a dash (`—`, `-`, `/`) as
    printed; `missing` for a blank cell. The same on the pages, in the PDF and the workbook."""
    if isinstance(value, str):
        return value
    return missing if value is None else format(value, "f")


def rate_as_printed(value: Decimal | str | None, missing: str = NOT_GIVEN) -> str:
    """A 执行率 cell as the form prints it, the same on the page and in the PDF: the digits
    written (20.10 stays 20.10, 100.00 stays 100.00, the ratio 1 stays 1), with the percent
    sign where the form prints one (a `SignedPercent`, written `100%` in the file: 100%); a
    dash as printed; `missing` for a blank cell."""
    if isinstance(value, SignedPercent):
        return value.printed
    return declared_text(value, missing)


def fixed_text(value: Decimal | None, missing: str = NOT_GIVEN) -> str:
    """Two decimals, for averages and other derived figures: 87.456 -> 87.46 (rounded half
    to even, as `Decimal` formats)."""
    return missing if value is None else f"{value:.2f}"


UNGRADED = "不评等次"
"""What is shown for the grade of a form cut off by its source (`ProjectScore.grade` None)."""


def grade_text(grade: str | None) -> str:
    """A computed 等次 as shown: the label, or `UNGRADED` for a form cut off, whose total is
    of the parts there (`ProjectScore.incomplete`)."""
    return UNGRADED if grade is None else grade


def chinese_date(value: dt.date | PrintedMonth) -> str:
    """A date as Chinese prose writes it: 2023年12月5日; a month alone (a 填报日期 printed
    so, `form.dates.PrintedMonth`) 2021年12月, no day made up."""
    if isinstance(value, PrintedMonth):
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def slash_date(value: dt.date | PrintedMonth) -> str:
    """填报日期 as the paper form prints it: 2023/12/05; a month alone as it is written
    (`2021年12月`)."""
    if isinstance(value, PrintedMonth):
        return value.written
    return f"{value.year}/{value.month:02d}/{value.day:02d}"


def band_label(band: str | None) -> str:
    """The label of a qualitative band key (`achieved` -> 达成年度指标); an unknown key as it
    is, none as empty text."""
    return BAND_LABELS.get(band or "", band or "")


def merged_spans(indicators: Sequence[Indicator]) -> list[tuple[int, int]]:
    """The indicator table's merged cells, as the paper form has them: for each row, the rows
    its 一级指标 cell covers and the rows its 二级指标 cell covers, 0 where a cell above
    covers the row. A 一级 cell covers each run of rows with the same 一级; a 二级 cell each
    run with the same 一级 and 二级. Returns one (level1_span, level2_span) per indicator."""
    level1 = run_starts(indicator.level1 for indicator in indicators)
    level2 = run_starts((indicator.level1, indicator.level2) for indicator in indicators)
    return list(zip(level1, level2, strict=True))


def size_text(size: int) -> str:
    """A file's size as a download link says it: `860 字节`, `2.7 KB`, `103 KB`, `1.4 MB`
    (1 KB = 1,024 bytes, as the file managers of Windows and Kylin count them; one decimal
    below 10, none above)."""
    if size < 1024:
        return f"{size} 字节"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        value = size / scale
        if value < 1024 or unit == "GB":
            shown = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return f"{shown} {unit}"
    raise AssertionError("unreachable")
