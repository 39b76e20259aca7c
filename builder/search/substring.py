"""The substring index: every project whose name, unit, department, id or printed figures
contain what a reader typed, found in the browser from static files.

Pagefind finds words; a reader types a piece of a name (`津贴增发`), a name with a space in it
(`养 老`), an id or a figure as printed (`20.10%`, `86870000`). Those are found here, exactly,
and ranked before Pagefind's full-text results (templates/static/search.js).

Each project is a record. Its fields are normalised (`normalise`: NFKC, lower case, spaces and
thousands commas dropped; the search page does the same to the query) and cut into keys:

- every pair of neighbouring characters of a field (a bigram), with the places it occurs;
- every single character, with the first place it occurs (a one-character query), except the
  function characters (`FUNCTION_CHARACTERS`: 的, 和, 及 …), which find nothing on their own;
- filter values (`FILTER_KEY` + name + value), with the records that have them.

A key's postings are in the bucket file `keys/<n>.json` chosen by a hash of the key
(`bucket_of`, FNV-1a of its UTF-8 bytes, as search.js computes it), so a query loads only the
buckets of its keys: a query of k characters reads about k/2 buckets, a few tens of KB each at
10,000 projects. A place is `field * FIELD_SPAN + offset`: a query matches a record where its
bigrams at offsets 0, 2, 4 … and its last bigram all occur at the place plus their offset.
The records themselves (what a result card shows) are in `records/<n>.json`, RECORDS_PER_SHARD
a file, in the order year (newest first), department, unit, name, id, so the results of one
query tend to share files. `order-<key>.json` lists the records by a sort key (score, budget),
loaded only when a reader sorts. `meta.json` says how many buckets and records there are
(and the written size the bucket count was chosen by).

Every file is a function of the records alone: the same site gives the same bytes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from ..formats import declared_text, figure_text, grade_text, percent_text, plain, wan_text

FOLDER = "search/substring"
FORMAT = 1  # the layout of the files; search.js refuses another
FIELD_SPAN = 512  # places of one field: a name or cell is at most 300 characters
FIELDS = ("name", "unit", "department", "id", "figures")
FUNCTION_CHARACTERS = "的地得了着过和与及或并且而等之其对于以在是为把被从向将就也都"
FILTER_KEY = "\x01"  # starts a filter key: never a character of normalised text
BUCKET_BYTES = 24_000  # the average bucket aimed at, before the power of two is taken
RECORDS_PER_SHARD = 32
MISMATCH = "有不一致"
SORT_KEYS = ("score", "budget")
# What `normalise` drops: commas and every character `str.isspace` calls a space (the
# pattern's \s is the same test, Py_UNICODE_ISSPACE).
_DROPPED = re.compile(r"[\s,]")


def normalise(text: str) -> str:
    """Text as it is searched: NFKC (full-width letters, digits and ％ as ASCII), lower case,
    without spaces or commas (a thousands separator typed or not). search.js `normalise` is the
    same function."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _DROPPED.sub("", folded)


def bucket_of(key: str, buckets: int) -> int:
    """The bucket (0 <= n < buckets) of a key: FNV-1a (32 bits) of its UTF-8 bytes."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


class Summary(Protocol):
    """What the index reads of a project: `site.views.ProjectSummary` (not imported: the site
    view imports this package)."""

    file: str  # content-relative path of the form
    year: int
    name: str
    unit: str
    department: str
    id: str
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    total: Decimal
    declared_total: Decimal | None
    grade: str | None
    in_review: bool

    @property
    def department_key(self) -> str:
        """Who the 主管部门 is (`urls.department_key`): the 主管部门 filter's value."""

    @property
    def page(self) -> str:
        """The project page's site path."""


