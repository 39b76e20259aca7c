"""A form's declared figures are shown as typed: what the finance bureau typed prints so.

A 分值 or 得分 the form declares (an indicator row's, a 一级/二级指标's, the funding block's, the
总分 row's, 财政审核评分) keeps its digits everywhere it is shown: in the PDF form, its annex
and the booklet's contents, on the project page, in the listings, the 复核 pages, the feed
and the search meta (9.50 stays 9.50, 100.00 stays 100.00, 10.0 stays 10.0; 10 and 0.5 as
they are). A figure jixiao computed (复核) is written as before: 94, not 94.00.

The forms are ours (tests/typed_forms.py). Before this, every declared figure lost its
trailing zeros (9.50 printed 9.5, 100.00 printed 100).
"""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from builder.formats import declared_text, figure_text, rate_as_printed

from .typed_forms import UNIT, site_file, typed_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    """The two forms of tests/typed_forms.py built with PDFs: the site folder."""
    return typed_site(tmp_path_factory.mktemp("typed"), example_site)


def _pdf_text(pdf: Path, first: int = 1, last: int = 99) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _form_and_annex(site: Path, name: str) -> tuple[str, str]:
    form, annex = _pdf_text(site_file(site, name, ".pdf")).split("附:复核计算结果")
    return form, annex


def _words_of_line(text: str, word: str) -> list[str]:
    """The words of the first line of `text` holding `word`."""
    (line, *_) = [line for line in text.splitlines() if word in line]
    return line.split()


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _rows(table: Tag) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find_all("tr")
    ]


def _table(soup: BeautifulSoup, caption: str) -> list[list[str]]:
    for table in soup.find_all("table"):
        if table.caption and table.caption.get_text(strip=True).startswith(caption):
            return _rows(table)
    raise AssertionError(f"no table {caption}")


def _facts(soup: BeautifulSoup) -> dict[str, str]:
    """The page's summary: each <dt> with the text of its <dd>."""
    return {
        dt.get_text(strip=True): dt.find_next("dd").get_text("", strip=True)
        for dt in soup.find_all("dt")
    }


# --- the formatting functions -----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9.50", "10.0", "10", "0.5", "100.00", "0", "0.00"])
def test_a_declared_figure_is_written_as_typed_a_computed_one_plain(typed: str) -> None:
    value = Decimal(typed)
    assert declared_text(value) == typed
    assert figure_text(value) == (typed.rstrip("0").rstrip(".") if "." in typed else typed)
    assert rate_as_printed(value) == typed  # the 执行率 cells, as before


def test_a_blank_or_a_dash_is_shown_as_before() -> None:
    assert declared_text(None) == "—" and declared_text(None, "") == ""
    assert declared_text("—") == "—" and declared_text("/") == "/"


# --- the PDF -----------------------------------------------------------------------------


def test_the_pdf_form_prints_each_declared_figure_as_typed(site: Path) -> None:
    form, _ = _form_and_annex(site, "typed-central")
    # Indicator rows: 分值 then 得分.
    assert _words_of_line(form, "发放人数")[-2:] == ["50.00", "9.50"]
    assert _words_of_line(form, "社会效益 ")[-2:] == ["30.0", "10.0"]
    assert _words_of_line(form, "群众满意度")[-2:] == ["10", "0.5"]
    # 一级指标 分值 under their names, the funding block's 分值/执行率/得分, the 总分 row.
    for points in ("(50.00分)", "(30.0分)", "(10分)"):
        assert points in form
    assert _words_of_line(form, "年度资金总额")[-3:] == ["10.00", "100.00", "10.00"]
    assert _words_of_line(form, "总分")[-2:] == ["100.00", "30.00"]


def test_the_pdf_of_a_form_with_funding_rows_prints_them_as_typed(site: Path) -> None:
    form, _ = _form_and_annex(site, "typed-rows")
    assert _words_of_line(form, "年度资金总额")[-3:] == ["10.0", "100.00", "9.50"]
    assert _words_of_line(form, "当年财政拨款")[-3:] == ["—", "—", "—"]
    assert "(50.00分)" in form  # the 二级指标's 分值
    assert _words_of_line(form, "维护路灯数量")[-2:] == ["50", "40.50"]
    assert _words_of_line(form, "市民满意度")[-2:] == ["10", "10.0"]
    assert _words_of_line(form, "总分")[-2:] == ["100", "90.00"]
    assert _words_of_line(form, "财政审核评分")[-1] == "88.50"


