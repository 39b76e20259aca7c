"""Findings a new user's check of docs/examples/families found false or unclear (issue 12), each
a table of inputs of the same kind, written as small forms into a tmp folder:

- the cost check added per-unit costs (每间教室改造成本, 生均补助标准) to the project's total;
- a lower score accepted with a reason was noted at the declared figure while the total added
  the formula's, a false `total-mismatch`; every row finding states what the total adds;
- the Chinese of unchecked rows, rows without 分值 or 得分, placeholder rows, a banner joining a
  note that ends in 。, and the list of held-back forms;
- 四川's 绩效指标 90, split freely among the 一级指标 (`weights.levels_total`);
- a date target marked 定性 is still a target met or not;
- a funding row's own 分值 / 执行率 / 得分 printed as a dash.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.build import BuildOptions, build
from builder.cli import main
from builder.form.model import Indicator, Project
from builder.formats import figure_text, percent_text
from builder.pdf.extras import pdf_extras
from builder.pdf.funding import funding_lines
from builder.pdf.templates import indicator_lines
from builder.printed import form_extras
from builder.rules.check import check_content, project_record
from builder.rules.explain import EXPLANATIONS, explain
from builder.rules.findings import Finding, Severity
from builder.rules.policies import policy_for
from builder.rules.policy import DefaultWeights, ScoringPolicy
from builder.rules.score import Kind, Rule, score_indicator, score_project
from builder.rules.wording import chinese
from tests.conftest import minimal_project, write_project

FAMILIES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "families"
NATIONAL = ScoringPolicy()


def _record(content: Path, data: dict[str, Any]) -> dict[str, Any]:
    write_project(content, data)
    result = check_content(content)
    record: dict[str, Any] = json.loads(json.dumps(project_record(result.projects[0])))
    return record


def _codes(record: dict[str, Any]) -> list[str]:
    return [f["code"] for f in record["findings"]]


def _finding(record: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in record["findings"] if f["code"] == code)


# --- 1. the cost rows: only a total amount of the project is compared with the funds executed --


def _with_cost_rows(executed: int, *rows: dict[str, Any]) -> dict[str, Any]:
    """The minimal project, executed `executed` 元 of 1000000, its 产出指标 50 shared by the
    cost rows given (and the first row keeping the rest)."""
    data = minimal_project(
        funding={"total": {"initial": 1000000, "budget": 1000000, "executed": executed}}
    )
    first = data["indicators"][0]
    first["weight"] = 50 - 5 * len(rows)
    for row in rows:
        data["indicators"].insert(
            1,
            {"level1": "产出指标", "level2": "成本指标", "weight": 5, **row},
        )
    return data


# (rows, executed 元, the names compared or None for no finding)
COST_ROWS = [
    pytest.param(
        [{"name": "每间教室改造成本", "target": "≤1.1万元", "actual": "≤1.1万元"}],
        1000000,
        None,
        id="per-classroom-mei",
    ),
    pytest.param(
        [{"name": "生均补助标准", "target": "8元", "actual": "8元"}],
        1000000,
        None,
        id="per-pupil-standard-in-yuan",
    ),
    pytest.param(
        [{"name": "生均补助标准", "target": "8元/人·天", "actual": "8元/人·天"}],
        1000000,
        None,
        id="per-pupil-day-unit",
    ),
    pytest.param(
        [{"name": "设备单价", "target": "≤500元", "actual": "480元"}], 1000000, None, id="danjia"
    ),
    pytest.param(
        [{"name": "人均补助金额", "target": "≤1200元", "actual": "1200元"}],
        1000000,
        None,
        id="renjun",
    ),
    pytest.param(
        [{"name": "维修成本", "target": "≤300", "unit": "元/户", "actual": "280"}],
        1000000,
        None,
        id="per-household-unit-column",
    ),
    pytest.param(
        [{"name": "保洁成本", "target": "≤2.5元/平方米", "actual": "2.4元/平方米"}],
        1000000,
        None,
        id="per-square-metre-in-the-cells",
    ),
    pytest.param(
        [{"name": "成本金额", "target": "≤120万元", "actual": "≤95万元"}],
        1000000,
        "成本金额",
        id="a-total-that-differs",
    ),
    pytest.param(
        [{"name": "成本金额", "target": "≤120万元", "actual": "100万元"}],
        1000000,
        None,
        id="a-total-that-agrees",
    ),
    pytest.param(
        [{"name": "每年运维费用", "target": "≤100万元", "actual": "90万元"}],
        1000000,
        "每年运维费用",
        id="meinian-is-the-years-whole",
    ),
    pytest.param(
        [
            {"name": "每间教室改造成本", "target": "≤1.1万元", "actual": "1.1万元"},
            {"name": "改造总成本", "target": "≤100万元", "actual": "100万元"},
        ],
        1000000,
        None,
        id="per-unit-left-out-of-the-sum",
    ),
    pytest.param(
        [
            {"name": "每间教室改造成本", "target": "≤1.1万元", "actual": "1.1万元"},
            {"name": "改造总成本", "target": "≤100万元", "actual": "98.9万元"},
        ],
        1000000,
        "改造总成本",
        id="per-unit-never-makes-the-sum-right",
    ),
]


@pytest.mark.parametrize(("rows", "executed", "named"), COST_ROWS)
def test_only_the_projects_total_cost_is_compared_with_the_funds_executed(
    tiny_content: Path, rows: list[dict[str, Any]], executed: int, named: str | None
) -> None:
    record = _record(tiny_content, _with_cost_rows(executed, *rows))
    if named is None:
        assert "cost-vs-executed" not in _codes(record)
    else:
        finding = _finding(record, "cost-vs-executed")
        assert finding["data"]["rows"] == named
        assert Decimal(str(finding["data"]["executed"])) == executed


# --- 2. the total adds what the row findings state -------------------------------------------


# (changes to the 产出 row, declared total, the row's counted score, codes said, codes not said)
JUDGED_ROWS = [
    pytest.param(
        {"actual": "28人", "target": "≥30人", "score": 46, "reason": "两户迁出,未纳入发放"},
        96,
        "46",
        {"judgement-accepted"},
        {"total-mismatch", "score-below-rule"},
        id="positive-with-reason-counts-declared",
    ),
    pytest.param(
        {"actual": "28人", "target": "≥30人", "score": 46},
        96,
        "46.67",
        {"score-below-rule", "total-mismatch"},
        {"judgement-accepted"},
        id="positive-without-reason-counts-formula",
    ),
    pytest.param(
        {"actual": "≤12天", "target": "≤10天", "score": 40, "reason": "汛期道路中断"},
        90,
        "40",
        {"judgement-accepted"},
        {"total-mismatch"},
        id="reverse-with-reason",
    ),
    pytest.param(
        {"actual": "2023年11月", "target": "2023年12月底前", "score": 45, "reason": "验收资料补正"},
        95,
        "45",
        {"judgement-accepted"},
        {"total-mismatch"},
        id="deadline-met-with-reason",
    ),
    pytest.param(
        {"actual": "≥100元", "target": "≥100人"},
        100,
        "50",
        {"units-differ"},
        {"total-mismatch"},
        id="units-differ-none-declared-counts-and-says-the-weight",
    ),
]


@pytest.mark.parametrize(("row", "declared", "counted", "said", "unsaid"), JUDGED_ROWS)
def test_the_total_adds_the_figures_the_row_findings_state(
    tiny_content: Path,
    row: dict[str, Any],
    declared: int,
    counted: str,
    said: set[str],
    unsaid: set[str],
) -> None:
    data = minimal_project(declared={"total": declared})
    data["indicators"][0].update(row)
    record = _record(tiny_content, data)
    computed = record["computed"]
    codes = set(_codes(record))
    assert said <= codes and not unsaid & codes
    assert Decimal(str(computed["indicators"][0]["score"])) == Decimal(counted)
    rows = sum(Decimal(str(r["score"])) for r in computed["indicators"])
    assert Decimal(str(computed["total"])) == Decimal(str(computed["execution_score"])) + rows
    # The row's finding states the figure the total added, in English and in Chinese.
    finding = next(f for f in record["findings"] if f["code"] in said)
    stated = finding["data"].get("declared") if "judgement" in finding["code"] else None
    stated = stated if stated is not None else finding["data"].get("computed")
    assert Decimal(str(stated)) == Decimal(counted)
    message, _ = chinese(_as_finding(finding))
    assert f" {counted} 分" in message or f"计算为 {counted}," in message


def _as_finding(record: dict[str, Any]) -> Finding:
    data = tuple((key, str(value)) for key, value in record["data"].items())
    return Finding(Severity(record["severity"]), record["code"], (), record["message"], data=data)


def test_a_judgement_row_on_the_families_policies_keeps_its_total(tmp_path: Path) -> None:
    """The 四川 example's 持续开放率 row, 14.68 of 15 against 93 / 95: declared a point lower
    with its reason, the total falls by what the note says."""
    source = FAMILIES / "2023" / "quxian-wgly" / "nongjia-shuwu-buchong.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["indicators"][6]["score"] = 13.68
    data["declared"]["total"] = 98.37
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(
        (FAMILIES / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    folder = content / "2023" / "quxian-wgly"
    folder.mkdir(parents=True)
    (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (checked,) = check_content(content).projects
    record = project_record(checked)
    assert record["policy"] == "四川"
    assert Decimal(str(record["computed"]["total"])) == Decimal("98.37")
    assert "judgement-accepted" in _codes(record) and "total-mismatch" not in _codes(record)


# --- 3. the wording ---------------------------------------------------------------------------


def test_an_empty_actual_is_said_unchecked_in_chinese(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = minimal_project()
    data["indicators"][0]["actual"] = ""
    data["indicators"][0]["score"] = 50
    write_project(tiny_content, data)
    main(["check", "--content", str(tiny_content)])
    [line] = [ln for ln in capsys.readouterr().out.splitlines() if "actual-missing" in ln]
    assert "未能核验" in line and "计入 50 分" in line


@pytest.mark.parametrize(
    ("score", "present", "absent"),
    [
        pytest.param(30, "申报得分 30", "不计分", id="declared"),
        pytest.param(None, "不计分", "照录申报得分", id="neither-weight-nor-score"),
    ],
)
def test_a_row_without_weight_says_what_it_counts(
    tiny_content: Path, score: int | None, present: str, absent: str
) -> None:
    data = minimal_project()
    row = data["indicators"][1]
    del row["weight"]
    if score is not None:
        row["score"] = score
    record = _record(tiny_content, data)
    finding = _as_finding(_finding(record, "no-weight"))
    message, _ = chinese(finding)
    general, detail = explain(finding)
    assert present in message and absent not in message
    assert absent not in (detail or general)


def test_a_placeholder_row_is_kept_as_printed(tiny_content: Path) -> None:
    data = minimal_project()
    data["indicators"].append({"level1": "产出指标", "level2": "质量指标", "name": "指标2:"})
    record = _record(tiny_content, data)
    finding = _as_finding(_finding(record, "placeholder-row"))
    message, hint = chinese(finding)
    for text in (message, hint, *explain(finding), finding.hint):
        assert "删除" not in text and "delete" not in text.lower()
    assert "照录" in hint


@pytest.mark.parametrize("note", ["源文件在此处截断。", "源文件在此处截断", "源文件在此处截断.  "])
def test_a_partial_note_ending_in_a_full_stop_is_never_doubled(tmp_path: Path, note: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(
        "title: 测试站点\nbase_url: https://example.org/\n", encoding="utf-8"
    )
    data = minimal_project(partial={"missing": ["remarks"], "note": note})
    write_project(content, data)
    site = tmp_path / "site"
    build(
        BuildOptions(content=content, site=site, cache=tmp_path / "cache", search=False, pdf=False)
    )
    page = BeautifulSoup(
        (site / "2023" / "ceshi" / "ceshi-xiangmu" / "index.html").read_text("utf-8"),
        "html.parser",
    )
    banner = page.select_one("p.partial")
    assert banner is not None and "源文件在此处截断。缺的部分" in banner.get_text()
    project = Project.model_validate(data)
    printed = pdf_extras(project, incomplete=False).partial
    assert "源文件在此处截断。以下照录" in printed
    for text in (banner.get_text(), printed, form_extras(project).missing_note):
        assert "。。" not in text and "。." not in text


def test_no_chinese_sentence_doubles_its_full_stop(tmp_path: Path) -> None:
    """Every finding of a form full of problems (a figure quoted at the end of a sentence, a
    note ending in 。), each said to staff and explained for the site."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(
        "title: 测试站点\nbase_url: https://example.org/\n", encoding="utf-8"
    )
    data = minimal_project(
        partial={"missing": ["funding", "remarks"], "note": "源文件截断。"},
        declared={"total": 120, "grade": "优。", "conclusion": "自评得分99分,自评等次为良。"},
    )
    del data["funding"]
    rows = data["indicators"]
    rows[0].update(actual="", score=60)
    rows[1].update(actual="按时完成。", score=20)
    rows[2].update(target="≥95%", actual="0.98")
    rows.append({"level1": "产出指标", "level2": "数量指标", "name": "……"})
    rows.append({"level1": "产出指标", "level2": "数量指标", "name": "其中:新增。", "score": 2})
    record = _record(content, data)
    assert len(record["findings"]) >= 6
    for found in record["findings"]:
        finding = _as_finding(found)
        general, detail = explain(finding)
        for text in (*chinese(finding), general, detail, general + detail):
            assert "。。" not in text, (finding.code, text)


