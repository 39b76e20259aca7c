"""PDFs with a text layer to `Table`s, with pdfplumber: page by page, top to bottom.

Tables are found by their ruling lines (`find_tables`). A table cut by a page break is open
at the cut (no rule under its last row, or over its first): the cells running into the cut
would be lost, so such a table is closed with a rule along its edge and found again. Each
table is a Table with `Place.page`, `table` (the n-th on its page), `row` and `column` (of
the table's grid: every distinct column edge makes a column); a merged cell is given once,
at its top-left, with `span`/`rows`, the cells it covers left out of their rows. A form over
several pages stays several Tables in page order; the recogniser joins them (a repeated
header row is printed again on each page and comes again).

The text outside the tables (the title, 单位/填报日期, 联系人, the page number) comes as rows
of a Table of its own between the tables, in page order: one row per printed line, a line
cut into cells where its pieces are far apart (单位 and 填报日期 printed on one line at both
ends are two cells); `Place.page` with `line` (the n-th such line on the page) and `column`
(the n-th piece). A page without ruling lines is read the same way as a whole: text-position
rows. A cell's lines are joined as `pdftext.cell_text` says (no space put between Chinese
characters, ASCII words keep theirs).

Why pdfplumber and not PyMuPDF: pdfplumber is pure Python on pdfminer.six (MIT, installed
with the project; PyMuPDF is AGPL and a compiled wheel, not installed), it gives the ruling
lines and every character's box, which is what locating cells needs. Measured on the 124-page
PDF of the import bench (CPU time of 30 pages): pdfminer parsing the pages' characters and
rules is nearly all of a page's time (1.6 s; PyMuPDF 2.0 gives the same characters and
drawings in 0.17 s), but PyMuPDF's own table finder took 14 s, so taking it would mean its
AGPL and a table finder of our own on its drawings. A page is read alone (`read_pages`), so
`jixiao import --jobs N` reads a long PDF in page ranges, N at once (docs/performance.md).
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Any

from ..grid import Cell, Place, Row, Table
from . import pdfgrid
from .errors import ReadError, Reading, ReadIssue, damaged, encrypted
from .pdfclip import Stretches, open_sides, opened, printed
from .pdfcut import Cut, RuledTable, cell_lines, rejoined
from .pdftext import Line, cell_text, lines_of, pieces

# The page's bottom margin, in points (12.7 mm): office programs and jixiao print no form there,
# only a page's footer.
_FOOTER_BAND = 36.0
# The page's top band, in points: a page header printed in the top margin (half an inch down
# in Word and LibreOffice) ends within it.
_HEADER_BAND = 54.0


def read(path: Path) -> Reading:
    """The tables and the text around them of every page of the PDF at `path`, in order.

    Raises ReadError for a password-protected or damaged file, and for a PDF with no text
    on any page (`no-text-layer`: a scan, which needs OCR first)."""
    return joined(path, [read_pages(path)])


def page_count(path: Path) -> int:
    """How many pages the PDF at `path` has. Raises ReadError as `read` (password, damage)."""
    with _opened(path) as pdf:
        return len(pdf.pages)


def read_pages(path: Path, first: int = 1, last: int | None = None) -> list[Table]:
    """The tables and outside text of pages `first`…`last` (1-based, inclusive; `last` None:
    to the end) of the PDF at `path`, in order: what `read` gives for those pages, since a
    page is read alone (`joined` puts ranges back together). Raises ReadError for a
    password-protected or damaged file, naming the first page that cannot be parsed."""
    tables: list[Table] = []
    with _opened(path) as pdf:
        try:
            for number, page in enumerate(pdf.pages[first - 1 : last], start=first):
                tables.extend(_page(path.name, number, page))
                page.close()  # frees the page's parsed objects: a long file reads in flat memory
        except Exception as exc:  # a page whose content cannot be parsed
            raise damaged(path, "页面内容无法读取", f"page content unreadable ({exc})") from None
    return tables


def joined(path: Path, ranges: list[list[Table]]) -> Reading:
    """The Reading of the PDF at `path` from the tables of its page ranges, in page order,
    a table row or merged cell a page break cut joined back (`pdfcut`). Raises ReadError
    `no-text-layer` when no page gave any text."""
    tables = [table for part in ranges for table in part]
    if not tables:
        raise ReadError(
            path,
            "no-text-layer",
            "PDF 没有文字层（扫描件或图片），读不出文字",
            "no text layer: a scanned PDF needs OCR first",
            "请先用 OCR 软件识别成带文字层的 PDF，或使用原始的 Excel/Word 文件",
            "run OCR on it first, or import the original workbook or document",
        )
    # The cells a table put together without rules could not tell (`pdfgrid`), then the
    # page-break joins' own.
    own = [issue for table in tables for issue in table.issues]
    tables, issues = rejoined(tables)
    return Reading(tables, [*own, *issues])  # type: ignore[list-item]


def _opened(path: Path) -> Any:
    """The PDF opened with pdfplumber (a context manager), or a ReadError."""
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer's syntax and password errors, wrapped by pdfplumber
        raise _open_error(path, exc) from None


def _open_error(path: Path, exc: Exception) -> ReadError:
    """The error for a PDF pdfplumber cannot open: a password or a damaged file."""
    causes = [exc, exc.__cause__, *getattr(exc, "args", ())]
    if any("Password" in type(cause).__name__ for cause in causes if cause is not None):
        return encrypted(path, ".pdf")
    return damaged(path, "不是可读取的 PDF", f"not a readable PDF ({exc})")


def _page(file: str, number: int, page: Any) -> list[Table]:
    """One page's tables and runs of outside text, top to bottom."""
    chars = page.dedupe_chars().chars
    if all(not c["text"].strip() for c in chars):
        return []
    found = _ruled_tables(page)
    boxes = [tuple(t.bbox) for t in found]
    sides = open_sides(page, boxes) if found else ([], [])
    chars = printed(page, chars, boxes, sides)  # a cut merged cell's clipped text: left out
    inside: list[list[Any]] = [[] for _ in found]
    outside = []
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        index = next((i for i, b in enumerate(boxes) if _within(x, y, b)), None)
        (outside if index is None else inside[index]).append(char)
    # The bottom margin's lines (a page number, jixiao's 「本表网址 … 数据截至 …」) are read
    # apart, each line its own row: never joined to a 注 printed above them.
    band = page.height - _FOOTER_BAND
    body = [c for c in outside if (c["top"] + c["bottom"]) / 2 <= band]
    foot = [c for c in outside if (c["top"] + c["bottom"]) / 2 > band]
    items: list[tuple[float, Table | Row]] = []
    for index, (table, table_chars) in enumerate(zip(found, inside, strict=True), start=1):
        place = Place(file, page=number, table=index)
        ends = _body_ends(table.bbox, index, len(found), body)
        own = (sides[0] if index == 1 else [], sides[1] if index == len(found) else [])
        ruled = _ruled_table(place, table.cells, table_chars, (ends, own))
        items.append((table.bbox[1], ruled))
    # A line of spaces alone (the space a wrapped line ended with, hanging past a table's
    # side) prints nothing.
    texts = [line for line in lines_of(body) if line.text]
    grid = None if found else pdfgrid.find_table(texts)
    rows: tuple[Row, ...] = ()
    if grid is not None:  # a page without ruling lines: its indicator table by its columns
        start, end = grid
        numbers = list(range(start + 1, end + 1))
        rows, issues = pdfgrid.read_table(file, number, texts[start:end], numbers)
    if grid is None or not rows:
        grid, lines = None, _paragraphs(texts)
    else:
        place = Place(file, page=number, line=start + 1)
        issues = [_unruled(place), *issues]  # every cell of it placed by position: all checked
        items.append((texts[start].top, Table(rows, place, tuple(issues))))
        lines = _paragraphs(texts[:start]) + _paragraphs(texts[end:], end + 1)
    first = (len(lines) if grid is None else len(texts)) + 1
    feet = [line for line in lines_of(foot) if line.text]
    lines += [(first + i, [line], line.x1) for i, line in enumerate(feet)]
    for line_number, group, right in lines:
        items.append((group[0].top, _text_row(file, number, line_number, group, right)))
    return _in_order(items)


