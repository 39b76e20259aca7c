"""The base of the file formats' models, and the kinds of value they share.

`Strict` refuses unknown keys, is frozen, reads keys by their alias and dumps an older form as
it always was (`dump_if_given`); `Text`, `ShortText`, `Points` and `Rate` are the checked values.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    model_serializer,
)

from ..rules.policy import Points as PolicyPoints
from . import lengths
from .chars import Visible
from .money import DASHES, within
from .values import FIGURE_PLACES

Points = Annotated[PolicyPoints, within(FIGURE_PLACES)]
Rate = Annotated[Decimal, Field(ge=0), within(FIGURE_PLACES)]


class SignedPercent(Decimal):
    """A 执行率 the form prints with its percent sign (`100%`, `98.50%`): the number in percent,
    its digits as written, and the sign shown where the form shows the cell
    (`formats.rate_as_printed`). A `Decimal` to the rules; a dump writes it back as typed."""

    __slots__ = ()

    @property
    def printed(self) -> str:
        """The cell as printed: the digits written and the sign (`98.50%`)."""
        return f"{self:f}%"


# A percent as printed: digits, then % (or the full-width ％), spaces around allowed.
_SIGNED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]\s*$")
_SIGNED_PATTERN = r"^\s*\d+(\.\d+)?\s*[%％]\s*$"


def _sign_kept(value: Any, number: ValidatorFunctionWrapHandler) -> Decimal:
    """A rate written with its percent sign (`100%`) read as its number, the sign kept
    (`SignedPercent`); anything else read as the number (with the number's own errors)."""
    if isinstance(value, SignedPercent):
        return value
    match = _SIGNED.match(value) if isinstance(value, str) else None
    if match is None:
        read: Decimal = number(value)
        return read
    return SignedPercent(number(match.group(1)))


def _dash_kept(value: Any, number: ValidatorFunctionWrapHandler) -> Decimal | str:
    """A cell printed as a dash (`—`, `-`, `/`, `money.DASHES`) kept as its text; a rate with
    its percent sign as a `SignedPercent`; anything else read as the number (with the number's
    own errors)."""
    if isinstance(value, str) and value.strip() in DASHES:
        return value.strip()
    return _sign_kept(value, number)


def _as_written(value: Decimal | str) -> Decimal | str:
    """A figure as the file writes it: `100%` for a `SignedPercent`, else the value."""
    return value.printed if isinstance(value, SignedPercent) else value


_SIGNED_SCHEMA = {"type": "string", "pattern": _SIGNED_PATTERN}


def _dash_schema(number: dict[str, Any], signed: bool = False) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                number,
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*$"},
                *([_SIGNED_SCHEMA] if signed else []),
                {"type": "string", "enum": sorted(DASHES)},
            ],
            "description": "A number, or a dash (—, -, /) as printed: the cell has no figure "
            "(never 0)." + (" A rate printed with its sign is written so: 100%." if signed else ""),
        }
    )


# A funding row's own 分值 / 得分 (`PointsOrDash`) and 执行率 (`RateOrDash`, in %) as printed:
# the number (a `Decimal`), or a dash kept as its text (a `str`: shown as printed, never read
# as 0). `figure_of` reads either as a number or None.
PointsOrDash = Annotated[
    Points,
    WrapValidator(_dash_kept),
    PlainSerializer(lambda value: value),
    _dash_schema({"type": "number", "minimum": 0, "maximum": 1000}),
]
RateOrDash = Annotated[
    Rate,
    WrapValidator(_dash_kept),
    PlainSerializer(_as_written),
    _dash_schema({"type": "number", "minimum": 0}, signed=True),
]
# A 执行率 in percent as printed: the number, or the number with its sign (`100%`, a
# `SignedPercent`), written back as typed.
RateAsPrinted = Annotated[
    Rate,
    WrapValidator(_sign_kept),
    PlainSerializer(_as_written),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*$"},
                _SIGNED_SCHEMA,
            ],
            "description": "执行率 in %, as printed: a number, or with its sign (100%).",
        }
    ),
]


def figure_of(value: Decimal | str | None) -> Decimal | None:
    """The number of a `PointsOrDash` / `RateOrDash` cell: None for a blank or a dash."""
    return value if isinstance(value, Decimal) else None


# Text as written, without the spaces around it; never a control or bidirectional control
# character (`chars.forbidden_characters`: an error `invisible-character` names it); at most
# `lengths.MAX_TEXT` characters, a name or a cell `lengths.MAX_SHORT_TEXT` (`ShortText`).
# (A field's own `max_length` would not replace these: each bound is its own type.)
Text = Annotated[Visible, StringConstraints(strip_whitespace=True, max_length=lengths.MAX_TEXT)]
ShortText = Annotated[
    Visible, StringConstraints(strip_whitespace=True, max_length=lengths.MAX_SHORT_TEXT)
]


@lru_cache(maxsize=4096)
def _fields_set(names: frozenset[str]) -> set[str]:
    """One set of field names for every frozen model given those fields (`Strict`)."""
    return set(names)


# A model's docstring is its description in the JSON Schemas shipped in builder/schemas/ and on
# the site. A field whose Python name differs from its key in the files (`measure_unit`, written
# `unit`) has that key as its alias: files are read by alias only (`load.validate_model`), Python
# code may build a model by name, and every dump and schema writes the key of the files.
class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )
    # Fields a file may leave out that older files never had (or always wrote): a dump writes
    # them only when the file gives them, so that the dump of an older file stays what it was
    # and every dump reads back as the same form.
    dump_if_given: ClassVar[frozenset[str]] = frozenset()

    def model_post_init(self, context: Any, /) -> None:
        # Each model would keep its own set of the names given (`model_fields_set`): a form's
        # thirty models, thirty sets, about 17 KB a form, most of them alike. A frozen model's
        # set is never changed in place (a copy gets a set of its own first), so equal sets
        # are one set.
        object.__setattr__(
            self, "__pydantic_fields_set__", _fields_set(frozenset(self.__pydantic_fields_set__))
        )

    def _left_out(self) -> set[str]:
        """Names of the fields a dump leaves out."""
        return {name for name in self.dump_if_given if name not in self.model_fields_set}

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            fields = type(self).model_fields
            for name in self._left_out():
                data.pop(fields[name].alias or name, None)
        return data
