"""Findings about how a word for none (无, 零, 没有) in a 指标值 or 实际完成值 cell was read.

A row's points depend on the reading: as 0 against a number (`≤0起` / `无`: target met), as
不适用 against words (the row then counts 0 of its 分值). Either way a finding says so, so that
no grade changes without a word.
"""

from __future__ import annotations

from ..form.model import Indicator
from ..form.source import PathKey
from .findings import Finding, Severity, figures, plain
from .score import IndicatorScore

_NOT_APPLICABLE = "不适用"


def word_findings(path: PathKey, indicator: Indicator, result: IndicatorScore) -> list[Finding]:
    """[] for a row without such a word; else one finding at the cell that holds it: a note
    `word-read-as-zero` (read as 0 in the other cell's unit), or a warning
    `word-read-as-not-applicable` (the other cell is not a number, so the row does not count)."""
    cell = result.word_cell
    if not cell:
        return []
    written = getattr(indicator, cell)
    data = figures(
        written=written, reading=result.word_reading, weight=indicator.weight, computed=result.score
    )
    if result.word_reading == _NOT_APPLICABLE:
        return [
            Finding(
                Severity.warning,
                "word-read-as-not-applicable",
                (*path, cell),
                f"{written!r} read as 不适用: the other cell is not a number, so this row counts "
                f"0 of {plain(indicator.weight)}",
                "write 0 with the target's unit if none happened (0起), or / if the row does "
                "not apply",
                data,
            )
        ]
    return [
        Finding(
            Severity.note,
            "word-read-as-zero",
            (*path, cell),
            f"{written!r} read as {result.word_reading}: {plain(result.score)} of {plain(indicator.weight)}",
            "write / or 不适用 if the row does not apply",
            data,
        )
    ]
