"""An edit's open data costs what changed: `data/jixiao.db` is made again by SQLite from the
published file's rows and the changed projects' (`opendata.sqlite.update_sqlite`) and the year
workbook joined from every project's kept sheet XML (`opendata.sheetxml`); either is the same
bytes as a full build of the same content makes."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from builder.build import BuildOptions, build
from builder.config import SiteConfig
from builder.opendata import export, sqlite
from builder.opendata.columns import PROJECT_COLUMNS
from builder.opendata.sheetxml import cell_xml, rows_xml
from builder.opendata.splice import copied_runs, splice
from builder.opendata.workbook import SHEETS, _Writer, template, year_workbook
from builder.workbook.xlsx import Book

from .conftest import minimal_project, project_yaml, write_project
from .opendata_compare import workbook_contents

DB = Path("data/jixiao.db")
BOOK = Path("data/2023/jixiao-2023.xlsx")
# Control characters never reach the tables from a form (the check refuses them,
# error[invisible-character]); the writer's own test below has them.
HOSTILE = "=1+1 <&> _x0041_"


def _build(content: Path, work: Path, incremental: bool = True) -> object:
    return build(
        BuildOptions(
            content=content, site=work / "site", cache=work / "cache", jobs=1,
            search=False, pdf=False, incremental=incremental,
        )
    )  # fmt: skip


def _later(content: Path, name: str) -> None:
    """A project of 2024 named `name`."""
    data = minimal_project(id="nian", year=2024, name=name, filled_on="2024-12-25")
    (content / "2024" / "b-dw").mkdir(parents=True, exist_ok=True)
    (content / "2024" / "b-dw" / "nian.yaml").write_text(project_yaml(data), encoding="utf-8")


def _rowids(site: Path) -> dict[str, int]:
    with sqlite3.connect(site / DB) as db:
        return dict(db.execute('SELECT "id", rowid FROM "projects" ORDER BY rowid').fetchall())


def test_an_edit_updates_the_published_database_to_a_full_builds_bytes(
    tiny_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit one form, remove one, add one (in a unit that sorts first) and break one (held
    back): the database and the year workbook an incremental build publishes are the bytes of
    a full build's of the same content, and the database was updated from the published one
    (`update_sqlite`), its rows in the full build's order (year, unit folder, id)."""
    for name, unit in (("bian", "b-dw"), ("shan", "b-dw"), ("liu", "c-dw"), ("huai", "c-dw")):
        write_project(tiny_content, minimal_project(id=name), f"{name}.yaml", unit)
    _later(tiny_content, "第一版")
    _build(tiny_content, tmp_path / "inc")
    assert list(_rowids(tmp_path / "inc" / "site")) == ["bian", "shan", "huai", "liu", "nian"]
    _later(tiny_content, "第二版")  # changes in two years: each year's tables spliced alone
    write_project(tiny_content, minimal_project(id="bian", contact="新联系人"), "bian.yaml", "b-dw")
    (tiny_content / "2023" / "b-dw" / "shan.yaml").unlink()
    write_project(tiny_content, minimal_project(id="xin", name=HOSTILE), "xin.yaml", "a-dw")
    write_project(tiny_content, "id: [broken\n", "huai.yaml", "c-dw")
    spliced: dict[str, bool] = {}

    def watched(made: Path, published: Path, *rest: object) -> bool:
        done: bool = splice(made, published, *rest)  # type: ignore[arg-type]
        spliced[published.as_posix().rsplit("/data/", 1)[1]] = done
        return done

    updated: list[tuple[str, bool]] = []

    def update(made: Path, published: Path, *rest: object) -> bool:
        done: bool = sqlite.update_sqlite(made, published, *rest)  # type: ignore[arg-type]
        updated.append((published.name, done))
        return done

    monkeypatch.setattr(export, "splice", watched)  # the real ones, their calls recorded
    monkeypatch.setattr(export, "update_sqlite", update)
    report = _build(tiny_content, tmp_path / "inc")
    assert report.incremental  # type: ignore[attr-defined]
    assert all(spliced.values()), spliced
    assert {"2023/projects.csv", "2024/projects.csv", "projects.json"} <= set(spliced)
    site, full = tmp_path / "inc" / "site", tmp_path / "full" / "site"
    shutil.copytree(tiny_content, tmp_path / "same")
    _build(tmp_path / "same", tmp_path / "full", incremental=False)
    assert updated == [(DB.name, True)]  # copied from the published rows, not made whole
    tables = sorted(p.relative_to(full) for p in (full / "data").rglob("*.*"))
    assert tables == sorted(p.relative_to(site) for p in (site / "data").rglob("*.*"))
    assert DB in tables and BOOK in tables
    for table in tables:  # spliced or updated where published: the same bytes
        assert (site / table).read_bytes() == (full / table).read_bytes(), table
    assert list(_rowids(site)) == ["xin", "bian", "liu", "nian"]  # (year, unit folder, id)


