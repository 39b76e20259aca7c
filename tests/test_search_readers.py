"""Search as readers use it, in Chromium: the reader query table, result cards, filters, sort
and page in the address, the 有不一致 filter, paging, and clearing filters.

The site is the bundled content plus a project whose name holds a phrase word search misses
(…高龄津贴增发资金) and a unit of 24 projects to page through; it is built with tiny
substring buckets, record files and search parts, so every query crosses several files of each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.search import pagefind, substring

from .chromium import served
from .test_browser import _results
from .test_incremental import copy_content

pytestmark = pytest.mark.browser

PHRASE_ID = "gaoling-jintie-zengfa"
PHRASE_NAME = "六盘水市80周岁以上老年人高龄津贴增发资金"
PAGED = 24  # projects of the paging unit


def reader_content(root: Path) -> Path:
    """The bundled content, a project named with 津贴增发, and a unit of PAGED projects."""
    content = copy_content(root)
    unit = content / "2023/lps-sbj"
    text = (unit / "chengxiang-yanglao-shiji-buzhu.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", f"id: {PHRASE_ID}", text, count=1)
    text = re.sub(r"(?m)^name: .*$", f"name: {PHRASE_NAME}", text, count=1)
    (unit / f"{PHRASE_ID}.yaml").write_text(text, encoding="utf-8")
    paged = content / "2023/fenye"
    paged.mkdir()
    text = (unit / "shebao-pingtai-yunwei.yaml").read_text(encoding="utf-8")
    for n in range(PAGED):
        one = re.sub(r"(?m)^id: .*$", f"id: fenye-{n:02d}", text, count=1)
        one = re.sub(r"(?m)^name: .*$", f"name: 分页测试项目第{n:02d}号", one, count=1)
        one = one.replace("unit: 六盘水市社会保险事业局", "unit: 分页测试单位")
        (paged / f"fenye-{n:02d}.yaml").write_text(one, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    work = tmp_path_factory.mktemp("readers")
    content = reader_content(work)
    patch = pytest.MonkeyPatch()
    patch.setattr(substring, "BUCKET_BYTES", 600)  # dozens of buckets
    patch.setattr(substring, "RECORDS_PER_SHARD", 4)
    patch.setattr(pagefind, "PART_PAGES", 4)
    try:
        build(BuildOptions(content=content, site=work / "site", cache=work / "cache", pdf=False))
    finally:
        patch.undo()
    assert json.loads((work / "site/search/substring/meta.json").read_text())["buckets"] > 8
    yield content, work / "site"


@pytest.fixture(scope="module")
def reader_url(reader_site: tuple[Path, Path]) -> Iterator[str]:
    with served(reader_site[1]) as url:
        yield url


@pytest.fixture
def tab(browser: object, reader_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


def ask(tab: object, url: str, query: str, extra: str = "") -> list[str]:
    """The ids of the results shown for a query typed into the search page's address."""
    from urllib.parse import quote

    tab.goto(f"{url}search/index.html?q={quote(query)}{extra}")  # type: ignore[attr-defined]
    return _results(tab)


def every_result(tab: object) -> list[str]:
    """The ids of the results on this page and on every next page."""
    found = _results(tab)
    while tab.query_selector("#search-pager a:has-text('下一页')"):  # type: ignore[attr-defined]
        shown = len(found)
        tab.click("#search-pager a:has-text('下一页')")  # type: ignore[attr-defined]
        tab.wait_for_function(  # type: ignore[attr-defined]
            f"document.getElementById('search-status').textContent.includes('第 {shown + 1}')"
        )
        found += _results(tab)
    return found


def status(tab: object) -> str:
    return tab.inner_text("#search-status")  # type: ignore[attr-defined]


BUNDLED = {
    "chengxiang-yanglao-65-zengfa",
    "chengxiang-yanglao-shiji-buzhu",
    "chengxiang-yanglao-tiaodai",
    "jiguan-yanglao-quekou",
    "shebao-pingtai-yunwei",
    "teshu-qunti-yanglao-baoxianfei",
}

