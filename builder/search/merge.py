"""The reader's bundles: each year's search parts merged into one Pagefind bundle.

Parts (`pagefind.py`) are sized for indexing: an edit re-indexes one part of a few hundred
pages. They are the wrong size for reading: Pagefind reads, for every word of a query, the
index chunk holding it in each bundle merged in the browser, a chunk being about 20,000
entries (`CHUNK_ENTRIES`) however few of them the word has; with 64 parts at 10,000 projects
that was 64 chunks a word, 1.4-3.6 MB a query. So the reader is given one bundle per year,
`pagefind/<year>/`, merged here from the year's parts (`pagefind/<year>/<part>/`, which keep
their index, meta, filter and sort files but neither their fragments nor Pagefind's runtime):

- pages are numbered part after part (in the order of the parts' numbers), each part's pages
  in its own order; a word's pages, delta-coded by Pagefind, are joined by re-basing the first
  page of each part's list on the last page of the list before it; locations are left as
  they are;
- the words, sorted, are cut into chunks as Pagefind cuts them (`chunk`), each named by a hash
  of its bytes;
- filters are joined value by value (page numbers offset); sort orders are made from each
  page's sort value, which Pagefind does not keep: `SORTS_FILE` in each part, read from the
  pages' `data-pagefind-sort` elements when they were indexed (`sort_values`);
- the fragments (one per page) are the parts' own files, under their own names.

The merged bundle is a function of its parts' files alone, so an incremental build (one part
indexed anew, the others read back from the published site) gives the bytes a full build gives.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import cbor2

ENTRY_FILE = "pagefind-entry.json"
LANGUAGE = "zh-cn"  # the one language of every page (pagefind.LANGUAGE)
SORTS_FILE = "sorts.json"  # a part's sort values: key -> value of each page, in page order
CHUNK_ENTRIES = 20_000  # Pagefind's own chunk size: locations and pages of the words in a chunk
SIGNATURE = b"pagefind_dcd"
LEVEL = 6  # gzip level of the merged chunks: 9 costs twice the time for 3 % fewer bytes
# What of Pagefind's files the merge reads (1.6): the meta is [version, pages, chunks, filters,
# sorts, meta fields]; a page is [hash, word count, ...]; a chunk is [from, to, hash]; an
# index chunk is [[word, [[page delta, locations, meta locations], ...], ...], ...]; a filter
# file is [name, [[value, [page, ...]], ...]].
META_PAGES, META_CHUNKS, META_FILTERS, META_SORTS, META_FIELDS = 1, 2, 3, 4, 5
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


def chunk(words: Sequence[list[object]]) -> list[list[list[object]]]:
    """Sorted words ([word, pages, ...]) cut into chunks as Pagefind cuts them: a chunk ends
    once it holds CHUNK_ENTRIES locations and pages."""
    chunks: list[list[list[object]]] = []
    current: list[list[object]] = []
    size = 0
    for word in words:
        size += sum(len(page[1]) + 1 for page in word[1])  # type: ignore[arg-type, index]
        current.append(word)
        if size >= CHUNK_ENTRIES:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


class _Merged:
    """The year's index as it is merged, part after part."""

    def __init__(self) -> None:
        self.words: dict[str, list[object]] = {}  # word -> [word, pages, extra], last page
        self.last: dict[str, int] = {}
        self.pages: list[list[object]] = []
        self.filters: dict[str, dict[str, list[int]]] = {}
        self.sorts: dict[str, list[tuple[str, int]]] = {}
        self.fields: set[str] = set()
        self.version = ""

    def add(self, files: Mapping[str, bytes], language: str) -> None:
        entry = json.loads(files[ENTRY_FILE])
        meta_name = f"pagefind.{entry['languages'][language]['hash']}.pf_meta"
        meta = read_pagefind(files[meta_name], meta_name)
        offset = len(self.pages)
        self.version = self.version or meta[0]
        self.pages += meta[META_PAGES]
        for _, _, name in meta[META_CHUNKS]:
            for word in read_pagefind(files[f"index/{name}.pf_index"], name)[0]:
                self._add_word(word, offset)
        for _, name in meta[META_FILTERS]:
            filter_name, values = read_pagefind(files[f"filter/{name}.pf_filter"], name)
            merged = self.filters.setdefault(filter_name, {})
            for value, pages, *_ in values:
                merged.setdefault(value, []).extend(page + offset for page in pages)
        for key, values in json.loads(files[SORTS_FILE]).items():
            self.sorts.setdefault(key, []).extend(
                (value, offset + page) for page, value in enumerate(values)
            )
        if len(meta) > META_FIELDS:
            self.fields.update(meta[META_FIELDS])

    def _add_word(self, word: list[object], offset: int) -> None:
        text, pages = word[0], word[1]
        absolute = offset
        for page in pages:  # type: ignore[attr-defined]
            absolute += page[0]
        known = self.words.get(text)  # type: ignore[arg-type]
        if known is None:
            pages[0][0] += offset  # type: ignore[index]
            self.words[text] = word  # type: ignore[index]
        else:
            pages[0][0] += offset - self.last[text]  # type: ignore[index]
            known[1] += pages  # type: ignore[operator]
        self.last[text] = absolute  # type: ignore[index]