def test_every_explanation_ends_one_sentence_once() -> None:
    for code, (general, detail) in EXPLANATIONS.items():
        assert not general.endswith("。。") and "。。" not in detail, code


def test_held_back_json_gives_each_error_in_chinese_without_the_forms_text(
    tiny_content: Path, tmp_path: Path
) -> None:
    write_project(tiny_content, minimal_project(id="hao"), "hao.yaml")
    bad = minimal_project(id="huai", name="内部名称不公开", filled_on="2023/12/25")
    bad["indicators"][0]["weight"] = "五\u202e十"
    write_project(tiny_content, bad, "huai.yaml")
    site = tmp_path / "site"
    assert main(
        ["build", "--content", str(tiny_content), "--output", str(site), "--cache",
         str(tmp_path / "cache"), "--no-pdf"]
    ) == 3  # fmt: skip
    listed = json.loads((site / "held-back.json").read_text(encoding="utf-8"))
    [entry] = listed["held_back"]
    errors = {e["code"]: e for e in entry["errors"]}
    assert {"line", "column", "code", "message", "hint"} == set(next(iter(errors.values())))
    date = errors["schema-date-from-datetime-parsing"]
    assert (date["message"], date["hint"]) == (
        "填报日期应为日期,写的是“2023/12/25”",
        "写成 年-月-日,如 2023-12-25;表上只印年月的照印写,如 2021年12月",
    )
    text = json.dumps(listed, ensure_ascii=False)
    assert "内部名称不公开" not in text and "\u202e" not in text
    assert all(not e["message"].endswith("。") for e in entry["errors"])


