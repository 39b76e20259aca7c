"""Each layout family's columns in its own order and words, and only the 分值 a form prints
(issue 12, item 4 "in the form's column order"; "nothing invented"), on the project page and
in the PDF form alike.

The forms are small ones of each family, written here. The headers expected below are what
the real forms of each family print (see builder/layouts.py for where each comes from); the
PDF's are read back from the PDF itself (pdfplumber's table cells), the page's with
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

from .conftest import SITE_YAML, minimal_project, write_project
from .sitebuild import link_example_fonts

UNIT = "ceshi"
# A policy whose 一级 分值 differ from the rows' sums, so that a figure taken from it shows.
POLICY_SITE_YAML = (
    SITE_YAML
    + """  weights:
    execution: 15
    levels: {产出指标: 45, 效益指标: 35, 满意度指标: 5}
"""
)


def _rows(**extra: Any) -> list[dict[str, Any]]:
    """The minimal form's three rows, each with `extra` keys."""
    return [{**row, **extra} for row in minimal_project()["indicators"]]


def _forms() -> dict[str, dict[str, Any]]:
    """One small form per family, by id. None prints its 一级 分值, its execution 分值 or its
    总分 分值, except `yinchuan`, which prints all three."""
    split = [
        {**row, "nature": "≥", "target": "100", "unit": "人"} if i == 0 else row
        for i, row in enumerate(_rows())
    ]
    hubei_rows = [{k: v for k, v in row.items() if k != "weight"} for row in _rows(score=10)]
    return {
        "zhongyang": minimal_project(id="zhongyang"),
        "zhongyang-fenlie": minimal_project(id="zhongyang-fenlie", indicators=split),
        "anhui": minimal_project(
            id="anhui",
            template="anhui-xianjie",
            funding={
                "rows": [{"name": "年度资金总额", "total": True, "budget": 100, "executed": 90}]
            },
            indicators=_rows(score=9),
        ),
        "sichuan": minimal_project(
            id="sichuan",
            template="sichuan",
            goals={"planned": "计划", "achieved": "完成", "implementation": "九月招标,十月配送。"},
        ),
        "hubei": minimal_project(
            id="hubei",
            template="hubei-2020",
            filing_unit="农业工作科",
            funding={
                "rows": [{"name": "年度财政资金总额", "total": True, "budget": 9, "executed": 9}]
            },
            indicators=hubei_rows,
        ),
        "yinchuan": minimal_project(
            id="yinchuan",
            template="yinchuan",
            weights={"execution": 10, "levels": {"产出指标": 50, "效益指标": 30, "满意度指标": 10}},
            declared={"total_weight": 100},
        ),
    }


