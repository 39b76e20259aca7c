"""A form's own words and a funding row's own dashes come back through `jixiao import`
(issue 13 after issue 12's `labels:`): the words a form prints over a column, before the unit in
its heading or over a block where they are not its family's are `labels:`, as printed; a
分值/执行率/得分 a funding row prints as a dash (—, -, /) stays that dash. From extracted text
(the words typed in the text below, not a file of the example sites) and out and back through
the workbook and a Word report."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.intake.outcome import WRITTEN
from builder.intake.readers import read_tables
from builder.intake.recognise import recognise
from builder.workbook.form import form_grid
from builder.workbook.forms import form_workbook

from .roundtrip import differences, imported, project_of, report_docx

T = "\t"


def _text_form(heading: str, funding: list[str], table: list[str], foot: list[str]) -> str:
    """A central form as text copied out of a PDF: cells split by tabs."""
    lines = [
        "项目支出绩效目标自评表",
        "(2024年度)",
        heading,
        f"项目名称{T}{T}乡村道路养护补助",
        f"主管部门及代码{T}{T}[301]某县交通运输局{T}{T}实施单位{T}某县公路事业发展中心",
        *funding,
        f"年度总体目标{T}预期目标{T}{T}{T}实际完成情况",
        f"{T}养护农村公路120公里。{T}{T}{T}养护农村公路118公里。",
        *table,
        *foot,
    ]
    return "\n".join(lines) + "\n"


_FUNDING_OWN = [
    f"项目资金 (元){T}资金来源{T}年初预算数{T}全年预算数（A）{T}全年执行数{T}分值{T}执行率(B/A){T}得分",
    f"{T}年度资金总额{T}500000{T}500000{T}480000{T}10{T}96.00{T}9.6",
    f"{T}其中:财政拨款{T}500000{T}500000{T}480000{T}—{T}/{T}—",
    f"{T}上年结转资金{T}—{T}—{T}—{T}-{T}-{T}-",
]
_TABLE_OWN = [
    f"绩效指标{T}一级指标{T}二级指标{T}三级指标{T}年度目标值{T}实际完成值{T}分值{T}得分{T}偏差原因分析及改进措施",
    f"{T}产出指标{T}数量指标{T}养护里程{T}≥120公里{T}118公里{T}50{T}49{T}两段道路改建",
    f"{T}满意度指标{T}服务对象满意度指标{T}群众满意度{T}≥90%{T}95%{T}40{T}40{T}",
    f"总分{T}{T}{T}{T}{T}{T}100{T}98.6{T}",
    f"偏差大或目标未完成原因分析{T}两段道路列入改建计划。",
]


def _draft(tmp_path: Path, text: str):
    source = tmp_path / "form.txt"
    source.write_text(text, encoding="utf-8")
    (draft,) = recognise(read_tables(source))
    assert draft.problems() == []
    return draft


def test_text_with_the_forms_own_words_reads_them_as_labels(tmp_path: Path) -> None:
    heading = f"部门:某县公路事业发展中心{T}填报日期:2025/01/10"
    draft = _draft(tmp_path, _text_form(heading, _FUNDING_OWN, _TABLE_OWN, []))
    assert draft.data["labels"] == {
        "unit": "部门",
        "budget": "全年预算数（A）",  # full-width, as printed
        "executed": "全年执行数",
        "rate": "执行率(B/A)",
        "target": "年度目标值",
        "actual": "实际完成值",
        "reason": "偏差原因分析及改进措施",
        "problems": "偏差大或目标未完成原因分析",
    }
    assert draft.places["labels.rate"].line == 6  # where the words were read
    project = draft.project("road")
    assert project.labels.reason == "偏差原因分析及改进措施"


def test_text_with_the_familys_words_has_no_labels(tmp_path: Path) -> None:
    funding = [
        f"项目资金 (元){T}资金来源{T}年初预算数{T}全年预算数(A){T}全年执行数(B){T}分值{T}执行率{T}得分",
        _FUNDING_OWN[1],
    ]
    table = [
        f"绩效指标{T}一级指标{T}二级指标{T}三级指标{T}年度指标值(A){T}实际完成值(B){T}分值{T}得分{T}未完成原因分析",
        *_TABLE_OWN[1:4],
        f"存在问题{T}无。",
    ]
    heading = f"单位(盖章):某县公路事业发展中心{T}填报日期:2025/01/10"
    draft = _draft(tmp_path, _text_form(heading, funding, table, []))
    assert "labels" not in draft.data
    assert draft.data["declared"]["problems"] == "无。"


def test_a_funding_rows_dashes_are_kept_as_printed(tmp_path: Path) -> None:
    heading = f"单位(盖章):某县公路事业发展中心{T}填报日期:2025/01/10"
    draft = _draft(tmp_path, _text_form(heading, _FUNDING_OWN, _TABLE_OWN, []))
    rows = draft.project("road").funding.rows
    assert (rows[1].weight, rows[1].rate, rows[1].score) == ("—", "/", "—")
    assert rows[2].initial is not None and rows[2].initial.printed == "—"
    assert (rows[2].weight, rows[2].rate, rows[2].score) == ("-", "-", "-")
    assert draft.places["funding.rows[1].rate"].line == 8


_OWN = """# yaml-language-server: $schema=../../../builder/schemas/project.schema.json
id: daolu-yanghu
year: 2024
name: 乡村道路养护补助
department: {{name: 某县交通运输局, code: "301"}}
unit: 某县公路事业发展中心
labels: {{{labels}}}