# --- 4. 绩效指标 90, the 一级指标 free ---------------------------------------------------------

SICHUAN_POLICY = """\
policies:
  - name: 四川
    match: {template: sichuan}
    weights: {execution: 10, levels_total: 90}
"""


def _sichuan(weights: tuple[int, int, int]) -> dict[str, Any]:
    data = minimal_project(template="sichuan")
    for row, weight in zip(data["indicators"], weights, strict=True):
        row["weight"] = weight
    return data


# (the 三级 分值 of 产出 / 效益 / 满意度, the site's policies, codes said, the level weights)
FREE_LEVELS = [
    pytest.param((60, 20, 10), SICHUAN_POLICY, set(), (60, 20, 10), id="60-20-10"),
    pytest.param((50, 30, 10), SICHUAN_POLICY, set(), (50, 30, 10), id="50-30-10"),
    pytest.param((40, 40, 10), SICHUAN_POLICY, set(), (40, 40, 10), id="40-40-10"),
    pytest.param(
        (60, 30, 10), SICHUAN_POLICY, {"weights-levels-total"}, (60, 30, 10), id="adds-to-100"
    ),
    pytest.param(
        (50, 30, 5), SICHUAN_POLICY, {"weights-levels-total"}, (50, 30, 5), id="adds-to-85"
    ),
    pytest.param((60, 20, 10), "", {"weights-level-sum"}, (50, 30, 10), id="national-fixed"),
]


