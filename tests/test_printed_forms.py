"""Forms as printed (issue 12, items 1-7): every field a real form may lack is optional, an
amount keeps its printed text and unit and is read in 元, the funding table is a list of named
rows whichever way the file writes it, and rows without 分值, placeholder rows, 「其中」 sub-rows
and partial forms are read, scored and reported without a value being invented."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builder.form.load import load_project
from builder.form.model import Indicator, Project
from builder.rules.check import CheckedProject, check_content
from builder.rules.policy import ScoringPolicy
from builder.rules.score import Rule, score_indicator, score_project
from tests.conftest import minimal_project, position_of, project_yaml, write_project


def _checked(content: Path, data: dict[str, Any] | str) -> CheckedProject:
    write_project(content, data)
    result = check_content(content)
    assert len(result.projects) == 1
    return result.projects[0]


def _codes(checked: CheckedProject) -> list[str]:
    return [f.finding.code for f in checked.located]


def _with_total(total: dict[str, Any], unit: str | None = None) -> dict[str, Any]:
    funding: dict[str, Any] = {"total": total}
    if unit is not None:
        funding["amount_unit"] = unit
    return minimal_project(funding=funding)


# --- amounts as printed --------------------------------------------------------------------

# (cell as written in YAML, the table's unit, printed text, number, value in 元)
AMOUNTS = [
    pytest.param("1000", None, "1000", "1000", "1000", id="integer"),
    pytest.param("950500.00", None, "950500.00", "950500.00", "950500.00", id="decimals-kept"),
    pytest.param('"500,000.00"', None, "500,000.00", "500000.00", "500000.00", id="separators"),
    pytest.param('"1,000"', None, "1,000", "1000", "1000", id="separators-no-decimals"),
    pytest.param("1000", "元", "1000", "1000", "1000", id="unit-written-yuan"),
    pytest.param("880", "万元", "880", "880", "8800000", id="wan-yuan"),
    pytest.param("95.05", "万元", "95.05", "95.05", "950500.00", id="wan-yuan-decimals"),
    pytest.param("1.5632", "万元", "1.5632", "1.5632", "15632.0000", id="wan-yuan-4-places"),
    pytest.param('"1,746.16"', "万元", "1,746.16", "1746.16", "17461600.00", id="wan-separators"),
    pytest.param("0.000001", "万元", "0.000001", "0.000001", "0.010000", id="wan-to-the-fen"),
]


@pytest.mark.parametrize(("cell", "unit", "printed", "number", "yuan"), AMOUNTS)
def test_an_amount_keeps_what_was_printed_and_is_read_in_yuan(
    tiny_content: Path, cell: str, unit: str | None, printed: str, number: str, yuan: str
) -> None:
    data = _with_total({"initial": 1000, "budget": 999, "executed": 999}, unit)
    text = project_yaml(data).replace("budget: 999", f"budget: {cell}")
    text = text.replace("executed: 999", f"executed: {cell}")
    loaded = load_project(write_project(tiny_content, text))
    assert loaded.findings == [] and loaded.project is not None
    row = loaded.project.funding.total_row
    assert row is not None and row.budget is not None
    assert row.budget.printed == printed
    assert row.budget.number == Decimal(number) and str(row.budget.number) == number
    assert row.budget.unit == (unit or "元")
    assert str(row.budget.yuan) == yuan
    # The rules read 元: the same cell in both columns is executed in full, whatever the unit.
    assert score_project(loaded.project, ScoringPolicy()).execution.rate == Decimal(100)


@pytest.mark.parametrize("dash", ["—", "-", "/", "——", "／"])
def test_a_dash_is_kept_as_printed_and_is_no_zero(tiny_content: Path, dash: str) -> None:
    data = minimal_project(
        funding={
            "total": {"initial": 1000, "budget": 1000, "executed": 1000},
            "fiscal": {"initial": 1000, "budget": 1000, "executed": 1000},
            "other": {"initial": dash, "budget": dash, "executed": dash},
        }
    )
    checked = _checked(tiny_content, data)
    assert checked.project is not None
    other = checked.project.funding.rows[2]
    assert other.budget is not None and other.budget.is_dash and other.budget.printed == dash
    assert other.budget.yuan is None
    # Not added as 0: the sums that include a dash are not checked, and nothing is an error.
    assert "funding-rows-disagree" not in _codes(checked)
    assert [f for f in checked.located if f.finding.severity == "error"] == []


@pytest.mark.parametrize(
    ("cell", "unit", "code", "needle"),
    [
        pytest.param(
            "1000.001", None, "schema-number-out-of-range", "1000.001", id="yuan-3-places"
        ),
        pytest.param(
            '"1,000.001"', None, "schema-number-out-of-range", '"1,000.001"', id="yuan-grouped-3"
        ),
        pytest.param(
            "0.0000001", "万元", "schema-number-out-of-range", "0.0000001", id="wan-7-places"
        ),
        pytest.param('"5,00"', None, "schema-decimal-parsing", '"5,00"', id="bad-grouping"),
        pytest.param("abc", None, "schema-decimal-parsing", "abc", id="words"),
        pytest.param("-5", None, "schema-greater-than-equal", "-5", id="negative"),
        pytest.param("'—5'", None, "schema-decimal-parsing", "'—5'", id="dash-and-number"),
    ],
)
def test_an_amount_that_cannot_be_read_is_a_located_error(
    tiny_content: Path, cell: str, unit: str | None, code: str, needle: str
) -> None:
    text = project_yaml(_with_total({"initial": 1000, "budget": 999, "executed": 1000}, unit))
    path = write_project(tiny_content, text.replace("budget: 999", f"budget: {cell}"))
    result = check_content(tiny_content)
    (checked,) = result.projects
    assert checked.project is None
    where = position_of(path, needle, "budget")
    assert [f"{f.file.as_posix()}:{f.line}:{f.column}" for f in checked.located] == [where]
    assert _codes(checked) == [code]


# --- the funding table in either spelling ---------------------------------------------------

BY_KEY = {
    "total": {"initial": 1000, "budget": 1000, "executed": 800},
    "fiscal": {"initial": 1000, "budget": 1000, "executed": 800},
    "local": {"initial": 600, "budget": 600, "executed": 500},
    "superior": {"initial": 400, "budget": 400, "executed": 300},
    "other": {"initial": 0, "budget": 0, "executed": 0},
}
AS_ROWS = [
    {"name": "年度资金总额", "total": True, "initial": 1000, "budget": 1000, "executed": 800},
    {"name": "财政拨款", "initial": 1000, "budget": 1000, "executed": 800},
    {"name": "本级安排", "initial": 600, "budget": 600, "executed": 500},
    {"name": "上级补助", "initial": 400, "budget": 400, "executed": 300},
    {"name": "其他资金", "initial": 0, "budget": 0, "executed": 0},
]


def _shape(project: Project) -> list[tuple[Any, ...]]:
    return [
        (
            row.name,
            row.total,
            *(
                getattr(row, c).yuan if getattr(row, c) else None
                for c in ("initial", "budget", "executed")
            ),
        )
        for row in project.funding.rows
    ]


def test_both_spellings_of_the_funding_table_are_read_as_one_list(tmp_path: Path) -> None:
    old = load_project(write_project(tmp_path / "a", minimal_project(funding=BY_KEY))).project
    new = load_project(write_project(tmp_path / "b", minimal_project(funding={"rows": AS_ROWS})))
    assert old is not None and new.project is not None
    assert _shape(old) == _shape(new.project)
    assert old.funding.total_row is not None and old.funding.total_row.key == "total"
    assert new.project.funding.total_row is not None and new.project.funding.total_row.key == ""
    policy = ScoringPolicy()
    assert score_project(old, policy) == score_project(new.project, policy)
    # Each is dumped as it was written, and reads back the same.
    assert "rows" not in old.model_dump()["funding"]
    assert set(new.project.model_dump()["funding"]) == {"rows", "reason"}
    again = Project.model_validate(new.project.model_dump())
    assert _shape(again) == _shape(new.project)


def test_rows_of_other_names_and_their_own_figures(tiny_content: Path) -> None:
    """Sichuan: 财政拨款 / 财政专户管理资金 / 单位资金, 年初 0, the rate on the adjusted budget;
    a sub-row's own 分值/执行率/得分 kept."""
    rows = [
        {
            "name": "年度资金总额",
            "total": True,
            "initial": 0,
            "budget": "120,000.00",
            "executed": "96,000.00",
            "weight": 10,
            "rate": 80,
            "score": 8,
        },
        {
            "name": "财政拨款",
            "initial": 0,
            "budget": 100000,
            "executed": 80000,
            "weight": 5,
            "rate": 80,
            "score": 4,
        },
        {"name": "财政专户管理资金", "budget": "—", "executed": "—"},
        {"name": "单位资金", "initial": 0, "budget": 20000, "executed": 16000},
    ]
    data = minimal_project(funding={"rows": rows}, weights={"execution": 10})
    checked = _checked(tiny_content, data)
    assert checked.project is not None and checked.score is not None
    assert [row.name for row in checked.project.funding.rows] == [r["name"] for r in rows]
    assert checked.score.execution.rate == Decimal(80)
    assert checked.score.execution.score == Decimal(8)
    assert checked.project.execution_rate_printed == Decimal(80)
    assert checked.project.funding.rows[1].score == Decimal(4)
    assert "execution-rate-mismatch" not in _codes(checked)
    assert "execution-score-mismatch" not in _codes(checked)


