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


def test_glob_special_characters_in_a_unit_folder_are_literal() -> None:
    part = search.SearchPart(2023, 0, 1, ("a,b", "c{d}"), 2)
    assert search._part_glob(part) == "2023/{a\\,b,c\\{d\\}}/*/index.html"


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
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("contact: 章桃", "contact: 王五"),
        encoding="utf-8",
    )
    report = build_site(content, tmp_path)
    assert report.incremental and report.indexed == edited_part.pages
    after = tree(site)
    changed = {path for path in after if before.get(path) != after[path]}
    assert {path for path in changed if path.startswith("pagefind/")}
    assert all(
        path.startswith(edited_part.bundle + "/")
        for path in changed
        if path.startswith("pagefind/")
    )
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
