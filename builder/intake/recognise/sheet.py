"""The draft being filled in while a form is read: values with their places, review items.

`FormSheet` is a recogniser's scratch pad for one form: `put` sets a value at a field path and
keeps the cell it came from; `note` adds a review item. `draft()` hands back the `Draft`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..draft import Draft, ReviewItem, field_path
from ..grid import Cell, Place, Row

Path = tuple[str | int, ...]


@dataclass
class FormSheet:
    """One form being read: its rows (all tables joined, in order), the data so far, the
    places and the review list. `origin` is the place of the form as a whole (its first
    row), for review items about the form rather than one cell."""

    rows: list[Row]
    origin: Place
    data: dict[str, Any] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    review: list[ReviewItem] = field(default_factory=list)
    # `labels:` key -> the cell of the words the form prints there (`own_words`).
    words: dict[str, Cell] = field(default_factory=dict)
    # The form is jixiao's blank template filled in (`readers.Reading.issued`).
    issued: bool = False

    def put(self, path: Path, value: Any, cell: Cell | Place | None) -> None:
        """Set `value` at `path` (dicts made on the way) and record where it was read."""
        target = self.data
        for part in path[:-1]:
            target = target.setdefault(part, {})  # type: ignore[assignment]
        target[path[-1]] = value  # type: ignore[index]
        place = cell.place if isinstance(cell, Cell) else cell
        if place is not None:
            self.places[field_path(*path)] = place

    def place(self, path: Path, cell: Cell | Place) -> None:
        """Record where the value at `path` (set some other way) was read."""
        self.places[field_path(*path)] = cell.place if isinstance(cell, Cell) else cell

    def has(self, *path: str) -> bool:
        """True when the data holds a value at `path`."""
        target: Any = self.data
        for part in path:
            if not isinstance(target, dict) or part not in target:
                return False
            target = target[part]
        return True

    def note(
        self,
        code: str,
        where: Cell | Place,
        message_zh: str,
        message_en: str,
        hint: tuple[str, str] = ("", ""),
    ) -> None:
        """Add a review item at the cell or place `where`; `hint` (Chinese, English) where
        the code's own hint does not fit it."""
        place = where.place if isinstance(where, Cell) else where
        self.review.append(ReviewItem(code, place, message_zh, message_en, *hint))

    def word(self, key: str, cell: Cell, last: bool = False) -> None:
        """Keep `cell` as the words the form prints for the `labels:` key `key`: the first
        such cell, or the last when `last` (a column's own words under its group's)."""
        if last or key not in self.words:
            self.words[key] = cell

    def draft(self) -> Draft:
        """The form as read."""
        return Draft(self.data, self.places, self.review)


def filled(row: Row) -> list[Cell]:
    """The cells of `row` that print something."""
    return [cell for cell in row if cell.text.strip()]


def row_place(row: Row) -> Place | None:
    """The place of the first cell of `row` that prints something (else its first cell)."""
    cells = filled(row) or list(row)
    return cells[0].place if cells else None
