"""Search: Pagefind indexes of the project pages, in parts merged into one bundle a year.

The extended Pagefind binary segments Chinese text into words. Each year's units are spread
over a few parts by a hash of the unit's folder name; each part is indexed on its own and kept
as one record under `pagefind/<year>/<part>/`, and the year's parts are merged into the one
bundle the search page reads, `pagefind/<year>/` (`merge.py`; the page merges the years in
the browser, `mergeIndex`). An edit re-indexes only the parts whose pages changed, a few
hundred pages, and merges their years; no indexer holds more than one part in memory. Each
part is one task of the build's executor (`executor.py`: threads here, or a Dask worker),
indexed by one Pagefind process (`index_pages`); the merges run in the building process.
Only project pages carry `data-pagefind-body`. Filters (年度, 主管部门, 实施单位, 等次, 项目标识)
and sort keys (score, budget) come from attributes in the project template.

Pagefind numbers the pages in the order it is given them, and that order is in its index
files: the pages are handed to it one by one in the order of their site paths (its service
mode, `service.py`), never as a folder to walk, whose order is the file system's. Its files
come back in memory, are made canonical (`canonical_files`) and are written by the caller's
checked writer: the same pages give the same bytes on any machine and file system, and a
write the disk refuses is an error, never a short file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SetupError
from ..executor_local import LocalExecutor
from .indexed import indexed_html
from .merge import (
    LANGUAGE as MERGED_LANGUAGE,
)
from .merge import (
    PART_FILE,
    MergeError,
    merge_year,
    pagefind_bytes,
    part_record,
    read_pagefind,
    sort_values,
    write_fragments,
)
from .reuse import published_runtime, regrouped_years, year_as_published
from .service import Indexer, ServiceError

if TYPE_CHECKING:
    from ..executor import Executor

BUNDLE = "pagefind"
INDEX_TIMEOUT = 1800  # seconds for one part's pages
LANGUAGE = MERGED_LANGUAGE  # every page is indexed as Chinese: the extended Pagefind segments words
PAGE = "index.html"  # a project page: <year>/<unit>/<id>/index.html
# A year is split into the least power of two of parts that keeps them at most this many pages
# on average. Pagefind indexes about 400 pages a second: a part this size takes about a third
# of a second, and its year's merge (`merge.py`) about as long at 2,500 pages a year; the
# browser reads the merged year, whatever the count of parts. Powers of two keep a unit's part
# when the year grows, until the count doubles.
PART_PAGES = 128
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)

# What of Pagefind's index we read and rewrite (pagefind 1.3 to 1.6; pyproject.toml bounds it
# below 1.7, and tests/test_search_parts.py names each of these if a new version moves one):
# - pagefind-entry.json: {"languages": {language: {"hash": ..., "page_count": ...}}};
# - pagefind.<hash>.pf_meta and filter/<hash>.pf_filter: gzip of b"pagefind_dcd" + CBOR;
# - the meta is a list: [3] the filters as [name, filter hash], [4] the sort keys as [name, ...];
# - a filter file is [filter name, values], each value a list that starts with the value;
# - pagefind.js loads "pagefind.<hash>.pf_meta" and "filter/<hash>.pf_filter" by those hashes.
ENTRY_FILE = "pagefind-entry.json"
META_FILTERS = 3
META_SORTS = 4


@dataclass(frozen=True)
class SearchPart:
    """One Pagefind bundle: the project pages of some units of one year."""

    year: int
    number: int
    of: int  # parts in its year
    units: tuple[str, ...]
    pages: int

    @property
    def bundle(self) -> str:
        """Site path of the bundle. The part count is in the name: when a year is split anew,
        every part of it gets a new name, so no bundle is mistaken for one of the old split."""
        return f"{BUNDLE}/{self.year}/{self.number:02d}-of-{self.of:02d}"

    @property
    def reader(self) -> str:
        """Site path of the bundle the search page loads: its year's, merged from the year's
        parts (`merge.py`)."""
        return f"{BUNDLE}/{self.year}"


def unit_part(unit: str, parts: int) -> int:
    """The part (0 <= part < parts) of a unit's pages: a stable hash of its folder name."""
    digest = hashlib.blake2b(unit.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % parts


def search_parts(pages: Mapping[tuple[int, str], int]) -> list[SearchPart]:
    """The parts for (year, unit) -> project pages, newest year first."""
    by_year: dict[int, dict[str, int]] = {}
    for (year, unit), count in pages.items():
        by_year.setdefault(year, {})[unit] = count
    parts: list[SearchPart] = []
    for year in sorted(by_year, reverse=True):
        units = by_year[year]
        total = sum(units.values())
        count = 1
        while total > count * PART_PAGES:
            count *= 2
        members: dict[int, list[str]] = {}
        for unit in sorted(units):
            members.setdefault(unit_part(unit, count), []).append(unit)
        parts += [
            SearchPart(year, number, count, tuple(names), sum(units[u] for u in names))
            for number, names in sorted(members.items())
        ]
    return parts


def parts_of_tree(site_dir: Path) -> list[SearchPart]:
    """The parts for the project pages found in a written site (`<year>/<unit>/<id>/`)."""
    pages: dict[tuple[int, str], int] = {}
    for page in site_dir.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"):
        key = (int(page.parts[-4]), page.parts[-3])
        pages[key] = pages.get(key, 0) + 1
    return search_parts(pages)


class PagefindMissing(SetupError):
    """The Pagefind indexer (`pagefind[extended]`) is not installed: the message says how to
    install it."""


class SearchIndexError(RuntimeError):
    """Pagefind ran but failed on the pages it was given, or wrote an index unlike the one this
    version of jixiao rewrites. Not the user's to fix: the command reports it as an internal
    error (a folder name jixiao should have refused, a Pagefind version outside the bound in
    pyproject.toml)."""


# Pagefind 1.6.0 from the npm registry, unpacked by `bash .ci/setup` into the environment's
# bin/ (.venv/bin/; PyPI's package stops at 1.5.2, whose indexer cut Chinese otherwise than
# the browser does); JIXIAO_PAGEFIND names another binary.
TOOLS_BINARY = Path(sys.prefix) / "bin" / "pagefind_extended"


def _executable() -> str:
    # The indexer binary run directly, not Pagefind's Python service: the service shares one
    # pipe for its protocol and its log, and a warning printed there now and then broke a
    # reply; the binary has an exit status and nothing to parse. The first of: the
    # JIXIAO_PAGEFIND variable, the binary `.ci/setup` installs, the pagefind[extended] package.
    chosen = os.environ.get("JIXIAO_PAGEFIND")
    if chosen:
        return chosen
    if os.access(TOOLS_BINARY, os.X_OK):
        return str(TOOLS_BINARY)
    try:
        import pagefind_bin_extended
    except ImportError as error:
        raise PagefindMissing(
            "没有安装 Pagefind 搜索索引程序 / the Pagefind indexer is not installed: "
            "bash .ci/setup (Pagefind 1.6.0 into .venv/bin/), or "
            "pip install 'pagefind[extended]<1.7'"
        ) from error
    return str(pagefind_bin_extended.get_executable())


def pagefind_binary() -> str:
    """The path of the Pagefind binary the search stage runs on this machine (the first of
    the places named above). Raises PagefindMissing when there is none."""
    return _executable()


def part_pages(site_dir: Path, part: SearchPart) -> list[str]:
    """Site paths of the part's project pages found in site_dir (`<year>/<unit>/<id>/index.html`),
    sorted: the order Pagefind numbers them in."""
    pages = []
    for unit in part.units:
        folder = site_dir / str(part.year) / unit
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        pages += [
            f"{part.year}/{unit}/{entry.name}/{PAGE}"
            for entry in entries
            if entry.is_dir() and os.path.isfile(os.path.join(entry.path, PAGE))
        ]
    return sorted(pages)


@dataclass
class PartIndex:
    """One part's index, in memory: `files` what the part's bundle keeps (its PART_FILE, by
    its bundle-relative path), `fragments` its pages' fragments and `runtime` Pagefind's
    runtime (both go to the year's reader bundle), `pages` the pages in it. What a search
    task returns: bytes only, so it travels back from a Dask worker as it is."""

    files: dict[str, bytes]
    fragments: dict[str, bytes]
    runtime: dict[str, bytes]
    pages: int


# A search part's task: the part and its pages, each as (URL, HTML), in the order of their paths.
PartPages = tuple[SearchPart, tuple[tuple[str, str], ...]]


def read_part(site_dir: Path, part: SearchPart) -> PartPages:
    """The part's project pages found in site_dir (`part_pages`), read and cut down to what
    Pagefind reads of them (`indexed.indexed_html`: the same index, for a third less of
    Pagefind's CPU): what indexing it needs, here or on a machine that has none of the
    site's files."""
    pages = part_pages(site_dir, part)
    return part, tuple((f"/{page}", indexed_html((site_dir / page).read_bytes())) for page in pages)


def index_pages(_: object, task: PartPages) -> PartIndex:
    """A task of the search stage (`Executor.map`): one part's index from its pages, by one
    Pagefind process of the machine it runs on, in memory (canonical, without the files our
    search page does not load, its words cut into the part's record). Raises PagefindMissing
    without Pagefind, ServiceError when Pagefind fails, SearchIndexError when its index is
    unlike the one described above."""
    sorts: list[dict[str, str]] = []
    with Indexer(_executable(), LANGUAGE, INDEX_TIMEOUT) as indexer:
        for url, html in task[1]:
            indexer.add(url, html)
            sorts.append(sort_values(html))
        files = indexer.files()
    for name in UNUSED_FILES:  # our own search page uses only the JavaScript API
        files.pop(name, None)
    entry = canonical_files(files)
    keys = sorted({key for values in sorts for key in values})
    record = part_record(files, {key: [values.get(key) for values in sorts] for key in keys})
    fragments = {name: files.pop(name) for name in sorted(files) if name.startswith("fragment/")}
    runtime = {name: files.pop(name) for name in RUNTIME_FILES if name in files}
    pages = sum(int(info.get("page_count", 0)) for info in entry["languages"].values())
    return PartIndex({PART_FILE: record}, fragments, runtime, pages)


def _read_pagefind(data: bytes, name: str) -> object:
    try:
        return read_pagefind(data, name)
    except MergeError as error:
        raise SearchIndexError(str(error)) from error


def _short_hash(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def canonical_files(files: dict[str, bytes]) -> dict[str, object]:
    """Make a bundle (bundle-relative path -> bytes, changed in place) a function of its
    pages alone; returns its entry file's content.

    Pagefind writes the values of each filter, and the list of filters and sort keys, in hash
    map order, which changes from run to run; the file names are hashes of the contents. We
    sort those lists, rewrite the files and rename them by the hash of what they now hold, so
    two builds of the same pages give the same bytes. The page data itself is left untouched.
    Raises SearchIndexError when the bundle is not laid out as described above.
    """
    try:
        entry = json.loads(files[ENTRY_FILE])
        for language, info in entry["languages"].items():
            info["hash"] = _canonical_meta(files, language, info["hash"])
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise SearchIndexError(
            f"Pagefind gave an index unlike the one jixiao rewrites "
            f"({type(error).__name__}: {error}); install a Pagefind that pyproject.toml allows"
        ) from error
    files[ENTRY_FILE] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return entry


def _canonical_meta(files: dict[str, bytes], language: str, meta_hash: str) -> str:
    """Rewrite one language's meta file and its filter files sorted; returns the new hash."""
    meta_name = f"pagefind.{meta_hash}.pf_meta"
    meta = _read_pagefind(files.pop(meta_name), meta_name)
    renamed: dict[str, str] = {}
    for name, old in meta[META_FILTERS]:
        old_name = f"filter/{old}.pf_filter"
        filter_name, values = _read_pagefind(files.pop(old_name), old_name)
        data = pagefind_bytes([filter_name, sorted(values, key=lambda v: v[0])])
        new = f"{language}_{_short_hash(data, 7)}"
        files[f"filter/{new}.pf_filter"] = data
        renamed[name] = new
    meta[META_FILTERS] = sorted([name, renamed[name]] for name, _ in meta[META_FILTERS])
    meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda sort: sort[0])
    data = pagefind_bytes(meta)
    new_hash = f"{language}_{_short_hash(data, 13)}"
    files[f"pagefind.{new_hash}.pf_meta"] = data
    return new_hash


RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


def published_bundles(site_dir: Path) -> list[str]:
    """Site paths of the parts' bundles under site_dir/pagefind/ (`<year>/<part>/`)."""
    return sorted(
        entry.parent.relative_to(site_dir).as_posix()
        for entry in (site_dir / BUNDLE).glob(f"*/*/{PART_FILE}")
    )


def write_search_index(
    site_dir: Path,
    parts: Iterable[SearchPart],
    write: Callable[[str, bytes], object],
    jobs: int = 1,
    executor: Executor | None = None,
    *,
    every_part: Iterable[SearchPart] | None = None,
    published: Path | None = None,
    stale: list[str] | None = None,
) -> int:
    """Index the given parts' pages found in site_dir, each into its bundle, and merge each
    of their years into its reader bundle (`merge.py`); every file is handed to
    `write(site path, bytes)` (a checked writer: it raises for a refused write); returns the
    pages indexed. Each part is one task of `executor` (a Dask cluster: the task carries its
    pages, read here, and returns its index's bytes), or else of `jobs` threads here, each
    task one Pagefind process; the longest parts first. The merges run here.

    A full index is the default. An incremental one names `every_part` of the site and the
    `published` site, from which the parts not given are read back to merge their years; a
    reader file already published as is is not written again, and the site paths of those
    the new bundles no longer have are added to `stale`; a year whose parts are not the ones
    published is merged though none is given (`reuse.regrouped_years`). Raises PagefindMissing
    when Pagefind is not installed, SearchIndexError when it fails or gives an index unlike
    the one described above."""
    # A year's parts one after the other, the longest first: each year is merged as soon as
    # its parts are in, and only its parts' records are held until then.
    parts = sorted(parts, key=lambda part: (-part.year, -part.pages))
    every = sorted(parts if every_part is None else every_part, key=lambda p: p.bundle)
    regrouped = regrouped_years(
        published, ((p.reader, p.bundle) for p in every), {p.reader for p in parts}
    )
    if not parts and not regrouped:
        return 0
    runner = executor if executor is not None else LocalExecutor(jobs)
    tasks = (read_part(site_dir, part) for part in parts)
    left = {year: sum(part.year == year for part in parts) for year in {p.year for p in parts}}
    records: dict[str, bytes] = {}
    runtime: dict[str, bytes] = {}
    pages = 0
    try:
        results = runner.map(index_pages, None, tasks, waits=True)
        for part, index in zip(parts, results, strict=True):
            pages += index.pages
            for name in sorted(index.files):
                write(f"{part.bundle}/{name}", index.files[name])
            write_fragments(part.reader, index.fragments, write, published)
            records[part.bundle] = index.files[PART_FILE]
            runtime = runtime or index.runtime
            del index  # its fragments are written: only its record is kept, for the merge
            left[part.year] -= 1
            if left[part.year]:
                continue
            year = [(p.bundle, records.pop(p.bundle, None)) for p in every if p.year == part.year]
            if not year_as_published(part.reader, year, runtime, published):
                merge_year(part.reader, year, runtime, write, published, stale)
        _merge_published(regrouped, every, runtime, write, published, stale)
    except (OSError, ServiceError, ValueError) as error:
        raise SearchIndexError(f"the search index could not be built: {error}") from error
    return pages


def _merge_published(
    readers: Iterable[str],
    every: Iterable[SearchPart],
    runtime: Mapping[str, bytes],
    write: Callable[[str, bytes], object],
    published: Path | None,
    stale: list[str] | None,
) -> None:
    """Merge each reader bundle of `readers` (a year that lost a part, none of whose parts was
    indexed) from its year's parts as `published`, with the `runtime` files of a part this
    build indexed, else the ones published."""
    for reader in readers:
        year = [(part.bundle, None) for part in every if part.reader == reader]
        kept = runtime or published_runtime(published, reader, RUNTIME_FILES)
        merge_year(reader, year, kept, write, published, stale)
