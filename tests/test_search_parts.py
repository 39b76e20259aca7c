"""The search index in parts: how units are spread, and that an edit re-indexes only its part."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.search import pagefind as search
from builder.search.pagefind import PART_PAGES, search_parts, unit_part

from .test_incremental import copy_content, tree

# Three units of 2023: the bundled one and two made from copies of its forms.
EXTRA_UNITS = {
    "unit-b": ["shebao-pingtai-yunwei", "jiguan-yanglao-quekou"],
    "unit-c": ["chengxiang-yanglao-tiaodai"],
}


def content_with_units(tmp_path: Path) -> Path:
    content = copy_content(tmp_path)
    for unit, ids in EXTRA_UNITS.items():
        folder = content / "2023" / unit
        folder.mkdir()
        for old in ids:
            text = (content / "2023/lps-sbj" / f"{old}.yaml").read_text(encoding="utf-8")
            new = f"{old}-{unit}"
            text = text.replace(f"id: {old}\n", f"id: {new}\n").replace(
                "unit: 六盘水市社会保险事业局", f"unit: 六盘水市测试单位{unit[-1].upper()}"
            )
            (folder / f"{new}.yaml").write_text(text, encoding="utf-8")
    return content


def build_site(content: Path, work: Path, incremental: bool = True) -> object:
    return build(
        BuildOptions(
            content=content,
            site=work / "site",
            cache=work / "cache",
            jobs=2,
            pdf=False,
            incremental=incremental,
        )
    )


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """One page per part on average: a year of a few units is split as a large one would be."""
    monkeypatch.setattr(search, "PART_PAGES", 1)


@pytest.mark.parametrize(
    ("pages", "expected_parts"),
    [(1, 1), (PART_PAGES, 1), (PART_PAGES + 1, 2), (4 * PART_PAGES, 4), (4 * PART_PAGES + 1, 8)],
)
def test_a_year_is_split_into_a_power_of_two_of_parts(pages: int, expected_parts: int) -> None:
    units = {(2023, f"unit-{n:04d}"): 1 for n in range(pages)}
    parts = search_parts(units)
    assert {part.of for part in parts} == {expected_parts}
    assert sorted(u for part in parts for u in part.units) == sorted(u for _, u in units)
    assert sum(part.pages for part in parts) == pages
    for part in parts:
        assert all(unit_part(unit, part.of) == part.number for unit in part.units)


def test_a_unit_keeps_its_part_while_the_year_grows_within_its_split() -> None:
    before = search_parts({(2023, f"u{n}"): 10 for n in range(3 * PART_PAGES // 10)})
    after = search_parts({(2023, f"u{n}"): 10 for n in range(3 * PART_PAGES // 10 + 5)})
    assert before[0].of == after[0].of
    place = {unit: part.bundle for part in after for unit in part.units}
    for part in before:
        assert all(place[unit] == part.bundle for unit in part.units)


def test_years_are_split_on_their_own_newest_first() -> None:
    parts = search_parts({(2022, "a"): 1, (2024, "b"): PART_PAGES * 2, (2023, "c"): 3})
    assert parts[0].year == 2024
    assert {part.year: part.of for part in parts} == {2024: 2, 2023: 1, 2022: 1}
    assert [p.bundle for p in parts if p.year == 2023] == ["pagefind/2023/00-of-01"]


def test_a_part_is_its_units_pages_in_path_order_whatever_their_names(tmp_path: Path) -> None:
    # No glob: a folder named like a pattern is only a name.
    for page in ["2023/c{d}/z/index.html", "2023/a,b/y/index.html", "2023/a,b/x/index.html"]:
        (tmp_path / page).parent.mkdir(parents=True)
        (tmp_path / page).write_text("<html></html>", encoding="utf-8")
    (tmp_path / "2023/a,b/notes").mkdir()  # a folder without a page
    (tmp_path / "2023/other/w").mkdir(parents=True)
    (tmp_path / "2023/other/w/index.html").write_text("", encoding="utf-8")
    part = search.SearchPart(2023, 0, 1, ("a,b", "c{d}"), 3)
    assert search.part_pages(tmp_path, part) == [
        "2023/a,b/x/index.html",
        "2023/a,b/y/index.html",
        "2023/c{d}/z/index.html",
    ]


def test_an_edit_reindexes_only_its_part(tmp_path: Path, small_parts: None) -> None:
    content = content_with_units(tmp_path)
    build_site(content, tmp_path)
    site = tmp_path / "site"
    parts = search.parts_of_tree(site)
    assert len(parts) >= 2
    assert search.published_bundles(site) == sorted(part.bundle for part in parts)
    (edited_part,) = [part for part in parts if "unit-b" in part.units]
    before = tree(site)

    edited = content / "2023/unit-b/shebao-pingtai-yunwei-unit-b.yaml"
    edited.write_text(  # the goals are indexed text (the contact is not)
        edited.read_text(encoding="utf-8").replace(
            "  planned: >-\n    对凉都", "  planned: >-\n    对六盘水"
        ),
        encoding="utf-8",
    )
    report = build_site(content, tmp_path)
    assert report.incremental and report.indexed == edited_part.pages
    after = tree(site)
    changed = {path for path in after if before.get(path) != after[path]}
    assert {path for path in changed if path.startswith("pagefind/")}
    other_parts = [part.bundle + "/" for part in parts if part != edited_part]
    assert {path for path in changed if path.startswith(edited_part.bundle + "/")}
    assert not [path for path in changed if path.startswith(tuple(other_parts))]
    # and the year's reader bundle, merged anew: its index, meta and the edited page's fragment
    assert {path for path in changed if path.startswith(f"{edited_part.reader}/fragment/")}
    assert search.published_bundles(site) == sorted(part.bundle for part in parts)

    full = tmp_path / "full"
    build_site(content, full, incremental=False)
    assert after == tree(full / "site")


def test_a_removed_unit_takes_its_part_with_it(tmp_path: Path, small_parts: None) -> None:
    content = content_with_units(tmp_path)
    build_site(content, tmp_path)
    shutil.rmtree(content / "2023/unit-c")
    build_site(content, tmp_path)
    site = tmp_path / "site"
    assert search.published_bundles(site) == sorted(p.bundle for p in search.parts_of_tree(site))
    assert not any("unit-c" in part.units for part in search.parts_of_tree(site))
    full = tmp_path / "full"
    build_site(content, full, incremental=False)
    assert tree(site) == tree(full / "site")


# --- what of Pagefind's index builder/search relies on -------------------------------------------

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{name}</title></head>
<body><main data-pagefind-body><h1>{name}</h1><p>养老保险 运维</p>
<span data-pagefind-filter="年度">2023</span><span data-pagefind-filter="等次">{grade}</span>
<span data-pagefind-sort="score">{score}</span><span data-pagefind-sort="budget">{score}</span>
</main></body></html>"""


