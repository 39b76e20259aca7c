"""The form workbook written as SpreadsheetML (builder/workbook/formxml.py) against XlsxWriter's
(`xlsx.write_grid` into a `Book`, the writer it replaces, kept as the reference): the same
bytes for the bundled forms, the family examples, 200 synthetic forms (bench/corpus.py) and
grids of hostile texts; the same workbook as openpyxl and LibreOffice read it; the zip writer
against `zipfile`; the cache key."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import shutil
import subprocess
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bench.corpus import generate
from builder.form.load import load_project
from builder.workbook import formxml
from builder.workbook.cache import made_of
from builder.workbook.figures import shown
from builder.workbook.form import form_grid
from builder.workbook.forms import SHEET, _properties
from builder.workbook.grid import Grid, GridBuilder, GridCell, Role
from builder.workbook.packed import Entry, zipped
from builder.workbook.xlsx import Book, write_grid

from .test_workbook import example_projects

Properties = tuple[str, str, dt.date | None]
PROPERTIES: Properties = ("表 & <标题>", "单位", dt.date(2023, 12, 30))
RICH = "<r><t>较好</t></r>"  # XlsxWriter writes this as rich-string markup: the text "较好"


def reference(properties: Properties, grid: Grid) -> bytes:
    """XlsxWriter's workbook of `grid`: the writer the site used before formxml."""
    book = Book(*properties)
    write_grid(book, book.sheet(SHEET), grid)
    return book.bytes()


def _border(side: Any) -> tuple[Any, ...]:
    return (side.style, side.color.rgb if side.color is not None else None)


def seen(data: bytes) -> dict[str, Any]:
    """Everything openpyxl reads of a form workbook that a reader or a printer sees: each
    cell's value, type and look, merged ranges, row heights, column widths, print set-up,
    grid lines, sheet names and document properties."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[SHEET]
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            border = c.border
            cells[c.coordinate] = (
                c.value,
                c.data_type,
                (c.font.name, c.font.sz, c.font.b),
                (c.alignment.horizontal, c.alignment.vertical, c.alignment.wrap_text),
                tuple(_border(s) for s in (border.left, border.right, border.top, border.bottom)),
                c.number_format,
                c.quotePrefix,
            )
    setup, margins = ws.page_setup, ws.page_margins
    return {
        "sheets": book.sheetnames,
        "cells": cells,
        "merged": sorted(str(merged) for merged in ws.merged_cells.ranges),
        "heights": {n: d.height for n, d in ws.row_dimensions.items()},
        "widths": {n: (d.min, d.max, d.width) for n, d in ws.column_dimensions.items()},
        "dimension": ws.dimensions,
        "print_area": ws.print_area,
        "setup": (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight),
        "fit": ws.sheet_properties.pageSetUpPr.fitToPage,
        "margins": (margins.left, margins.right, margins.top, margins.bottom),
        "centred": ws.print_options.horizontalCentered,
        "grid_lines": ws.sheet_view.showGridLines,
        "document": (
            book.properties.title,
            book.properties.creator,
            book.properties.lastModifiedBy,
            book.properties.created,
            book.properties.modified,
        ),
    }


def hostile_grid(texts: list[str], columns: int = 4) -> Grid:
    """A grid of every look a form uses: a title, lines around a ruled table, labels, values,
    prose and figures with each number format, merges inside and outside the table, more than
    16 rows (row spans come in blocks of 16), a row only a merge covers, and `texts`, one
    value cell each."""
    b = GridBuilder((*(8.0 + 3 * i for i in range(columns - 1)), 8.0 + 3 * (columns - 2)))
    b.put(0, "项目支出绩效目标自评表", Role.title, columns=columns, bold=True)
    b.next_row()
    b.put(0, "单位:" + texts[0], Role.line, columns=2, left=True)
    b.put(2, "", Role.line, columns=columns - 2, rows=2, left=True)  # covers the next row
    b.next_row()
    b.next_row()
    for index, text in enumerate(texts):
        b.mark_table()
        role = (Role.label, Role.value, Role.prose, Role.line)[index % 4]
        b.put(0, f"标签{index % 3}", Role.label, bold=index % 2 == 0)
        b.put(1, text, role, columns=columns - 1 if index % 3 else 1, left=index % 2 == 1)
        if index % 3 == 0:
            b.put(2, "", Role.figure, columns=columns - 2)
        b.next_row()
    formats = ["0", "0.0", "0.00", "#,##0", "#,##0.00", "0." + "0" * 15, "#,##0.000"]
    for index, fmt in enumerate(formats):
        b.mark_table()
        number = Decimal(123456) / Decimal(10) ** len(fmt.partition(".")[2])
        b.put(0, shown(number, fmt), Role.figure, number=number, number_format=fmt)
        b.put(1, "—", Role.figure, bold=True)
        whole = Decimal(-5) if index % 2 else Decimal("1E+3")
        b.put(2, shown(whole, "0"), Role.figure, number=whole, number_format="0", columns=2, rows=2)
        b.next_row()
        b.mark_table()
        b.put(0, "", Role.value)
        b.put(1, "", Role.value)
        b.next_row()
    b.put(0, "注:" + texts[-1], Role.prose, columns=columns, left=True, lines=3)
    return b.grid()


HOSTILE = [
    "控制\x01字符\x1f与\x0b",
    "_x0041_ 与 _x005F_x0041_",
    "  前后空格  ",
    "\t制表开头",
    "=1+1",
    "+86 123",
    "-5",
    "@SUM(A1)",
    "<b>标记</b> & 'quotes' \"double\"",
    "表情 😀 与扩展B 𠀀𠀁",
    "换行\n第二行\r\n第三行",
    "长" * 33_000,
    "😀" * 20_000,  # 40,000 UTF-16 units: cut at 32,767
    "重复",
    "重复",
    "\ufffe\uffff",
    "",
    "普通的中文文本,全角标点。",
]


def test_bundled_and_example_forms_are_xlsxwriters_bytes() -> None:
    """The site's own forms and each family's example: byte for byte XlsxWriter's workbook."""
    projects = example_projects()
    assert len(projects) >= 7
    for project in projects:
        grid, properties = form_grid(project), _properties(project)
        assert formxml.form_book(SHEET, properties, grid) == reference(properties, grid), project.id


