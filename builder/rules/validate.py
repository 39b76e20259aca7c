"""Validate: rules that span several fields of a form, or several forms."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from ..form.load import LoadedProject
from ..form.model import Money, Project
from .findings import Finding, Severity, figures, plain
from .formulas import ZERO
from .policy import ScoringPolicy
from .score import execution_weight, level_weights


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
                    figures(level=level),
                )
            )
            continue
        if (
            indicator.score is not None
            and indicator.weight is not None
            and indicator.score > indicator.weight
        ):
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
    if project.partial is not None or all(i.weight is None for i in project.indicators):
        return []  # a form cut off, or one without a 分值 column: nothing printed to add up
    sums: dict[str, Decimal] = defaultdict(Decimal)
    first_row: dict[str, int] = {}
    for index, indicator in enumerate(project.indicators):
        if indicator.level1 in worths and indicator.weight is not None:
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
    if overall == policy.total or project.partial is not None:
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


def _yuan(money: Money | None) -> Decimal | None:
    return None if money is None else money.yuan


def _shown(money: Money | None) -> str:
    return "" if money is None else money.shown


def _funding(project: Project) -> list[Finding]:
    """The funding table: no row executed over its budget; for the rows by key, 财政拨款 + 其他
    = 年度资金总额 and 本级安排 + 上级补助 = 财政拨款, in each of the three columns (amounts in
    元, exactly; a column with a blank or a dash in it is not added up)."""
    findings: list[Finding] = []
    funding = project.funding
    for index, row in enumerate(funding.rows):
        budget, executed = _yuan(row.budget), _yuan(row.executed)
        if budget is not None and executed is not None and executed > budget:
            findings.append(
                Finding(
                    Severity.error,
                    "executed-over-budget",
                    (*funding.path_of(index), "executed"),
                    f"全年执行数 {_shown(row.executed)} is greater than 全年预算数 "
                    f"{_shown(row.budget)}",
                    "the executed amount cannot exceed the full-year budget; check both figures",
                    figures(executed=executed, budget=budget),
                )
            )
    rows = {row.key: row for row in funding.rows if row.key}

    def compare(whole: str, parts: list[str]) -> None:
        whole_row = rows.get(whole)
        part_rows = [rows[p] for p in parts if p in rows]
        if whole_row is None or not part_rows:
            return
        for column, label in (
            ("initial", "年初预算数"),
            ("budget", "全年预算数"),
            ("executed", "全年执行数"),
        ):
            expected = _yuan(getattr(whole_row, column))
            values = [_yuan(getattr(row, column)) for row in part_rows]
            if expected is None or None in values:
                continue
            got = sum(values, ZERO)  # type: ignore[arg-type]
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
                )
            )
