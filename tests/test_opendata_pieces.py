"""The tables' bookkeeping done once a scope: each year's run of shares (`splice.years`), the
data page's row counts (`catalogue.row_counts`), and the tables' signatures, whose digests are
joined once a folder and piece and stay each table's own."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from builder.form.load import load_config
from builder.opendata.catalogue import data_catalogue, row_counts
from builder.opendata.export import write_tables
from builder.opendata.records import (
    DIGESTED,
    ProjectData,
    exported_projects,
    project_data,
    project_share,
)
from builder.opendata.splice import years
from builder.opendata.stored import DataStore
from builder.publish.staging import Staging
from builder.rules.check import check_content

from .conftest import minimal_project, project_yaml, write_project


@dataclass(frozen=True)
class _Keyed:
    sort_key: tuple[int, str, str]


def _share(year: int, id_: str, indicators: int, findings: int) -> ProjectData:
    """A share with `indicators` and `findings` rows, and digests of its own bytes."""
    record = f'{{"id":"{id_}","year":{year}}}'.encode()
    line = f"{year},{id_}\r\n".encode()
    sheets = (((year, id_),), ((year, id_),) * indicators, ((year, id_, "警告"),) * findings)
    pieces = (line, line * indicators, record, repr(sheets[2]).encode(), repr(sheets).encode())
    digests = tuple(hashlib.blake2b(piece, digest_size=16).digest() for piece in pieces)
    return ProjectData((year, "dw", id_), line, line * indicators, record, digests[0], sheets,
                       digests=digests)  # fmt: skip


def test_years_are_the_runs_of_each_year_in_order() -> None:
    keys = [(2021, "a", "x"), (2021, "b", "a"), (2023, "a", "a"), (2024, "z", "z")]
    items = [_Keyed(key) for key in keys]
    assert years(items) == [(2021, items[:2]), (2023, items[2:3]), (2024, items[3:])]
    assert years(items[2:3]) == [(2023, items[2:3])]
    assert years([]) == []


def test_row_counts_add_up_every_share() -> None:
    shares = [_share(2023, "a", 3, 0), _share(2023, "b", 0, 2), _share(2024, "c", 5, 1)]
    assert row_counts(shares) == (3, 8, 3)
    assert row_counts([]) == (0, 0, 0)


def test_the_data_page_counts_each_year_and_all(tiny_content: Path, tmp_path: Path) -> None:
    shares = [_share(2024, "c", 5, 1), _share(2023, "a", 3, 0), _share(2023, "b", 0, 2)]
    scopes = data_catalogue(shares, Staging(tmp_path))
    rows = {scope.title: tuple(table.rows for table in scope.tables) for scope in scopes}
    assert rows == {"全部年度": (3, 8, 3), "2024 年度": (1, 5, 1), "2023 年度": (2, 3, 2)}
    assert [scope.title for scope in scopes] == ["全部年度", "2024 年度", "2023 年度"]


def _signature(site_path: str, shares: list[ProjectData], piece: str) -> str:
    """A table's signature as `_TableWriter.unchanged` defines it, from nothing kept."""
    digest = hashlib.blake2b(site_path.encode("utf-8"), digest_size=16)
    digest.update((0).to_bytes(8, "big"))
    for share in shares:
        digest.update(share.digests[DIGESTED.index(piece)])
    return digest.hexdigest()


def _real_shares(content: Path) -> list[ProjectData]:
    """Two projects of 2023 (one with a warning) and one of 2024, as the build makes them."""
    write_project(content, minimal_project(id="xm-a"), name="a.yaml")
    write_project(content, minimal_project(id="xm-b", declared={"total": 12}), name="b.yaml")
    later = minimal_project(id="xm-c", year=2024, filled_on="2024-12-25")
    (content / "2024" / "dw").mkdir(parents=True)
    (content / "2024" / "dw" / "c.yaml").write_text(project_yaml(later), encoding="utf-8")
    result = check_content(content)
    return [project_data(item, "https://e.org/") for item in exported_projects(result)]


def test_each_table_is_signed_by_its_own_projects_and_piece(
    tiny_content: Path, tmp_path: Path
) -> None:
    """The digests joined once a folder and piece: a year's table is signed by that year's
    projects, each piece by its own digests, as when every table joined its own."""
    config = load_config(tiny_content)[0]
    assert config is not None
    ordered = _real_shares(tiny_content)
    assert [share.sort_key[0] for share in ordered] == [2023, 2023, 2024]
    _, signatures = write_tables(ordered[::-1], config, Staging(tmp_path / "site"))
    expected = {
        "data/projects.csv": (ordered, "project_csv"),
        "data/indicators-zh.csv": (ordered, "indicators_csv"),
        "data/findings.csv": (ordered, "findings_csv"),
        "data/projects.json": (ordered, "record"),
        "data/2023/projects.csv": (ordered[:2], "project_csv"),
        "data/2023/projects.json": (ordered[:2], "record"),
        "data/2024/indicators.csv": (ordered[2:], "indicators_csv"),
        "data/2024/jixiao-2024.xlsx": (ordered[2:], "sheets"),
    }
    for path, (items, piece) in expected.items():
        assert signatures[path] == _signature(path, items, piece), path
    assert len(set(signatures.values())) == len(signatures)


def test_a_share_stored_with_its_tables_pickled_reads_back_the_same(
    tiny_content: Path, tmp_path: Path
) -> None:
    """`DataStore.put` given the tables `project_share` pickled keeps what it keeps when it
    pickles them itself; the pickles are of the share's own rows."""
    write_project(tiny_content, minimal_project(id="xm-a", declared={"total": 12}), name="a.yaml")
    item = next(iter(exported_projects(check_content(tiny_content))))
    data, tables = project_share(item, "https://e.org/")
    assert tuple(pickle.loads(table) for table in tables) == data.sheets
    store = DataStore(tmp_path)
    given, pickled = store.put(data, tables), store.put(data)
    assert given.load() == pickled.load() == data
    assert given.findings_csv == data.findings_csv and given.rows(2) == len(data.sheets[2]) > 0