def test_hostile_text_stays_text_in_the_workbook_and_the_database(
    tiny_content: Path, tmp_path: Path
) -> None:
    """A name like a formula, with XML's `<&>` and Excel's own escape shape (`_x0041_`): the
    same string in both, with the quote prefix in the workbook."""
    write_project(tiny_content, minimal_project(name=HOSTILE))
    _build(tiny_content, tmp_path)
    site = tmp_path / "site"
    sheet = openpyxl.load_workbook(site / BOOK)["项目"]
    column = [c.name for c in PROJECT_COLUMNS].index("name")
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.data_type == "s" and cell.quotePrefix
    # Stored as Excel stores it (its escape `_xHHHH_` escaped: `_x005F_`), which Excel and
    # LibreOffice undo and openpyxl does not: as XlsxWriter wrote it.
    assert cell.value == HOSTILE.replace("_x0041_", "_x005F_x0041_")
    with sqlite3.connect(site / DB) as db:
        assert db.execute('SELECT "name" FROM "projects"').fetchall() == [(HOSTILE,)]


def _reference(rows: list[tuple[object, ...]]) -> bytes:
    """The 项目 sheet of `rows` as XlsxWriter writes it cell by cell (the year workbook's
    former writer), the other sheets empty."""
    book = Book("T(2023 年度)", "jixiao", None, constant_memory=True)
    writer = _Writer(book)
    for name, columns, index in SHEETS:
        writer.table(book.sheet(name), columns, rows if index == 0 else [])
    return _with_notes(book)


def _with_notes(book: Book) -> bytes:
    """`book` with the 字段说明 sheet, as the year workbook has it; its bytes."""
    from builder.opendata.workbook import COLUMNS_SHEET, NOTES_WIDTHS, column_rows
    from builder.workbook.xlsx import column_width

    notes = book.sheet(COLUMNS_SHEET)
    for index, width in enumerate(NOTES_WIDTHS):
        column_width(notes, index, index, width)
    writer = _Writer(book)
    writer.heading(notes, ["工作表", "列标题", "字段名", "类型", "说明"])
    for at, row in enumerate(column_rows(), start=1):
        writer.row(notes, at, row)
    return book.bytes()


class _Rows:
    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        self.table = rows

    def xml(self, table: int) -> bytes:
        return rows_xml(self.table) if table == 0 else b""

    def rows(self, table: int) -> int:
        return len(self.table) if table == 0 else 0


def _every_kind() -> list[tuple[object, ...]]:
    """Rows of every kind of value (text plain, formula-like, spaced, with control characters
    and `_xHHHH_`, longer than Excel keeps; whole and fractional numbers, large ones;
    booleans; gaps and trailing gaps), each value in every column."""
    width = len(PROJECT_COLUMNS)
    values: list[object] = [
        "文本", "=SUM(A1)", " 前后空格 ", "a\x02b\tc\nd", "_x0041_ & <b>", "x" * 40000,
        "@x", "-1", "+", Decimal(2023), Decimal("1.25"), Decimal("12345678901234567"),
        Decimal("0.1"), True, False, None, "中",
    ]  # fmt: skip
    rows = [tuple(values[i:] + values[:i])[:width] for i in range(len(values))]
    rows.append(("last", *([None] * (width - 1))))
    rows.append((None, None, "gap", *([None] * (width - 3))))
    return rows


