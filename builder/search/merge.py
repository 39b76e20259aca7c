"""The reader's bundles: each year's search parts merged into one Pagefind bundle.

Parts (`pagefind.py`) are sized for indexing: an edit re-indexes one part of a few hundred
pages. They are the wrong size for reading: Pagefind reads, for every word of a query, the
index chunk holding it in each bundle merged in the browser, a chunk being about 20,000
entries (`CHUNK_ENTRIES`) however few of them the word has; with 64 parts at 10,000 projects
that was 64 chunks a word, 1.4-3.6 MB a query. So the reader is given one bundle per year,
`pagefind/<year>/`, merged here from the year's parts (`pagefind/<year>/<part>/`, each one PART_FILE):

- a part, once indexed, is kept as one file, PART_FILE (`part_record`): its pages, filters,
  sort values and, per word, its entry pre-encoded (`_word_slices`);
- pages are numbered part after part (in the order of the parts' numbers), each part's pages
  in its own order; a word's pages, delta-coded by Pagefind, are joined by re-basing the first
  page of each part's list on the last page of the list before it: the rest of each part's
  bytes are copied as they are, so a merge does no CBOR work on locations (`_word_bytes`);
- the words, sorted, are cut into chunks as Pagefind cuts them (about CHUNK_ENTRIES each),
  each named by a hash of its bytes;
- filters are joined value by value (page numbers offset); sort orders are made from each
  page's sort value, which Pagefind does not keep: read from the pages'
  `data-pagefind-sort` elements when they were indexed (`sort_values`);
- the fragments (one per page) are the parts' own files, under their own names.

The merged bundle is a function of its parts' files alone, so an incremental build (one part
indexed anew, the others read back from the published site) gives the bytes a full build gives.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import re
import struct
from collections.abc import Iterable, Mapping, Sequence

import cbor2
from cbor2 import CBORError

from .partread import PartReader, merged_words

ENTRY_FILE = "pagefind-entry.json"
LANGUAGE = "zh-cn"  # the one language of every page (pagefind.LANGUAGE)
# A part's index as the merge reads it (`part_record`). The number is the record's layout: a
# jixiao that writes another names it anew, so that its first build indexes every part again.
PART_FILE = "part-1.cbor.gz"
CHUNK_ENTRIES = 20_000  # Pagefind's own chunk size: locations and pages of the words in a chunk
SIGNATURE = b"pagefind_dcd"
LEVEL = 4  # gzip level of the merged chunks: 6 costs three times the time for 5 % fewer bytes
# What of Pagefind's files the merge reads (1.6): the meta is [version, pages, chunks, filters,
# sorts, meta fields]; a page is [hash, word count, ...]; a chunk is [from, to, hash]; an
# index chunk is [[word, [[page delta, locations, meta locations], ...], ...], ...]; a filter
# file is [name, [[value, [page, ...]], ...]].
META_PAGES, META_CHUNKS, META_FILTERS, META_SORTS, META_FIELDS = 1, 2, 3, 4, 5
_SMALL_HEADS = tuple(
    tuple(bytes([major << 5 | value]) for value in range(24)) for major in range(8)
)
_SORT = re.compile(r'data-pagefind-sort="([^"]+)"[^>]*>([^<]*)<')


class MergeError(ValueError):
    """A part's files are not laid out as described above (a Pagefind outside the versions
    pyproject.toml allows)."""


def read_pagefind(data: bytes, name: str) -> object:
    """A Pagefind index file's content: gzip of SIGNATURE + CBOR. Raises MergeError."""
    try:
        data = gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise MergeError(f"{name}: not a whole gzip file ({error})") from error
    if not data.startswith(SIGNATURE):
        raise MergeError(f"{name}: not a Pagefind index file")
    return cbor2.loads(data[len(SIGNATURE) :])


def pagefind_bytes(value: object, level: int = 9) -> bytes:
    """A Pagefind index file of `value` (gzip without a date: the same value, the same bytes)."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=level, mtime=0)


def sort_values(html: str) -> dict[str, str]:
    """A page's sort keys and values (`data-pagefind-sort="key">value<`, as the project
    template writes them: the value is the element's text)."""
    return {key: value.strip() for key, value in _SORT.findall(html)}


