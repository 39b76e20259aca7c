"""The 复核 pages (per year and per 主管部门: every form whose declared figures disagree with
the rules, by the size of the difference, with their counts on the home and year pages), a
project across the years it was published (same id: budget, execution and scores as a chart
and a table), a department's totals by year, and the methodology page's national and local
settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from builder.build import BuildOptions, build

from .conftest import project_yaml
from .test_honesty import with_scores
from .test_incremental import tree


def write(content: Path, data: dict[str, Any], unit: str = "ceshi") -> Path:
    """A form under content/<its year>/<unit>/<its id>.yaml."""
    folder = content / str(data["year"]) / unit
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['id']}.yaml"
    text = project_yaml(data).replace(
        f"filled_on: '{data['filled_on']}'", f"filled_on: {data['filled_on']}"
    )
    path.write_text(text, encoding="utf-8")
    return path


def declared(total: str, year: int = 2023, **changes: Any) -> dict[str, Any]:
    """A form every row of which is scored as declared (100 in all) but whose 总分 row says
    `total`, typed so in the file (`100`, `98.5`; shown as typed): a difference of 100 − total."""
    data = with_scores(year=year, filled_on=f"{year}-12-20", **changes)
    data["declared"] = {
        "execution_score": 10,
        "total": float(total) if "." in total else int(total),
    }
    return data


def run(content: Path, work: Path, **options: Any) -> Path:
    site = work / "site"
    options.setdefault("incremental", True)
    build(
        BuildOptions(
            content=content, site=site, cache=work / "cache", pdf=False, search=False, **options
        )
    )
    return site


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def review_content(tiny_content: Path) -> Path:
    """2023: five forms of two departments. Off by 5, by 1.5 (another department), by −2, a
    form whose only issue is a copied goal, and one that agrees."""
    other = {"name": "另一局", "code": "601"}
    write(tiny_content, declared("95", id="cha-wu"))
    write(tiny_content, declared("98.5", id="cha-yidianwu", department=other), unit="lingyi")
    write(tiny_content, declared("102", id="cha-fu-er"))
    same = {"planned": "发放补助。", "achieved": "发放补助。"}
    write(tiny_content, declared("100", id="zhi-mubiao", goals=same))
    write(tiny_content, declared("100", id="yizhi"))
    return tiny_content


def test_the_year_s_review_lists_what_disagrees_by_the_size_of_the_difference(
    review_content: Path, tmp_path: Path
) -> None:
    site = run(review_content, tmp_path)
    page = parse(site / "review/2023/index.html")
    rows = page.select("table.review-list tbody tr")
    names = [row.th.a["href"].split("/")[-2] for row in rows]
    assert names == ["cha-wu", "cha-fu-er", "cha-yidianwu"]  # |−5| > |+2| > |−1.5|
    gaps = [row.select("td")[3].get_text(strip=True) for row in rows]
    assert gaps == ["+5", "−2", "+1.5"]  # 复核 − 申报
    assert [row.select("td")[4].get_text(strip=True) for row in rows] == ["总分与等次"] * 3
    counts = {
        d.dt.get_text(strip=True): d.dd.get_text(strip=True) for d in page.select("dl.figures div")
    }
    assert counts == {"自评表": "5张", "有不一致": "3张"}
    # Each department's page lists its own, and the year's page links them with their counts.
    departments = {a.get_text(strip=True): a["href"] for a in page.select("#by-department ~ div a")}
    assert set(departments) == {"测试局", "另一局"}
    own = parse(site / "review/2023/dept-502/index.html")
    assert [r.th.a["href"].split("/")[-2] for r in own.select("table.review-list tbody tr")] == [
        "cha-wu",
        "cha-fu-er",
    ]
    crumbs = [li.get_text(strip=True) for li in own.select("nav.breadcrumb li")]
    assert crumbs == ["首页", "2023年度", "复核发现的不一致", "测试局"]


def test_the_home_year_and_department_pages_count_and_link_the_review(
    review_content: Path, tmp_path: Path
) -> None:
    site = run(review_content, tmp_path)
    for page, target in (
        ("index.html", "review/2023/"),
        ("2023/index.html", "../review/2023/"),
    ):
        count = parse(site / page).select_one(".review-count")
        assert (
            "5 张自评表中" in count.get_text()
            and "3 张的申报数字与评分规则不一致" in count.get_text()
        )
        assert count.a["href"] == target
    department = parse(site / "2023/dept-601/index.html").select_one(".review-count")
    assert "1 张自评表中" in department.get_text() and "1 张" in department.a.get_text()


def test_a_year_without_disagreement_says_so(tiny_content: Path, tmp_path: Path) -> None:
    write(tiny_content, declared("100", id="yizhi"))
    site = run(tiny_content, tmp_path)
    page = parse(site / "review/2023/index.html")
    assert not page.select("table.review-list")
    assert "没有申报数字与评分规则不一致的自评表" in page.select_one(".status-ok").get_text()
    # the home, year and department pages say so too, not "0 张…不一致" as a warning
    for counted in ("index.html", "2023/index.html", "2023/dept-502/index.html"):
        said = parse(site / counted)
        assert not said.select(".review-count"), counted
        assert (
            "复核未发现申报数字与评分规则不一致" in said.select_one(".review-count-none").get_text()
        )


def three_years(content: Path) -> None:
    """The same project (id xiangmu) in 2021, 2022 and 2023, each year another budget,
    execution and declared total, and a second project of the same department in 2023."""
    for year, executed, total in ((2021, 500, "100"), (2022, 800, "97"), (2023, 1000, "100")):
        data = declared(total, year=year, id="xiangmu")
        data["funding"] = {"total": {"initial": 1000, "budget": 1000, "executed": executed}}
        data["declared"]["execution_score"] = executed / 100
        write(content, data)
    write(content, declared("100", id="lingyige"))


def test_a_project_across_years_shows_its_money_and_scores_as_a_chart_and_a_table(
    tiny_content: Path, tmp_path: Path
) -> None:
    three_years(tiny_content)
    site = run(tiny_content, tmp_path)
    page = parse(site / "2023/ceshi/xiangmu/index.html")
    section = page.find("section", attrs={"aria-labelledby": "history"})
    charts = section.select("[role=img]")  # the money as bars, the scores as lines
    assert len(charts) == 2
    money, scores = (described(page, chart) for chart in charts)
    assert "2021年: 全年预算数 0.10万元, 全年执行数 0.05万元" in money
    assert "2022年: 申报总分 97, 复核总分 98" in scores
    rows = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in section.select("tbody tr")
    ]
    assert rows == [
        ["2021年度", "0.10", "0.05", "50.00%", "100", "95", "−5", "优秀"],
        ["2022年度", "0.10", "0.08", "80.00%", "97", "98", "+1", "优秀"],
        ["2023年度(本页)", "0.10", "0.10", "100.00%", "100", "100", "0", "优秀"],
    ]
    assert section.select("tbody a")[0]["href"] == "../../../2021/ceshi/xiangmu/"
    # A project of one year has no such section.
    single = parse(site / "2023/ceshi/lingyige/index.html")
    assert single.find("section", attrs={"aria-labelledby": "history"}) is None


def described(page: BeautifulSoup, chart: Tag) -> str:
    """What a chart says in words: an SVG's <desc>, an HTML chart's description by id."""
    if chart.name == "svg":
        return chart.find("desc").get_text()
    return page.find(id=chart["aria-labelledby"].split()[1]).get_text()


def test_a_department_page_shows_its_totals_by_year(tiny_content: Path, tmp_path: Path) -> None:
    three_years(tiny_content)
    site = run(tiny_content, tmp_path)
    page = parse(site / "2022/dept-502/index.html")
    section = page.find("section", attrs={"aria-labelledby": "dept-years"})
    rows = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in section.select("tbody tr")
    ]
    assert rows == [
        ["2021年度", "1", "0.10", "0.05", "50.00%", "95.00", "1"],
        ["2022年度(本页)", "1", "0.10", "0.08", "80.00%", "98.00", "1"],
        ["2023年度", "2", "0.20", "0.20", "100.00%", "100.00", "0"],
    ]
    chart = section.select_one("[role=img]")
    assert "2021年" in described(page, chart)


def test_an_edit_in_one_year_rewrites_the_other_years_pages_as_a_full_build_would(
    tiny_content: Path, tmp_path: Path
) -> None:
    three_years(tiny_content)
    run(tiny_content, tmp_path)
    form = tiny_content / "2021/ceshi/xiangmu.yaml"
    form.write_text(form.read_text("utf-8").replace("executed: 500", "executed: 600"), "utf-8")
    site = run(tiny_content, tmp_path)
    assert "0.06" in (site / "2023/dept-502/index.html").read_text("utf-8")
    full = run(tiny_content, tmp_path / "full", incremental=False)
    assert tree(site) == tree(full)


def test_a_department_that_is_gone_takes_its_review_page_along(
    review_content: Path, tmp_path: Path
) -> None:
    run(review_content, tmp_path)
    assert (tmp_path / "site/review/2023/dept-601/index.html").is_file()
    (review_content / "2023/lingyi/cha-yidianwu.yaml").unlink()
    site = run(review_content, tmp_path)
    assert not (site / "review/2023/dept-601").exists()
    assert tree(site) == tree(run(review_content, tmp_path / "full", incremental=False))


def test_the_methodology_page_says_what_is_national_and_what_is_local(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    site = run(root / "content", tmp_path)
    page = parse(site / "methodology/index.html")
    marks = {
        section["aria-labelledby"]: [p.get_text(" ", strip=True) for p in section.select(".origin")]
        for section in page.select("main > section")
        if section.select(".origin")
    }
    assert set(marks) == {"weights", "execution", "quantitative", "qualitative", "grades"}
    assert marks["weights"] == ["全国规则 本节取值与财预〔2020〕10号及自评表填报说明一致。"]
    over, reverse, rest = marks["quantitative"]
    assert over.startswith(
        "地方规则 正向指标超额完成:本站为“达到指标值的 130% 及以上时扣减分值的 50%”"
    )
    assert over.endswith("全国规则为“不扣分”。")
    assert reverse.startswith("地方规则 反向指标超标") and "全国规则为“w × A÷B”" in reverse
    assert rest.startswith("全国规则")
    (grades,) = marks["grades"]
    assert (
        "本站为“优秀 90 分及以上" in grades and "全国规则为“优 90 分及以上;良 80–90 分;中" in grades
    )
    # Every finding kind has its anchor.
    from builder.rules.explain import ERROR_EXPLANATIONS, EXPLANATIONS

    for code in (*EXPLANATIONS, *ERROR_EXPLANATIONS):
        assert page.find(id=f"f-{code}") is not None, code


def test_the_score_lines_text_grows_with_the_readers_text_on_a_phone(
    tiny_content: Path, tmp_path: Path, browser: object
) -> None:
    from .chromium import opened, sideways

    three_years(tiny_content)
    site = run(tiny_content, tmp_path)
    url = (site / "2023/ceshi/xiangmu/index.html").as_uri()
    sizes = {}
    for text in (100, 200):
        with opened(browser, url, 360, text) as tab:
            chart = tab.locator("svg.chart.lines")  # type: ignore[attr-defined]
            sizes[text] = chart.locator("text").first.evaluate(
                "e => parseFloat(getComputedStyle(e).fontSize)"
            )
            # every label whole inside the chart's box and the screen, the page not sideways
            inside = chart.evaluate(
                "svg => { const box = svg.getBoundingClientRect(); "
                "return [...svg.querySelectorAll('text')].every(t => { "
                "const r = t.getBoundingClientRect(); "
                "return r.left >= box.left - 1 && r.right <= box.right + 1 && r.right <= innerWidth; }) }"
            )
            assert inside, text
            assert sideways(tab) == 0
            # no two of its figures and years drawn over each other
            overlaps = chart.evaluate(
                "svg => { const r = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect()); "
                "return r.flatMap((a, i) => r.slice(i + 1).filter(b => a.left < b.right && b.left < a.right "
                "&& a.top < b.bottom && b.top < a.bottom)).length; }"
            )
            assert overlaps == 0, text
    assert sizes[100] >= 14
    assert sizes[200] == 2 * sizes[100]
