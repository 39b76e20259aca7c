"""Open data a journalist can use without asking: the tables headed in Chinese beside the
machine names, the findings as a table, a licence, the data page's sizes, rows and date, a
字段说明 page from the column declarations, and one SQLite file Datasette opens as it is."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import BuildOptions, build
from builder.opendata.columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS
from builder.publish.datadate import committed_on
from builder.rules.check import check_content
from builder.rules.findings import Severity

from .conftest import minimal_project, write_project

ROOT = Path(__file__).resolve().parent.parent
TABLES = {
    "projects": PROJECT_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "findings": FINDING_COLUMNS,
}
LICENCE = """
licence:
  name: CC-BY-4.0
  url: https://creativecommons.org/licenses/by/4.0/deed.zh-hans
  attribution: 数据来源:测试财政局
"""


def _build(content: Path, site: Path) -> Path:
    build(BuildOptions(content=content, site=site, cache=site.parent / "cache", pdf=False))
    return site


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(ROOT / "content", tmp_path_factory.mktemp("reuse") / "site")


@pytest.fixture
def own_content(tiny_content: Path) -> Path:
    """Two projects of one unit: one whose texts start like formulas, one with a finding."""
    hostile = minimal_project(id="gongshi", name="=HYPERLINK(1)项目", unit="-测试单位")
    hostile["indicators"][0].update(target="=100人", actual="=100人")
    write_project(tiny_content, hostile, name="gongshi.yaml")
    wrong = minimal_project(id="cuowu-zongfen", name="总分填错的项目")
    wrong["declared"] = {"total": 99.5}
    write_project(tiny_content, wrong, name="cuowu-zongfen.yaml")
    return tiny_content


@pytest.mark.parametrize("folder", ["data", "data/2023"])
@pytest.mark.parametrize("table", sorted(TABLES))
def test_each_table_has_a_copy_headed_in_chinese(bundled: Path, folder: str, table: str) -> None:
    """The machine names stay the header of `<table>.csv`; `<table>-zh.csv` holds the same
    rows under the Chinese titles."""
    machine = _rows(bundled / folder / f"{table}.csv")
    titled = _rows(bundled / folder / f"{table}-zh.csv")
    assert machine[0] == [column.name for column in TABLES[table]]
    assert titled[0] == [column.title for column in TABLES[table]]
    assert titled[1:] == machine[1:] and len(machine) > 1
    assert (bundled / folder / f"{table}-zh.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_findings_table_lists_every_finding_in_chinese(
    own_content: Path, tmp_path: Path
) -> None:
    site = _build(own_content, tmp_path / "site")
    result = check_content(own_content)
    rows = _rows(site / "data" / "findings.csv")
    header, body = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert header == [column.name for column in FINDING_COLUMNS]
    expected = [
        (checked.project.id, located.finding.code, located.line)
        for checked in sorted(result.projects, key=lambda c: c.project.id)  # type: ignore[union-attr]
        for located in checked.located
    ]
    assert sorted((r["project_id"], r["code"], int(r["line"])) for r in body) == sorted(expected)
    mismatch = [row for row in body if row["code"] == "total-mismatch"]
    assert [row["project_id"] for row in mismatch] == ["cuowu-zongfen"]
    assert mismatch[0]["severity"] == "警告"
    assert "99.5" in mismatch[0]["message"] and "总分" in mismatch[0]["message"]
    assert result.count(Severity.warning) == sum(row["severity"] == "警告" for row in body)


def test_the_licence_is_declared_once_and_shown_everywhere(
    own_content: Path, tmp_path: Path
) -> None:
    unlicensed = _build(own_content, tmp_path / "without" / "site")
    page = BeautifulSoup((unlicensed / "data" / "index.html").read_text(), "html.parser")
    assert "尚未声明数据许可" in page.get_text()
    package = json.loads((unlicensed / "data" / "datapackage.json").read_text())
    assert "licenses" not in package

    with (own_content / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(LICENCE)
    site = _build(own_content, tmp_path / "with" / "site")
    for folder in ("data", "data/2023"):
        package = json.loads((site / folder / "datapackage.json").read_text())
        assert package["licenses"] == [
            {
                "title": "CC-BY-4.0",
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
            }
        ]
    page = BeautifulSoup((site / "data" / "index.html").read_text(), "html.parser")
    link = page.find("a", rel="license")
    assert link is not None and link.get_text() == "CC-BY-4.0"
    assert "数据来源:测试财政局" in page.get_text()
    with sqlite3.connect(site / "data" / "jixiao.db") as db:
        about = dict(db.execute('SELECT "项目", "内容" FROM "数据说明"').fetchall())
    assert about["许可"].startswith("CC-BY-4.0") and "测试财政局" in about["许可"]
    assert about["数据日期"] == "2023-12-25"


def test_a_licence_without_a_name_is_refused(own_content: Path) -> None:
    with (own_content / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("licence:\n  url: ftp://example.org/licence\n")
    result = check_content(own_content)
    codes = {located.finding.code for located in result.config_findings}
    assert result.config is None and codes


def test_the_data_page_gives_each_file_its_size_and_rows(bundled: Path) -> None:
    page = BeautifulSoup((bundled / "data" / "index.html").read_text(), "html.parser")
    text = page.get_text()
    # The date of the data as every page says it: the last commit of content/, else the
    # latest 填报日期 (`site.render.build_date`).
    date = committed_on(ROOT / "content") or dt.date(2023, 12, 25)
    assert f"数据截至 {date.year}年{date.month}月{date.day}日" in text
    checked = 0
    for table in page.find_all("table"):
        for row in table.find("tbody").find_all("tr"):
            cells = row.find_all(["th", "td"])
            for link in cells[2].find_all("a"):
                target = (bundled / "data" / link["href"]).resolve()
                size = target.stat().st_size
                shown = link.next_sibling.strip("()")
                assert shown == _size_words(size), (link["href"], shown, size)
                checked += 1
            if cells[1].get_text(strip=True) and link["href"].endswith(".csv"):
                lines = len(_rows(target)) - 1
                assert int(cells[1].get_text(strip=True)) == lines, link["href"]
    # all years and 2023: 3 tables (7 files) and 2 whole files each
    assert checked == 18


def _size_words(size: int) -> str:
    value = size / 1024
    return f"{value:.1f} KB" if value < 10 else f"{value:.0f} KB"


def test_the_fields_page_explains_every_column_of_every_table(bundled: Path) -> None:
    page = BeautifulSoup((bundled / "data" / "fields" / "index.html").read_text(), "html.parser")
    for table, columns in TABLES.items():
        assert page.find(id=table) is not None
        for column in columns:
            term = page.find(id=f"{table}-{column.name}")
            assert term is not None, (table, column.name)
            assert column.title in term.get_text()
            assert column.description in term.find_next_sibling("dd").get_text()
    data_page = (bundled / "data" / "index.html").read_text()
    assert 'href="fields/#findings"' in data_page


def test_the_sqlite_file_holds_the_tables_as_submitted(own_content: Path, tmp_path: Path) -> None:
    first = _build(own_content, tmp_path / "one" / "site")
    second = _build(own_content, tmp_path / "two" / "site")
    data = (first / "data" / "jixiao.db").read_bytes()
    assert data == (second / "data" / "jixiao.db").read_bytes()
    with sqlite3.connect(first / "data" / "jixiao.db") as db:
        for table, columns in TABLES.items():
            names = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
            assert names == [column.name for column in columns]
            count = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            assert count == len(_rows(first / "data" / f"{table}.csv")) - 1
        name, unit = db.execute("SELECT name, unit FROM projects WHERE id = 'gongshi'").fetchone()
        assert (name, unit) == ("=HYPERLINK(1)项目", "-测试单位")  # no formula guard
        target = db.execute(
            'SELECT "年度指标值" FROM "指标" WHERE "项目标识" = \'gongshi\' AND "行号" = 1'
        ).fetchone()[0]
        assert target == "=100人"
        budget = db.execute("SELECT typeof(budget), budget FROM projects LIMIT 1").fetchone()
        assert budget[0] in ("integer", "real")
        described = db.execute('SELECT count(*) FROM "字段说明"').fetchone()[0]
        assert described == sum(len(columns) for columns in TABLES.values())
    guarded = _rows(first / "data" / "projects.csv")
    assert "'=HYPERLINK(1)项目" in guarded[1] + guarded[2]


def _datasette() -> Path:
    found = shutil.which("datasette", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("datasette is a test dependency (pyproject.toml [test]): install it")
    return Path(found)


def test_datasette_opens_the_sqlite_file_as_it_is(bundled: Path) -> None:
    """`datasette jixiao.db`, nothing else: it serves each table and the Chinese views."""
    db = bundled / "data" / "jixiao.db"

    def get(path: str) -> object:
        done = subprocess.run(
            [str(_datasette()), str(db), "--get", path],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    projects = get("/jixiao/projects.json?_shape=array&_size=max")
    assert isinstance(projects, list) and len(projects) == 6
    assert {row["computed_total"] for row in projects} >= {97.5, 92.01}
    # Datasette spells a non-ASCII table name with tildes (its "tilde encoding").
    view = "".join(f"~{byte:02X}" for byte in "项目".encode())
    chinese = get(f"/jixiao/{view}.json?_shape=array&_size=1")
    assert isinstance(chinese, list) and "总分(复核)" in chinese[0]
    tables = get("/jixiao.json")
    assert isinstance(tables, dict)
    names = {table["name"] for table in tables["tables"]}
    assert {"projects", "indicators", "findings", "字段说明", "数据说明"} <= names
