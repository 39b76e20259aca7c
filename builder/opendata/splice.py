"""A published table made anew from the bytes it keeps: an edit rewrites the projects it
changed and copies the rest of the file as it lies (`os.copy_file_range`, in the kernel).

A table is `head`, its projects' pieces in their order (year, unit, id) joined by `sep`, and
`tail` (a CSV file: its header, the projects' lines; the JSON list: `[`, the records joined by
`,`, `]`). The published file was made of the last build's projects in that order, so the
projects kept before the first changed one (`Splice.before`) lie at its start and those kept
after the last changed one (`Splice.after`) at its end, whatever the changed ones took in
between: only the middle is written from the projects' pieces. The sort keys of the changed
projects, old and new (`Changes.gone` and the fresh ones'), say where the middle is; a kept
piece on each side of it is compared with the published bytes before anything is copied, and
a file that does not match is made whole instead (`splice` returns False).
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Generic, Protocol, TypeVar


class Keyed(Protocol):
    """A project's share as the tables order it."""

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """(year, unit folder, id)."""
        ...


T = TypeVar("T", bound=Keyed)


@dataclass(frozen=True)
class Splice(Generic[T]):
    """A table's projects in three runs: kept before the changes, the changed span (kept or
    fresh, written anew), kept after the changes."""

    before: Sequence[T]
    middle: Sequence[T]
    after: Sequence[T]


def split(items: Sequence[T], changed: Collection[tuple[int, str, str]]) -> Splice[T]:
    """`items` (sorted) around the span of the `changed` sort keys (those gone from the
    published table and those coming into it); no key changed: all of them before."""
    if not changed:
        return Splice(items, (), ())
    low, high = min(changed), max(changed)
    start = next((i for i, item in enumerate(items) if item.sort_key >= low), len(items))
    end = next((i for i, item in enumerate(items) if item.sort_key > high), len(items))
    end = max(start, end)
    return Splice(items[:start], items[start:end], items[end:])


def years(items: Sequence[T]) -> list[tuple[int, Sequence[T]]]:
    """(year, its shares) of `items` (sorted), oldest first: each year's run of
    them, cut without looking at every share (the runs are found by bisection)."""
    runs = []
    start = 0
    while start < len(items):
        year = items[start].sort_key[0]
        end = bisect.bisect_left(items, (year + 1,), start, key=attrgetter("sort_key"))
        runs.append((year, items[start:end]))
        start = end
    return runs


def _run_size(run: Sequence[T], size: Callable[[T], int], sep: bytes) -> int:
    return sum(size(item) for item in run) + max(len(run) - 1, 0) * len(sep)


def splice(
    made: Path,
    published: Path,
    table: tuple[bytes, bytes, bytes],
    runs: Splice[T],
    piece: Callable[[T], bytes],
    size: Callable[[T], int],
) -> bool:
    """Write at `made` (a new file) the table (`table`: head, separator, tail) of
    `runs.before + runs.middle + runs.after`, copying the before and after runs from
    `published` (the table of the same runs before, some middle between). `piece` is an
    item's bytes, `size` their length (known without reading them). False, with nothing
    written, when the published file does not hold the runs where they must lie."""
    head, sep, tail = table
    first = len(head) + _run_size(runs.before, size, sep)
    last = _run_size(runs.after, size, sep) + len(tail)
    total = published.stat().st_size
    if first + last > total or not _holds(published, runs, piece, first, total - last, table):
        return False
    joined = ([b""] if runs.before else []) + [piece(item) for item in runs.middle]
    middle = sep.join(joined + ([b""] if runs.after else []))
    with open(published, "rb") as source, open(made, "xb", buffering=0) as target:
        _copy(source.fileno(), target.fileno(), 0, first)
        view = memoryview(middle)
        while view:
            view = view[target.write(view) or 0 :]
        _copy(source.fileno(), target.fileno(), total - last, last)
    return True


def _holds(
    published: Path,
    runs: Splice[T],
    piece: Callable[[T], bytes],
    first: int,
    after: int,
    table: tuple[bytes, bytes, bytes],
) -> bool:
    """Whether `published` has the head, the last piece of the run before ending at `first`,
    the first piece of the run after starting at `after`, and the tail."""
    head, _, tail = table
    checks = [(0, head)]
    if runs.before:
        end = piece(runs.before[-1])
        checks.append((first - len(end), end))
    if runs.after:
        checks.append((after, piece(runs.after[0])))
    with open(published, "rb") as source:
        source.seek(0, os.SEEK_END)
        checks.append((source.tell() - len(tail), tail))
        for offset, expected in checks:
            source.seek(offset)
            if source.read(len(expected)) != expected:
                return False
    return True


def _copy(source: int, target: int, offset: int, count: int) -> None:
    """`count` bytes of `source` from `offset` appended to `target`, in the kernel where it
    can (`copy_file_range`), else through a buffer."""
    while count > 0:
        try:
            done = os.copy_file_range(source, target, min(count, 1 << 30), offset)
        except OSError:
            done = 0
        if done <= 0:
            data = os.pread(source, min(count, 1 << 24), offset)
            if not data:
                raise OSError(f"the published table ended {count} bytes early")
            done = os.write(target, data)
        offset += done
        count -= done