# query, the projects ranked first (in any order), projects that must be found, must not be.
READER_QUERIES = [
    ("xyz不存在的词", set(), set(), BUNDLED),
    ("医疗保险", set(), set(), BUNDLED),
    ("津贴增发", {PHRASE_ID}, set(), BUNDLED),
    ("增发", {PHRASE_ID, "chengxiang-yanglao-65-zengfa"}, set(), {"shebao-pingtai-yunwei"}),
    ("20.10%", {"jiguan-yanglao-quekou"}, set(), {"shebao-pingtai-yunwei"}),
    ("86870000", {"jiguan-yanglao-quekou"}, set(), set()),
    ("8,687", {"jiguan-yanglao-quekou"}, set(), set()),
    ("yanglao-quekou", {"jiguan-yanglao-quekou"}, set(), {"shebao-pingtai-yunwei"}),
    ("运维", {"shebao-pingtai-yunwei"}, set(), {"jiguan-yanglao-quekou"}),
    ("特殊群体", {"teshu-qunti-yanglao-baoxianfei"}, set(), {"jiguan-yanglao-quekou"}),
    (
        "城乡居民",
        {
            "chengxiang-yanglao-65-zengfa",
            "chengxiang-yanglao-shiji-buzhu",
            "chengxiang-yanglao-tiaodai",
            "teshu-qunti-yanglao-baoxianfei",
        },
        set(),
        {"jiguan-yanglao-quekou"},
    ),
    (
        "基础养老金",
        {"chengxiang-yanglao-65-zengfa"},
        {"chengxiang-yanglao-tiaodai"},
        {"shebao-pingtai-yunwei"},
    ),
    ("社会保险事业局", BUNDLED | {PHRASE_ID}, set(), {"fenye-00"}),
    ("社会保障局", set(), BUNDLED, set()),
    ("分页测试单位", {f"fenye-{n:02d}" for n in range(20)}, set(), BUNDLED),
]


@pytest.mark.parametrize(("query", "first", "found", "excluded"), READER_QUERIES)
def test_reader_query_table(
    tab: object, reader_url: str, query: str, first: set[str], found: set[str], excluded: set[str]
) -> None:
    results = ask(tab, reader_url, query)
    assert set(results[: len(first)]) == first, results
    assert found <= set(results), results
    assert not excluded & set(results), results
    if not (first or found):
        assert "没有找到" in status(tab)


def test_spaces_in_a_query_are_ignored(tab: object, reader_url: str) -> None:
    together = ask(tab, reader_url, "养老")
    apart = ask(tab, reader_url, "养 老")
    assert together == apart and len(together) >= 5


@pytest.mark.parametrize("character", ["的", "和", "及", "与", "等"])
def test_a_function_character_alone_finds_nothing(
    tab: object, reader_url: str, character: str
) -> None:
    tab.goto(f"{reader_url}search/index.html?q={character}")  # type: ignore[attr-defined]
    tab.wait_for_function(  # type: ignore[attr-defined]
        "document.getElementById('search-status').textContent.includes('虚词')"
    )
    assert tab.query_selector_all("#search-results li") == []  # type: ignore[attr-defined]


def _page_figures(site: Path, project: str) -> str:
    (page,) = site.glob(f"2023/*/{project}/index.html")
    return page.read_text(encoding="utf-8")


def _in_review(site: Path) -> set[str]:
    """The forms the year's 复核 page lists: those whose declared figures disagree with the
    rules or with each other, what 有不一致 marks (not every form with a warning: a goal
    repeated word for word is no figure)."""
    review = (site / "review" / "2023" / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'href="\.\./\.\./2023/[^/"]+/([^/"]+)/#findings"', review))


def test_a_card_shows_the_money_the_scores_and_a_mismatch(
    tab: object, reader_url: str, reader_site: tuple[Path, Path]
) -> None:
    site = reader_site[1]
    mismatched = _in_review(site)
    assert mismatched and len(mismatched) < 6  # some forms disagree, not all
    ids = ask(tab, reader_url, "社会保险事业局")
    cards = tab.query_selector_all("#search-results li")  # type: ignore[attr-defined]
    for project, li in zip(ids, cards, strict=True):
        text = li.inner_text()
        page = _page_figures(site, project)
        money = re.search(r"预算 ([\d,.]+) 万元 · 执行 ([\d,.]+) 万元 · 执行率 ([\d.]+%)", text)
        assert money, text
        assert all(figure in page for figure in money.groups()), (project, money.groups())
        scores = re.search(r"申报 ([\d.]+|未填) · 复核 ([\d.]+) · (\S+)", text)
        assert scores and scores.group(2) in page and scores.group(3) in page, text
        assert ("有不一致" in text) == (project in mismatched), (project, text)


@pytest.mark.parametrize("query", ["参保", "待遇", "系统", "养老保险"])
def test_excerpts_have_no_internal_keys_or_table_debris(
    tab: object, reader_url: str, query: str
) -> None:
    ids = ask(tab, reader_url, query)
    assert ids
    excerpts = [
        e.inner_text()
        for e in tab.query_selector_all("#search-results .excerpt")  # type: ignore[attr-defined]
    ]
    assert excerpts
    for excerpt in excerpts:
        assert not re.search(r"\d{6,}\.\d\d", excerpt), excerpt  # a sort key
        assert not re.search(r"[a-z]+-[a-z]+-[a-z]+", excerpt), excerpt  # a project id
        assert not re.search(r"(\d+(\.\d+)?\.? ){3,}", excerpt), excerpt  # score cells