def test_joined_rows_read_as_xlsxwriter_writes_them(tmp_path: Path) -> None:
    """Every kind of value reads back through openpyxl as from XlsxWriter's own writing, and
    the same rows give the same bytes."""
    rows = _every_kind()
    (tmp_path / "a.xlsx").write_bytes(_reference(rows))
    (tmp_path / "b.xlsx").write_bytes(year_workbook(2023, "T", [_Rows(rows)]))
    assert workbook_contents(tmp_path / "a.xlsx") == workbook_contents(tmp_path / "b.xlsx")
    assert year_workbook(2023, "T", [_Rows(rows)]) == (tmp_path / "b.xlsx").read_bytes()
    assert cell_xml(None) == "<c/>" and b"<c/><c/><c" in rows_xml([rows[-1]])
    assert template(2023, "T") == template(2023, "T")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is part of the set-up")
def test_libreoffice_reads_joined_rows_as_xlsxwriter_rows(tmp_path: Path) -> None:
    """LibreOffice opens the joined workbook and reads every sheet (as CSV) as it reads the
    same rows written by XlsxWriter cell by cell."""
    rows = _every_kind()
    (tmp_path / "a.xlsx").write_bytes(_reference(rows))
    (tmp_path / "b.xlsx").write_bytes(year_workbook(2023, "T", [_Rows(rows)]))
    profile = f"/tmp/lo-{uuid.uuid4().hex}"
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", every_sheet, "--outdir", str(tmp_path),
             str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx")],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    for name, _, _ in SHEETS:
        read = (tmp_path / f"b-{name}.csv").read_bytes()
        assert read == (tmp_path / f"a-{name}.csv").read_bytes()
        assert len(read.splitlines()) > 1 or name != "项目"


class _Item:
    def __init__(self, key: str, text: str) -> None:
        self.sort_key = (2023, "u", key)
        self.text = text.encode("utf-8")


def _key(name: str) -> tuple[int, str, str]:
    return (2023, "u", name)


@pytest.mark.parametrize("table", [(b"[", b",", b"]\n"), (b"id,name\n", b"", b"")])
@pytest.mark.parametrize(
    ("changed", "removed", "added"),
    [
        ("c", "f", "h"),  # one of each, apart
        ("a", "", ""),  # the first
        ("", "g", ""),  # the last removed
        ("", "", "0"),  # one before all
        ("bf", "", ""),  # two apart: the run between them copied too
        ("aceg", "", ""),  # every other one
        ("", "bdf", "c1 e1"),  # removed and added, interleaved
        ("abcdefg", "", ""),  # nothing kept
        ("", "abcdefg", "x"),  # all gone, one new
        ("", "", ""),  # nothing changed
    ],
)
def test_a_splice_is_the_table_made_whole(
    tmp_path: Path, table: tuple[bytes, bytes, bytes], changed: str, removed: str, added: str
) -> None:
    """A table spliced from a published one is the table made whole, wherever the changed,
    removed and added projects lie, however many runs of kept projects lie between them."""
    sep = table[1] or b""
    old = [_Item(k, f"{k}-old;" + ("\n" if not sep else "")) for k in "abcdefg"]

    def whole(items: list[_Item]) -> bytes:
        return table[0] + sep.join(i.text for i in items) + table[2]

    kept = [i if i.sort_key[2] not in changed else _Item(i.sort_key[2], "new!\n") for i in old]
    new = [i for i in kept if i.sort_key[2] not in removed]
    new = sorted(new + [_Item(k, f"{k};\n") for k in added.split()], key=lambda i: i.sort_key)
    published = tmp_path / "published"
    published.write_bytes(whole(old))
    gone = {_key(k): len(f"{k}-old;" + ("\n" if not sep else "")) for k in changed + removed}
    keys = {_key(k) for k in [*changed, *removed, *added.split()]}
    made = tmp_path / "made"
    assert splice(made, published, table, new, keys, gone, _text, _length)
    assert made.read_bytes() == whole(new)
    runs = copied_runs(new, keys, gone, _length, len(table[0]), len(sep))
    assert runs is not None
    assert len(runs[0]) <= len(keys) + 1  # a run between each two changes, at most


