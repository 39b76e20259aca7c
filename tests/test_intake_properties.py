"""Property tests of the recogniser on extracted text: random forms of the central layout,
written one row a line with tabs, `|` or runs of spaces between cells, random rows, units,
blank cells and spellings (operators, 元 and 万元), read back as the form they were made from.
A blank cell stays blank; where spaces lost a blank cell, the row is a review item instead."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.form.model import Project
from builder.intake.readers.text import text_table
from builder.intake.recognise import recognise

LEVELS = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("满意度指标",),
}
NAME_CHARS = "资金发放人数标准补助保障覆盖率及时完成养老服务群众满意运行维护系统"
OPERATORS = ("≥", "≤", "=", ">", "<", "≧", "═", ">=", "<=", "＞＝", "不低于", "")
UNITS = ("人", "%", "万元", "元/人*月", "套", "", "小时")

names = st.text(NAME_CHARS, min_size=2, max_size=10).filter(lambda s: not s.endswith("指标"))
points = st.sampled_from([Decimal(v) for v in ("0", "2.5", "5", "7", "10", "12.5", "20")])


@st.composite
def values(draw: st.DrawFn) -> str:
    """A 年度指标值 or 实际完成值: an operator, a figure, a unit; or words; or blank."""
    kind = draw(st.sampled_from(["figure", "words", "blank"]))
    if kind == "blank":
        return ""
    if kind == "words":
        return draw(st.sampled_from(["达成年度指标", "有效保障", "根据文件要求完成", "足额发放"]))
    figure = draw(st.sampled_from(["95", "100", "0.2", "11476", "1.35", "3"]))
    return draw(st.sampled_from(OPERATORS)) + figure + draw(st.sampled_from(UNITS))


@st.composite
def indicator(draw: st.DrawFn, level1: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "level1": level1,
        "level2": draw(st.sampled_from(LEVELS[level1])),
        "name": draw(names),
    }
    for key in ("target", "actual"):
        text = draw(values())
        if text:
            row[key] = text
    row["weight"] = draw(points)
    if draw(st.booleans()):
        row["score"] = draw(points)
    if draw(st.integers(0, 4)) == 0:
        row["reason"] = "实际完成值超出指标值,扣减分值。"
    return row


@st.composite
def forms(draw: st.DrawFn) -> dict[str, Any]:
    rows = []
    for level1 in LEVELS:
        group = draw(st.lists(indicator(level1), min_size=1, max_size=4))
        rows += sorted(group, key=lambda r: LEVELS[level1].index(r["level2"]))
    unit = draw(st.sampled_from(["元", "万元"]))
    amount = draw(st.sampled_from(["950500", "950500.00", "86870000", "17461600.00", "0"]))
    if unit == "万元":
        amount = draw(st.sampled_from(["95.05", "880", "1.5600", "0"]))
    funding: dict[str, Any] = {
        "total": {
            "initial": Decimal(amount),
            "budget": Decimal(amount),
            "executed": Decimal(amount),
        }
    }
    if unit == "万元":
        funding["amount_unit"] = "万元"
    return {
        "year": draw(st.integers(2019, 2025)),
        "name": draw(names) + "项目",
        "department": {"name": "六盘水市人力资源和社会保障局", "code": "502"},
        "unit": "六盘水市社会保险事业局",
        "contact": "章桃",
        "funding": funding,
        "goals": {"planned": "完成年度目标。", "achieved": "已完成。"},
        "indicators": rows,
        "declared": {"total_weight": Decimal(100), "total": draw(points)},
    }


def _level(row: dict[str, Any], previous: dict[str, Any] | None) -> list[str]:
    level1 = "" if previous and previous["level1"] == row["level1"] else row["level1"]
    same2 = previous and (previous["level1"], previous["level2"]) == (row["level1"], row["level2"])
    return [level1, "" if same2 else row["level2"]]


def _text(form: dict[str, Any], separator: str) -> str:
    def line(*cells: str) -> str:
        if separator == "|":
            return "| " + " | ".join(cells) + " |"
        return separator.join(cells)

    unit = "(万元)" if form["funding"].get("amount_unit") == "万元" else "(元)"
    total = form["funding"]["total"]
    lines = [
        "项目支出绩效目标自评表",
        f"({form['year']}年度)",
        f"单位(盖章):{form['unit']}",
        line("项目名称", "", form["name"]),
        line("主管部门及代码", "", "[502]" + form["department"]["name"], "实施单位", form["unit"]),
        line(
            f"项目资金 {unit}",
            "资金来源",
            "年初预算数",
            "全年预算数(A)",
            "全年执行数(B)",
            "分值",
            "执行率",
            "得分",
        ),
        line(
            "",
            "年度资金总额:",
            *(str(total[k]) for k in ("initial", "budget", "executed")),
            "-",
            "-",
            "-",
        ),
        line("年度总体目标", "预期目标", "实际完成情况"),
        line("", form["goals"]["planned"], form["goals"]["achieved"]),
        line(
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值(A)",
            "实际完成值(B)",
            "分值",
            "得分",
            "未完成原因分析",
        ),
    ]
    previous = None
    for row in form["indicators"]:
        figures = [str(row.get(k, "")) for k in ("weight", "score")]
        texts = [row.get(k, "") for k in ("target", "actual")]
        lines.append(
            line("", *_level(row, previous), row["name"], *texts, *figures, row.get("reason", ""))
        )
        previous = row
    declared = form["declared"]
    lines.append(
        line("总分", "", "", "", "", "", str(declared["total_weight"]), str(declared["total"]), "")
    )
    lines.append(f"联系人:{form['contact']}")
    return "\n".join(lines) + "\n"


def _has_blank(form: dict[str, Any]) -> bool:
    keys = ("target", "actual", "score")
    return any(k not in row for row in form["indicators"] for k in keys)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=forms(), separator=st.sampled_from(["\t", "|"]))
def test_tab_and_bar_separated_text_reads_back_exactly(
    form: dict[str, Any], separator: str
) -> None:
    """Tabs and bars keep every blank cell: the form comes back field by field."""
    (draft,) = recognise([text_table(_text(form, separator), "form.txt")])
    want = Project.model_validate({"id": "pp", **form})
    assert draft.problems() == []
    assert draft.project("pp") == want


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=forms())
def test_space_separated_text_reads_back_or_says_where_it_guessed(form: dict[str, Any]) -> None:
    """Runs of spaces lose blank cells: a form without blanks comes back exactly; with
    blanks, nothing is made up (no value that is not printed), and where a row's columns
    had to be guessed it is a review item."""
    (draft,) = recognise([text_table(_text(form, "  "), "form.txt")])
    assert draft.problems() == []
    got = draft.project("pp")
    want = Project.model_validate({"id": "pp", **form})
    if not _has_blank(form):
        assert got == want
        return
    printed = {v for row in form["indicators"] for v in row.values() if isinstance(v, str)}
    for row in got.indicators:
        for value in (row.target, row.actual, row.reason):
            assert value == "" or value in printed
    if got.indicators != want.indicators:
        assert "column-guess" in {item.code for item in draft.review}
