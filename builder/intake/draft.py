"""A form as the recogniser found it in a file: the project file's data, where each value was
read, and what had to be decided (`ReviewItem`s for a person to look at).

`Draft.data` has the shape of a project file (`builder.form.model.Project`, its keys as the
files write them): strings as read, numbers as printed (a `str` of digits, an `int` or a
`Decimal`), `filled_on` a date or its ISO text, a blank cell left out. `Draft.places` maps the
field path of a value, as `jixiao check` names it (`name`, `funding.rows[0].budget`,
`indicators[3].target`), to the `Place` it was read from. `builder.intake.emit` writes a draft
as YAML; `builder.intake.importer` names, compares and writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .grid import Place


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """Something the importer decided and a person should check, at its place in the source.

    `code` is stable (`column-guess`, `cut-off`, `unreadable-cell`, `placeholder-dropped`,
    `ocr-suspect`, `id-chosen`, `no-year`, `differs-from-existing`; docs/import.md lists them);
    `message_zh` is what `jixiao import` prints, `message_en` what it prints with `--lang en`.
    """

    code: str
    place: Place
    message_zh: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Draft:
    """One form found in a file: `data` in the project file's shape, `places` (field path →
    `Place`) and `review` (`ReviewItem`s, in the order found)."""

    data: dict[str, Any]
    places: dict[str, Place]
    review: tuple[ReviewItem, ...]
