"""The SQLite file's two writers on a built site's rows: CPU seconds, and whether an edit's file
is the full build's bytes.

    .venv/bin/python bench/sqlite_bench.py SITE CONTENT --runs 5

Reads every row of SITE/data/jixiao.db (made by a full build, or by an edit of this version:
both insert the rows in the same order), grouped by project in the file's order, then times
`write_sqlite` of every row (what a full build does, from rows in memory) and `update_sqlite`
of the published file with `--changed` projects spread over the file re-read with their rows
as they are (what an edit of them does). Prints the CPU medians of this process and whether
the updated file is byte for byte the published one (it must be: the same rows). The code
measured is that of the checkout the script is in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder.form.load import load_config
from builder.opendata.sqlite import TABLES, update_sqlite, write_sqlite

Sheets = tuple[list[tuple[object, ...]], ...]


Key = tuple[int, str, str]


def read_rows(database: Path) -> tuple[list[Key], list[Sheets], dt.date | None]:
    """The sort key (year, unit folder, id) of every project in rowid order, its rows of each
    table (`sheets`, as `write_sqlite` takes them) and the date of the data the file states."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        query = 'SELECT "year", "unit_slug", "id" FROM projects ORDER BY rowid'
        keys: list[Key] = [tuple(row) for row in db.execute(query)]  # type: ignore[misc]
        sheets: dict[tuple[int, str], Sheets] = {(y, i): ([], [], []) for y, _, i in keys}
        for index, (table, *_) in enumerate(TABLES):
            column = '"id"' if table == "projects" else '"project_id"'
            query = f'SELECT "year", {column}, * FROM "{table}" ORDER BY rowid'
            for row in db.execute(query):
                sheets[(row[0], row[1])][index].append(tuple(row[2:]))
        about = dict(db.execute('SELECT * FROM "数据说明"').fetchall())
    date = dt.date.fromisoformat(about["数据日期"]) if about.get("数据日期") else None
    return keys, [sheets[(y, i)] for y, _, i in keys], date


@dataclass(frozen=True)
class Share:
    """A project's rows as `update_sqlite` reads a share (`records.ProjectData`)."""

    sort_key: Key
    sheets: Sheets

    def rows(self, table: int) -> int:
        return len(self.sheets[table])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("content", type=Path, help="the site's content (for site.yaml)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--changed", type=int, default=1, help="projects an edit re-reads")
    args = parser.parse_args()
    published = args.site / "data" / "jixiao.db"
    config = load_config(args.content)[0]
    keys, sheets, date = read_rows(published)
    step = max(1, len(keys) // (args.changed + 1))
    chosen = list(range(step, step * (args.changed + 1), step))[: args.changed]
    times: dict[str, list[float]] = {"write_sqlite": [], "update_sqlite": []}
    same = True
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            made = Path(folder) / f"write-{run}.db"
            started = time.process_time()
            write_sqlite(made, sheets, config, date)
            times["write_sqlite"].append(time.process_time() - started)
            made.unlink()
            made = Path(folder) / f"update-{run}.db"
            started = time.process_time()
            shares = [Share(key, rows) for key, rows in zip(keys, sheets, strict=True)]
            changed = {keys[at] for at in chosen}  # re-read as they were: the same rows
            gone = {keys[at]: shares[at] for at in chosen}
            copied = update_sqlite(made, published, shares, changed, gone, config, date)
            times["update_sqlite"].append(time.process_time() - started)
            same = same and copied and made.read_bytes() == published.read_bytes()
            made.unlink()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{len(keys)} projects, {args.changed} changed, load {load}")
    for name, seconds in times.items():
        runs = ", ".join(f"{s:.3f}" for s in seconds)
        print(f"{name}: median {statistics.median(seconds):.3f} s CPU ({runs})")
    print("update_sqlite gives the published bytes:", same)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
