"""A published table made anew from the bytes it keeps: an edit writes the rows of the
projects it changed and copies every other project's rows from the file as they lie
(`os.copy_file_range`, in the kernel).

A table is `head`, its projects' pieces in their order (year, unit, id) joined by `sep`, and
`tail` (a CSV file: its header, the projects' lines; the JSON list: `[`, the records joined by
`,`, `]`). The published file was made of the last build's projects in that order: the
projects kept since, and those whose rows go (re-read or removed: `gone`, with the length of
their piece, which the last build recorded). Where each kept project's piece lies in it
follows from those lengths alone, and each run of kept projects that lay side by side is
copied in one go, however many changed projects lie between the runs (an edit re-reads the
project's other years, which lie far apart in the all-years tables).

Before anything is copied, the published file must have the length those pieces make, its
head and tail, and the first and last piece of every copied run where they must lie; a file
that does not is made whole instead (`splice` returns False).
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Protocol, TypeVar

Key = tuple[int, str, str]


class Keyed(Protocol):
    """A project's share as the tables order it."""

    @property
    def sort_key(self) -> Key:
        """(year, unit folder, id)."""
        ...


T = TypeVar("T", bound=Keyed)


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


@dataclass(frozen=True)
class Copied:
    """Kept projects `items[first:last + 1]` of the new table, which lie side by side in the
    published one from byte `start` to byte `end` (their separators included)."""

    first: int
    last: int
    start: int
    end: int


def copied_runs(
    items: Sequence[T],
    changed: Collection[Key],
    gone: Mapping[Key, int],
    size: Callable[[T], int],
    head: int,
    sep: int,
) -> tuple[list[Copied], int] | None:
    """The runs of `items` (the new table's projects, sorted) copied from the published
    table, and the length the published table has without its tail. `changed`: every sort
    key whose rows are written anew (gone or fresh); `gone`: the length in bytes of the piece
    each project whose published rows go had there; `size`: a kept project's piece length;
    `head`, `sep`: the lengths of the table's head and separator. One pass over `items`, the
    published projects being the kept ones with the gone ones between them. None when two
    published projects have one sort key (then where each lies is not known)."""
    old = sorted(gone.items())
    runs: list[list[int]] = []  # [first, last, start, end]
    at, next_gone, last_key = head, 0, None
    for index, item in enumerate(items):
        key = item.sort_key
        if key in changed:
            continue
        apart = False  # a gone project lay between this one and the last kept one
        while next_gone < len(old) and old[next_gone][0] <= key:
            if old[next_gone][0] == key:
                return None
            at += old[next_gone][1] + sep
            next_gone, apart = next_gone + 1, True
        if last_key is not None and key <= last_key:
            return None
        length = size(item)
        if runs and not apart and runs[-1][1] == index - 1:
            runs[-1][1], runs[-1][3] = index, at + length
        else:
            runs.append([index, index, at, at + length])
        at += length + sep
        last_key = key
    for _, length in old[next_gone:]:
        at += length + sep
    copied = [Copied(*run) for run in runs]
    return copied, (at - sep if runs or old else head)


def splice(
    made: Path,
    published: Path,
    table: tuple[bytes, bytes, bytes],
    items: Sequence[T],
    changed: Collection[Key],
    gone: Mapping[Key, int],
    piece: Callable[[T], bytes],
    size: Callable[[T], int],
) -> bool:
    """Write at `made` (a new file) the table (`table`: head, separator, tail) of `items`,
    copying the pieces of those whose sort key is not `changed` from `published` (the table
    of the last build: those, and the `gone` ones, each with its piece's length). `piece` is
    an item's bytes, `size` their length (known without reading them). False, with nothing
    written, when the published file does not hold the kept pieces where they must lie."""
    head, sep, tail = table
    planned = copied_runs(items, changed, gone, size, len(head), len(sep))
    if planned is None:
        return False
    runs, length = planned
    total = published.stat().st_size
    if total != length + len(tail) or not _holds(published, items, runs, piece, table, total):
        return False
    with open(published, "rb") as source, open(made, "xb", buffering=0) as target:
        pending = [head]
        done = 0  # items[:done] are written or copied
        for run in [*runs, None]:
            upto = len(items) if run is None else run.first
            for index in range(done, upto):
                pending += [sep, piece(items[index])] if index else [piece(items[index])]
            if run is not None:
                pending.append(sep if run.first else b"")
                _write(target.fileno(), b"".join(pending))
                pending = []
                _copy(source.fileno(), target.fileno(), run.start, run.end - run.start)
                done = run.last + 1
        pending.append(tail)
        _write(target.fileno(), b"".join(pending))
    return True


def _holds(
    published: Path,
    items: Sequence[T],
    runs: Sequence[Copied],
    piece: Callable[[T], bytes],
    table: tuple[bytes, bytes, bytes],
    total: int,
) -> bool:
    """Whether `published` (of `total` bytes) has the head, the tail, and the first and last
    piece of every run to copy where the runs say."""
    head, _, tail = table
    checks = [(0, head), (total - len(tail), tail)]
    for run in runs:
        first = piece(items[run.first])
        checks.append((run.start, first))
        if run.last != run.first:
            last = piece(items[run.last])
            checks.append((run.end - len(last), last))
    with open(published, "rb") as source:
        for offset, expected in checks:
            if os.pread(source.fileno(), len(expected), offset) != expected:
                return False
    return True


def _write(target: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view) :]


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
