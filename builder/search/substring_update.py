"""The substring index of an edit, updated in place: only the files a changed record touches.

An edit that changes a figure, a grade or a name of a few projects changes a few records of
the substring index (`substring.py`), while writing it whole reads every project's fields
again and writes 12 MB at 10,000 projects (about 1 s). When the records keep their order and
count, every file of the index but a few is as published, and those few follow from the
changed records alone:

- a bucket `keys/<n>.json` holds each of its keys' pairs (record number, place) in record
  order, and the pairs of one record in the order `postings` makes them: the pairs of a
  changed record are cut out of the keys whose pairs for it differ (made by `postings` of
  that record alone, so in a full build's order) and its new pairs put in their place; a key
  left with none goes, a new key comes;
- the bucket count is a function of the index's written size (`bucket_count`), which
  `meta.json` records (`size`): the published size plus what the changed keys gained or lost
  must give the published count, else the keys would lie in other buckets and the index is
  written whole;
- the record files holding a changed record, the sort orders (from every record: cheap) and
  the meta are made as a full build makes them.

The published files are checked as they are read: the meta, each changed record's pairs in
every changed key and its card in its record file must be what the last build's records give,
and a bucket must be JSON of the index's shape. Anything else (a file missing or unreadable, an
older layout without `size`) gives None: the index is then written whole, never patched
wrongly. Files as published are left out, so the published ones are kept (linked).
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate
from pathlib import Path

from .substring import (
    FILTER_KEY,
    FOLDER,
    RECORDS_PER_SHARD,
    SORT_KEYS,
    Record,
    Summary,
    as_written,
    bucket_count,
    bucket_of,
    dumps,
    meta_of,
    ordered,
    postings,
    sort_order,
    written_size,
)

Places = list[int]  # a key's places in one record, in the order `postings` makes them
Edits = dict[str, dict[int, tuple[Places, Places]]]  # key -> record number -> (before, after)


class _Unexpected(Exception):
    """A published file is not what the last build's records give: write the index whole."""


def updated_files(
    site_dir: Path,
    summaries: Sequence[Summary],
    previous: Mapping[str, Summary],
    changed: set[str],
    removed: int,
) -> list[tuple[str, bytes]] | None:
    """The files of the substring index published in `site_dir` that an incremental build's
    projects change, as (site path under FOLDER, bytes), each differing from the published
    file (the rest are kept as published); None when the index must be written whole
    (`index_pieces`): a form removed (`removed`, a count) or new (`changed` paths not in
    `previous`, the last build's summaries of the re-read forms by content-relative path),
    a re-read form no longer published, the records in another order, another bucket count,
    or a published file not as expected (module docstring). The files returned are the
    bytes `index_pieces(summaries)` writes at those paths. Costs O(projects) for the records'
    order, plus the buckets of the changed keys and the changed records' files."""
    if removed or any(rel not in previous for rel in changed):
        return None
    records = _old_and_new(summaries, previous)
    if records is None:
        return None
    try:
        return _update(site_dir, *records)
    except _Unexpected:
        return None


def _old_and_new(
    summaries: Sequence[Summary], previous: Mapping[str, Summary]
) -> tuple[list[Record], list[Record]] | None:
    """The published records (each re-read form's previous summary in its place) and the new
    ones, in index order; None unless both have the same pages in the same order."""
    new = [Record.of(summary) for summary in summaries]
    if not previous.keys() <= {summary.file for summary in summaries}:
        return None  # a re-read form held back: its record goes
    old = [
        Record.of(previous[summary.file]) if summary.file in previous else record
        for summary, record in zip(summaries, new, strict=True)
    ]
    old, new = ordered(old), ordered(new)
    pages = [record.page for record in new]
    if [record.page for record in old] != pages or len(set(pages)) != len(pages):
        return None
    return old, new


def _update(site_dir: Path, old: list[Record], new: list[Record]) -> list[tuple[str, bytes]] | None:
    """The changed files (see `updated_files`); raises `_Unexpected` on a published file not
    as the records `old` give it, returns None when the bucket count would change."""
    meta_path = f"{FOLDER}/meta.json"
    published_meta = _read(site_dir, meta_path)
    buckets, size = _layout(published_meta, len(old))
    pairs = enumerate(zip(old, new, strict=True))
    numbers = [n for n, (a, b) in pairs if a is not b and repr(a) != repr(b)]
    files, grown = _buckets(site_dir, buckets, _edits(old, new, numbers))
    if bucket_count(size + grown) != buckets:
        return None
    files += _shards(site_dir, old, new, numbers)
    for key in SORT_KEYS:
        path = f"{FOLDER}/order-{key}.json"
        data = dumps(sort_order(new, key))
        if data != _read(site_dir, path):
            files.append((path, data))
    meta = dumps(meta_of(buckets, len(new), size + grown))
    if meta != published_meta:
        files.append((meta_path, meta))
    return files


