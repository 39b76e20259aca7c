"""`jixiao check` on the bundled forms: the computed scores, the findings and the JSON contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main

from .conftest import minimal_project, position_of, write_project

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FORMS = Path("content/2023/lps-sbj")

COMPUTED_TOTALS = {
    "jiguan-yanglao-quekou": 92.01,
    "chengxiang-yanglao-65-zengfa": 97.5,
    "chengxiang-yanglao-tiaodai": 90,
    "chengxiang-yanglao-shiji-buzhu": 100,
    "teshu-qunti-yanglao-baoxianfei": 100,
    "shebao-pingtai-yunwei": 100,
}

# Everything the checker has to say about the six forms; a new or lost finding is a change to
# look at, whether it comes from the rules or from the transcriptions.
EXPECTED_FINDINGS = [
    ("chengxiang-yanglao-65-zengfa", "note", "over-achievement-deducted", "indicators[1].actual"),
    ("chengxiang-yanglao-65-zengfa", "warning", "total-mismatch", "declared.total"),
    ("chengxiang-yanglao-65-zengfa", "warning", "total-not-sum", "declared.total"),
    ("chengxiang-yanglao-65-zengfa", "warning", "conclusion-total-mismatch", "declared.conclusion"),
    ("chengxiang-yanglao-tiaodai", "note", "reverse-breached", "indicators[0].actual"),
    ("jiguan-yanglao-quekou", "warning", "cost-vs-executed", "indicators[5].actual"),
    # 实际完成情况 copied from 预期目标, word for word.
    *(
        (form, "warning", "goals-repeated", "goals.achieved")
        for form in (
            "chengxiang-yanglao-shiji-buzhu",
            "chengxiang-yanglao-tiaodai",
            "jiguan-yanglao-quekou",
            "shebao-pingtai-yunwei",
        )
    ),
]

FINDING_KEYS = {"severity", "code", "field", "line", "column", "message", "hint", "data"}
# Added to `check --json` (never to the open data): what `jixiao check` prints, in Chinese.
CHINESE_KEYS = {"message_zh", "hint_zh"}
# Where an imported form's value was read (None for a form typed by hand).
SOURCE_KEYS = {"source_file", "source_place"}
RECORD_KEYS = {
    "file",
    "id",
    "year",
    "name",
    "department",
    "unit",
    "policy",
    "computed",
    "declared",
    "findings",
}
COMPUTED_KEYS = {"execution_rate", "execution_score", "total", "grade", "levels", "indicators"}
COMPUTED_INDICATOR_KEYS = {"score", "rule", "kind", "low", "high"}
DECLARED_KEYS = {
    "execution_rate",
    "execution_score",
    "total",
    "grade",
    "conclusion_total",
    "conclusion_grade",
    "indicators",
}


def run_jixiao(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: a separate Python process."""
    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    """`jixiao check --json` on the bundled content, run once for the module."""
    completed = run_jixiao("check", "--json")
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    return json.loads(completed.stdout)


@pytest.fixture(scope="module")
def by_id(bundled: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in bundled["projects"]}


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def finding(record: dict[str, Any], code: str) -> dict[str, Any]:
    found = [f for f in record["findings"] if f["code"] == code]
    assert len(found) == 1, f"{record['id']}: {code} found {len(found)} times"
    return found[0]


def test_computed_totals(by_id: dict[str, dict[str, Any]]) -> None:
    assert {pid: record["computed"]["total"] for pid, record in by_id.items()} == COMPUTED_TOTALS


def test_every_form_is_graded_excellent(by_id: dict[str, dict[str, Any]]) -> None:
    assert {record["computed"]["grade"] for record in by_id.values()} == {"优秀"}


def test_form_1_execution_rate(by_id: dict[str, dict[str, Any]]) -> None:
    computed = by_id["jiguan-yanglao-quekou"]["computed"]
    assert (computed["execution_rate"], computed["execution_score"]) == (20.1, 2.01)


def test_every_finding_of_the_bundled_forms(bundled: dict[str, Any]) -> None:
    found = [
        (record["id"], f["severity"], f["code"], f["field"])
        for record in bundled["projects"]
        for f in record["findings"]
    ]
    assert sorted(found) == sorted(EXPECTED_FINDINGS)
    assert bundled["summary"] == {"projects": 6, "errors": 0, "warnings": 8, "notes": 2}


