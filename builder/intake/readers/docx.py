"""Word documents (.docx) to `Table`s, with python-docx: the body in document order.

Each table of the body is a Table (`Place.table` counts the tables as given, from 1; `row`
and `column` are the table's row and grid column, from 1). A merged cell is given once, at
its top-left: `span` from the cell's gridSpan, `rows` from the vMerge run below it; the
cells it covers are left out of their rows. A cell's text is its paragraphs joined by "\\n",
surrounding whitespace stripped. A table nested in a cell is flattened as a Table of its
own, given right after the table that holds it (a form pasted into a frame table comes out
as the form's own Table); the holding cell keeps its own paragraphs' text.

Paragraphs between tables (the report's text, the 单位/填报日期 line above the form, the
联系人 line below it) are one-cell rows, a run of them a Table of its own between the tables,
so the recogniser sees them in document order. Their place is `Place.line`: the paragraph's
number in the body, counting every paragraph (blank ones are counted and not given).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..grid import Cell, Place, Row, Table
from .errors import Reading, damaged, office_container_error


def read(path: Path) -> Reading:
    """The tables and paragraph runs of the body of the document at `path`, in order.

    Raises ReadError for a password-protected, damaged or mis-named file."""
    error = office_container_error(path, ".docx")
    if error is not None:
        raise error
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # zip, XML and python-docx's own errors: a damaged file
        raise damaged(path, "文档内容无法读取", f"document parts unreadable ({exc})") from None
    return Reading(list(_body_tables(path.name, document.element.body)))


def _body_tables(file: str, body: Any) -> Iterator[Table]:
    """The body's tables and runs of paragraphs, in document order."""
    from docx.oxml.ns import qn

    paragraphs: list[Row] = []
    number = 0
    count = 0
    for element in _blocks(body):
        if element.tag == qn("w:p"):
            number += 1
            text = _paragraph_text(element)
            if text:
                paragraphs.append((Cell(text, Place(file, line=number)),))
            continue
        if paragraphs:
            yield Table(tuple(paragraphs), paragraphs[0][0].place)
            paragraphs = []
        for table in _flattened(file, element, count):
            count += 1
            yield table
    if paragraphs:
        yield Table(tuple(paragraphs), paragraphs[0][0].place)


def _blocks(parent: Any) -> Iterator[Any]:
    """The paragraphs (w:p) and tables (w:tbl) of a body, looking into content controls."""
    from docx.oxml.ns import qn

    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content)


def _flattened(file: str, tbl: Any, before: int) -> Iterator[Table]:
    """The table `tbl` as Table number `before + 1`, then each table nested in its cells,
    numbered on."""
    nested: list[Any] = []
    yield _table(file, tbl, before + 1, nested)
    number = before + 1
    for inner in nested:
        for table in _flattened(file, inner, number):
            number += 1
            yield table


def _table(file: str, tbl: Any, number: int, nested: list[Any]) -> Table:
    """One w:tbl as a Table; the tables nested in its cells are appended to `nested`."""
    from docx.oxml.ns import qn

    rows: list[list[Cell]] = []
    tops: dict[int, tuple[int, int]] = {}  # grid column → (row index, cell index) of a vMerge
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
        cells: list[Cell] = []
        column = _grid_before(tr) + 1
        for tc in _row_cells(tr):
            span = tc.grid_span
            if tc.vMerge == "continue":
                top_row, top_index = tops.get(column, (None, None))
                if top_row is not None:
                    top = rows[top_row][top_index]
                    rows[top_row][top_index] = Cell(top.text, top.place, top.span, top.rows + 1)
                    column += span
                    continue
            if tc.vMerge == "restart":
                tops[column] = (len(rows), len(cells))
            else:
                tops.pop(column, None)
            nested.extend(tc.iterchildren(qn("w:tbl")))
            place = Place(file, table=number, row=r, column=column)
            cells.append(Cell(_cell_text(tc), place, span))
            column += span
        rows.append(cells)
    return Table(tuple(tuple(row) for row in rows), Place(file, table=number))


def _row_cells(tr: Any) -> Iterator[Any]:
    """The cells (w:tc) of a row, looking into content controls."""
    from docx.oxml.ns import qn

    for child in tr.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from content.iterchildren(qn("w:tc"))


def _grid_before(tr: Any) -> int:
    """The grid columns skipped before a row's first cell (w:gridBefore), 0 when none."""
    from docx.oxml.ns import qn

    properties = tr.find(qn("w:trPr"))
    before = None if properties is None else properties.find(qn("w:gridBefore"))
    return 0 if before is None else int(before.get(qn("w:val"), "0"))


def _cell_text(tc: Any) -> str:
    """A cell's own paragraphs (not those of tables nested in it), joined by "\\n"."""
    from docx.oxml.ns import qn

    texts = [_paragraph_text(p) for p in _blocks(tc) if p.tag == qn("w:p")]
    return "\n".join(texts).strip()


def _paragraph_text(p: Any) -> str:
    """A paragraph's text as Word shows it (tabs as "\\t", line breaks as "\\n"), stripped."""
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text.strip()
