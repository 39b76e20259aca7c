"""The built site, read through an HTML parser: structure, links, numbers, safety, publishing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FORM2 = "2023/lps-sbj/chengxiang-yanglao-65-zengfa/index.html"
FORM1 = "2023/lps-sbj/jiguan-yanglao-quekou/index.html"


@pytest.fixture(scope="session")
def built_site(example_site: Path) -> Path:
    return example_site


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_every_page_is_a_complete_chinese_document(built_site: Path) -> None:
    pages = html_pages(built_site)
    # 8 site pages (字段说明 among them), year, department, unit, 6 projects, the 复核 pages of
    # the year and department
    assert len(pages) == 19
    for page in pages:
        soup = parse(page)
        assert soup.html is not None and soup.html.get("lang") == "zh-CN", page
        assert soup.title and soup.title.get_text(strip=True), page
        assert len(soup.find_all("h1")) == 1, page
        assert soup.find("main", id="main") is not None, page
        assert soup.find("meta", attrs={"name": "viewport"}) is not None, page


def _internal_targets(page: Path, soup: BeautifulSoup) -> list[str]:
    targets = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if not value or value.startswith(("#", "data:", "mailto:")):
                continue
            if element.name == "link" and element.get("rel") in (["canonical"], ["alternate"]):
                continue  # absolute by design: the public address, not a request
            if urlsplit(value).scheme:
                targets.append(value)  # reported below as an outside request
                continue
            targets.append(value)
    return targets


def test_every_internal_link_resolves_and_nothing_is_fetched_from_outside(
    built_site: Path,
) -> None:
    broken = []
    for page in html_pages(built_site):
        if page.name == "404.html":
            continue  # served at any depth, so it links by absolute public address
        for target in _internal_targets(page, parse(page)):
            parts = urlsplit(target)
            if parts.scheme:
                broken.append(f"{page.relative_to(built_site)}: outside link {target}")
                continue
            resolved = (page.parent / unquote(parts.path)).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.is_file():
                broken.append(f"{page.relative_to(built_site)}: {target}")
    assert broken == []


def test_links_are_relative_so_the_site_works_under_a_sub_path(built_site: Path) -> None:
    for page in html_pages(built_site):
        if page.name == "404.html":
            continue
        soup = parse(page)
        for element in soup.find_all(["a", "script", "img"]):
            value = element.get("href") or element.get("src") or ""
            assert not value.startswith("/"), f"{page}: {value}"


def test_project_page_shows_the_form_as_an_accessible_table(built_site: Path) -> None:
    soup = parse(built_site / FORM2)
    assert soup.h1.get_text(strip=True) == "城乡居民养老保险65岁以上增发基础养老金"
    tables = soup.find_all("table", class_="form")
    assert len(tables) == 2
    for table in tables:
        assert table.caption and table.caption.get_text(strip=True)
        assert all(th.get("scope") for th in table.find_all("th"))
    indicators = soup.find("table", class_="indicators")
    names = [th.get_text(strip=True) for th in indicators.find_all("th", scope="row")]
    assert "待遇领取人数" in names and "参保群众满意度" in names
    total_row = indicators.find("tr", class_="total")
    cells = [td.get_text(strip=True) for td in total_row.find_all("td")]
    assert cells[:3] == ["100", "100", "97.5"]  # 分值, declared, computed
    for td in soup.find_all("td", class_="num"):
        assert td.get_text(strip=True), "numeric cells are never empty"
    funding = tables[0]
    assert "950,500.00" in [td.get_text(strip=True) for td in funding.find_all("td")]


def test_project_page_explains_each_finding(built_site: Path) -> None:
    soup = parse(built_site / FORM2)
    # For staff, in a details element: each finding with its code and line.
    findings = soup.select("details.staff ul.findings li")
    codes = {li.find("code").get_text() for li in findings}
    assert {"total-mismatch", "conclusion-total-mismatch", "total-not-sum"} <= codes
    # For the reader: one issue (the total), in plain Chinese without codes.
    issues = soup.select("ol.issues > li")
    assert [li.h3.get_text(strip=True) for li in issues] == ["总分与等次"]
    texts = " ".join(li.get_text(" ", strip=True) for li in issues)
    assert "100 分" in texts and "97.5 分" in texts and "total-mismatch" not in texts
    figures = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in soup.select("section.verdict dl.figures div")
    }
    assert figures["复核总分"] == "97.5分" and figures["申报总分"] == "100分"


def test_project_page_links_its_record_and_source(built_site: Path) -> None:
    soup = parse(built_site / FORM1)
    hrefs = [a["href"] for a in soup.select("nav.downloads a")]
    assert "jiguan-yanglao-quekou.json" in hrefs and "jiguan-yanglao-quekou.yaml" in hrefs
    crumbs = [li.get_text(strip=True) for li in soup.select("nav.breadcrumb li")]
    assert crumbs[0] == "首页" and crumbs[-1] == "机关事业单位养老保险缺口资金补助"


def test_project_page_carries_search_filters_and_sort_keys(built_site: Path) -> None:
    soup = parse(built_site / FORM1)
    assert soup.find("main").has_attr("data-pagefind-body")
    filters = {
        el["data-pagefind-filter"]: el.get_text() for el in soup.select("[data-pagefind-filter]")
    }
    assert filters == {
        "年度": "2023",
        "主管部门": "502",  # who the department is (its code): the search page's choice
        "实施单位": "六盘水市社会保险事业局",
        "等次": "优秀",
        "项目标识": "jiguan-yanglao-quekou",
        "不一致": "有不一致",  # a figure of its form disagrees (成本金额 against the funding)
    }
    sorts = {el["data-pagefind-sort"]: el.get_text() for el in soup.select("[data-pagefind-sort]")}
    assert set(sorts) == {"score", "budget"} and float(sorts["score"]) == 92.01
    # none of them is indexed text: no key shows in an excerpt
    for el in soup.select("[data-pagefind-filter], [data-pagefind-sort], [data-pagefind-meta]"):
        if el.name != "h1":
            assert el.find_parent(attrs={"data-pagefind-ignore": True}), el


def test_listing_pages_keep_a_meaningful_order_and_charts_have_text(built_site: Path) -> None:
    soup = parse(built_site / "2023/index.html")
    table = soup.find("table", attrs={"data-sortable": True})
    assert table is not None and len(table.tbody.find_all("tr")) == 6
    charts = soup.select(".chart")
    assert charts
    for chart in charts:  # named by its title and described by every figure it shows
        assert chart.get("role") == "img"
        title, description = (soup.find(id=n) for n in chart["aria-labelledby"].split())
        assert title.get_text(strip=True) and description.get_text(strip=True)
    for svg in soup.find_all("svg"):  # a bar inside a chart is a picture, not content
        assert svg.get("role") == "img" or svg.get("aria-hidden") == "true"


def test_methodology_is_rendered_from_the_configuration(built_site: Path) -> None:
    text = parse(built_site / "methodology/index.html").get_text(" ", strip=True)
    assert "130% 及以上" in text and "扣减该项分值的 50%" in text
    assert "该项得 0 分" in text  # breached_reverse: zero
    for label in ("优秀", "良好", "合格", "不合格"):
        assert label in text


def test_feed_sitemap_and_robots(built_site: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert len(feed.findall(f"{atom}entry")) == 6
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://jixiao.example.gov.cn/2023/lps-sbj/jiguan-yanglao-quekou/" in locs
    assert "Sitemap: https://jixiao.example.gov.cn/sitemap.xml" in (
        built_site / "robots.txt"
    ).read_text(encoding="utf-8")
    soup = parse(built_site / FORM1)
    assert soup.find("link", rel="canonical")["href"] == (
        "https://jixiao.example.gov.cn/2023/lps-sbj/jiguan-yanglao-quekou/"
    )


def test_project_page_is_light(built_site: Path) -> None:
    html = (built_site / FORM2).stat().st_size
    css = (built_site / "assets/site.css").stat().st_size
    assert html + css <= 50 * 1024
    assert not list(built_site.rglob("*.woff*")) and not list(built_site.rglob("*.ttf"))


def test_no_inline_script(built_site: Path) -> None:
    for page in html_pages(built_site):
        for script in parse(page).find_all("script"):
            assert script.get("src"), f"{page}: inline script"
            assert not script.get_text(strip=True)


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _hostile_content(tmp: Path) -> Path:
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    target = content / "2023/lps-sbj/jiguan-yanglao-quekou.yaml"
    text = target.read_text(encoding="utf-8")
    text = text.replace("name: 机关事业单位养老保险缺口资金补助", f"name: '机关{HOSTILE}'").replace(
        "contact: 章桃", f"contact: '{HOSTILE}'"
    )
    text = text.replace(
        "  planned: >-\n", f"  planned: |\n    [点我](javascript:alert(1)) {HOSTILE}\n", 1
    )
    text = text.replace("target: 足额发放", "target: '足额发放<b onmouseover=alert(1)>x</b>'")
    target.write_text(text, encoding="utf-8")
    return content


def _run_build(content: Path, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "build",
            "--content",
            str(content),
            "--output",
            str(out),
            *flags,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_hostile_text_is_shown_as_text_everywhere(tmp_path: Path) -> None:
    content = _hostile_content(tmp_path)
    site = tmp_path / "site"
    run = _run_build(content, site)
    assert run.returncode == 0, run.stdout + run.stderr
    for page in html_pages(site):
        soup = parse(page)
        for script in soup.find_all("script"):
            assert script.get("src", "").endswith(("sort.js", "search.js")), page
        for element in soup.find_all(True):
            assert not any(a.startswith("on") for a in element.attrs), (page, element)
            href = element.get("href", "")
            assert not href.lower().startswith("javascript:"), (page, element)
        assert soup.find("img", src="x") is None
    project = parse(site / FORM1)
    assert HOSTILE in project.h1.get_text()  # shown, as text
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t and HOSTILE in t for t in titles)  # escaped in XML, parsed back as text


def test_failed_build_leaves_the_previous_site_and_reports_located_errors(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = tmp_path / "site"
    first = _run_build(content, site)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    broken = content / "2023/lps-sbj/shebao-pingtai-yunwei.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            "weight: 10, score: 10}", "weight: ten, score: 10}", 1
        ),
        encoding="utf-8",
    )
    second = _run_build(content, site, "--strict")
    assert second.returncode == 1
    assert "Traceback" not in second.stdout + second.stderr
    assert "shebao-pingtai-yunwei.yaml:" in second.stdout
    assert (
        "错误[schema-decimal-parsing]: indicators[0].weight: 分值应为数字,写的是“ten”"
        in second.stdout
    )
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".jixiao-")]
    # Without --strict: the same located errors, the form held back, the others published.
    third = _run_build(content, site)
    assert third.returncode == 3, third.stdout + third.stderr
    assert (
        "错误[schema-decimal-parsing]: indicators[0].weight: 分值应为数字,写的是“ten”"
        in third.stdout
    )
    assert not (site / "2023/lps-sbj/shebao-pingtai-yunwei").exists()
    assert (site / "2023/lps-sbj/jiguan-yanglao-quekou/index.html").is_file()


def test_a_large_year_lists_its_units_instead_of_every_project(tmp_path: Path) -> None:
    import datetime as dt
    from decimal import Decimal

    from builder.form.load import load_config
    from builder.site.render import write_site
    from builder.site.views import ProjectSummary, site_view

    config, _, _ = load_config(Path(__file__).resolve().parent.parent / "content")
    assert config is not None
    summaries = [
        ProjectSummary(
            file=f"2024/unit-{n % 30:02d}/p{n}.yaml",
            year=2024,
            id=f"p{n}",
            name=f"项目{n}",
            unit=f"单位{n % 30:02d}",
            unit_slug=f"unit-{n % 30:02d}",
            department=f"部门{n % 7}",
            department_code=str(100 + n % 7),
            filled_on=dt.date(2024, 12, 1),
            budget=Decimal(1000 + n),
            executed=Decimal(900),
            rate=Decimal(90),
            total=Decimal(95),
            declared_total=Decimal(95),
            grade="优秀",
            issue_count=0,
        )
        for n in range(501)
    ]
    write_site(site_view(summaries, config), [], config, tmp_path, {"pdf": False})
    year = parse(tmp_path / "2024/index.html")
    captions = [caption.get_text() for caption in year.find_all("caption")]
    assert "各实施单位合计" in captions and "各主管部门合计" in captions
    units = year.find("caption", string="各实施单位合计").find_parent("table")
    assert len(units.select("tbody tr")) == 30
    assert sum(int(row.select("td")[0].get_text()) for row in units.select("tbody tr")) == 501
    assert not year.find("a", href="unit-00/p0/")  # no row per project here
    assert parse(tmp_path / "2024/unit-00/index.html").find("a", href="p0/")
