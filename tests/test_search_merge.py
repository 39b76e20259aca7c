"""The reader's bundles: a year's parts merged into one Pagefind bundle hold what one Pagefind
run over the same pages holds; the preview's search finds names at once."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.search import merge
from builder.search import pagefind as search
from builder.search.service import Indexer

from .test_search_parts import PAGE
from .test_serve import ServeProcess


def _pages(site: Path, count: int, year: int = 2023) -> None:
    """`count` project pages over four units, each with its own words, grade and score."""
    for n in range(count):
        page = site / str(year) / f"unit{n % 4}" / f"p{n:02d}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        name = f"项目{n}号" + ("养老保险" if n % 3 else "运维费用") * (1 + n % 2)
        page.write_text(PAGE.format(name=name, grade="优良中差"[n % 4], score=60 + n), "utf-8")


def _decoded(files: dict[str, bytes]) -> dict[str, object]:
    """What a bundle says, by page fragment (page numbers replaced by the page's fragment
    name): word -> {page: (locations, meta locations)}, filters, sort orders, and that every
    word lies in the chunk the meta sends the browser to."""
    entry = json.loads(files[merge.ENTRY_FILE])
    meta_name = f"pagefind.{entry['languages'][merge.LANGUAGE]['hash']}.pf_meta"
    meta = merge.read_pagefind(files[meta_name], meta_name)
    pages = [page[0] for page in meta[merge.META_PAGES]]
    words: dict[str, dict[str, object]] = {}
    for start, end, name in meta[merge.META_CHUNKS]:
        for word, entries, *_ in merge.read_pagefind(files[f"index/{name}.pf_index"], name)[0]:
            assert start <= word[: len(start)] and word[: len(end)] <= end, (word, start, end)
            number = 0
            for delta, locations, meta_locations, *_ in entries:
                number += delta
                words.setdefault(word, {})[pages[number]] = (locations, meta_locations)
    filters = {}
    for filter_name, name in meta[merge.META_FILTERS]:
        _, values = merge.read_pagefind(files[f"filter/{name}.pf_filter"], name)
        filters[filter_name] = {value: {pages[n] for n in numbers} for value, numbers in values}
    sorts = {key: [pages[n] for n in order] for key, order in meta[merge.META_SORTS]}
    return {
        "count": entry["languages"][merge.LANGUAGE]["page_count"],
        "words": words,
        "filters": filters,
        "sorts": sorts,
        "fields": meta[merge.META_FIELDS],
    }


def test_a_year_merged_from_its_parts_holds_what_one_pagefind_run_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    _pages(site, 14)
    monkeypatch.setattr(search, "PART_PAGES", 3)  # 14 pages over four units: several parts
    parts = search.parts_of_tree(site)
    assert len(parts) >= 2
    written: dict[str, bytes] = {}
    assert search.write_search_index(site, parts, written.__setitem__, jobs=2) == 14
    reader = {  # the year's reader bundle: every file but its parts'
        path.removeprefix("pagefind/2023/"): data
        for path, data in written.items()
        if "-of-" not in path
    }
    with Indexer(search._executable(), search.LANGUAGE, 300) as indexer:
        for page in sorted(str(p.relative_to(site)) for p in site.rglob("index.html")):
            indexer.add(f"/{page}", (site / page).read_text(encoding="utf-8"))
        whole = indexer.files()
    merged, one_run = _decoded(reader), _decoded(whole)
    assert merged == one_run and merged["count"] == 14
    # every page's fragment is in the reader bundle, as Pagefind wrote it
    fragments = merge.fragment_names(reader, merge.LANGUAGE)
    assert len(fragments) == 14 and all(reader[name] == whole[name] for name in fragments)
    # the parts keep one record each; Pagefind's runtime is the reader bundle's alone
    assert {path.rsplit("/", 1)[-1] for path in written if "-of-" in path} == {merge.PART_FILE}
    assert all(f"pagefind/2023/{name}" in written for name in search.RUNTIME_FILES)


def test_the_merge_is_the_same_bytes_in_any_order_of_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    _pages(site, 9)
    monkeypatch.setattr(search, "PART_PAGES", 2)
    parts = search.parts_of_tree(site)
    one: dict[str, bytes] = {}
    other: dict[str, bytes] = {}
    search.write_search_index(site, parts, one.__setitem__, jobs=1)
    search.write_search_index(site, parts[::-1], other.__setitem__, jobs=3)
    assert one == other


def test_a_build_without_pagefind_still_makes_the_substring_index(tmp_path: Path) -> None:
    from .test_incremental import copy_content

    content = copy_content(tmp_path)
    site = tmp_path / "site"
    build(BuildOptions(content, site, tmp_path / "cache", jobs=1, search=False, pdf=False))
    meta = json.loads((site / "search/substring/meta.json").read_text(encoding="utf-8"))
    assert meta["records"] == len(list((content / "2023").rglob("*.yaml")))
    assert not (site / "pagefind").exists()


def test_the_preview_finds_names_before_its_pagefind_index_is_made(tmp_path: Path) -> None:
    """`jixiao serve` builds without Pagefind (made in the background once edits pause); the
    substring index is made with every build, so names, units and figures are found at once."""
    from .test_incremental import copy_content

    content = copy_content(tmp_path)
    serve = ServeProcess(tmp_path, content=content)
    try:
        serve.wait_until_serving("search/substring/meta.json", timeout=60)
        with urllib.request.urlopen(serve.url + "search/substring/meta.json") as response:
            meta = json.loads(response.read())
        assert meta["records"] == len(list((content / "2023").rglob("*.yaml")))
    finally:
        serve.stop()