def _layout(published_meta: bytes, records: int) -> tuple[int, int]:
    """(bucket count, written size) of the published meta, which must be the meta a build of
    `records` records writes."""
    meta = _loads(published_meta)
    if not isinstance(meta, dict):
        raise _Unexpected
    buckets, size = meta.get("buckets"), meta.get("size")
    if type(buckets) is not int or type(size) is not int or buckets < 1:
        raise _Unexpected
    if dumps(meta_of(buckets, records, size)) != published_meta:
        raise _Unexpected
    return buckets, size


def _edits(old: list[Record], new: list[Record], numbers: list[int]) -> Edits:
    """Key -> record number -> (its places before, after) for every key whose places in a
    changed record differ."""
    edits: Edits = {}
    for number in numbers:
        before, after = _own_places(old[number]), _own_places(new[number])
        for key in before.keys() | after.keys():
            was, now = before.get(key, []), after.get(key, [])
            if was != now:
                edits.setdefault(key, {})[number] = (was, now)
    return edits


def _own_places(record: Record) -> dict[str, Places]:
    """Key -> the record's places in it, as `postings` makes them (the same code: the same
    order of pairs as in a full build)."""
    return {key: list(flat[1::2]) for key, flat in postings([record]).items()}


def _buckets(site_dir: Path, buckets: int, edits: Edits) -> tuple[list[tuple[str, bytes]], int]:
    """The bucket files the edits change, and the written size they add (negative: remove)."""
    grouped: dict[int, list[str]] = {}
    for key in edits:
        grouped.setdefault(bucket_of(key, buckets), []).append(key)
    files: list[tuple[str, bytes]] = []
    grown = 0
    for bucket in sorted(grouped):
        path = f"{FOLDER}/keys/{bucket}.json"
        published = _read(site_dir, path)
        content = _loads(published)
        if not isinstance(content, dict):
            raise _Unexpected
        for key in grouped[bucket]:
            flat = _decoded(key, content[key]) if key in content else []
            grown -= written_size(key, flat) if flat else 0
            _splice(flat, edits[key])
            grown += written_size(key, flat) if flat else 0
            if flat:
                content[key] = as_written(key, flat)
            else:
                content.pop(key, None)
        data = dumps(content)
        if data != published:
            files.append((path, data))
    return files, grown


def _decoded(key: str, written: object) -> list[int]:
    """A key's flat (record number, place) pairs from its written deltas (`as_written`)."""
    if not isinstance(written, list) or not all(type(value) is int for value in written):
        raise _Unexpected
    filter_key = key.startswith(FILTER_KEY)
    deltas = written if filter_key else written[0::2]
    if (not filter_key and len(written) % 2) or (deltas and min(deltas) < 0):
        raise _Unexpected
    flat = [-1] * (2 * len(deltas))
    flat[0::2] = accumulate(deltas)
    if not filter_key:
        flat[1::2] = written[1::2]
    return flat


def _splice(flat: list[int], changes: dict[int, tuple[Places, Places]]) -> None:
    """Replace in `flat` (a key's pairs, in record order) each changed record's pairs, which
    must be its places before, by its places after."""
    numbers = flat[0::2]
    for number in sorted(changes, reverse=True):  # from the end: the pairs before stay put
        was, now = changes[number]
        low, high = bisect_left(numbers, number), bisect_right(numbers, number)
        if flat[2 * low + 1 : 2 * high : 2] != was:
            raise _Unexpected
        pairs = [0] * (2 * len(now))
        pairs[0::2] = [number] * len(now)
        pairs[1::2] = now
        flat[2 * low : 2 * high] = pairs


def _shards(
    site_dir: Path, old: list[Record], new: list[Record], numbers: list[int]
) -> list[tuple[str, bytes]]:
    """The record files holding the changed records, each checked against the old records."""
    files: list[tuple[str, bytes]] = []
    for shard in sorted({number // RECORDS_PER_SHARD for number in numbers}):
        path = f"{FOLDER}/records/{shard}.json"
        span = slice(shard * RECORDS_PER_SHARD, (shard + 1) * RECORDS_PER_SHARD)
        published = _read(site_dir, path)
        if published != dumps([record.card() for record in old[span]]):
            raise _Unexpected
        data = dumps([record.card() for record in new[span]])
        if data != published:
            files.append((path, data))
    return files


def _read(site_dir: Path, path: str) -> bytes:
    try:
        return (site_dir / path).read_bytes()
    except OSError as error:
        raise _Unexpected from error


def _loads(data: bytes) -> object:
    try:
        return json.loads(data)
    except ValueError as error:  # UnicodeDecodeError is one
        raise _Unexpected from error
