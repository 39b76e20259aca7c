"""The goals and the foot of a form: 年度总体目标, 总分, 财政审核评分, 自评结论 and 自评等次,
存在问题 / 改进措施 / 其他需要说明事项, the 备注 or 注 at the end."""

from __future__ import annotations

import re

from ..grid import Cell
from .sheet import FormSheet
from .words import key, number

GOAL_WORDS = ("年度总体目标", "总体目标", "预期目标", "实际完成情况", "年度总体目标完成情况")


def _block_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(field, the words its block is headed by) of the blocks of text: every family's words
    (`builder.layouts`, the table the PDF prints them from), longest first."""
    from ...layouts import LAYOUTS

    found: dict[str, set[str]] = {"problems": {"存在问题"}, "improvements": {"改进措施"}}
    for layout in LAYOUTS.values():
        for field, words in layout.blocks:
            found.setdefault(field, set()).add(words)
    return tuple(
        (field, tuple(sorted(words, key=lambda word: (-len(word), word))))
        for field, words in found.items()
    )


BLOCK_WORDS = _block_words()
CONCLUSIONS = dict(BLOCK_WORDS)["conclusion"]
TEXTS = tuple(
    (word, field) for field, words in BLOCK_WORDS if field != "conclusion" for word in words
)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_GRADE = re.compile(r"\s*自评等次\s*[:：]\s*(\S+)\s*$")
# The label of the 四川 block beside the goals (`printed.IMPLEMENTATION_LABEL`), and its
# shorter spelling.
IMPLEMENTATION = ("项目实施内容及过程概述", "实施内容及过程概述")
REMARKS = re.compile(r"^(备注|注)\s*[:：]")


def prose(text: str) -> str:
    """A text cell as the file keeps it: HTML paragraphs (「<p>1. …</p> <p>2. …</p>」, as some
    portals' text has them) become paragraphs separated by a blank line."""
    paragraphs = _PARAGRAPH.findall(text)
    if paragraphs:
        return "\n\n".join(part.strip() for part in paragraphs)
    return text.strip()


def read_goals(sheet: FormSheet, cells: list[Cell], loose: bool) -> None:
    """预期目标 and 实际完成情况: the first two text cells after the goals' labels; the text
    after a 项目实施内容及过程概述 label (四川) is `goals.implementation`."""
    labels = [i for i, cell in enumerate(cells) if key(cell.text).startswith(IMPLEMENTATION)]
    if labels and labels[0] + 1 < len(cells):
        at = labels[0]
        sheet.put(("goals", "implementation"), prose(cells[at + 1].text), cells[at + 1])
        cells = cells[:at] + cells[at + 2 :]
    texts = [cell for cell in cells if key(cell.text) not in GOAL_WORDS]
    for field, cell in zip(("planned", "achieved"), texts, strict=False):
        sheet.put(("goals", field), prose(cell.text), cell)
    if loose and texts:
        sheet.note(
            "column-guess",
            texts[0],
            "年度总体目标一行在源文本中以空格分隔,预期目标与实际完成情况按空格拆分,请核对",
            "the goals line was split at spaces into 预期目标 and 实际完成情况: check",
            (
                "对照源文件核对预期目标在哪里结束、实际完成情况从哪里开始",
                "check in the source where 预期目标 ends and 实际完成情况 begins",
            ),
        )
    for cell in texts[2:]:
        sheet.note(
            "extra-cell",
            cell,
            f"年度总体目标中多出的「{cell.text[:20]}」未导入",
            f"an extra cell in the goals, {cell.text[:20]!r}, was left out",
        )


def read_foot(
    sheet: FormSheet, rows: list[list[Cell]], columns: dict[int, str] | None = None
) -> None:
    """总分, 财政审核评分, 自评结论 (and 自评等次), the texts, 备注/注; `columns`: the
    indicator table's column -> kind, where its header was read from a table (`_total`)."""
    for cells in _segments(rows):
        if not cells:
            continue
        head = key(cells[0].text)
        rest = cells[1:]
        if head.startswith("总分"):
            _total(sheet, cells[0], rest, columns or {})
        elif head.startswith("财政审核评分") and rest and number(rest[-1].text) is not None:
            sheet.put(("declared", "review_score"), number(rest[-1].text), rest[-1])
        elif head.startswith(CONCLUSIONS) and rest:
            sheet.word("conclusion", cells[0])
            _conclusion(sheet, rest[0])
        elif head.startswith("自评等次"):
            value = head.removeprefix("自评等次").strip(":")
            cell = cells[0] if value else (rest[0] if rest else None)
            if cell is not None:
                sheet.put(("declared", "grade"), value or cell.text.strip(), cell)
        else:
            _text(sheet, head, cells[0], rest)


_STARTS = ("总分", "财政审核评分", *CONCLUSIONS, "自评等次", *tuple(word for word, _ in TEXTS))


def _segments(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The foot's rows cut before each label a flattened source ran into the row before."""
    out: list[list[Cell]] = []
    for cells in rows:
        current: list[Cell] = []
        for cell in cells:
            if key(cell.text).startswith(_STARTS) and current:
                out.append(current)
                current = []
            current.append(cell)
        out.append(current)
    return out


def _total(sheet: FormSheet, label: Cell, rest: list[Cell], columns: dict[int, str]) -> None:
    """The 总分 row: its 分值 and 得分 (one number: the 得分, unless a table places it under
    the 分值 column: then the 得分 is blank), then a grade if printed."""
    figures = [cell for cell in rest if number(cell.text) is not None]
    words = [cell for cell in rest if number(cell.text) is None and cell.text.strip()]
    if len(figures) == 1 and _column_of(figures[0], columns) == "weight":
        sheet.put(("declared", "total_weight"), number(figures[0].text), figures[0])
        figures = []
    if len(figures) >= 2:
        sheet.put(("declared", "total_weight"), number(figures[-2].text), figures[-2])
    if figures:
        sheet.put(("declared", "total"), number(figures[-1].text), figures[-1])
    if words:
        sheet.put(("declared", "grade"), words[0].text.strip(), words[0])


def _column_of(cell: Cell, columns: dict[int, str]) -> str:
    """The indicator column a cell of a table stands in ("" for text, or none)."""
    place = cell.place
    if place is None or place.row is None or not place.column:
        return ""
    return columns.get(place.column - 1, "")


def _conclusion(sheet: FormSheet, cell: Cell) -> None:
    text = cell.text.strip()
    grade = _GRADE.search(text)
    if grade:
        sheet.put(("declared", "grade"), grade.group(1), cell)
        text = text[: grade.start()].strip()
    sheet.put(("declared", "conclusion"), text, cell)


def _text(sheet: FormSheet, head: str, label: Cell, rest: list[Cell]) -> None:
    for word, field in TEXTS:
        if head.startswith(word) and rest:
            sheet.put(("declared", field), " ".join(c.text.strip() for c in rest), rest[0])
            sheet.word(field, label)
            return
