"""Validate: rules that span several fields of a form, or several forms."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from ..form.load import LoadedProject
from ..form.model import FundingRow, Project
from .findings import Finding, Severity, figures, plain
from .formulas import ZERO
from .policy import ScoringPolicy
from .score import execution_weight, level_weights

# The funding table's rows as the form names them.
_ROW_NAMES = MappingProxyType(
    {
        "total": "年度资金总额",
        "fiscal": "财政拨款",
        "local": "本级安排",
        "superior": "上级补助",
        "other": "其他资金",
    }
)


def _rows(project: Project, worths: dict[str, Decimal]) -> list[Finding]:
    """Each row: a 一级指标 the form does not have, a declared 得分 above the row's 分值."""
    findings: list[Finding] = []
    for index, indicator in enumerate(project.indicators):
        level = indicator.level1
        if level not in worths:
            close = difflib.get_close_matches(level, list(worths), n=1, cutoff=0.3)
            findings.append(
                Finding(
                    Severity.error,
                    "unknown-level",
                    ("indicators", index, "level1"),
                    f"{level!r} is not a first-level indicator of this form",
                    f"did you mean {close[0]!r}?" if close else f"expected one of {list(worths)}",
                    figures(level=level)
                    + (
                        figures(suggestion=close[0]) if close else figures(levels="、".join(worths))
                    ),
                )
            )
            continue
        if indicator.score is not None and indicator.score > indicator.weight:
            findings.append(
                Finding(
                    Severity.error,
                    "score-over-weight",
                    ("indicators", index, "score"),
                    f"declared score {plain(indicator.score)} is more than the weight {plain(indicator.weight)}",
                    "an indicator cannot score more than its 分值",
                    figures(declared=indicator.score, weight=indicator.weight),
                )
            )
    return findings


def _level_sums(project: Project, worths: dict[str, Decimal]) -> list[Finding]:
    """The 分值 of the 三级指标 under each 一级指标 must add up to the 一级指标's 分值.

    Source: the 自评表 itself (a 一级指标's 分值, printed as 产出指标 (50分), is spread over its
    rows); a form that breaks it is published as printed, with this finding naming both sums.
    """
    sums: dict[str, Decimal] = defaultdict(Decimal)
    first_row: dict[str, int] = {}
    for index, indicator in enumerate(project.indicators):
        if indicator.level1 in worths:
            sums[indicator.level1] += indicator.weight
            first_row.setdefault(indicator.level1, index)
    findings: list[Finding] = []
    for level, expected in worths.items():
        got = sums.get(level, ZERO)
        if got == expected:
            continue
        index = first_row.get(level)
        path = (
            ("indicators", index, "weight")
            if index is not None
            else ("weights", "levels", level)
            if level in project.weights.levels
            else ("indicators",)
        )
        findings.append(
            Finding(
                Severity.error,
                "weights-level-sum",
                path,
                f"weights of {level} add up to {plain(got)}, expected {plain(expected)}",
                "the 分值 of the 三级指标 under a 一级指标 must add up to its points",
                figures(level=level, sum=got, expected=expected),
            )
        )
    return findings


def _overall(project: Project, worths: dict[str, Decimal], policy: ScoringPolicy) -> list[Finding]:
    """The execution 分值 plus the 一级指标 分值 must make the full marks (`scoring.total`).

    Source: 财预〔2020〕10号, the weights of 单位自评 (预算执行率 10 + 产出 50 + 效益 30 + 满意度 10
    = 100 by default; the figures are the policy's or the form's own).
    """
    overall = execution_weight(project, policy) + sum(worths.values(), ZERO)
    if overall == policy.total:
        return []
    return [
        Finding(
            Severity.error,
            "weights-total",
            ("weights",),
            f"execution and first-level weights add up to {plain(overall)}, expected {plain(policy.total)}",
            "check the (N分) of each 一级指标 and the 分值 of the execution row",
            figures(sum=overall, expected=policy.total),
        )
    ]


