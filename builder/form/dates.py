"""A 填报日期 as printed: a day (a `datetime.date`), or a month alone (`PrintedMonth`).

Some forms print only the month they were filled in (`2021年12月`). That is what is known: it
is kept as a month, shown as printed, sorted as the month, and never made a day (not the 1st,
nor the last of the month). Where an output needs a day and the form gives none (an Atom
`<updated>`, a PDF's or a workbook's creation time), it is handled as a form without a date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import PlainSerializer, ValidatorFunctionWrapHandler, WithJsonSchema, WrapValidator

# A month alone as forms print it, 2021年12月, or as ISO 8601 writes it, 2021-12 (spaces
# allowed); a date is written 2021-12-25 (not 2021/12/25), a month not 2021/12 either.
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:年\s*(\d{1,2})\s*月|-(\d{1,2}))\s*$")
_MONTH_PATTERN = r"^\s*\d{4}\s*(年\s*\d{1,2}\s*月|-\d{1,2})\s*$"


@dataclass(frozen=True)
class PrintedMonth:
    """A 填报日期 printed as a month alone: its year and month, and the text as written
    (`2021年12月`), which the form's own outputs (the PDF, the workbook) print."""

    year: int
    month: int
    written: str

    def isoformat(self) -> str:
        """ISO 8601 year and month, `2021-12` (a valid HTML `<time>` and sitemap `lastmod`)."""
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.written


def full_date(value: dt.date | PrintedMonth | None) -> dt.date | None:
    """The day a 填报日期 names, None for a month alone or no date: what an output that needs
    a day (a time stamp) may use."""
    return value if isinstance(value, dt.date) else None


def date_key(value: dt.date | PrintedMonth) -> tuple[int, int, int]:
    """A sort key for days and months together: (year, month, day), a month alone sorting as
    its month, before the days in it (day 0: the month is known, the day is not)."""
    return (value.year, value.month, value.day if isinstance(value, dt.date) else 0)


def latest(values: list[dt.date | PrintedMonth | None]) -> dt.date | PrintedMonth | None:
    """The latest of the dates and months given (`date_key`), None when there is none."""
    known = [value for value in values if value is not None]
    return max(known, key=date_key, default=None)


def _month_kept(value: Any, date: ValidatorFunctionWrapHandler) -> dt.date | PrintedMonth:
    """A month alone (`2021年12月`) read as a `PrintedMonth`, its text kept; anything else read
    as a date, with the date's own errors. The month must be 1 to 12."""
    match = _MONTH.match(value) if isinstance(value, str) else None
    if match is not None and 1 <= int(match.group(2) or match.group(3)) <= 12:
        return PrintedMonth(int(match.group(1)), int(match.group(2) or match.group(3)), value)
    read: dt.date = date(value)
    return read


def _as_written(value: dt.date | PrintedMonth) -> dt.date | str:
    return value.written if isinstance(value, PrintedMonth) else value


# 填报日期: a date (2023-12-25), or a month alone as printed (2021年12月).
FilledOn = Annotated[
    dt.date,
    WrapValidator(_month_kept),
    PlainSerializer(_as_written),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": _MONTH_PATTERN},
            ],
            "description": "A date (2023-12-25), or a month alone as printed (2021年12月).",
        }
    ),
]
