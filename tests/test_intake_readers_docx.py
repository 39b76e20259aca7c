"""The Word reader, and the PDF reader on PDFs another program made: a 自评报告 written with
python-docx (the form as a table inside the report, text around it, merged cells, a table
nested in a cell), read as it is, after LibreOffice saved it again, and as LibreOffice's PDF
of it (with the table's rulings, and without them)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from builder.intake.grid import Table
from builder.intake.readers import ReadError, read, read_tables

from .test_intake_readers import soffice_convert

INDICATORS = [
    ("产出指标", "数量指标", "缴费人数", "≤11476人", "10", "10"),
    ("产出指标", "质量指标", "待遇发放", "足额发放", "10", "9.5"),
    ("满意度指标", "满意度指标", "参保群众满意度", "≥90%", "10", "10"),
]


def write_report(path: Path, ruled: bool = True) -> Path:
    """A report with the form inside: a title and paragraphs, the 单位/填报日期 line, a table
    (项目名称 over five columns, 一级指标 merged down its two 产出指标 rows, 总分 over four
    columns, a small table nested in the 总分 row's last cell), then 联系人 and more text."""
    document = docx.Document()
    document.add_heading("六盘水市社会保险事业局2023年度项目支出绩效自评报告", 1)
    document.add_paragraph("一、项目概况")
    document.add_paragraph("")
    document.add_paragraph("项目支出绩效目标自评表")
    document.add_paragraph("单位(盖章):六盘水市社会保险事业局\t\t填报日期:2023/12/25")
    table = document.add_table(rows=2 + len(INDICATORS) + 1, cols=6)
    if ruled:
        table.style = "Table Grid"
    table.cell(0, 0).text = "项目名称"
    table.cell(0, 1).merge(table.cell(0, 5)).text = "机关事业单位养老保险缺口资金补助"
    for column, title in enumerate(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "得分"]
    ):
        table.cell(1, column).text = title
    for row, values in enumerate(INDICATORS, start=2):
        for column, value in enumerate(values[1:], start=1):
            table.cell(row, column).text = value
    table.cell(2, 0).merge(table.cell(3, 0)).text = "产出指标"
    table.cell(4, 0).text = "满意度指标"
    total = 2 + len(INDICATORS)
    table.cell(total, 0).merge(table.cell(total, 3)).text = "总分"
    table.cell(total, 4).text = "30"
    table.cell(total, 5).text = "29.5"
    if ruled:
        nested = table.cell(total, 5).add_table(rows=1, cols=2)
        nested.cell(0, 0).text = "复核"
        nested.cell(0, 1).text = "29.5"
    document.add_paragraph("联系人:章桃")
    document.add_paragraph("二、绩效目标完成情况")
    document.save(path)
    return path


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    written = write_report(folder / "自评报告.docx")
    plain = write_report(folder / "无框线.docx", ruled=False)
    return {
        "written": written,
        "saved": soffice_convert(written, "docx", folder / "saved"),
        "pdf": soffice_convert(written, "pdf", folder / "pdf"),
        "plain pdf": soffice_convert(plain, "pdf", folder / "pdf"),
    }


@pytest.mark.parametrize("which", ["written", "saved"])
def test_the_form_table_and_the_text_around_it_in_document_order(reports, which):
    tables = read_tables(reports[which])
    assert [t.origin.table for t in tables] == [None, 1, 2, None]
    before, form, nested, after = tables
    assert texts(before) == [
        ["六盘水市社会保险事业局2023年度项目支出绩效自评报告"],
        ["一、项目概况"],
        ["项目支出绩效目标自评表"],
        ["单位(盖章):六盘水市社会保险事业局\t\t填报日期:2023/12/25"],
    ]
    # Paragraphs are numbered as they stand in the body, blank ones counted.
    assert [row[0].place.line for row in before.rows] == [1, 2, 4, 5]
    assert texts(after) == [["联系人:章桃"], ["二、绩效目标完成情况"]]
    assert texts(form)[0] == ["项目名称", "机关事业单位养老保险缺口资金补助"]
    assert texts(form)[2] == ["产出指标", "数量指标", "缴费人数", "≤11476人", "10", "10"]
    assert texts(form)[3] == ["质量指标", "待遇发放", "足额发放", "10", "9.5"]
    assert texts(form)[5] == ["总分", "30", "29.5"]
    assert texts(nested) == [["复核", "29.5"]]


