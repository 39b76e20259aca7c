"""A workbook LibreOffice Calc prints over two pages reads back whole from its PDF, wherever
the page break falls inside a merged 一级 or 二级指标 cell (`readers/pdfclip.py`,
`readers/pdfcut.py`).

Calc's pages are not Writer's: no header row printed again, the sheet's own margins and page
header and footer, and a merged cell cut by the break drawn on both pages, its whole text at
its place in the whole cell and clipped to each page's part (the text layer keeps what was
clipped: above page N+1's table, or off the page).

The workbooks are our own: the site's workbook of a form (`form_workbook`) given indicators of
our own (一级 cells spanning many rows, 二级 labels of several lines spanning two or three
rows, in the central layout and in the narrow columns of the 临湘 layout), the row of the
年度总体目标 made taller step by step so that the page break falls in a different place each
time; one kind with a page header and footer and wider margins. All are converted by
LibreOffice in one run and imported: each must read back as it went out, or carry a
`page-break-cell` review item at a place on the page after the break; never a different
form unsaid.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest

from builder.form.model import Project
from builder.intake.readers.pdf import joined, read_pages
from builder.workbook.forms import form_workbook

from .roundtrip import differences, form_with_indicators, imported, project_of, soffice_pdf

TARGET = "按时足额发放补助资金，做到应发尽发，不拖欠不延误"


# The central layout: 一级 cells of 6, 5 and 2 rows, 二级 cells of two or three rows, some
# rows two or three lines high (a long 年度指标值); the 二级 label of two lines spanning two
# rows is cut between its lines by a break after its first row.
CENTRAL = [
    ("产出指标", "数量指标", "补助人数", "≥1.2万人", 5),
    ("产出指标", "数量指标", "补助月数", "12个月", 5),
    ("产出指标", "数量指标", "覆盖乡镇", "10个", 5),
    ("产出指标", "质量指标", "发放准确率", TARGET, 10),
    ("产出指标", "质量指标", "资格复核率", "≥95%", 10),
    ("产出指标", "时效指标", "发放及时率", "每月10日前", 15),
    ("效益指标", "社会效益指标", "困难群众生活改善", TARGET, 10),
    ("效益指标", "社会效益指标", "社会稳定", "有效", 5),
    ("效益指标", "可持续影响指标", "长效机制", "建立", 5),
    ("效益指标", "可持续影响指标", "制度完善", "持续", 5),
    ("效益指标", "可持续影响指标", "政策知晓", "提高", 5),
    ("满意度指标", "服务对象满意度指标", "受助群众满意度", "≥90%", 10),
    ("满意度指标", "服务对象满意度指标", "社会公众满意度", TARGET, 10),
]
# The 临湘 layout: one-line rows, 二级 labels of two lines in their narrow column spanning
# two one-line rows (cut between their lines by a break after their first row).
NARROW = [("产出指标", "数量指标", f"{stem}片区", "98", 4) for stem in "甲乙丙丁戊己庚辛壬癸"] + [
    ("产出指标", "质量指标", "亮灯率", "98", 5),
    ("产出指标", "质量指标", "完好率", "95", 5),
    ("效益指标", "社会效益指标", "夜间出行", "90", 5),
    ("效益指标", "社会效益指标", "治安改善", "90", 5),
    ("效益指标", "可持续影响指标", "设施寿命", "90", 5),
    ("效益指标", "可持续影响指标", "节能降耗", "30", 10),
    ("满意度指标", "服务对象满意度指标", "市民", "90", 15),
    ("满意度指标", "服务对象满意度指标", "商户", "85", 10),
]
SHIFTS = 16


def _workbooks(
    project: Project, folder: Path, shifts: tuple[float, float], page: bool
) -> list[Path]:
    """The form's workbook, the row of its 年度总体目标 made `base` points taller, then `step`
    points more each time (`shifts` is (base, step); SHIFTS workbooks); with `page`, a page
    header and footer and margins of an inch."""
    base, step = shifts
    files = []
    for shift in range(SHIFTS):
        book = openpyxl.load_workbook(io.BytesIO(form_workbook(project)))
        sheet = book.active
        (goal,) = [r for r in sheet.merged_cells.ranges if r.start_cell.value == "年度总体目标"]
        row = sheet.row_dimensions[goal.max_row]
        row.height = (row.height or 15) + base + shift * step
        if page:
            sheet.oddHeader.center.text = "&A"
            sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
            sheet.page_margins.top = sheet.page_margins.bottom = 1.0
        path = folder / f"{folder.name}-{shift}.xlsx"
        book.save(path)
        files.append(path)
    return files


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Project, list[Path]]]:
    """Kind -> (the form, the PDFs LibreOffice made of its workbooks): one soffice run."""
    made = {
        "central": (
            form_with_indicators("chengxiang-yanglao-tiaodai", CENTRAL),
            (0.0, 17.0),
            False,
        ),
        "page": (form_with_indicators("chengxiang-yanglao-tiaodai", CENTRAL), (0.0, 23.0), True),
        "narrow": (form_with_indicators("chengqu-zhaoming-weihu", NARROW), (480.0, 12.0), False),
    }
    books = []
    for kind, (project, shifts, page) in made.items():
        books += _workbooks(project, tmp_path_factory.mktemp(kind), shifts, page)
    out = soffice_pdf(books, tmp_path_factory.mktemp("pdf"))
    return {
        kind: (made[kind][0], out[i * SHIFTS : (i + 1) * SHIFTS]) for i, kind in enumerate(made)
    }


def _continued(pdf: Path) -> set[int]:
    """The grid columns (2: 一级, 3: 二级) of the merged cells the page break cut, as the
    pages show them: blank in the first row atop page 2 beside a filled 三级指标 cell."""
    tables = [t for t in read_pages(pdf, 2, 2) if t.origin.table is not None]
    if not tables:
        return set()
    first = tables[0].rows[0]
    filled = {cell.place.column for cell in first if cell.text}
    if 4 not in filled:
        return set()
    return {column for column in (2, 3) if column not in filled}


def _cut_labels(pdf: Path) -> list[str]:
    """The cells the page break cut between their lines, as joined: a cell at the foot of
    page 1 with text of its own that the join made longer (its lines atop page 2 put to it)."""
    raw = read_pages(pdf)
    before = {cell.place: cell.text for table in raw for row in table.rows for cell in row}
    return [
        cell.text
        for table in joined(pdf, [raw]).tables
        for row in table.rows
        for cell in row
        if cell.place.page == 1 and before.get(cell.place) and cell.text != before[cell.place]
    ]


def _read_back(project: Project, pdf: Path) -> tuple[dict, list]:
    """The differences of `pdf` imported from `project`, and its review items."""
    with tempfile.TemporaryDirectory() as folder:
        report = imported([pdf], Path(folder) / "content", region=project.region)
        assert not report.failures, report.failures
        (outcome,) = report.forms
        assert outcome.path is not None
        return differences(project_of(outcome.path), project), list(outcome.review)


@pytest.mark.parametrize("kind", ["central", "page", "narrow"])
def test_a_workbook_broken_across_pages_reads_back_whole(kind, pdfs) -> None:
    """Wherever Calc's page break falls, inside a merged 一级 or 二级 cell or between rows,
    the form reads back as it went out, or the cell the reader could not tell is named
    (`page-break-cell`, on the page after the break); never a different form unsaid."""
    project, files = pdfs[kind]
    cut: set[int] = set()
    labels: list[str] = []
    for pdf in files:
        found, review = _read_back(project, pdf)
        named = [item for item in review if item.code == "page-break-cell"]
        assert found == {} or named, (pdf.name, found, [i.message_zh for i in review])
        assert all(item.place.page == 2 for item in named), pdf.name
        cut |= _continued(pdf)
        labels += _cut_labels(pdf) if found == {} else []
    assert cut == {2, 3}, (kind, cut)  # the breaks fell inside merged 一级 and 二级 cells
    assert labels, kind  # and between the lines of a label
