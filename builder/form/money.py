"""An amount of the funding table as printed: its text, its number and its unit (元 or 万元).

A form prints its amounts in 元 or in 万元, with the decimals it chose and sometimes with
thousands separators (`500,000.00`), and prints a dash (`—`, `-`, `/`) in a cell that has no
amount. The file keeps what was printed; the rules read the value in 元, derived (万元 × 10000),
never stored in its place. An absent key is a blank cell (no `Money` at all).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ..pickling import quick_state
from .values import FIGURE_PLACES, out_of_range

YUAN = "元"
WAN_YUAN = "万元"
# 元 in one unit of the funding table.
UNIT_FACTORS: dict[str, Decimal] = {YUAN: Decimal(1), WAN_YUAN: Decimal(10000)}
# The dashes forms print in a cell without an amount.
DASHES = frozenset({"—", "——", "-", "－", "/", "／", "–"})
# The keys of a funding row whose cells are amounts (`Amount`): a quoted number with thousands
# separators is read there ("500,000.00"), not in a 分值 or 得分.
AMOUNT_KEYS = ("initial", "budget", "executed")
# Digits grouped by thousands, as printed: 500,000.00 (a comma every three digits).
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# An amount in 万元 is exact to the 分 with 6 decimals; in 元 with 2 (checked per table:
# `places_problem`).
MONEY_PLACES = FIGURE_PLACES
YUAN_PLACES = 2


def within(places: int) -> AfterValidator:
    """A validator that refuses a number outside the bounds of `values.out_of_range` (not
    finite, 10^15 or more, more than `places` decimals) with the error `number_out_of_range`."""

    def check(value: Decimal) -> Decimal:
        problem = out_of_range(value, places)
        if problem:
            raise PydanticCustomError(
                "number_out_of_range", "{problem}", {"problem": problem, "places": places}
            )
        return value

    return AfterValidator(check)


# The number of an amount cell: exact, at least 0, within the bounds (6 places: the 分 in 万元).
MoneyNumber = Annotated[Decimal, Field(ge=0), within(MONEY_PLACES)]


@quick_state
@dataclass(frozen=True, slots=True)
class Money:
    """One amount cell as printed.

    `printed` is the text as written (`950500.00`, `500,000.00`, `—`); `number` the printed
    number in the table's unit, exact (None for a dash); `unit` 元 or 万元 (the table's
    `amount_unit`); `written` what the file holds (a number, or the quoted text), so that a dump
    gives back the file's value.
    """

    printed: str
    number: Decimal | None
    unit: str = YUAN
    written: Decimal | str = field(default="", compare=False)

    @property
    def is_dash(self) -> bool:
        """True for a cell printed as a dash (`—`, `-`, `/`): no amount, not zero."""
        return self.number is None

    @property
    def yuan(self) -> Decimal | None:
        """The amount in 元 (万元 × 10000, exact); None for a dash."""
        return None if self.number is None else self.number * UNIT_FACTORS[self.unit]

    @property
    def shown(self) -> str:
        """The amount as a message quotes it: the printed text, with its unit when not 元."""
        return self.printed if self.unit == YUAN else f"{self.printed}{self.unit}"

    def in_unit(self, unit: str) -> Money:
        """The same printed cell read in `unit` (元 or 万元)."""
        return Money(self.printed, self.number, unit, self.written)

    def places_problem(self) -> str:
        """Why the number has too many decimals for its unit ("" when it has not): at most 2 in
        元, 6 in 万元 (the 分 either way)."""
        if self.number is None or self.unit != YUAN:
            return ""
        return out_of_range(self.number, YUAN_PLACES)

    def __str__(self) -> str:
        return self.printed

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        number_schema = handler.generate_schema(MoneyNumber)
        return core_schema.no_info_wrap_validator_function(
            _read_money,
            number_schema,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda money: money.written
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {
                    "type": "string",
                    "pattern": r"^(\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?|—|——|-|－|/|／|–)$",
                },
            ],
            "description": "Amount as printed, in the table's amount_unit: a number, a quoted "
            'number with thousands separators ("500,000.00"), or a dash (—, -, /) for a cell '
            "printed without an amount.",
        }


def _read_money(value: Any, number: Callable[[Any], Decimal]) -> Money:
    """A cell's value as a `Money` in 元 (the table sets its unit afterwards): a number, a
    quoted number with thousands separators, or a dash. Errors are the number's own (a
    negative amount, not a number, out of range)."""
    if isinstance(value, Money):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text in DASHES:
            return Money(text, None, YUAN, value)
        if _GROUPED.fullmatch(text):
            return Money(text, number(Decimal(text.replace(",", ""))), YUAN, value)
        read = number(value)
        return Money(text, read, YUAN, value)
    read = number(value)
    return Money(format(read, "f"), read, YUAN, read)