def test_filters_sort_and_page_live_in_the_address(tab: object, reader_url: str) -> None:
    ask(tab, reader_url, "养老")
    tab.select_option("#f-grade", "优秀")  # type: ignore[attr-defined]
    tab.select_option("#f-sort", "budget:desc")  # type: ignore[attr-defined]
    ranked = _results(tab)
    address = tab.url  # type: ignore[attr-defined]
    assert "grade=%E4%BC%98%E7%A7%80" in address and "sort=budget%3Adesc" in address, address
    assert "q=%E5%85%BB%E8%80%81" in address
    tab.goto(address)  # type: ignore[attr-defined]
    assert _results(tab) == ranked
    assert tab.input_value("#f-grade") == "优秀"  # type: ignore[attr-defined]
    assert tab.input_value("#q") == "养老"  # type: ignore[attr-defined]
    # the exact matches come in the chosen order: the largest budget first
    assert ranked[0] == "jiguan-yanglao-quekou", ranked


def test_the_mismatch_filter_finds_the_forms_whose_figures_disagree(
    tab: object, reader_url: str, reader_site: tuple[Path, Path]
) -> None:
    mismatched = _in_review(reader_site[1])
    assert mismatched
    tab.goto(f"{reader_url}search/index.html?mismatch=有不一致")  # type: ignore[attr-defined]
    assert set(every_result(tab)) == mismatched
    assert tab.input_value("#f-mismatch") == "有不一致"  # type: ignore[attr-defined]
    ask(tab, reader_url, "养老", "&mismatch=有不一致")
    narrowed = set(every_result(tab))
    ask(tab, reader_url, "养老")
    assert narrowed == mismatched & set(every_result(tab))


def test_results_page_on(tab: object, reader_url: str) -> None:
    first = ask(tab, reader_url, "分页测试")
    assert len(first) == 20
    tab.click("#search-pager a:has-text('下一页')")  # type: ignore[attr-defined]
    tab.wait_for_function("location.search.includes('page=2')")  # type: ignore[attr-defined]
    tab.wait_for_function(  # type: ignore[attr-defined]
        "document.getElementById('search-status').textContent.includes('第 21')"
    )
    second = _results(tab)
    assert len(second) == PAGED - 20 and not set(first) & set(second)
    # the second page's list counts on from 21
    assert tab.locator("#search-results").evaluate("ol => ol.start") == 21  # type: ignore[attr-defined]
    assert set(first) | set(second) == {f"fenye-{n:02d}" for n in range(PAGED)}
    tab.goto(tab.url)  # type: ignore[attr-defined]
    tab.wait_for_function(  # type: ignore[attr-defined]
        "document.getElementById('search-status').textContent.includes('第 21')"
    )
    assert _results(tab) == second


def test_an_empty_result_offers_to_clear_the_filters(tab: object, reader_url: str) -> None:
    ask(tab, reader_url, "养老", "&grade=不合格")
    assert "没有找到" in status(tab)
    button = tab.locator("#search-clear button")  # type: ignore[attr-defined]
    assert button.is_visible()
    button.click()
    tab.wait_for_function(  # type: ignore[attr-defined]
        "document.getElementById('search-status').textContent.includes('找到 ')"
    )
    assert len(_results(tab)) >= 5
    assert "grade=" not in tab.url  # type: ignore[attr-defined]


def test_a_query_reads_each_word_from_the_years_one_bundle(
    browser: object, reader_site: tuple[Path, Path], reader_url: str
) -> None:
    """2023 is split into several parts for indexing; the page reads one merged bundle, so a
    word's chunk is fetched once, not once per part (64 times at 10,000 projects)."""
    site = reader_site[1]
    assert len(pagefind.published_bundles(site)) >= 2  # the parts, as the site was built
    context = browser.new_context()  # type: ignore[attr-defined]
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    tab = context.new_page()
    try:
        assert ask(tab, reader_url, "xyz不存在的词") == []
        chunks = [url.split("/jixiao/", 1)[1] for url in fetched if url.endswith(".pf_index")]
        assert chunks and all(url.startswith("pagefind/2023/index/") for url in chunks)
        assert (
            len(chunks) == len(set(chunks)) <= len(list((site / "pagefind/2023/index").iterdir()))
        )
        metas = [url for url in fetched if url.endswith(".pf_meta")]
        assert len(metas) == 1  # one year, one bundle
    finally:
        context.close()
