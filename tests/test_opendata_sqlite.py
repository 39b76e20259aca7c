"""The SQLite file of the open data (`data/jixiao.db`) is built in a file, not in memory: the
same rows, the same bytes, build after build; every table and row the same as the database
built in memory and serialised (as it was made before), only the header's counters differ."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from builder.config import SiteConfig
from builder.form.load import load_config
from builder.opendata.records import exported_projects, project_data
from builder.opendata.sqlite import fill, write_sqlite
from builder.publish.staging import Staging
from builder.rules.check import check_content

from .conftest import minimal_project, write_project

DATE = dt.date(2024, 1, 2)


@pytest.fixture
def sheets(tiny_content: Path) -> list:
    """The workbook rows of three projects of two units, one with a finding, one whose
    texts start like formulas."""
    write_project(tiny_content, minimal_project(id="a1", name="第一个项目"), "a1.yaml", "dw-a")
    hostile = minimal_project(id="b2", name="=HYPERLINK(1)项目", unit="-测试单位")
    hostile["indicators"][0].update(target="=100人", actual="=100人")
    write_project(tiny_content, hostile, "b2.yaml", "dw-b")
    wrong = minimal_project(id="c3", name="有误的项目")
    wrong["indicators"][0]["weight"] = 7
    write_project(tiny_content, wrong, "c3.yaml", "dw-b")
    result = check_content(tiny_content)
    config = load_config(tiny_content)[0]
    assert config is not None
    data = [project_data(item, config.base_url) for item in exported_projects(result)]
    return [item.sheets for item in sorted(data, key=lambda item: item.sort_key)]


def _config(content: Path) -> SiteConfig:
    config = load_config(content)[0]
    assert config is not None
    return config


def _dump(database: sqlite3.Connection) -> list[str]:
    return list(database.iterdump())


def test_the_file_holds_every_row_the_database_in_memory_held(
    sheets: list, tiny_content: Path, tmp_path: Path
) -> None:
    config = _config(tiny_content)
    made = tmp_path / "one.db"
    write_sqlite(made, sheets, config, DATE)
    reference = sqlite3.connect(":memory:")  # how it was made before: in memory, serialised
    fill(reference, sheets, config, DATE)
    reference.commit()
    before = reference.serialize()
    with sqlite3.connect(made) as database:
        after = _dump(database)
        rows = database.execute('SELECT count(*) FROM "indicators"').fetchone()[0]
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert after == _dump(reference) and rows == sum(len(s[1]) for s in sheets) > 0
    assert any("=HYPERLINK(1)项目" in line for line in after)
    data = made.read_bytes()
    assert len(data) == len(before)
    differ = [at for at in range(len(data)) if data[at] != before[at]]
    # only the change counter (24-27), version-valid-for (92-95) and the library's version
    assert differ and all(24 <= at < 28 or 92 <= at < 100 for at in differ), differ
    assert not (tmp_path / "one.db-journal").exists()


def test_the_same_rows_give_the_same_bytes(
    sheets: list, tiny_content: Path, tmp_path: Path
) -> None:
    config = _config(tiny_content)
    write_sqlite(tmp_path / "one.db", sheets, config, DATE)
    write_sqlite(tmp_path / "two.db", list(sheets), config, DATE)
    write_sqlite(tmp_path / "other.db", sheets[:-1], config, DATE)
    one = (tmp_path / "one.db").read_bytes()
    assert one == (tmp_path / "two.db").read_bytes()
    assert one != (tmp_path / "other.db").read_bytes()
    with pytest.raises(FileExistsError):  # never written through a file already there
        write_sqlite(tmp_path / "one.db", sheets, config, DATE)


def test_a_database_is_put_in_place_whole_or_not_at_all(
    sheets: list, tiny_content: Path, tmp_path: Path
) -> None:
    config = _config(tiny_content)
    staging = Staging(tmp_path / "staged")
    (tmp_path / "staged").mkdir()

    def broken(made: Path) -> None:
        write_sqlite(made, sheets, config, DATE)
        raise sqlite3.OperationalError("interrupted")

    with pytest.raises(sqlite3.OperationalError):
        staging.make("data/jixiao.db", broken)
    assert [p.name for p in (tmp_path / "staged").rglob("*") if p.is_file()] == []
    staging.make("data/jixiao.db", lambda made: write_sqlite(made, sheets, config, DATE))
    assert [p.name for p in (tmp_path / "staged" / "data").iterdir()] == ["jixiao.db"]
    with sqlite3.connect(tmp_path / "staged" / "data" / "jixiao.db") as database:
        assert database.execute('SELECT count(*) FROM "projects"').fetchone()[0] == len(sheets)
