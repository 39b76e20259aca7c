"""A cell's text LibreOffice wraps before an opening bracket in a narrow Word table column
(「…黔财社」 / 「〔2021〕88号…」, 「…通知》」 / 「(人社部规…」) reads back as one line: the wrap is
joined by the cell's width (`readers/pdftext.py`), not kept as a line break.

Our own Word document (python-docx): a table of three columns whose middle one is narrow,
its cells holding document numbers and titles in brackets, written at several column widths
so that the wraps fall before different brackets; converted by LibreOffice in one run and
read by the PDF reader.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from docx import Document
from docx.shared import Cm, Pt

from builder.intake.readers import read_tables

from .roundtrip import soffice_pdf

TEXTS = [
    "根据省财政厅文件（黔财社〔2021〕88号）执行",
    "依据《关于下达资金的通知》（黔财社〔2021〕88号）要求",
    "按黔财社〔2021〕88号文件及时拨付到位",
    "执行《贵州省城乡居民基本养老保险实施办法》规定",
    "根据《贵州省财政厅关于2022年提高标准的通知》(黔人社发〔2022〕6号), 经省人民政府同意",
    "《关于印发〈六盘水市实施方案〉的通知》(六盘水人社局发〔2021〕95号)",
    "省人民政府同意（黔府函〔2022〕6号）提高标准",
    "提高至113元(每人每月)标准",
]
WIDTHS_CM = (1.6, 2.0, 2.4, 2.8, 3.2, 3.6)
OPENING = tuple("（(《〔〈")


def _document(path: Path, width: float) -> Path:
    document = Document()
    document.styles["Normal"].font.size = Pt(9)
    table = document.add_table(rows=len(TEXTS), cols=3)
    table.style = "Table Grid"
    table.autofit = False
    for row, text in zip(table.rows, TEXTS, strict=True):
        for cell, cm in zip(row.cells, (2.0, width, 4.0), strict=True):
            cell.width = Cm(cm)
        row.cells[0].text, row.cells[1].text, row.cells[2].text = (
            f"第{row._index + 1}项",
            text,
            "达成",
        )
    document.save(str(path))
    return path


def test_a_wrap_before_an_opening_bracket_reads_back_as_one_line(tmp_path: Path) -> None:
    docs = [_document(tmp_path / f"narrow-{w}.docx", w) for w in WIDTHS_CM]
    pdfs = soffice_pdf(docs, tmp_path / "pdf")
    before_bracket = 0
    for pdf in pdfs:
        rows = [row for table in read_tables(pdf) for row in table.rows if len(row) == 3]
        assert [row[1].text for row in rows] == TEXTS, pdf.name
        with pdfplumber.open(pdf) as opened:
            lines = "\n".join(page.extract_text() or "" for page in opened.pages).splitlines()
        before_bracket += sum(line.startswith(OPENING) for line in lines)
    assert before_bracket >= 3  # the wraps did fall before opening brackets