def test_synthetic_forms_are_xlsxwriters_bytes(tmp_path: Path) -> None:
    """200 forms of the benchmarks' corpus (each family, every kind of figure it makes)."""
    corpus = generate(tmp_path / "content", projects=200, seed=7)
    projects = [load_project(path).project for path in corpus.files[:200]]
    assert len(projects) == 200 and all(projects)
    for project in projects:
        assert project is not None
        grid, properties = form_grid(project), _properties(project)
        assert formxml.form_book(SHEET, properties, grid) == reference(properties, grid), project.id


@pytest.mark.parametrize("properties", [PROPERTIES, ("", "", None), ("t", "a&b<c>", None)])
def test_hostile_texts_are_xlsxwriters_bytes(properties: Properties) -> None:
    """Control characters, literal escapes, spaces, formula-like text, markup, texts longer
    than a cell holds, characters beyond the BMP, empty cells: the same bytes, so the same
    workbook to every reader (checked through openpyxl too)."""
    grid = hostile_grid(HOSTILE)
    made = formxml.form_book(SHEET, properties, grid)
    assert made == reference(properties, grid)
    read = seen(made)
    assert read == seen(reference(properties, grid))
    values = {value for value, *_ in read["cells"].values()}
    assert "=1+1" in values and "长" * 32_767 in values and "😀" * 16_383 in values
    quoted = [cell for cell in read["cells"].values() if cell[0] == "=1+1"]
    assert quoted[0][1] == "s" and quoted[0][-1] is True


def test_text_shaped_like_rich_string_markup_stays_text() -> None:
    """XlsxWriter writes `<r>…</r>` text as rich-string markup (a reader sees 较好, or a broken
    part); the form's workbook keeps the text. Everything else as XlsxWriter writes it."""
    texts = ["前", RICH, "后"]
    made = seen(formxml.form_book(SHEET, PROPERTIES, hostile_grid(texts)))
    want = seen(reference(PROPERTIES, hostile_grid(texts)))
    rich = [name for name, cell in want["cells"].items() if cell[0] == "较好"]
    assert len(rich) == 1
    assert made["cells"][rich[0]][0] == RICH
    made["cells"][rich[0]] = want["cells"][rich[0]]
    assert made == want
    bare = seen(formxml.form_book(SHEET, PROPERTIES, hostile_grid(["<r>x</r>", "y"])))
    assert "<r>x</r>" in {value for value, *_ in bare["cells"].values()}