@pytest.mark.parametrize(("weights", "policies", "said", "levels"), FREE_LEVELS)
def test_levels_free_summing_to_ninety(
    tiny_content: Path,
    weights: tuple[int, int, int],
    policies: str,
    said: set[str],
    levels: tuple[int, int, int],
) -> None:
    site = tiny_content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + policies, encoding="utf-8")
    record = _record(tiny_content, _sichuan(weights))
    codes = set(_codes(record))
    weight_codes = {c for c in codes if c.startswith("weights")}
    assert weight_codes == said
    assert "weights-total" not in codes  # one mistake, one message
    if "weights-levels-total" in said:
        data = _finding(record, "weights-levels-total")["data"]
        assert (data["sum"], data["expected"]) == (str(sum(weights)), "90")
    project = Project.model_validate(_sichuan(weights))
    policy = policy_for(check_content(tiny_content).policies, 2023, project.template).policy
    score = score_project(project, policy)
    assert tuple(score.level_weights.values()) == levels
    # The PDF shows the 一级 points the form prints, never the ones the rules derive.
    shown = {line.level1: line.level1_points for line in indicator_lines(project)}
    assert shown == {level: project.weights.levels.get(level) for level in shown}


def test_a_misnamed_level_is_still_an_error_under_free_levels(tiny_content: Path) -> None:
    site = tiny_content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + SICHUAN_POLICY, encoding="utf-8")
    data = _sichuan((60, 20, 10))
    data["indicators"][1]["level1"] = "效益指表"
    assert "unknown-level" in _codes(_record(tiny_content, data))