def _relied_on(holds: bool, what: str) -> None:
    if not holds:
        from importlib.metadata import version

        pytest.fail(
            f"Pagefind {version('pagefind_bin_extended')} changed the index that "
            f"builder/search/pagefind.py rewrites: {what}. Adapt canonicalise_bundle to it, or "
            "keep the bound on pagefind in pyproject.toml below this version.",
            pytrace=False,
        )


def test_the_pagefind_index_is_laid_out_as_builder_search_reads_it(tmp_path: Path) -> None:
    import json

    from builder.search.service import Indexer

    site = tmp_path / "site"
    for n, grade in enumerate(["优", "良", "优"]):
        page = site / "2023" / "unit" / f"p{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(name=f"项目{n}", grade=grade, score=90 + n), encoding="utf-8")
    (part,) = search.parts_of_tree(site)
    try:
        with Indexer(search._executable(), search.LANGUAGE, 300) as indexer:
            for page_path in search.part_pages(site, part):
                indexer.add(f"/{page_path}", (site / page_path).read_text(encoding="utf-8"))
            files = indexer.files()
    except search.ServiceError as error:
        files = {}
        _relied_on(False, f"the service protocol failed: {error}")

    _relied_on(search.ENTRY_FILE in files, f"no {search.ENTRY_FILE} in the bundle")
    entry = json.loads(files[search.ENTRY_FILE])
    languages = entry.get("languages")
    _relied_on(
        isinstance(languages, dict) and len(languages) == 1,
        f'{search.ENTRY_FILE} has "languages", one entry per language',
    )
    (language, info) = next(iter(languages.items()))
    _relied_on(
        isinstance(info, dict) and "hash" in info and info.get("page_count") == 3,
        f'each language of {search.ENTRY_FILE} has "hash" and "page_count"',
    )
    meta_name = f"pagefind.{info['hash']}.pf_meta"
    _relied_on(meta_name in files, "the meta file is pagefind.<hash>.pf_meta")
    try:
        meta = search._read_pagefind(files[meta_name], meta_name)
    except search.SearchIndexError as error:
        meta = None
        _relied_on(False, f"the meta file is gzip of b'pagefind_dcd' + CBOR ({error})")
    filters = meta[search.META_FILTERS] if isinstance(meta, list) else None
    sorts = meta[search.META_SORTS] if isinstance(meta, list) else None
    _relied_on(
        isinstance(filters, list) and sorted(name for name, _ in filters) == ["年度", "等次"],
        f"meta[{search.META_FILTERS}] lists the filters as [name, filter hash]",
    )
    _relied_on(
        isinstance(sorts, list) and sorted(sort[0] for sort in sorts) == ["budget", "score"],
        f"meta[{search.META_SORTS}] lists the sort keys, each starting with its name",
    )
    for name, filter_hash in filters:
        filter_name_in_bundle = f"filter/{filter_hash}.pf_filter"
        _relied_on(filter_name_in_bundle in files, "a filter's file is filter/<hash>.pf_filter")
        filter_name, values = search._read_pagefind(
            files[filter_name_in_bundle], filter_name_in_bundle
        )
        _relied_on(
            filter_name == name and all(isinstance(v, list) and v for v in values),
            "a filter file is [filter name, values], each value a list starting with the value",
        )
    _relied_on(
        all(name in files for name in search.RUNTIME_FILES),
        f"the runtime files are {', '.join(search.RUNTIME_FILES)}",
    )
    runtime = files["pagefind.js"].decode("utf-8")
    _relied_on(
        all(word in runtime for word in ("pf_meta", "pf_filter", search.ENTRY_FILE)),
        "pagefind.js loads the entry file and the meta and filter files by their hashes",
    )
    search.canonical_files(files)  # and the rewrite goes through
    _relied_on(language.startswith("zh"), "the forced language is Chinese")


def test_a_missing_pagefind_is_a_setup_error_and_a_failing_one_internal() -> None:
    from builder.errors import JixiaoError, SetupError

    assert issubclass(search.PagefindMissing, SetupError)
    # Pagefind failing on the pages jixiao wrote is jixiao's fault: an internal error.
    assert not issubclass(search.SearchIndexError, JixiaoError)
