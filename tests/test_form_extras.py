"""What a form prints beyond its scored figures (issue 12, items 4 and 5), shown where it is
printed and only there: on the project page, in the PDF form, in the open data.

The forms are in tests/extras_forms.py: one that prints every extra, one cut off by its
source, and the minimal form, which prints none of them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from builder.build import BuildOptions, build

from .conftest import SITE_YAML, write_project
from .extras_forms import REMARKS, every_extra, partial_form, plain_form
from .sitebuild import link_example_fonts

UNIT = "ceshi"
# The labels only a form with extras shows, on the page and in the PDF.
EXTRA_LABELS = (
    "项目编码",
    "单位编码",
    "项目类别",
    "项目属性",
    "项目负责人",
    "财务负责人",
    "填报人",
    "财政审核评分",
    "存在问题",
    "改进措施",
    "其他需要说明事项",
    "指标性质",
    "度量单位",
    "★",
    "原件不完整",
)


@pytest.fixture(scope="module")
def extras_site(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    """The three forms built with PDFs (the example build's fonts reused): the site folder."""
    root = tmp_path_factory.mktemp("extras")
    content = root / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for form in (every_extra(), partial_form(), plain_form()):
        write_project(content, form, f"{form['id']}.yaml", UNIT)
    link_example_fonts(example_site, root / "cache" / "pdf")
    site = root / "site"
    build(BuildOptions(content=content, site=site, cache=root / "cache"))
    return site


def _soup(site: Path, project_id: str) -> BeautifulSoup:
    page = site / "2023" / UNIT / project_id / "index.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _pdf_text(site: Path, project_id: str) -> str:
    pdf = site / "2023" / UNIT / project_id / f"{project_id}.pdf"
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _form_part(text: str) -> str:
    """The PDF's text before the annex (the annex is the checker's, not the form's)."""
    return text.split("附:复核计算结果")[0]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fact(soup: BeautifulSoup, label: str) -> str:
    """The text of the header fact labelled `label`."""
    term = soup.select_one("header.project-head").find("dt", string=label)
    assert isinstance(term, Tag), label
    return " ".join(term.find_next_sibling("dd").get_text().split())


def _indicator_table(soup: BeautifulSoup) -> Tag:
    table = soup.select_one("table.indicators")
    assert isinstance(table, Tag)
    return table


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_codes_check_boxes_and_people(extras_site: Path) -> None:
    soup = _soup(extras_site, "quanbu-fujia")
    assert _fact(soup, "项目编码") == "51000021R000000012345"
    assert _fact(soup, "单位编码") == "511001"
    assert _fact(soup, "项目类别") == "☑部门预算项目"
    assert _fact(soup, "项目属性") == "☑持续性项目"
    assert _fact(soup, "项目负责人") == "王五 电话 028-86000001"
    assert _fact(soup, "财务负责人") == "赵六 电话 028-86000002"
    assert _fact(soup, "联系人") == "钱七 电话 13800000000"
    assert _fact(soup, "填报人") == "孙八"  # no phone printed: none shown


def test_the_page_shows_the_form_s_texts_and_review_score(extras_site: Path) -> None:
    soup = _soup(extras_site, "quanbu-fujia")
    figures = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text("", strip=True)
        for dt in soup.select(".verdict dt")
    }
    assert figures["财政审核评分"] == "95.5分"
    conclusion = soup.find("section", attrs={"aria-labelledby": "conclusion"})
    texts = {
        h3.get_text(strip=True): h3.find_next_sibling("div").get_text()
        for h3 in conclusion.find_all("h3")
    }
    assert texts == {
        "存在问题": "部分乡镇培训进度偏慢。\n个别学员出勤不足。",
        "改进措施": "加强调度,按月通报进度。",
        "其他需要说明事项": "培训名单另附。",
    }
    remarks = soup.find("section", attrs={"aria-labelledby": "remarks"})
    assert remarks.find("h2").get_text(strip=True) == "注(原表)"
    assert remarks.select_one(".verbatim").get_text() == REMARKS


def test_the_page_table_has_the_form_s_columns_in_its_order(extras_site: Path) -> None:
    table = _indicator_table(_soup(extras_site, "quanbu-fujia"))
    # The Sichuan form's columns and words (builder/layouts.py), in one header row.
    (head,) = table.select("thead tr")
    assert [th.get_text(strip=True) for th in head.find_all("th")][:8] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
    ]
    rows = table.select("tbody tr")
    core = rows[0]
    assert core.find("th", scope="row").get_text(strip=True) == "★核心指标:培训人次"
    assert core.select_one(".core").get_text() == "★"
    assert [td.get_text(strip=True) for td in core.find_all("td")][:4] == [
        "≧",
        "735",
        "人次",
        "735",
    ]
    # The printed 二级 weight beside its name.
    level2 = core.find_all("th", scope="rowgroup")[1]
    assert level2.get_text("", strip=True) == "数量指标(30分)"