@dataclass(frozen=True)
class Record:
    """What the index knows of one project: its searchable fields (as printed) and its card.

    `budget` and `executed` in 元 (None where the form prints none); `rate` in percent;
    `total` the 复核 total and `declared` the 申报 one (None where the form prints none);
    `mismatch` whether a figure the form declares disagrees with the rules or with another
    (the 复核 pages' forms, `ProjectSummary.in_review`); `grade` as shown (a form
    cut off has none: `formats.UNGRADED`); `department_key` who the department is
    (`urls.department_key`), the value of its filter: two departments of one name are two."""

    page: str
    year: int
    name: str
    unit: str
    department: str
    id: str
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    total: Decimal
    declared: Decimal | None
    grade: str
    mismatch: bool
    department_key: str = ""

    @classmethod
    def of(cls, summary: Summary) -> Record:
        """The record of a project as listings show it."""
        return cls(
            summary.page,
            summary.year,
            summary.name,
            summary.unit,
            summary.department,
            summary.id,
            summary.budget,
            summary.executed,
            summary.rate,
            summary.total,
            summary.declared_total,
            grade_text(summary.grade),
            summary.in_review,
            summary.department_key,
        )

    def figures(self) -> list[str]:
        """The figures a reader may type, as the site and the form print them: the money in
        元 (86870000) and in 万元 (8687.00), the rate (20.10%), the totals (97.5)."""
        shown = []
        for money in (self.budget, self.executed):
            if money is not None:
                shown += [plain(money), wan_text(money)]
        if self.rate is not None:
            shown.append(percent_text(self.rate))
        return shown

    def fields(self) -> list[str]:
        """The normalised fields, in the order of FIELDS (the figures as one field each)."""
        texts = [self.name, self.unit, self.department, self.id, *self.figures()]
        return [normalise(text) for text in texts]

    def filters(self) -> dict[str, str]:
        """Filter name -> value, the names of the search page's selects."""
        values = {"year": str(self.year), "grade": self.grade, "unit": self.unit}
        if self.department:
            values["dept"] = self.department_key
        if self.mismatch:
            values["mismatch"] = MISMATCH
        return values

    def card(self) -> list[object]:
        """What a result card shows, in the order search.js reads it: page, name, unit,
        department, year, budget and executed (万元), rate, 申报 (as typed: 92.50) and 复核
        (97.5) totals, grade, mismatch (1 or 0)."""
        return [
            self.page,
            self.name,
            self.unit,
            self.department,
            self.year,
            wan_text(self.budget, ""),
            wan_text(self.executed, ""),
            percent_text(self.rate, ""),
            declared_text(self.declared, ""),
            figure_text(self.total),
            self.grade,
            int(self.mismatch),
        ]


def ordered(records: Iterable[Record]) -> list[Record]:
    """The records in their index order: newest year first, then department, unit, name, id."""
    return sorted(records, key=lambda r: (-r.year, r.department, r.unit, r.name, r.id, r.page))


def postings(records: list[Record]) -> dict[str, array[int]]:
    """Key -> its places, flat, as pairs of (record number, place; -1 for a filter key), in
    record order; records are numbered in the order given. Held as machine integers (4 bytes
    a number, where a list of Python integers took 36): the deltas written are made a bucket
    at a time (`as_written`)."""
    places: dict[str, array[int]] = {}
    get = places.get
    last = len(FIELDS) - 1
    for number, record in enumerate(records):
        seen: set[str] = set()
        for field, text in enumerate(record.fields()):
            base = min(field, last) * FIELD_SPAN
            # the bigram at each offset (the last one reaching past FIELD_SPAN - 1 as before),
            # then each character the record has not had yet, at its first place
            for offset in range(min(len(text) - 1, FIELD_SPAN - 1)):
                key = text[offset : offset + 2]
                found = get(key)
                if found is None:
                    found = places[key] = array("i")
                found.append(number)
                found.append(base + offset)
            for offset, char in enumerate(text[: FIELD_SPAN - 1]):
                if char not in seen and char not in FUNCTION_CHARACTERS:
                    seen.add(char)
                    _add(places, char, number, base + offset)
        for name, value in record.filters().items():
            _add(places, f"{FILTER_KEY}{name}={value}", number, -1)
    return places


def _add(places: dict[str, array[int]], key: str, number: int, place: int) -> None:
    found = places.get(key)
    if found is None:
        found = places[key] = array("i")
    found.append(number)
    found.append(place)


def as_written(key: str, flat: Sequence[int]) -> list[int]:
    """A key's postings as written, from its flat (record number, place) pairs: for a bigram
    or a character, pairs of (record number minus the previous pair's record number, place);
    for a filter key, record numbers minus the previous one."""
    numbers = flat[0::2]
    deltas = [number - before for number, before in zip(numbers, [0, *numbers[:-1]], strict=True)]
    if key.startswith(FILTER_KEY):
        return deltas
    out = [0] * len(flat)
    out[0::2] = deltas
    out[1::2] = flat[1::2]
    return out


