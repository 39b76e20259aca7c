"""Property test of the round trip at the file level (issue 13, item 3): random forms (rows,
units 元 and 万元, blank cells, operator spellings, 「其中」 sub-rows, funding rows of dashes, the
layout families) written as the workbook of the site (`builder.workbook`), read back by
`jixiao import` from the .xlsx file, come back as the form, field by field."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.form.model import Project
from builder.workbook.forms import form_workbook

from .roundtrip import differences, imported, project_of
from .test_intake_properties import forms

DASHES = ("—", "-", "/")


@st.composite
def funding_rows(draw: st.DrawFn, unit: str) -> dict[str, Any]:
    """A funding table written as rows: a total, 「其中」 rows, a row of dashes or blanks."""
    amounts = ["120.00", "118.50", "0.00", "45.6"] if unit == "万元" else ["950500", "0", "3.5"]

    def amount() -> Decimal | str | None:
        kind = draw(st.sampled_from(["figure", "figure", "dash", "blank"]))
        if kind == "figure":
            return Decimal(draw(st.sampled_from(amounts)))
        return draw(st.sampled_from(DASHES)) if kind == "dash" else None

    rows: list[dict[str, Any]] = []
    for index, name in enumerate(["年度资金总额", "其中:当年财政拨款", "上年结转资金", "其他资金"]):
        row: dict[str, Any] = {"name": name}
        if index == 0:
            row["total"] = True
        for key in ("initial", "budget", "executed"):
            value = amount()
            if value is not None:
                row[key] = value
        if index == 0 and draw(st.booleans()):
            rates = ["96.77", "100", "0", "20.10", "100.00", "0.0"]
            row["rate"] = Decimal(draw(st.sampled_from(rates)))
        rows.append(row)
    return {"amount_unit": unit, "rows": rows}


@st.composite
def varied_forms(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A form of `forms()` with, at random, a funding table of rows, 「其中」 sub-rows and a
    layout family; the family is what the user states on import."""
    form = draw(forms())
    unit = form["funding"].get("amount_unit", "元")
    if draw(st.booleans()):
        form["funding"] = draw(funding_rows(unit))
    for row in form["indicators"]:
        if draw(st.integers(0, 5)) == 0 and row.get("target"):
            row["subrows"] = [
                {"name": "其中:脱贫人口", "target": row["target"]},
                {"name": "其中:监测对象", "actual": row.get("actual", "达成年度指标")},
            ]
        if "score" in row and draw(st.integers(0, 3)) == 0:
            row["score"] = Decimal(format(row["score"], ".2f"))  # typed with its decimals
    family = draw(st.sampled_from(["central", "anhui-xianjie", "sichuan"]))
    if family != "central":
        form["template"] = family
    return form, family


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=varied_forms())
def test_a_random_form_through_its_workbook_file_comes_back(case: tuple[dict, str]) -> None:
    form, family = case
    want = Project.model_validate({"id": "pp", **form})
    with tempfile.TemporaryDirectory() as folder:
        workbook = Path(folder) / "form.xlsx"
        workbook.write_bytes(form_workbook(want))
        report = imported([workbook], Path(folder) / "content", template=family)
        assert not report.failures
        (outcome,) = report.forms
        assert outcome.path is not None, outcome.review
        assert differences(project_of(outcome.path), want) == {}


def test_a_zero_rate_of_nothing_executed_comes_back_as_the_rate() -> None:
    """执行率 0 beside 执行数 0 reads as both a percentage and the ratio B/A: it is read as the
    percentage the form's 执行率 column holds (a ratio is told only by a figure that is not 0)."""
    import yaml

    seed = (
        Path(__file__).resolve().parent.parent / "content/2023/lps-sbj/jiguan-yanglao-quekou.yaml"
    )
    data = yaml.safe_load(seed.read_text(encoding="utf-8"))
    for line in data["funding"].values():
        line["executed"] = 0
    data["declared"]["execution_rate"] = Decimal("0")
    data["declared"]["execution_score"] = 0
    want = Project.model_validate(data)
    with tempfile.TemporaryDirectory() as folder:
        workbook = Path(folder) / "form.xlsx"
        workbook.write_bytes(form_workbook(want))
        report = imported([workbook], Path(folder) / "content", template="central")
        (outcome,) = report.forms
        assert outcome.path is not None, outcome.review
        assert differences(project_of(outcome.path), want) == {}
