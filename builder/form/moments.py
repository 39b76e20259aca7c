"""Dates and times of day written in a 年度指标值 / 实际完成值 cell: a target that can be met.

A 时效指标 is often a date, not a number: `2021年12月完成`, `12月底前`, `2023年12月31日前`,
`2023-06-30`, `12月下旬`, `8:30`, `17时前`. Such a cell is a *moment*: the span of time it names
(a year, a month, a part of a month, a day, a minute) with the comparison it states.

How a cell is read (the rules compare exactly, and never fill in what a cell leaves out):

- A target with no comparison, or with `前` / `之前` / `以前` / `内` / `不晚于` / `不迟于` / `≤`, is a
  deadline: met when the actual is at or before the *end* of the span it names. The day named
  counts to its end: 「12月31日前」 is met on 31 December, as 《民法典》第二百零三条 has a period's last
  day end at 二十四时; 「12月底」/「12月末」 is the last day of December, 「年底」 31 December,
  「上旬/中旬/下旬」 days 1–10 / 11–20 / 21 to the end. `<` means strictly before the span starts.
  `≥` / `不早于` / `后` / `以后`, `>` and `=` are read the same way round (`≥8:00`: not before 8:00).
- An actual names when it happened: `2021年12月20日`, `2021年12月` (some day in December), `8:20`;
  written with `前` (`12月20日前完成`) it says only "at the latest then".
- Met, missed or cannot tell: met when every moment the actual allows meets the target, missed
  when none does, else the rules cannot tell (an actual `2021年12月` against `2021年12月15日前`).
  A date with a year and one without (`12月底前` against `2022年1月5日`) cannot be compared either:
  the year is not guessed, the row is reported.
- `12月` alone, `≤12月` and `30天内` are not moments but quantities (a number of months or days,
  `values.parse_quantity`), except `12月` as the actual of a row whose target is a date (then
  it can only be December); `每月10号前` (every month) is qualitative text.

Text is read after `values.normalise` (full-width digits and colons folded); this module does not
import `values` (which imports it).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

# The first and last minute a span covers: (year, month, day, minute of the day). A year of 0
# means the cell named none (both sides must then lack one); a time of day alone is (0, 0, 0, m).
Instant = tuple[int, int, int, int]
_LOWEST: Instant = (-1, 0, 0, 0)
_HIGHEST: Instant = (10_000, 13, 32, 24 * 60)
_LAST_MINUTE = 24 * 60 - 1

_RELATIONS = {
    "≤": "≤", "<=": "≤", "≦": "≤", "⩽": "≤", "不晚于": "≤", "不迟于": "≤",
    "<": "<", "早于": "<",
    "≥": "≥", ">=": "≥", "≧": "≥", "⩾": "≥", "不早于": "≥",
    ">": ">", "晚于": ">",
    "=": "=", "==": "=", "═": "=",
}  # fmt: skip
_PREFIX = "|".join(sorted(map(re.escape, _RELATIONS), key=len, reverse=True))
_DATE = (
    r"(?:(?P<year>(?:19|20)\d\d)年)?"
    r"(?:(?P<month>\d{1,2})(?:月份|月))?"
    r"(?:(?P<day>\d{1,2})[日号])?"
    r"(?P<part>底|末|上旬|中旬|下旬)?"
)
_NUMERIC_DATE = (
    r"(?P<nyear>(?:19|20)\d\d)(?P<sep>[-/])(?P<nmonth>\d{1,2})(?:(?P=sep)(?P<nday>\d{1,2}))?"
    r"|(?P<dyear>(?:19|20)\d\d)\.(?P<dmonth>\d{1,2})\.(?P<dday>\d{1,2})"
)
_TIME = r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})|[时点](?:(?P<half>半)|(?P<minute2>\d{1,2})分)?)"
_SUFFIX = r"(?P<suffix>之前|以前|前|以内|之内|内|之后|以后|后)?"
_VERB = r"(?:全部|全面)?(?P<verb>完成|办结|完工|竣工|到位|发放|拨付|支付|兑付|验收|上线)?"
_MOMENT = re.compile(
    rf"(?:(?P<relation>{_PREFIX})|已于|于|在)?"
    rf"(?:(?:{_NUMERIC_DATE})|{_DATE})(?:{_TIME})?{_SUFFIX}{_VERB}"
)
_SUFFIX_RELATIONS = {
    "前": "≤", "之前": "≤", "以前": "≤", "以内": "≤", "之内": "≤", "内": "≤",
    "后": "≥", "之后": "≥", "以后": "≥",
}  # fmt: skip
_DIRECTION = {"≤": -1, "<": -1, "=": 0, "≥": 1, ">": 1}


@dataclass(frozen=True)
class Moment:
    """A cell read as a span of time: `relation` (≤ < ≥ > =; a bare cell is `=` as an actual
    and a deadline, `≤`, as a target: see `meets`), `start` and `end` its first and last
    minute (`Instant`), `dated` whether it names a calendar date, `has_year` a year."""

    relation: str
    start: Instant
    end: Instant
    dated: bool
    has_year: bool
    bare: bool  # no comparison written: a deadline as a target


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _day_span(year: int, month: int, day: int | None, part: str | None) -> tuple[int, int] | None:
    """First and last day of the month's part named; None for a day the month does not have.
    A month without a year may have 29 days in February (any day a date can name exists)."""
    last = calendar.monthrange(year or 2000, month)[1]  # 2000: a leap year
    if day is not None:
        return (day, day) if 1 <= day <= last and part is None else None
    spans = {None: (1, last), "底": (last, last), "末": (last, last)}
    spans |= {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last)}
    return spans[part]


def _dated_span(fields: dict[str, str | None]) -> tuple[Instant, Instant] | None:
    """(first, last) minute of the calendar span named; None for an impossible date."""
    year = _int(fields["nyear"] or fields["dyear"] or fields["year"]) or 0
    month = _int(fields["nmonth"] or fields["dmonth"] or fields["month"])
    day = _int(fields["nday"] or fields["dday"] or fields["day"])
    part = fields["part"]
    if month is None:  # a year alone: 2023年, 2023年底
        if day is not None or part in ("上旬", "中旬", "下旬"):
            return None
        first = (year, 12, 31) if part else (year, 1, 1)
        return (*first, 0), (year, 12, 31, _LAST_MINUTE)
    if not 1 <= month <= 12:
        return None
    days = _day_span(year, month, day, part)
    if days is None:
        return None
    return (year, month, days[0], 0), (year, month, days[1], _LAST_MINUTE)


def _minutes(fields: dict[str, str | None]) -> tuple[int, int] | None:
    """(first, last) minute of the day the time names; None when no time is written."""
    hour = _int(fields["hour"])
    if hour is None:
        return None
    minute = 30 if fields["half"] else _int(fields["minute"] or fields["minute2"]) or 0
    if hour > 23 or minute > 59:
        raise ValueError("not a time of day")
    return hour * 60 + minute, hour * 60 + minute


def _is_moment(fields: dict[str, str | None], dated: bool, month_alone: bool) -> bool:
    """Whether the cell is a date or a time, not a count: a year, a day, a part of a month, a
    numeric date or a time makes it one; a yearless month alone (`12月`, `≤12月`) only with
    前/后 or a verb (`12月完成`), since 12月 is also twelve months, or with `month_alone`."""
    if fields["hour"] is not None or fields["nyear"] or fields["dyear"] or fields["year"]:
        return True
    if not dated:
        return False
    return month_alone or bool(
        fields["day"] or fields["part"] or fields["suffix"] or fields["verb"]
    )


def read_moment(normalised: str, month_alone: bool = False) -> Moment | None:
    """The moment a cell names, None when it names none (or an impossible date: `2月30日`,
    `13月底`, `25:00`). `normalised` is the cell after `values.normalise`; spaces are ignored.
    `month_alone`: read `11月` as November, not eleven months, as the actual of a row whose
    target is a date. Raises nothing."""
    text = normalised.replace(" ", "")
    match = _MOMENT.fullmatch(text)
    if match is None:
        return None
    fields = match.groupdict()
    dated = bool(fields["nyear"] or fields["dyear"] or fields["year"] or fields["month"])
    if not _is_moment(fields, dated, month_alone):
        return None
    try:
        minutes = _minutes(fields)
    except ValueError:
        return None
    span = _dated_span(fields) if dated else ((0, 0, 0, 0), (0, 0, 0, _LAST_MINUTE))
    if span is None or (not dated and minutes is None):
        return None
    start, end = span
    if minutes is not None:
        start, end = (*start[:3], minutes[0]), (*end[:3], minutes[1])
    if minutes is not None and dated and start[2] != end[2]:
        return None  # a time of day needs a day: 12月8:30 names no one minute
    written = _RELATIONS.get(fields["relation"] or "")
    implied = _SUFFIX_RELATIONS.get(fields["suffix"] or "")
    if written and implied and _DIRECTION[written] != _DIRECTION[implied]:
        return None  # ≥ … 前: two comparisons that disagree
    relation = written or implied or "="
    has_year = bool(fields["nyear"] or fields["dyear"] or fields["year"])
    return Moment(relation, start, end, dated, has_year, bare=not (written or implied))


def _possible(actual: Moment) -> tuple[Instant, Instant]:
    """The earliest and latest moment at which what the actual describes happened."""
    if actual.relation in ("≤", "<"):
        return _LOWEST, actual.end
    if actual.relation in ("≥", ">"):
        return actual.start, _HIGHEST
    return actual.start, actual.end


def meets(target: Moment, actual: Moment) -> bool | None:
    """True when the actual meets the target, False when it misses it, None when the cells
    cannot tell (the actual's span lies across the target's bound). A bare target is a
    deadline (≤ the end of its span). Call only when `comparable(target, actual)` is ""."""
    earliest, latest = _possible(actual)
    relation = "≤" if target.bare else target.relation
    met, missed = {
        "≤": (latest <= target.end, earliest > target.end),
        "<": (latest < target.start, earliest >= target.start),
        "≥": (earliest >= target.start, latest < target.start),
        ">": (earliest > target.end, latest <= target.end),
        "=": (
            target.start <= earliest and latest <= target.end,
            latest < target.start or earliest > target.end,
        ),
    }[relation]
    return True if met else False if missed else None


def comparable(target: Moment, actual: Moment) -> str:
    """Why the two cannot be compared ("" when they can): a date against a time of day, or a
    date with a year against one without (the year is never assumed)."""
    if target.dated != actual.dated:
        return "one is a date and the other a time of day"
    if target.has_year != actual.has_year:
        return "one date names a year and the other does not"
    return ""