def test_the_page_puts_sub_rows_under_their_row_without_points(extras_site: Path) -> None:
    rows = _indicator_table(_soup(extras_site, "quanbu-fujia")).select("tbody tr")
    sub = rows[1]
    assert sub.get("class") == ["subrow"]
    assert sub.find("th", scope="row").get_text(strip=True) == "其中:脱贫人口"
    cells = [td.get_text(strip=True) for td in sub.find_all("td")]
    # 指标性质, 指标值, 度量单位, 实际完成值, then 分值 / 申报得分 / 复核得分 empty, 原因.
    assert cells == ["≧", "100", "人次", "128", "", "", "", ""]
    # The sub-row lies inside its parent's 一级 (with 质量指标) and 二级 cells.
    assert [int(th["rowspan"]) for th in rows[0].find_all("th", scope="rowgroup")] == [3, 2]


def test_a_row_without_points_shows_an_empty_points_cell(extras_site: Path) -> None:
    rows = _indicator_table(_soup(extras_site, "quanbu-fujia")).select("tbody tr")
    row = next(r for r in rows if "宣传覆盖面" in r.get_text())
    cells = row.find_all("td")
    assert cells[4].get_text(strip=True) == ""  # 分值, after the four text columns
    assert [c.get_text(strip=True) for c in cells[:4]] == ["", "/", "", "/"]


def test_a_partial_form_s_page_names_the_parts_its_source_cut(extras_site: Path) -> None:
    soup = _soup(extras_site, "jieduan-biaoge")
    banner = soup.select_one(".status.partial").get_text(strip=True)
    assert "缺:绩效指标、总分与自评结论" in banner and "源文件在此处截断" in banner
    assert "未作补造" in banner and "不是完整的总分" in banner
    # The finding about it is in Chinese too.
    findings = soup.select_one("ul.findings").get_text()
    assert "原表缺少:绩效指标、总分与自评结论" in findings and "indicators" not in findings


def test_a_form_without_extras_shows_none_on_its_page(extras_site: Path) -> None:
    soup = _soup(extras_site, "putong-biaoge")
    text = soup.find("main").get_text()
    for label in EXTRA_LABELS:
        assert label not in text, label
    assert "☑" not in text
    assert not soup.select("tr.subrow, .core, .verbatim, #remarks, .status.partial")
    heads = [th.get_text(strip=True) for th in _indicator_table(soup).select("thead th")]
    assert heads[3:5] == ["年度指标值(A)", "实际完成值(B)"]


# --- the PDF --------------------------------------------------------------------------------


def test_the_pdf_prints_every_extra(extras_site: Path) -> None:
    text = _form_part(_pdf_text(extras_site, "quanbu-fujia"))
    flat = _squeezed(text)
    for expected in (
        "项目编码51000021R000000012345",
        "单位编码511001",
        "项目类别√部门预算项目",
        "项目属性√持续性项目",
        "项目负责人:王五电话:028-86000001",
        "财务负责人:赵六电话:028-86000002",
        "联系人:钱七电话:13800000000",
        "填报人:孙八",
        "财政审核评分95.5",
        "改进措施加强调度,按月通报进度。",
        "培训名单另附。",
        "注:1.正向指标得分=B/A×分值,最高不超过分值。",
        "★培训人次",
    ):
        assert expected in flat, expected
    # The printed 二级 weights under their names: 数量指标(30分), 质量指标(20分); no 一级 weight,
    # which this form does not print (the policy's 效益指标 30 is not shown as if printed).
    assert text.count("(20分)") == 1 and text.count("(30分)") == 1
    # 存在问题 keeps its two lines; 其他需要说明事项 may wrap in its narrow cell.
    assert "部分乡镇培训进度偏慢。" in text and "个别学员出勤不足。" in text
    assert "其他需要" in text and "说明事项" in text
    # The empty 联系人 field is not printed before the people the form names.
    assert "联系人:项目负责人" not in flat


def test_the_pdf_table_prints_split_columns_and_sub_rows(extras_site: Path) -> None:
    lines = _form_part(_pdf_text(extras_site, "quanbu-fujia")).splitlines()
    # In the form's order: 指标性质, 指标值, 度量单位, 实际完成值, 分值, 得分.
    core = next(line for line in lines if "★培训人次" in line)
    assert core.split()[-6:] == ["≧", "735", "人次", "735", "30", "30"]
    sub = next(line for line in lines if "其中:脱贫人口" in line)
    # No 分值 or 得分 after the sub-row's values.
    assert sub.split()[-4:] == ["≧", "100", "人次", "128"]
    blank = next(line for line in lines if "宣传覆盖面" in line)
    assert blank.split()[-2:] == ["/", "/"]  # nothing in its 分值 and 得分 cells


def test_the_pdf_of_a_partial_form_says_which_part_is_missing(extras_site: Path) -> None:
    flat = _squeezed(_form_part(_pdf_text(extras_site, "jieduan-biaoge")))
    assert "本表原件不完整(缺:绩效指标、总分与自评结论):源文件在此处截断。" in flat
    assert "缺的部分未作补造;复核总分不是完整的总分。" in flat


