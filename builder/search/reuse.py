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

The other way round, a year none of whose parts an edit indexes is merged again when its
parts are not the ones published (`regrouped_years`): a part whose every unit went (its
forms deleted or held back, its units renamed into another part or moved to another year)
while the year kept its count of parts is no part any more, so nothing indexes it, and its
pages would stay in the reader bundle. That merge reads the parts left as published; it
indexes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    if _published_parts(published, reader) != {name for name, _ in parts}:
        return False
    if not all(_same(published / reader / name, data) for name, data in runtime.items()):
        return False
    return all(
        record is None or _same(published / name / PART_FILE, record) for name, record in parts
    )


def _published_parts(published: Path, reader: str) -> set[str]:
    """Site paths of the part bundles published in the year folder `reader` (`pagefind/<year>`)."""
    folder = published / reader
    return {f"{reader}/{entry.parent.name}" for entry in folder.glob(f"*/{PART_FILE}")}


def regrouped_years(
    published: Path | None, every: Iterable[tuple[str, str]], indexed: Iterable[str]
) -> list[str]:
    """The reader bundles (`pagefind/<year>`), sorted, that must be merged again though none
    of their year's parts is `indexed` anew (given as reader bundles): those whose parts
    published are not the year's parts now, `every` as (reader bundle, part bundle). A part
    whose every unit went (deleted, held back, renamed into another part) while the year kept
    its count of parts is in no list of parts, so nothing indexes it; its pages stay in the
    year's published reader bundle until the year is merged from the parts left. Empty for a
    full build (`published` None). Lists each such year's folder: O(years + parts)."""
    if published is None:
        return []
    live: dict[str, set[str]] = {}
    for reader, bundle in every:
        live.setdefault(reader, set()).add(bundle)
    skipped = set(indexed)
    return [
        reader
        for reader in sorted(live)
        if reader not in skipped and _published_parts(published, reader) != live[reader]
    ]


def published_runtime(
    published: Path | None, reader: str, names: Iterable[str]
) -> dict[str, bytes]:
    """Pagefind's runtime files `names` as published in the reader bundle `reader`: what the
    merge of a year none of whose parts this build indexed writes beside its index (every
    year's bundle has the same ones). Those missing are left out; none without `published`."""
    files: dict[str, bytes] = {}
    for name in names if published is not None else ():
        try:
            files[name] = (published / reader / name).read_bytes()
        except FileNotFoundError:
            continue
    return files
