"""The open data as one SQLite file, `data/jixiao.db`, for those who would rather query than
download: `datasette jixiao.db` opens it as it is.

The tables are those of the CSV files, with the same machine names and values as submitted
(no formula guard: SQLite runs no formulas): `projects`, `indicators` and `findings`, keyed
as the data package declares them (`indicators` and `findings` refer to `projects`, so
Datasette links each row to its project). Beside them, for people:

- views with the Chinese titles as column names, `项目`, `指标` and `核查结果`;
- `字段说明`, every column of every table explained, from the declarations in `columns.py`;
- `数据说明`, the site, the data date, the licence and the note on values.

Made with the standard library's `sqlite3` straight into a new file (`write_sqlite`), in one
transaction with no journal: SQLite holds only its page cache (2 MB), not the database, so
the memory does not grow with the number of projects (built in memory and serialised, it took
3.5 KB a project, twice while copied out). The same rows give the same bytes: there are no
timestamps in an SQLite file, and the header's change counter (bytes 24-27) and
version-valid-for number (92-95) count the one transaction that wrote it; the header records
the library's version (96-99), so another SQLite may write other bytes for the same rows.

An edit does not read every project's rows again (4.5 s at 10,000 forms): `update_sqlite`
makes a new file by the same statements, each table filled from the published file's rows a
run at a time (the rows of the projects kept side by side, copied by SQLite by rowid range,
with no sort) and the re-read projects' rows between the runs, in the order `write_sqlite`
inserts them (year, unit folder, id; a project's rows as it lists them). The same rows
inserted in the same order into the same fresh file give the same pages, rowids and bytes:
an edit's file is the bytes of a full build's of the same content, whatever builds came
before (`tests/test_same_bytes.py`). A published file whose rows are not in that order is
refused, and the file made from every project's rows.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from operator import methodcaller
from pathlib import Path
from typing import Protocol

from ..config import SiteConfig
from .columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS, Cell, Column
from .splice import copied_runs
from .workbook import TYPE_WORDS, described

SQLITE_DB = "jixiao.db"

# (table, its columns, which of a project's `sheets` it lists, primary key, view name)
TABLES: tuple[tuple[str, tuple[Column, ...], int, tuple[str, ...], str], ...] = (
    ("projects", PROJECT_COLUMNS, 0, ("year", "id"), "项目"),
    ("indicators", INDICATOR_COLUMNS, 1, ("year", "project_id", "row", "subrow"), "指标"),
    ("findings", FINDING_COLUMNS, 2, (), "核查结果"),
)
# SQLite's primary result codes for a refused write -> the errno it stands for
_REFUSED = {sqlite3.SQLITE_FULL: errno.ENOSPC, sqlite3.SQLITE_IOERR: errno.EIO}
Columns = tuple[Column, ...]
_SQL_TYPES = {"integer": "INTEGER", "number": "NUMERIC", "string": "TEXT", "boolean": "INTEGER"}
VALUES_NOTE = (
    "本文件中的文字按表上原文保存(CSV 文件为防止电子表格执行公式而在以 = + - @ 开头的文字前"
    "加的单引号,这里没有);金额单位为元;空值表示表上未填。"
)


def _quote(name: str) -> str:
    """An SQL identifier, quoted (Chinese titles, parentheses and all)."""
    return '"' + name.replace('"', '""') + '"'


def _sql_value(value: Cell) -> int | float | str | None:
    """A cell as SQLite stores it: a whole Decimal as an integer, any other as a float (the
    CSV files keep the exact text), booleans as 0 and 1."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _sql_row(row: Sequence[Cell]) -> list[int | float | str | None]:
    """A row's cells as SQLite stores them (`_sql_value`); text, integers and missing values
    as they are."""
    return [
        value if (kind := type(value)) is str or kind is int or value is None else _sql_value(value)
        for value in row
    ]


def _create(table: str, columns: tuple[Column, ...], key: tuple[str, ...]) -> str:
    lines = [
        f"{_quote(c.name)} {_SQL_TYPES[c.type]}" + (" NOT NULL" if c.required else "")
        for c in columns
    ]
    if key:
        lines.append("PRIMARY KEY (" + ", ".join(_quote(name) for name in key) + ")")
    if table != "projects":
        lines.append('FOREIGN KEY ("year", "project_id") REFERENCES "projects" ("year", "id")')
    return f"CREATE TABLE {_quote(table)} (\n  " + ",\n  ".join(lines) + "\n)"


def _view(view: str, table: str, columns: tuple[Column, ...]) -> str:
    titles = [column.title for column in columns]
    if len(set(titles)) != len(titles):
        raise ValueError(f"{table}: two columns share a title")
    chosen = ", ".join(f"{_quote(c.name)} AS {_quote(c.title)}" for c in columns)
    return f"CREATE VIEW {_quote(view)} AS SELECT {chosen} FROM {_quote(table)}"


