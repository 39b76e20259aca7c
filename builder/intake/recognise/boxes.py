"""The category check boxes (项目类别 / 项目属性 / 项目类型): the option ticked.

A tick (√ ☑ ✓ ■) before or after an option names it. Text read by OCR loses the tick and
turns an empty box into 口, □ or 0: an option printed without a box may be the ticked one
whose mark was lost, or not, so without a tick the category is left out (a review item naming
the option without a box); nothing is taken as ticked that shows no tick.
"""

from __future__ import annotations

import re

from ..grid import Cell
from .sheet import FormSheet
from .words import key

LABELS = ("项目类别", "项目属性", "项目类型")
_TICKS = "√☑✓✔■"
_BOXES = "口□0O〇"
_OPTION = re.compile(r"\d\s*[、.]")


def read_boxes(sheet: FormSheet, rows: list[tuple[Cell, ...]]) -> None:
    """Each category label's ticked option into `categories`."""
    for row in rows:
        cells = [cell for cell in row if cell.text.strip()]
        for index, cell in enumerate(cells[:-1]):
            label = key(cell.text)
            if label in LABELS and key(cells[index + 1].text) not in LABELS:
                _box(sheet, label, cells[index + 1])


def _box(sheet: FormSheet, label: str, cell: Cell) -> None:
    text = cell.text.strip()
    ticked = re.search(rf"[{_TICKS}]\s*([^{_TICKS}\d、]+)", text)
    if ticked:
        sheet.put(("categories", label), ticked.group(1).strip(" 口□"), cell)
        return
    options = [part.strip() for part in _OPTION.split(text) if part.strip()]
    open_ = [part for part in options if part[-1] not in _BOXES]
    if len(options) > 1 and len(open_) == 1:  # maybe the ticked one, its mark lost: not known
        sheet.note(
            "unreadable-cell",
            cell,
            f"{label}:勾选标记未识别出来(「{open_[0]}」前后没有空框,可能是所选项,也可能不是),"
            "未导入,请对照原件填写",
            f"{label}: no tick was read ({open_[0]} shows no empty box: it may be the ticked "
            "option, or not): left out; fill it in from the original",
        )
        return
    sheet.note(
        "unreadable-cell",
        cell,
        f"{label}:看不出勾选了哪一项(「{text}」),未导入",
        f"{label}: which option is ticked cannot be told ({text}): left out",
    )
