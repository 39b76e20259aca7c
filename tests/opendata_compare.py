"""What the tests compare of two workbooks whose bytes rightly differ.

A build's open data is the same bytes whatever the build's history (an incremental build's
`data/jixiao.db` and year workbooks are a full build's: `tests/test_same_bytes.py`), so builds
are compared byte for byte. What remains are the year workbook's rows joined as kept sheet XML
(`opendata.sheetxml`) against the same rows written cell by cell by XlsxWriter, the writer they
stand for: other XML (no cell references, inline text), so other bytes for the same cells.
They are compared cell by cell through openpyxl (`workbook_contents`), as a reader sees them.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl


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