def about_rows(config: SiteConfig, data_date: dt.date | None) -> list[tuple[str, str]]:
    """数据说明: (项目, 内容) rows: the site, the data date, the licence, the note on values."""
    licence = config.licence
    terms = "发布单位未声明许可,再利用前请联系发布单位。"
    if licence is not None:
        terms = licence.name + (f"({licence.url})" if licence.url else "")
        terms += f";{licence.attribution}" if licence.attribution else ""
    return [
        ("站点", config.title),
        ("网址", config.base_url),
        ("发布单位", config.publisher),
        ("数据日期", data_date.isoformat() if data_date else ""),
        ("许可", terms),
        ("数值说明", VALUES_NOTE),
    ]


@contextmanager
def _refused(path: Path) -> Iterator[None]:
    """A write SQLite refuses (a full disk, an I/O error) as `OSError` with its errno."""
    try:
        yield
    except sqlite3.OperationalError as error:
        code = _REFUSED.get(getattr(error, "sqlite_errorcode", 0) & 0xFF)
        if code is None:
            raise
        raise OSError(code, os.strerror(code), os.fspath(path)) from error


def write_sqlite(
    path: Path,
    sheets: Iterable[Sequence[Sequence[tuple[Cell, ...]]]],
    config: SiteConfig,
    data_date: dt.date | None,
) -> None:
    """Write the SQLite database of every project into a new file at `path` (it must not
    exist: the caller makes it in a staging folder and moves it into place, `Staging.make`).
    `sheets` are the projects' rows in table order (`ProjectData.sheets`), already sorted
    (year, unit, id); it is iterated once a table, three times. A write the machine refuses
    (a full disk, an I/O error) raises `OSError` with its errno (ENOSPC, EIO), as any other
    file write does (`publish.writing`); the half-written file is left for the caller."""
    if path.exists():
        raise FileExistsError(path)
    with _unjournaled(path) as connection:
        fill(connection, sheets, config, data_date)