def test_merged_cells_are_given_once_with_their_span_and_place(reports):
    form = read_tables(reports["written"])[1]
    name = form.rows[0][1]
    assert (name.span, name.rows, name.place.describe()) == (5, 1, "表1 第1行第2列")
    level1 = form.rows[2][0]
    assert (level1.text, level1.rows, level1.place.row, level1.place.column) == (
        "产出指标",
        2,
        3,
        1,
    )
    # The row under it starts at its second column: the merged cell is not repeated.
    assert form.rows[3][0].place.column == 2
    total = form.rows[5]
    assert [(c.text, c.span, c.place.column) for c in total] == [
        ("总分", 4, 1),
        ("30", 1, 5),
        ("29.5", 1, 6),
    ]


def test_libreoffice_pdf_of_the_report_gives_the_table_as_printed(reports):
    tables = read_tables(reports["pdf"])
    forms = [t for t in tables if t.origin.table is not None]
    assert len(forms) == 1 and forms[0].origin.page == 1
    form = texts(forms[0])
    assert form[0] == ["项目名称", "机关事业单位养老保险缺口资金补助"]
    assert form[2] == ["产出指标", "数量指标", "缴费人数", "≤11476人", "10", "10"]
    assert forms[0].rows[2][0].rows == 2  # 产出指标 merged down two rows
    assert form[5][:2] == ["总分", "30"]
    before = [row for t in tables[: tables.index(forms[0])] for row in texts(t)]
    assert ["单位(盖章):六盘水市社会保险事业局", "填报日期:2023/12/25"] in before
    after = [row for t in tables[tables.index(forms[0]) + 1 :] for row in texts(t)]
    assert after[0] == ["联系人:章桃"]


def test_a_pdf_table_without_rulings_reads_by_its_header_columns(reports):
    """The text around the table as text rows; the indicator table by its header's columns
    (`readers.pdfgrid`). The 一级 cell left blank over 「质量指标」 and the 「满意度指标」 on the
    row under it print like one label merged over both rows: taken so, with a review item
    at the label (`label-rows`), as the page cannot tell."""
    reading = read(reports["plain pdf"])
    tables = reading.tables
    assert all(t.origin.table is None for t in tables)
    rows = [[text for text in row if text] for t in tables for row in texts(t)]
    assert ["项目名称", "机关事业单位养老保险缺口资金补助"] in rows
    assert ["产出指标", "数量指标", "缴费人数", "≤11476人", "10", "10"] in rows
    assert ["满意度指标", "质量指标", "待遇发放", "足额发放", "10", "9.5"] in rows
    assert ["联系人:章桃"] in rows
    assert {item.code for item in reading.issues} == {"no-ruling-lines", "label-rows"}
    assert (1, 1) in {(item.place.page, item.place.column) for item in reading.issues}


def test_a_damaged_document_and_an_old_doc_renamed(tmp_path, reports):
    broken = tmp_path / "坏.docx"
    broken.write_bytes(reports["written"].read_bytes()[:3000])
    with pytest.raises(ReadError) as raised:
        read(broken)
    assert raised.value.describe().startswith("坏.docx: 错误[damaged]: ")
    old = soffice_convert(reports["written"], "doc", tmp_path)
    with pytest.raises(ReadError) as raised:
        read(old.rename(tmp_path / "旧.docx"))
    assert raised.value.code == "unsupported-format" and ".docx" in raised.value.hint_zh
