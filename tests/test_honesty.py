"""A project's page puts money and honesty first: what was budgeted, spent and the rate; the
declared total against the computed one with their difference and one plain sentence why;
the form's issues counted as issues (one wrong total is one issue), in plain Chinese, with
the codes and source lines in a staff-facing details element linked to the methodology page.
And a 实际完成情况 that repeats the 预期目标 word for word is a finding (`goals-repeated`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from builder.build import BuildOptions, build
from builder.cli import main
from builder.rules.texts import same_words

from .conftest import minimal_project, write_project

ASCII_CODE = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")  # total-mismatch, goals-repeated, …


def build_site(content: Path, work: Path) -> Path:
    """content/ built without PDFs or search into work/site; returns the site folder."""
    site = work / "site"
    build(BuildOptions(content=content, site=site, cache=work / "cache", pdf=False, search=False))
    return site


def page_of(site: Path, project_id: str, year: int = 2023, unit: str = "ceshi") -> BeautifulSoup:
    html = (site / f"{year}/{unit}/{project_id}/index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def with_scores(**changes: Any) -> dict[str, Any]:
    """The minimal project with every row's declared 得分 (as scored: 100 in all)."""
    data = minimal_project(**changes)
    for row in data["indicators"]:
        row.setdefault("score", row["weight"])
    data.setdefault("declared", {"execution_score": 10, "total": 100})
    return data


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("根据文件精神,拨付补助。", "根据文件精神,拨付补助。", True),
        ("根据文件精神,\n拨付补助。", "根据文件精神, 拨付补助。\n", True),  # how YAML lays it out
        ("根据文件精神,拨付补助。", "根据文件精神,拨付补助资金。", False),
        ("计划", "完成", False),
        ("", "", False),  # nothing written is not a copy
        ("  ", "\n", False),
    ],
)
def test_same_words(first: str, second: str, same: bool) -> None:
    assert same_words(first, second) is same


