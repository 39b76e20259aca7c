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
write the disk refuses is an error, never a short file. So a part's files are a function of
what Pagefind is handed, and a part handed what a part kept in the cache was is taken from
there (`partcache.py`): a template change outside the indexed text runs no Pagefind.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SetupError
from ..executor_local import LocalExecutor
from .bundles import merge_year, write_fragments
from .canonical import ENTRY_FILE as ENTRY_FILE  # what the tests read of a part
from .canonical import META_FILTERS as META_FILTERS
from .canonical import META_SORTS as META_SORTS
from .canonical import SearchIndexError, canonical_files
from .canonical import _read_pagefind as _read_pagefind
from .indexed import indexed_html
from .merge import LANGUAGE as MERGED_LANGUAGE
from .merge import PART_FILE, part_record, sort_values
from .partcache import FOLDER as CACHE_FOLDER
from .partcache import PartCache, PartIndex, indexer_identity, record_use, reused_or_indexed
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
    cache_dir: Path | None = None,
) -> int:
    """Index the given parts' pages in site_dir, each into its bundle, and merge their years
    into their reader bundles (`merge.py`), each file handed to `write(site path, bytes)` (a
    checked writer); returns the pages indexed. A part is one task of `executor` (a Dask
    cluster: the task carries its pages and returns its index's bytes), or of `jobs` threads
    here, each one Pagefind process, longest first; or is taken from `cache_dir` (the build's
    `<cache>`, `partcache.py`). The merges run here.
    A full index is the default. An incremental one names `every_part` of the site and the
    `published` site, from which the parts not given are read back to merge their years; a
    reader file already published as is is not written again, and the site paths of those
    the new bundles no longer have are added to `stale`; a year whose parts are not the ones
    published is merged though none is given (`reuse.regrouped_years`). Raises PagefindMissing
    when Pagefind is not installed, SearchIndexError when it fails or gives an index unlike
    the one described above."""
    # A year's parts in turn (each merged once in, only its records held), the longest first.
    parts = sorted(parts, key=lambda part: (-part.year, -part.pages))
    every = sorted(parts if every_part is None else every_part, key=lambda p: p.bundle)
    regrouped = regrouped_years(
        published, ((p.reader, p.bundle) for p in every), {p.reader for p in parts}
    )
    if not parts and not regrouped:
        return 0
    runner = executor if executor is not None else LocalExecutor(jobs)
    left = {year: sum(part.year == year for part in parts) for year in {p.year for p in parts}}
    records, runtime, keys, pages, stored = {}, {}, {}, 0, 0
    try:
        for part, index, made in _part_indexes(site_dir, parts, runner, cache_dir, keys):
            pages += index.pages
            stored += made
            records[part.bundle] = _write_part(part, index, write, published)
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
    if cache_dir is not None:
        used = (part.bundle for part in every)
        record_use(cache_dir / CACHE_FOLDER, keys, used, stored, full=published is None)
    return pages


def _write_part(
    part: SearchPart,
    index: PartIndex,
    write: Callable[[str, bytes], object],
    published: Path | None,
) -> bytes:
    """Hand a part's bundle and its fragments to `write` (those published as they are, not);
    returns its record (PART_FILE), for its year's merge."""
    for name in sorted(index.files):
        write(f"{part.bundle}/{name}", index.files[name])
    write_fragments(part.reader, index.fragments, write, published)
    return index.files[PART_FILE]


def _part_indexes(
    site_dir: Path,
    parts: list[SearchPart],
    runner: Executor,
    cache_dir: Path | None,
    keys: dict[str, str],
) -> Iterable[tuple[SearchPart, PartIndex, bool]]:
    """(part, its index, whether Pagefind made it) for each of `parts`, in order: each indexed
    by a task of `runner`, or, with a `cache_dir`, taken from the cache when it holds the
    part's key (`partcache.reused_or_indexed`, which notes each part's key in `keys`)."""

    def index(tasks: Iterable[PartPages]) -> Iterator[PartIndex]:
        return runner.map(index_pages, None, tasks, waits=True)

    def read(part: SearchPart) -> PartPages:
        return read_part(site_dir, part)

    if cache_dir is None:
        return (
            (part, made, True) for part, made in zip(parts, index(map(read, parts)), strict=True)
        )
    cache = PartCache(cache_dir / CACHE_FOLDER, indexer_identity(_executable(), LANGUAGE))
    return reused_or_indexed(cache, parts, read, index, keys)


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