@pytest.fixture(scope="module")
def layout_site(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    """The forms above built with PDFs (the example build's fonts reused): the site folder."""
    root = tmp_path_factory.mktemp("layouts")
    content = root / "content"
    content.mkdir()
    (content / "site.yaml").write_text(POLICY_SITE_YAML, encoding="utf-8")
    for name, form in _forms().items():
        write_project(content, form, f"{name}.yaml", UNIT)
    link_example_fonts(example_site, root / "cache" / "pdf")
    site = root / "site"
    build(BuildOptions(content=content, site=site, cache=root / "cache"))
    return site


def _pdf(site: Path, name: str) -> Path:
    return site / "2023" / UNIT / name / f"{name}.pdf"


def _pdf_rows(site: Path, name: str) -> list[list[str]]:
    """The rows of the first page's tables as the PDF has them: each cell's text without
    spaces or line breaks, the cells a merged cell covers left out."""
    with pdfplumber.open(_pdf(site, name)) as pdf:
        tables = pdf.pages[0].extract_tables()
    return [
        [re.sub(r"\s+", "", cell) for cell in row if cell is not None]
        for table in tables
        for row in table
    ]


def _pdf_row(site: Path, name: str, first: str) -> list[str]:
    """The PDF's table row whose first cell begins with `first`."""
    return next(row for row in _pdf_rows(site, name) if row and row[0].startswith(first))


def _page(site: Path, name: str) -> BeautifulSoup:
    html = (site / "2023" / UNIT / name / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def _heads(row: Tag) -> list[str]:
    return [th.get_text(strip=True) for th in row.find_all("th")]


def _pdf_text(site: Path, name: str) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(_pdf(site, name)), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("附:复核计算结果")[0]


# --- the columns of each family, in its order and words ------------------------------------

CENTRAL_FUNDING = [
    "资金来源",
    "年初预算数",
    "全年预算数(A)",
    "全年执行数(B)",
    "分值",
    "执行率",
    "得分",
]
CENTRAL_INDICATORS = ["年度指标值(A)", "实际完成值(B)", "分值", "得分", "未完成原因分析"]
FUNDING = {
    "zhongyang": CENTRAL_FUNDING,
    "zhongyang-fenlie": CENTRAL_FUNDING,
    # 衔接资金: no 年初预算数 column unless a row prints one
    "anhui": ["资金来源", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
    "sichuan": [
        "年度预算数",
        "年初预算",
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "权重",
        "得分",
    ],
    "hubei": ["", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分"],
    "yinchuan": CENTRAL_FUNDING,
}
# After 一级/二级/三级指标: the first header row, then the second (under a group heading).
INDICATORS = {
    "zhongyang": (CENTRAL_INDICATORS, []),
    "zhongyang-fenlie": (
        ["年度指标值", "实际完成值(B)", "分值", "得分", "未完成原因分析"],
        ["指标性质", "指标值", "度量单位"],
    ),
    "anhui": (["分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施"], []),
    "sichuan": (["指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"], []),
    "hubei": (["年初目标值(A)", "实际完成值(B)", "得分"], []),
    "yinchuan": (CENTRAL_INDICATORS, []),
}
LEVELS = ["一级指标", "二级指标", "三级指标"]


@pytest.mark.parametrize("name", sorted(FUNDING))
def test_the_pdf_prints_the_funding_columns_of_the_form_s_family(
    layout_site: Path, name: str
) -> None:
    title = (
        "预算执行情况"
        if name in ("sichuan", "hubei")
        else "资金情况"
        if name == "anhui"
        else "项目资金"
    )
    assert _pdf_row(layout_site, name, title)[1:] == FUNDING[name]


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_the_pdf_prints_the_indicator_columns_of_the_form_s_family(
    layout_site: Path, name: str
) -> None:
    top, below = INDICATORS[name]
    rows = _pdf_rows(layout_site, name)
    head = next(i for i, row in enumerate(rows) if row and row[0] == "绩效指标")
    assert rows[head] == ["绩效指标", *LEVELS, *top]
    if below:
        assert rows[head + 1] == below


@pytest.mark.parametrize("name", sorted(FUNDING))
def test_the_page_shows_the_funding_columns_of_the_form_s_family(
    layout_site: Path, name: str
) -> None:
    table = _page(layout_site, name).find("section", attrs={"aria-labelledby": "funding"})
    row = table.select_one("thead tr")
    # A column the form prints without a title shows none; a screen reader hears one.
    hidden = [span.extract().get_text() for span in row.select(".visually-hidden")]
    assert hidden == ([] if FUNDING[name][0] else ["资金来源(原表此栏无标题)"])
    heads = _heads(row)
    # The page names the form's 得分 申报得分 and adds the 复核得分 beside it.
    expected = [f"申报{h}" if h == "得分" else h for h in FUNDING[name]] + ["复核得分"]
    assert heads == expected


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_the_page_shows_the_indicator_columns_of_the_form_s_family(
    layout_site: Path, name: str
) -> None:
    top, below = INDICATORS[name]
    table = _page(layout_site, name).select_one("table.indicators")
    rows = table.select("thead tr")
    expected = [w for h in top for w in ([f"申报{h}", "复核得分"] if h == "得分" else [h])]
    assert _heads(rows[0]) == [*LEVELS, *expected]
    assert [_heads(row) for row in rows[1:]] == ([below] if below else [])
    if below:  # under a group heading, every other header cell spans both rows
        spans = [(th.get("colspan"), th.get("rowspan")) for th in rows[0].find_all("th")]
        assert all(rows == "2" for span, rows in spans if span is None), spans
    # Each body row has as many cells as the header has columns.
    width = sum(int(th.get("colspan", 1)) for th in rows[0].find_all("th"))
    first = table.select_one("tbody tr")
    assert sum(int(c.get("colspan", 1)) for c in first.find_all(["th", "td"])) == width


def test_the_cells_follow_the_headers_in_the_pdf_and_on_the_page(layout_site: Path) -> None:
    # 安徽衔接资金: 分值 before 年度指标值, 得分 after 全年实际值.
    assert _pdf_row(layout_site, "anhui", "产出指标")[2:7] == [
        "发放人数",
        "50",
        "≥100人",
        "≥100人",
        "9",
    ]
    row = _page(layout_site, "anhui").select_one("table.indicators tbody tr")
    cells = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
    assert cells[2:7] == ["发放人数", "50", "≥100人", "≥100人", "9"]  # then 复核得分
    # 四川 prints 指标性质 and 度量单位 columns even where a row leaves them blank.
    assert _pdf_row(layout_site, "sichuan", "产出指标")[2:7] == [
        "发放人数",
        "",
        "≥100人",
        "",
        "≥100人",
    ]


# --- only the 分值 the form prints ------------------------------------------------------------


@pytest.mark.parametrize("name", ["zhongyang", "zhongyang-fenlie", "anhui", "sichuan"])
def test_a_form_that_prints_no_level_points_shows_none_of_the_policy_s(
    layout_site: Path, name: str
) -> None:
    """Row 分值 printed, 一级 分值, execution 分值 and 总分 分值 not: none of the policy's
    (45/35/5, 15, 100) is shown in the PDF or on the page as if the form printed it."""
    text = _pdf_text(layout_site, name)
    assert not re.search(r"\(\d+分\)", text.replace("(10分)", "")), text  # 四川's own title
    total = _pdf_row(layout_site, name, "总分")
    assert "100" not in total and "15" not in total, total
    funding_total = _pdf_row(layout_site, name, "年度资金总额")
    assert "15" not in funding_total, funding_total
    page = _page(layout_site, name)
    indicators = page.select_one("table.indicators")
    assert not indicators.find("small"), indicators.find("small")  # no (…分) under a 一级
    assert indicators.select_one("tr.total td.num").get_text(strip=True) in ("", "9", "10")
    breakdown = page.find("section", attrs={"aria-labelledby": "breakdown"})
    worths = [r.select("td")[0].get_text(strip=True) for r in breakdown.select("tbody tr")]
    assert worths == [""] * len(worths), worths


def test_a_form_that_prints_its_points_shows_them(layout_site: Path) -> None:
    """The same places show the form's own 分值 where it prints them (the 银川 form)."""
    cells = {cell for row in _pdf_rows(layout_site, "yinchuan") for cell in row}
    assert {"产出指标(50分)", "效益指标(30分)", "满意度指标(10分)"} <= cells
    assert _pdf_row(layout_site, "yinchuan", "总分")[:2] == ["总分", "100"]
    assert _pdf_row(layout_site, "yinchuan", "年度资金总额")[4] == "10"
    page = _page(layout_site, "yinchuan")
    breakdown = page.find("section", attrs={"aria-labelledby": "breakdown"})
    worths = [r.select("td")[0].get_text(strip=True) for r in breakdown.select("tbody tr")]
    assert worths == ["10", "50", "30", "10", "100"]
    level = page.select_one("table.indicators tbody th[scope=rowgroup]")
    assert level.get_text("", strip=True) == "产出指标(50分)"


def test_a_form_without_a_weight_column_prints_none(layout_site: Path) -> None:
    """湖北2020: no 分值 column, the execution's 20 points only where the form prints them."""
    rows = _pdf_rows(layout_site, "hubei")
    assert not any("分值" in cell for row in rows for cell in row)
    # It prints no execution 分值: its title has none (the policy's 15 is not shown).
    assert _pdf_row(layout_site, "hubei", "预算执行情况")[0] == "预算执行情况(元)"
    assert not any("15" in cell for cell in _pdf_row(layout_site, "hubei", "年度财政资金总额"))


# --- the form's new fields: the heading's unit, 项目实施内容及过程概述 ---------------------------


def test_the_heading_names_the_filling_unit_where_the_form_prints_one(layout_site: Path) -> None:
    text = _pdf_text(layout_site, "hubei")
    assert "单位名称:农业工作科" in text
    assert "实施单位" in text and "测试单位" in text  # the 实施单位 stays in its cell
    page = _page(layout_site, "hubei")
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in page.select("header.project-head dt")
    }
    # 湖北 2020 prints 项目实施单位 over the cell (`layouts.header_words`).
    assert facts["单位名称"] == "农业工作科" and facts["项目实施单位"] == "测试单位"
    # Without one, the heading names the 实施单位 under the family's words, as before.
    assert "单位(盖章):测试单位" in _pdf_text(layout_site, "zhongyang")
    assert not _page(layout_site, "zhongyang").select(".extra-filing-unit")


def test_the_implementation_overview_is_shown_beside_the_goals(layout_site: Path) -> None:
    flat = re.sub(r"\s+", "", _pdf_text(layout_site, "sichuan"))
    assert "项目实施内容及过程概述九月招标,十月配送。" in flat
    goals = _page(layout_site, "sichuan").find("section", attrs={"aria-labelledby": "goals"})
    heading = goals.find("h3", class_="extra-implementation")
    assert heading.get_text(strip=True) == "项目实施内容及过程概述"
    assert heading.find_next_sibling("div").get_text(strip=True) == "九月招标,十月配送。"
    for name in ("zhongyang", "hubei"):
        assert "项目实施内容及过程概述" not in _pdf_text(layout_site, name)
        assert "项目实施内容及过程概述" not in _page(layout_site, name).get_text()