def _text(item: _Item) -> bytes:
    return item.text


def _length(item: _Item) -> int:
    return len(item.text)


def test_a_splice_refuses_a_published_file_that_lacks_the_kept_runs(tmp_path: Path) -> None:
    """A published file whose kept pieces are not where the lengths put them, or whose length
    is not theirs, or a table in which two projects share a sort key, is refused: then the
    table is made whole."""
    table = (b"[", b",", b"]\n")
    old = [_Item(k, f"{k}-old;") for k in "abcdefg"]
    whole = b"[" + b",".join(i.text for i in old) + b"]\n"
    new = [i if i.sort_key[2] not in "cf" else _Item(i.sort_key[2], "new!") for i in old]
    keys, gone = {_key("c"), _key("f")}, {_key("c"): 6, _key("f"): 6}
    published = tmp_path / "published"
    for damaged in (
        whole.replace(b"b-old", b"B-old"),  # the last piece of the run before c
        whole.replace(b"d-old", b"D-old"),  # the first of the run between c and f
        whole.replace(b"g-old", b"G-old"),  # the last project
        whole.replace(b"e-old;", b"e-old;;"),  # one byte longer
        whole[:-1],  # the tail cut
    ):
        published.write_bytes(damaged)
        assert not splice(tmp_path / "refused", published, table, new, keys, gone, _text, _length)
        assert not (tmp_path / "refused").exists()
    published.write_bytes(whole)
    twice = [*new[:3], _Item("c", "c-again"), *new[3:]]  # a kept one with a changed one's key
    assert copied_runs(twice, {_key("f")}, {_key("f"): 6}, _length, 1, 1) is None


