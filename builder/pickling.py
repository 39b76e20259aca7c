"""Pickling the small frozen dataclasses a checked form is made of, without `dataclasses.fields`.

A form checked in a worker process travels back to the builder pickled: about 47 small frozen
dataclasses with `__slots__` a form (`Money`, `Quantity`, `Position`, `IndicatorScore`,
`Finding`, `LocatedFinding`). For a slotted dataclass Python's own `__getstate__` and
`__setstate__` call `dataclasses.fields(self)` on every object, which walks the class's
fields each time: two thirds of the time of pickling a checked form and of reading it back.
`quick_state` gives a class the same two methods over the field names found once, when the
class is made. The state is the same list of values in the same order, so the pickled bytes
are those Python's own methods give, and either reads the other's.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def quick_state(cls: type[T]) -> type[T]:
    """Class decorator, above `@dataclass(frozen=True, slots=True)`: `cls` pickled by the list
    of its fields' values, in their order (what `dataclasses` itself pickles), found without
    `dataclasses.fields`. A subclass that is not a slotted dataclass of its own falls back to
    `dataclasses`' methods. Raises TypeError for a class that is not a dataclass."""
    names = tuple(field.name for field in dataclasses.fields(cls))  # type: ignore[arg-type]
    values = _values(names)
    default_get: Callable[[Any], Any] = cls.__getstate__  # type: ignore[attr-defined]
    default_set: Callable[[Any, Any], None] = cls.__setstate__  # type: ignore[attr-defined]

    def getstate(self: Any) -> list[Any]:
        if type(self) is not cls:
            return default_get(self)  # type: ignore[no-any-return]
        return values(self)

    def setstate(self: Any, state: Sequence[Any]) -> None:
        if type(self) is not cls:
            default_set(self, state)
            return
        for name, value in zip(names, state, strict=False):
            object.__setattr__(self, name, value)  # the class is frozen

    cls.__getstate__ = getstate  # type: ignore[attr-defined]
    cls.__setstate__ = setstate  # type: ignore[attr-defined]
    return cls


def _values(names: tuple[str, ...]) -> Callable[[Any], list[Any]]:
    """A function of an object giving the list of its attributes `names`, in that order."""
    if len(names) == 1:
        (name,) = names
        return lambda obj: [getattr(obj, name)]
    get = operator.attrgetter(*names)
    return lambda obj: list(get(obj))