@pytest.mark.parametrize(
    ("funding", "code"),
    [
        pytest.param(
            {"rows": AS_ROWS, "total": BY_KEY["total"]}, "funding-two-spellings", id="both"
        ),
        pytest.param({"rows": AS_ROWS[1:]}, "funding-total-row", id="no-total-row"),
        pytest.param(
            {"rows": [AS_ROWS[0], dict(AS_ROWS[0])]}, "funding-total-row", id="two-totals"
        ),
        pytest.param({}, "schema-missing", id="empty-table"),
    ],
)
def test_a_funding_table_the_rules_cannot_read_is_an_error(
    tiny_content: Path, funding: dict[str, Any], code: str
) -> None:
    checked = _checked(tiny_content, minimal_project(funding=funding))
    assert checked.project is None
    assert code in _codes(checked)


def test_a_form_without_funding_table_needs_partial_to_say_so(tiny_content: Path) -> None:
    data = minimal_project()
    del data["funding"]
    assert _codes(_checked(tiny_content, data)) == ["schema-missing"]
    data["partial"] = {"missing": ["funding"], "note": "源文件在此处截断"}
    checked = _checked(tiny_content, data)
    assert checked.project is not None and checked.score is not None
    assert checked.score.execution.unchecked and checked.score.execution.score == 0
    assert checked.score.incomplete
    # The execution row is cut off with the table: said once, by the note on the cut form.
    assert set(_codes(checked)) == {"partial-form"}


