"""Open data: the checked forms as CSV, JSON and a Frictionless Data Package, per site and year.

Everything written here is a pure function of the content, so a rebuild gives the same bytes:
no timestamps, a fixed order (year, unit, id), dictionaries built in a fixed order, and
numbers written from their exact decimals.

Written into the site folder:

- `data/projects.csv`, `data/indicators.csv`, `data/findings.csv` (machine names in the
  header: the stable contract), the same tables with their Chinese titles as the header
  (`projects-zh.csv`, `indicators-zh.csv`, `findings-zh.csv`), `data/projects.json`,
  `data/datapackage.json`, and the same for each year under `data/<year>/`, with the year's
  workbook `data/<year>/jixiao-<year>.xlsx` (`workbook.py`);
- `data/jixiao.db`, every table in one SQLite file (`sqlite.py`);
- beside each project page, its JSON record and a copy of its YAML source;
- `data/schema/*.schema.json`, the JSON Schemas of the content files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter, itemgetter, methodcaller
from pathlib import Path

from .. import urls
from ..config import SiteConfig
from ..form.dates import full_date
from ..form.schema import SCHEMA_DIR, SCHEMAS, render
from ..publish.staging import Staging
from ..rules.check import CheckResult
from .columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS
from .encoding import csv_header, json_bytes
from .package import (
    DATAPACKAGE,
    FINDINGS_CSV,
    INDICATORS_CSV,
    PROJECTS_CSV,
    PROJECTS_JSON,
    datapackage,
    titled,
)
from .records import (
    DIGESTED,
    ExportedProject,
    ProjectData,
    SheetRow,
    exported_projects,
    project_data,
)
from .splice import splice, years
from .sqlite import SQLITE_DB, about_rows, update_sqlite, write_sqlite
from .workbook import workbook_name, year_workbook

DATA_DIR = "data"
SCHEMA_SUBDIR = "schema"


class _SiteWriter:
    """Writes files through the staging folder and remembers their site paths."""

    def __init__(self, staging: Staging) -> None:
        self.staging = staging
        self.written: list[str] = []

    def write(self, site_path: str, data: bytes) -> None:
        if self.staging.write(site_path, data):
            self.written.append(site_path)


def write_project_files(staging: Staging, item: ExportedProject, data: ProjectData) -> list[str]:
    """The project's JSON record and, byte for byte, the YAML file that was checked: the
    bytes read when it was checked, not the file read again (it may have been replaced
    since). Returns the site paths written (in an incremental build, those that differ from
    the published)."""
    writer = _SiteWriter(staging)
    writer.write(urls.project_record(item.project, item.unit_slug), data.record + b"\n")
    writer.write(urls.project_source(item.project, item.unit_slug), checked_bytes(item))
    return writer.written


def checked_bytes(item: ExportedProject) -> bytes:
    """The bytes of the project's file as its check read them; proven by their sha256."""
    read = item.checked.loaded.source.read()
    if read is None:  # a form not read from a file (jixiao changes reads git): read it now
        return item.checked.file.read_bytes()
    data, digest = read
    if hashlib.sha256(data).hexdigest() != digest:
        raise RuntimeError(f"{item.checked.file}: the bytes kept differ from those read")
    return data


