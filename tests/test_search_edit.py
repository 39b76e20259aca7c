"""An edit's search stage costs its part: a part indexed anew as it was published merges no
year (`search/reuse.py`), projects whose records are as published keep the substring index
(`substring.same_records`), and whatever an edit changes, the incremental `pagefind/` and
`search/` bytes are those of a full build of the same content."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.search import bundles, merge
from builder.search import pagefind as search

from .test_incremental import add_2022_copy, tree
from .test_search_parts import build_site, content_with_units

EDITED = "2023/unit-b/shebao-pingtai-yunwei-unit-b.yaml"


@pytest.fixture
def merged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reader bundles merged by the builds of the test (the merge itself runs)."""
    years: list[str] = []

    def counted(bundle: str, *args: object, **kwargs: object) -> None:
        years.append(bundle)
        bundles.merge_year(bundle, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "merge_year", counted)
    monkeypatch.setattr(search, "PART_PAGES", 1)  # a few parts a year, as a large site has
    return years


def _edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _search_files(site: Path) -> dict[str, str]:
    return {k: v for k, v in tree(site).items() if k.startswith(("pagefind/", "search/"))}


def _inodes(site: Path, folder: str) -> dict[str, int]:
    files = (site / folder).rglob("*")
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in files if p.is_file()}


def _as_full_build(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    full = tmp_path / "full"
    shutil.rmtree(full, ignore_errors=True)
    build_site(content, full, incremental=False)
    assert tree(site) == tree(full / "site")


def test_an_edit_outside_the_indexed_text_merges_no_year_and_keeps_the_substring_index(
    tmp_path: Path, merged: list[str]
) -> None:
    content = content_with_units(tmp_path)
    build_site(content, tmp_path)
    site = tmp_path / "site"
    before, kept = _search_files(site), _inodes(site, "search/substring")
    merged.clear()
    _edit(content, EDITED, "contact: 章桃", "contact: 另一位联系人")  # data-pagefind-ignore
    report = build_site(content, tmp_path)
    assert report.incremental and report.indexed > 0  # its part indexed anew
    assert merged == []
    assert _search_files(site) == before
    assert _inodes(site, "search/substring") == kept  # published files kept, not written again
    _as_full_build(content, tmp_path)


EDITS: dict[str, Callable[[Path], None]] = {
    # the goals are indexed text: the part's record changes, its year is merged
    "indexed text": lambda c: _edit(
        c, EDITED, "  planned: >-\n    对凉都", "  planned: >-\n    对六盘水"
    ),
    # a name is in the substring index's records as well
    "name": lambda c: _edit(
        c, EDITED, "name: 社会保险综合服务平台运维费", "name: 社保平台运维经费"
    ),
    # a page added to a part: the pages of the parts after it are numbered anew
    "page added": lambda c: _add_page(c, "2023/unit-c/chengxiang-yanglao-tiaodai-unit-c.yaml"),
    "page removed": lambda c: (c / "2023/unit-b/jiguan-yanglao-quekou-unit-b.yaml").unlink(),
    "unit removed": lambda c: shutil.rmtree(c / "2023/unit-c"),
    "year added": lambda c: add_2022_copy(c, "lps-sbj"),
}


@pytest.mark.parametrize("kind", EDITS)
def test_an_edit_gives_the_search_bytes_of_a_full_build(
    tmp_path: Path, merged: list[str], kind: str
) -> None:
    content = content_with_units(tmp_path)
    build_site(content, tmp_path)
    before = _search_files(tmp_path / "site")
    merged.clear()
    EDITS[kind](content)
    report = build_site(content, tmp_path)
    assert report.incremental or kind == "year added"  # every page lists the years: a full build
    assert merged  # each of these changes the indexed pages of a year
    assert _search_files(tmp_path / "site") != before
    _as_full_build(content, tmp_path)


def _add_page(content: Path, rel: str) -> None:
    """A copy of a form beside it, under an id of its own."""
    source = content / rel
    text = source.read_text(encoding="utf-8")
    old = text.split("id: ", 1)[1].split("\n", 1)[0]
    added = text.replace(f"id: {old}\n", f"id: {old}-added\n", 1)
    (source.parent / f"{old}-added.yaml").write_text(added, encoding="utf-8")


def test_a_year_that_goes_takes_its_reader_bundle_with_it(
    tmp_path: Path, merged: list[str]
) -> None:
    content = content_with_units(tmp_path)
    add_2022_copy(content, "lps-sbj")
    build_site(content, tmp_path)
    assert (tmp_path / "site/pagefind/2022/pagefind-entry.json").is_file()
    shutil.rmtree(content / "2022")
    build_site(content, tmp_path)
    assert not (tmp_path / "site/pagefind/2022").exists()
    _as_full_build(content, tmp_path)


@pytest.mark.browser
def test_the_reader_finds_the_edited_text_after_an_edit_and_after_one_that_merged_nothing(
    tmp_path: Path, merged: list[str], browser: object
) -> None:
    from .chromium import served
    from .test_search_readers import ask

    content = content_with_units(tmp_path)
    build_site(content, tmp_path)
    _edit(content, EDITED, "  planned: >-\n    对凉都", "  planned: >-\n    鲟鱼养殖对凉都")
    build_site(content, tmp_path)
    assert merged  # the part's record changed: its year merged anew
    merged.clear()
    _edit(content, EDITED, "contact: 章桃", "contact: 另一位联系人")
    assert build_site(content, tmp_path).incremental
    assert merged == []
    edited_id = "shebao-pingtai-yunwei-unit-b"
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        with served(tmp_path / "site") as url:
            tab = context.new_page()
            assert ask(tab, url, "鲟鱼") == [edited_id]
            assert edited_id in ask(tab, url, "社会保险综合服务平台")  # the substring index kept
    finally:
        context.close()


def test_a_merge_that_cannot_read_a_part_raises(tmp_path: Path, merged: list[str]) -> None:
    """A year's merge raises, writing nothing, for a part it cannot read: MergeError for a
    part neither indexed nor published, OSError for a published part that is not there."""
    content = content_with_units(tmp_path)
    build_site(content, tmp_path)
    site = tmp_path / "site"
    reader = merged[0]
    bundles_of = sorted(p.parent for p in (site / reader).glob(f"*/{search.PART_FILE}"))
    year = [
        (b.relative_to(site).as_posix(), (b / search.PART_FILE).read_bytes()) for b in bundles_of
    ]
    runtime = {name: (site / reader / name).read_bytes() for name in search.RUNTIME_FILES}
    written: dict[str, bytes] = {}
    bundles.merge_year(reader, year, runtime, written.__setitem__, None, None)
    assert written  # every file of the bundle, none published
    written.clear()
    unread = [(year[0][0], None), *year[1:]]
    with pytest.raises(merge.MergeError, match="neither indexed nor published"):
        bundles.merge_year(reader, unread, runtime, written.__setitem__, None, None)
    missing = [(f"{reader}/no-such-part", None), *year[1:]]
    with pytest.raises(FileNotFoundError):
        bundles.merge_year(reader, missing, runtime, written.__setitem__, site, [])
    assert not written
