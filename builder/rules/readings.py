"""Findings about how a 指标值 or 实际完成值 cell was read.

A word for none (无, 零, 没有): a row's points depend on the reading, as 0 against a number
(`≤0起` / `无`: target met), as 不适用 against words (the row then counts 0 of its 分值). Either
way a finding says so, so that no grade changes without a word.

A date or time target missed or not to be judged from the cells (`deadline-missed`,
`deadline-unchecked`), % against a bare fraction (`fraction-or-percent`), an empty cell or words
that name no band (`actual-missing`, `target-missing`, `actual-no-band`): the declared score is
kept and a warning says why the rules did not score the row (`reading_findings`), so that no
row earns its points without a word.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..form.model import Indicator
from ..form.source import PathKey
from .cells import cells_as_read, printed_kind
from .findings import Finding, Severity, figures, plain
from .results import IndicatorScore, Kind, Rule

_NOT_APPLICABLE = "不适用"


def word_findings(path: PathKey, indicator: Indicator, result: IndicatorScore) -> list[Finding]:
    """[] for a row without such a word; else one finding at the cell that holds it: a note
    `word-read-as-zero` (read as 0 in the other cell's unit), or a warning
    `word-read-as-not-applicable` (the other cell is not a number, so the row does not count)."""
    cell = result.word_cell
    if not cell:
        return []
    written = getattr(indicator, cell)
    # The formula's figure (`low`): a lower declared 得分 accepted with a reason is said apart.
    data = figures(
        written=written, reading=result.word_reading, weight=indicator.weight, computed=result.low
    ) + accepted(result)
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
            f"{written!r} read as {result.word_reading}: {plain(result.low)} of "
            f"{plain(indicator.weight)}{counted_said(result)}",
            "write / or 不适用 if the row does not apply",
            data,
        )
    ]


# Rule -> (code, hint): rows whose cells were read but that no formula scored.
_UNSCORED: Mapping[Rule, tuple[str, str]] = MappingProxyType(
    {
        Rule.deadline_missed: (
            "deadline-missed",
            "a missed date or time has no proportion in the rules: check the declared score",
        ),
        Rule.deadline_unchecked: (
            "deadline-unchecked",
            "write the actual as a date or time like the target, e.g. 2023年12月20日 or 8:20",
        ),
        Rule.fraction_or_percent: (
            "fraction-or-percent",
            "write the actual in the target's unit, e.g. 98% rather than 0.98",
        ),
        Rule.no_actual: (
            "actual-missing",
            "write the 实际完成值 as the form prints it, or / if the row does not apply",
        ),
        Rule.no_target: (
            "target-missing",
            "write the 年度指标值 as the form prints it, or / if the row does not apply",
        ),
        Rule.unbanded: (
            "actual-no-band",
            "say in the 实际完成值 whether the target was 达成, 部分达成 or 未达成",
        ),
    }
)


def kept_said(indicator: Indicator, result: IndicatorScore) -> str:
    """What a row the rules could not score counts, in words that state the figure the total
    adds: "the declared score 8 is kept", or "no score is declared: 10 counted"."""
    if indicator.score is None:
        return f"no score is declared: {plain(result.score)} counted"
    return f"the declared score {plain(result.score)} is kept"


def accepted(result: IndicatorScore) -> tuple[tuple[str, str], ...]:
    """The figure `counted` where a lower declared 得分 with a reason counts instead of the
    formula's (`score.judgement_applied`: `score` below `low`); () otherwise. A note stating
    the formula's figure names it too, so that what the total adds is always said."""
    return figures(counted=result.score) if result.score < result.low else ()


def counted_said(result: IndicatorScore) -> str:
    """The English of `accepted`: "; the declared 2.5 is counted (judgement-accepted)" or ""."""
    if result.score >= result.low:
        return ""
    return f"; the declared {plain(result.score)} is counted (judgement-accepted)"


# Rows left unchecked for want of something to check: an empty cell, words that name no band.
_CANNOT_CHECK = frozenset({Rule.no_actual, Rule.no_target, Rule.unbanded})


def reading_findings(path: PathKey, indicator: Indicator, result: IndicatorScore) -> list[Finding]:
    """Every finding about how the row's cells were read: `word_findings`, then a warning for a
    row that keeps its declared score (0 when none is declared for an empty cell) because its
    cells were read as a missed date or time, as a date or time the cells cannot judge, as %
    against a bare fraction (at the 实际完成值), or because the rules have nothing to check: an
    empty 实际完成值 (`actual-missing`), an empty 年度指标值 against an actual no band names
    (`target-missing`, at that cell), an actual in words that names no band (`actual-no-band`;
    on a row marked 定量 `value-not-quantitative` says it instead)."""
    out = word_findings(path, indicator, result)
    if result.rule not in _UNSCORED:
        return out
    if result.rule is Rule.unbanded and printed_kind(indicator) is Kind.quantitative:
        return out  # said by value-not-quantitative, at the same row
    code, hint = _UNSCORED[result.rule]
    declared = indicator.score
    unchecked = result.rule in _CANNOT_CHECK
    target, actual = cells_as_read(indicator)
    data = figures(
        target=target,
        actual=actual,
        # Where nothing is declared an unchecked row says so (未填) rather than a figure.
        declared="未填" if unchecked and declared is None else result.score,
        computed=result.score,
        weight=indicator.weight,
    )
    problem = result.problem
    if result.rule is Rule.fraction_or_percent:
        bare, percent = _bare_cell(indicator, result)
        problem = (
            f"{target!r} against {actual!r}: a bare number of at most 1 "
            f"may be a fraction ({bare} = {percent}%) or a percent without its sign "
            f"({bare}%); the rules do not choose"
        )
        hint = f"write the cell in the other one's unit, e.g. {percent}% rather than {bare}"
        data += figures(bare=bare, percent=percent)
    kept = kept_said(indicator, result)
    if unchecked:
        kept = f"the rules cannot check this row; {kept}"
    cell = result.problem_field if unchecked else "actual"
    return [*out, Finding(Severity.warning, code, (*path, cell), f"{problem}: {kept}", hint, data)]


def _bare_cell(indicator: Indicator, result: IndicatorScore) -> tuple[str, str]:
    """(the cell of a `fraction-or-percent` row written as a bare number, as written; that
    number × 100, the percent it is if it is a fraction): ("0.95", "95"), ("1", "100")."""
    target, actual = result.target, result.actual
    if actual is not None and not actual.measure_unit:
        return indicator.actual.strip(), plain(actual.number * 100)
    if target is not None:
        return indicator.target.strip(), plain(target.number * 100)
    return indicator.actual.strip(), ""
