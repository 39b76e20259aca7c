"""Search: Pagefind indexes of the project pages, in parts merged in the browser.

The extended Pagefind binary segments Chinese text into words. Each year's units are spread
over a few parts by a hash of the unit's folder name, and each part is its own bundle under
`pagefind/<year>/<part>/`; the search page merges them in the browser (`mergeIndex`). An edit
re-indexes only the parts whose pages changed, a few hundred pages, and no single indexer
holds more than one part in memory. Only project pages carry `data-pagefind-body`. Filters
(年度, 主管部门, 实施单位, 等次, 项目标识) and sort keys (score, budget) come from attributes in
the project template.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import cbor2

from ..errors import SetupError

BUNDLE = "pagefind"
INDEX_TIMEOUT = 1800  # seconds for one part's pages
# A year is split into the least power of two of parts that keeps them at most this many pages
# on average. Pagefind indexes about 400 pages a second, plus a fixed start-up cost: a part
# this size takes about half a second, while the browser still merges few parts. Powers of two
# keep a unit's part when the year grows, until the count doubles.
PART_PAGES = 256
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)

# What of Pagefind's index we read and rewrite (pagefind 1.3 to 1.5; pyproject.toml bounds it
# below 1.6, and tests/test_search_parts.py names each of these if a new version moves one):
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


_GLOB_SPECIAL = re.compile(r"([\\*?$:<>()\[\]{},!#])")


def _glob_literal(text: str) -> str:
    return _GLOB_SPECIAL.sub(r"\\\1", text)


def _part_glob(part: SearchPart) -> str:
    units = [_glob_literal(unit) for unit in part.units]
    either = units[0] if len(units) == 1 else "{" + ",".join(units) + "}"
    return f"{part.year}/{either}/*/index.html"


def _executable() -> str:
    # The indexer binary of the pagefind[extended] package, run directly, not its Python
    # service: the service shares one pipe for its protocol and its log, and a warning printed
    # there now and then broke a reply; the binary has an exit status and nothing to parse.
    try:
        import pagefind_bin_extended
    except ImportError as error:
        raise PagefindMissing(
            "没有安装 Pagefind 搜索索引程序 / the Pagefind indexer is not installed: "
            "pip install 'pagefind[extended]<1.6'"
        ) from error
    return str(pagefind_bin_extended.get_executable())


def _indexer_command(executable: str, site_dir: Path, part: SearchPart) -> list[str]:
    return [
        executable,
        "--site",
        str(site_dir),
        "--glob",
        _part_glob(part),
        "--output-subdir",
        part.bundle,
        "--force-language",
        "zh-cn",
        "--keep-index-url",  # links work from file:// and servers without index resolution
        "--quiet",
    ]


def _index_parts(site_dir: Path, parts: list[SearchPart], jobs: int) -> int:
    """Run one indexer per part, `jobs` at a time; returns the pages indexed."""
    executable = _executable()
    pending = sorted(parts, key=lambda part: -part.pages)  # the longest first
    running: list[tuple[SearchPart, subprocess.Popen[str]]] = []
    pages = 0
    while pending or running:
        while pending and len(running) < max(1, jobs):
            part = pending.pop(0)
            command = _indexer_command(executable, site_dir, part)
            running.append(
                (
                    part,
                    subprocess.Popen(
                        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                    ),
                )
            )
        part, process = running.pop(0)
        output, _ = process.communicate(timeout=INDEX_TIMEOUT)
        if process.returncode != 0:
            raise SearchIndexError(f"indexing {part.bundle} failed: {output.strip()[-800:]}")
        bundle = site_dir / part.bundle
        canonicalise_bundle(bundle)
        for name in UNUSED_FILES:  # our own search page uses only the JavaScript API
            (bundle / name).unlink(missing_ok=True)
        entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
        pages += sum(int(info.get("page_count", 0)) for info in entry["languages"].values())
    return pages


_SIGNATURE = b"pagefind_dcd"


def _read_pagefind(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind index file")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _pagefind_bytes(value: object) -> bytes:
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _short_hash(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def canonicalise_bundle(bundle: Path) -> None:
    """Make a bundle a function of its input alone.

    Pagefind writes the values of each filter, and the list of filters and sort keys, in hash
    map order, which changes from run to run; the file names are hashes of the contents. We
    sort those lists, rewrite the files and rename them by the hash of what they now hold, so
    two builds of the same pages give the same bytes. The page data itself is left untouched.
    Raises SearchIndexError when the bundle is not laid out as described above.
    """
    entry_path = bundle / ENTRY_FILE
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    try:
        for language, info in entry["languages"].items():
            info["hash"] = _canonical_meta(bundle, language, info["hash"])
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise SearchIndexError(
            f"{bundle}: Pagefind wrote an index unlike the one jixiao rewrites "
            f"({type(error).__name__}: {error}); install a Pagefind that pyproject.toml allows"
        ) from error
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _canonical_meta(bundle: Path, language: str, meta_hash: str) -> str:
    """Rewrite one language's meta file and its filter files sorted; returns the new hash."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read_pagefind(meta_path)
    renamed: dict[str, str] = {}
    for name, old in meta[META_FILTERS]:
        old_path = bundle / "filter" / f"{old}.pf_filter"
        filter_name, values = _read_pagefind(old_path)
        data = _pagefind_bytes([filter_name, sorted(values, key=lambda v: v[0])])
        new = f"{language}_{_short_hash(data, 7)}"
        old_path.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
        renamed[name] = new
    meta[META_FILTERS] = sorted([name, renamed[name]] for name, _ in meta[META_FILTERS])
    meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda sort: sort[0])
    data = _pagefind_bytes(meta)
    new_hash = f"{language}_{_short_hash(data, 13)}"
    meta_path.unlink()
    (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
    return new_hash


RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


def _runtime_digest(bundle: Path) -> str:
    digest = hashlib.sha256()
    for name in RUNTIME_FILES:
        path = bundle / name
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()


def _odd_bundles(bundles: dict[str, Path]) -> list[str]:
    """Bundles whose runtime files differ from the others'. Every bundle of one Pagefind
    version has the same runtime; we have seen an indexer run beside another leave a
    different pagefind.js, so such a bundle is indexed again, alone."""
    digests = {name: _runtime_digest(path) for name, path in sorted(bundles.items())}
    counts: dict[str, int] = {}
    for digest in digests.values():
        counts[digest] = counts.get(digest, 0) + 1
    if len(counts) <= 1:
        return []
    common = max(counts, key=lambda d: (counts[d], d))
    if counts[common] == 1:
        return sorted(bundles)
    return [name for name, digest in digests.items() if digest != common]


def published_bundles(site_dir: Path) -> list[str]:
    """Site paths of the bundles under site_dir/pagefind/."""
    return sorted(
        entry.parent.relative_to(site_dir).as_posix()
        for entry in (site_dir / BUNDLE).glob(f"*/*/{ENTRY_FILE}")
    )


def write_search_index(
    site_dir: Path, parts: Iterable[SearchPart], jobs: int = 1, published: Path | None = None
) -> int:
    """Index the given parts' pages into their bundles under site_dir; returns the pages
    indexed. `jobs` indexers run at once. An incremental build names the published site, whose
    bundles count when the new ones' runtime files are compared. Raises PagefindMissing
    when Pagefind is not installed, SearchIndexError when it fails or writes an index unlike
    the one described above."""
    parts = list(parts)
    try:
        pages = _index_parts(site_dir, parts, jobs)
        bundles = {part.bundle: site_dir / part.bundle for part in parts}
        if published is not None:
            bundles |= {
                bundle: published / bundle
                for bundle in published_bundles(published)
                if bundle not in bundles
            }
        if parts and len(bundles) > 1:
            by_bundle = {part.bundle: part for part in parts}
            for bundle in _odd_bundles(bundles):
                if bundle in by_bundle:
                    shutil.rmtree(site_dir / bundle)
                    _index_parts(site_dir, [by_bundle[bundle]], 1)
        return pages
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise SearchIndexError(f"the search index could not be built: {error}") from error
