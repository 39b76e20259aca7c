"""Each form in its own words and figures, on the page and in the PDF (issue 12): the words
its family prints or the form's own (`labels:`), no 自评结论 row where it prints none, a blank
funding cell blank and a dash as printed, the figures as printed with nothing the rules
computed in a printed column, and departments of one name told apart by their codes.

The PDF is read back with pdfplumber (its table cells) and pdftotext, the page with
BeautifulSoup.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from bs4 import BeautifulSoup, Tag

from builder.build import BuildOptions, build
from builder.form.load import load_project

from .conftest import SITE_YAML, minimal_project, write_project
from .sitebuild import link_example_fonts

UNIT = "ceshi"


def _central_own_words() -> dict[str, Any]:
    """A central form as the 云南 one prints it: its own header words, its heading's 部门,
    sub-rows printing — in 分值 and 得分 and one printing nothing, amounts in 万元 with their
    own decimals, no 执行率 printed, no 自评结论 and a grade."""
    data = minimal_project(
        id="ziji-yongci",
        filing_unit="某县某中学",
        labels={
            "unit": "部门",
            "budget": "全年预算数",
            "executed": "全年执行数",
            "actual": "实际完成值",
            "reason": "偏差原因分析及改进措施",
        },
        funding={
            "amount_unit": "万元",
            "rows": [
                {
                    "name": "年度资金总额",
                    "total": True,
                    "budget": 880,
                    "executed": "880.0000",
                    "weight": 10,
                    "score": 10,
                },
                {
                    "name": "其中:当年财政拨款",
                    "budget": 880,
                    "executed": 880,
                    "weight": "—",
                    "score": "—",
                },
                {"name": "上年结转资金"},
            ],
        },
        declared={"total": 100, "grade": "优"},
    )
    return data


def _hubei() -> dict[str, Any]:
    """A 湖北 2020 form: its rate printed as the ratio 0.85, its two blocks of text, its funding
    得分 column headed as the real one heads it."""
    rows = [
        {k: v for k, v in row.items() if k != "weight"} for row in minimal_project()["indicators"]
    ]
    return minimal_project(
        id="hubei",
        template="hubei-2020",
        labels={"funding_score": "得分(20分*执行率)"},
        funding={
            "rows": [{"name": "年度财政资金总额", "total": True, "budget": 20, "executed": 17}]
        },
        weights={"execution": 20},
        indicators=[{**row, "score": 10} for row in rows],
        declared={
            "execution_ratio": "0.85",
            "execution_score": 17,
            "total": 47,
            "problems": "执行率偏低",
            "improvements": "加快支付进度",
        },
    )


def _seed_like() -> dict[str, Any]:
    """The bundled forms' spelling: funding by key, a 自评结论; sub-rows print - as theirs do."""
    return minimal_project(
        id="zhonglai",
        funding={
            "total": {"initial": 1000, "budget": 1000, "executed": 1000},
            "fiscal": {"initial": 1000, "budget": 1000, "executed": 1000},
        },
        declared={
            "execution_rate": "100.00",  # as the bundled forms print it: no sign
            "execution_score": 10,
            "total": 100,
            "conclusion": "完成较好。",
            "grade": "优秀",
        },
    )


def _signed_rates() -> dict[str, Any]:
    """A central form as 云南 永德's prints its 执行率, with the sign (98.50%), its funding
    written as rows; a sub-row printing its own rate with a full-width sign."""
    return minimal_project(
        id="baifenhao",
        funding={
            "rows": [
                {
                    "name": "年度资金总额",
                    "total": True,
                    "budget": 1000,
                    "executed": 985,
                    "weight": 10,
                    "rate": "98.50%",
                    "score": "9.85",
                },
                {"name": "其中:当年财政拨款", "budget": 1000, "executed": 985, "rate": "98.5％"},
            ]
        },
    )


FORMS = {
    "ziji-yongci": _central_own_words,
    "hubei": _hubei,
    "zhonglai": _seed_like,
    "baifenhao": _signed_rates,
}


