"""Figures that lost the separators between them in glued text: 「渔船补贴发放率100%100%10」,
「补贴渔船数6620」, 「1.561.56120」. A run of figures is cut at each % and, where digits run
together, into the number of figures its row has (its header's columns), preferring the cut
where the 年度指标值 equals the 实际完成值 or the 执行率 is B/A; every cut that had a choice is
a review item. A label whose characters came out of order (「出标产指」) is the label whose
characters it has exactly (产出指标), a review item too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from .words import LEVEL1_CHILDREN

_TRAILING = re.compile(r"^(.*?[^\d.%])?(\d[\d.%]*)$")
_FIRST = re.compile(r"^(\D*?)(\d[\d.%]*)(.*)$")
_PIECE = re.compile(r"\d+(?:\.\d+)?%|\d+(?:\.\d+)?")
_NUMBER = re.compile(r"^(0|[1-9]\d*)(\.\d{1,2})?%?$")


def name_and_run(text: str) -> tuple[str, str, str] | None:
    """(name, figures, what follows) of a cell that prints a name then figures run together;
    None when it holds no figures."""
    trailing = _TRAILING.match(text)
    if trailing:
        return (trailing.group(1) or "").strip(), trailing.group(2), ""
    first = _FIRST.match(text)
    if not first:
        return None
    return first.group(1).strip(), first.group(2), first.group(3).strip()


def _cuts(run: str, count: int) -> Iterator[list[str]]:
    """Every way to cut a run of digits (no %) into `count` plain numbers."""
    if count == 1:
        if _NUMBER.match(run):
            yield [run]
        return
    for end in range(1, len(run)):
        head = run[:end]
        if _NUMBER.match(head):
            for rest in _cuts(run[end:], count - 1):
                yield [head, *rest]


def split_run(run: str, count: int, kinds: tuple[str, ...]) -> tuple[list[str], bool]:
    """The figures of `run` (see the module's docstring): (figures, guessed). Fewer than
    `count` figures when the run cannot hold that many."""
    pieces = _PIECE.findall(run)
    if len(pieces) >= count:
        return pieces[:count], False
    options: list[list[str]] = []
    chunks = re.split(r"(?<=%)", run)
    whole = [c for c in chunks if c]
    for i, chunk in enumerate(whole):
        if chunk.endswith("%"):
            continue
        need = count - (len(whole) - 1)
        for cut in _cuts(chunk, need):
            options.append(whole[:i] + cut + whole[i + 1 :])
        break
    if not options:
        return pieces, False
    options.sort(key=lambda figures: -_likely(figures, kinds))
    return options[0], len(options) > 1


def _likely(figures: list[str], kinds: tuple[str, ...]) -> float:
    """How likely a cut is: the 指标值 equal to the 实际完成值, the 执行率 equal to B/A."""
    by_kind = dict(zip(kinds, figures, strict=False))
    score = 0.0
    if "target" in by_kind and by_kind.get("target") == by_kind.get("actual"):
        score += 1
    budget, executed, rate = (by_kind.get(k) for k in ("budget", "executed", "rate"))
    if budget and executed and rate and Decimal(budget.rstrip("%")) != 0:
        ratio = Decimal(executed) / Decimal(budget)
        value = Decimal(rate.rstrip("%"))
        if value in (ratio, ratio * 100):
            score += 1
    return score


def unscrambled(text: str) -> tuple[str, str] | None:
    """(label, rest) when the cell begins with a 一级指标 whose characters came out of order."""
    for label in LEVEL1_CHILDREN:
        head = text[: len(label)]
        if sorted(head) == sorted(label):
            return label, text[len(label) :]
    return None
