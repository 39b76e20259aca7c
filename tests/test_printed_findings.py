"""Forms as printed under the rules that came with them: the site's policy chosen by the form's
own `template`, the form's own arithmetic and the totals read from the funding table in 元
whichever way it is written, and the knock-on rules over rows without 分值 and placeholder rows.
Each test writes a small form and checks it as `jixiao check` does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builder.rules.check import CheckedProject, check_content, project_record
from tests.conftest import SITE_YAML, minimal_project, write_project

HUBEI_POLICY = """\
policies:
  - name: 湖北2020
    match: {year: 2020, template: hubei-2020}
    weights: {execution: 20}
    grades:
      - {min: 90, label: 优}
      - {min: 0, label: 差}
"""


def _checked(content: Path, data: dict[str, Any]) -> CheckedProject:
    write_project(content, data)
    result = check_content(content)
    assert len(result.projects) == 1
    return result.projects[0]


def _codes(checked: CheckedProject) -> list[str]:
    return [f.finding.code for f in checked.located]


def _hubei_form(template: str) -> dict[str, Any]:
    """A Hubei 2020 form as printed: no 分值 column, 执行率 printed as the ratio 1, the funding
    table as rows in 万元; the execution 分值 is not printed (the policy gives it)."""
    data = minimal_project(
        year=2020,
        filled_on="2020-12-25",
        template=template,
        region="湖北",
        funding={
            "amount_unit": "万元",
            "rows": [{"name": "年度资金总额", "total": True, "budget": "1.56", "executed": "1.56"}],
        },
        weights={"levels": {"产出指标": 50, "效益指标": 20, "满意度指标": 10}},
        declared={"execution_ratio": 1, "execution_score": 20, "total": 100},
    )
    for row, score in zip(data["indicators"], (50, 20, 10), strict=True):
        del row["weight"]
        row["score"] = score
    return data


@pytest.mark.parametrize(
    ("template", "policy", "execution_score"),
    [("hubei-2020", "湖北2020", 20), ("central", "默认规则", 10)],
)
def test_the_forms_template_chooses_its_policy(
    tmp_path: Path, template: str, policy: str, execution_score: int
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML + HUBEI_POLICY, encoding="utf-8")
    checked = _checked(content, _hubei_form(template))
    record = project_record(checked)
    assert record["policy"] == policy
    assert record["computed"]["execution_rate"] == 100
    assert record["computed"]["execution_score"] == execution_score
    assert _codes(checked).count("no-weight") == 3
    # Rows without 分值 add nothing to the sums of the form's own arithmetic.
    assert "weights-level-sum" not in _codes(checked)
    assert all(f.finding.severity != "error" for f in checked.located)
    assert "None" not in " ".join(f.finding.message for f in checked.located)


def _cost_form(executed: Any) -> dict[str, Any]:
    data = minimal_project(
        funding={
            "amount_unit": "万元",
            "rows": [
                {"name": "年度资金总额", "total": True, "budget": 8687, "executed": executed},
            ],
        }
    )
    data["indicators"].insert(
        1,
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "成本金额",
            "target": "≤8687万元",
            "actual": "≤1000万元",
            "weight": 5,
        },
    )
    data["indicators"][0]["weight"] = 45
    return data


def test_cost_rows_are_compared_with_the_executed_amount_in_yuan(tiny_content: Path) -> None:
    checked = _checked(tiny_content, _cost_form("1,746.16"))
    (cost,) = [f.finding for f in checked.located if f.finding.code == "cost-vs-executed"]
    assert cost.path == ("indicators", 1, "actual")
    assert Decimal(dict(cost.data)["executed"]) == Decimal(17461600)
    assert "17,461,600.00 元" in cost.message


@pytest.mark.parametrize("executed", ["—", None])
def test_no_cost_check_without_an_executed_amount(tiny_content: Path, executed: Any) -> None:
    data = _cost_form(executed)
    if executed is None:
        del data["funding"]["rows"][0]["executed"]
    checked = _checked(tiny_content, data)
    assert checked.score is not None
    assert "cost-vs-executed" not in _codes(checked)
    assert "execution-unchecked" in _codes(checked)


def test_executed_over_budget_in_a_list_of_rows_is_a_warning_where_the_row_is(
    tiny_content: Path,
) -> None:
    rows = [
        {"name": "年度资金总额", "total": True, "budget": "1,000", "executed": "1,000"},
        {"name": "财政拨款", "budget": 600, "executed": 700},
    ]
    checked = _checked(tiny_content, minimal_project(funding={"rows": rows}))
    (over,) = [f.finding for f in checked.located if f.finding.code == "executed-over-budget"]
    assert (over.severity, over.path) == ("warning", ("funding", "rows", 1, "executed"))
    assert "700" in over.message and "600" in over.message


def test_a_misspelt_level_with_a_row_without_weight_is_said_once(tiny_content: Path) -> None:
    """The knock-on rules count a misspelt row under the level it means; a row without 分值
    under that level adds nothing (and stops nothing)."""
    data = minimal_project()
    first = data["indicators"][0]
    first["weight"] = 30
    without_weight = {k: v for k, v in first.items() if k != "weight"}
    data["indicators"][1:1] = [
        {**first, "level1": "产出指", "name": "拼错一级指标", "weight": 20},
        {**without_weight, "name": "其中:脱贫人口", "score": 3},
    ]
    checked = _checked(tiny_content, data)
    assert checked.score is not None
    assert _codes(checked).count("unknown-level") == 1
    assert "weights-level-sum" not in _codes(checked)
    assert "no-weight" in _codes(checked)


@pytest.mark.parametrize(
    ("extra", "total", "empty"),
    [
        pytest.param({"level2": "数量指标", "name": "指标2:"}, 100, [], id="placeholder"),
        pytest.param(
            {"level2": "数量指标", "name": "其中:脱贫人口", "target": "≥50人", "score": 3},
            103,
            ["actual-missing"],
            id="row-without-weight",
        ),
    ],
)
def test_a_score_over_its_weight_is_not_said_again_as_the_total(
    tiny_content: Path, extra: dict[str, Any], total: int, empty: list[str]
) -> None:
    """总分 = the 得分 column with the row above its 分值 capped: `score-over-weight` only,
    whether the form keeps a placeholder row or has a row without 分值 (counted at its 得分)."""
    data = minimal_project(declared={"execution_score": 10, "total": total})
    for row, score in zip(data["indicators"], (52, 30, 10), strict=True):
        row["score"] = score
    data["indicators"].insert(1, {"level1": "产出指标", **extra})
    checked = _checked(tiny_content, data)
    assert "score-over-weight" in _codes(checked)
    assert "total-not-sum" not in _codes(checked)
    # A placeholder is said by its note, not as an empty cell; a row without 分值 whose
    # 实际完成值 is empty is unchecked for that reason too, and says so.
    found = [c for c in _codes(checked) if c in ("actual-missing", "target-missing")]
    assert found == empty
    assert checked.score is not None and checked.score.declared_parts == Decimal(total) + 2
