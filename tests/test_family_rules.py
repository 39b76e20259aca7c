"""Rules the forms of docs/examples/families needed (issue 12), each a table of inputs of the
same kind beside the form that showed it:

- 银川's rubric prints — in 指标值 for a row with no numeric target, judged in words: a policy
  setting, `dash_target_in_words` (the national rule keeps such a row not applicable);
- 永德's 有效 / 有效: an actual that restates its target word for word is 达成, not "no band";
- 银川's 186万平方米: a measure unit of more than 3 characters after 万 is a measure unit;
- 湖北2020 prints no 分值 column: the policy's 一级指标 weights are not the form's, so they are
  not added to its execution 20 (no false `weights-total`);
- a form cut only in its 备注 (天长, 湖北) still has its weights checked and a whole total.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builder.form.model import Indicator
from builder.form.values import Quantity, parse_quantity
from builder.rules.check import check_content, project_record
from builder.rules.policy import ScoringPolicy
from builder.rules.score import Kind, Rule, score_indicator
from tests.conftest import minimal_project, write_project

NATIONAL = ScoringPolicy()
IN_WORDS = ScoringPolicy(dash_target_in_words=True)


def _row(target: str, actual: str, declared: str | None, weight: str = "5") -> Indicator:
    return Indicator(
        level1="项目决策",
        level2="项目立项",
        name="立项依据充分性",
        target=target,
        actual=actual,
        weight=Decimal(weight),
        score=None if declared is None else Decimal(declared),
    )


# (target, actual, declared, rule, score) under a policy that judges a — target in words
IN_WORDS_ROWS = [
    pytest.param("—", "达成年度指标", "5", Rule.band, "5", id="dash-achieved"),
    pytest.param("—", "部分达成年度指标", "4", Rule.band, "4", id="dash-partly-kept"),
    pytest.param("—", "部分达成年度指标", "5", Rule.band, "4", id="dash-partly-clamped"),
    pytest.param("—", "未达成年度指标", None, Rule.band, "3", id="dash-missed-top"),
    pytest.param("/", "达成年度指标", "5", Rule.band, "5", id="slash"),
    pytest.param("——", "达成年度指标", "5", Rule.band, "5", id="double-dash"),
    pytest.param("—", "依据充分", "5", Rule.unbanded, "5", id="words-no-band-kept"),
    pytest.param("—", "—", "5", Rule.not_applicable, "0", id="both-dashes"),
    pytest.param("—", "/", "5", Rule.not_applicable, "0", id="actual-slash"),
    pytest.param("—", "", "5", Rule.not_applicable, "0", id="actual-empty"),
    pytest.param("≥95%", "97.8%", "5", Rule.positive, "5", id="a-number-as-before"),
]


@pytest.mark.parametrize(("target", "actual", "declared", "rule", "score"), IN_WORDS_ROWS)
def test_a_dash_target_is_judged_in_words_under_the_policy_that_says_so(
    target: str, actual: str, declared: str | None, rule: Rule, score: str
) -> None:
    result = score_indicator(_row(target, actual, declared), IN_WORDS)
    assert (result.rule, result.score) == (rule, Decimal(score))
    if rule is Rule.band:
        assert result.kind is Kind.qualitative


@pytest.mark.parametrize("actual", ["达成年度指标", "部分达成年度指标", "依据充分"])
def test_the_national_rule_keeps_a_dash_target_not_applicable(actual: str) -> None:
    result = score_indicator(_row("—", actual, "5"), NATIONAL)
    assert (result.rule, result.score) == (Rule.not_applicable, 0)


# (target, actual, declared, nature, rule, score): an actual restating its target is 达成
RESTATED_ROWS = [
    pytest.param("有效", "有效", "10", None, Rule.band, "10", id="yongde-youxiao"),
    pytest.param("有效", "有效", None, None, Rule.band, "10", id="none-declared-top"),
    pytest.param("有效", "有效", "7", None, Rule.band, "8", id="below-band-clamped"),
    pytest.param("合格", " 合格 ", "10", "定性", Rule.band, "10", id="spaces-qualitative"),
    pytest.param("有效", "有效果", "9", None, Rule.unbanded, "9", id="other-words-unbanded"),
    pytest.param("有效保障", "有效", "9", None, Rule.unbanded, "9", id="shorter-unbanded"),
    pytest.param("有效", "未达成年度指标", "2", None, Rule.band, "2", id="band-named-first"),
]


@pytest.mark.parametrize(("target", "actual", "declared", "nature", "rule", "score"), RESTATED_ROWS)
def test_an_actual_restating_its_target_is_achieved(
    target: str, actual: str, declared: str | None, nature: str | None, rule: Rule, score: str
) -> None:
    row = _row(target, actual, declared, weight="10").model_copy(update={"nature": nature})
    result = score_indicator(row, NATIONAL)
    assert (result.rule, result.score) == (rule, Decimal(score))
    if rule is Rule.band and "未达成" not in actual:
        assert result.band == "achieved"


# (cell, number, measure unit; None: words, not a quantity)
MEASURE_UNITS = [
    pytest.param("186万平方米", "186", "万平方米", id="wan-square-metres"),
    pytest.param("5万立方米", "5", "万立方米", id="wan-cubic-metres"),
    pytest.param("12万千瓦时", "12", "万千瓦时", id="wan-kwh"),
    pytest.param("2平方公里", "2", "平方公里", id="square-km"),
    pytest.param("1.2万公顷", "1.2", "万公顷", id="wan-hectares"),
    pytest.param("≥186万平方米", "186", "万平方米", id="with-operator-as-before"),
    pytest.param("3万人受益", None, None, id="a-sentence-stays-words"),
    pytest.param("2023年内完成", None, None, id="a-year-sentence-stays-words"),
    pytest.param("100余户完成", None, None, id="a-count-sentence-stays-words"),
]


@pytest.mark.parametrize(("cell", "number", "unit"), MEASURE_UNITS)
def test_a_scaled_compound_measure_unit_is_read(
    cell: str, number: str | None, unit: str | None
) -> None:
    quantity = parse_quantity(cell)
    if number is None:
        assert quantity is None
    else:
        assert isinstance(quantity, Quantity)
        assert (quantity.number, quantity.measure_unit) == (Decimal(number), unit)


def test_a_bare_scaled_actual_is_compared_with_its_target() -> None:
    row = _row("≥186万平方米", "186万平方米", "10", weight="10")
    result = score_indicator(row, NATIONAL)
    assert (result.rule, result.score) == (Rule.positive, 10)


# --- the form's own arithmetic on forms without 分值 and forms cut off ---------------------


def _record(content: Path, data: dict[str, Any]) -> dict[str, Any]:
    write_project(content, data)
    result = check_content(content)
    record: dict[str, Any] = json.loads(json.dumps(project_record(result.projects[0])))
    return record


def _codes(record: dict[str, Any]) -> list[str]:
    return [f["code"] for f in record["findings"]]


def _without_weights(**changes: Any) -> dict[str, Any]:
    """The minimal project as a 湖北2020 form prints it: execution 20, 得分 only."""
    data = minimal_project(weights={"execution": 20}, **changes)
    for row, score in zip(data["indicators"], (40, 30, 10), strict=True):
        del row["weight"]
        row["score"] = score
    return data


@pytest.mark.parametrize(
    ("levels", "said"),
    [
        pytest.param(None, False, id="no-levels-printed"),
        pytest.param({"产出指标": 50, "效益指标": 30, "满意度指标": 10}, True, id="levels-printed"),
    ],
)
def test_a_form_without_weight_column_is_held_to_the_weights_it_prints(
    tiny_content: Path, levels: dict[str, int] | None, said: bool
) -> None:
    data = _without_weights()
    if levels is not None:
        data["weights"]["levels"] = levels
    record = _record(tiny_content, data)
    assert ("weights-total" in _codes(record)) is said
    assert "weights-level-sum" not in _codes(record)


@pytest.mark.parametrize(
    ("missing", "checked", "note", "incomplete"),
    [
        pytest.param(["remarks"], True, "partial-form-total-whole", False, id="remarks"),
        pytest.param(["goals", "people"], True, "partial-form-total-whole", False, id="goals"),
        pytest.param(["indicators"], False, "partial-form", True, id="indicators"),
        pytest.param(["remarks", "indicators"], False, "partial-form", True, id="both"),
    ],
)
def test_a_cut_form_is_held_to_its_weights_unless_the_cut_took_them(
    tiny_content: Path, missing: list[str], checked: bool, note: str, incomplete: bool
) -> None:
    data = minimal_project(partial={"missing": missing, "note": "源文件在此处截断"})
    data["indicators"][0]["weight"] = 60  # 产出指标 60 of 50: execution + levels = 110
    record = _record(tiny_content, data)
    codes = _codes(record)
    assert ("weights-level-sum" in codes) is checked
    assert note in codes and {"partial-form", "partial-form-total-whole"} - {note} - set(codes)
    assert record["computed"].get("incomplete", False) is incomplete


def test_a_funding_table_cut_off_leaves_the_total_incomplete(tiny_content: Path) -> None:
    data = minimal_project(partial={"missing": ["funding"], "note": "源文件在此处截断"})
    del data["funding"]
    record = _record(tiny_content, data)
    assert record["computed"]["incomplete"] is True
    assert "partial-form" in _codes(record) and "weights-total" not in _codes(record)