def test_the_pdf_of_a_form_without_extras_prints_none(extras_site: Path) -> None:
    text = _form_part(_pdf_text(extras_site, "putong-biaoge"))
    for label in EXTRA_LABELS:
        assert label not in text, label
    assert "√" not in text and "注:" not in text
    # No contact printed, no empty 联系人: line (the forms that print one name someone).
    assert "联系人" not in _squeezed(text)


# --- the open data --------------------------------------------------------------------------


def _csv(site: Path, name: str) -> list[dict[str, str]]:
    text = (site / "data" / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_indicators_csv_has_nature_unit_core_and_sub_rows(extras_site: Path) -> None:
    rows = [r for r in _csv(extras_site, "indicators.csv") if r["project_id"] == "quanbu-fujia"]
    keys = [(r["row"], r["subrow"]) for r in rows]
    assert keys == [("1", "0"), ("1", "1"), ("2", "0"), ("3", "0"), ("4", "0"), ("5", "0")]
    core, sub, blank = rows[0], rows[1], rows[4]
    assert (core["nature"], core["target"], core["measure_unit"], core["core"]) == (
        "≧",
        "735",
        "人次",
        "true",
    )
    assert (sub["level3"], sub["nature"], sub["measure_unit"], sub["actual"]) == (
        "其中:脱贫人口",
        "≧",
        "人次",
        "128",
    )
    assert (sub["level1"], sub["level2"]) == ("产出指标", "数量指标")
    assert (sub["weight"], sub["declared_score"], sub["computed_score"], sub["rule"]) == (
        "",
        "",
        "",
        "",
    )
    assert (sub["core"], blank["core"], blank["weight"], blank["measure_unit"]) == (
        "false",
        "false",
        "",
        "",
    )
    plain = [r for r in _csv(extras_site, "indicators.csv") if r["project_id"] == "putong-biaoge"]
    assert {(r["nature"], r["measure_unit"], r["core"], r["subrow"]) for r in plain} == {
        ("", "", "false", "0")
    }


def test_projects_csv_and_records_carry_the_extras(extras_site: Path) -> None:
    rows = {r["id"]: r for r in _csv(extras_site, "projects.csv")}
    every, plain = rows["quanbu-fujia"], rows["putong-biaoge"]
    assert (every["project_code"], every["unit_code"], every["review_score"]) == (
        "51000021R000000012345",
        "511001",
        "95.5",
    )
    assert every["problems"] == "部分乡镇培训进度偏慢。\n个别学员出勤不足。"
    assert (every["improvements"], every["other_notes"]) == (
        "加强调度,按月通报进度。",
        "培训名单另附。",
    )
    assert every["remarks"] == REMARKS
    extra_columns = ("project_code", "unit_code", "review_score", "problems", "improvements")
    assert all(plain[c] == "" for c in (*extra_columns, "other_notes", "remarks"))

    record = json.loads(
        (extras_site / "2023" / UNIT / "quanbu-fujia" / "quanbu-fujia.json").read_text("utf-8")
    )
    assert record["form"]["people"][0] == {
        "role": "项目负责人",
        "name": "王五",
        "phone": "028-86000001",
    }
    assert record["form"]["categories"] == {"项目类别": "部门预算项目", "项目属性": "持续性项目"}
    assert record["form"]["declared"]["review_score"] == 95.5
    sub = record["indicators"][1]
    assert (sub["row"], sub["subrow"], sub["computed_score"], sub["core"]) == (1, 1, None, False)
    assert record["indicators"][0]["core"] is True


def test_the_data_package_is_valid_with_sub_rows(extras_site: Path) -> None:
    import frictionless

    package = json.loads((extras_site / "data" / "datapackage.json").read_text("utf-8"))
    indicators = next(r for r in package["resources"] if r["name"] == "indicators")
    assert indicators["schema"]["primaryKey"] == ["year", "project_id", "row", "subrow"]
    names = [f["name"] for f in indicators["schema"]["fields"]]
    assert names[-4:] == ["nature", "measure_unit", "core", "subrow"]
    report = frictionless.validate(str(extras_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# --- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extras_url(extras_site: Path) -> Iterator[str]:
    from .chromium import served

    with served(extras_site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("project_id", ["quanbu-fujia", "jieduan-biaoge"])
def test_a_page_with_every_extra_is_accessible_and_fits(
    browser: object, extras_url: str, project_id: str
) -> None:
    from .chromium import SCREENSHOTS, axe_violations

    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        tab = context.new_page()
        tab.goto(f"{extras_url}2023/{UNIT}/{project_id}/index.html")
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"extras-{project_id}-{width}.png"), full_page=True)
        report = axe_violations(tab)
        context.close()
        assert not report, report


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("1.正向指标得分=B/A×分值。", "注:"),
        ("备注:1.预算执行情况口径……", ""),
        ("注:1.本表由项目单位填写。", ""),
    ],
)
def test_the_pdf_does_not_label_remarks_twice(text: str, label: str) -> None:
    from builder.form.model import Project
    from builder.pdf.extras import pdf_extras

    project = Project.model_validate(plain_form() | {"remarks": text})
    remarks = pdf_extras(project, incomplete=False).remarks
    assert remarks is not None and (remarks.label, remarks.text) == (label, text)