class _TableWriter(_SiteWriter):
    """Writes the large tables, each only when its signature (the digests of the projects in
    it, in order) differs from the last build's. Comparing signatures instead of bytes spares
    reading a hundred megabytes of published tables back on every edit."""

    def __init__(
        self, staging: Staging, previous: Mapping[str, str], changes: Changes | None = None
    ) -> None:
        super().__init__(staging)
        self.previous = previous
        self.changes = changes
        self.signatures: dict[str, str] = {}
        # (folder, piece) -> the digests of that piece of the folder's projects, joined: the
        # tables of one folder are of the same projects, so each piece's are joined once.
        self._joined: dict[tuple[str, str], bytes] = {}

    def unchanged(
        self, site_path: str, items: Sequence[ProjectData], piece: str, extra: bytes = b""
    ) -> bool:
        """Whether the table of `items`' `piece` (one of `records.DIGESTED`; and `extra`, what
        else is in the file) at `site_path` is published as the last build made it (then it is
        left as it is); records its signature either way. The tables of a folder are all of
        the same `items`."""
        digest = hashlib.blake2b(site_path.encode("utf-8"), digest_size=16)
        digest.update(len(extra).to_bytes(8, "big") + extra)
        key = (site_path.rpartition("/")[0], piece)
        joined = self._joined.get(key)
        if joined is None:
            joined = self._joined[key] = _digests(items, piece)
        digest.update(joined)
        signature = self.signatures[site_path] = digest.hexdigest()
        published = self.staging.published
        return (
            published is not None
            and self.previous.get(site_path) == signature
            and (published / site_path).is_file()
        )

    def write_table(
        self,
        site_path: str,
        items: Sequence[ProjectData],
        piece: str,
        table: tuple[bytes, bytes, bytes],
        year: int | None = None,
    ) -> None:
        """The table at `site_path` of each of `items`' `piece` (`ProjectData.size`), joined
        and framed as `table` says (head, separator, tail), unless unchanged: the published
        one spliced when the last build made it and the changes are known (`splice.py`),
        else written whole as the pieces are read. `year`: the table is that year's."""
        if self.unchanged(site_path, items, piece):
            return
        published = self.staging.published
        whole = chain([table[0]], _joined(items, piece, table[1]), [table[2]])
        if (
            self.changes is None
            or published is None
            or site_path not in self.previous
            or not (published / site_path).is_file()
        ):
            self.staging.write_fresh(site_path, whole)
            self.written.append(site_path)
            return
        keys, gone = self.changes.keys, self.changes.gone
        if year is not None:  # a year's table held that year's projects alone
            keys = frozenset(key for key in keys if key[0] == year)
            gone = {key: share for key, share in gone.items() if key[0] == year}
        lengths = {key: share.size(piece) for key, share in gone.items()}
        base = published / site_path

        def make(made: Path) -> None:
            get, size = attrgetter(piece), methodcaller("size", piece)
            if not splice(made, base, table, items, keys, lengths, get, size):
                with open(made, "xb") as out:
                    out.writelines(whole)

        self.staging.make(site_path, make)
        self.written.append(site_path)


def _digests(items: Sequence[ProjectData], piece: str) -> bytes:
    """The digests of `piece` of every one of `items`, joined (`ProjectData.digest_of`): read
    off each share's tuple in one pass where every share has them."""
    try:
        return b"".join(map(itemgetter(DIGESTED.index(piece)), map(attrgetter("digests"), items)))
    except IndexError:  # a share kept without them
        return b"".join(item.digest_of(piece) for item in items)


def _joined(items: Sequence[ProjectData], piece: str, sep: bytes) -> Iterator[bytes]:
    for index, item in enumerate(items):
        if index and sep:
            yield sep
        yield getattr(item, piece)


