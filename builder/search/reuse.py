"""A year's reader bundle kept as published when the parts an edit indexed anew came out as
they were published: an edit outside the indexed text (a contact, a date: `data-pagefind-
ignore`) re-indexes its part, but merges nothing.

The reader bundle `pagefind/<year>/` is a function of its parts' records alone (`merge.py`),
and a published site's reader bundle was merged from its published parts (every build that
indexes a part merges its year, and the site is published whole). So when every part of the
year this build indexed gave the record published for it, the year's parts are the ones
published, and Pagefind's runtime files are those published, the merge would write every
reader file as published: it is left out, and the cost of an edit is its part's, not its
year's (25,000 pages at 100,000 forms).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .merge import ENTRY_FILE, PART_FILE


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def year_as_published(
    reader: str,
    parts: Sequence[tuple[str, bytes | None]],
    runtime: Mapping[str, bytes],
    published: Path | None,
) -> bool:
    """Whether the reader bundle `reader` (`pagefind/<year>`) published under `published` is
    the merge of the year's `parts` (as `merge_year` takes them: part bundle and its new
    record, or None for a part not indexed) with Pagefind's `runtime` files: every record
    given is byte for byte the one published for its part, the year's published parts are
    exactly these, and the runtime files and the reader's entry file are published. False
    for a full build (`published` None). Reads the records of the parts given, the runtime
    files and a listing of the year's folder: O(part)."""
    if published is None or not (published / reader / ENTRY_FILE).is_file():
        return False
    found = {
        f"{reader}/{entry.parent.name}" for entry in (published / reader).glob(f"*/{PART_FILE}")
    }
    if found != {name for name, _ in parts}:
        return False
    if not all(_same(published / reader / name, data) for name, data in runtime.items()):
        return False
    return all(
        record is None or _same(published / name / PART_FILE, record) for name, record in parts
    )