def test_the_families_sichuan_policy_leaves_its_levels_free() -> None:
    policy = policy_for(check_content(FAMILIES).policies, 2023, "sichuan").policy
    assert policy.weights.levels_total == 90 and policy.weights.execution == 10
    assert policy.weights.execution + policy.weights.levels_total == policy.total


def test_levels_total_null_in_a_policy_fixes_the_levels_again() -> None:
    free = ScoringPolicy(weights=DefaultWeights(levels_total=Decimal(90)))
    assert free.weights.levels_free and not NATIONAL.weights.levels_free


# --- 5. a date target marked 定性 is met or not ----------------------------------------------


def _dated(target: str, actual: str, nature: str | None, declared: str | None) -> Indicator:
    return Indicator(
        level1="产出指标",
        level2="时效指标",
        name="完成时间",
        target=target,
        actual=actual,
        nature=nature,
        weight=Decimal(10),
        score=None if declared is None else Decimal(declared),
    )


# (target, actual, 指标性质, declared, rule, kind, score)
DATED_ROWS = [
    pytest.param("2021年12月完成", "2021年11月完成", "定性", "9", Rule.band, Kind.qualitative, "9",
                 id="marked-qualitative-met-in-band"),
    pytest.param("2021年12月完成", "2021年11月完成", "定性", None, Rule.band, Kind.qualitative,
                 "10", id="marked-qualitative-met-top-of-band"),
    pytest.param("2021年12月完成", "2021年11月完成", "定性", "6", Rule.band, Kind.qualitative,
                 "8", id="marked-qualitative-below-band-clamped"),
    pytest.param("12月底前", "2022年1月5日", "定性", "6", Rule.deadline_unchecked,
                 Kind.qualitative, "6", id="marked-qualitative-year-on-one-side"),
    pytest.param("2021年12月底前", "2022年1月5日", "定性", "5", Rule.deadline_missed,
                 Kind.qualitative, "5", id="marked-qualitative-missed"),
    pytest.param("2021年12月完成", "2021年11月完成", None, "10", Rule.deadline_met,
                 Kind.quantitative, "10", id="unmarked-met"),
    pytest.param("12月底前", "12月20日", "定量", "10", Rule.deadline_met, Kind.quantitative,
                 "10", id="marked-quantitative-met"),
    pytest.param("2021年12月完成", "达成年度指标", "定性", "9", Rule.band, Kind.qualitative, "9",
                 id="marked-qualitative-words-as-before"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("target", "actual", "nature", "declared", "rule", "kind", "score"), DATED_ROWS
)
def test_a_date_target_is_met_or_not_whatever_its_nature(
    target: str,
    actual: str,
    nature: str | None,
    declared: str | None,
    rule: Rule,
    kind: Kind,
    score: str,
) -> None:
    result = score_indicator(_dated(target, actual, nature, declared), NATIONAL)
    assert (result.rule, result.kind, result.score) == (rule, kind, Decimal(score))


def test_a_met_date_marked_qualitative_is_not_reported_as_words_without_a_band(
    tiny_content: Path,
) -> None:
    data = minimal_project()
    data["indicators"][0].update(
        target="2023年12月完成", actual="2023年11月完成", nature="定性", score=45
    )
    record = _record(tiny_content, data)
    assert "actual-no-band" not in _codes(record)
    assert record["computed"]["indicators"][0]["kind"] == "qualitative"
    assert record["computed"]["indicators"][0]["score"] == 45


# --- 6. a funding row's own figures printed as a dash ------------------------------------------


def _dashed_funding() -> dict[str, Any]:
    return minimal_project(
        funding={
            "rows": [
                {"name": "年度资金总额", "total": True, "budget": 1000, "executed": 1000,
                 "weight": 10, "rate": 100, "score": 10},
                {"name": "其中:当年财政拨款", "budget": 1000, "executed": 1000,
                 "weight": "—", "rate": "-", "score": "/"},
                {"name": "上年结转资金", "budget": 0, "executed": 0, "weight": "／", "rate": "—",
                 "score": 0},
            ]
        }
    )  # fmt: skip


def test_a_funding_rows_own_figures_may_be_dashes(tiny_content: Path, tmp_path: Path) -> None:
    data = _dashed_funding()
    record = _record(tiny_content, data)
    assert not [f for f in record["findings"] if f["severity"] == "error"]
    assert record["computed"]["total"] == 100
    project = Project.model_validate(data)
    sub, carried = project.funding.rows[1], project.funding.rows[2]
    assert (sub.weight, sub.rate, sub.score) == ("—", "-", "/")
    assert (sub.figure("weight"), sub.figure("score"), carried.figure("score")) == (None, None, 0)
    # The PDF's 年度资金 block and the page's filters write them as printed, never 0.
    lines = funding_lines(project, Decimal(10))
    assert [(figure_text(ln.weight), percent_text(ln.rate), figure_text(ln.score)) for ln in lines][
        1:
    ] == [("—", "-", "/"), ("／", "—", "0")]
    # The file reads back as written.
    dumped = project.model_dump(mode="json")["funding"]["rows"][1]
    assert (dumped["weight"], dumped["rate"], dumped["score"]) == ("—", "-", "/")
    site = tmp_path / "site"
    build(
        BuildOptions(content=tiny_content, site=site, cache=tmp_path / "c", pdf=False, search=False)
    )
    page = BeautifulSoup(
        (site / "2023" / "ceshi" / "ceshi-xiangmu" / "index.html").read_text("utf-8"),
        "html.parser",
    )
    funding = page.find(id="funding").find_next("table")
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in funding.find_all("tr")[1:]]
    assert cells[1][3:6] == ["—", "-", "/"] and cells[2][3:6] == ["／", "—", "0"]
    record_file = json.loads(
        (site / "2023" / "ceshi" / "ceshi-xiangmu" / "ceshi-xiangmu.json").read_text("utf-8")
    )
    assert record_file["form"]["funding"]["rows"][1]["score"] == "/"