def test_form_2_total_row_disagrees_with_its_scores(by_id: dict[str, dict[str, Any]]) -> None:
    form2 = by_id["chengxiang-yanglao-65-zengfa"]
    assert form2["declared"]["total"] == 100
    assert form2["declared"]["conclusion_total"] == 97.5
    assert finding(form2, "total-mismatch")["data"] == {"declared": "100", "computed": "97.5"}
    assert finding(form2, "conclusion-total-mismatch")["data"] == {
        "quoted": "97.5",
        "declared": "100",
        "computed": "97.5",
    }
    assert finding(form2, "total-mismatch")["line"] == int(
        position_of(ROOT / form2["file"], "total: 100").split(":")[-2]
    )


def test_form_1_cost_disagrees_with_funds_executed(by_id: dict[str, dict[str, Any]]) -> None:
    cost = finding(by_id["jiguan-yanglao-quekou"], "cost-vs-executed")
    assert cost["severity"] == "warning"
    assert cost["data"] == {"actual": "10000000", "executed": "17461600", "rows": "成本金额"}


def test_form_3_breached_reverse_target_scores_zero(by_id: dict[str, dict[str, Any]]) -> None:
    form3 = by_id["chengxiang-yanglao-tiaodai"]
    breached = finding(form3, "reverse-breached")
    assert breached["severity"] == "note"
    assert breached["data"] == {"computed": "0", "weight": "10", "policy": "zero"}
    assert form3["computed"]["indicators"][0] == {
        "score": 0,
        "rule": "reverse_breached",
        "kind": "quantitative",
        "low": 0,
        "high": 0,
    }


def test_json_document_shape(bundled: dict[str, Any]) -> None:
    assert set(bundled) == {"version", "tool", "content", "summary", "config_findings", "projects"}
    assert bundled["version"] == 1
    assert bundled["tool"].startswith("jixiao ")
    assert bundled["content"] == "content"
    assert bundled["config_findings"] == []
    assert set(bundled["summary"]) == {"projects", "errors", "warnings", "notes"}
    assert all(type(count) is int for count in bundled["summary"].values())


def test_json_project_record_shape(bundled: dict[str, Any]) -> None:
    for record in bundled["projects"]:
        assert set(record) == RECORD_KEYS
        assert record["file"].startswith("content/2023/lps-sbj/")
        assert record["file"] == f"content/2023/lps-sbj/{record['id']}.yaml"
        assert type(record["year"]) is int
        assert all(type(record[key]) is str for key in ("id", "name", "department", "unit"))
        # No policy of content/site.yaml matches the bundled 2023 forms: scoring: scores them.
        assert record["policy"] == "默认规则"

        computed = record["computed"]
        assert set(computed) == COMPUTED_KEYS
        for key in ("execution_rate", "execution_score", "total"):
            assert type(computed[key]) in (int, float), key
        assert type(computed["grade"]) is str
        assert set(computed["levels"]) == {"产出指标", "效益指标", "满意度指标"}
        assert all(set(row) == COMPUTED_INDICATOR_KEYS for row in computed["indicators"])

        declared = record["declared"]
        assert set(declared) == DECLARED_KEYS
        assert len(declared["indicators"]) == len(computed["indicators"])

        for item in record["findings"]:
            assert set(item) == FINDING_KEYS | CHINESE_KEYS | SOURCE_KEYS
            assert item["severity"] in ("error", "warning", "note")
            assert item["message_zh"] and re.search("[\u4e00-\u9fff]", item["message_zh"])
            assert type(item["line"]) is int and type(item["column"]) is int
            assert all(type(item[key]) is str for key in ("code", "field", "message", "hint"))
            assert all(type(value) is str for value in item["data"].values())


def test_json_numbers_are_exact(by_id: dict[str, dict[str, Any]]) -> None:
    """Whole numbers come out as integers, the rest with their two decimals and nothing more."""
    form1 = by_id["jiguan-yanglao-quekou"]["computed"]
    assert json.dumps([form1["total"], form1["execution_score"]]) == "[92.01, 2.01]"
    assert type(by_id["shebao-pingtai-yunwei"]["computed"]["total"]) is int


def source_excerpt(path: Path, line: int, column: int) -> list[str]:
    """The source line and a caret under the column, where wide characters take two columns."""
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[: column - 1])
    return [f"    {text.rstrip()}", f"    {' ' * width}^"]


