"""Phones, large text, navigation and the portal's footer, in Debian's Chromium (Playwright).

Every page type at 360 px with text at 100 % and 200 % and at 1280 px: no sideways scroll of
the page, axe-core's WCAG 2.1 AA rules, a screenshot to look at (in $JIXIAO_SCREENSHOTS/layout);
listings as cards on a phone and tables on a desktop; wide form tables with a visible cue;
chart text that grows with the reader's; the 404 page at any depth, from a static server and
from `jixiao serve`; the header's search box; a printout that keeps the publisher and the date.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import BuildOptions, build

from . import chromium
from .chromium import axe_violations, hosted, opened, sideways
from .test_portal import PORTAL, with_portal
from .test_serve import ServeProcess

pytestmark = pytest.mark.browser

SCREENSHOTS = chromium.SCREENSHOTS / "layout"
DEEP_MISSING = "2023/lps-sbj/no-such-project/deeper/still/"
PAGES = {
    "home": "",
    "year": "2023/",
    "department": "2023/dept-502/",
    "unit": "2023/lps-sbj/",
    "project": "2023/lps-sbj/chengxiang-yanglao-65-zengfa/",
    "methodology": "methodology/",
    "search": "search/?q=养老",
    "data": "data/",
    "data-fields": "data/fields/",
    "review": "review/2023/",
    "review-department": "review/2023/dept-502/",
    "about": "about/",
    "accessibility": "accessibility/",
    "not-found": DEEP_MISSING,
}
MODES = {"phone": (360, 100), "phone-large-text": (360, 200), "desktop": (1280, 100)}
MASTHEAD_BLUE = "rgb(18, 60, 105)"


@pytest.fixture(scope="module")
def portal_site(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    """The bundled content with every `portal:` setting, built with search (for the header's
    box) and without PDFs."""
    work = tmp_path_factory.mktemp("portal-browser")
    content = with_portal(work / "content")
    build(BuildOptions(content=content, site=work / "site", cache=work / "cache", pdf=False))
    return work / "site"


@pytest.fixture(scope="module")
def base_url(portal_site: Path) -> Iterator[str]:
    with hosted(portal_site) as url:
        yield url


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_fits_the_screen_and_passes_axe(
    browser: object, base_url: str, kind: str, mode: str
) -> None:
    width, text = MODES[mode]
    with opened(browser, base_url + PAGES[kind], width, text) as tab:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{kind}-{mode}.png"), full_page=True)
        assert sideways(tab) == 0, f"{kind} scrolls sideways at {width} px, text {text} %"
        report = axe_violations(tab)
        assert not report, report


def test_listings_are_cards_on_a_phone_and_tables_on_a_desktop(
    browser: object, base_url: str
) -> None:
    card = "table[data-sortable] tbody tr"
    with opened(browser, base_url + "2023/", 360, 200) as tab:
        rows = tab.locator(card)
        assert rows.count() == 6
        first = rows.first
        assert first.evaluate("e => getComputedStyle(e).display") == "block"
        box = first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        labels = first.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)"
        )
        assert labels == [
            '"实施单位"',
            '"全年预算数(万元)"',
            '"全年执行数(万元)"',
            '"执行率"',
            '"申报总分"',
            '"复核总分"',
            '"等次"',
            '"问题"',
        ]
        text = first.inner_text()
        for shown in ("城乡居民养老保险65岁以上增发基础养老金", "六盘水市社会保险事业局", "95.05"):
            assert shown in text
        assert "97.5" in text and "100" in text and "优秀" in text
        assert not tab.locator("table[data-sortable] thead").is_visible() or (
            tab.locator("table[data-sortable] thead").bounding_box()["height"] <= 1
        )
    with opened(browser, base_url + "2023/", 1280) as tab:
        assert tab.locator(card).first.evaluate("e => getComputedStyle(e).display") == "table-row"
        assert tab.locator("table[data-sortable] thead th").count() == 9


def test_a_phone_sorts_the_cards_with_a_select(browser: object, base_url: str) -> None:
    """The header row a desktop clicks to sort is hidden on a phone: a 排序 select offers the
    same orders, and 默认顺序 puts the build's order back."""
    names = "table[data-sortable] tbody th[scope=row]"
    with opened(browser, base_url + "2023/", 360, 200) as tab:
        select = tab.get_by_label("排序")
        assert select.is_visible()
        before = tab.locator(names).all_inner_texts()
        select.select_option(label="复核总分 从低到高")
        column = tab.locator("table[data-sortable] thead th").all_text_contents().index("复核总分")
        scores = tab.locator("table[data-sortable] tbody tr").evaluate_all(
            f"rows => rows.map(r => parseFloat(r.cells[{column}].getAttribute('data-value')"
            f" || r.cells[{column}].textContent))"
        )
        assert scores == sorted(scores) and scores[0] < scores[-1]
        header = tab.locator("table[data-sortable] thead th").nth(column)
        assert header.get_attribute("aria-sort") == "ascending"
        select.select_option(label="默认顺序")
        assert tab.locator(names).all_inner_texts() == before
    with opened(browser, base_url + "2023/", 1280) as tab:
        assert not tab.get_by_label("排序").is_visible()