def _funding(project: Project) -> list[Finding]:
    """The funding table: no row executed over its budget; 财政拨款 + 其他 = 年度资金总额 and
    本级安排 + 上级补助 = 财政拨款, in each of the three columns (amounts in 元, exactly)."""
    findings: list[Finding] = []
    funding = project.funding
    rows: dict[str, FundingRow | None] = {
        "total": funding.total,
        "fiscal": funding.fiscal,
        "local": funding.local,
        "superior": funding.superior,
        "other": funding.other,
    }
    for name, row in rows.items():
        if row is not None and row.executed > row.budget:
            findings.append(
                Finding(
                    Severity.error,
                    "executed-over-budget",
                    ("funding", name, "executed"),
                    f"全年执行数 {row.executed} is greater than 全年预算数 {row.budget}",
                    "the executed amount cannot exceed the full-year budget; check both figures",
                    figures(executed=row.executed, budget=row.budget),
                )
            )

    def compare(whole: str, parts: list[str]) -> None:
        whole_row = rows[whole]
        part_rows = [rows[p] for p in parts if rows[p] is not None]
        if whole_row is None or not part_rows:
            return
        for column, label in (
            ("initial", "年初预算数"),
            ("budget", "全年预算数"),
            ("executed", "全年执行数"),
        ):
            expected = getattr(whole_row, column)
            got = sum((getattr(row, column) for row in part_rows), ZERO)
            if got != expected:
                findings.append(
                    Finding(
                        Severity.warning,
                        "funding-rows-disagree",
                        ("funding", whole, column),
                        f"{label}: the rows under {whole} add up to {plain(got)}, but {whole} says "
                        f"{plain(expected)}",
                        f"{whole} should equal {' + '.join(parts)}",
                        figures(row=whole, column=column, sum=got, expected=expected),
                        message_zh=f"{label}:{_ROW_NAMES[whole]}之下各行相加为 {plain(got)} 元,"
                        f"{_ROW_NAMES[whole]}一行为 {plain(expected)} 元",
                        hint_zh=f"{_ROW_NAMES[whole]}应等于"
                        + " + ".join(_ROW_NAMES[part] for part in parts),
                    )
                )

    compare("total", ["fiscal", "other"])
    compare("fiscal", ["local", "superior"])
    return findings


def validate_project(project: Project, policy: ScoringPolicy) -> list[Finding]:
    """Rules across the fields of one form: its 分值 (per row, per 一级指标, in all) and its
    funding table (executed within budget, sub-rows adding up to their total row).

    Every finding is an error except `funding-rows-disagree` (a warning). Pure; raises nothing.
    """
    worths = level_weights(project, policy)
    return (
        _rows(project, worths)
        + _level_sums(project, worths)
        + _overall(project, worths, policy)
        + _funding(project)
    )


def validate_corpus(
    projects: list[LoadedProject], known: Mapping[tuple[int, str], Path] | None = None
) -> None:
    """Rules across files: a (year, id) pair names one project only.

    `projects` are checked in order; `known` are forms checked before and not among them,
    (year, id) -> file. Every file that claims a (year, id) already taken (by a known form or
    an earlier one in `projects`) gets one `duplicate-id` error on its `id`, naming the first
    file, appended to its findings.
    """
    seen: dict[tuple[int, str], Path] = dict(known or {})
    for loaded in projects:
        if loaded.project is None:
            continue
        key = (loaded.project.year, loaded.project.id)
        first = seen.get(key)
        if first is None:
            seen[key] = loaded.file
        else:
            loaded.findings.append(
                Finding(
                    Severity.error,
                    "duplicate-id",
                    ("id",),
                    f"id {key[1]!r} is already used for {key[0]} by {first.as_posix()}",
                    "each project needs its own id within a year",
                    figures(id=key[1], year=key[0], first=first.as_posix()),
                )
            )