def test_text_report_as_a_real_process() -> None:
    completed = run_jixiao("check", "--notes")
    assert completed.returncode == 0
    assert completed.stderr == ""
    lines = completed.stdout.splitlines()
    form1 = FORMS / "jiguan-yanglao-quekou.yaml"
    where = position_of(form1, "≤1000万元", line_with="成本金额")
    expected = (
        f"{where}: 警告[cost-vs-executed]: indicators[5].actual: 成本金额的实际完成值合计"
        "折合 10000000 元,与资金表的全年执行数 17461600 元不一致 (成本指标与资金表说的应是同一笔钱)"
    )
    assert expected in lines
    _, line, column = where.rsplit(":", 2)
    following = lines[lines.index(expected) + 1 : lines.index(expected) + 3]
    assert following == source_excerpt(ROOT / form1, int(line), int(column))
    assert lines[-1] == "检查了 6 个项目:0 个错误,8 条警告,2 条说明"


def test_text_report_of_form_2_in_chinese(
    at_root: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--jobs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    form2 = FORMS / "chengxiang-yanglao-65-zengfa.yaml"
    assert (
        f"{position_of(form2, '100', line_with='  total: 100')}: 警告[total-mismatch]: "
        "declared.total: 表上“总分”一栏填写 100 分,按评分规则计算为 97.5 分 "
        "(总分 = 预算执行率得分 + 各三级指标得分)"
    ) in lines
    assert (
        f"{position_of(form2, '年度目标完成较好', line_with='conclusion:')}: "
        "警告[conclusion-total-mismatch]: declared.conclusion: 自评结论写的是 97.5 分,"
        "总分栏为 100 分 (按规则计算为 97.5 分)"
    ) in lines
    assert not any("reverse-breached" in line for line in lines), "notes shown without --notes"
    assert lines[-1] == "检查了 6 个项目:0 个错误,8 条警告,2 条说明(加 --notes 显示说明)"


def test_text_report_of_form_2(at_root: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--jobs", "1", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    form2 = FORMS / "chengxiang-yanglao-65-zengfa.yaml"
    assert (
        f"{position_of(form2, '100', line_with='  total: 100')}: warning[total-mismatch]: "
        "declared.total: the 总分 row declares 100, the rules give 97.5 "
        "(total = execution score + every indicator score)"
    ) in lines
    assert (
        f"{position_of(form2, '年度目标完成较好', line_with='conclusion:')}: "
        "warning[conclusion-total-mismatch]: declared.conclusion: the 自评结论 quotes 97.5, "
        "the 总分 row says 100 (the rules give 97.5)"
    ) in lines
    assert not any("reverse-breached" in line for line in lines), "notes shown without --notes"
    assert lines[-1] == (
        "6 projects checked: 0 errors, 8 warnings, 2 notes (--notes shows the notes)"
    )


def test_notes_on_request(at_root: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--notes", "--jobs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    form3 = FORMS / "chengxiang-yanglao-tiaodai.yaml"
    assert (
        f"{position_of(form3, '≤346947人')}: 说明[reverse-breached]: indicators[0].actual: "
        "实际完成值 ≤346947人 超过反向指标(越低越好)的指标值 ≤324869人,"
        "按本地规则该项得 0 分(满分 10;breached_reverse: zero)"
    ) in lines


def test_strict_fails_on_the_bundled_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", "--content", str(CONTENT), "--jobs", "1"]) == 1
    assert "8 条警告" in capsys.readouterr().out


def test_one_file_named_on_the_command_line(
    at_root: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checked under the policy of the content folder it sits in (site.yaml found upwards)."""
    assert main(["check", "--json", str(FORMS / "chengxiang-yanglao-tiaodai.yaml")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["content"] == "content"
    assert [(p["id"], p["computed"]["total"]) for p in document["projects"]] == [
        ("chengxiang-yanglao-tiaodai", 90)
    ]


def test_parallel_check_matches_serial(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Enough files to use worker processes; a duplicate id spans two chunks of work."""
    for number in range(70):
        write_project(
            tiny_content, minimal_project(id=f"xiangmu-{number:02}"), name=f"p{number:02}.yaml"
        )
    write_project(tiny_content, minimal_project(id="xiangmu-00"), name="z-duplicate.yaml")
    documents = []
    for jobs in ("1", "2"):
        exit_code = main(["check", "--json", "--content", str(tiny_content), "--jobs", jobs])
        assert exit_code == 1
        documents.append(json.loads(capsys.readouterr().out))
    serial, parallel = documents
    assert parallel == serial
    # The duplicate id: an error on each of its two files.
    assert serial["summary"] == {"projects": 71, "errors": 2, "warnings": 0, "notes": 0}
    assert [f["code"] for f in serial["projects"][-1]["findings"]] == ["duplicate-id"]
    assert [f["code"] for f in serial["projects"][0]["findings"]] == ["duplicate-id"]
