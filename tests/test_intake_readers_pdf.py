"""The PDF reader on jixiao's own PDFs of the bundled site (the session-built example site):
the form's table as printed, cell by cell with its page, table, row and column, across page
breaks, and the text around it; then PDFs that cannot be read (a scan, a password, damage)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from builder.intake.grid import Cell, Table
from builder.intake.readers import ReadError, read, read_tables

from .test_intake_readers import soffice_convert

ROOT = Path(__file__).resolve().parent.parent
FORMS = sorted((ROOT / "content" / "2023" / "lps-sbj").glob("*.yaml"))
HEADER = ("三级指标", "年度指标值(A)", "实际完成值(B)", "分值", "得分")


def printed(value: Any) -> str:
    """A figure of the project file as the form prints it (10 → "10", 2.5 → "2.5")."""
    return format(value, "g") if isinstance(value, float) else str(value)


def form_pdf(site: Path, project: dict[str, Any]) -> Path:
    return site / str(project["year"]) / "lps-sbj" / project["id"] / f"{project['id']}.pdf"


def form_tables(tables: list[Table]) -> list[Table]:
    """The ruled tables of the form itself (not the annex after it): up to the 总分 row."""
    found = []
    for table in (t for t in tables if t.origin.table is not None):
        found.append(table)
        if any(cell.text == "总分" for row in table.rows for cell in row):
            return found
    raise AssertionError("no 总分 row")


def indicator_rows(tables: list[Table]) -> list[tuple[tuple[str, ...], Cell]]:
    """The (三级指标, 指标值, 完成值, 分值, 得分) texts of each indicator row, with its
    三级指标 cell: the columns are those of each table's own header row."""
    found = []
    for table in tables:
        columns: dict[str, int] = {}
        for row in table.rows:
            by_column = {cell.place.column: cell for cell in row}
            if all(any(c.text == title for c in row) for title in HEADER):
                columns = {c.text: c.place.column for c in row}
                continue
            if columns and columns["三级指标"] in by_column and "总分" not in {c.text for c in row}:
                values = tuple(by_column[columns[title]].text for title in HEADER)
                found.append((values, by_column[columns["三级指标"]]))
    return found


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_a_jixiao_pdf_gives_the_form_as_printed(example_site, path):
    project = yaml.safe_load(path.read_text(encoding="utf-8"))
    tables = read_tables(form_pdf(example_site, project))
    form = form_tables(tables)
    first = form[0].rows[0]
    assert [c.text for c in first[:2]] == ["项目名称", project["name"]]
    place = first[0].place
    assert (place.page, place.table, place.row, place.column) == (1, 1, 1, 1)
    expected = [
        (i["name"], i["target"], i["actual"], printed(i["weight"]), printed(i["score"]))
        for i in project["indicators"]
    ]
    assert [values for values, _ in indicator_rows(form)] == expected
    total = next(row for row in form[-1].rows if row[0].text == "总分")
    assert [c.text for c in total[1:3]] == ["100", printed(project["declared"]["total"])]
    above = [c.text for t in tables[: tables.index(form[0])] for row in t.rows for c in row]
    assert f"单位(盖章):{project['unit']}" in above
    assert f"填报日期:{project['filled_on']:%Y/%m/%d}" in above
    below = [c.text for t in tables[tables.index(form[-1]) + 1 :] for row in t.rows for c in row]
    assert f"联系人:{project['contact']}" in below


def test_a_form_over_two_pages_is_two_tables_in_page_order(example_site):
    project = yaml.safe_load(
        (ROOT / "content/2023/lps-sbj/chengxiang-yanglao-tiaodai.yaml").read_text("utf-8")
    )
    form = form_tables(read_tables(form_pdf(example_site, project)))
    assert [(t.origin.page, t.origin.table) for t in form] == [(1, 1), (2, 1)]
    rows = indicator_rows(form)
    assert [cell.place.page for _, cell in rows] == [1] * 9 + [2] * 3
    # The cells that run into the page break are kept: 绩效指标 and 效益指标 down to it.
    column_one = [row[0] for row in form[0].rows if row[0].place.column == 1]
    assert ("绩效指标", 10) in [(c.text, c.rows) for c in column_one]
    benefit = next(c for row in form[0].rows for c in row if c.text.startswith("效益指标"))
    assert benefit.rows == 2
    # The page-2 table repeats the header row; its 一级指标 cell is blank there.
    assert [c.text for c in form[1].rows[1][:2]] == ["", "生态效益指标"]
    # A long text cell: the printed lines joined, no space put between Chinese characters;
    # the items of its loose list apart as typed (the PDF prints the gap between them).
    goals = next(row for row in form[0].rows if row[0].text == "年度总体目标")
    planned = form[0].rows[form[0].rows.index(goals) + 1][0].text
    assert planned == project["goals"]["planned"].strip()


def test_a_booklet_gives_every_form_in_order(example_site):
    booklet = example_site / "2023" / "lps-sbj" / "lps-sbj-2023.pdf"
    tables = read_tables(booklet)
    names = [row[1].text for t in tables for row in t.rows if row and row[0].text == "项目名称"]
    assert sorted(names) == sorted(
        yaml.safe_load(p.read_text(encoding="utf-8"))["name"] for p in FORMS
    )
    pages = [t.origin.page for t in tables]
    assert pages == sorted(pages)


def test_a_scanned_pdf_has_no_text_layer(example_site, tmp_path):
    project = yaml.safe_load(FORMS[0].read_text(encoding="utf-8"))
    image = tmp_path / "扫描件.pdf"
    Image.new("L", (595, 842), 255).save(image)
    with pytest.raises(ReadError) as raised:
        read(image)
    assert raised.value.code == "no-text-layer"
    assert raised.value.describe("en").endswith(
        "no text layer: a scanned PDF needs OCR first "
        "(run OCR on it first, or import the original "
        "workbook or document)"
    )
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(form_pdf(example_site, project).read_bytes()[:1500])
    with pytest.raises(ReadError) as raised:
        read(broken)
    assert raised.value.describe().startswith("坏.pdf: 错误[damaged]: ")


def test_a_password_protected_pdf(tmp_path):
    source = tmp_path / "加密.txt"
    source.write_text("项目支出绩效目标自评表\n", encoding="utf-8")
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"mima"}}'
    )
    locked = soffice_convert(source, options, tmp_path)
    with pytest.raises(ReadError) as raised:
        read(locked)
    assert raised.value.describe().startswith("加密.pdf: 错误[encrypted]: 文件设有打开密码")