# --- optional fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "drop",
    [
        pytest.param(("filled_on",), id="filled_on"),
        pytest.param(("department",), id="department"),
        pytest.param(("goals",), id="goals"),
        pytest.param(("goals", "planned"), id="goals-planned"),
        pytest.param(("goals", "achieved"), id="goals-achieved"),
        pytest.param(("funding", "total", "initial"), id="initial"),
        pytest.param(("indicators", 1, "target"), id="target"),
    ],
)
def test_a_field_a_real_form_lacks_is_optional_and_never_invented(
    tiny_content: Path, drop: tuple[Any, ...]
) -> None:
    data = minimal_project()
    parent = data
    for part in drop[:-1]:
        parent = parent[part]
    del parent[drop[-1]]
    checked = _checked(tiny_content, data)
    assert checked.project is not None, _codes(checked)
    assert [f.finding.code for f in checked.located if f.finding.severity == "error"] == []
    dumped = checked.project.model_dump(mode="json")
    node: Any = dumped
    for part in drop[:-1]:
        node = node[part]
    assert drop[-1] not in node  # the dump does not invent what the file left out


def test_a_blank_department_and_one_without_code(tiny_content: Path) -> None:
    checked = _checked(tiny_content, minimal_project(department={"name": ""}))
    assert checked.project is not None
    assert (checked.project.department.name, checked.project.department.code) == ("", "")