def _unruled(place: Place) -> ReadIssue:
    """`no-ruling-lines`: a table printed without ruling lines, read by the words' positions:
    its columns told by the header, the rest of the form (funding, goals) as lines of text. A
    cell may land in a neighbouring column or be cut off, so every value is a person's to check
    against the original (or import the workbook or document the PDF was made from)."""
    return ReadIssue(
        "no-ruling-lines",
        place,
        "表格没有框线:各格按文字位置归列,资金和目标按文字行读出,可能错列或截断",
        "a table printed without ruling lines: its cells placed by the words' positions, the"
        " funding and goals read as lines of text, so a value may be in the wrong column or cut",
    )


def _body_ends(
    box: tuple[float, ...], index: int, count: int, body: list[Any]
) -> tuple[bool, bool]:
    """Whether the `index`-th of the page's `count` ruled tables (top to bottom), at `box`,
    begins the page's body (no text above it but a page header, `_HEADER_BAND`) and ends it
    (no text below it: `body` is the text outside the tables less the footer)."""
    above = any(_HEADER_BAND < c["bottom"] and c["bottom"] <= box[1] for c in body)
    below = any(c["top"] >= box[3] for c in body)
    return index == 1 and not above, index == count and not below


def _paragraphs(lines: list[Line], first: int = 1) -> list[tuple[int, list[Line], float]]:
    """The printed lines outside the tables, each with its number on the page, a line that
    wraps on into the next taken with it, and the right side the lines reach. Lines of one
    piece each in a row are a run whose widest line is its right side; a line continues into
    the next when it reaches that side so that the next line's first word would not have
    fitted (`pdftext.cell_text`) and the next line does not start right of it (a centred
    title and the year under it are two lines). A line of several pieces (单位 and 填报日期
    at both ends) stands alone. `first` is the number of the first of `lines` on the page."""
    single = [len(pieces(line)) == 1 for line in lines]
    runs: list[list[int]] = []
    for index, one in enumerate(single):
        if one and index and single[index - 1]:
            runs[-1].append(index)
        else:
            runs.append([index])
    rights = [0.0] * len(lines)
    for run in runs:
        for index in run:
            rights[index] = max(lines[i].x1 for i in run)
    out: list[tuple[int, list[Line], float]] = []
    for index, line in enumerate(lines):
        above = out[-1][1][-1] if out else None
        if (
            above is not None
            and single[index - 1]
            and single[index]
            and line.x0 <= above.x0 + above.size / 2
            and "\n" not in cell_text([above, line], rights[index])
        ):
            out[-1][1].append(line)
        else:
            out.append((first + index, [line], rights[index]))
    return out


