"""What a second new user's check of issue 12 found, each as a kind, with inputs of the same kind
written as small forms into a tmp folder:

- a bare fraction under a split 度量单位 column of % was read as a percent (0.95 -> 0.95%), a
  false `score-above-rule`, where the same values in one column give `fraction-or-percent`;
- text actuals: 未完成 named no band, and 90%左右 was "in another unit" than ≥90%;
- see the other sections below for the rest.
"""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from builder.build import BuildOptions, build
from builder.cli import main
from builder.form.dates import PrintedMonth
from builder.rules.check import CheckedProject, check_content
from builder.rules.wording import chinese

from .conftest import minimal_project, write_project
from .sitebuild import link_example_fonts

_ROW = {"level1": "产出指标", "level2": "数量指标", "name": "覆盖率", "weight": 50, "score": 50}


def _checked(content: Path, data: dict[str, Any] | str, name: str = "x.yaml") -> CheckedProject:
    write_project(content, data, name=name)
    (checked,) = [c for c in check_content(content).projects if c.file.name == name]
    return checked


def _codes(checked: CheckedProject) -> list[str]:
    return [f.finding.code for f in checked.located]


def _with_row(**cells: str) -> dict[str, Any]:
    data = minimal_project()
    data["indicators"][0] = {**_ROW, **cells}
    return data


# --- 1. a bare fraction under a split % column ------------------------------------------------


@pytest.mark.parametrize(
    ("split", "one_column"),
    [
        # The reproduction: 0.95 against 90 in a % column.
        ({"nature": "≥", "target": "90", "unit": "%", "actual": "0.95"}, "≥90%"),
        ({"nature": "≥", "target": "90", "unit": "百分比", "actual": "1"}, "≥90百分比"),
        ({"nature": "定量", "target": "95", "unit": "%", "actual": "0.5"}, "95%"),
        ({"target": "≥98%", "unit": "%", "actual": "0.98"}, "≥98%"),
        ({"nature": "≤", "target": "5", "unit": "%", "actual": "0.03"}, "≤5%"),
        ({"nature": "≥", "target": "90", "unit": "‰", "actual": "0.9"}, "≥90‰"),
    ],
)
def test_a_bare_fraction_under_a_percent_column_is_flagged_as_in_one_column(
    tiny_content: Path, split: dict[str, str], one_column: str
) -> None:
    checked = _checked(tiny_content, _with_row(**split))
    joined = _checked(
        tiny_content, _with_row(target=one_column, actual=split["actual"]), name="y.yaml"
    )
    assert checked.score is not None and joined.score is not None
    assert "fraction-or-percent" in _codes(checked) and "score-above-rule" not in _codes(checked)
    assert checked.score.indicators[0].score == Decimal(50)  # the declared score kept
    assert checked.score.total == joined.score.total == Decimal(100)
    (finding,) = [f.finding for f in checked.located if f.finding.code == "fraction-or-percent"]
    message, _ = chinese(finding)
    # The message quotes the target with the unit of its column, as it was compared.
    assert f"指标值“{one_column}”" in message and f"实际完成值“{split['actual']}”" in message
    assert f"{split['actual']} 可能是小数" in message


@pytest.mark.parametrize(
    "split",
    [
        {"nature": "≥", "target": "90", "unit": "%", "actual": "95"},  # a percent: > 1
        {"nature": "≥", "target": "0.5", "unit": "万元", "actual": "0.6"},  # not a percent
        {"nature": "≥", "target": "90", "unit": "%", "actual": "95%"},  # its own sign
        {"nature": "≤", "target": "0", "unit": "%", "actual": "0"},  # 0 is 0 either way
    ],
)
def test_numbers_that_are_no_fraction_take_the_column_unit(
    tiny_content: Path, split: dict[str, str]
) -> None:
    checked = _checked(tiny_content, _with_row(**split))
    assert checked.score is not None
    assert "fraction-or-percent" not in _codes(checked)
    assert "score-above-rule" not in _codes(checked) and "units-differ" not in _codes(checked)


