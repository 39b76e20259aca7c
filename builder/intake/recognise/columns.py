"""The indicator table's columns and the reading of one row into them.

The header names the columns by their words (一级指标, 指标性质, 年度指标值, 分值 …); the kinds
are put in the template's order, with 分值 before the 指标值 where the header has it there (the
Anhui 衔接资金 layout). A row is read by content, not by position: each printed cell goes to
the column it fits (an operator is a 指标性质, a number a 分值 or 得分, a label ending in 指标 a
一级/二级指标), in order, the best reading over the whole row winning. Where two readings fit
equally and put a value in different columns, the reading is a guess (a review item).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..grid import Cell
from .words import (
    LEVEL1_CHILDREN,
    is_dash,
    is_level,
    is_level1_word,
    is_operator,
    key,
    level_points,
    number,
    without_points,
)

_HEADER = (
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("指标性质", "nature"),
    ("年度指标值", "target"),
    ("年初目标值", "target"),
    ("年度目标值", "target"),
    ("指标值", "target"),
    ("目标值", "target"),
    ("度量单位", "unit"),
    ("计量单位", "unit"),
    ("实际完成值", "actual"),
    ("全年实际值", "actual"),
    ("实际值", "actual"),
    ("完成值", "actual"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
    ("未完成原因", "reason"),
    ("偏差原因", "reason"),
)
# What a 度量单位 is written with: 人次, %, 元/人, 万元, 平方米 …
UNIT_CHARACTERS = frozenset(
    "%‰％人次元万千百亿个套户座吨盏天日月年周小时分秒公里米平方亩家项件台所名辆条份册本间张批期场门栋株头只处/·立方克斤升度次篇"
)
_BLANK_COST = {"name": 5.0, "target": 0.3, "actual": 0.3, "weight": 0.5, "score": 0.5}
_DROP_COST = 3.0


def header_kind(text: str) -> str:
    """The indicator column a header cell names ("" if none)."""
    folded = key(text)
    return next((kind for word, kind in _HEADER if folded.startswith(word)), "")


def is_header(cells: list[Cell]) -> bool:
    """True for the indicator table's header row: it names the 三级指标 or the 二级指标."""
    kinds = {header_kind(cell.text) for cell in cells}
    return "name" in kinds or ("level2" in kinds and "score" in kinds)


def column_kinds(cells: list[Cell]) -> tuple[str, ...]:
    """The columns of the table, in the template's order, from its header cells."""
    found: list[str] = []
    for cell in cells:
        kind = header_kind(cell.text)
        if kind and kind not in found:
            found.append(kind)
    weight_first = (
        "weight" in found and "target" in found and found.index("weight") < found.index("target")
    )
    order = ["level1", "level2", "name"]
    order += ["weight"] if weight_first else []
    order += ["nature", "target", "unit", "actual"]
    order += [] if weight_first else ["weight"]
    order += ["score", "reason"]
    return tuple(
        k for k in order if k in found or k in ("level1", "level2", "name", "target", "actual")
    )


def fit(kind: str, text: str, level1: str) -> float | None:
    """How well a printed cell fits a column (None: it cannot be there)."""
    labelled = is_level(text)
    if kind == "level1":
        return (2.0 if is_level1_word(text) else 0.5) if labelled else None
    if kind == "level2":
        if not labelled or not key(without_points(text)):
            return None
        return 2.5 if key(without_points(text)) in LEVEL1_CHILDREN.get(level1, ()) else 2.0
    if kind == "nature":
        return 2.0 if is_operator(text) else None
    if kind == "unit":
        short = len(text) <= 6 and not any(ch.isdigit() for ch in text)
        if not short or is_operator(text) or labelled:
            return None
        return 1.0 if set(text) <= UNIT_CHARACTERS else -0.5
    if kind in ("weight", "score"):
        value = number(text)
        if value is not None:
            return 1.0 if value <= 100 else None
        return -0.5 if is_dash(text) else None
    if kind == "reason":
        return -1.5 if number(text) is not None else 0.0
    if is_operator(text) and kind == "name":
        return None
    penalty = -1.0 if labelled else 0.0
    return penalty - (1.0 if kind == "name" and number(text) is not None else 0.0)


@dataclass(frozen=True)
class Reading:
    """A row read into columns: `cells` kind -> cell, `dropped` the cells no column took,
    `guessed` True when another reading as good puts a value elsewhere."""

    cells: dict[str, Cell]
    dropped: tuple[Cell, ...]
    guessed: bool


def read_row(cells: list[Cell], kinds: tuple[str, ...], level1: str) -> Reading:
    """The best reading of a row's printed cells into `kinds` (see the module's docstring)."""
    texts = tuple(cell.text for cell in cells)
    best = _best(texts, kinds, level1)
    (score, path), rival = best[0], (best[1] if len(best) > 1 else None)
    chosen = {kinds[j]: cells[i] for i, j in path if j >= 0}
    dropped = tuple(cells[i] for i, j in path if j < 0)
    guessed = (
        rival is not None
        and rival[0] == score
        and _meaning(rival[1], texts, kinds) != _meaning(path, texts, kinds)
    )
    return Reading(chosen, dropped, guessed)


