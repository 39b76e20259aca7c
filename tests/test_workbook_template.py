"""`jixiao template --xlsx`: the blank official form for staff, its lists, its check of the
分值, its 填表说明, read with openpyxl and laid out by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from builder.cli import main

ROOT = Path(__file__).resolve().parent.parent
FAMILIES_SITE = ROOT / "docs" / "examples" / "families"


def template(tmp_path: Path, *args: str, content: Path = FAMILIES_SITE) -> Path:
    out = tmp_path / f"t-{uuid.uuid4().hex[:8]}.xlsx"
    assert main(["template", "--xlsx", "-o", str(out), "--content", str(content), *args]) == 0
    return out


def validations(sheet: object) -> dict[str, tuple[str | None, str | None]]:
    """sqref -> (type, formula1) of each data validation."""
    return {
        str(check.sqref): (check.type, check.formula1)
        for check in sheet.data_validations.dataValidation  # type: ignore[attr-defined]
    }


def test_writes_once_refuses_to_overwrite_unless_forced(tmp_path: Path, capsys) -> None:
    out = template(tmp_path, "--year", "2023")
    first = out.read_bytes()
    out.write_bytes(b"edited")
    assert main(["template", "--xlsx", "-o", str(out), "--content", str(FAMILIES_SITE)]) == 1
    assert "文件已存在" in capsys.readouterr().err and out.read_bytes() == b"edited"
    args = ["template", "--xlsx", "-o", str(out), "--year", "2023", "--force"]
    assert main([*args, "--content", str(FAMILIES_SITE)]) == 0
    assert out.read_bytes() == first  # the same arguments, the same bytes


def test_central_form_lists_checks_and_weights_formula(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template(tmp_path, "--year", "2023"))
    assert book.sheetnames == ["自评表", "填表说明"]
    sheet = book["自评表"]
    words = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"项目名称", "主管部门及代码", "实施单位", "年度总体目标", "绩效指标", "总分"} <= words
    assert {"年度资金总额:", "其中:本级安排:", "指标1:", "产出指标\n(50分)", "数量指标"} <= words
    assert "(2023年度)" in words
    checks = validations(sheet)
    lists = {formula for kind, formula in checks.values() if kind == "list"}
    assert '"项目资金(元),项目资金(万元)"' in lists
    assert '"优,良,中,差"' in lists  # the grades of the families site's default policy
    assert any(kind == "decimal" for kind, _ in checks.values())
    assert any(kind == "date" for kind, _ in checks.values())
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert len(formulas) == 1 and "SUM(" in formulas[0].value and "=100" in formulas[0].value
    assert sheet.merged_cells.ranges


def test_split_columns_get_operator_and_unit_lists(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(template(tmp_path, "--template", "sichuan"))["自评表"]
    header = next([c.value for c in row] for row in sheet.iter_rows() if row[1].value == "一级指标")
    # 四川's own words and order (builder/layouts.py), as its PDF prints them
    assert header[4:11] == [
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    ]
    lists = [formula for kind, formula in validations(sheet).values() if kind == "list"]
    assert any("≥,≤,=" in f and "定量,定性" in f for f in lists)
    assert any('"%,个,人' in f for f in lists)


def test_the_policy_of_the_year_and_family_is_the_one_stated(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template(tmp_path, "--template", "hubei-2020", "--year", "2020"))
    rules = {row[0].value: row[1].value for row in book["填表说明"].iter_rows()}
    assert rules["评分规则"].startswith("湖北2020")
    assert rules["预算执行率分值"].startswith("20 分")
    sheet = book["自评表"]
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]  # no 分值
    assert "产出指标" in {c.value for row in sheet.iter_rows() for c in row}
    yinchuan = openpyxl.load_workbook(template(tmp_path, "--template", "yinchuan"))
    rules = {row[0].value: row[1].value for row in yinchuan["填表说明"].iter_rows()}
    assert rules["评分规则"].startswith("银川") and "项目决策分值" in rules


def test_without_site_yaml_the_national_rules(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template(tmp_path, content=tmp_path / "none"))
    rules = {row[0].value: row[1].value for row in book["填表说明"].iter_rows()}
    assert rules["评分规则"] == "默认规则" and rules["满分"] == "100 分"


needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are part of the set-up (README)",
)


def office(source: Path, to: str, out: Path) -> Path:
    """`source` converted by LibreOffice (`to`: pdf, xlsx) into `out`, in its own profile."""
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", to, "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return out / (source.stem + "." + to)


@needs_office
def test_libreoffice_adds_up_the_weights(tmp_path: Path) -> None:
    path = template(tmp_path, "--year", "2023", content=ROOT / "content")
    book = openpyxl.load_workbook(path)
    sheet = book["自评表"]
    formula = next(c for row in sheet.iter_rows() for c in row if c.data_type == "f")
    weights = [
        row[6]
        for row in sheet.iter_rows(min_row=formula.row - 20, max_row=formula.row - 1)
        if isinstance(row[3].value, str) and row[3].value.startswith("指标")
    ]
    for cell, points in zip(weights, (50, 30, 10), strict=False):
        cell.value = points
    book.save(tmp_path / "filled.xlsx")
    again = openpyxl.load_workbook(
        office(tmp_path / "filled.xlsx", "xlsx", tmp_path / "lo"), data_only=True
    )
    assert again["自评表"][formula.coordinate].value == "分值合计正确(100分)"
    weights[0].value = 45
    book.save(tmp_path / "short.xlsx")
    again = openpyxl.load_workbook(
        office(tmp_path / "short.xlsx", "xlsx", tmp_path / "lo"), data_only=True
    )
    assert again["自评表"][formula.coordinate].value == "分值合计应为100分,现为95分"


@needs_office
def test_libreoffice_prints_the_template_on_one_page_width(tmp_path: Path) -> None:
    path = template(tmp_path, "--template", "sichuan", "--year", "2023")
    pdf = office(path, "pdf", tmp_path / "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert "项目支出绩效目标自评表" in pages[0] and "(2023年度)" in pages[0]
    assert "指标性质" in pages[0] and "未完成原因分析" in pages[0]  # every column on the page
    assert "分值合计" not in pages[0] and "填写分值后" not in text  # outside the printed area
    assert any("填表说明" in page or "评分规则" in page for page in pages[1:])


@needs_office
def test_the_weights_check_carries_the_value_libreoffice_computes(tmp_path: Path) -> None:
    """The formula's saved value (what a viewer that does not recalculate shows, and what
    `jixiao import` reads) is the one LibreOffice computes from the blank form's figures
    (LibreOffice keeps a saved value: it computes the copy openpyxl saves without one)."""
    for family in ("central", "sichuan"):
        path = template(tmp_path, "--template", family, "--year", "2023")
        book = openpyxl.load_workbook(path)
        sheet = book["自评表"]
        formula = next(c for row in sheet.iter_rows() for c in row if c.data_type == "f")
        saved = openpyxl.load_workbook(path, data_only=True)["自评表"][formula.coordinate].value
        book.save(tmp_path / f"{family}-unsaved.xlsx")
        converted = office(tmp_path / f"{family}-unsaved.xlsx", "xlsx", tmp_path / f"lo-{family}")
        computed = openpyxl.load_workbook(converted, data_only=True)["自评表"]
        computed = computed[formula.coordinate].value
        assert isinstance(saved, str) and saved.startswith("分值合计")
        assert saved == computed, family