def test_the_reproduction_through_the_cli(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The row the check found, through `jixiao check --json`: main gave score-above-rule
    ("规则最多允许 0.53") and a total of 50.53 with grade 差."""
    data = minimal_project()
    data["indicators"][0] = {
        **_ROW,
        "nature": "≥",
        "target": "90",
        "unit": "%",
        "actual": "0.95",
    }
    write_project(tiny_content, data)
    main(["check", "--json", "--content", str(tiny_content), "--jobs", "1"])
    (record,) = json.loads(capsys.readouterr().out)["projects"]
    codes = [f["code"] for f in record["findings"]]
    assert "fraction-or-percent" in codes and "score-above-rule" not in codes
    assert Decimal(str(record["computed"]["total"])) == Decimal(100)


# --- 7. text actuals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "declared", "band_top"),
    [
        ("未完成", 0, Decimal(30)),  # the missed band: 0-60 % of 50
        ("未完成,资金未到位", 20, Decimal(30)),
        ("部分完成", 35, Decimal(40)),  # the partly band: 60-80 %
        ("未达成年度指标", 10, Decimal(30)),
    ],
)
def test_words_that_say_not_done_name_their_band(
    tiny_content: Path, actual: str, declared: int, band_top: Decimal
) -> None:
    checked = _checked(tiny_content, _with_row(target="≥90%", actual=actual, score=str(declared)))
    assert checked.score is not None
    row = checked.score.indicators[0]
    assert "actual-no-band" not in _codes(checked)
    assert row.high == band_top and row.score == Decimal(declared)


def test_not_done_declared_above_its_band_is_reported(tiny_content: Path) -> None:
    checked = _checked(tiny_content, _with_row(target="≥90%", actual="未完成", score="50"))
    assert checked.score is not None
    assert checked.score.indicators[0].score == Decimal(30)
    assert "score-above-rule" in _codes(checked)


@pytest.mark.parametrize("actual", ["90%左右", "95%上下", "约95%", "1万人次左右"])
def test_an_estimate_is_words_not_another_unit(tiny_content: Path, actual: str) -> None:
    """An estimate is no figure to compare (scoring rules §4: a value that is not a comparable
    number is judged in its band); it names no band, so the declared score is kept and said."""
    checked = _checked(tiny_content, _with_row(target="≥90%", actual=actual, score="50"))
    assert checked.score is not None
    assert "units-differ" not in _codes(checked)
    assert "actual-no-band" in _codes(checked)
    assert checked.score.indicators[0].score == Decimal(50)


@pytest.mark.parametrize("actual", ["完成", "2023年内完成"])
def test_a_bare_done_still_names_no_band(tiny_content: Path, actual: str) -> None:
    checked = _checked(tiny_content, _with_row(target="≥90%", actual=actual, score="50"))
    assert "actual-no-band" in _codes(checked)


# --- 3. a value a list of choices does not allow -----------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "allowed"),
    [
        # The reproduction: English ("Input should be 'header', …") inside a Chinese message.
        (
            {"partial": {"missing": ["第二页"]}},
            "partial.missing[0]",
            ["header(表头)", "funding(项目资金)", "indicators(绩效指标)", "people(负责人及联系人)"],
        ),
        (
            {"template": "anhui"},
            "template",
            ["central(财预〔2020〕10号模板)", "anhui-xianjie(安徽衔接资金表样)", "yinchuan"],
        ),
        (
            {"funding": {"amount_unit": "千元", "total": {"budget": 1000, "executed": 1000}}},
            "funding.amount_unit",
            ["元", "万元"],
        ),
        (
            {"source": {"reader": "ocr", "file": "a.pdf", "sha256": "0" * 64}},
            "source.reader",
            ["text", "pdf"],
        ),
    ],
)
def test_a_value_outside_a_list_of_choices_is_said_in_chinese_with_the_choices(
    tiny_content: Path, changes: dict[str, Any], field: str, allowed: list[str]
) -> None:
    checked = _checked(tiny_content, minimal_project(**changes))
    (error,) = [f.finding for f in checked.located if f.finding.severity == "error"]
    assert error.code == "schema-literal-error"
    message, hint = chinese(error)
    assert "Input should" not in message + hint and "不能是“" in message
    assert hint.startswith("应为以下之一:") and all(value in hint for value in allowed)
    assert ".".join(str(p) for p in error.path).replace(".0", "[0]") == field


# --- 4. links to the feed ----------------------------------------------------------------------


def _build(content: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    build(
        BuildOptions(content=content, site=site, cache=tmp_path / "cache", search=False, pdf=False)
    )
    return site


def _pages_linking(site: Path, target: str) -> list[str]:
    return sorted(
        page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if any(
            (tag.get("href") or "").endswith(target)
            for tag in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(
                ["a", "link"]
            )
        )
    )


@pytest.mark.parametrize("dated", [False, True])
def test_a_page_links_the_feed_only_when_there_is_one(
    tiny_content: Path, tmp_path: Path, dated: bool
) -> None:
    """Content not in git and forms without 填报日期: nothing can be dated, no feed.xml is
    written, and no page links to it (about/index.html did)."""
    data = minimal_project()
    if not dated:
        del data["filled_on"]
    write_project(tiny_content, data)
    write_project(tiny_content, {**data, "id": "ceshi-er"}, name="ceshi-er.yaml")
    site = _build(tiny_content, tmp_path)
    linking = _pages_linking(site, "feed.xml")
    assert (site / "feed.xml").exists() is dated
    if dated:
        assert "about/index.html" in linking and "index.html" in linking
    else:
        assert linking == []


# --- 6. values printed in words or as a month ----------------------------------------------------


@pytest.mark.parametrize(
    ("nature", "target", "actual", "joined"),
    [
        ("不低于", "90", "95", "≥90%"),  # the reproduction: refused in 指标性质
        ("不少于", "735", "735", "≥735%"),
        ("不超过", "5", "6", "≤5%"),
        ("达到", "100", "100", "≥100%"),
        ("大于", "90", "85", ">90%"),
        ("低于", "3", "2", "<3%"),
        ("等于", "100", "100", "=100%"),
    ],
)
def test_a_comparison_in_words_in_the_nature_column_reads_as_its_sign(
    tiny_content: Path, nature: str, target: str, actual: str, joined: str
) -> None:
    split = _checked(
        tiny_content, _with_row(nature=nature, target=target, unit="%", actual=actual, score="0")
    )
    one = _checked(
        tiny_content, _with_row(target=joined, actual=f"{actual}%", score="0"), name="y.yaml"
    )
    assert split.project is not None, _codes(split)
    assert split.project.indicators[0].nature == nature  # shown as printed
    assert split.score is not None and one.score is not None
    (row,), (same,) = split.score.indicators[:1], one.score.indicators[:1]
    assert (row.rule, row.high, row.ratio) == (same.rule, same.high, same.ratio)


def test_a_nature_that_is_no_comparison_is_still_refused_in_chinese(tiny_content: Path) -> None:
    checked = _checked(tiny_content, _with_row(nature="较好", target="90", actual="95"))
    (error,) = [f.finding for f in checked.located if f.finding.severity == "error"]
    message, hint = chinese(error)
    assert "指标性质“较好”" in message and "不低于" in hint and "^(" not in hint


@pytest.mark.parametrize(
    ("written", "year", "month"),
    [
        ("2021年12月", 2021, 12),
        ("2021-12", 2021, 12),
        ("2022年3月", 2022, 3),
        ("2021 年 9 月", 2021, 9),
    ],
)
def test_a_month_alone_is_kept_as_a_month(
    tiny_content: Path, written: str, year: int, month: int
) -> None:
    checked = _checked(tiny_content, minimal_project(filled_on=written))
    assert checked.project is not None, _codes(checked)
    filled = checked.project.filled_on
    assert isinstance(filled, PrintedMonth) and (filled.year, filled.month) == (year, month)
    assert filled.written == written and not hasattr(filled, "day")


@pytest.mark.parametrize(
    "written", ["2021年13月", "2021年0月", "12月", "2021年12月5", "2021/12", "2021.09"]
)
def test_what_is_no_month_nor_date_is_refused(tiny_content: Path, written: str) -> None:
    checked = _checked(tiny_content, minimal_project(filled_on=written))
    (error,) = [f.finding for f in checked.located if f.finding.severity == "error"]
    _, hint = chinese(error)
    assert error.path == ("filled_on",) and "2021年12月" in hint


def _texts(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in site.rglob("*")
        if path.suffix in (".html", ".xml", ".json", ".csv", ".txt")
    }


def test_a_month_alone_is_shown_as_printed_and_never_made_a_day(
    tiny_content: Path, tmp_path: Path, example_site: Path
) -> None:
    """A form printing 2021年12月 and one printing 2021-12-20: the page, the sitemap, the
    feed, the open data, the PDF and the workbook show the month as printed; no output
    makes it a day (2021-12-01 nor 2021-12-31); the feed lists it as of the data's date."""
    write_project(tiny_content, minimal_project(year=2021, filled_on="2021年12月"), "month.yaml")
    dated = minimal_project(year=2021, id="ceshi-er", filled_on="2021-12-20")
    write_project(tiny_content, dated, "ceshi-er.yaml")
    (tiny_content / "2023").rename(tiny_content / "2021")
    site = tmp_path / "site"
    link_example_fonts(example_site, tmp_path / "cache" / "pdf")
    build(BuildOptions(content=tiny_content, site=site, cache=tmp_path / "cache", search=False))
    texts = _texts(site)
    assert not [
        name for name, text in texts.items() if "2021-12-01" in text or "2021-12-31" in text
    ]
    page = BeautifulSoup(texts["2021/ceshi/ceshi-xiangmu/index.html"], "html.parser")
    (time,) = [t for t in page.find_all("time") if t.text == "2021年12月"]
    assert time["datetime"] == "2021-12" and time.find_previous("dt").text == "填报日期"
    assert (
        "<loc>https://example.org/2021/ceshi/ceshi-xiangmu/</loc><lastmod>2021-12</lastmod>"
        in (texts["sitemap.xml"])
    )
    feed = BeautifulSoup(texts["feed.xml"], "xml")
    entries = {e.title.text: e for e in feed.find_all("entry")}
    (month_entry,) = [e for e in entries.values() if "只注明月份" in e.summary.text]
    assert month_entry.updated.text == "2021-12-20T00:00:00Z"  # the data's date, said so
    assert "2021年12月" in month_entry.summary.text
    assert '"filled_on":"2021年12月"' in texts["data/2021/projects.json"].replace(" ", "")
    pdf = PdfReader(site / "2021/ceshi/ceshi-xiangmu/ceshi-xiangmu.pdf")
    assert "填报日期:2021年12月" in pdf.pages[0].extract_text()
    assert "/CreationDate" not in (pdf.metadata or {})
    sheet = openpyxl.load_workbook(site / "2021/ceshi/ceshi-xiangmu/ceshi-xiangmu.xlsx").active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any(c.endswith("填报日期:2021年12月") for c in cells), cells
    with zipfile.ZipFile(site / "2021/ceshi/ceshi-xiangmu/ceshi-xiangmu.xlsx") as book:
        assert "2021-12" not in book.read("docProps/core.xml").decode()


# --- 5. the header in the form's words ---------------------------------------------------------


def _pdf_text(site: Path, project: dict[str, Any]) -> str:
    path = site / "2023" / "ceshi" / project["id"] / f"{project['id']}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return "".join(text.split())


def _facts(site: Path, project: dict[str, Any]) -> dict[str, str]:
    page = (site / "2023" / "ceshi" / project["id"] / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in soup.select("header.project-head dt")
    }


def test_the_header_is_in_the_form_s_words(
    tiny_content: Path, tmp_path: Path, example_site: Path
) -> None:
    """湖北 2020 prints 主管部门 and 项目实施单位 and no 年度总体目标; a central form may print
    主管部门 (labels.department); 银川 prints the 自评得分 in its header; a form that names no
    contact prints no 联系人: line. The central form as the seed has it keeps its words."""
    hubei = minimal_project(id="hubei", template="hubei-2020", goals={})
    worded = minimal_project(
        id="yunnan", labels={"department": "主管部门", "implementing_unit": "实施单位(盖章)"}
    )
    yinchuan = minimal_project(id="yinchuan", template="yinchuan", declared={"total": 95.5})
    central = minimal_project(id="zhongyang", contact="王某")
    for data in (hubei, worded, yinchuan, central):
        write_project(tiny_content, data, f"{data['id']}.yaml")
    site = tmp_path / "site"
    link_example_fonts(example_site, tmp_path / "cache" / "pdf")
    build(BuildOptions(content=tiny_content, site=site, cache=tmp_path / "cache", search=False))

    facts, text = _facts(site, hubei), _pdf_text(site, hubei)
    assert facts["主管部门"] == "[502]测试局" and facts["项目实施单位"] == "测试单位"
    assert "主管部门及代码" not in text and "主管部门[502]测试局项目实施单位测试单位" in text
    assert "年度总体目标" not in text and "预期目标" not in text
    page = (site / "2023/ceshi/hubei/index.html").read_text(encoding="utf-8")
    assert "年度总体目标" not in page and "联系人" not in text

    facts, text = _facts(site, worded), _pdf_text(site, worded)
    assert facts["主管部门"] == "[502]测试局" and facts["实施单位(盖章)"] == "测试单位"
    assert "主管部门[502]测试局实施单位(盖章)测试单位" in text and "年度总体目标" in text

    facts, text = _facts(site, yinchuan), _pdf_text(site, yinchuan)
    assert facts["自评得分"] == "95.5" and "自评得分95.5" in text

    facts, text = _facts(site, central), _pdf_text(site, central)
    assert facts["主管部门及代码"] == "[502]测试局" and "自评得分" not in facts
    assert "主管部门及代码[502]测试局实施单位测试单位" in text and "联系人:王某" in text