def _meaning(
    path: tuple[tuple[int, int], ...], texts: tuple[str, ...], kinds: tuple[str, ...]
) -> frozenset:
    return frozenset((kinds[j], texts[i]) for i, j in path if j >= 0)


Path = tuple[tuple[int, int], ...]


def _best(texts: tuple[str, ...], kinds: tuple[str, ...], level1: str) -> list[tuple[float, Path]]:
    """The two best readings (score, ((cell, kind index or -1 dropped), …)), best first."""

    @cache
    def solve(i: int, j: int, row_level1: str) -> tuple[tuple[float, Path], ...]:
        if i == len(texts):
            rest = -sum(_BLANK_COST.get(k, 0.0) for k in kinds[j:])
            return ((rest, ()),)
        options: list[tuple[float, Path]] = []
        for score, path in solve(i + 1, j, row_level1):
            options.append((score - _DROP_COST, ((i, -1), *path)))
        skipped = 0.0
        for jj in range(j, len(kinds)):
            kind = kinds[jj]
            value = fit(kind, texts[i], row_level1)
            if value is not None:
                after = key(without_points(texts[i])) if kind == "level1" else row_level1
                for score, path in solve(i + 1, jj + 1, after):
                    options.append((score + value - skipped, ((i, jj), *path)))
            skipped += _BLANK_COST.get(kind, 0.0)
        options.sort(key=lambda item: -item[0])
        return tuple(options[:2])

    return list(solve(0, 0, level1))


def points_of(text: str) -> str:
    """A label's printed points as text ("" when it prints none)."""
    points = level_points(text)
    return "" if points is None else str(points)


def positions(row: tuple[Cell, ...]) -> list[int]:
    """The column each cell of a row begins at, counted from 0: the column of its place in a
    table (a sheet, a PDF or Word table: a row under a cell merged down from the rows above
    begins right of it), else counted along the row (a merged cell covers `span` columns)."""
    places = [cell.place for cell in row]
    if row and all(p is not None and p.row is not None and p.column for p in places):
        return [p.column - 1 for p in places]  # type: ignore[operator]
    out, column = [], 0
    for cell in row:
        out.append(column)
        column += cell.span
    return out


def header_positions(row: tuple[Cell, ...]) -> dict[int, str]:
    """column -> kind of a header row (「绩效指标」 is the section column: `section`)."""
    out = {}
    for column, cell in zip(positions(row), row, strict=True):
        kind = header_kind(cell.text) or (
            "section" if key(cell.text).startswith("绩效指标") else ""
        )
        if kind:
            out[column] = kind
    return out


def read_positional(row: tuple[Cell, ...], layout: dict[int, str]) -> Reading | None:
    """The row read by the header's columns, when it is as wide as the header and every cell
    is what its column holds (a name, numbers for 分值/得分, an operator for 指标性质, no
    label repeating the name; see `_plausible`); None otherwise (then it is read by
    content)."""
    columns = positions(row)
    if not row or (columns[-1] + row[-1].span < max(layout) + 1 and len(row) != len(layout)):
        return None  # the row stops short of the header's last column: read by content
    got = {}
    set_out = False  # a blank name cell of a table put together by the text's positions
    for column, cell in zip(columns, row, strict=True):
        kind = layout.get(column)
        text = cell.text.strip()
        if not text:
            set_out |= kind == "name" and None not in (cell.place.line, cell.place.row)
            continue
        if kind is None or (kind == "section" and not key(text).startswith("绩效指标")):
            return None
        if kind != "section":
            got[kind] = cell
    return Reading(got, (), False) if _plausible(got, set_out) else None


def _plausible(got: dict[str, Cell], set_out: bool = False) -> bool:
    """Whether a positional reading holds what its columns hold. `set_out`: the row's name
    cell is blank in a table whose columns the reader set out from the text's positions (a
    PDF page without rules, `readers.pdfgrid`, which blanks a cell it cannot tell, with a
    review item): its cells stay in their columns rather than be read by content."""
    name = got.get("name")
    if name is None:
        return set(got) <= {"level1", "level2"} or set_out
    for kind in ("weight", "score"):
        if kind in got and number(got[kind].text) is None and not is_dash(got[kind].text):
            return False
    if "nature" in got and not is_operator(got["nature"].text):
        return False
    if is_operator(name.text[:1]) or is_operator(name.text[:2]):
        return False  # a value shifted into the name's column
    return _levels_plausible(got, name)


_KNOWN_LEVEL2 = frozenset(child for children in LEVEL1_CHILDREN.values() for child in children)


def _levels_plausible(got: dict[str, Cell], name: Cell) -> bool:
    """A 一级/二级 cell is a label: not the name again, not a 二级指标 in the 一级 column, and
    a word that is no 指标 label only where the cells right of it are filled (a row whose
    cells the source shifted left leaves them blank)."""
    level1, level2 = got.get("level1"), got.get("level2")
    for cell in (level1, level2):
        if cell is not None and key(cell.text) == key(name.text):
            return False
    if level1 is not None:
        bare = key(without_points(level1.text))
        if bare in _KNOWN_LEVEL2 and not is_level1_word(level1.text):
            return False
        if not is_level(level1.text) and level2 is None:
            return False
    return True
