"""The base of the file formats' models, and the kinds of value they share.

`Strict` refuses unknown keys, is frozen, reads keys by their alias and dumps an older form as
it always was (`dump_if_given`); `Text`, `ShortText`, `Points` and `Rate` are the checked values.
"""

from __future__ import annotations

from decimal import Decimal
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


def _dash_kept(value: Any, number: ValidatorFunctionWrapHandler) -> Decimal | str:
    """A cell printed as a dash (`—`, `-`, `/`, `money.DASHES`) kept as its text; anything else
    read as the number (with the number's own errors)."""
    if isinstance(value, str) and value.strip() in DASHES:
        return value.strip()
    result: Decimal = number(value)
    return result


def _dash_schema(number: dict[str, Any]) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                number,
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*$"},
                {"type": "string", "enum": sorted(DASHES)},
            ],
            "description": "A number, or a dash (—, -, /) as printed: the cell has no figure "
            "(never 0).",
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
    PlainSerializer(lambda value: value),
    _dash_schema({"type": "number", "minimum": 0}),
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
