"""One mistake, one message: findings that only follow from another finding of the same form.

A typo in one row's 一级指标 (`产出指` for `产出指标`) is `unknown-level` on that row, and the
weights of 产出指标 then lack that row's 分值: a second error, `weights-level-sum`, on another
row, that a clerk would go and look for in vain. The rules here settle a form's findings after
validation and reconciliation, so that each mistake is said once:

- a row whose 一级指标 is close to one of the form's (the `did you mean` of `unknown-level`)
  is counted under it for the sums: the sum error goes when that makes the sum right, and
  otherwise says that the row was counted so;
- a 一级指标 written one way in `weights.levels` and another way in every row under it (two or
  more) is one error at `weights.levels`, not an error on each row and a sum of 0;
- a declared 得分 above its 分值 (`score-over-weight`) is not said again as a 总分 that is not
  the sum of the 得分 column, when capping it at its 分值 makes the sum right;
- a figure computed under weights that do not add up (the computed 总分, a row's formula score
  under that 一级指标) is marked as following from that error, with its line.

Pure; `line_of(path)` gives the line of a value in the form.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from ..form.model import Project
from ..form.source import PathKey
from .findings import Finding, Severity, figures, plain
from .wording import chinese

# Findings computed from the 分值: wrong whenever the 分值 are.
_FROM_WEIGHTS = frozenset(
    {
        "total-mismatch",
        "total-above-full",
        "grade-mismatch",
        "conclusion-grade-mismatch",
        "score-below-rule",
    }
)


def _closest(level: str, levels: list[str]) -> str | None:
    found = difflib.get_close_matches(level, levels, n=1, cutoff=0.6)
    return found[0] if found else None


def settle(
    project: Project, findings: list[Finding], line_of: Callable[[PathKey], int]
) -> list[Finding]:
    """`findings` of one form with those that follow from another dropped or marked (see the
    module's rules), in their order."""
    codes = {f.code for f in findings}
    if "unknown-level" in codes and "weights-level-sum" in codes:
        findings = _misnamed_levels(project, findings, line_of)
    if "score-over-weight" in codes and "total-not-sum" in codes:
        findings = _over_weight_total(project, findings)
    codes = {f.code for f in findings}  # a sum the misspelt rows make right is gone
    if "weights-level-sum" in codes and codes & _FROM_WEIGHTS:
        findings = _marked(project, findings, line_of)
    return findings


def _misnamed_levels(
    project: Project, findings: list[Finding], line_of: Callable[[PathKey], int]
) -> list[Finding]:
    sums = {dict(f.data)["level"]: f for f in findings if f.code == "weights-level-sum"}
    levels = list(dict.fromkeys((*project.weights.levels, *sums)))
    unknown = [f for f in findings if f.code == "unknown-level"]
    rows: dict[str, list[int]] = {}  # the declared level -> the rows taken to mean it
    for finding in unknown:
        meant = _closest(dict(finding.data)["level"], levels)
        if meant is not None:
            rows.setdefault(meant, []).append(int(finding.path[1]))
    dropped: set[int] = set()
    added: list[Finding] = []
    for level, sum_finding in sums.items():
        taken = rows.get(level, [])
        if not taken:
            continue
        written = {project.indicators[i].level1 for i in taken}
        counted = [
            i for i in range(len(project.indicators)) if project.indicators[i].level1 == level
        ]
        if not counted and len(taken) > 1 and len(written) == 1 and level in project.weights.levels:
            added.append(_renamed(level, written.pop(), len(taken)))
            dropped.update(id(f) for f in unknown if int(f.path[1]) in taken)
        got = sum(  # a row without a 分值 adds nothing, as in `arithmetic`
            (project.indicators[i].weight or Decimal(0) for i in (*counted, *taken)), Decimal(0)
        )
        expected = Decimal(dict(sum_finding.data)["expected"])
        dropped.add(id(sum_finding))
        if got != expected:
            added.append(_sum_with(sum_finding, level, got, expected, taken, project, line_of))
    return [f for f in findings if id(f) not in dropped] + added


def _renamed(level: str, written: str, count: int) -> Finding:
    return Finding(
        Severity.error,
        "unknown-level",
        ("weights", "levels", level),
        f"the 一级指标 is {level!r} here and {written!r} in the {count} rows under it",
        "write it the same way in both places",
        figures(level=level),
        message_zh=f"一级指标在 weights.levels 里写作“{level}”,在其下 {count} 行指标里写作“{written}”",
        hint_zh=f"统一写法,如把这里改为“{written}”",
    )


def _sum_with(
    finding: Finding,
    level: str,
    got: Decimal,
    expected: Decimal,
    taken: list[int],
    project: Project,
    line_of: Callable[[PathKey], int],
) -> Finding:
    rows = "、".join(
        f"第 {line_of(('indicators', i, 'level1'))} 行的“{project.indicators[i].level1}”"
        for i in taken
    )
    moved = replace(finding, data=figures(level=level, sum=got, expected=expected))
    return replace(
        moved,
        message=f"weights of {level} add up to {plain(got)}, expected {plain(expected)}"
        " (counting the rows whose 一级指标 is misspelt)",
        message_zh=f"{chinese(moved)[0].rstrip('。')}({rows}按“{level}”计入)",
    )


def _over_weight_total(project: Project, findings: list[Finding]) -> list[Finding]:
    """Drop `total-not-sum` when it is the sum of scores capped at their 分值 (the rows the
    sum counts: placeholders left out, a row without a 分值 at its 得分)."""
    total, execution = project.declared.total, project.execution_score_printed
    rows = [row for _, row in project.scored_indicators]
    if total is None or execution is None or any(row.score is None for row in rows):
        return findings
    capped = execution + sum(
        (_capped(row.score, row.weight) for row in rows if row.score is not None), Decimal(0)
    )
    if capped != total:
        return findings
    return [f for f in findings if f.code != "total-not-sum"]


def _capped(score: Decimal, weight: Decimal | None) -> Decimal:
    return score if weight is None else min(score, weight)


def _marked(
    project: Project, findings: list[Finding], line_of: Callable[[PathKey], int]
) -> list[Finding]:
    """Mark the figures computed under weights that do not add up."""
    wrong = [f for f in findings if f.code == "weights-level-sum"]
    levels = {dict(f.data)["level"] for f in wrong}
    cause = wrong[0]
    where = line_of(cause.path)
    note = f" — follows from the weights of {', '.join(sorted(levels))} (line {where})"
    note_zh = f" — 由{'、'.join(sorted(levels))}的分值合计不符(第 {where} 行)引起"
    marked: list[Finding] = []
    for finding in findings:
        row = (
            finding.path[1]
            if finding.path[:1] == ("indicators",) and len(finding.path) > 1
            else None
        )
        follows = finding.code in _FROM_WEIGHTS and (
            row is None or project.indicators[int(row)].level1 in levels
        )
        if follows:
            worded = chinese(finding, project)[0].rstrip("。") + note_zh
            finding = replace(finding, message=finding.message + note, message_zh=worded)
        marked.append(finding)
    return marked
