"""A ruled table LibreOffice breaks across pages reads back whole (`readers/pdfcut.py`): a row
cut by the page break (its text goes on atop the next page, the cells that were complete
blank there) is one row again, a merged 二级指标 label cut in two is one label again, a header
row printed again atop the next page is read once, and a cell the reader cannot tell apart
(a cut at a paragraph break, or a cell of its own) is a `page-break-cell` review item rather
than a guess.

The forms are our own: two example forms given indicators of our own (long 年度指标值 texts
that must break inside a row; long 二级 labels spanning rows one line high, in the narrow
columns of the 临湘 layout), written as Word reports with python-docx (`roundtrip.report_docx`),
each pushed down the page by 0…n empty paragraphs so that the page break falls in a different
place each time, all converted by LibreOffice in one run and imported.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from builder.form.model import Project
from builder.intake.readers.pdf import joined, read_pages
from builder.workbook.form import form_grid

from .roundtrip import (
    differences,
    form_with_indicators,
    imported,
    project_of,
    report_docx,
    soffice_pdf,
)

LONG = "按照省市文件要求及时足额发放城乡居民基本养老保险待遇，确保参保群众按月领取，做到应发尽发"


# Rows cut by the page break: long 年度指标值 texts in the central layout.
ROWS = [
    ("产出指标", "数量指标", "参保人数", "≥30万人", 5),
    ("产出指标", "数量指标", "发放月数", "12个月", 5),
    ("产出指标", "质量指标", "待遇发放准确率", LONG, 5),
    ("产出指标", "质量指标", "资格认证率", "≥95%", 5),
    ("产出指标", "时效指标", "发放及时率", LONG + "，不拖欠不延误", 5),
    ("产出指标", "成本指标", "人均补助", "≤2元", 5),
    ("效益指标", "社会效益指标", "群众生活改善", LONG, 5),
    ("效益指标", "社会效益指标", "制度可持续", "持续", 5),
    ("效益指标", "可持续影响指标", "长效机制", "建立", 5),
    ("效益指标", "可持续影响指标", "长期保障", "有效", 5),
    ("效益指标", "经济效益指标", "促进消费", LONG, 10),
    ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", 10),
    ("满意度指标", "服务对象满意度指标", "经办人员满意度", "≥90%", 10),
    ("满意度指标", "满意度指标", "社会满意度", LONG, 10),
]
# Merged labels cut by the page break: in the 4-character columns of the 临湘 layout (指标性质
# and 度量单位 columns), one-line rows (names that do not fill their line), then a 二级 label
# of three lines spanning two one-line rows; the shifts move the break over that label.
LABELS = [
    ("产出指标", "数量指标", f"{stem}路段", "98", 4)
    for stem in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌"
] + [
    ("满意度指标", "服务对象满意度指标", "市民", "90", 3),
    ("满意度指标", "服务对象满意度指标", "商户", "85", 3),
]
SHIFTS = 10


def _variants(project: Project, folder: Path, step: int, header: bool) -> list[Path]:
    """The form's Word report, pushed down by 0, step, 2·step … empty paragraphs; with
    `header`, its table's first row marked to be printed again atop each page."""
    files = []
    for shift in range(SHIFTS):
        path = report_docx(form_grid(project), folder / f"{folder.name}-{shift}.docx")
        document = Document(str(path))
        for _ in range(shift * step):
            document.paragraphs[1].insert_paragraph_before("")
        if header:
            mark = OxmlElement("w:tblHeader")
            mark.set(qn("w:val"), "true")
            document.tables[0].rows[0]._tr.get_or_add_trPr().append(mark)
        document.save(str(path))
        files.append(path)
    return files


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Project, list[Path]]]:
    """Kind -> (the form, the PDFs LibreOffice made of its shifted reports): one soffice run."""
    made = {
        "rows": (form_with_indicators("chengxiang-yanglao-tiaodai", ROWS), 2, False),
        "header": (form_with_indicators("chengxiang-yanglao-tiaodai", ROWS), 3, True),
        "labels": (form_with_indicators("chengqu-zhaoming-weihu", LABELS), 1, False),
    }
    docs: dict[str, list[Path]] = {}
    for kind, (project, step, header) in made.items():
        folder = tmp_path_factory.mktemp(kind)
        docs[kind] = _variants(project, folder, step, header)
    out = soffice_pdf([doc for kind in made for doc in docs[kind]], tmp_path_factory.mktemp("pdf"))
    return {
        kind: (made[kind][0], out[i * SHIFTS : (i + 1) * SHIFTS]) for i, kind in enumerate(made)
    }


def _joins(pdf: Path) -> list[str]:
    """What the page-break join did in `pdf`: "row" for a row atop a page joined to the row
    above it, "label" for a cell joined into the cell above it from a row of its own."""
    raw = read_pages(pdf)
    whole = joined(pdf, [raw]).tables
    kinds = []
    for before, after in zip(raw, whole, strict=True):
        # A header printed again is left out: compare the rows that stay, by their places.
        rows = {row[0].place: row for row in before.rows}
        for row in after.rows:
            emptied = [
                b for a, b in zip(rows[row[0].place], row, strict=True) if a.text and not b.text
            ]
            if emptied:
                kinds.append("label" if any(cell.text for cell in row) else "row")
    return kinds


def _read_back(project: Project, pdf: Path) -> tuple[dict, set[str]]:
    """The differences of `pdf` imported from `project`, and the codes of its review items."""
    with tempfile.TemporaryDirectory() as folder:
        report = imported([pdf], Path(folder) / "content", region=project.region)
        assert not report.failures, report.failures
        (outcome,) = report.forms
        assert outcome.path is not None
        return differences(project_of(outcome.path), project), {i.code for i in outcome.review}


@pytest.mark.parametrize("kind", ["rows", "header", "labels"])
def test_a_table_broken_across_pages_reads_back_whole(kind, pdfs) -> None:
    """Wherever the page break falls, the form reads back as it went out, or the cell the
    reader could not tell is named (`page-break-cell`); never a different form unsaid. The
    breaks fall inside a row (a row joined) and, for the labels, inside a merged label."""
    project, files = pdfs[kind]
    joins = []
    for pdf in files:
        found, codes = _read_back(project, pdf)
        assert found == {} or "page-break-cell" in codes, (pdf.name, found)
        if found == {}:
            joins += _joins(pdf)
    if kind == "labels":
        assert "label" in joins, joins
    else:
        assert joins.count("row") >= 2, joins