def test_wide_form_tables_keep_their_columns_reachable_with_a_cue(
    browser: object, base_url: str
) -> None:
    region = ".scroll:has(> table.indicators)"
    with opened(browser, base_url + PAGES["project"], 360, 200) as tab:
        scroll = tab.locator(region)
        cue = scroll.evaluate("e => getComputedStyle(e, '::before').content")
        assert "左右滑动" in cue
        assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")
        header = tab.locator("table.indicators thead th", has_text="复核得分")
        assert header.bounding_box()["x"] > 360  # off-screen at first: hence the cue
        header.scroll_into_view_if_needed()  # as a swipe on the table does
        assert scroll.evaluate("e => e.scrollLeft") > 0
        box = header.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 360  # reached by scrolling
        assert sideways(tab) == 0
    with opened(browser, base_url + PAGES["project"], 1280) as tab:
        assert tab.locator(region).evaluate("e => getComputedStyle(e, '::before').content") in (
            "none",
            "normal",
        )


def test_chart_text_grows_with_the_readers_text(browser: object, base_url: str) -> None:
    sizes = {}
    for text in (100, 200):
        with opened(browser, base_url + "2023/", 360, text) as tab:
            labels = tab.locator(".hbars .label")
            sizes[text] = float(
                labels.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            )
            inside = labels.evaluate_all(
                "ls => ls.every(l => { const r = l.getBoundingClientRect(); "
                "return r.left >= 0 && r.right <= innerWidth; })"
            )
            assert inside
    assert sizes[100] >= 14
    assert sizes[200] == 2 * sizes[100]


def test_the_footer_carries_the_portal_fields(browser: object, base_url: str) -> None:
    with opened(browser, base_url + PAGES["project"], 360, 200) as tab:
        footer = tab.locator("footer")
        footer.scroll_into_view_if_needed()
        text = footer.inner_text()
        for key in ("sponsor", "organizer", "phone", "email", "icp", "police", "site_code"):
            assert PORTAL[key] in text, key
        assert (
            footer.get_by_role("link", name="我要纠错").get_attribute("href")
            == (PORTAL["correction_url"])
        )
        footer.get_by_role("link", name="无障碍声明").click()
        tab.wait_for_load_state()
        assert tab.locator("h1").inner_text() == "无障碍声明"
        assert tab.url == base_url + "accessibility/"
        assert sideways(tab) == 0


