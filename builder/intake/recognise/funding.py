"""The 项目资金 block: its unit, its columns, and each row's amounts and figures.

The block is read as a run of cells from its header to 年度总体目标: a label (资金来源) and the
figures after it, whether the source gives one row per line (a grid) or flattened the block
into a few lines. Each figure goes to the column its header names; where a row prints fewer
figures than the header has columns, the columns left blank are chosen by what the figures
are (a % is the 执行率, a dash is no amount, points are not amounts, the 执行率 agrees with
B/A) and the choice is a review item.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from ..grid import Cell
from .words import is_dash, key, number, percent

KINDS = ("initial", "budget", "executed", "weight", "rate", "score")
AMOUNTS = ("initial", "budget", "executed")
_WORDS = (
    ("年初预算数", "initial"),
    ("年初预算", "initial"),
    ("全年预算数", "budget"),
    ("调整后预算数", "budget"),
    ("预算数", "budget"),
    ("全年执行数", "executed"),
    ("预算执行数", "executed"),
    ("执行数", "executed"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("预算执行率", "rate"),
    ("执行率", "rate"),
    ("得分", "score"),
)


def _header_words() -> tuple[tuple[str, str], ...]:
    """The words of each funding column: those above, and every family's own as it prints
    them (`builder.layouts`), longest first."""
    from ...layouts import LAYOUTS

    found = dict(_WORDS)
    for layout in LAYOUTS.values():
        for column in layout.funding:
            found.setdefault(key(column.label), column.key)
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


_HEADER = _header_words()
# The rows of the central template written by key, as the forms label them.
_KEYS = {
    "年度资金总额": "total",
    "财政拨款": "fiscal",
    "本级安排": "local",
    "上级补助": "superior",
    "其他": "other",
    "其他资金": "other",
}
ZH_KINDS = {
    "initial": "年初预算数",
    "budget": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "rate": "执行率",
    "score": "得分",
}


def header_kind(text: str) -> str:
    """The funding column a header cell names ("" if none)."""
    folded = key(text)
    return next((kind for word, kind in _HEADER if folded.startswith(word)), "")


def is_header(cells: list[Cell]) -> bool:
    """True for the funding table's header row (it names at least two amount columns)."""
    return sum(1 for cell in cells if header_kind(cell.text) in AMOUNTS) >= 2


def _fit(kind: str, cell: Cell, total: bool) -> float | None:
    """How well a cell fits a column (None: it cannot be there)."""
    value, is_percent = percent(cell.text)
    if is_dash(cell.text):
        return -1.0 if kind in AMOUNTS else 0.0
    if value is None:
        return None
    if is_percent:
        return 1.0 if kind == "rate" else None
    if kind in ("weight", "score") and value > 100:
        return None
    return 0.0


# The figures a row of dashes only is taken to print them in, after its amounts when it has
# a dash for each: the template of 财预〔2020〕10号 prints a sub-row's 分值 and 得分 as dashes
# and leaves its 执行率 blank. A guess all the same: said as a review item.
_DASHED_FIGURES = ("weight", "score", "rate")


def _blank_cost(kind: str) -> float:
    return {"initial": 0.5, "rate": 1.0}.get(kind, 1.5)


def assign(values: list[Cell], kinds: list[str], total: bool) -> tuple[dict[str, Cell], bool]:
    """The column of each value: (kind -> cell, guessed). With more values than columns the
    last ones are read (the caller reports the others); with fewer, the reading that fits best
    (see the module's docstring), `guessed` True when another reading would put a figure
    elsewhere."""
    if len(values) >= len(kinds):
        return dict(zip(kinds, values[len(values) - len(kinds) :], strict=False)), False
    if not values:
        return {}, False
    if all(is_dash(cell.text) for cell in values):  # nothing to tell the columns apart by
        amounts = [kind for kind in kinds if kind in AMOUNTS]
        order = (amounts if len(values) >= len(amounts) else []) + [
            kind for kind in _DASHED_FIGURES if kind in kinds
        ]
        taken = set(order[: len(values)])
        return dict(zip([k for k in kinds if k in taken], values, strict=True)), True
    best: list[tuple[float, dict[str, Cell]]] = []
    for chosen in itertools.combinations(range(len(kinds)), len(values)):
        mapping = {kinds[i]: cell for i, cell in zip(chosen, values, strict=False)}
        fits = [_fit(kind, cell, total) for kind, cell in mapping.items()]
        if any(fit is None for fit in fits):
            continue
        score = sum(fits) - sum(_blank_cost(k) for k in kinds if k not in mapping)  # type: ignore[arg-type]
        score += _rate_agrees(mapping)
        best.append((score, mapping))
    if not best:
        return {}, True
    best.sort(key=lambda item: -item[0])
    meanings = {tuple(sorted(_meaning(mapping).items())) for _, mapping in best}
    return best[0][1], len(meanings) > 1


def _meaning(mapping: dict[str, Cell]) -> dict[str, str]:
    """What a reading puts where, dashes in figure columns left out (they print nothing)."""
    return {k: c.text for k, c in mapping.items() if not (k not in AMOUNTS and is_dash(c.text))}


def _rate_agrees(mapping: dict[str, Cell]) -> float:
    """+1 when the cell read as 执行率 is B/A, -2 when it is a number that is not."""
    cells = [mapping.get(k) for k in ("budget", "executed", "rate")]
    if any(cell is None for cell in cells):
        return 0.0
    budget, executed = number(cells[0].text), number(cells[1].text)  # type: ignore[union-attr]
    rate, _ = percent(cells[2].text)  # type: ignore[union-attr]
    if budget is None or executed is None or rate is None or budget == 0:
        return 0.0
    ratio = executed / budget
    near = abs(rate - ratio * 100) <= Decimal("0.6") or abs(rate - ratio) <= Decimal("0.006")
    return 1.0 if near else -2.0
