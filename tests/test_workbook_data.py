"""The workbooks of a build: each form's .xlsx beside its PDF, linked from its page, and the
open data's workbook of a year (项目, 指标, 核查结果, 字段说明)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from builder.build import BuildOptions, build
from builder.opendata.columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS
from builder.opendata.encoding import csv_text, looks_like_formula, neutralise_formula

from .conftest import minimal_project, write_project

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_NAME = '=HYPERLINK("http://example.com","点击")'


def site_build(content: Path, work: Path, jobs: int = 1) -> object:
    return build(
        BuildOptions(
            content=content, site=work / "site", cache=work / "cache", jobs=jobs,
            search=False, pdf=False,
        )
    )  # fmt: skip


@pytest.fixture
def built(tiny_content: Path, tmp_path: Path) -> Path:
    write_project(tiny_content)
    data = minimal_project(id="weixian-wenben", name=HOSTILE_NAME)
    data["indicators"][0]["reason"] = "-1 未完成"
    data["declared"] = {"total": 95}  # disagrees with the rules: a finding to list
    write_project(tiny_content, data, name="weixian-wenben.yaml")
    site_build(tiny_content, tmp_path)
    return tmp_path / "site"


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def as_csv(cell: object, column_type: str) -> str:
    """A workbook cell as the CSV writes the same value."""
    value = cell.value  # type: ignore[attr-defined]
    if value is None:
        return ""
    if isinstance(value, bool):
        return csv_text(value)
    if isinstance(value, str):
        return neutralise_formula(value)
    return re.sub(r"\.0$", "", repr(value)) if column_type != "string" else str(value)


def test_year_workbook_has_the_tables_of_the_csv_files(built: Path) -> None:
    book = openpyxl.load_workbook(built / "data" / "2023" / "jixiao-2023.xlsx")
    assert book.sheetnames == ["项目", "指标", "核查结果", "字段说明"]
    for sheet, columns, name in (
        ("项目", PROJECT_COLUMNS, "projects.csv"),
        ("指标", INDICATOR_COLUMNS, "indicators.csv"),
    ):
        rows = list(book[sheet].iter_rows())
        assert [c.value for c in rows[0]] == [column.title for column in columns]
        expected = csv_rows(built / "data" / "2023" / name)[1:]
        got = [
            [as_csv(c, col.type) for c, col in zip(row, columns, strict=True)] for row in rows[1:]
        ]
        assert got == expected
        for row in rows[1:]:
            for cell in row:
                assert cell.data_type != "f"
    findings = list(book["核查结果"].iter_rows(values_only=True))
    assert list(findings[0]) == [column.title for column in FINDING_COLUMNS]
    assert any(row[1] == "weixian-wenben" and row[2] == "警告" for row in findings[1:])
    assert all(row[8] for row in findings[1:])  # each said in Chinese


def test_formula_like_text_stays_text_in_the_year_workbook(built: Path) -> None:
    book = openpyxl.load_workbook(built / "data" / "2023" / "jixiao-2023.xlsx")
    for sheet, text in (("项目", HOSTILE_NAME), ("指标", "-1 未完成")):
        cells = {c.value: c for row in book[sheet].iter_rows() for c in row}
        assert looks_like_formula(text)
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text


def test_columns_sheet_explains_every_column(built: Path) -> None:
    sheet = openpyxl.load_workbook(built / "data" / "2023" / "jixiao-2023.xlsx")["字段说明"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("工作表", "列标题", "字段名", "类型", "说明")
    declared = [
        (name, column.title, column.name)
        for name, columns in (
            ("项目", PROJECT_COLUMNS),
            ("指标", INDICATOR_COLUMNS),
            ("核查结果", FINDING_COLUMNS),
        )
        for column in columns
    ]
    assert [row[:3] for row in rows[1:]] == declared
    assert all(
        row[4].startswith(col.description)
        for row, col in zip(
            rows[1:], (*PROJECT_COLUMNS, *INDICATOR_COLUMNS, *FINDING_COLUMNS), strict=True
        )
    )


def test_each_page_links_its_form_workbook(built: Path) -> None:
    page = (built / "2023" / "ceshi" / "ceshi-xiangmu" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]+)" download>自评表 Excel</a>', page)
    assert link is not None and link.group(1) == "ceshi-xiangmu.xlsx"
    book = openpyxl.load_workbook(built / "2023" / "ceshi" / "ceshi-xiangmu" / link.group(1))
    assert book.sheetnames == ["自评表"]
    data_page = (built / "data" / "index.html").read_text(encoding="utf-8")
    assert (
        "data/2023/jixiao-2023.xlsx" in data_page.replace("../", "")
        or "2023/jixiao-2023.xlsx" in data_page
    )


def test_an_edit_rewrites_only_its_workbooks(tiny_content: Path, tmp_path: Path) -> None:
    write_project(tiny_content)
    write_project(tiny_content, minimal_project(id="di-er-ge"), name="di-er-ge.yaml")
    site_build(tiny_content, tmp_path)
    site = tmp_path / "site"
    kept = site / "2023" / "ceshi" / "di-er-ge" / "di-er-ge.xlsx"
    edited = site / "2023" / "ceshi" / "ceshi-xiangmu" / "ceshi-xiangmu.xlsx"
    year = site / "data" / "2023" / "jixiao-2023.xlsx"
    before = {p: (p.stat().st_ino, p.read_bytes()) for p in (kept, edited, year)}
    again = site_build(tiny_content, tmp_path)
    assert again.unchanged or all(p.read_bytes() == before[p][1] for p in before)  # type: ignore[attr-defined]
    write_project(tiny_content, minimal_project(contact="新联系人"))
    report = site_build(tiny_content, tmp_path)
    assert report.incremental and report.workbooks == 1  # type: ignore[attr-defined]
    assert kept.stat().st_ino == before[kept][0]  # linked, not written again
    assert edited.read_bytes() != before[edited][1]
    assert year.read_bytes() == before[year][1]  # the contact is not in the tables


def test_many_forms_are_made_by_worker_processes_the_same(
    tiny_content: Path, tmp_path: Path
) -> None:
    from builder.workbook.forms import POOL_FROM

    for index in range(POOL_FROM):
        data = minimal_project(id=f"xiangmu-{index:03d}", name=f"项目{index}")
        write_project(tiny_content, data, name=f"xiangmu-{index:03d}.yaml")
    site_build(tiny_content, tmp_path / "one", jobs=1)
    report = site_build(tiny_content, tmp_path / "two", jobs=2)
    assert report.workbooks == POOL_FROM  # type: ignore[attr-defined]
    one = sorted((tmp_path / "one" / "site").rglob("*.xlsx"))
    two = sorted((tmp_path / "two" / "site").rglob("*.xlsx"))
    assert len(one) == POOL_FROM + 1
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a
    shutil.rmtree(tmp_path / "one")


def test_many_forms_kept_on_disk_are_made_by_worker_processes_the_same(
    tiny_content: Path, tmp_path: Path
) -> None:
    """Forms spilled to disk reach the workers as their batches' places (read back there), in
    the same pool as forms in memory: the same workbooks as one process making them all."""
    from builder.workbook.forms import POOL_FROM

    for index in range(POOL_FROM + 3):
        data = minimal_project(id=f"xiangmu-{index:03d}", name=f"项目{index}")
        unit = "danwei-a" if index % 2 else "danwei-b"
        write_project(tiny_content, data, name=f"xiangmu-{index:03d}.yaml", unit=unit)
    trees = {}
    for jobs, spill_from in ((1, 10**9), (2, 0)):
        work = tmp_path / f"{jobs}-{spill_from}"
        report = build(
            BuildOptions(
                content=tiny_content, site=work / "site", cache=work / "cache", jobs=jobs,
                search=False, pdf=False, spill_from=spill_from,
            )
        )  # fmt: skip
        assert report.workbooks == POOL_FROM + 3  # type: ignore[attr-defined]
        site = work / "site"
        trees[jobs] = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.xlsx")}
    assert len(trees[1]) == POOL_FROM + 4  # the forms' and the bundled form's
    assert trees[1] == trees[2]