def _404_works(tab: object, url: str, home: str) -> None:
    response = tab.goto(url)  # type: ignore[attr-defined]
    assert response.status == 404
    assert tab.locator("h1").inner_text() == "页面不存在"  # type: ignore[attr-defined]
    masthead = tab.locator(".masthead").evaluate("e => getComputedStyle(e).backgroundColor")  # type: ignore[attr-defined]
    assert masthead == MASTHEAD_BLUE  # the stylesheet was found from down here
    hrefs = tab.locator("main a, .masthead a, .footer-links a").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(a => a.href)"
    )
    for href in hrefs:
        if href.startswith(home):
            assert tab.request.get(href).status == 200, href  # type: ignore[attr-defined]
    tab.get_by_role("link", name="首页").click()  # type: ignore[attr-defined]
    tab.wait_for_load_state()  # type: ignore[attr-defined]
    assert tab.url == home  # type: ignore[attr-defined]
    assert tab.locator("h1").inner_text() == "六盘水市项目支出绩效自评公开"  # type: ignore[attr-defined]


def test_404_works_at_any_depth_on_a_static_host(browser: object, base_url: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        for missing in ("nope", "2023/nope.html", DEEP_MISSING):
            _404_works(tab, base_url + missing, base_url)
    finally:
        context.close()


@pytest.mark.parametrize("base", [None, "https://www.example.gov.cn/jixiao/"])
def test_404_works_at_any_depth_on_the_preview(
    browser: object, tmp_path: Path, base: str | None
) -> None:
    if base is None:
        shutil.copytree(Path(__file__).resolve().parent.parent / "content", tmp_path / "content")
    else:
        with_portal(tmp_path / "content", base_url=base)
    serve = ServeProcess(tmp_path)
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        serve.wait_until_serving()
        tab = context.new_page()
        _404_works(tab, serve.url + DEEP_MISSING, serve.url)
    finally:
        context.close()
        serve.stop()


def test_the_header_search_box_leads_to_the_search_page(browser: object, base_url: str) -> None:
    with opened(browser, base_url + PAGES["project"], 360) as tab:
        tab.fill("#site-q", "运维")
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/search/?q=*")
        assert tab.url == base_url + "search/?q=%E8%BF%90%E7%BB%B4"
        tab.wait_for_function("document.getElementById('q').value === '运维'")


def test_a_printout_keeps_the_publisher_and_the_date_of_the_data(
    browser: object, base_url: str
) -> None:
    with opened(browser, base_url + PAGES["project"], 1280) as tab:
        tab.emulate_media(media="print")
        data = tab.locator(".footer-data")
        assert data.is_visible()
        assert data.inner_text().startswith("六盘水市社会保险事业局")  # the publisher
        assert "数据截至 2023年12月25日" in data.inner_text()
        assert tab.locator(".brand").is_visible()
        for hidden in (".masthead nav", ".site-search", ".downloads", ".breadcrumb"):
            assert not tab.locator(hidden).is_visible(), hidden
        pdf = tab.pdf(format="A4")
        assert pdf.startswith(b"%PDF")


@pytest.fixture(scope="module")
def families_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The second example site (each province's layout), built without PDFs, hosted."""
    work = tmp_path_factory.mktemp("families-browser")
    content = Path(__file__).resolve().parent.parent / "docs" / "examples" / "families"
    build(BuildOptions(content=content, site=work / "site", cache=work / "cache", pdf=False))
    with hosted(work / "site") as url:
        yield url


def test_every_form_of_every_family_passes_axe_and_fits_a_phone(
    browser: object, families_url: str
) -> None:
    import re
    import urllib.request

    sitemap = urllib.request.urlopen(families_url + "sitemap.xml").read().decode()
    pages = [path for path in re.findall(r"<loc>[^<]*?/(\d{4}/[^<]+/[^<]+/)</loc>", sitemap)]
    assert len(pages) == 9
    for path in pages:
        for width, text in ((360, 200), (1280, 100)):
            with opened(browser, families_url + path, width, text) as tab:
                report = axe_violations(tab)
                assert not report, (path, width, report)
                assert sideways(tab) == 0, (path, width)
