"""Text that lost its cell separators (OCR of a form, a preview that ran every cell into one
line): such a cell is cut before each label the form prints, and a new row begins at each
label that begins one (a part, a 二级指标), so that the recogniser sees cells and rows again.
Only a long cell that names several labels is cut; everything else stays as read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...layout_words import COMMON_WORDS, ROW_STARTS, SEEN_WORDS, family_words
from ...layouts import LAYOUTS
from ..draft import ReviewItem
from ..grid import Cell, Row, Table
from .foot import REMARKS
from .unglue_values import name_and_run, split_run, unscrambled
from .words import PARTIAL_NOTE

# The words a form prints (`builder.layouts`: those of every family, the one table the PDF and
# the workbook print from), longest first, so that a word that begins another is tried after it;
# and the words real forms print in their place (`SEEN_WORDS`).
_LABELS = tuple(
    sorted(
        {
            *COMMON_WORDS,
            *(w for family in LAYOUTS for w in family_words(family)),
            *SEEN_WORDS,
        },
        key=lambda word: (-len(word), word),
    )
)
_PATTERN = re.compile("|".join(re.escape(label) for label in _LABELS))
_MIN_LABELS = 4
_MIN_LENGTH = 80


def _glued(cell: Cell) -> bool:
    return (
        not cell.text.lstrip().startswith(PARTIAL_NOTE)  # a sentence naming the parts cut off
        and not REMARKS.match(cell.text.lstrip())  # a 注 that names the form's words
        and len(cell.text) >= _MIN_LENGTH
        and len({m.group() for m in _PATTERN.finditer(cell.text)}) >= _MIN_LABELS
    )


def _cut(cell: Cell) -> list[list[Cell]]:
    """The rows a glued cell holds; everything from 备注 on is one cell."""
    rows: list[list[Cell]] = [[]]
    text = cell.text
    position = 0
    for match in _PATTERN.finditer(text):
        if match.start() < position:
            continue
        before = text[position : match.start()].strip(" :：")
        if before:
            rows[-1].append(Cell(before, cell.place))
        label = match.group()
        if label in ROW_STARTS and rows[-1]:
            rows.append([])
        if label == "备注":
            rows[-1].append(Cell(text[match.start() :].strip(), cell.place))
            return rows
        rows[-1].append(Cell(label, cell.place))
        position = match.end()
    rest = text[position:].strip(" :：")
    if rest:
        rows[-1].append(Cell(rest, cell.place))
    return rows


_FUNDING_HEADER = {"预算数(A)": "budget", "执行数(B)": "executed", "执行率(B/A)": "rate"}
_TABLE_HEADER = {"年初目标值(A)": "target", "实际完成值(B)": "actual"}
_LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度")


@dataclass
class _Context:
    """What the rows cut so far say about the rows that follow."""

    funding: tuple[str, ...] = ()
    table: tuple[str, ...] = ()
    in_table: bool = False
    notes: list[ReviewItem] = field(default_factory=list)

    def drop(self, cell: Cell, text: str) -> None:
        self.notes.append(
            ReviewItem(
                "unreadable-cell",
                cell.place,
                f"无法识别的文字「{text}」(字符粘连或识别错误),未导入",
                f"unreadable text {text!r} (characters run together or misread): left out",
            )
        )


def _kinds(row: list[Cell], words: dict[str, str]) -> tuple[str, ...]:
    found = tuple(words[c.text] for c in row if c.text in words)
    return (*found, "score") if found and any(c.text.startswith("得分") for c in row) else found


def _figures(cell: Cell, kinds: tuple[str, ...], context: _Context) -> list[Cell]:
    """A value cell of a glued row: its name and its figures as cells; the rest dropped."""
    parts = name_and_run(cell.text)
    if parts is None or not kinds:
        return [cell]
    name, run, rest = parts
    figures, guessed = split_run(run, len(kinds), kinds)
    if guessed:
        context.notes.append(
            ReviewItem(
                "column-guess",
                cell.place,
                f"「{run}」中的数字连在一起,按列拆为 {' | '.join(figures)},请核对原件",
                f"the figures {run!r} ran together; split as {' | '.join(figures)}: check",
            )
        )
    out = ([Cell(name, cell.place)] if name else []) + [Cell(f, cell.place) for f in figures]
    return out + _leftover(cell, rest, context)


def _leftover(cell: Cell, rest: str, context: _Context) -> list[Cell]:
    """What follows a glued row's figures: a scrambled 一级指标 (a row of its own) or text
    that cannot be read (dropped, a review item)."""
    if not rest:
        return []
    for start in range(len(rest)):
        found = unscrambled(rest[start:])
        if found:
            if start:
                context.drop(cell, rest[:start])
            context.notes.append(
                ReviewItem(
                    "ocr-suspect",
                    cell.place,
                    f"「{rest[start : start + len(found[0])]}」字序错乱,读作「{found[0]}」,请核对",
                    f"{rest[start : start + len(found[0])]!r} has its characters out of order: "
                    f"read as {found[0]}",
                )
            )
            if found[1]:
                context.drop(cell, found[1])
            return [_ROW_BREAK, Cell(found[0], cell.place)]
    context.drop(cell, rest)
    return []


_ROW_BREAK = Cell("\n", None)  # type: ignore[arg-type]


def _values(row: list[Cell], context: _Context) -> list[Cell]:
    """A cut row with its glued figures taken apart (see unglue_values)."""
    head = row[0].text
    if head in _FUNDING_HEADER or head.startswith("预算执行情况"):
        context.funding = _kinds(row, _FUNDING_HEADER)
    if head == "二级指标":
        context.table, context.in_table = _kinds(row, _TABLE_HEADER), True
        return (
            row[:-1] + _leftover(row[-1], row[-1].text.removeprefix("得分"), context)
            if not row[-1].text == "得分"
            else row
        )
    if head == "总分":
        context.in_table = False
    if "资金总额" in head and len(row) > 1:
        return [row[0], *_figures(row[1], context.funding, context)]
    if context.in_table and head in _LEVEL2 and len(row) > 1:
        return [row[0], *_figures(row[1], context.table, context)]
    if context.in_table and head not in _LEVEL2:
        return _leftover(row[0], head, context)[1:]
    return row


def unglue(tables: list[Table]) -> tuple[list[Table], list[ReviewItem]]:
    """The tables with every glued cell cut into cells and rows (see the module), and the
    review items of what could not be read or had to be chosen."""
    out = []
    context = _Context()
    for table in tables:
        rows: list[Row] = []
        for row in table.rows:
            if not any(_glued(cell) for cell in row):
                rows.append(row)
                continue
            for piece in _pieces(row):
                cells = _values(piece, context) if piece else piece
                rows += _rows(cells)
        out.append(Table(tuple(rows), table.origin))
    return out, context.notes


def _pieces(row: Row) -> list[list[Cell]]:
    pieces: list[list[Cell]] = [[]]
    for cell in row:
        if not _glued(cell):
            pieces[-1].append(cell)
            continue
        cut = _cut(cell)
        pieces[-1] += cut[0]
        pieces += cut[1:]
    return pieces


def _rows(cells: list[Cell]) -> list[Row]:
    """Cells with row breaks in them as rows."""
    rows: list[list[Cell]] = [[]]
    for cell in cells:
        if cell is _ROW_BREAK:
            rows.append([])
        else:
            rows[-1].append(cell)
    return [tuple(row) for row in rows if row]
