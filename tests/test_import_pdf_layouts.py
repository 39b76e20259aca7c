"""PDF layouts the reader puts back together, on PDFs made here (HTML of our own laid out by
WeasyPrint, not jixiao's templates): a 注 below the table wrapped over several lines comes back
as its one paragraph; rows of a ruled table whose last header cell spans two columns, left
blank at their end or printing dashes, are read by the header's columns, not by content."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.intake.outcome import WRITTEN

from .roundtrip import imported, project_of

NOTE = (
    "注:1.本表一级指标分值为:产出指标50分、效益指标30分、满意度指标10分、预算执行率10分。"
    "2.定量指标得分按实际完成值与年度指标值之比乘以该指标分值计算,最高不超过该指标分值;"
    "定性指标按达成、部分达成、未达成三档分别计分。3.本表金额单位为万元。"
)
STYLE = """
@page { size: A4; margin: 15mm }
body { font-family: "Noto Serif CJK SC"; font-size: 9pt }
table { border-collapse: collapse; width: 100% }
td { border: 0.6pt solid black; padding: 2pt }
p.line { display: flex; justify-content: space-between; margin: 2pt 0 }
"""


def _page(funding_rows: str, indicator_rows: str, below: str) -> str:
    """A form on a grid of 11 columns: the 主管部门 row splits the last two, which the funding
    table's 得分 and the indicator table's 原因分析 each span (so a row of either is as wide
    as its header only when counted to the end of its last cell)."""
    return f"""<html><head><meta charset="utf-8"><style>{STYLE}</style></head><body>
<p style="text-align:center">项目支出绩效目标自评表</p>
<p style="text-align:center">(2024年度)</p>
<p class="line"><span>单位(盖章):某县交通运输局</span><span>填报日期:2025/01/10</span></p>
<table>
<tr><td colspan="3">项目名称</td><td colspan="8">乡村道路养护补助</td></tr>
<tr><td colspan="3">主管部门及代码</td><td colspan="3">某县交通运输局</td>
<td colspan="4">实施单位</td><td>某县公路事业发展中心</td></tr>
<tr><td rowspan="5">项目资金(万元)</td><td colspan="2">资金来源</td><td colspan="2">年初预算数</td>
<td>全年预算数(A)</td><td>全年执行数(B)</td><td>分值</td><td>执行率</td><td colspan="2">得分</td></tr>
{funding_rows}
<tr><td>年度总体目标</td><td colspan="4">预期目标</td><td colspan="6">实际完成情况</td></tr>
<tr><td></td><td colspan="4">养护农村公路120公里。</td><td colspan="6">养护农村公路118公里。</td></tr>
<tr><td>绩效指标</td><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值(A)</td>
<td colspan="2">实际完成值(B)</td><td>分值</td><td>得分</td><td colspan="2">未完成原因分析</td></tr>
{indicator_rows}
<tr><td colspan="7">总分</td><td>100</td><td>98</td><td colspan="2"></td></tr>
</table>
{below}
</body></html>"""


FUNDING = """
<tr><td colspan="2">年度资金总额</td><td colspan="2">50</td><td>50</td><td>48</td><td>10</td>
<td>96.00</td><td colspan="2">9.6</td></tr>
<tr><td colspan="2">其中:财政拨款</td><td colspan="2">50</td><td>50</td><td>48</td><td></td>
<td></td><td colspan="2"></td></tr>
<tr><td colspan="2">上年结转资金</td><td colspan="2">—</td><td>—</td><td>—</td><td></td><td></td>
<td colspan="2"></td></tr>
<tr><td colspan="2">其他资金</td><td colspan="2"></td><td>—</td><td>—</td><td></td><td></td>
<td colspan="2"></td></tr>
"""
INDICATORS = """
<tr><td></td><td rowspan="2">产出指标</td><td>数量指标</td><td>养护里程</td><td>≥120公里</td>
<td colspan="2">118公里</td><td>50</td><td>49</td><td colspan="2">两段道路改建</td></tr>
<tr><td></td><td>质量指标</td><td>路况优良率</td><td></td><td colspan="2">—</td><td></td>
<td>30</td><td colspan="2"></td></tr>
<tr><td></td><td>满意度指标</td><td>服务对象满意度指标</td><td>群众满意度</td><td>≥90%</td>
<td colspan="2">95%</td><td>10</td><td>9.4</td><td colspan="2"></td></tr>
"""


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    """Our PDF of one form, with a long 注 and a contact line below the table."""
    from weasyprint import HTML

    below = f'<p>联系人:李四</p><p style="width:70%">{NOTE}</p>'
    path = tmp_path_factory.mktemp("pdf") / "form.pdf"
    HTML(string=_page(FUNDING, INDICATORS, below)).write_pdf(path)
    return path


@pytest.fixture(scope="module")
def project(form, tmp_path_factory):
    (outcome,) = imported([form], tmp_path_factory.mktemp("content")).forms
    assert outcome.status == WRITTEN and outcome.path is not None
    return project_of(outcome.path)


def test_a_note_wrapped_below_the_table_is_one_paragraph(project) -> None:
    assert project.remarks == NOTE
    assert project.contact == "李四"


def test_funding_rows_left_blank_at_their_end_are_read_by_the_columns(project) -> None:
    total, fiscal, carried, other = project.funding.rows
    assert (str(total.rate), str(total.score)) == ("96.00", "9.6")
    assert (fiscal.weight, fiscal.rate, fiscal.score) == (None, None, None)
    for row, dashed in (
        (carried, ("initial", "budget", "executed")),
        (other, ("budget", "executed")),
    ):
        for key in ("initial", "budget", "executed"):
            amount = getattr(row, key)
            assert (amount.printed if amount is not None else None) == (
                "—" if key in dashed else None
            )
        assert (row.weight, row.rate, row.score) == (None, None, None)


def test_indicator_rows_of_dashes_and_blanks_are_read_by_the_columns(project) -> None:
    quality = project.indicators[1]
    assert (quality.level1, quality.level2, quality.name) == ("产出指标", "质量指标", "路况优良率")
    assert (quality.target, quality.actual, quality.weight, quality.score) == ("", "—", None, 30)
    assert [i.name for i in project.indicators] == ["养护里程", "路况优良率", "群众满意度"]
