"""Files a user has, not jixiao's own: a workbook typed by hand in another shape (the form lower
and to the right, other header words, numbers as text, a formula never computed) and a Word
report; and a sheet far larger than any form. Each is imported as `jixiao import` does."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from builder.intake.outcome import WRITTEN
from builder.intake.readers.xlsx import MAX_SHEET_ROWS

from .roundtrip import imported, project_of


def _hand_workbook(path: Path, total_cells: tuple[object, object]) -> Path:
    """A form typed into a sheet from B3 on; `total_cells` the 总分 row's 分值 and 得分 cells
    (a formula openpyxl writes has no saved value: the cell reads as blank)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    rows = [
        ["项目支出绩效自评表"],
        ["(2024年度)"],
        ["填报单位:某某县水利局", None, None, None, "填报日期:2025-01-15"],
        ["项目名称", None, "小型水库维修养护"],
        ["主管部门", None, "某某县水利局", None, "实施单位", None, "某某县水库管理站"],
        [
            "项目资金(万元)",
            "资金来源",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        [None, "年度资金总额", 120, "120.00", 114.5, 10, "95.42%", 9.5],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [None, "完成5座小型水库维修养护。", None, None, "完成5座。"],
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
        ],
        [None, "产出指标", "数量指标", "维修养护水库数量", "5座", "5座", 50, 50],
        [None, "效益指标", "社会效益指标", "保障下游群众安全", "有效保障", "有效保障", 30, 30],
        [None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "96%", 10, 10],
        ["总分", None, None, None, None, None, *total_cells],
    ]
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is not None:
                sheet.cell(row=3 + index, column=2 + column, value=value)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("cells", "weight", "total"),
    [
        ((100, "=SUM(I13:I15)+9.5"), 100, None),  # 得分 a formula never computed: blank
        ((100, None), 100, None),  # 得分 left blank
        ((None, 99.5), None, "99.5"),  # 分值 left blank
        ((100, 99.5), 100, "99.5"),
    ],
    ids=["score-formula", "score-blank", "weight-blank", "both"],
)
def test_a_total_row_of_a_table_is_read_by_its_columns(cells, weight, total, tmp_path) -> None:
    """A figure under the 分值 column of the 总分 row is the 分值, never the 得分, whatever
    else the row leaves blank."""
    book = _hand_workbook(tmp_path / "form.xlsx", cells)
    (outcome,) = imported([book], tmp_path / "content").forms
    assert outcome.status == WRITTEN and outcome.path is not None
    declared = project_of(outcome.path).declared
    assert declared.total_weight == weight
    assert (None if declared.total is None else str(declared.total)) == total


def test_a_word_reports_total_row_with_a_blank_score(tmp_path) -> None:
    document = Document()
    document.add_paragraph("单位(盖章):某某县水利局    填报日期:2025/01/15")
    document.add_paragraph("(2024年度)")
    rows = [
        ["项目名称", "", "小型水库维修养护", "", "", "", "", ""],
        ["主管部门及代码", "", "某某县水利局", "", "实施单位", "某某县水库管理站", "", ""],
        [
            "项目资金(万元)",
            "资金来源",
            "年初预算数",
            "全年预算数(A)",
            "全年执行数(B)",
            "分值",
            "执行率",
            "得分",
        ],
        ["", "年度资金总额:", "120", "120", "114.5", "10", "95.42", "9.5"],
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值(A)",
            "实际完成值(B)",
            "分值",
            "得分",
        ],
        ["", "产出指标", "数量指标", "维修养护水库数量", "5座", "5座", "90", "90"],
        ["总分", "", "", "", "", "", "100", ""],
    ]
    table = document.add_table(rows=len(rows), cols=8)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    document.save(tmp_path / "report.docx")
    (outcome,) = imported([tmp_path / "report.docx"], tmp_path / "content").forms
    assert outcome.path is not None
    declared = project_of(outcome.path).declared
    assert (declared.total_weight, declared.total) == (100, None)


def test_a_sheet_far_larger_than_forms_is_one_line_and_the_rest_imported(tmp_path) -> None:
    book = Workbook()
    for index in range(MAX_SHEET_ROWS + 1):
        book.active.append([f"行{index}", index])
    book.save(tmp_path / "huge.xlsx")
    form = _hand_workbook(tmp_path / "form.xlsx", (100, 99.5))
    start = time.perf_counter()
    report = imported([tmp_path / "huge.xlsx", form], tmp_path / "content")
    assert time.perf_counter() - start < 30  # refused before the sheet is read
    (failure,) = report.failures
    assert failure.code == "too-large" and Path(failure.file).name == "huge.xlsx"
    assert f"{MAX_SHEET_ROWS + 1} 行" in failure.message_zh
    assert [o.status for o in report.forms] == [WRITTEN]