def test_the_annex_shows_the_declared_figures_as_typed_the_computed_plain(site: Path) -> None:
    _, annex = _form_and_annex(site, "typed-central")
    assert _words_of_line(annex, "预算执行率(%)")[1:] == ["100.00", "100"]
    assert _words_of_line(annex, "执行率得分")[1:] == ["10.00", "10"]
    assert _words_of_line(annex, "总分")[1:] == ["30.00", "94", "*"]
    # A 一级指标's declared 得分 added up is jixiao's sum: written plain, as before.
    assert _words_of_line(annex, "产出指标得分")[1:] == ["9.5", "50", "*"]
    listed = annex.split("得分与评分规则不一致的指标")[1]
    assert _words_of_line(listed, "发放人数")[1:] == ["9.50", "50"]
    assert _words_of_line(listed, "社会效益")[1:] == ["10.0", "24–30"]


def test_the_booklet_lists_the_declared_total_as_typed(site: Path) -> None:
    contents = _pdf_text(site / "2023" / UNIT / f"{UNIT}-2023.pdf", 1, 2)
    assert _words_of_line(contents, "尾零照录测试项目")[-4:-1] == ["30.00", "94", "优秀"]
    assert _words_of_line(contents, "分行资金尾零测试项目")[-4:-1] == ["90.00", "100", "优秀"]


# --- the pages ---------------------------------------------------------------------------


def test_the_project_page_shows_the_declared_figures_as_typed(site: Path) -> None:
    soup = _soup(site_file(site, "typed-central", "").parent / "index.html")
    rows = _table(soup, "绩效指标")
    assert rows[1][:2] == ["产出指标 (50.00分)", "数量指标"]
    assert rows[1][5:8] == ["50.00", "9.50", "50 *"]
    assert rows[2][0] == "效益指标 (30.0分)" and rows[2][5:8] == ["30.0", "10.0", "24 *"]
    assert rows[3][0] == "满意度指标 (10分)" and rows[3][5:8] == ["10", "0.5", "10 *"]
    assert rows[4][:4] == ["总分", "100.00", "30.00", "94"]
    funding = _table(soup, "项目资金")
    assert funding[1][4:] == ["10.00", "100.00", "10.00", "10"]
    parts = _table(soup, "各部分得分")
    assert parts[1:] == [
        ["预算执行率", "10.00", "10"],
        ["产出指标", "50.00", "50"],
        ["效益指标", "30.0", "24"],
        ["满意度指标", "10", "10"],
        ["合计", "100.00", "94"],
    ]
    facts = _facts(soup)
    assert facts["申报总分"] == "30.00分" and facts["复核总分"] == "94分"
    assert soup.find(attrs={"data-pagefind-meta": "declared"}).get_text() == "30.00"
    assert soup.find(attrs={"data-pagefind-meta": "score"}).get_text() == "94"
    gap = soup.find(string=re.compile("复核总分比申报"))
    assert "“发放人数”申报 9.50 分、按规则为 50 分" in gap
    assert "“社会效益”申报 10.0 分、按规则为 24 分" in gap


def test_the_page_of_a_form_with_funding_rows_shows_them_as_typed(site: Path) -> None:
    soup = _soup(site_file(site, "typed-rows", "").parent / "index.html")
    funding = _table(soup, "项目资金")
    assert funding[1][4:] == ["10.0", "100.00", "9.50", "10"]
    assert funding[2][4:7] == ["—", "—", "—"]
    rows = _table(soup, "绩效指标")
    assert rows[1][1] == "数量指标 (50.00分)" and rows[1][5:7] == ["50", "40.50"]
    assert rows[4][:4] == ["总分", "100", "90.00", "100"]
    facts = _facts(soup)
    assert facts["申报总分"] == "90.00分" and facts["财政审核评分"] == "88.50分"


def test_the_listings_feed_and_review_pages_show_the_declared_total_as_typed(site: Path) -> None:
    for listing in (site / "2023" / UNIT / "index.html", site / "2023" / "index.html"):
        cells = {
            row.find("a").get_text(strip=True): [
                row.find(attrs={"data-label": label}).get_text(" ", strip=True)
                for label in ("申报总分", "复核总分")
            ]
            for row in _soup(listing).select("[role=row]")
            if row.find("a") and row.find(attrs={"data-label": "申报总分"})
        }
        assert cells["尾零照录测试项目"] == ["30.00", "94"], listing
        assert cells["分行资金尾零测试项目"] == ["90.00", "100"], listing
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "复核总分 94,优秀;申报总分 30.00。" in feed
    review = _soup(site / "review" / "2023" / "index.html")
    declared = [
        td.get_text(strip=True) for td in review.find_all("td", attrs={"data-label": "申报总分"})
    ]
    assert sorted(declared) == ["30.00", "90.00"]
    computed = [
        td.get_text(strip=True) for td in review.find_all("td", attrs={"data-label": "复核总分"})
    ]
    assert sorted(computed) == ["100", "94"]
