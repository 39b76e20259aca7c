"""What the tests compare of two builds' open data where bytes may rightly differ.

`data/jixiao.db` of an incremental build is the published file with the changed projects'
rows replaced (`opendata.sqlite.update_sqlite`): the same schema and rows as a full build's,
in other pages and rowids. `database_contents` is what must be equal: the schema
(`sqlite_master` without root pages) and every table's rows, sorted. The year workbooks are
compared cell by cell through openpyxl (`workbook_contents`), as a reader sees them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl


def database_contents(path: Path) -> tuple[object, ...]:
    """The schema (type, name, table, SQL of every object) and each table's rows, sorted by
    every column: what a reader of `path` can ask for, save row order."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        schema = db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [name for kind, name, _, _ in schema if kind == "table"]
        rows = []
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            count = len(db.execute(f"SELECT * FROM {quoted} LIMIT 0").description)
            order = ", ".join(str(n) for n in range(1, count + 1))
            rows.append(db.execute(f"SELECT * FROM {quoted} ORDER BY {order}").fetchall())
    return (schema, *rows)


def workbook_contents(path: Path) -> dict[str, object]:
    """Each sheet's name, cells (value, type, number format, quote prefix, bold), column
    widths, frozen panes and size, and the document's title, author and date."""
    book = openpyxl.load_workbook(path)
    out: dict[str, object] = {"sheets": book.sheetnames}
    for sheet in book.worksheets:
        out[sheet.title] = (
            [
                [(c.value, c.data_type, c.number_format, c.quotePrefix, c.font.b) for c in row]
                for row in sheet.iter_rows()
            ],
            {key: (d.width, d.customWidth) for key, d in sheet.column_dimensions.items()},
            sheet.freeze_panes,
            sheet.max_row,
            sheet.max_column,
        )
    props = book.properties
    out["properties"] = (props.title, props.creator, props.created, props.modified)
    return out
