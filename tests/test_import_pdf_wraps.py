"""Text a renderer wrapped inside a cell reads back as typed (`readers/pdftext.py`), on forms
of our own beside the round trips of `test_import_roundtrip.py`:

- LibreOffice converting a workbook and a Word report of a form whose texts put a space after
  each ASCII comma between Chinese clauses, write 元/座, and whose figures are
  too long for their column: every wrap falls somewhere else in each of the shifted copies,
  and every copy comes back as it went out (a wrap at 「, 」 keeps its space, a figure broken
  at the cell's side is one figure again);
- jixiao's own PDF of a form with a loose Markdown list (a blank line between items) and a
  tight one: the loose list prints the gap between its items and reads back with it, the
  tight one without.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from builder.build import BuildOptions, build
from builder.form.model import Project
from builder.intake.outcome import WRITTEN
from builder.workbook.form import form_grid
from builder.workbook.forms import form_workbook

from .roundtrip import ROOT, differences, imported, project_of, report_docx, soffice_pdf

BASE = ROOT / "content" / "2023" / "lps-sbj" / "teshu-qunti-yanglao-baoxianfei.yaml"
CLAUSES = (
    "按《关于做好资金拨付工作的通知》要求, 资金每季度拨付一次, 拨付比例为2:8, "
    "补助标准为3.5万元/座, 结余资金按规定收回。"
)
SHIFTS = range(6)


def _shifted(shift: int) -> Project:
    """The seed form with texts of the kind, each `shift` characters further along its lines,
    and figures longer than their columns; its first four indicator rows."""
    project = project_of(BASE)
    pad = "各级" * shift
    goals = project.goals.model_copy(update={"planned": pad + CLAUSES, "achieved": CLAUSES + pad})
    # Four rows: the Word report's table stays on its first page (a row LibreOffice splits at
    # a page break is another kind, `test_import_roundtrip.GAPS`).
    indicators = list(project.indicators)[:4]
    for index in (0, 1):
        indicators[index] = indicators[index].model_copy(
            update={"reason": pad[: index + shift] + CLAUSES}
        )
    indicators[3] = indicators[3].model_copy(
        update={"target": f"≤{1234567 + shift}.89元", "actual": f"≤{1234567 + shift}.89元"}
    )
    weights = project.weights.model_copy(update={"levels": {"产出指标": Decimal(50)}})
    return project.model_copy(update={"goals": goals, "indicators": indicators, "weights": weights})


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> list[tuple[Project, Path]]:
    """Each shifted form and LibreOffice's PDF of its workbook and of its Word report."""
    folder = tmp_path_factory.mktemp("wraps")
    forms, files = [], []
    for shift in SHIFTS:
        form = _shifted(shift)
        workbook = folder / f"form{shift}-xlsx.xlsx"
        workbook.write_bytes(form_workbook(form))
        report = report_docx(form_grid(form), folder / f"form{shift}-docx.docx")
        forms += [form, form]
        files += [workbook, report]
    return list(zip(forms, soffice_pdf(files, folder / "pdf"), strict=True))


def _line_ends(pdf: Path) -> list[tuple[str, bool, str]]:
    """Where the text of `pdf` goes on to a new line, in the order drawn: the last character
    before it, whether a space was printed after that, and the first character after it."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            last, spaced = None, False
            for char in page.chars:
                if char["text"].isspace():
                    spaced = last is not None
                    continue
                if (
                    last is not None
                    and char["top"] > last["bottom"] - 1
                    and char["x0"] < last["x0"]
                ):
                    found.append((last["text"], spaced, char["text"]))
                last, spaced = char, False
    return found


def test_the_shifted_forms_wrap_where_the_reader_must_decide(converted) -> None:
    """The inputs do what they are for: some wrap falls at 「, 」 (LibreOffice printing the
    space at the line's end) and some figure is broken at its cell's side."""
    ends = [end for _, pdf in converted for end in _line_ends(pdf)]
    assert any(last == "," and spaced for last, spaced, _ in ends)
    assert any(last in "0123456789." and first.isdigit() for last, _, first in ends)


@pytest.mark.parametrize("index", range(2 * len(SHIFTS)))
def test_a_wrapped_cell_of_libreoffice_reads_back_as_typed(index, converted, tmp_path) -> None:
    form, pdf = converted[index]
    report = imported([pdf], tmp_path / "content", region=form.region)
    assert not report.failures, report.failures
    (outcome,) = report.forms
    assert outcome.status == WRITTEN and outcome.path is not None
    assert differences(project_of(outcome.path), form) == {}


LOOSE = "1. 根据《通知》精神, 提高城乡养老保险参保群众待遇, 保证提标资金发放到位。\n\n" * 2
TIGHT = "1. 按季度拨付资金, 全年拨付四次。\n2. 年末收回结余资金, 按规定上缴国库。\n"


def test_jixiao_pdf_prints_a_loose_list_apart_and_both_lists_read_back(tmp_path) -> None:
    """A loose list's items print with the gap of paragraphs (the reader reads `\\n\\n`
    from it), a tight list's without (`\\n`)."""
    content = tmp_path / "content"
    folder = content / "2023" / "lps-sbj"
    folder.mkdir(parents=True)
    (content / "site.yaml").write_bytes((ROOT / "content" / "site.yaml").read_bytes())
    text = BASE.read_text(encoding="utf-8")
    planned = LOOSE[: len(LOOSE) // 2] + LOOSE[len(LOOSE) // 2 :].replace("1. ", "2. ", 1)
    start, end = text.index("goals:"), text.index("weights:")
    goals = "goals:\n  planned: |\n" + _indented(planned) + "  achieved: |\n" + _indented(TIGHT)
    form = folder / BASE.name
    form.write_text(text[:start] + goals + "\n" + text[end:], encoding="utf-8")
    site = tmp_path / "site"
    build(BuildOptions(content=content, site=site, cache=tmp_path / "cache", search=False))
    pdf = site / "2023" / "lps-sbj" / BASE.stem / f"{BASE.stem}.pdf"
    report = imported([pdf], tmp_path / "back")
    (outcome,) = report.forms
    assert outcome.path is not None
    got, want = project_of(outcome.path).goals, project_of(form).goals
    assert "\n\n2. " in want.planned and "\n2. " in want.achieved
    assert (got.planned, got.achieved) == (want.planned, want.achieved)


def _indented(text: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())
