"""Pausing Python's cyclic garbage collector around work that allocates much and frees little.

The cyclic collector runs every few hundred allocations and scans the young objects, then now
and then the whole heap. Work that builds a large heap without reference cycles (checking ten
thousand forms, unpickling their summaries) or with cycles that all die together (a PDF
document's boxes) makes it scan the same objects again and again for nothing: a fifth to a
third of that work's time. Such work runs inside `collector_paused()`, and its garbage is
collected once, after.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the `with` block, then back as it was: on again if it was
    on, still off if something else had turned it off (a PDF worker process keeps it off
    between documents). Nothing is collected on the way out; reference counting still frees
    whatever is not in a cycle."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def freeze_survivors() -> None:
    """Collect the garbage now, then move whatever survives into the permanent generation
    (`gc.freeze`), which no later collection scans: for a process that keeps what it has
    (imports, caches) for the rest of its life and then makes and drops much more."""
    gc.collect()
    gc.freeze()


def keep_what_is_made() -> None:
    """Move every object made so far into the permanent generation (`gc.freeze`), without
    collecting first: for a build once its forms are checked and its views made, which it
    keeps to the end. The collections of the outputs, and of the render workers forked
    from it, then scan only what the outputs make (and a forked worker does not write to the
    pages of the inherited heap that a collection would touch). Whatever cyclic garbage is
    among them stays until the process ends: a build is one process per run."""
    gc.freeze()