def written_size(key: str, flat: Sized) -> int:
    """What the size estimate counts of a key (in bytes, roughly) from its flat (record
    number, place) pairs: its characters and its written numbers."""
    numbers = len(flat) // 2 if key.startswith(FILTER_KEY) else len(flat)
    return len(key) * 3 + 8 + 4 * numbers


def dumps(value: object) -> bytes:
    """A file of the index: compact UTF-8 JSON, keys sorted."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sort_order(records: list[Record], key: str) -> list[int]:
    """The record numbers of `order-<key>.json`: by `key` (one of SORT_KEYS: the 复核 total
    or the budget, none as 0), ascending, then by number."""

    def value(number: int) -> Decimal:
        record = records[number]
        return record.total if key == "score" else (record.budget or Decimal(0))

    return sorted(range(len(records)), key=lambda n: (value(n), n))


def index_files(summaries: Iterable[Summary]) -> dict[str, bytes]:
    """The substring index of the projects: site path (under FOLDER) -> bytes, as described
    above (`index_pieces`, held together). An empty site gives a meta file with no records."""
    return dict(index_pieces(summaries))


def index_pieces(summaries: Iterable[Summary]) -> Iterator[tuple[str, bytes]]:
    """The files of the substring index one at a time, (site path under FOLDER, bytes): each
    bucket's postings are made into its file and let go before the next."""
    records = ordered(Record.of(summary) for summary in summaries)
    keys = postings(records)
    size = sum(written_size(key, flat) for key, flat in keys.items())
    buckets = bucket_count(size)
    grouped: list[list[str]] = [[] for _ in range(buckets)]
    for key in keys:
        grouped[bucket_of(key, buckets)].append(key)
    for n, group in enumerate(grouped):
        yield (
            f"{FOLDER}/keys/{n}.json",
            dumps({key: as_written(key, keys.pop(key)) for key in group}),
        )
    del keys
    for start in range(0, len(records), RECORDS_PER_SHARD):
        shard = [r.card() for r in records[start : start + RECORDS_PER_SHARD]]
        yield f"{FOLDER}/records/{start // RECORDS_PER_SHARD}.json", dumps(shard)
    for key in SORT_KEYS:
        yield f"{FOLDER}/order-{key}.json", dumps(sort_order(records, key))
    yield f"{FOLDER}/meta.json", dumps(meta_of(buckets, len(records), size))


def bucket_count(size: int) -> int:
    """How many bucket files an index of `size` (`written_size` summed over its keys) is
    cut into: the least power of two averaging at most BUCKET_BYTES."""
    buckets = 1
    while size > buckets * BUCKET_BYTES:
        buckets *= 2
    return buckets


def meta_of(buckets: int, records: int, size: int) -> dict[str, object]:
    """What `meta.json` says: the layout search.js reads, and `size`, the written size the
    bucket count was chosen by (read by an edit's update, `substring_update`; search.js
    ignores it)."""
    return {
        "format": FORMAT,
        "buckets": buckets,
        "records": records,
        "size": size,
        "per_shard": RECORDS_PER_SHARD,
        "field_span": FIELD_SPAN,
        "fields": list(FIELDS),
        "function_characters": FUNCTION_CHARACTERS,
        "filter_key": FILTER_KEY,
        "sorts": list(SORT_KEYS),
    }


def same_records(
    published_meta: Path,
    summaries: Sequence[Summary],
    previous: Mapping[str, Summary],
    changed: Iterable[str],
    removed: int,
) -> bool:
    """Whether an incremental build's projects give the records of the published index, so
    that every file of it would be written as published (each is a function of the records
    alone, and a change of the code makes a full build): no form removed (`removed`, a count),
    every re-read form (`changed` paths, `previous` their last build's summaries by
    content-relative path) published before and giving the record it gave then (compared by
    `repr`: 1.0 and 1.00 are printed apart), and as many records as the published
    `meta.json` counts. O(forms re-read), plus a look-up table of `summaries` (each with its
    `file`). False when the meta cannot be read."""
    if removed or any(rel not in previous for rel in changed):
        return False
    try:
        meta = json.loads(published_meta.read_bytes())
    except (OSError, ValueError):
        return False
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return False
    if meta.get("records") != len(summaries):
        return False
    now = {summary.file: summary for summary in summaries}
    for rel, before in previous.items():
        after = now.get(rel)
        if after is None or repr(Record.of(after)) != repr(Record.of(before)):
            return False
    return True
