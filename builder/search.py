"""Stage 5, search: Pagefind indexes of the written pages, one per year.

The extended Pagefind binary segments Chinese text into words. Each year gets its own bundle
under `pagefind/<year>/`, indexed from the written folder in one directory pass, and the
search page merges them in the browser (`mergeIndex`): a change to one year re-indexes only that
year, and no single indexer holds the whole site in memory. Only project pages carry
`data-pagefind-body`. Filters (年度, 主管部门, 实施单位, 等次, 项目标识) and sort keys (score,
budget) come from attributes in the project template.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cbor2

BUNDLE = "pagefind"
INDEX_TIMEOUT = 1800  # seconds for one year's pages
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    pass


def bundle_dir(year: int) -> str:
    return f"{BUNDLE}/{year}"


def _indexer_command(site_dir: Path, year: int) -> list[str]:
    # The command-line indexer of the pagefind[extended] package, not its Python service:
    # the service shares one pipe for its protocol and its log, and a warning printed there
    # now and then broke a reply; the command line has an exit status and nothing to parse.
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--glob",
        f"{year}/**/*.html",
        "--output-subdir",
        bundle_dir(year),
        "--force-language",
        "zh-cn",
        "--keep-index-url",  # links work from file:// and servers without index resolution
        "--quiet",
    ]


def _index_years(site_dir: Path, years: list[int], jobs: int) -> int:
    """Run one indexer per year, `jobs` at a time; returns the pages indexed."""
    pending = list(years)
    running: list[tuple[int, subprocess.Popen[str]]] = []
    pages = 0
    while pending or running:
        while pending and len(running) < max(1, jobs):
            year = pending.pop(0)
            command = _indexer_command(site_dir, year)
            running.append(
                (
                    year,
                    subprocess.Popen(
                        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                    ),
                )
            )
        year, process = running.pop(0)
        output, _ = process.communicate(timeout=INDEX_TIMEOUT)
        if process.returncode != 0:
            raise SearchIndexError(f"indexing {year} failed: {output.strip()[-800:]}")
        bundle = site_dir / bundle_dir(year)
        canonicalise_bundle(bundle)
        for name in UNUSED_FILES:  # our own search page uses only the JavaScript API
            (bundle / name).unlink(missing_ok=True)
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
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
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_pagefind(meta_path)
        renamed: dict[str, str] = {}
        for name, old in meta[3]:
            old_path = bundle / "filter" / f"{old}.pf_filter"
            filter_name, values = _read_pagefind(old_path)
            data = _pagefind_bytes([filter_name, sorted(values, key=lambda v: v[0])])
            new = f"{language}_{_short_hash(data, 7)}"
            old_path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            renamed[name] = new
        meta[3] = sorted([name, renamed[name]] for name, _ in meta[3])
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        data = _pagefind_bytes(meta)
        new_hash = f"{language}_{_short_hash(data, 13)}"
        meta_path.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
        info["hash"] = new_hash
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


def _runtime_digest(bundle: Path) -> str:
    digest = hashlib.sha256()
    for name in RUNTIME_FILES:
        path = bundle / name
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()


def _odd_bundles(site_dir: Path, years: list[int]) -> list[int]:
    """Years whose runtime files differ from the others'. Every bundle of one Pagefind
    version has the same runtime; we have seen an indexer run beside another leave a
    different pagefind.js, so such a bundle is indexed again, alone."""
    digests = {year: _runtime_digest(site_dir / bundle_dir(year)) for year in years}
    counts: dict[str, int] = {}
    for digest in digests.values():
        counts[digest] = counts.get(digest, 0) + 1
    if len(counts) <= 1:
        return []
    common = max(counts, key=lambda d: (counts[d], d))
    if counts[common] == 1:
        return list(years)
    return [year for year, digest in digests.items() if digest != common]


def write_search_index(site_dir: Path, years: list[int], jobs: int = 1) -> int:
    """Index each year's pages into site_dir/pagefind/<year>/; returns the pages indexed."""
    try:
        pages = _index_years(site_dir, years, jobs)
        present = sorted(int(p.name) for p in (site_dir / BUNDLE).glob("*") if p.name.isdigit())
        if years and len(present) > 1:
            for year in _odd_bundles(site_dir, present):
                shutil.rmtree(site_dir / bundle_dir(year))
                _index_years(site_dir, [year], 1)
        return pages
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise SearchIndexError(f"the search index could not be built: {error}") from error
