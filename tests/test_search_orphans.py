"""A search part that loses its every unit, or a year whose parts change, leaves the published
search index as a full build of the same content makes it: the year's reader bundle is merged
from the parts left, so the search finds no page that is gone, and no part's folder stays.

A year of more than PART_PAGES project pages is split in two parts (`search_parts`); the
forms here are written so that a few small units fall in one part and the rest in the other
(`unit_part`), then each test takes the small part's units away one way or another (deleted,
held back, renamed, moved to another year), or changes the year's count of parts, builds
incrementally and compares with a full build."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.tree_digest import tree_digests
from builder.search import bundles, merge
from builder.search import pagefind as search
from builder.search.pagefind import BUNDLE, unit_part

from .conftest import SITE_YAML, minimal_project, project_yaml
from .test_incremental import tree
from .test_search_parts import build_site

SMALL = 3  # units of the part that goes, two pages each


def _units_in(part: int, count: int, prefix: str = "u") -> list[str]:
    """The first `count` unit folder names `<prefix>NNN` that fall in `part` of two."""
    names = (f"{prefix}{n:03d}" for n in range(1000))
    return [name for name in names if unit_part(name, 2) == part][:count]


BIG = _units_in(0, 4)  # a quarter of the year's PART_PAGES and one page more each
GOING = _units_in(1, SMALL)


def _write_unit(content: Path, year: int, unit: str, pages: int, first: int = 0) -> None:
    folder = content / str(year) / unit
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(first, first + pages):
        project = f"{unit}-p{n:03d}"
        data = minimal_project(id=project, year=year, name=f"项目{unit}{n}", unit=f"单位{unit}")
        text = project_yaml(data).replace("filled_on: 2023-12-25", f"filled_on: {year}-12-25")
        (folder / f"{project}.yaml").write_text(text, encoding="utf-8")


def _content(tmp_path: Path) -> Path:
    """2023: BIG units in part 0 of 2, GOING units in part 1 (two pages each); 2022: one
    small unit."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for unit in BIG:
        _write_unit(content, 2023, unit, search.PART_PAGES // 4 + 1)
    for unit in GOING:
        _write_unit(content, 2023, unit, 2)
    _write_unit(content, 2022, "w000", 2)
    return content


def _deleted(content: Path) -> None:
    for unit in GOING:
        shutil.rmtree(content / "2023" / unit)


def _held_back(content: Path) -> None:
    for unit in GOING:
        for form in (content / "2023" / unit).glob("*.yaml"):
            form.write_text("id: [\n", encoding="utf-8")  # a YAML error: held back


def _renamed(content: Path) -> None:
    """Each unit of the small part renamed into a folder of the other part."""
    for old, new in zip(GOING, _units_in(0, SMALL, prefix="r"), strict=True):
        (content / "2023" / old).rename(content / "2023" / new)


def _moved_to_2022(content: Path) -> None:
    """The small part's forms were of 2022: their year corrected, moved to 2022's folder."""
    for unit in GOING:
        target = content / "2022" / unit
        (content / "2023" / unit).rename(target)
        for form in target.glob("*.yaml"):
            text = form.read_text(encoding="utf-8")
            form.write_text(
                text.replace("year: 2023", "year: 2022").replace("2023-12-25", "2022-12-25"),
                encoding="utf-8",
            )


def _fewer_parts(content: Path) -> None:
    """The small part's units and half the others deleted: the year fits in one part."""
    for unit in [*GOING, *BIG[:2]]:
        shutil.rmtree(content / "2023" / unit)


def _more_parts(content: Path) -> None:
    """Pages added to the big units: the year is split in four parts."""
    for unit in BIG:
        _write_unit(content, 2023, unit, search.PART_PAGES // 4, first=1000)


EDITS: dict[str, Callable[[Path], None]] = {
    "units deleted": _deleted,
    "forms held back by an error": _held_back,
    "units renamed into the other part": _renamed,
    "units moved to another year": _moved_to_2022,
    "the year split in fewer parts": _fewer_parts,
    "the year split in more parts": _more_parts,
    "a year deleted": lambda c: shutil.rmtree(c / "2022"),
}


def indexed_pages(site: Path) -> set[str]:
    """The URLs of the pages the search page's reader bundles give results for: the pages each
    year's merged meta names, read from their fragments."""
    urls: set[str] = set()
    for entry in (site / BUNDLE).glob(f"*/{merge.ENTRY_FILE}"):
        folder = entry.parent
        files = {merge.ENTRY_FILE: entry.read_bytes()}
        meta = json.loads(files[merge.ENTRY_FILE])["languages"][merge.LANGUAGE]["hash"]
        files[f"pagefind.{meta}.pf_meta"] = (folder / f"pagefind.{meta}.pf_meta").read_bytes()
        for name in merge.fragment_names(files, merge.LANGUAGE):
            data = gzip.decompress((folder / name).read_bytes())
            urls.add(json.loads(data[len(merge.SIGNATURE) :])["url"])
    return urls


def published_pages(site: Path) -> set[str]:
    """The URLs of the project pages the site has."""
    return {
        "/" + page.relative_to(site).as_posix()
        for page in site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html")
    }


def _search_digests(site: Path) -> list[tuple[str, str]]:
    return [(p, d) for p, d in tree_digests(site) if p.startswith((f"{BUNDLE}/", "search/"))]


@pytest.mark.parametrize("kind", EDITS)
def test_the_search_index_after_an_edit_is_a_full_builds(tmp_path: Path, kind: str) -> None:
    content = _content(tmp_path)
    site = tmp_path / "site"
    build_site(content, tmp_path)
    assert {p.of for p in search.parts_of_tree(site) if p.year == 2023} == {2}
    assert indexed_pages(site) == published_pages(site)
    EDITS[kind](content)
    report = build_site(content, tmp_path)
    assert report.incremental or kind == "a year deleted"  # every page lists the years
    assert indexed_pages(site) == published_pages(site)  # no result leads to a page gone
    live = {part.bundle for part in search.parts_of_tree(site)}
    assert set(search.published_bundles(site)) == live  # no part's folder left
    assert not any(BUNDLE in p.as_posix() for p in (tmp_path / "cache").rglob("*"))
    full = tmp_path / "full"
    build_site(content, full, incremental=False)
    assert _search_digests(site) == _search_digests(full / "site")  # byte for byte
    assert tree(site) == tree(full / "site")


def test_a_part_that_loses_its_units_is_merged_without_indexing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cost of the edit: no part is indexed (the parts left are as published), only the
    year is merged again from its published parts."""
    content = _content(tmp_path)
    build_site(content, tmp_path)
    merged: list[str] = []

    def counted(bundle: str, *args: object, **kwargs: object) -> None:
        merged.append(bundle)
        bundles.merge_year(bundle, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "merge_year", counted)
    _deleted(content)
    report = build_site(content, tmp_path)
    assert report.incremental and report.indexed == 0  # type: ignore[attr-defined]
    assert merged == [f"{BUNDLE}/2023"]  # 2022 is left as published
    gone = {f"/2023/{unit}/{unit}-p000/index.html" for unit in GOING}
    assert not gone & indexed_pages(tmp_path / "site")


@pytest.mark.browser
def test_the_search_page_finds_no_page_of_a_part_gone(tmp_path: Path, browser: object) -> None:
    from .chromium import served
    from .test_search_readers import ask

    content = _content(tmp_path)
    build_site(content, tmp_path)
    gone = f"{GOING[0]}-p000"
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        with served(tmp_path / "site") as url:
            assert gone in ask(context.new_page(), url, f"项目{GOING[0]}0")
        _deleted(content)
        build_site(content, tmp_path)
        with served(tmp_path / "site") as url:
            assert ask(context.new_page(), url, f"项目{GOING[0]}0") == []
    finally:
        context.close()