def _within(x: float, y: float, box: tuple[float, ...]) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _in_order(items: list[tuple[float, Table | Row]]) -> list[Table]:
    """The tables and text rows by their top, each run of text rows made one Table."""
    tables: list[Table] = []
    run: list[Row] = []
    for _, item in sorted(items, key=lambda pair: pair[0]):
        if isinstance(item, Table):
            if run:
                tables.append(Table(tuple(run), run[0][0].place))
                run = []
            tables.append(item)
        else:
            run.append(item)
    if run:
        tables.append(Table(tuple(run), run[0][0].place))
    return tables


def _text_row(file: str, page: int, line_number: int, lines: list[Line], right: float) -> Row:
    """A printed line outside the tables as a row, a cell per piece (`pdftext.pieces`); a
    paragraph wrapped over several lines as one cell (`pdftext.cell_text`)."""
    if len(lines) > 1:
        return (Cell(cell_text(lines, right), Place(file, page=page, line=line_number, column=1)),)
    return tuple(
        Cell(text, Place(file, page=page, line=line_number, column=column))
        for column, (text, _) in enumerate(pieces(lines[0]), start=1)
    )


def _ruled_tables(page: Any) -> list[Any]:
    """The page's tables found by their ruling lines, a table open at a page break closed
    along its edge and found again; [] when the page has no ruled table."""
    found = page.find_tables()
    if not found:
        return []
    closing = [edge for table in found for edge in _closing_edges(page, table)]
    if closing:
        found = page.find_tables({"explicit_horizontal_lines": closing})
    return sorted(found, key=lambda t: (t.bbox[1], t.bbox[0]))


def _closing_edges(page: Any, table: Any) -> list[dict[str, Any]]:
    """Horizontal rules along the top and bottom ends of the vertical rules of `table` when
    its cells leave part of it uncovered (cells running into a page break have no rule at
    the cut); [] for a closed table."""
    x0, top, x1, bottom = table.bbox
    verticals = [
        e
        for e in page.edges
        if e["orientation"] == "v"
        and x0 - 1 <= e["x0"] <= x1 + 1
        and e["top"] < bottom
        and e["bottom"] > top
    ]
    low = max([bottom, *(e["bottom"] for e in verticals)])
    high = min([top, *(e["top"] for e in verticals)])
    covered = sum((c[2] - c[0]) * (c[3] - c[1]) for c in table.cells)
    if covered >= 0.995 * (x1 - x0) * (bottom - top) and low - bottom < 2 and top - high < 2:
        return []
    return [_rule(x0, x1, high), _rule(x0, x1, low)]