def test_the_same_grid_gives_the_same_bytes() -> None:
    """The bytes depend on the grid and properties only, not on what the process made
    before (the template and the styles are made once per process)."""
    grid = hostile_grid(HOSTILE[:5])
    first = formxml.form_book(SHEET, PROPERTIES, grid)
    formxml.form_book(SHEET, PROPERTIES, hostile_grid(HOSTILE[5:]))
    formxml._styles.cache_clear()
    formxml._template.cache_clear()
    assert formxml.form_book(SHEET, PROPERTIES, grid) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(
    "cells",
    [
        (GridCell(0, 0, "一"),),
        (GridCell(0, 0, "一", columns=2),),
        (GridCell(0, 1, "右"),),
        (GridCell(0, 1, "右"), GridCell(1, 0, "", rows=2)),
        (GridCell(0, 0, "题", Role.title, columns=3), GridCell(20, 2, "远")),
    ],
)
def test_small_and_sparse_grids_are_xlsxwriters_bytes(cells: tuple[GridCell, ...]) -> None:
    """One cell (a print area and a dimension of one cell), a first column left empty, rows
    with no cell, unruled: XlsxWriter's bytes."""
    grid = Grid(cells, (8.0, 9.5, 9.5)[: max(c.last_column for c in cells) + 1], (0, -1))
    assert formxml.form_book(SHEET, PROPERTIES, grid) == reference(PROPERTIES, grid)


def test_a_grid_without_text_is_written_too() -> None:
    """No string at all (no shared strings part): XlsxWriter's workbook, read back."""
    grid = Grid(
        (GridCell(0, 0, "7", Role.figure, number=Decimal(7), number_format="0"),), (8.0,), (0, 0)
    )
    made = formxml.form_book(SHEET, PROPERTIES, grid)
    assert made == reference(PROPERTIES, grid)
    assert seen(made)["cells"]["A1"][0] == 7


def test_zipped_is_zipfiles_bytes() -> None:
    """The zip writer gives the bytes `zipfile` writes for the same entries."""
    rng = random.Random(3)
    parts = [
        ("[Content_Types].xml", b"<Types/>" * 40),
        ("empty.xml", b""),
        ("xl/random.bin", bytes(rng.randrange(256) for _ in range(5000))),
        ("xl/text.xml", "中文".encode() * 3000),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as book:
        for name, data in parts:
            entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(entry, data)
    made = zipped([Entry.of(name, data) for name, data in parts])
    assert made == out.getvalue()
    with zipfile.ZipFile(io.BytesIO(made)) as package:
        assert package.testzip() is None
        assert [(i.filename, package.read(i)) for i in package.infolist()] == parts
    with pytest.raises(ValueError):
        Entry.of("名字.xml", b"")


def test_the_key_tells_every_shown_difference() -> None:
    """Each field a workbook shows changes the cache key; an equal grid keeps it."""
    grid = hostile_grid(HOSTILE[:4])
    key = made_of(PROPERTIES, grid)
    assert made_of(PROPERTIES, hostile_grid(HOSTILE[:4])) == key
    cell = grid.cells[5]
    changes = [
        dict(text=cell.text + "x"),
        dict(role=Role.prose if cell.role is not Role.prose else Role.value),
        dict(left=not cell.left),
        dict(bold=not cell.bold),
        dict(lines=cell.lines + 1),
        dict(columns=cell.columns + 1),
        dict(number=Decimal(1), number_format="0"),
    ]
    for change in changes:
        changed = GridCell(**{**cell.__dict__, **change})
        other = Grid((*grid.cells[:5], changed, *grid.cells[6:]), grid.widths, grid.table_rows)
        assert made_of(PROPERTIES, other) != key, change
    wider = Grid(grid.cells, (*grid.widths[:-1], 20.0), grid.table_rows)
    assert made_of(PROPERTIES, wider) != key
    for properties in [("x", *PROPERTIES[1:]), (PROPERTIES[0], "y", PROPERTIES[2])]:
        assert made_of(properties, grid) != key  # type: ignore[arg-type]
    assert made_of((*PROPERTIES[:2], None), grid) != key


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is part of the set-up")
def test_libreoffice_reads_the_same_texts(tmp_path: Path) -> None:
    """LibreOffice opens a form workbook with hostile texts and reads each text (formula-like
    text as text, markup as text, cut text cut) and each figure as the form printed it."""
    texts = [t for t in HOSTILE if "\x01" not in t and "\ufffe" not in t and t] + [RICH]
    grid = hostile_grid(texts)
    path = tmp_path / "form.xlsx"
    path.write_bytes(formxml.form_book(SHEET, PROPERTIES, grid))
    profile = f"/tmp/lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
             str(tmp_path), str(path)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    with open(tmp_path / "form.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    checked = 0
    for cell in grid.cells:
        if cell.text.startswith("😀😀"):  # checked below
            continue
        got = rows[cell.row][cell.column]
        want = cell.text[:32_767]
        assert got.replace("\r\n", "\n") == want.replace("\r\n", "\n"), (cell.row, cell.column)
        checked += 1
    assert checked == len(grid.cells) - 1
    emoji = next(c for c in grid.cells if c.text.startswith("😀"))
    assert rows[emoji.row][emoji.column] == "😀" * 16_383
