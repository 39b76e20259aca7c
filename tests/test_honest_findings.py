"""Honest findings: no row earns its points without a word when the rules could not check it, a
total above the full mark is said, the cost rows are added up against the funds executed, and a
form whose own arithmetic contradicts itself is published as printed with a warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main

from .conftest import minimal_project, position_of, write_project


def _check_json(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    """`jixiao check --json` in-process: its exit status and its one project's record."""
    code = main(["check", "--json", "--content", str(content), "--jobs", "1"])
    (record,) = json.loads(capsys.readouterr().out)["projects"]
    return code, record


def _codes(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(severity, code, field) of every finding, notes left out."""
    return [
        (f["severity"], f["code"], f["field"])
        for f in record["findings"]
        if f["severity"] != "note"
    ]


# Row 1 (效益指标, 分值 30) rewritten: (its cells, rule, computed score, the findings).
UNCHECKED_ROWS = [
    pytest.param(
        {"actual": "", "score": 30},
        "no_actual",
        30,
        [("warning", "actual-missing", "indicators[1].actual")],
        id="empty-actual-keeps-declared",
    ),
    pytest.param(
        {"actual": "  "},
        "no_actual",
        0,
        [("warning", "actual-missing", "indicators[1].actual")],
        id="empty-actual-nothing-declared-counts-0",
    ),
    pytest.param(
        {"target": "", "actual": "", "score": 30},
        "no_actual",
        30,
        [("warning", "actual-missing", "indicators[1].actual")],
        id="both-cells-empty",
    ),
    pytest.param(
        {"target": "", "actual": "96%", "score": 25},
        "no_target",
        25,
        [("warning", "target-missing", "indicators[1].target")],
        id="empty-target-against-a-number",
    ),
    pytest.param(
        {"target": "", "actual": "达成年度指标", "score": 30},
        "band",
        30,
        [],
        id="empty-target-judged-in-its-band",
    ),
    pytest.param(
        {"actual": "按时完成", "score": 28},
        "unbanded",
        28,
        [("warning", "actual-no-band", "indicators[1].actual")],
        id="text-naming-no-band",
    ),
    pytest.param(
        {"actual": "群众满意"},
        "unbanded",
        30,
        [("warning", "actual-no-band", "indicators[1].actual")],
        id="text-naming-no-band-nothing-declared",
    ),
    pytest.param(
        {"actual": "按时完成", "score": 28, "nature": "定量"},
        "unbanded",
        28,
        [("warning", "value-not-quantitative", "indicators[1].target")],
        id="text-on-a-row-marked-quantitative-said-once",
    ),
    pytest.param(
        {"actual": "/", "score": 30},
        "not_applicable",
        0,
        [("warning", "score-above-rule", "indicators[1].score")],
        id="slash-actual-with-full-marks-declared",
    ),
    pytest.param(
        {"actual": "≥≤5", "score": 30},
        "unreadable",
        30,
        [("error", "value-unreadable", "indicators[1].actual")],
        id="unreadable-stays-an-error",
    ),
]


@pytest.mark.parametrize(("cells", "rule", "computed", "expected"), UNCHECKED_ROWS)
def test_a_row_the_rules_cannot_check_is_reported(
    tiny_content: Path,
    capsys: pytest.CaptureFixture[str],
    cells: dict[str, Any],
    rule: str,
    computed: int,
    expected: list[tuple[str, str, str]],
) -> None:
    data = minimal_project()
    data["indicators"][1].update(cells)
    write_project(tiny_content, data)
    code, record = _check_json(tiny_content, capsys)
    row = record["computed"]["indicators"][1]
    assert (row["rule"], row["score"]) == (rule, computed)
    assert _codes(record) == expected
    assert code == (1 if any(severity == "error" for severity, *_ in expected) else 0)


def test_the_unchecked_row_is_said_in_english_and_chinese(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = minimal_project()
    data["indicators"][1].update({"actual": "", "score": 30})
    path = write_project(tiny_content, data)
    _, record = _check_json(tiny_content, capsys)
    (finding,) = record["findings"]
    assert finding["message"] == (
        "实际完成值 is empty: the rules cannot check this row; the declared score 30 is kept"
    )
    assert finding["data"]["declared"] == "30"
    line = position_of(path, "actual: ''").split(":")[1]
    assert finding["line"] == int(line)
    from builder.rules.explain import explain
    from builder.rules.findings import Finding, Severity

    general, detail = explain(
        Finding(Severity.warning, "actual-missing", (), "", data=tuple(finding["data"].items()))
    )
    assert "不按满分计" in general
    assert detail == "三级指标的实际完成值为空,未能核验:申报得分 30,计入 30 分(满分 30)。"


# (changes to the form, the findings about its total)
TOTALS = [
    pytest.param(
        {"declared": {"total": 101}},
        [
            ("warning", "total-above-full", "declared.total"),
            ("warning", "total-mismatch", "declared.total"),
        ],
        id="declared-101",
    ),
    pytest.param(
        {"declared": {"total": 100}},
        [],
        id="declared-100",
    ),
    pytest.param(
        {"weights": {"execution": 11}},
        [
            ("warning", "weights-total", "weights"),
            ("warning", "total-above-full", "weights"),
        ],
        id="computed-101",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), TOTALS)
def test_a_total_above_the_full_mark_is_a_finding(
    tiny_content: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
    expected: list[tuple[str, str, str]],
) -> None:
    write_project(tiny_content, minimal_project(**changes))
    code, record = _check_json(tiny_content, capsys)
    assert _codes(record) == expected
    assert code == 0
    above = [f for f in record["findings"] if f["code"] == "total-above-full"]
    for finding in above:
        assert finding["data"]["full"] == "100"
        assert finding["data"]["total"] == "101"


def _cost_row(name: str, actual: str, **cells: Any) -> dict[str, Any]:
    return {
        "level1": "产出指标",
        "level2": "成本指标",
        "name": name,
        "target": "≤1000元",
        "actual": actual,
        "weight": 5,
        **cells,
    }


def _with_cost_rows(*rows: dict[str, Any]) -> dict[str, Any]:
    """The minimal form (1000 元 executed) with its 产出 row's 50 points shared with cost rows."""
    data = minimal_project()
    data["indicators"][0]["weight"] = 50 - 5 * len(rows)
    data["indicators"][1:1] = list(rows)
    return data


# (cost rows, the cost findings: field and message, or [])
COSTS = [
    pytest.param(
        [_cost_row("设备购置成本", "600元"), _cost_row("人员成本", "≤0.05万元")],
        [
            (
                "indicators[1].actual",
                "the actual costs of the 2 cost rows (设备购置成本、人员成本) add up to 1,100.00 元, "
                "more than the funds executed, 1,000.00 元",
            )
        ],
        id="two-rows-above-executed",
    ),
    pytest.param(
        [_cost_row("设备购置成本", "600元"), _cost_row("人员成本", "400元")],
        [],
        id="two-rows-adding-up",
    ),
    pytest.param(
        [
            _cost_row("设备购置成本", "0.06", unit="万元"),
            _cost_row("控制率", "=100%", target="=100%"),
            _cost_row("人员成本", "300元"),
        ],
        [
            (
                "indicators[1].actual",
                "the actual costs of the 2 cost rows (设备购置成本、人员成本) add up to 900.00 元, "
                "less than the funds executed, 1,000.00 元",
            )
        ],
        id="unit-column-and-a-rate-left-out",
    ),
    pytest.param(
        [_cost_row("成本金额", "≤1200元")],
        [
            (
                "indicators[1].actual",
                "the actual cost ≤1200元 (1,200.00 元) differs from the funds executed, 1,000.00 元",
            )
        ],
        id="one-row",
    ),
]


@pytest.mark.parametrize(("rows", "expected"), COSTS)
def test_the_cost_rows_are_added_up_against_the_funds_executed(
    tiny_content: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[dict[str, Any]],
    expected: list[tuple[str, str]],
) -> None:
    write_project(tiny_content, _with_cost_rows(*rows))
    _, record = _check_json(tiny_content, capsys)
    costs = [f for f in record["findings"] if f["code"] == "cost-vs-executed"]
    assert [(f["field"], f["message"]) for f in costs] == expected
    assert all(f["severity"] == "warning" for f in costs)


def _form_printing_110() -> dict[str, Any]:
    """A form whose printed weights add up to 110: execution 10 + 产出 60 + 效益 30 + 满意度
    10, every row met, declaring the 110 its rows earn."""
    data = minimal_project(
        weights={"levels": {"产出指标": 60, "效益指标": 30, "满意度指标": 10}},
        declared={"total": 110},
    )
    data["indicators"][0]["weight"] = 60
    return data


def test_a_form_printing_weights_of_110_builds_with_a_warning(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tiny_content, _form_printing_110())
    code, record = _check_json(tiny_content, capsys)
    assert code == 0
    assert record["computed"]["total"] == 110  # scored as printed
    assert _codes(record) == [
        ("warning", "weights-total", "weights"),
        ("warning", "total-above-full", "weights"),
        ("warning", "total-above-full", "declared.total"),
    ]
    site = tmp_path / "site"
    args = ["build", "--content", str(tiny_content), "--output", str(site)]
    assert main([*args, "--cache", str(tmp_path / "cache"), "--no-pdf", "-q"]) == 0
    (page,) = (site / "2023").rglob("ceshi-xiangmu/index.html")
    html = page.read_text(encoding="utf-8")
    assert "<code>weights-total</code>" in html
    assert "各部分分值合计 110 分,满分为 100 分。" in html
    assert "按规则计算的总分为 110 分,超过满分 100 分。" in html