# --- indicators as printed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cells", "placeholder"),
    [
        ("指标1:", {}, True),
        ("指标2：", {}, True),
        ("指标 3:", {}, True),
        ("……", {}, True),
        ("...", {}, True),
        ("指标1:完成中型灌区节水改造项目数量", {}, False),
        ("指标2:", {"target": "≥1个"}, False),
        ("指标2:", {"score": 10}, False),
        ("指标2:", {"weight": 10}, False),
        ("服务对象满意度", {}, False),
    ],
)
def test_a_placeholder_row_is_recognised(
    name: str, cells: dict[str, Any], placeholder: bool
) -> None:
    row = Indicator(level1="产出指标", level2="质量指标", name=name, **cells)
    assert row.is_placeholder is placeholder


def test_placeholder_rows_are_dropped_from_scoring_with_a_note(tiny_content: Path) -> None:
    data = minimal_project()
    data["indicators"].insert(1, {"level1": "产出指标", "level2": "数量指标", "name": "指标2:"})
    data["indicators"].insert(2, {"level1": "产出指标", "level2": "数量指标", "name": "……"})
    checked = _checked(tiny_content, data)
    assert checked.project is not None and checked.score is not None
    assert checked.score.total == Decimal(100)  # as the form without them
    assert [r.rule for r in checked.score.indicators][1:3] == [Rule.placeholder] * 2
    notes = [f for f in checked.located if f.finding.code == "placeholder-row"]
    assert [f.finding.path for f in notes] == [("indicators", 1, "name")]  # one for the form
    assert dict(notes[0].finding.data)["count"] == "2"
    assert [i for i, _ in checked.project.scored_indicators] == [0, 3, 4]


def test_a_row_without_weight_keeps_its_declared_score_unchecked(tiny_content: Path) -> None:
    data = minimal_project()
    data["indicators"].append(
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "其中:脱贫人口",
            "target": "≥50人",
            "actual": "40人",
            "score": 3,
        }
    )
    checked = _checked(tiny_content, data)
    assert checked.score is not None
    result = checked.score.indicators[-1]
    assert (result.rule, result.score) == (Rule.no_weight, Decimal(3))
    (note,) = [f for f in checked.located if f.finding.code == "no-weight"]
    assert note.finding.severity == "note" and "declared score 3 is kept" in note.finding.message
    # The weights printed still add up: the row without 分值 is not counted in them.
    assert "weights-level-sum" not in _codes(checked)


def test_a_form_without_a_weight_column_is_scored_as_printed(tiny_content: Path) -> None:
    """Hubei 2020: no 分值 column; the rows' 得分 are kept, none is invented, the execution
    row is computed, and no error stops the form."""
    data = minimal_project(
        weights={"execution": 20, "levels": {"产出指标": 40, "效益指标": 30, "满意度指标": 10}},
        declared={"execution_ratio": 1, "execution_score": 20, "total": 100},
    )
    for row, score in zip(data["indicators"], (40, 30, 10), strict=True):
        del row["weight"]
        row["score"] = score
    checked = _checked(tiny_content, data)
    assert checked.score is not None
    assert [f.finding.code for f in checked.located if f.finding.severity == "error"] == []
    assert checked.score.execution.rate == Decimal(100)
    assert checked.score.execution.score == Decimal(20)
    assert checked.score.total == Decimal(100)
    assert _codes(checked).count("no-weight") == 3
    assert "execution-rate-mismatch" not in _codes(checked)  # the ratio 1 is 100 %


