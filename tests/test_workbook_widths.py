"""The shortcuts a form's workbook is written with give what the plain definitions give: text
widths (`xlsx.text_width`, `KNOWN_WIDE`), a sheet's columns and head spans worked out once
(`layout.Sheet`), and the cells a merge covers outside the ruled table left unwritten while
those inside keep their border."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import openpyxl
import pytest

from builder.layouts import LAYOUTS
from builder.workbook import layout
from builder.workbook.form import form_grid
from builder.workbook.forms import form_workbook
from builder.workbook.xlsx import KNOWN_WIDE, text_lines, text_width

from .test_workbook import example_projects


def plain_width(text: str) -> int:
    """The definition: two digits for a wide (W, F) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_every_character_the_pattern_calls_wide_is_wide() -> None:
    ranges = KNOWN_WIDE.pattern.strip("[]")
    pairs = [(ranges[i], ranges[i + 2]) for i in range(0, len(ranges), 3)]
    assert len(pairs) == 5
    for first, last in pairs:
        for code in range(ord(first), ord(last) + 1):
            assert unicodedata.east_asian_width(chr(code)) in "WF", hex(code)
            assert KNOWN_WIDE.fullmatch(chr(code)), hex(code)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ascii 123 =1+2",
        "项目支出绩效目标自评表",
        "单位(盖章):安顺市人力资源和社会保障局",
        "≥95%,“好”、《规划》…—",
        "ｈｅｌｌｏ！、。〈〉",
        "한국어 かな カナ ㈱ ⅰⅱ 😀 é ё ẞ",
        "\u3000全角空格\u3000\t制表",
        "𠀀𪜀 extension B",
    ],
)
def test_text_width_is_the_east_asian_width_definition(text: str) -> None:
    assert text_width(text) == plain_width(text)
    lines = text + "\n" + text[::-1] + "\n"
    assert text_lines(lines, 12) == sum(
        max(1, -(-plain_width(line) // 10.5)) for line in lines.split("\n")
    )


def test_every_character_of_the_example_forms_is_measured_as_defined() -> None:
    texts = {cell.text for project in example_projects() for cell in form_grid(project).cells}
    assert len(texts) > 100
    for text in texts:
        assert text_width(text) == plain_width(text), text


@pytest.mark.parametrize("family", sorted(LAYOUTS))
def test_a_sheets_remembered_columns_and_spans_are_its_own(family: str) -> None:
    sheet = layout.blank_sheet(family)
    keys = (*(key for key, _ in layout.LEAD), *(c.key for c in sheet.indicators))
    assert sheet.columns == keys
    assert sheet.widths == tuple(layout.WIDTHS[key] for key in keys)
    spans = sheet.head()
    assert [sheet.span(i) for i in range(len(spans))] == list(spans)
    assert sheet.span(-1) == spans[-1]
    # the head covers every sheet column once, left to right
    assert [c for start, count in spans for c in range(start, start + count)] == list(
        range(len(keys))
    )
    other = layout.Sheet(sheet.layout, sheet.indicators[:1], sheet.funding[:1])
    assert other.columns == keys[:5] and other.head() != spans


def test_covered_cells_outside_the_table_are_not_written_inside_they_are_boxed() -> None:
    for project in example_projects()[:6]:
        grid = form_grid(project)
        first, last = grid.table_rows
        book = openpyxl.load_workbook(io.BytesIO(form_workbook(project)))
        sheet: Any = book["自评表"]
        merges = {(m.min_row - 1, m.min_col - 1) for m in sheet.merged_cells.ranges}
        for cell in grid.cells:
            if cell.rows == 1 and cell.columns == 1:
                continue
            assert (cell.row, cell.column) in merges
            covered = sheet.cell(cell.row + 1, cell.column + cell.columns)  # right-hand edge
            if first <= cell.row <= last:
                assert covered.border.right.style == "thin", (project.id, covered.coordinate)
            else:
                assert covered.border.right.style is None, (project.id, covered.coordinate)
        # a covered cell outside the table is in no row's XML: nothing written, not even blank
        xml = _sheet_xml(project)
        title = next(c for c in grid.cells if c.row == 0)
        assert title.columns > 1
        assert 'r="B1"' not in xml and 'r="A1"' in xml


def _sheet_xml(project: Any) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(form_workbook(project))) as package:
        return package.read("xl/worksheets/sheet1.xml").decode()