@contextmanager
def _unjournaled(path: Path, published: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection to the file at `path`, in one transaction committed when the block ends:
    a file nobody reads until it is complete (it is moved into place after), so no journal
    to roll back to and no syncs; `published`, if given, attached read-only as `old`. A write
    the machine refuses raises `OSError` (`_refused`)."""
    # Opened by URI, so that ATTACH reads one too (`mode=ro`: the published file may be linked
    # into the new site, and is never written).
    connection = sqlite3.connect(path.absolute().as_uri(), isolation_level=None, uri=True)
    try:
        with _refused(path):
            if published is not None:
                uri = published.absolute().as_uri() + "?mode=ro"
                connection.execute("ATTACH ? AS old", (uri,))
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("BEGIN")
            yield connection
            connection.execute("COMMIT")
    finally:
        connection.close()


class Share(Protocol):
    """What `update_sqlite` reads of a project's share (`records.ProjectData`)."""

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """(year, unit folder, id)."""
        ...

    @property
    def sheets(self) -> Sequence[Sequence[tuple[Cell, ...]]]:
        """Its rows of each table (read only for the projects re-read)."""
        ...

    def rows(self, table: int) -> int:
        """How many rows it has in table `table` (`TABLES` index)."""
        ...


def update_sqlite(
    path: Path,
    published: Path,
    items: Sequence[Share],
    changed: Collection[tuple[int, str, str]],
    gone: Mapping[tuple[int, str, str], Share],
    config: SiteConfig,
    data_date: dt.date | None,
) -> bool:
    """Write at `path` (it must not exist, as for `write_sqlite`) the database of `items` (every
    project's share, sorted), copying the rows of those whose sort key is not `changed` from
    `published` (made by `write_sqlite` or this, of those and the `gone` ones: the last
    build's shares of the projects re-read or removed) and inserting the others' `sheets`,
    with 数据说明 made again for `data_date`: the same bytes as `write_sqlite` of every row, by
    the same statements. Each table's rows of the projects kept side by side are copied by
    SQLite as one run of rowids (`splice.copied_runs`, a row a unit), with no sort; where they
    lie follows from the projects' row counts alone. False, with nothing at `path`, when the
    published file does not hold the rows where the counts put them (its rows, its last
    rowid, the project of the first and last row of each run): then the caller writes every
    row. The rows inside a run are copied unread, trusted as the last build wrote them, as
    `splice` copies a table's bytes. Raises `OSError` as
    `write_sqlite` does."""
    if path.exists():
        raise FileExistsError(path)
    with _unjournaled(path, published) as connection:
        steps = _copied(connection, items, changed, gone)
        if steps is not None:

            def rows(
                connection: sqlite3.Connection, table: str, columns: Columns, index: int
            ) -> None:
                names = ", ".join(_quote(column.name) for column in columns)
                copy = (
                    f"INSERT INTO main.{_quote(table)} SELECT {names} FROM old.{_quote(table)}"
                    " WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
                )
                for step in steps[index]:
                    if isinstance(step, range):
                        connection.execute(copy, (step.start, step.stop - 1))
                    else:
                        _insert(connection, _quote(table), columns, index, [step.sheets])

            _fill(connection, rows, config, data_date)
    if steps is None:
        path.unlink()
    return steps is not None


def _copied(
    connection: sqlite3.Connection,
    items: Sequence[Share],
    changed: Collection[tuple[int, str, str]],
    gone: Mapping[tuple[int, str, str], Share],
) -> list[list[range | Share]] | None:
    """Each table's steps, by `TABLES` index: a run of published rowids to copy, or a project
    whose rows are inserted; None when the published file does not hold the runs."""
    steps: list[list[range | Share]] = []
    for table, _, index, _, _ in TABLES:
        count = methodcaller("rows", index)
        planned = copied_runs(
            items, changed, {k: s.rows(index) for k, s in gone.items()}, count, 1, 0
        )
        if planned is None:
            return None
        runs, end = planned
        counted = f"SELECT max(rowid), count(*) FROM old.{_quote(table)}"
        if tuple(connection.execute(counted).fetchone()) not in ((end - 1, end - 1), (None, 0)):
            return None  # not rowids 1 … the rows counted
        column = '"id"' if table == "projects" else '"project_id"'
        lookup = f'SELECT "year", {column} FROM old.{_quote(table)} WHERE rowid = ?'
        table_steps: list[range | Share] = []
        done = 0
        for run in runs:
            table_steps += items[done : run.first]
            done = run.last + 1
            if run.end == run.start:  # projects with no rows in this table
                continue
            holders = [item for item in items[run.first : done] if count(item)]
            for rowid, item in ((run.start, holders[0]), (run.end - 1, holders[-1])):
                key = item.sort_key
                if connection.execute(lookup, (rowid,)).fetchone() != (key[0], key[2]):
                    return None
            table_steps.append(range(run.start, run.end))
        steps.append(table_steps + list(items[done:]))
    return steps


def _insert(
    connection: sqlite3.Connection,
    table: str,
    columns: tuple[Column, ...],
    index: int,
    sheets: Iterable[Sequence[Sequence[tuple[Cell, ...]]]],
) -> None:
    """The rows of table `index` of each of `sheets` into `table`, an SQL name as it is
    written (quoted; one pass over `sheets`)."""
    marks = ", ".join("?" for _ in columns)
    connection.executemany(
        f"INSERT INTO {table} VALUES ({marks})",
        (_sql_row(row) for item in sheets for row in item[index]),
    )


def fill(
    connection: sqlite3.Connection,
    sheets: Iterable[Sequence[Sequence[tuple[Cell, ...]]]],
    config: SiteConfig,
    data_date: dt.date | None,
) -> None:
    """Create and fill every table and view of the database in `connection` (`write_sqlite`),
    in a transaction the caller opened and commits."""

    def rows(connection: sqlite3.Connection, table: str, columns: Columns, index: int) -> None:
        _insert(connection, _quote(table), columns, index, sheets)

    _fill(connection, rows, config, data_date)


def _fill(
    connection: sqlite3.Connection,
    rows: Callable[[sqlite3.Connection, str, Columns, int], None],
    config: SiteConfig,
    data_date: dt.date | None,
) -> None:
    """`fill`, each table's rows put in by `rows(connection, table, columns, index)` once the
    table is created: the one sequence of statements `write_sqlite` and `update_sqlite` run,
    so that the same rows in the same order give the same bytes."""
    for table, columns, index, key, view in TABLES:
        connection.execute(_create(table, columns, key))
        rows(connection, table, columns, index)
        connection.execute(_view(view, table, columns))
    connection.execute(
        'CREATE TABLE "字段说明" ("表" TEXT, "字段名" TEXT, "列标题" TEXT, "类型" TEXT, '
        '"说明" TEXT, PRIMARY KEY ("表", "字段名"))'
    )
    connection.executemany(
        'INSERT INTO "字段说明" VALUES (?, ?, ?, ?, ?)',
        [
            (table, c.name, c.title, TYPE_WORDS[c.type], described(c))
            for table, columns, *_ in TABLES
            for c in columns
        ],
    )
    connection.execute('CREATE TABLE "数据说明" ("项目" TEXT PRIMARY KEY, "内容" TEXT)')
    connection.executemany('INSERT INTO "数据说明" VALUES (?, ?)', about_rows(config, data_date))