def _named(language: str, data: bytes, taken: Mapping[str, object], length: int = 7) -> str:
    digest = hashlib.sha256(data).hexdigest()
    while f"{language}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    return f"{language}_{digest[:length]}"


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest prefixes that tell the last word of a chunk (a) from the first of the next
    (b), as Pagefind's `get_prefixes` makes them."""
    common = 0
    for x, y in zip(b, a, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def _head(major: int, value: int) -> bytes:
    """A CBOR head: major type and argument, in its shortest form (as cbor2 and Pagefind's
    minicbor write it)."""
    if value < 24:
        return _SMALL_HEADS[major][value]
    for extra, size, form in ((24, 256, ">B"), (25, 1 << 16, ">H"), (26, 1 << 32, ">I")):
        if value < size:
            return bytes([major << 5 | extra]) + struct.pack(form, value)
    return bytes([major << 5 | 27]) + struct.pack(">Q", value)


def _read_head(data: bytes, at: int) -> tuple[int, int]:
    """The argument of the CBOR head at `at` and where the head ends."""
    info = data[at] & 31
    if info < 24:
        return info, at + 1
    if info > 27:  # an indefinite length: Pagefind writes none
        raise MergeError(f"a CBOR head jixiao does not read ({data[at]:#x})")
    size = 1 << (info - 24)
    return int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _word_slices(data: bytes, name: str) -> list[list[object]]:
    """Each word of a Pagefind index chunk, as the part's entry of it, its bytes cut out of
    Pagefind's own so that joining parts costs no CBOR work: [word, entry width, CBOR of the
    entry's items after the pages, pages, first page's delta, the first page's width, CBOR of
    everything after that delta up to those items, last page, locations and pages (the chunk
    size)]. Raises MergeError."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise MergeError(f"{name}: not a whole gzip file ({error})") from error
    if not raw.startswith(SIGNATURE) or raw[len(SIGNATURE)] != 0x81:  # [words]
        raise MergeError(f"{name}: not a Pagefind index chunk")
    stream = io.BytesIO(raw)
    count, start = _read_head(raw, len(SIGNATURE) + 1)
    stream.seek(start)
    decoder = cbor2.CBORDecoder(stream)
    slices = []
    for _ in range(count):
        width, at = _read_head(raw, start)  # the word's array: [text, pages, ...]
        length, at = _read_head(raw, at)
        text = raw[at : at + length].decode("utf-8")
        stream.seek(at + length)
        pages = decoder.decode()
        pages_end = stream.tell()
        for _ in range(width - 2):
            decoder.decode()
        end = stream.tell()
        _, first = _read_head(raw, at + length)  # the pages' array
        _, first = _read_head(raw, first)  # the first page's array
        _, after = _read_head(raw, first)  # its delta
        slices.append(
            [
                text,
                width,
                raw[pages_end:end],
                len(pages),
                pages[0][0],
                len(pages[0]),
                raw[after:pages_end],
                sum(page[0] for page in pages),
                sum(len(page[1]) + 1 for page in pages),
            ]
        )
        start = end
    return slices


def part_record(files: Mapping[str, bytes], sorts: Mapping[str, list[str | None]]) -> bytes:
    """The part's index as the merge reads it (PART_FILE), from Pagefind's files of the part
    and its pages' sort values (key -> value of each page, in page order): its pages, meta
    fields, filters, sort values and words (`_word_slices`). Raises MergeError."""
    try:
        entry = json.loads(files[ENTRY_FILE])
        meta_name = f"pagefind.{entry['languages'][LANGUAGE]['hash']}.pf_meta"
        meta = read_pagefind(files[meta_name], meta_name)
        words = [
            word
            for _, _, name in meta[META_CHUNKS]
            for word in _word_slices(files[f"index/{name}.pf_index"], name)
        ]
        filters = {}
        for _, name in meta[META_FILTERS]:
            filter_name, values = read_pagefind(files[f"filter/{name}.pf_filter"], name)
            filters[filter_name] = {value[0]: value[1] for value in values}
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise MergeError(f"a search part unlike the ones jixiao merges ({error!r})") from error
    record = {
        "version": meta[0],
        "pages": meta[META_PAGES],
        "fields": meta[META_FIELDS] if len(meta) > META_FIELDS else [],
        "filters": filters,
        "sorts": dict(sorts),
        "words": words,
    }
    return gzip.compress(cbor2.dumps(record, canonical=True), compresslevel=1, mtime=0)


def _word_bytes(text: str, entries: list[tuple[int, list]]) -> bytes:
    """The CBOR of a word's entry over the parts that have it ((page offset, slice) in part
    order): each part's first page re-based on the last page of the part before."""
    width, tail = entries[0][1][1], entries[0][1][2]
    encoded = text.encode("utf-8")
    out = [_head(4, width), _head(3, len(encoded)), encoded]
    out.append(_head(4, sum(entry[3] for _, entry in entries)))
    previous = 0
    for offset, entry in entries:
        out += [_head(4, entry[5]), _head(0, offset + entry[4] - previous), entry[6]]
        previous = offset + entry[7]
    out.append(tail)
    return b"".join(out)