def _sort_order(values: list[tuple[str, int]]) -> list[int]:
    """Page numbers in the order of their values: as numbers when every value is one (as
    Pagefind decides), else as text; equal values in page order."""
    try:
        keyed = [(float(value), page) for value, page in values]
    except ValueError:
        return [page for _, page in sorted((value, page) for value, page in values)]
    return [page for _, page in sorted(keyed)]


def merge_parts(parts: Sequence[Mapping[str, bytes]], language: str) -> dict[str, bytes]:
    """One bundle of the parts' pages, in the order given: bundle-relative path -> bytes of
    its entry, meta, index chunk and filter files (not the fragments: each part's own, by the
    name the meta gives them). Raises MergeError when a part is not laid out as described."""
    merged = _Merged()
    try:
        for files in parts:
            merged.add(files, language)
        first_entry = json.loads(parts[0][ENTRY_FILE]) if parts else {"languages": {}}
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise MergeError(f"a search part unlike the ones jixiao merges ({error!r})") from error
    files: dict[str, bytes] = {}
    chunks = []
    cut = chunk([merged.words[word] for word in sorted(merged.words)])
    for words in cut:
        data = pagefind_bytes([words], LEVEL)
        name = _named(language, data, files)
        files[f"index/{name}.pf_index"] = data
        chunks.append([words[0][0], words[-1][0], name])
    for before, after in itertools.pairwise(chunks):
        before[1], after[0] = _prefixes(before[1], after[0])
    filters = []
    for filter_name in sorted(merged.filters):
        values = sorted([value, pages] for value, pages in merged.filters[filter_name].items())
        data = pagefind_bytes([filter_name, values])
        name = _named(language, data, files)
        files[f"filter/{name}.pf_filter"] = data
        filters.append([filter_name, name])
    sorts = [[key, _sort_order(merged.sorts[key])] for key in sorted(merged.sorts)]
    meta = [merged.version, merged.pages, chunks, filters, sorts, sorted(merged.fields)]
    data = pagefind_bytes(meta)
    meta_hash = _named(language, data, {}, 13)
    files[f"pagefind.{meta_hash}.pf_meta"] = data
    entry = {key: value for key, value in first_entry.items() if key != "languages"}
    entry["languages"] = {
        language: {"hash": meta_hash, "wasm": None, "page_count": len(merged.pages)}
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


class _PartIndex(Protocol):
    """A part indexed in this build (`pagefind.PartIndex`)."""

    files: dict[str, bytes]
    fragments: dict[str, bytes]
    runtime: dict[str, bytes]


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file under a bundle folder, by its bundle-relative path."""
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def _published_files(folder: Path) -> list[str]:
    """The reader bundle's own files in a published year folder (not its parts' folders)."""
    if not folder.is_dir():
        return []
    names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    for sub in ("index", "filter", "fragment"):
        if (folder / sub).is_dir():
            names += [f"{sub}/{entry.name}" for entry in os.scandir(folder / sub)]
    return names


def merge_year(
    bundle: str,
    parts: Sequence[tuple[str, _PartIndex | None]],
    write: Callable[[str, bytes], object],
    published: Path | None,
    stale: list[str] | None,
) -> None:
    """Write the reader bundle `bundle` (`pagefind/<year>`) of a year's parts, given in order
    as (part bundle, its index when this build made it, else None: read back from the
    `published` site). Files published as they are now are not handed to `write`; the
    published reader files the new bundle does not have are added to `stale`. Raises
    MergeError, OSError when a part that was not indexed cannot be read."""
    sources: list[Mapping[str, bytes]] = []
    runtime: dict[str, bytes] = {}
    fragments: dict[str, bytes] = {}
    for name, index in parts:
        if index is None:
            if published is None:
                raise MergeError(f"{name}: neither indexed nor published")
            sources.append(read_folder(published / name))
        else:
            sources.append(index.files)
            runtime.update(index.runtime)
            fragments.update(index.fragments)
    files = merge_parts(sources, LANGUAGE)
    kept = set(files) | set(runtime) | set(fragment_names(files, LANGUAGE))
    files.update(runtime)
    files.update(fragments)
    for name in sorted(files):
        if published is not None and _same(published / bundle / name, files[name]):
            continue
        write(f"{bundle}/{name}", files[name])
    if published is not None and stale is not None:
        gone = set(_published_files(published / bundle)) - kept
        stale += [f"{bundle}/{name}" for name in sorted(gone)]


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False
