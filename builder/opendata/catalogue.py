"""What the data page says about the open data: every file with its size and row count, per
scope (all years, each year), and the 字段说明 of every table from the column declarations.

The data page is written by the open-data output after the tables (`outputs/opendata.py`),
so that the sizes are those of the files published with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from ..formats import size_text
from ..publish.staging import Staging
from .columns import Column
from .package import (
    DATAPACKAGE,
    FINDINGS_CSV,
    INDICATORS_CSV,
    PROJECTS_CSV,
    PROJECTS_JSON,
    titled,
)
from .records import ProjectData
from .splice import years
from .sqlite import SQLITE_DB, TABLES
from .workbook import SHEETS, TYPE_WORDS, described, workbook_name

DATA_DIR = "data"
DATA_PAGE = "data/index.html"
FIELDS_PAGE = "data/fields/index.html"


@dataclass(frozen=True)
class DataFile:
    """One downloadable file: its link text, site path and size (None: not published yet)."""

    label: str
    path: str
    size: int | None

    @property
    def size_text(self) -> str:
        """`2.7 KB`; `—` for a file not published yet (a preview that left the tables)."""
        return "—" if self.size is None else size_text(self.size)


@dataclass(frozen=True)
class DataTable:
    """One table of a scope: its name, rows, the files it is in, the anchor of its 字段说明."""

    title: str
    rows: int
    files: tuple[DataFile, ...]
    anchor: str


@dataclass(frozen=True)
class DataScope:
    """All years, or one: its tables and the files holding all of them."""

    title: str
    tables: tuple[DataTable, ...]
    whole: tuple[DataFile, ...]  # the workbook, the SQLite file, the data package


@dataclass(frozen=True)
class FieldTable:
    """字段说明 of one table: its Chinese and machine names, files, and column rows
    (machine name, title, type in words, description)."""

    title: str
    name: str
    anchor: str
    files: str
    columns: tuple[tuple[str, str, str, str], ...]


def _file(staging: Staging, label: str, path: str) -> DataFile:
    """The file as it will be published: written by this build, or kept from the last."""
    for folder in (staging.root, staging.published):
        if folder is not None and (folder / path).is_file():
            return DataFile(label, path, (folder / path).stat().st_size)
    return DataFile(label, path, None)


def row_counts(items: Sequence[ProjectData]) -> tuple[int, int, int]:
    """How many rows `items` have in the projects, indicators and findings tables."""
    indicators = findings = 0
    for item in items:
        indicators += item.rows(1)
        findings += item.rows(2)
    return len(items), indicators, findings


def _scope(
    staging: Staging, folder: str, title: str, rows: tuple[int, int, int], year: int | None
) -> DataScope:
    def csvs(name: str) -> tuple[DataFile, DataFile]:
        return (
            _file(staging, "CSV", f"{folder}/{name}"),
            _file(staging, "CSV(中文列名)", f"{folder}/{titled(name)}"),
        )

    tables = (
        DataTable(
            "项目",
            rows[0],
            (*csvs(PROJECTS_CSV), _file(staging, "JSON", f"{folder}/{PROJECTS_JSON}")),
            "projects",
        ),
        DataTable("绩效指标", rows[1], csvs(INDICATORS_CSV), "indicators"),
        DataTable("核查结果", rows[2], csvs(FINDINGS_CSV), "findings"),
    )
    whole = [_file(staging, "datapackage.json(数据包说明)", f"{folder}/{DATAPACKAGE}")]
    if year is None:
        whole.insert(0, _file(staging, "SQLite 数据库", f"{folder}/{SQLITE_DB}"))
    else:
        whole.insert(0, _file(staging, "Excel 工作簿", f"{folder}/{workbook_name(year)}"))
    return DataScope(title, tables, tuple(whole))


def data_catalogue(items: Sequence[ProjectData], staging: Staging) -> list[DataScope]:
    """The files of every scope, all years first, then each year, newest first, with their
    sizes in `staging` (or as published) and the rows each table has."""
    ordered = sorted(items, key=attrgetter("sort_key"))
    counted = [(year, row_counts(in_year)) for year, in_year in years(ordered)]
    total = tuple(sum(rows[table] for _, rows in counted) for table in range(3))
    scopes = [_scope(staging, DATA_DIR, "全部年度", total, None)]  # type: ignore[arg-type]
    for year, rows in reversed(counted):
        scopes.append(_scope(staging, f"{DATA_DIR}/{year}", f"{year} 年度", rows, year))
    return scopes


def _rows(columns: tuple[Column, ...]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((c.name, c.title, TYPE_WORDS[c.type], described(c)) for c in columns)


def field_tables() -> list[FieldTable]:
    """字段说明 of the three tables, from the declarations every file is written from."""
    files = {
        "projects": f"{PROJECTS_CSV}、{titled(PROJECTS_CSV)}、{PROJECTS_JSON}",
        "indicators": f"{INDICATORS_CSV}、{titled(INDICATORS_CSV)}",
        "findings": f"{FINDINGS_CSV}、{titled(FINDINGS_CSV)}",
    }
    sheets = {columns: name for name, columns, _ in SHEETS}
    return [
        FieldTable(
            title=view,
            name=table,
            anchor=table,
            files=f"{files[table]};工作簿“{sheets[columns]}”表;{SQLITE_DB} 的 {table} 表"
            f"(中文列名的视图:{view})",
            columns=_rows(columns),
        )
        for table, columns, _, _, view in TABLES
    ]