def test_a_repeated_goal_is_a_located_warning_in_chinese(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "根据《关于建立贵州省城乡居民基本养老保险待遇确定机制的实施意见》,配套拨付市级财政补助。"
    path = write_project(tiny_content, minimal_project(goals={"planned": text, "achieved": text}))
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    line = next(
        n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if "achieved:" in line
    )
    (said,) = [entry for entry in out.splitlines() if "[goals-repeated]" in entry]
    assert said.startswith(f"{path.as_posix()}:{line}:")
    assert "警告[goals-repeated]: goals.achieved: “实际完成情况”与“预期目标”逐字相同" in said
    assert "(写明当年实际完成了什么" in said


def test_goals_that_differ_or_are_blank_are_no_finding(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tiny_content, minimal_project(goals={"planned": "计划一", "achieved": "计划二"}))
    write_project(tiny_content, minimal_project(id="kongbai", goals={}), name="kongbai.yaml")
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 0
    assert "goals-repeated" not in capsys.readouterr().out


def test_one_wrong_total_is_one_issue_with_its_difference_and_why(
    tiny_content: Path, tmp_path: Path
) -> None:
    # Each row declares what it is worth but 满意度 earns 9.5 of 10 (≥95% against 90.25%):
    # the rows add up to 100 as declared, the rules give 99.5. The 总分 row says 100.
    data = with_scores()
    data["indicators"][2]["actual"] = "≥90.25%"
    data["declared"] = {"execution_score": 10, "total": 100}
    write_project(tiny_content, data)
    # A second form whose 总分 row alone is wrong: its rows add up to 100, it prints 98.
    wrong_total = with_scores(id="zongfen")
    wrong_total["declared"] = {"execution_score": 10, "total": 98, "conclusion": "自评得分100分。"}
    write_project(tiny_content, wrong_total, name="zongfen.yaml")
    site = build_site(tiny_content, tmp_path)

    soup = page_of(site, "zongfen")
    figures = {
        d.dt.get_text(strip=True): d.dd.get_text(strip=True) for d in soup.select(".verdict dl div")
    }
    assert figures["申报总分"] == "98分" and figures["复核总分"] == "100分"
    assert figures["复核−申报"] == "+2分"
    why = soup.select_one(".why").get_text(strip=True)
    assert why == "复核总分比申报多 2 分:表上总分栏填的是 98 分,而表中各项得分相加为 100 分。"
    status = soup.select_one(".verdict .status").get_text(strip=True)
    assert "1 个问题(总分与等次)" in status
    issues = soup.select("ol.issues > li")
    assert len(issues) == 1  # total-mismatch, total-not-sum and the conclusion: one total
    staff = soup.select("details.staff ul.findings li")
    codes = [li.code.get_text() for li in staff]
    assert {"total-mismatch", "total-not-sum", "conclusion-total-mismatch"} <= set(codes)
    assert all(re.search(r"原始数据第 \d+ 行", li.get_text()) for li in staff)

    row = page_of(site, "ceshi-xiangmu")
    why = row.select_one(".why").get_text(strip=True)
    assert why == "复核总分比申报少 0.5 分:“满意度”申报 10 分、按规则为 9.5 分。"
    topics = [li.h3.get_text(strip=True) for li in row.select("ol.issues > li")]
    assert topics == ["三级指标“满意度”"]  # the total follows from the row: not a second issue


def test_the_reader_s_text_has_no_codes_and_each_finding_links_its_explanation(
    tiny_content: Path, tmp_path: Path
) -> None:
    data = with_scores(goals={"planned": "发放补助。", "achieved": "发放补助。"})
    data["declared"] = {"execution_score": 10, "total": 98}
    write_project(tiny_content, data)
    site = build_site(tiny_content, tmp_path)
    soup = page_of(site, "ceshi-xiangmu")
    reader = [soup.select_one(".verdict"), soup.select_one("ol.issues")]
    for part in reader:
        text = part.get_text(" ", strip=True)
        assert not ASCII_CODE.search(text), text
        assert "原始数据第" not in text
    # Figures first, then texts: the total, then the repeated goal.
    topics = [li.h3.get_text(strip=True) for li in soup.select("ol.issues > li")]
    assert topics == ["总分与等次", "年度总体目标"]
    methodology = BeautifulSoup(
        (site / "methodology/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    links = soup.select("section[aria-labelledby=findings] a[href*='methodology/#']")
    assert links and len(links) >= 3
    for link in links:
        anchor = link["href"].split("#", 1)[1]
        assert methodology.find(id=anchor) is not None, anchor
    # The repeated goal is explained in Chinese on the methodology page.
    assert "一字不差地重复" in methodology.find(id="f-goals-repeated").get_text()


def test_the_money_headline_in_wan_yuan(tiny_content: Path, tmp_path: Path) -> None:
    data = minimal_project(
        funding={"total": {"initial": 86870000, "budget": 86870000, "executed": 17461600}}
    )
    write_project(tiny_content, data)
    soup = page_of(build_site(tiny_content, tmp_path), "ceshi-xiangmu")
    money = {
        d.dt.get_text(strip=True): d.dd.get_text(strip=True)
        for d in soup.select(".verdict dl.money div")
    }
    assert money == {
        "全年预算数": "8,687.00万元",
        "全年执行数": "1,746.16万元",
        "预算执行率": "20.10%",
    }
    # First on the page after the form's facts: before the scores and the downloads.
    order = [el.get("class") for el in soup.select(".verdict dl")]
    assert order == [["figures", "money"], ["figures", "scores"]]


def test_a_form_that_agrees_says_so(tiny_content: Path, tmp_path: Path) -> None:
    write_project(tiny_content, with_scores())
    soup = page_of(build_site(tiny_content, tmp_path), "ceshi-xiangmu")
    assert soup.select_one(".why").get_text(strip=True) == "申报总分与按评分规则复核的总分相同。"
    assert soup.select_one(".status-ok") is not None and not soup.select("ol.issues")
    figures = {
        d.dt.get_text(strip=True): d.dd.get_text(strip=True) for d in soup.select(".verdict dl div")
    }
    assert figures["复核−申报"] == "0分"
