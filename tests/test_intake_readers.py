"""The workbook reader and the choice of reader: real workbooks written with openpyxl and
passed through LibreOffice (which computes and stores the formulas' values, as a spreadsheet
program does), read back into cells with their places; files no reader takes, or that are
damaged or locked, give one located error line."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from builder.intake.grid import Table
from builder.intake.readers import ReadError, read, read_tables
from builder.intake.readers.numfmt import shown


def soffice_convert(source: Path, target: str, outdir: Path) -> Path:
    """`source` converted by LibreOffice to `target` ("xlsx", "docx", "pdf", "xls", or a
    full filter spec such as 'pdf:writer_pdf_Export:{…}'), in `outdir`: the converted file.

    Each call has its own LibreOffice profile, so that calls running at once do not clash."""
    profile = Path("/tmp") / f"lo-test-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert converted.is_file(), f"LibreOffice did not write {converted}"
    return converted


def cells_by_address(table: Table) -> dict[str, tuple[str, int, int]]:
    """Every cell of a sheet's Table by its address: (text, span, rows)."""
    return {c.place.describe(): (c.text, c.span, c.rows) for row in table.rows for c in row}


def _form_sheet(book: openpyxl.Workbook) -> None:
    """Two small forms on one sheet: merges, number formats, formulas, a hidden row."""
    sheet = book.active
    sheet.title = "自评表"
    sheet["A1"] = "项目支出绩效目标自评表"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "项目名称"
    sheet["B2"] = "机关事业单位养老保险缺口资金补助"
    sheet.merge_cells("B2:F2")
    sheet.append(["资金", "年初预算数", "全年预算数(A)", "全年执行数(B)", "执行率", "分值"])
    sheet.append(["年度资金总额", 950500, 950500.0, 950500, "=D4/C4", 10.0])
    sheet["B4"].number_format = "General"
    sheet["C4"].number_format = "0.00"
    sheet["D4"].number_format = "#,##0.00"
    sheet["E4"].number_format = "0.00%"
    sheet.append(["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "得分"])
    sheet.append(["产出指标", "数量指标", "缴费人数", "≤11476人", 10, 10])
    sheet.append([None, "质量指标", "待遇发放", "足额发放", 10, "9.5"])
    sheet.merge_cells("A6:A7")
    sheet.append(["总分", None, None, None, "=SUM(E6:E7)", 19.5])
    sheet.merge_cells("A8:D8")
    sheet.append(["填报日期", None, None, None, None, None])
    sheet["B9"] = sheet["B9"].value  # keep the row short; the date goes below
    sheet["C9"] = "=DATE(2023,12,25)"
    sheet["C9"].number_format = "yyyy年m月d日"
    sheet["F9"] = '=IF(B9="","",B9)'  # a formula whose value is an empty string
    sheet.row_dimensions[7].hidden = True
    sheet["A11"] = "项目支出绩效目标自评表"  # a second form on the same sheet
    sheet["A12"] = "项目名称"
    sheet["B12"] = "  城乡居民养老保险调待资金  "
    sheet["E12"] = "=1/0"
    for column in "ABCDEF":
        sheet.column_dimensions[column].width = 16
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # one page wide when printed
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The form workbook as openpyxl wrote it ("written": formulas without values) and as
    LibreOffice saved it ("saved": with the formulas' values), and its PDF ("pdf")."""
    folder = tmp_path_factory.mktemp("workbooks")
    book = openpyxl.Workbook()
    _form_sheet(book)
    lists = book.create_sheet("下拉选项")
    lists["A1"] = "≥"
    lists.sheet_state = "hidden"
    written = folder / "自评表.xlsx"
    book.save(written)
    saved = soffice_convert(written, "xlsx", folder / "saved")
    pdf = soffice_convert(saved, "pdf", folder / "pdf")
    return {"written": written, "saved": saved, "pdf": pdf}


def test_a_sheet_is_one_table_of_its_cells_with_their_addresses(workbooks):
    reading = read(workbooks["saved"])
    assert [t.origin.sheet for t in reading.tables] == ["自评表"]  # the hidden sheet is skipped
    cells = cells_by_address(reading.tables[0])
    assert cells["自评表!A1"] == ("项目支出绩效目标自评表", 6, 1)
    assert cells["自评表!A2"] == ("项目名称", 1, 1)
    assert cells["自评表!B2"] == ("机关事业单位养老保险缺口资金补助", 5, 1)
    assert "自评表!C2" not in cells  # covered by the merge, given once
    assert cells["自评表!A6"] == ("产出指标", 1, 2)
    assert cells["自评表!A8"] == ("总分", 4, 1)
    # Both forms stay in the sheet's one table, in the sheet's rows.
    row_12 = reading.tables[0].rows[11]
    assert [c.text for c in row_12][:2] == ["项目名称", "城乡居民养老保险调待资金"]
    assert row_12[0].place.row == 12


def test_numbers_read_as_the_sheet_shows_them(workbooks):
    cells = cells_by_address(read_tables(workbooks["saved"])[0])
    assert cells["自评表!B4"][0] == "950500"  # General
    assert cells["自评表!C4"][0] == "950500.00"  # 0.00
    assert cells["自评表!D4"][0] == "950,500.00"  # #,##0.00
    assert cells["自评表!F4"][0] == "10"  # 10.0 under General
    assert cells["自评表!F7"][0] == "9.5"  # text stays text


def test_formulas_give_their_saved_values(workbooks):
    cells = cells_by_address(read_tables(workbooks["saved"])[0])
    assert cells["自评表!E4"][0] == "100.00%"  # =D4/C4 under 0.00%
    assert cells["自评表!E8"][0] == "20"  # =SUM(E6:E7)
    assert cells["自评表!C9"][0] == "2023-12-25"  # a date, whatever its format


def test_a_formula_without_a_value_or_with_an_error_is_blank_and_named(workbooks):
    written = read(workbooks["written"])
    cells = cells_by_address(written.tables[0])
    assert cells["自评表!E4"][0] == "" and cells["自评表!E8"][0] == ""
    unreadable = {i.place.describe(): i for i in written.issues if i.code == "unreadable-cell"}
    assert set(unreadable) == {"自评表!E4", "自评表!E8", "自评表!C9", "自评表!F9", "自评表!E12"}
    assert "=D4/C4" in unreadable["自评表!E4"].message_zh
    saved = read(workbooks["saved"])
    errors = [i for i in saved.issues if i.code == "unreadable-cell"]
    # =1/0 saved as #DIV/0!; F9's saved value is an empty string: blank, nothing to say.
    assert [i.place.describe() for i in errors] == ["自评表!E12"]
    assert "#DIV/0!" in errors[0].message_zh
    assert cells_by_address(saved.tables[0])["自评表!E12"][0] == ""


def test_a_hidden_row_is_read_and_named(workbooks):
    reading = read(workbooks["saved"])
    assert cells_by_address(reading.tables[0])["自评表!C7"][0] == "待遇发放"
    hidden = [i for i in reading.issues if i.code == "hidden-row"]
    assert [i.place.row for i in hidden] == [7]


@pytest.mark.parametrize(
    ("value", "code", "text"),
    [
        (950500.0, "0.00", "950500.00"),
        (950500, "#,##0.00", "950,500.00"),
        (1, "0.00%", "100.00%"),
        (0.201, "0.0%", "20.1%"),
        (10.0, "General", "10"),
        (0.1 + 0.2, "General", "0.3"),
        (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
        (-1234.5, "#,##0.00", "-1,234.50"),
        (0, '#,##0.00;-#,##0.00;"-"', "-"),
        (5, '0"分"', "5分"),
        (1234.5, "[$¥-804]#,##0.00", "¥1,234.50"),
        (2.675, "0.00", "2.68"),
        (1.5, "0.0#", "1.5"),
        (12345678, "#,##0,", "12,346"),
        (0.00001, "General", "0.00001"),
        (3, "@", "3"),
        ("  文字 ", "0.00", "  文字 "),
    ],
)
def test_number_formats(value, code, text):
    assert shown(value, code) == text


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("表.xls", ".xlsx"),
        ("表.et", ".xlsx"),
        ("表.ods", ".xlsx"),
        ("报告.doc", ".docx"),
        ("报告.wps", ".docx"),
    ],
)
def test_formats_no_reader_takes_say_what_to_save_as(tmp_path, name, saved_as):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ReadError) as raised:
        read(path)
    line = raised.value.describe()
    assert line.startswith(f"{name}: 错误[unsupported-format]: ")
    assert f"另存为 {saved_as}" in line
    assert raised.value.describe("en").startswith(f"{name}: error[unsupported-format]: ")


def test_a_real_xls_named_xlsx_and_a_damaged_workbook(tmp_path, workbooks):
    xls = soffice_convert(workbooks["saved"], "xls", tmp_path)
    renamed = xls.rename(tmp_path / "改名.xlsx")
    with pytest.raises(ReadError) as raised:
        read(renamed)
    assert raised.value.code == "unsupported-format" and "另存为 .xlsx" in raised.value.hint_zh
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(workbooks["saved"].read_bytes()[:2000])
    with pytest.raises(ReadError) as raised:
        read(broken)
    assert raised.value.describe().startswith("损坏.xlsx: 错误[damaged]: ")
    missing = tmp_path / "没有.xlsx"
    with pytest.raises(ReadError) as raised:
        read(missing)
    assert raised.value.code == "unreadable-file"


def test_the_pdf_of_a_sheet_without_rulings_reads_as_text_rows(workbooks):
    """LibreOffice prints a sheet without its grid lines: the PDF reader falls back to the
    text's positions, one row per printed line, a cell per piece."""
    tables = read_tables(workbooks["pdf"])
    rows = [[c.text for c in row] for table in tables for row in table.rows]
    assert ["项目名称", "机关事业单位养老保险缺口资金补助"] in rows
    assert ["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "得分"] in rows
    assert ["产出指标", "数量指标", "缴费人数", "≤11476人", "10", "10"] in rows
    first = tables[0].rows[0][0]
    assert (first.place.page, first.place.line, first.place.column) == (1, 1, 1)


def _patched_sheet(source: Path, target: Path, edit) -> Path:
    """`source` with its first sheet's XML passed through `edit` (bytes -> bytes)."""
    import zipfile

    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as out:
        for item in package.infolist():
            data = package.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            out.writestr(item, data)
    return target


def test_what_a_sheet_part_says_beyond_its_values(tmp_path):
    """Read as a spreadsheet shows the sheet, whatever wrote the part: a `<dimension>` that
    understates the sheet (row 9 is read), values left in the cells a merged range covers
    (not shown: blank; a formula without a saved value there is still named, an error value
    there is not), hidden rows and hidden runs of columns (each column named)."""
    import re

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A5"], sheet["B5"], sheet["C6"], sheet["D6"], sheet["A9"] = "顶", "盖住", "=A1", 1, 7
    sheet["AB2"] = "远"
    sheet.column_dimensions["B"].hidden = True
    sheet.column_dimensions.group("D", "F", hidden=True)
    sheet.column_dimensions["AA"].hidden = True
    book.save(tmp_path / "plain.xlsx")

    def edit(data: bytes) -> bytes:
        merge = b'<mergeCells count="1"><mergeCell ref="A5:D6"/></mergeCells>'
        data = data.replace(b"</sheetData>", b"</sheetData>" + merge)
        data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
        data = re.sub(rb'<c r="D6"[^>]*>.*?</c>', b'<c r="D6" t="e"><v>#DIV/0!</v></c>', data)
        return data.replace(b'<row r="9"', b'<row r="9" hidden="1"')

    reading = read(_patched_sheet(tmp_path / "plain.xlsx", tmp_path / "改过.xlsx", edit))
    (table,) = reading.tables
    cells = cells_by_address(table)
    assert cells["Sheet!A5"] == ("顶", 4, 2) and "Sheet!B5" not in cells
    assert "Sheet!D6" not in cells and cells["Sheet!A9"] == ("7", 1, 1)
    assert cells["Sheet!AB2"] == ("远", 1, 1)
    found = {(i.code, i.place.row, i.place.column) for i in reading.issues}
    columns = {("hidden-column", 1, c) for c in (2, 4, 5, 6, 27)}
    assert found == {("unreadable-cell", 6, 3), ("hidden-row", 9, 1)} | columns