def _rule(x0: float, x1: float, y: float) -> dict[str, Any]:
    return {
        "object_type": "closing_edge",
        "orientation": "h",
        "x0": x0,
        "x1": x1,
        "width": x1 - x0,
        "top": y,
        "bottom": y,
        "height": 0,
    }


def _ruled_table(
    place: Place,
    boxes: list[tuple[float, ...]],
    chars: list[Any],
    frame: tuple[tuple[bool, bool], tuple[Stretches, Stretches]],
) -> RuledTable:
    """A ruled table from its cell boxes and the characters inside it (see the docstring),
    with its cells' lines and the sides open at a page break (`pdfcut.Cut`) when it begins
    or ends its page's body; `frame` is (whether it begins and ends it, its top and bottom
    sides' open stretches: `pdfclip.open_sides`)."""
    ends, sides = frame
    whole = (
        *(min(b[i] for b in boxes) for i in (0, 1)),
        *(max(b[i] for b in boxes) for i in (2, 3)),
    )
    columns = _edges([b[0] for b in boxes])
    tops = _edges([b[1] for b in boxes])
    owner: dict[tuple[int, int], int] = {}
    for index, box in enumerate(boxes):
        for r in range(_slot(tops, box[1]), _last_slot(tops, box[3]) + 1):
            for c in range(_slot(columns, box[0]), _last_slot(columns, box[2]) + 1):
                owner[(r, c)] = index
    held: list[list[Any]] = [[] for _ in boxes]
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        index = owner.get((_last_slot(tops, y + 1), _last_slot(columns, x + 1)))
        if index is not None:
            held[index].append(char)
    lines = [lines_of(group) for group in held]
    padding = _padding(boxes, lines)
    by_row: dict[int, list[Cell]] = {}
    kept, opens = [], []
    for index, box in enumerate(boxes):
        r, c = _slot(tops, box[1]), _slot(columns, box[0])
        span = _last_slot(columns, box[2]) - c + 1
        down = _last_slot(tops, box[3]) - r + 1
        text = cell_text(lines[index], box[2] - padding)
        cell_place = Place(place.file, page=place.page, table=place.table, row=r, column=c)
        by_row.setdefault(r, []).append(Cell(text, cell_place, span, down))
        ends_lines = cell_lines(lines[index], box, box[2] - padding) if any(ends) else None
        if ends_lines is not None:
            kept.append(((r, c), ends_lines))
        if side := opened(box, whole, sides):
            opens.append(((r, c), side))
    rows = tuple(
        tuple(sorted(by_row[r], key=lambda cell: cell.place.column or 0)) for r in sorted(by_row)
    )
    edges = (*columns, whole[2])  # the last column's right side too
    cut = Cut(edges, *ends, tuple(kept), tuple(opens), (whole[1], whole[3])) if any(ends) else None
    return RuledTable(rows, place, cut=cut)


def _edges(values: list[float]) -> list[float]:
    """The distinct positions among `values`, those within 1 pt of each other taken as one."""
    found: list[float] = []
    for value in sorted(values):
        if not found or value - found[-1] > 1:
            found.append(value)
    return found


def _slot(edges: list[float], value: float) -> int:
    """The 1-based number of the row or column (between `edges`) holding `value`, a value
    within 1 pt before an edge taken as on it."""
    return max(1, bisect_right(edges, value + 1))


def _last_slot(edges: list[float], end: float) -> int:
    """The 1-based number of the last row or column a box ending at `end` covers."""
    return max(1, bisect_right(edges, end - 1))


def _padding(boxes: list[tuple[float, ...]], lines: list[list[Line]]) -> float:
    """The table's cell padding: the least gap between a cell's left side and its text."""
    gaps = [
        min(line.x0 for line in group) - box[0]
        for box, group in zip(boxes, lines, strict=False)
        if group
    ]
    return max(0.0, min(gaps, default=0.0))