def _sort_order(values: list[tuple[str, int]]) -> list[int]:
    """Page numbers in the order of their values: as numbers when every value is one (as
    Pagefind decides), else as text; equal values in page order."""
    try:
        keyed = [(float(value), page) for value, page in values]
    except ValueError:
        return [page for _, page in sorted((value, page) for value, page in values)]
    return [page for _, page in sorted(keyed)]


def _chunks(
    words: Iterable[tuple[str, list[tuple[int, list]]]], language: str, files: dict
) -> list:
    """Write the index chunks of `words` ((text, its entries), in the order of the texts) into
    `files`; returns the meta's [from, to, hash] of each."""
    chunks: list[list[str]] = []
    current: list[bytes] = []
    size, first, last = 0, "", ""

    def close() -> None:
        body = SIGNATURE + _head(4, 1) + _head(4, len(current)) + b"".join(current)
        data = gzip.compress(body, compresslevel=LEVEL, mtime=0)
        name = _named(language, data, files)
        files[f"index/{name}.pf_index"] = data
        chunks.append([first, last, name])

    for text, entries in words:
        if not current:
            first = text
        current.append(_word_bytes(text, entries))
        last = text
        size += sum(entry[8] for _, entry in entries)
        if size >= CHUNK_ENTRIES:
            close()
            current, size = [], 0
    if current:
        close()
    for before, after in itertools.pairwise(chunks):
        before[1], after[0] = _prefixes(before[1], after[0])
    return chunks


def merge_parts(parts: Sequence[bytes], language: str) -> dict[str, bytes]:
    """One bundle of the parts' pages (their PART_FILEs, in order): bundle-relative path ->
    bytes of its entry, meta, index chunk and filter files (not the fragments: each part's
    own, by the name the meta gives them). The parts' words are read as a stream
    (`partread.py`): what is held is the parts' pages, sort values and filters, and the
    chunks written. Raises MergeError when a part is not one."""
    pages: list[object] = []
    filters: dict[str, dict[str, list[int]]] = {}
    sorts: dict[str, list[tuple[str, int]]] = {}
    fields: set[str] = set()
    version = ""
    files: dict[str, bytes] = {}
    try:
        readers = []
        for data in parts:
            reader = PartReader(data)
            offset = len(pages)
            pages += reader.pages
            for key, values in reader.sorts.items():
                sorts.setdefault(key, []).extend(
                    (value, offset + n) for n, value in enumerate(values) if value is not None
                )
            readers.append((offset, reader))
        chunks = _chunks(merged_words(readers), language, files)
        for offset, reader in readers:
            rest = reader.rest()
            version = version or rest["version"]
            fields.update(rest["fields"])
            for name, values in rest["filters"].items():
                merged = filters.setdefault(name, {})
                for value, numbers in values.items():
                    merged.setdefault(value, []).extend(n + offset for n in numbers)
    except (OSError, EOFError, KeyError, IndexError, TypeError, ValueError, CBORError) as error:
        raise MergeError(f"a search part unlike the ones jixiao merges ({error!r})") from error
    meta_filters = []
    for filter_name in sorted(filters):
        values = sorted([value, numbers] for value, numbers in filters[filter_name].items())
        data = pagefind_bytes([filter_name, values])
        name = _named(language, data, files)
        files[f"filter/{name}.pf_filter"] = data
        meta_filters.append([filter_name, name])
    meta_sorts = [[key, _sort_order(sorts[key])] for key in sorted(sorts)]
    meta = [version, pages, chunks, meta_filters, meta_sorts, sorted(fields)]
    data = pagefind_bytes(meta)
    meta_hash = _named(language, data, {}, 13)
    files[f"pagefind.{meta_hash}.pf_meta"] = data
    entry = {
        "version": version,
        "languages": {language: {"hash": meta_hash, "wasm": None, "page_count": len(pages)}},
    }
    files[ENTRY_FILE] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return files


def fragment_names(files: Mapping[str, bytes], language: str) -> list[str]:
    """The bundle-relative paths of the fragments a bundle's meta names (`fragment/<hash>
    .pf_fragment`, one per page). Raises MergeError."""
    try:
        entry = json.loads(files[ENTRY_FILE])
        meta_name = f"pagefind.{entry['languages'][language]['hash']}.pf_meta"
        meta = read_pagefind(files[meta_name], meta_name)
        return [f"fragment/{page[0]}.pf_fragment" for page in meta[META_PAGES]]
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise MergeError(f"a search bundle unlike the ones jixiao merges ({error!r})") from error
