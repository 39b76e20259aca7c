"""The merged 一级/二级 labels checked against the points the form prints for them.

Text taken out of a PDF prints a label that is centred over its rows on whichever line its
height falls, sometimes a row above its block. A 一级指标 printed with its points
(「效益指标 (30分)」) says how many points its rows hold: when the rows under the label add up
to other than its points, and moving the label one row down (or up) makes both it and the
block above add up, the label is moved (a review item). In a block whose label had to move,
the 二级指标 labels printed in it may be a row early too: each may stay or move one row down,
in order, and the placement whose rows' names speak of their 二级指标 (成本 under 成本指标, 及时
under 时效指标) most often is taken, only when it is better than the printed one; each move is
a review item.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from .sheet import FormSheet
from .table import Row
from .words import LEVEL2_STEMS, level_points, without_points


def _starts(rows: list[Row]) -> list[int]:
    """Indexes of the rows that print a 一级指标 label."""
    return [i for i, row in enumerate(rows) if row.level1 is not None]


def _sum(rows: list[Row]) -> Decimal:
    return sum((row.data.get("weight", Decimal(0)) for row in rows), Decimal(0))


def check_levels(sheet: FormSheet, rows: list[Row]) -> None:
    """Move a 一级指标 label (and the 二级 ones of its block) as the module says."""
    starts = _starts(rows)
    for k in range(1, len(starts)):
        before, at = starts[k - 1], starts[k]
        end = starts[k + 1] if k + 1 < len(starts) else len(rows)
        label, previous = rows[at].level1, rows[before].level1
        points, prior = level_points(label.text), level_points(previous.text)  # type: ignore[union-attr]
        if points is None or prior is None or _sum(rows[at:end]) == points:
            continue
        if (
            at + 1 < end
            and _sum(rows[before : at + 1]) == prior
            and _sum(rows[at + 1 : end]) == points
        ):
            _move_down(sheet, rows, before, at)
            _replace_level2(sheet, rows, before, at + 1)
            starts[k] = at + 1


def _move_down(sheet: FormSheet, rows: list[Row], before: int, at: int) -> None:
    """The 一级指标 printed on row `at` belongs to the row below it."""
    label = rows[at].level1
    assert label is not None
    moved_name = rows[at].data["level1"]
    rows[at].data["level1"] = rows[before].data["level1"]
    rows[at].data["level2"] = rows[at - 1].data["level2"]
    rows[at + 1].level1, rows[at].level1 = label, None
    sheet.note(
        "level-moved",
        label,
        f"一级指标「{label.text}」印在其第一行的上一行:按分值合计,「{rows[at].data['name']}」属于上一个一级指标,"
        f"「{moved_name}」从下一行开始",
        f"the 一级指标 {label.text} is printed a row early: by the points, "
        f"{rows[at].data['name']} belongs to the block above and {moved_name} begins a row lower",
    )


def _speaks(name: str, level2: str) -> bool:
    return any(stem in name for stem in LEVEL2_STEMS.get(level2, ()))


def _replace_level2(sheet: FormSheet, rows: list[Row], start: int, end: int) -> None:
    """Place the 二级指标 labels of rows[start:end] (see the module's docstring)."""
    printed = [i for i in range(start, end) if rows[i].level2 is not None]
    names = [without_points(rows[i].level2.text) for i in printed]  # type: ignore[union-attr]
    if not printed or printed[0] != start:
        return

    def fits(place: tuple[int, ...]) -> int:
        bounds = [*place, end]
        return sum(
            _speaks(rows[r].data["name"], names[n])
            for n in range(len(place))
            for r in range(bounds[n], bounds[n + 1])
        )

    best = tuple(printed)
    for shifts in itertools.product((0, 1), repeat=len(printed) - 1):
        place = (printed[0], *(p + s for p, s in zip(printed[1:], shifts, strict=False)))
        if all(a < b for a, b in itertools.pairwise(place)) and place[-1] < end:
            if fits(place) > fits(best):
                best = place
    if best == tuple(printed):
        return
    bounds = [*best, end]
    for n, name in enumerate(names):
        for r in range(bounds[n], bounds[n + 1]):
            rows[r].data["level2"] = name
        if best[n] != printed[n]:
            cell = rows[printed[n]].level2
            assert cell is not None
            sheet.note(
                "level-moved",
                cell,
                f"二级指标「{name}」印在其指标行的上一行,按指标名称移到「{rows[best[n]].data['name']}」起的各行",
                f"the 二级指标 {name} is printed a row early; by the names it is moved to the rows "
                f"from {rows[best[n]].data['name']} on",
            )