class _Sheets:
    """The workbook rows of `items`, read (back) one project at a time on each pass."""

    def __init__(self, items: Sequence[ProjectData]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[tuple[tuple[SheetRow, ...], ...]]:
        return (item.sheets for item in self.items)


def _write_tables(
    writer: _TableWriter,
    folder: str,
    items: Sequence[ProjectData],
    config: SiteConfig,
    year: int | None,
) -> None:
    # Each table is written from its projects' pieces as they are read: a project's share may
    # be kept on disk (`stored.StoredData`), and no table is held whole.
    for name, columns, piece in (
        (PROJECTS_CSV, PROJECT_COLUMNS, "project_csv"),
        (INDICATORS_CSV, INDICATOR_COLUMNS, "indicators_csv"),
        (FINDINGS_CSV, FINDING_COLUMNS, "findings_csv"),
    ):
        titles = csv_header(columns, titles=True)
        for path, header in ((name, csv_header(columns)), (titled(name), titles)):
            writer.write_table(f"{folder}/{path}", items, piece, (header, b"", b""), year)
    writer.write_table(f"{folder}/{PROJECTS_JSON}", items, "record", (b"[", b",", b"]\n"), year)
    writer.write(f"{folder}/{DATAPACKAGE}", json_bytes(datapackage(config, year), indent=2))
    if year is not None:  # the year's workbook: 项目, 指标, 核查结果, 字段说明
        path = f"{folder}/{workbook_name(year)}"
        if not writer.unchanged(path, items, "sheets"):
            book = year_workbook(year, config.title, items)
            writer.staging.write_fresh(path, [book])
            writer.written.append(path)


@dataclass(frozen=True)
class Changes:
    """The projects' changes since the build whose tables are published: `gone`, the last
    build's share of every project whose published rows go (re-read, changed or not, or
    removed) by its sort key (year, unit folder, id); `fresh`, the shares made by this build,
    whose rows come in their place."""

    gone: Mapping[tuple[int, str, str], ProjectData]
    fresh: Sequence[ProjectData]

    @property
    def keys(self) -> frozenset[tuple[int, str, str]]:
        """Every sort key whose rows change: gone or fresh."""
        return frozenset(self.gone).union(item.sort_key for item in self.fresh)


def _write_database(
    writer: _TableWriter,
    items: Sequence[ProjectData],
    config: SiteConfig,
    data_date: dt.date | None,
) -> None:
    """data/jixiao.db, unless unchanged: made from the published one's rows and `changes` when
    the last build made it (`sqlite.update_sqlite`), else from every project's rows; the same
    bytes either way."""
    path = f"{DATA_DIR}/{SQLITE_DB}"
    about = repr(about_rows(config, data_date)).encode("utf-8")
    if writer.unchanged(path, items, "sheets", about):
        return
    published, changes = writer.staging.published, writer.changes
    if (
        changes is not None
        and published is not None
        and path in writer.previous
        and (published / path).is_file()
    ):
        base, every = published / path, _Sheets(items)

        def make(made: Path) -> None:
            if not update_sqlite(made, base, items, changes.keys, changes.gone, config, data_date):
                write_sqlite(made, every, config, data_date)

        writer.staging.make(path, make)
    else:
        sheets = _Sheets(items)  # read back a project at a time, once a table
        writer.staging.make(path, lambda made: write_sqlite(made, sheets, config, data_date))
    writer.written.append(path)


def write_tables(
    data: Iterable[ProjectData],
    config: SiteConfig,
    staging: Staging,
    previous: Mapping[str, str] | None = None,
    data_date: dt.date | None = None,
    changes: Changes | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The site-wide and per-year tables, data packages and schemas, and the SQLite file of
    them all (`data_date`, the date of the data, is written into it). Returns the site paths
    written and each table's signature (site path -> hex digest of the rows in it). Given the
    last build's signatures, a table whose signature is unchanged and that the site `staging`
    lays over has published is left as it is; given also the `changes` since that build, the
    published SQLite file is updated rather than made again."""
    writer = _TableWriter(staging, previous or {}, changes)
    items = sorted(data, key=lambda item: item.sort_key)
    _write_tables(writer, DATA_DIR, items, config, None)
    _write_database(writer, items, config, data_date)
    for year, in_year in years(items):
        _write_tables(writer, f"{DATA_DIR}/{year}", in_year, config, year)
    for name in sorted(SCHEMAS):
        writer.write(f"{DATA_DIR}/{SCHEMA_SUBDIR}/{name}", schema_bytes(name))
    return writer.written, writer.signatures


def schema_bytes(name: str) -> bytes:
    """The shipped schema file; generated from the model if it is not there."""
    shipped = SCHEMA_DIR / name
    return shipped.read_bytes() if shipped.is_file() else render(name).encode("utf-8")


def write_open_data(result: CheckResult, config: SiteConfig, site_dir: Path) -> list[str]:
    """Write all the open data into `site_dir` (a full build's folder); returns the site paths
    written, in writing order."""
    staging = Staging(site_dir)
    written: list[str] = []
    data = []
    for item in exported_projects(result):
        project = project_data(item, config.base_url)
        written += write_project_files(staging, item, project)
        data.append(project)
    # A month alone names no day: it gives no date of the data (`form.dates.full_date`).
    dates = [full_date(item.project.filled_on) for item in exported_projects(result)]
    data_date = max((date for date in dates if date), default=None)
    return written + write_tables(data, config, staging, data_date=data_date)[0]
