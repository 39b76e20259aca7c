"""The funding block into the draft: its unit and execution points from its title, its
columns from its header, then each row (a label and the figures after it, see `funding`).

The central template's five rows labelled 「年度资金总额:」「财政拨款:」「本级安排:」「上级补助:」
「其他:」 are written by key, as the hand-made files write them, the total row's 分值, 执行率
and 得分 going to weights.execution and declared; any other table is written as `rows`, each
row keeping its own figures. A title that prints the execution's points (「(20分)」) puts the
total row's 执行率 and 得分 in declared too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...layouts import FUNDING_LABEL_KEYS
from ..grid import Cell, Row
from .funding import _KEYS, AMOUNTS, ZH_KINDS, assign, header_kind
from .funding_grid import layout_of, read_by_columns
from .sheet import FormSheet
from .words import (
    FUNDING_TITLES,
    SOURCE_LABELS,
    is_dash,
    joined,
    key,
    level_points,
    number,
    percent,
)


def _split(
    cells: list[Cell], heads: list[Cell]
) -> tuple[list[Cell], list[str], list[tuple[Cell, list[Cell]]]]:
    """(title cells, column kinds, [(label, values)]) of the block's cells; the header cell of
    each kind appended to `heads`."""
    titles: list[Cell] = []
    kinds: list[str] = []
    rows: list[tuple[Cell, list[Cell]]] = []
    for cell in cells:
        kind = header_kind(cell.text)
        folded = key(cell.text)
        if kind and kind not in kinds and not rows:
            kinds.append(kind)
            heads.append(cell)
        elif (
            not kinds
            or folded.startswith(FUNDING_TITLES + SOURCE_LABELS)
            or folded in ("(万元)", "(元)")
        ):
            titles.append(cell)
        elif (
            number(cell.text) is None
            and not is_dash(cell.text)
            and not cell.text.strip().endswith("%")
        ):
            rows.append((cell, []))
        elif rows:
            rows[-1][1].append(cell)
    return titles, kinds, rows


def _reason(sheet: FormSheet, cells: list[Cell]) -> list[Cell]:
    """执行率说明 and its text into `funding.reason`; the other cells."""
    for index, cell in enumerate(cells[:-1]):
        if key(cell.text).startswith("执行率说明"):
            sheet.put(("funding", "reason"), cells[index + 1].text.strip(), cells[index + 1])
            return cells[:index] + cells[index + 2 :]
    return cells


def read_funding(sheet: FormSheet, cells: list[Cell], whole: list[Row]) -> None:
    """The funding block's cells into the draft (see the module's docstring); `whole` are its
    rows that a reader gave whole, blanks included (read by the header's columns)."""
    heads: list[Cell] = []
    titles, kinds, rows = _split(_reason(sheet, cells), heads)
    for kind, cell in zip(kinds, heads, strict=True):
        sheet.word(FUNDING_LABEL_KEYS.get(kind, kind), cell)
    layout = layout_of(whole)
    by_columns = {}
    for row in whole:
        found = read_by_columns(row, layout)
        if found is not None:
            by_columns[id(found[0])] = found[1]
    title = " ".join(cell.text for cell in titles)
    unit = "万元" if "万元" in title else ("元" if "元" in title else "")
    points = level_points(title)
    if not unit and titles:
        sheet.note(
            "column-guess",
            titles[0],
            "项目资金未注明金额单位,按元导入,请核对",
            "the funding table prints no unit: read as 元",
            (
                "对照源文件核对金额单位(元或万元)",
                "check the amounts' unit (元 or 万元) in the source",
            ),
        )
    by_key = bool(rows) and all(
        label.text.strip().endswith((":", ":")) and _key(label.text) for label, _ in rows
    )
    if unit == "万元" or (not by_key and rows):
        sheet.put(("funding", "amount_unit"), unit or "元", titles[0] if titles else None)
    # A table with a 分值/权重 column prints the execution's points in the total row's own
    # cell (四川: its title repeats them); one without it prints them only in its title, and
    # its total row's 执行率 and 得分 are the form's declared execution (湖北).
    own_column = "weight" in kinds
    if points is not None and not own_column:
        sheet.put(("weights", "execution"), points, titles[0])
    declared = not own_column and (points is not None or sheet.data.get("template") == "hubei-2020")
    for index, (label, values) in enumerate(rows):
        read = by_columns.get(id(label))
        if read is None:
            read = _row(sheet, label, values, kinds)
        total = is_total(label.text)
        if by_key:
            _put_by_key(sheet, _key(label.text), read, label)
        else:
            _put_row(sheet, index, label, read, total, declared)


def is_total(label: str) -> bool:
    """True for the row of the whole (年度资金总额, 年度财政资金总额, 总额)."""
    folded = key(label)
    return "资金总额" in folded or folded == "总额"


def _key(label: str) -> str:
    folded = key(label)
    folded = folded[3:] if folded.startswith("其中:") else folded
    return _KEYS.get(folded.strip(":"), "")


def _row(sheet: FormSheet, label: Cell, values: list[Cell], kinds: list[str]) -> dict[str, Cell]:
    """A row's figures by column, review items for extra cells and guesses."""
    total = is_total(label.text)
    extra = values[: max(0, len(values) - len(kinds))]
    for cell in extra:
        sheet.note(
            "extra-cell",
            cell,
            f"「{label.text}」一行多出一格「{cell.text}」,未导入",
            f"the row {label.text} prints one cell more ({cell.text}): left out",
        )
    read, guessed = assign(values[len(extra) :], kinds, total)
    if guessed:
        blank = "、".join(ZH_KINDS[k] for k in kinds if k not in read)
        sheet.note(
            "column-guess",
            label,
            f"「{label.text}」一行少了几格,按内容判断空着的是:{blank},请核对",
            f"the row {label.text} prints fewer cells than columns; taken as blank: {blank}",
        )
    return read


def _put_by_key(sheet: FormSheet, name: str, read: dict[str, Cell], label: Cell) -> None:
    for kind in AMOUNTS:
        if kind in read:
            sheet.put(("funding", name, kind), _amount(read[kind].text), read[kind])
    if name != "total":
        return
    targets = {"weight": ("weights", "execution"), "score": ("declared", "execution_score")}
    for kind, path in targets.items():
        if kind in read and number(read[kind].text) is not None:
            sheet.put(path, number(read[kind].text), read[kind])
    _rate(sheet, read, ("declared",))


def _put_row(
    sheet: FormSheet, index: int, label: Cell, read: dict[str, Cell], total: bool, declared: bool
) -> None:
    row: dict[str, Any] = {"name": joined(label.text)}
    sheet.place(("funding", "rows", index, "name"), label)
    if total:
        row["total"] = True
    for kind in AMOUNTS:
        if kind in read:
            row[kind] = _amount(read[kind].text)
            sheet.place(("funding", "rows", index, kind), read[kind])
    sheet.data.setdefault("funding", {}).setdefault("rows", []).append(row)
    if total and declared:
        weight = read.get("weight")
        if (
            weight is not None
            and number(weight.text) is not None
            and not sheet.has("weights", "execution")
        ):
            sheet.put(("weights", "execution"), number(weight.text), weight)
        if "score" in read and number(read["score"].text) is not None:
            sheet.put(("declared", "execution_score"), number(read["score"].text), read["score"])
        _rate(sheet, read, ("declared",))
        return
    for kind in ("weight", "score"):
        cell = read.get(kind)
        if cell is not None and (number(cell.text) is not None or is_dash(cell.text)):
            row[kind] = _amount(cell.text)  # a figure, or a dash as printed
            sheet.place(("funding", "rows", index, kind), cell)
    _rate(sheet, read, ("funding", "rows", index), row)


def _rate(sheet: FormSheet, read: dict[str, Cell], where: tuple, row: dict | None = None) -> None:
    """执行率 in %, with its sign where printed with one (「100%」), or as the ratio B/A where
    printed so (「1」 for 100%; a 0 is read as 0 %)."""
    cell = read.get("rate")
    if cell is None:
        return
    value, is_percent = percent(cell.text)
    if value is None:
        if row is not None and is_dash(cell.text):  # a row's own 执行率 printed as a dash
            row["rate"] = cell.text.strip()
            sheet.place((*where, "rate"), cell)
        return
    budget = number(read["budget"].text) if "budget" in read else None
    executed = number(read["executed"].text) if "executed" in read else None
    ratio = (  # 0 is 0% read either way: the form's own 执行率 (percent), as most print it
        not is_percent
        and value != 0
        and budget
        and executed is not None
        and abs(value - executed / budget) <= Decimal("0.006")
        and value <= Decimal("1.5")
    )
    # A rate printed with its sign (「100%」) is written with it, as the form prints it.
    printed = "".join(cell.text.split()) if is_percent else value
    if ratio:
        sheet.put(("declared", "execution_ratio"), value, cell)
    elif row is not None:
        row["rate"] = printed
        sheet.place((*where, "rate"), cell)
    else:
        sheet.put(("declared", "execution_rate"), printed, cell)


def _amount(text: str) -> Decimal | str:
    value = number(text)
    return value if value is not None else text.strip()