funding:
  amount_unit: 元
  rows:
    - {{name: 年度资金总额, total: true, initial: 500000, budget: 500000, executed: 480000, weight: 10, rate: 96.00, score: 9.6}}
    - {{name: 其中:财政拨款, initial: 500000, budget: 500000, executed: 480000, weight: "{d1}", rate: "{d2}", score: "{d1}"}}
    - {{name: 上年结转资金, initial: "{d2}", weight: "{d3}", score: "{d3}"}}

goals:
  planned: 养护农村公路120公里。
  achieved: 养护农村公路118公里。

indicators:
  - {{level1: 产出指标, level2: 数量指标, name: 养护里程, target: ≥120公里, actual: 118公里, weight: 50, score: 49, reason: 两段道路改建}}
  - {{level1: 满意度指标, level2: 服务对象满意度指标, name: 群众满意度, target: ≥90%, actual: 95%, weight: 40, score: 40}}

declared:
  total_weight: 100
  total: 98.6
  conclusion: 较好完成年度目标。
  problems: 两段道路列入改建计划。
"""
_LABELS = [
    "unit: 部门, budget: 全年预算数, executed: 全年执行数, rate: 执行率(B/A), target: 年度指标值, "
    "actual: 实际完成值, reason: 偏差原因分析及改进措施, problems: 偏差大或目标未完成原因分析",
    "unit: 填报单位, budget: 全年预算数（A）, conclusion: 评价结论, improvements: 改进措施及结果应用方案",
]
_DASHES = [("—", "/", "-"), ("-", "—", "/"), ("/", "-", "—")]


@pytest.mark.parametrize("labels", _LABELS, ids=["yunnan-words", "other-words"])
@pytest.mark.parametrize("dashes", _DASHES, ids=["em-slash-hyphen", "hyphen-em-slash", "slash"])
@pytest.mark.parametrize("out", ["xlsx", "docx"])
def test_own_words_and_dashes_go_out_and_come_back(labels, dashes, out, tmp_path) -> None:
    form = tmp_path / "form" / "2024" / "unit" / "daolu-yanghu.yaml"
    form.parent.mkdir(parents=True)
    d1, d2, d3 = dashes
    form.write_text(_OWN.format(labels=labels, d1=d1, d2=d2, d3=d3), encoding="utf-8")
    want = project_of(form)
    improvements = "拟加快改建进度。" if "improvements" in labels else None
    if improvements:
        want = want.model_copy(
            update={"declared": want.declared.model_copy(update={"improvements": improvements})}
        )
    if out == "xlsx":
        file = tmp_path / "form.xlsx"
        file.write_bytes(form_workbook(want))
    else:
        file = report_docx(form_grid(want), tmp_path / "form.docx")
    report = imported([file], tmp_path / "content")
    (outcome,) = report.forms
    assert outcome.status == WRITTEN and outcome.path is not None
    got = project_of(outcome.path)
    assert differences(got, want) == {}
    assert got.labels == want.labels and got.labels.given()