@pytest.mark.parametrize(
    ("split", "joined"),
    [
        (
            {"nature": "≧", "target": "735", "unit": "人次", "actual": "735"},
            {"target": "≥735人次", "actual": "735人次"},
        ),
        (
            {"nature": "═", "target": "100", "unit": "%", "actual": "100"},
            {"target": "=100%", "actual": "100%"},
        ),
        (
            {"nature": "≤", "target": "5", "unit": "天", "actual": "6"},
            {"target": "≤5天", "actual": "6天"},
        ),
        (
            {"nature": "＞", "target": "90", "unit": "%", "actual": "85"},
            {"target": ">90%", "actual": "85%"},
        ),
        (
            {"nature": "定量", "target": "98", "unit": "%", "actual": "95"},
            {"target": "98%", "actual": "95%"},
        ),
        (
            {"nature": "定性", "target": "有效提升", "actual": "达成年度指标"},
            {"target": "有效提升", "actual": "达成年度指标"},
        ),
        (
            {"nature": "≥", "target": "95%", "unit": "%", "actual": "96%"},
            {"target": "≥95%", "actual": "96%"},
        ),
    ],
)
def test_split_columns_are_read_as_one_value(split: dict[str, str], joined: dict[str, str]) -> None:
    base = {"level1": "产出指标", "level2": "数量指标", "name": "指标", "weight": 10}
    policy = ScoringPolicy()
    read = score_indicator(Indicator(**base, **split), policy)
    written = score_indicator(Indicator(**base, **joined), policy)
    assert (read.rule, read.score, read.ratio) == (written.rule, written.score, written.ratio)


def test_subrows_core_marks_and_second_level_weights_are_carried(tiny_content: Path) -> None:
    data = minimal_project(weights={"level2": {"数量指标": 50}})
    data["indicators"][0]["core"] = True
    data["indicators"][0]["subrows"] = [
        {"name": "其中:脱贫人口", "target": "≥60人", "actual": "62", "unit": "人"},
        {"name": "其中:监测对象", "target": "≥40人", "actual": "38人", "reason": "迁出 2 人"},
    ]
    checked = _checked(tiny_content, data)
    assert checked.project is not None and checked.score is not None
    first = checked.project.indicators[0]
    assert first.core and [s.name for s in first.subrows] == ["其中:脱贫人口", "其中:监测对象"]
    assert first.subrows[0].measure_unit == "人" and first.subrows[1].reason == "迁出 2 人"
    assert checked.project.weights.level2 == {"数量指标": Decimal(50)}
    assert checked.score.total == Decimal(100)  # sub-rows carry values, no points
    assert checked.project.model_dump(mode="json")["indicators"][0]["subrows"][0] == {
        "name": "其中:脱贫人口",
        "target": "≥60人",
        "actual": "62",
        "unit": "人",
    }


def test_the_form_extras_have_a_home(tiny_content: Path) -> None:
    extras = {
        "template": "sichuan",
        "region": "四川",
        "code": "51000021T000000123456",
        "unit_code": "101001",
        "people": [
            {"role": "项目负责人", "name": "张三", "phone": "028-12345678"},
            {"role": "财务负责人", "name": "李四"},
        ],
        "categories": {"项目类别": "部门预算项目", "项目属性": "持续性项目"},
        "remarks": "注:1.一级指标分值统一设置为……",
    }
    data = minimal_project(**extras)
    data["declared"] = {
        "problems": "个别指标设置不够细化。",
        "improvements": "下年度细化指标。",
        "other_notes": "无",
        "review_score": 95,
    }
    checked = _checked(tiny_content, data)
    assert checked.project is not None
    dumped = checked.project.model_dump(mode="json")
    for key, value in extras.items():
        assert dumped[key] == value
    assert checked.project.declared.review_score == Decimal(95)
    assert checked.project.people[1].phone is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("template", "guangdong"),
        ("partial", {"missing": ["everything"]}),
        ("partial", {"missing": []}),
    ],
)
def test_a_family_or_part_not_known_is_an_error(tiny_content: Path, key: str, value: Any) -> None:
    checked = _checked(tiny_content, minimal_project(**{key: value}))
    assert checked.project is None
    assert all(code.startswith("schema-") for code in _codes(checked))


def test_a_partial_form_needs_no_weights_that_add_up(tiny_content: Path) -> None:
    data = minimal_project(partial={"missing": ["indicators"], "note": "源文件在此处截断"})
    data["indicators"] = data["indicators"][:1]  # the rest was cut off by the source
    checked = _checked(tiny_content, data)
    assert checked.score is not None and checked.score.incomplete
    assert "weights-level-sum" not in _codes(checked)
    assert "weights-total" not in _codes(checked)
    (note,) = [f for f in checked.located if f.finding.code == "partial-form"]
    assert "incomplete" in note.finding.message and "indicators" in note.finding.message