@pytest.fixture(scope="module")
def words_site(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    """The forms above and four departments (two of one name, one of it without a code, one
    of another name), built with PDFs: the site folder."""
    root = tmp_path_factory.mktemp("words")
    content = root / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for name, form in FORMS.items():
        write_project(content, form(), f"{name}.yaml", UNIT)
    for id_, department in (
        ("jiaoyu-401", {"name": "县教育局", "code": "401"}),
        ("jiaoyu-402", {"name": "县教育局", "code": "402"}),
        ("jiaoyu-none", {"name": "县教育局"}),
        ("weisheng", {"name": "县卫生局", "code": "403"}),
    ):
        write_project(content, minimal_project(id=id_, department=department), f"{id_}.yaml", "bm")
    link_example_fonts(example_site, root / "cache" / "pdf")
    site = root / "site"
    build(BuildOptions(content=content, site=site, cache=root / "cache"))
    return site


def _page(site: Path, name: str, unit: str = UNIT) -> BeautifulSoup:
    html = (site / "2023" / unit / name / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def _pdf(site: Path, name: str) -> Path:
    return site / "2023" / UNIT / name / f"{name}.pdf"


def _pdf_rows(site: Path, name: str) -> list[list[str]]:
    """The first page's table rows: each cell's text without white space (None: merged)."""
    with pdfplumber.open(_pdf(site, name)) as pdf:
        tables = pdf.pages[0].extract_tables()
    return [
        [re.sub(r"\s+", "", cell) if cell is not None else None for cell in row]
        for table in tables
        for row in table
    ]


def _pdf_row(site: Path, name: str, first: str) -> list[str | None]:
    """The PDF table row with a cell that begins with `first`, from that cell on."""
    for row in _pdf_rows(site, name):
        for i, cell in enumerate(row):
            if cell and cell.startswith(first):
                return row[i:]
    raise AssertionError(f"no row {first} in {name}")


def _pdf_text(site: Path, name: str) -> str:
    """The form's text (pdftotext), without the annex of computed figures."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(_pdf(site, name)), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("附:复核计算结果")[0]


def _funding_table(page: BeautifulSoup) -> Tag:
    return page.find("section", attrs={"aria-labelledby": "funding"}).table


def _funding_rows(page: BeautifulSoup) -> dict[str, list[str]]:
    """The page's funding rows by name: their cells' text (the form's, then 复核得分)."""
    return {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in _funding_table(page).tbody.find_all("tr")
    }


def _funding_heads(page: BeautifulSoup) -> list[str]:
    return [th.get_text(strip=True) for th in _funding_table(page).thead.find_all("th")]


# --- item 5: the form's words ---------------------------------------------------------------


def test_the_form_s_own_words_head_its_columns_on_the_page(words_site: Path) -> None:
    page = _page(words_site, "ziji-yongci")
    assert _funding_heads(page)[2:4] == ["全年预算数", "全年执行数"]
    heads = [
        th.get_text(strip=True)
        for th in page.find("table", class_="indicators").thead.find_all("th")
    ]
    assert "实际完成值" in heads and "偏差原因分析及改进措施" in heads
    assert "未完成原因分析" not in heads and "实际完成值(B)" not in heads
    facts = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in page.find("dl", class_="facts").find_all("div")
    }
    assert facts.get("部门") == "某县某中学" and "单位(盖章)" not in facts


def test_the_form_s_own_words_head_its_columns_in_the_pdf(words_site: Path) -> None:
    funding = _pdf_row(words_site, "ziji-yongci", "资金来源")
    assert [c for c in funding if c][1:4] == ["年初预算数", "全年预算数", "全年执行数"]
    text = _pdf_text(words_site, "ziji-yongci")
    assert "部门:某县某中学" in text and "单位(盖章)" not in text
    flat = re.sub(r"\s+", "", text)
    assert "偏差原因分析及改进措施" in flat and "未完成原因分析" not in flat


def test_hubei_s_funding_score_column_is_headed_in_its_words(words_site: Path) -> None:
    """Old code: `labels: {funding_score: …}` an unknown key (the form held back); the
    column could only be headed 得分."""
    heads = _pdf_row(words_site, "hubei", "预算数(A)")
    assert [c for c in heads if c] == ["预算数(A)", "执行数(B)", "执行率(B/A)", "得分(20分*执行率)"]
    indicators = _pdf_row(words_site, "hubei", "年初目标值(A)")
    assert [c for c in indicators if c][-1] == "得分"  # the indicator table's own, as before
    assert _funding_heads(_page(words_site, "hubei"))[-2] == "申报得分(20分*执行率)"


def test_a_form_without_a_conclusion_prints_no_conclusion_row(words_site: Path) -> None:
    """Old code: a 自评结论 row (with 自评等次:优 in it) on a form that prints none, and a page
    section 自评结论 saying 原表未填写."""
    text = re.sub(r"\s+", "", _pdf_text(words_site, "ziji-yongci"))
    assert "自评结论" not in text
    total = _pdf_row(words_site, "ziji-yongci", "总分")
    assert "优" in total and "100" in total  # the grade in the 总分 row, as 云南's prints it
    page = _page(words_site, "ziji-yongci")
    assert "自评结论" not in page.get_text() and "原表未填写" not in page.get_text()
    assert page.find("h2", id="conclusion").get_text(strip=True) == "申报等次"
    hubei = _page(words_site, "hubei")
    assert hubei.find("h2", id="conclusion").get_text(strip=True) == "原表说明"
    assert "自评结论" not in re.sub(r"\s+", "", _pdf_text(words_site, "hubei"))


def test_a_form_with_a_conclusion_keeps_its_row(words_site: Path) -> None:
    row = [c for c in _pdf_row(words_site, "zhonglai", "自评结论") if c]
    assert row == ["自评结论", "完成较好。自评等次:优秀"]
    page = _page(words_site, "zhonglai")
    assert page.find("h2", id="conclusion").get_text(strip=True) == "自评结论"


def test_hubei_s_blocks_are_headed_in_its_words(words_site: Path) -> None:
    """Old code: 存在问题 and 改进措施."""
    problems = [c for c in _pdf_row(words_site, "hubei", "偏差大") if c]
    assert problems == ["偏差大或目标未完成原因分析", "执行率偏低"]
    improvements = [c for c in _pdf_row(words_site, "hubei", "改进措施") if c]
    assert improvements == ["改进措施及结果应用方案", "加快支付进度"]
    assert "存在问题" not in _pdf_text(words_site, "hubei")
    page = _page(words_site, "hubei")
    heads = [h.get_text(strip=True) for h in page.find_all("h3")]
    assert "偏差大或目标未完成原因分析" in heads and "改进措施及结果应用方案" in heads


def test_labels_are_checked_against_the_known_keys(tmp_path: Path) -> None:
    content = tmp_path / "content"
    path = write_project(content, minimal_project(labels={"reasons": "偏差原因分析"}))
    loaded = load_project(path)
    assert loaded.project is None
    codes = {(f.code, f.field) for f in loaded.findings}
    assert ("schema-extra-forbidden", "labels.reasons") in codes
    empty = load_project(write_project(content, minimal_project(labels={"unit": ""}), "b.yaml"))
    assert empty.project is None and empty.findings[0].field == "labels.unit"


def test_a_form_without_labels_dumps_as_before() -> None:
    from builder.form.model import Project

    data = minimal_project()
    assert "labels" not in Project.model_validate(data).model_dump(mode="json", by_alias=True)


# --- item 6: blank cells blank, dashes as printed --------------------------------------------


def test_funding_cells_are_blank_or_dashed_as_printed_on_the_page(words_site: Path) -> None:
    """Old code: "-" in every 分值/执行率/得分 cell of both sub-rows."""
    rows = _funding_rows(_page(words_site, "ziji-yongci"))
    # 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 申报得分, 复核得分
    assert rows["其中:当年财政拨款"] == ["", "880", "880", "—", "", "—", ""]
    assert rows["上年结转资金"] == [""] * 7
    seed = _funding_rows(_page(words_site, "zhonglai"))
    assert seed["财政拨款"][3:] == ["-"] * 4  # written by key: the seed template's dashes


def test_funding_cells_are_blank_or_dashed_as_printed_in_the_pdf(words_site: Path) -> None:
    """Old code: "-" in the 分值/执行率/得分 cells of both sub-rows."""
    printed = _pdf_row(words_site, "ziji-yongci", "其中:当年财政拨款")
    assert [c for c in printed if c is not None] == [
        "其中:当年财政拨款",
        "",
        "880",
        "880",
        "—",
        "",
        "—",
    ]
    blank = _pdf_row(words_site, "ziji-yongci", "上年结转资金")
    assert [c for c in blank if c is not None] == ["上年结转资金"] + [""] * 6
    seed = _pdf_row(words_site, "zhonglai", "财政拨款")
    assert [c for c in seed if c is not None][-3:] == ["-", "-", "-"]


# --- item 7: the figures as printed, the computed ones apart ---------------------------------


def test_the_page_shows_the_figures_as_printed(words_site: Path) -> None:
    """Old code: 880.00 for 880, 100.00% in the 执行率 column the form leaves blank, 85.00%
    for a printed ratio 0.85."""
    rows = _funding_rows(_page(words_site, "ziji-yongci"))
    assert rows["年度资金总额"] == ["", "880", "880.0000", "10", "", "10", "10"]
    hubei = _page(words_site, "hubei")
    assert _funding_heads(hubei)[1:] == [
        "预算数(A)",
        "执行数(B)",
        "执行率(B/A)",
        "申报得分(20分*执行率)",
        "复核得分",
    ]
    assert _funding_rows(hubei)["年度财政资金总额"] == ["20", "17", "0.85", "17", "17"]
    seed = _funding_rows(_page(words_site, "zhonglai"))
    assert seed["年度资金总额"] == ["1,000", "1,000", "1,000", "", "100.00", "10", "10"]


def test_the_rate_is_shown_as_printed_on_the_page_and_in_the_pdf(words_site: Path) -> None:
    """Old code: the PDF printed 98.5 where the form prints 98.50% (and 100 for 100.00), the
    page 100.00% where it prints 100.00: each by its own rule, neither as the form."""
    for name, row, printed in (
        ("baifenhao", "年度资金总额", "98.50%"),
        ("baifenhao", "其中:当年财政拨款", "98.5%"),
        ("zhonglai", "年度资金总额", "100.00"),
        ("hubei", "年度财政资金总额", "0.85"),
    ):
        page = _page(words_site, name)
        column = next(i for i, h in enumerate(_funding_heads(page)) if h.startswith("执行率"))
        assert _funding_rows(page)[row][column - 1] == printed, (name, row)
        cells = [c for c in _pdf_row(words_site, name, row) if c is not None]
        assert printed in cells, (name, row, cells)
        assert f"{printed}%" not in cells


def test_no_computed_figure_stands_in_a_printed_column(words_site: Path) -> None:
    page = _page(words_site, "ziji-yongci")
    table = _funding_table(page).get_text()
    assert "100.00%" not in table and "100%" not in table  # the rules' rate, not printed
    text = re.sub(r"\s+", "", _pdf_text(words_site, "ziji-yongci"))
    assert "100.00%" not in text


# --- item 8: departments of one name -----------------------------------------------------------


def test_departments_of_one_name_are_told_apart_by_their_codes(words_site: Path) -> None:
    """Old code: three listings, cards and headings all titled 县教育局."""
    year = BeautifulSoup(
        (words_site / "2023/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    listed = [
        a.get_text(strip=True)
        for a in year.find("section", attrs={"aria-labelledby": "depts"}).find_all("a")
    ]
    assert {"县教育局(401)", "县教育局(402)", "县教育局(无代码)", "县卫生局"} <= set(listed)
    assert "县教育局" not in listed and "县卫生局(403)" not in listed  # a unique name as it is
    home = BeautifulSoup((words_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    cards = [
        s.get_text(strip=True)
        for s in home.find("section", attrs={"aria-labelledby": "departments"}).find_all("strong")
    ]
    assert {"县教育局(401)", "县教育局(402)", "县教育局(无代码)"} <= set(cards)
    titles = set()
    for folder in (words_site / "2023").glob("dept-*"):
        page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
        h1 = page.h1.contents[0].strip()
        crumb = page.find("nav", class_="breadcrumb").find("span", attrs={"aria-current": "page"})
        assert crumb.get_text(strip=True) == h1 and h1 in page.title.get_text()
        titles.add(h1)
        # Its projects' breadcrumbs name it the same way (首页 › 年度 › 主管部门 › 单位 › 项目).
        project = page.find("table", attrs={"data-sortable": True}).tbody.th.a["href"]
        soup = BeautifulSoup((folder / project / "index.html").read_text("utf-8"), "html.parser")
        crumbs = soup.find("nav", class_="breadcrumb").find_all("li")
        assert len(crumbs) == 5 and crumbs[2].get_text(strip=True) == h1
    assert {"县教育局(401)", "县教育局(402)", "县教育局(无代码)", "县卫生局"} <= titles


def test_the_search_filter_tells_departments_of_one_name_apart(words_site: Path) -> None:
    """Old code: the search page's 主管部门 filter offered 县教育局 once, and choosing it found
    the projects of all three departments of that name (its value was the name)."""
    from builder.urls import department_key

    search = BeautifulSoup(
        (words_site / "search/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    choices = {
        option.get_text(strip=True): option["value"]
        for option in search.find("select", id="f-dept").find_all("option")
        if option["value"]
    }
    no_code = department_key("", "县教育局")
    assert choices == {
        "县教育局(401)": "401",
        "县教育局(402)": "402",
        "县教育局(无代码)": no_code,
        "县卫生局": "403",
        "测试局": "502",
    }
    # What Pagefind indexes of each project page: its department's key as the filter value.
    for id_, value in (("jiaoyu-401", "401"), ("jiaoyu-none", no_code), ("weisheng", "403")):
        page = _page(words_site, id_, "bm")
        assert page.find("span", attrs={"data-pagefind-filter": "主管部门"}).text == value