@pytest.mark.parametrize(
    ("total_row", "execution_weight", "codes"),
    [
        pytest.param({"weight": "—"}, 10, set(), id="dash-weight-is-the-policys"),
        pytest.param({"weight": 20, "score": "—"}, 20, {"weights-total"}, id="dash-score-unsaid"),
        pytest.param({"rate": "/"}, 10, set(), id="dash-rate-not-compared"),
    ],
)
def test_a_dash_on_the_total_row_is_a_figure_not_printed(
    tiny_content: Path, total_row: dict[str, Any], execution_weight: int, codes: set[str]
) -> None:
    data = minimal_project(
        funding={"rows": [{"name": "年度资金总额", "total": True, "budget": 1000, "executed": 900,
                           **total_row}]}
    )  # fmt: skip
    record = _record(tiny_content, data)
    found = set(_codes(record))
    assert codes <= found
    assert not {"execution-rate-mismatch", "execution-score-mismatch"} & found
    assert record["computed"]["execution_score"] == execution_weight * Decimal("0.9")


@pytest.mark.parametrize("written", ["五", "-1", "— 5"])
def test_anything_else_in_a_funding_rows_figure_is_an_error(
    tiny_content: Path, written: str
) -> None:
    data = _dashed_funding()
    data["funding"]["rows"][1]["weight"] = written
    record = _record(tiny_content, data)
    assert [f["field"] for f in record["findings"] if f["severity"] == "error"] == [
        "funding.rows[1].weight"
    ]


def test_the_model_gives_dashes_only_to_funding_rows() -> None:
    with pytest.raises(ValueError):
        Indicator(level1="产出指标", level2="数量指标", name="x", weight="—")  # type: ignore[arg-type]


def test_a_note_stating_the_formula_also_states_what_a_judgement_counts(
    tiny_content: Path,
) -> None:
    """An over-achieved row deducted by the policy to 25 of 50, declared 20 with a reason: the
    deduction note names 25 and the 20 counted, the judgement note 20, the total adds 20."""
    site = tiny_content / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + "  over_achievement: {threshold: 1.3, action: deduct, deduct: 0.5}\n",
        encoding="utf-8",
    )
    data = minimal_project()
    data["indicators"][0].update(actual="140人", score=20, reason="指标值定得偏低,自行扣分")
    record = _record(tiny_content, data)
    assert Decimal(str(record["computed"]["total"])) == 70
    deducted = _as_finding(_finding(record, "over-achievement-deducted"))
    message, _ = chinese(deducted)
    assert "为 25 分" in message and "计入 20 分" in message
    assert "计入 20 分" in explain(deducted)[1]
    assert "judgement-accepted" in _codes(record)