def test_an_edit_in_one_year_leaves_the_other_years_tables_and_counts_as_a_full_build(
    tiny_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each folder's tables are signed by that folder's projects alone (their digests joined
    once a folder and piece): an edit of a 2024 form rewrites the all-years and 2024 tables and
    leaves 2023's as published; the data page counts each year's rows and all of them as a
    full build does."""
    for name, unit in (("bian", "b-dw"), ("liu", "c-dw")):
        write_project(tiny_content, minimal_project(id=name), f"{name}.yaml", unit)
    _later(tiny_content, "第一版")
    _build(tiny_content, tmp_path / "inc")
    site = tmp_path / "inc" / "site"
    before = {p: p.read_bytes() for p in (site / "data" / "2023").iterdir()}
    _later(tiny_content, "第二版")
    spliced: list[str] = []

    def watched(made: Path, published: Path, *rest: object) -> bool:
        spliced.append(published.as_posix().rsplit("/data/", 1)[1])
        return splice(made, published, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "splice", watched)
    assert _build(tiny_content, tmp_path / "inc").incremental  # type: ignore[attr-defined]
    assert {"projects.csv", "2024/projects.csv", "2024/projects.json"} <= set(spliced)
    assert not [path for path in spliced if path.startswith("2023/")]
    assert {p: p.read_bytes() for p in (site / "data" / "2023").iterdir()} == before
    shutil.copytree(tiny_content, tmp_path / "same")
    _build(tmp_path / "same", tmp_path / "full", incremental=False)
    full = tmp_path / "full" / "site"
    for path in ("index.html", "projects.csv", "2024/projects.json", "2023/projects.csv"):
        assert (site / "data" / path).read_bytes() == (full / "data" / path).read_bytes(), path


@pytest.mark.parametrize(
    "tamper",
    [
        # two projects in each other's places
        """UPDATE "projects" SET "id" = 'x' WHERE "id" = 'bian';
           UPDATE "projects" SET "id" = 'bian' WHERE "id" = 'liu';
           UPDATE "projects" SET "id" = 'liu' WHERE "id" = 'x'""",
        # a project's indicator rows no longer side by side: one moved to the end
        """CREATE TEMP TABLE "moved" AS SELECT * FROM "indicators" WHERE rowid = 1;
           DELETE FROM "indicators" WHERE rowid = 1;
           INSERT INTO "indicators" SELECT * FROM temp."moved\"""",
        # rows of a project the file does not list
        """CREATE TEMP TABLE "orphan" AS SELECT * FROM "indicators" LIMIT 1;
           UPDATE temp."orphan" SET "project_id" = 'nobody';
           INSERT INTO "indicators" SELECT * FROM temp."orphan\"""",
        # a row fewer
        """DELETE FROM "indicators" WHERE rowid = 2""",
        "",  # as published: copied
    ],
)
def test_a_published_database_not_in_the_full_builds_order_is_made_whole(
    tiny_content: Path, tmp_path: Path, tamper: str
) -> None:
    """`update_sqlite` copies runs of published rows only where the published file holds them
    as a full build inserts them; any other file is refused, nothing left at the path (then
    `export` makes the database from every project's rows); the next build publishes a full
    build's bytes."""
    # (the shares are read from the file as it was published: the counts it was made of)
    for name, unit in (("bian", "b-dw"), ("shan", "b-dw"), ("liu", "c-dw")):
        write_project(tiny_content, minimal_project(id=name), f"{name}.yaml", unit)
    _build(tiny_content, tmp_path / "inc")
    published = tmp_path / "inc" / "site" / DB
    shares = _shares(published)
    with sqlite3.connect(published) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.executescript(tamper)
    made = tmp_path / "made.db"
    changed = {(2023, "b-dw", "shan")}
    gone = {share.sort_key: share for share in shares if share.sort_key in changed}
    config = SiteConfig.model_validate({"title": "t", "base_url": "https://x.cn/"})
    assert sqlite.update_sqlite(made, published, shares, changed, gone, config, None) == (
        tamper == ""
    )
    assert made.exists() == (tamper == "")
    write_project(tiny_content, minimal_project(id="shan", name="新名称"), "shan.yaml", "b-dw")
    _build(tiny_content, tmp_path / "inc")  # (the altered site is seen: a full build)
    shutil.copytree(tiny_content, tmp_path / "same")
    _build(tmp_path / "same", tmp_path / "full", incremental=False)
    assert published.read_bytes() == (tmp_path / "full" / "site" / DB).read_bytes()


class _Share:
    """A project's rows read back from a database, as `update_sqlite` reads a share."""

    def __init__(self, key: tuple[int, str, str], sheets: tuple[list[object], ...]) -> None:
        self.sort_key, self.sheets = key, sheets

    def rows(self, table: int) -> int:
        return len(self.sheets[table])


def _shares(database: Path) -> list[_Share]:
    with sqlite3.connect(database) as db:
        query = 'SELECT "year", "unit_slug", "id" FROM "projects" ORDER BY rowid'
        keys = [tuple(row) for row in db.execute(query)]
        shares = {(key[0], key[2]): _Share(key, ([], [], [])) for key in keys}  # type: ignore[arg-type]
        for index, (table, *_) in enumerate(sqlite.TABLES):
            column = '"id"' if table == "projects" else '"project_id"'
            for row in db.execute(f'SELECT "year", {column}, * FROM "{table}" ORDER BY rowid'):
                shares[(row[0], row[1])].sheets[index].append(tuple(row[2:]))
    return list(shares.values())
