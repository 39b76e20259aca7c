"""The indicator rows into the draft: each assembled row read into columns, the merged
一级/二级 labels carried down, 「其中…」 sub-rows, ★ core rows, template rows as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..grid import Cell
from .columns import read_row
from .indicators import CORE, Item, is_placeholder
from .sheet import FormSheet
from .words import (
    LEVEL1_CHILDREN,
    is_level,
    is_level1_word,
    joined,
    key,
    level_points,
    number,
    without_points,
)

_TEXT_KINDS = ("target", "actual", "reason", "nature", "unit")
_OCR_GE = re.compile(r"^2(\d{1,3}(?:\.\d+)?%?)$")
ZH = {"weight": "分值", "score": "得分", "target": "年度指标值", "actual": "实际完成值"}


@dataclass
class Row:
    """One indicator as read: its fields (file keys), where each came from, the cells of
    the 一级/二级 labels it printed itself."""

    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    level1: Cell | None = None
    level2: Cell | None = None
    subrows: list[Row] = field(default_factory=list)


@dataclass
class Levels:
    """The 一级/二级 labels in force while reading down the table, and the points printed."""

    level1: str = ""
    level2: str = ""
    points1: dict[str, Decimal] = field(default_factory=dict)
    points2: dict[str, Decimal] = field(default_factory=dict)


def _level1_name(sheet: FormSheet, cell: Cell, level2: str) -> str:
    """A 一级指标 label as printed, without its points; a label that kept only its points
    「(50分)」 is named by the 二级指标 under it (a review item)."""
    name = without_points(cell.text)
    if name:
        return name
    parent = next((p for p, kids in LEVEL1_CHILDREN.items() if key(level2) in kids), "")
    if parent:
        sheet.note(
            "column-guess",
            cell,
            f"一级指标只剩「{cell.text}」,按其下的二级指标「{level2}」取为「{parent}」",
            f"the 一级指标 shows only {cell.text}; named {parent} after its 二级指标 {level2}",
            ("对照源文件核对该行的一级指标名称", "check the row's 一级指标 in the source"),
        )
    return parent


def read_rows(sheet: FormSheet, rows: list[Item], kinds: tuple[str, ...]) -> list[Row]:
    """The indicators of the assembled `rows` (see the module's docstring); a row already read
    by the header's columns keeps that reading."""
    levels = Levels()
    out: list[Row] = []
    for cells, given in rows:
        if given is None and all(is_level(cell.text) for cell in cells) and len(cells) <= 2:
            got = _labels_only(cells)
            _no_name(sheet, cells, got)
            if "level1" in got:
                levels.level1 = without_points(got["level1"].text) or levels.level1
            continue
        reading = given or read_row(cells, kinds, levels.level1)
        got = reading.cells
        if "level2" in got:
            levels.level2 = without_points(got["level2"].text)
            _points(levels.points2, levels.level2, got["level2"])
        if "level1" in got:
            levels.level1 = _level1_name(sheet, got["level1"], levels.level2) or levels.level1
            _points(levels.points1, levels.level1, got["level1"])
        for cell in reading.dropped:
            sheet.note(
                "extra-cell",
                cell,
                f"「{cell.text}」不属于该行任何一列,未导入",
                f"{cell.text!r} fits no column of its row: left out",
            )
        if "name" not in got:
            _no_name(sheet, cells, got)
            continue
        row = _row(sheet, got, levels)
        if reading.guessed:
            sheet.note(
                "column-guess",
                got["name"],
                "该行有空格,各值所在列按内容判断,请核对",
                "the row has blank cells: which column each value is in was judged by content",
            )
        is_sub = row.data["name"].startswith("其中") and not ({"weight", "score"} & row.data.keys())
        if is_sub and out:
            out[-1].subrows.append(row)
        else:
            out.append(row)
    sheet.data.setdefault("weights", {})
    if levels.points1:
        sheet.data["weights"]["levels"] = levels.points1
    if levels.points2:
        sheet.data["weights"]["level2"] = levels.points2
    if not sheet.data["weights"]:
        del sheet.data["weights"]
    return out


def _labels_only(cells: list[Cell]) -> dict[str, Cell]:
    """A row of labels only: a 一级指标 then a 二级指标, or a lone 二级指标."""
    if len(cells) == 2:
        return {"level1": cells[0], "level2": cells[1]}
    return {"level1" if is_level1_word(cells[0].text) else "level2": cells[0]}


def _points(table: dict[str, Decimal], name: str, cell: Cell) -> None:
    points = level_points(cell.text)
    if points is not None and name and name not in table:
        table[name] = points


def _no_name(sheet: FormSheet, cells: list[Cell], got: dict[str, Cell]) -> None:
    """A row that printed labels only (an empty block: dropped) or values without a name."""
    values = [cell for kind, cell in got.items() if kind not in ("level1", "level2")]
    if values:
        sheet.note(
            "unreadable-cell",
            values[0],
            "这一行没有三级指标名称,其内容未导入:" + " ".join(c.text for c in cells),
            "a row without an indicator name was left out: " + " ".join(c.text for c in cells),
        )
    elif "level2" in got:
        sheet.note(
            "placeholder-dropped",
            got["level2"],
            f"二级指标「{got['level2'].text}」下没有任何指标行,未导入",
            f"the 二级指标 {got['level2'].text} has no row under it: left out",
        )


def _row(sheet: FormSheet, got: dict[str, Cell], levels: Levels) -> Row:
    row = Row(level1=got.get("level1"), level2=got.get("level2"))
    name = joined(got["name"].text)
    if name.startswith(CORE):
        row.data["core"] = True
        name = name[1:].strip()
    row.data.update(level1=levels.level1, level2=levels.level2, name=name)
    row.cells["name"] = got["name"]
    for kind in _TEXT_KINDS:
        if kind in got:
            row.data["unit" if kind == "unit" else kind] = got[kind].text.strip()
            row.cells[kind] = got[kind]
    for kind in ("weight", "score"):
        cell = got.get(kind)
        if cell is None:
            continue
        value = number(cell.text)
        if value is None:
            sheet.note(
                "unreadable-cell",
                cell,
                f"{ZH[kind]}「{cell.text}」不是数字,未导入",
                f"the {kind} {cell.text!r} is no number: left out",
            )
            continue
        row.data[kind] = value
        row.cells[kind] = cell
    _ocr(sheet, row)
    return row


def _ocr(sheet: FormSheet, row: Row) -> None:
    """A value that looks like ≥ read as 2 or ≤ as W: kept as printed, a review item."""
    target = row.data.get("target", "")
    for kind in ("target", "actual"):
        text = row.data.get(kind, "")
        match = _OCR_GE.match(text)
        suspect = (match and kind == "actual" and match.group(1) == target) or text.startswith("W")
        if suspect:
            sheet.note(
                "ocr-suspect",
                row.cells[kind],
                f"{ZH[kind]}「{text}」可能是识别错误(≥ 识别为 2、≤ 识别为 W),照原样导入,请核对原件",
                f"{kind} {text!r} looks like an OCR misreading (≥ read as 2, ≤ as W): kept as "
                "printed; check the original",
            )


def unused(sheet: FormSheet, row: Row) -> bool:
    """True for a row of jixiao's own template (`sheet.issued`) that nobody filled in: its
    「指标N:」 and nothing else. The template's 填表说明 says such a row may be left blank or
    deleted, so it is not the form's (left out without a review item: every filled-in
    template has some). A row of another source's template stays as printed (`put_rows`)."""
    printed = {"level1", "level2", "name"}
    return (
        sheet.issued
        and is_placeholder(row.data["name"])
        and not row.subrows
        and row.data.keys() <= printed
    )


def put_rows(sheet: FormSheet, rows: list[Row]) -> None:
    """The indicators into the draft, each value's place kept."""
    indicators = []
    for index, row in enumerate(rows):
        data = dict(row.data)
        for kind, cell in row.cells.items():
            sheet.place(("indicators", index, kind), cell)
        if row.subrows:
            data["subrows"] = []
            for sub_index, sub in enumerate(row.subrows):
                sub_data = {k: v for k, v in sub.data.items() if k not in ("level1", "level2")}
                data["subrows"].append(sub_data)
                for kind, cell in sub.cells.items():
                    sheet.place(("indicators", index, "subrows", sub_index, kind), cell)
        indicators.append(data)
    if indicators:
        sheet.data["indicators"] = indicators
    placeholders = [row for row in rows if is_placeholder(row.data["name"])]
    if placeholders:
        sheet.note(
            "placeholder-kept",
            placeholders[0].cells["name"],
            f"保留了 {len(placeholders)} 行模板空行(如「{placeholders[0].data['name']}」),照原表录入,不计分",
            f"{len(placeholders)} template rows left as issued were kept as printed (not scored)",
        )
