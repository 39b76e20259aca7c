"""A form as a workbook in the official layout (builder/workbook): the printed grid, written
with openpyxl and read back with openpyxl."""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from builder.form.model import Project
from builder.rules.check import check_content
from builder.workbook.figures import shown
from builder.workbook.form import form_grid
from builder.workbook.forms import form_workbook
from builder.workbook.grid import Grid

from .conftest import minimal_project
from .extras_forms import REMARKS, every_extra, partial_form

ROOT = Path(__file__).resolve().parent.parent
SITES = (ROOT / "content", ROOT / "docs" / "examples" / "families")


def project_of(data: dict[str, Any]) -> Project:
    """The model of a project file's data, read as `form.load` reads a file."""
    return Project.model_validate(data, by_alias=True, by_name=False)


def sheet_of(project: Project) -> Any:
    return openpyxl.load_workbook(io.BytesIO(form_workbook(project)))["自评表"]


def shown_text(cell: Any) -> str:
    """The text a spreadsheet shows for a cell: a number by its format, text as it is."""
    if cell.value is None:
        return ""
    if isinstance(cell.value, str):
        return cell.value
    return shown(Decimal(str(cell.value)), cell.number_format)


def example_projects() -> list[Project]:
    projects = []
    for content in SITES:
        result = check_content(content)
        projects += [checked.project for checked in result.projects if checked.project]
    return projects


@pytest.mark.parametrize("project", example_projects(), ids=lambda p: p.id)
def test_every_example_form_reads_back_cell_for_cell(project: Project) -> None:
    grid = form_grid(project)
    sheet = sheet_of(project)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    for cell in grid.cells:
        target = sheet.cell(row=cell.row + 1, column=cell.column + 1)
        assert shown_text(target) == cell.text, (cell, target.value, target.number_format)
        assert target.data_type != "f"
        if cell.rows > 1 or cell.columns > 1:
            last = sheet.cell(row=cell.last_row + 1, column=cell.last_column + 1).coordinate
            assert f"{target.coordinate}:{last}" in merged
    assert len(merged) == sum(1 for c in grid.cells if c.rows > 1 or c.columns > 1)
    # nothing outside the grid, and no two cells of the grid in one place
    places = [(c.row, c.column) for c in grid.cells]
    assert len(places) == len(set(places))
    assert sheet.max_column == grid.columns


def texts(grid: Grid) -> list[str]:
    return [text for row in grid.row_texts() for text in row]


def test_amounts_are_numbers_that_show_the_printed_digits() -> None:
    data = minimal_project(
        funding={
            "amount_unit": "万元",
            "rows": [
                {"name": "年度资金总额", "total": True, "initial": "500,000.00",
                 "budget": Decimal("950500.00"), "executed": "1234567890.123456"},
                {"name": "其中:财政拨款", "budget": "—", "executed": 420},
            ],
        }
    )  # fmt: skip
    sheet = sheet_of(project_of(data))
    cells = {shown_text(c): c for row in sheet.iter_rows() for c in row if c.value is not None}
    grouped = cells["500,000.00"]
    assert grouped.value == 500000 and grouped.number_format == "#,##0.00"
    assert cells["950500.00"].number_format == "0.00"  # 950500.00 as printed, not 950500.0
    assert cells["420"].value == 420 and cells["420"].number_format == "0"
    # 16 significant digits: more than a spreadsheet number holds exactly, so text
    assert cells["1234567890.123456"].data_type == "s"
    assert cells["—"].data_type == "s"
    assert "项目资金(万元)" in cells


def test_the_form_prints_its_own_figures_not_the_policys() -> None:
    """No 分值 of the execution row, no 一级指标 分值 and no 总分 分值 on a form that prints
    none: the PDF fills them in from the policy, a workbook read back must not."""
    grid = form_grid(project_of(minimal_project()))
    found = texts(grid)
    assert "产出指标" in found and not any("(50分)" in text for text in found)
    total = next(row for row in grid.row_texts() if row and row[0] == "总分")
    assert total[1] == ""  # 分值 of 总分


def test_every_extra_is_printed() -> None:
    project = project_of(every_extra())
    found = "\n".join(texts(form_grid(project)))
    for expected in (
        "项目编码", "51000021R000000012345", "单位编码", "511001",
        "项目负责人:王五 电话:028-86000001", "联系人:钱七 电话:13800000000", "填报人:孙八",
        "√部门预算项目", "指标性质", "度量单位", "★", "其中", "存在问题", "改进措施",
        "其他需要说明事项", "财政审核评分", REMARKS.splitlines()[1],
    ):  # fmt: skip
        assert expected in found, expected
    partial = "\n".join(texts(form_grid(project_of(partial_form()))))
    assert "本表原件不完整(缺:" in partial


def test_sub_rows_sit_under_their_row_with_the_levels_merged_over_both() -> None:
    project = project_of(every_extra())
    grid = form_grid(project)
    core = next(i for i in project.indicators if i.core and i.subrows)
    name = next(c for c in grid.cells if c.text == "★" + core.name)
    sub = next(c for c in grid.cells if c.text == core.subrows[0].name)
    assert sub.row == name.row + 1 and sub.column == name.column
    level2 = next(c for c in grid.cells if c.column == 2 and c.row <= name.row <= c.last_row)
    assert level2.last_row >= sub.row


HOSTILE = ('=HYPERLINK("http://example.com","x")', "+1+1", "-2", "@SUM(A1:A2)", "=1+1")


def test_formula_like_text_stays_text() -> None:
    data = minimal_project(name=HOSTILE[0], contact=HOSTILE[3])
    data["indicators"][0].update(target=HOSTILE[1], actual=HOSTILE[2], reason=HOSTILE[4])
    sheet = sheet_of(project_of(data))
    found = {}
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                found[cell.value] = cell
    for text in (*HOSTILE[:3], HOSTILE[4]):
        assert found[text].data_type == "s" and found[text].quotePrefix, text
    assert "联系人:@SUM(A1:A2)" in found  # a label before it: not formula-like


def test_same_form_same_bytes_and_dated_by_the_form() -> None:
    project = project_of(minimal_project())
    assert form_workbook(project) == form_workbook(project_of(minimal_project()))
    book = openpyxl.load_workbook(io.BytesIO(form_workbook(project)))
    assert book.properties.created.date().isoformat() == "2023-12-25"
    assert book.properties.modified == book.properties.created
    other = project_of(minimal_project(filled_on="2024-01-02"))
    assert form_workbook(other) != form_workbook(project)


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are part of the set-up (README)",
)
def test_libreoffice_prints_a_filled_form_with_its_figures(tmp_path: Path) -> None:
    """A form's workbook as LibreOffice prints it: one page wide, every column, the amounts
    with their printed digits."""
    project = next(p for p in example_projects() if p.id == "chengxiang-yanglao-65-zengfa")
    path = tmp_path / "form.xlsx"
    path.write_bytes(form_workbook(project))
    profile = f"/tmp/lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "form.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    first = text.split("\f")[0]
    assert project.name in first and "未完成原因分析" in first
    printed = {
        m.printed
        for row in project.funding.rows
        for m in (row.initial, row.budget, row.executed)
        if m
    }
    assert printed and all(amount in first for amount in printed)
