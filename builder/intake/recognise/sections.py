"""A form's rows cut into its parts, in the order the templates print them: the head (name,
department, unit), the funding block, the goals, the indicator table, the foot (总分, 自评结论,
texts, people) and the 备注/注. A part begins at the cell that names it, so a flattened source
that runs several parts into one line is cut inside the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grid import Cell, Row
from . import columns, funding
from .foot import REMARKS
from .sheet import filled
from .split import tokens
from .words import FUNDING_TITLES, key

ORDER = ("head", "funding", "goals", "indicators", "foot", "remarks")
_GOALS = ("年度总体目标", "总体目标", "预期目标")
_TABLE = ("绩效指标", "年度绩效指标", "一级指标", "二级指标", "三级指标")
_FOOT = (
    "总分",
    "自评结论",
    "存在问题",
    "其他需要说明事项",
    "偏差大或目标未完成原因分析",
    "改进措施",
)


# A page's footer (「第 1 页 共 2 页」, jixiao's 「本表网址 … 数据截至 …」 before it, a booklet's
# 「汇编第 7 页」 after it), and the annex a jixiao PDF prints after the form.
_PAGE = re.compile(r"^(?=.)(本表网址.*?)?(第\d+页(共\d+页)?)?(汇编第\d+页)?$")
_ANNEX = ("附:复核计算结果", "附：复核计算结果")


@dataclass
class Piece:
    """A row's cells that fall in one part: the printed cells, the row's width with its blank
    cells, and whether the row was one cell split at spaces (`loose`)."""

    cells: list[Cell]
    width: int
    loose: bool = False
    row: Row | None = None  # the whole row as read, blanks included, when the piece is all of it


@dataclass
class Parts:
    """The pieces of each part, in order."""

    pieces: dict[str, list[Piece]] = field(default_factory=lambda: {name: [] for name in ORDER})

    def cells(self, part: str) -> list[Cell]:
        """All cells of a part, in reading order."""
        return [cell for piece in self.pieces[part] for cell in piece.cells]

    @property
    def seen(self) -> list[str]:
        """The parts that hold something."""
        return [name for name in ORDER if self.pieces[name]]


def _starts(cell: Cell, state: str) -> str:
    """The part a cell begins, if it begins one after `state` ("" otherwise)."""
    folded = key(cell.text)
    after = ORDER[ORDER.index(state) + 1 :]
    if REMARKS.match(cell.text.strip()) and state in ("indicators", "foot"):
        return "remarks"
    if "funding" in after and (
        folded.startswith(FUNDING_TITLES) or funding.header_kind(cell.text) in funding.AMOUNTS
    ):
        return "funding"
    if "goals" in after and folded.startswith(_GOALS):
        return "goals"
    if "indicators" in after and folded.startswith(_TABLE):
        return "indicators"
    if state == "indicators" and folded.startswith(_FOOT):
        return "foot"
    return ""


def cut(rows: list[Row]) -> Parts:
    """The parts of a form's rows (see the module's docstring)."""
    parts = Parts()
    state = "head"
    for row in rows:
        cells = tokens(row)
        loose = len(filled(row)) == 1 and len(cells) > 1
        width = len(cells) if loose else len(row)
        joined_row = key("".join(cell.text for cell in cells))
        if key(cells[0].text).startswith("续表") or _PAGE.match(joined_row):
            continue
        if key(cells[0].text).startswith(_ANNEX):
            break  # what jixiao computed, printed after the form: not the form's own
        if state == "remarks":
            if resumes_report(row, parts.pieces["remarks"][0].cells[0].text):
                break  # the report the form is in goes on: not the form's
            parts.pieces[state].append(Piece(filled(row), width))
            continue
        current: list[Cell] = []
        for index, cell in enumerate(cells):
            begins = _starts(cell, state)
            if begins and current:
                parts.pieces[state].append(Piece(current, width, loose))
            if begins == "remarks":
                parts.pieces["remarks"].append(Piece(_rest(row, cells, index, loose), width))
                state, current = "remarks", []
                break
            if begins:
                state, current = begins, []
            current.append(cell)
        if current:
            whole = row if len(current) == len(cells) and not loose else None
            parts.pieces[state].append(Piece(current, width, loose, whole))
    return parts


def resumes_report(row: Row, note: str) -> bool:
    """True for a row after a form's 注 (`note`, its first line) that is the report around the
    form going on, not the 注: a section heading (二、…, (三)…, 第二部分…; 二、 goes on a 注 whose
    items are numbered 一、 二、), or a Word paragraph that is no numbered item of the 注
    (a Word paragraph is whole, so the 注's own paragraphs are its items: 2.…, (2)…, ②…;
    a line of a PDF or a text may be a wrapped line of the 注 and is taken as one)."""
    cells = filled(row)
    if not cells:
        return False
    text = cells[0].text.strip()
    heading = _HEADING.match(text)
    if heading and not (heading.group(1) and _ORDINAL_ITEMS.search(note)):
        return True
    place = cells[0].place
    paragraph = place.line is not None and place.column is None and place.page is None
    return paragraph and not _ITEM.match(text)


# A report's section heading; group 1 is set for 「二、」, which a 注 may number its items by.
_HEADING = re.compile(
    r"^(?:([一二三四五六七八九十]+)[、．.]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部分章节])"
)
_ORDINAL_ITEMS = re.compile(r"[:：]\s*一[、．.]")
_ITEM = re.compile(r"^(?:\d+\s*[.．、)）]|[(（]\d+[)）]|[①-⑳])")


def _rest(row: Row, cells: list[Cell], index: int, loose: bool) -> list[Cell]:
    """The cells of a row from `index` on; for a row split at spaces, the text as printed from
    that word on (the 备注 keeps its spaces)."""
    if not loose:
        return cells[index:]
    whole = filled(row)[0]
    start = whole.text.find(cells[index].text)
    return [Cell(whole.text[start:].strip(), cells[index].place)]


def header_cells(cells: list[Cell]) -> int:
    """How many of the indicator part's first cells are its header (labels of columns)."""
    count = 0
    for cell in cells:
        folded = key(cell.text)
        if (
            columns.header_kind(cell.text)
            or folded.startswith(_TABLE)
            or folded in ("一级", "二级", "三级", "指标")
        ):
            count += 1
        else:
            break
    return count
