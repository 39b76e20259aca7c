"""The site in a real browser: Debian's Chromium driven by Playwright, served over HTTP.

Search (Pagefind, Chinese segmentation), the grade filter, keyboard use and table sorting, on
the site served from a sub-path. Every page type at phone and desktop widths, with large text
and axe-core's rules, is tests/test_layout_browser.py's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .chromium import served

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "index.html",
    "year": "2023/index.html",
    "department": "2023/dept-502/index.html",
    "unit": "2023/lps-sbj/index.html",
    "project": "2023/lps-sbj/chengxiang-yanglao-65-zengfa/index.html",
    "methodology": "methodology/index.html",
    "search": "search/index.html",
    "data": "data/index.html",
    "not-found": "404.html",
    "about": "about/index.html",
    "accessibility": "accessibility/index.html",
}


@pytest.fixture(scope="module")
def base_url(example_site: Path) -> Iterator[str]:
    with served(example_site) as url:
        yield url


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    outside: list[str] = []
    context.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((base_url, "data:", "blob:"))
            else None
        ),
    )
    tab = context.new_page()
    yield tab
    context.close()
    assert outside == [], f"requests outside the site: {outside}"


def _search(page: object, base_url: str, query: str) -> list[str]:
    page.goto(f"{base_url}search/index.html")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.getElementById('search-status').textContent.includes('请输入')"
    )
    page.fill("#q", query)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    return _results(page)


def _results(page: object) -> list[str]:
    page.wait_for_function(  # type: ignore[attr-defined]
        "['找到', '没有'].some(w => document.getElementById('search-status').textContent.includes(w))"
    )
    links = page.query_selector_all("#search-results li > a")  # type: ignore[attr-defined]
    hrefs = [link.get_attribute("href") for link in links]
    # one address a page: a project by its folder, as every other link of the site
    assert all(href.endswith("/") for href in hrefs), hrefs
    return [href.rstrip("/").split("/")[-1] for href in hrefs]


@pytest.mark.parametrize(
    ("query", "expected", "excluded"),
    [
        (
            "养老",
            {
                "jiguan-yanglao-quekou",
                "chengxiang-yanglao-65-zengfa",
                "chengxiang-yanglao-tiaodai",
                "chengxiang-yanglao-shiji-buzhu",
                "teshu-qunti-yanglao-baoxianfei",
            },
            set(),
        ),
        (
            "养老保险",
            {
                "jiguan-yanglao-quekou",
                "chengxiang-yanglao-tiaodai",
                "teshu-qunti-yanglao-baoxianfei",
            },
            set(),
        ),
        ("社会保险", {"shebao-pingtai-yunwei"}, set()),
        ("运维", {"shebao-pingtai-yunwei"}, {"jiguan-yanglao-quekou"}),
        ("特殊群体", {"teshu-qunti-yanglao-baoxianfei"}, {"jiguan-yanglao-quekou"}),
        (
            "城乡居民",
            {
                "chengxiang-yanglao-65-zengfa",
                "chengxiang-yanglao-tiaodai",
                "chengxiang-yanglao-shiji-buzhu",
                "teshu-qunti-yanglao-baoxianfei",
            },
            {"jiguan-yanglao-quekou"},
        ),
        (
            "基础养老金",
            {"chengxiang-yanglao-65-zengfa", "chengxiang-yanglao-tiaodai"},
            {"shebao-pingtai-yunwei"},
        ),
        ("六盘水", {"jiguan-yanglao-quekou", "shebao-pingtai-yunwei"}, set()),
    ],
)
def test_chinese_search_finds_the_right_projects(
    page: object, base_url: str, query: str, expected: set[str], excluded: set[str]
) -> None:
    found = _search(page, base_url, query)
    assert expected <= set(found), found
    assert not excluded & set(found), found
    assert page.url.endswith(f"?q={query}") or "q=" in page.url  # type: ignore[attr-defined]


def test_a_project_id_leads_to_that_project(page: object, base_url: str) -> None:
    found = _search(page, base_url, "chengxiang-yanglao-tiaodai")
    assert found == ["chengxiang-yanglao-tiaodai"]
    page.click("#search-results li > a")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "城乡居民养老保险调待资金"  # type: ignore[attr-defined]


def test_grade_filter_and_sort(page: object, base_url: str) -> None:
    _search(page, base_url, "养老")
    page.select_option("#f-grade", "优秀")  # type: ignore[attr-defined]
    assert len(_results(page)) >= 5
    page.select_option("#f-grade", "不合格")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.getElementById('search-status').textContent.includes('没有')"
    )
    page.select_option("#f-grade", "")  # type: ignore[attr-defined]
    page.fill("#q", "")  # type: ignore[attr-defined]
    page.select_option("#f-sort", "score:asc")  # type: ignore[attr-defined]
    ranked = _results(page)
    assert ranked[0] == "chengxiang-yanglao-tiaodai"  # 90, the lowest total
    assert len(ranked) == 6  # every page carries the sort keys


def test_search_is_keyboard_usable(page: object, base_url: str) -> None:
    page.goto(f"{base_url}search/index.html")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # skip link  # type: ignore[attr-defined]
    for _ in range(30):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if page.evaluate("document.activeElement.id") == "q":  # type: ignore[attr-defined]
            break
    assert page.evaluate("document.activeElement.id") == "q"  # type: ignore[attr-defined]
    page.keyboard.type("特殊群体")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert _results(page) == ["teshu-qunti-yanglao-baoxianfei"]


def test_table_sorting_enhances_the_listing(page: object, base_url: str) -> None:
    page.goto(f"{base_url}2023/index.html")  # type: ignore[attr-defined]
    header = page.locator("table[data-sortable] th", has_text="复核总分")  # type: ignore[attr-defined]
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    first = page.locator("table[data-sortable] tbody tr").first.locator("td[data-label='复核总分']")  # type: ignore[attr-defined]
    assert first.inner_text() == "100"


def test_search_merges_the_parts_of_a_split_year(
    browser: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from builder.build import BuildOptions, build
    from builder.search import pagefind as search

    from .test_search_parts import content_with_units

    work = tmp_path_factory.mktemp("parts")
    content = content_with_units(work)
    original = search.PART_PAGES
    search.PART_PAGES = 1  # each unit of this small year in a part, as in a large one
    try:
        build(BuildOptions(content=content, site=work / "site", cache=work / "cache", pdf=False))
    finally:
        search.PART_PAGES = original
    assert len(search.published_bundles(work / "site")) >= 2
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        with served(work / "site") as url:
            found = _search(tab, url, "社会保险")
            assert {"shebao-pingtai-yunwei", "shebao-pingtai-yunwei-unit-b"} <= set(found), found
            tab.fill("#q", "")
            tab.select_option("#f-unit", label="六盘水市测试单位C")
            tab.wait_for_function(
                "document.querySelectorAll('#search-results li > a').length === 1"
            )
            found = _results(tab)
        assert found == ["chengxiang-yanglao-tiaodai-unit-c"], found
    finally:
        context.close()
