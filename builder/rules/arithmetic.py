"""The form's own arithmetic: where its printed figures contradict each other.

A real form may print weights that add up to 110, 三级 分值 that do not make their 一级指标's
(or their printed 二级指标's) points, a 得分 above its row's 分值, more executed than budgeted, or funding sub-rows that do
not add up. That is a fact about the paper, not data that cannot be read: the form is scored as
printed (each row by its own 分值, the execution row by B/A capped at 100 %) and published, and
each contradiction is a warning naming both figures. Errors are kept for what cannot be read.
Pure; raises nothing.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from types import MappingProxyType

from ..form.model import Funding, FundingLine, Money, Project
from .findings import Finding, Severity, catalogued, figures, plain
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


def _score_over_weight(project: Project) -> list[Finding]:
    """A declared 得分 above its row's 分值 (rows without a 分值 are left alone)."""
    findings: list[Finding] = []
    for index, indicator in enumerate(project.indicators):
        declared, worth = indicator.score, indicator.weight
        if declared is None or worth is None or declared <= worth:
            continue
        findings.append(
            catalogued(
                Severity.warning,
                "score-over-weight",
                ("indicators", index, "score"),
                declared=declared,
                weight=worth,
            )
        )
    return findings


def _no_weight_column(project: Project) -> bool:
    """True for a form that prints no 分值 for any row (湖北2020): it prints 得分 only."""
    return not project.prints_weights


def _level_sums(project: Project, worths: dict[str, Decimal]) -> list[Finding]:
    """The 分值 of the 三级指标 under each 一级指标 against the 一级指标's 分值.

    Source: the 自评表 itself (a 一级指标's 分值, printed as 产出指标 (50分), is spread over its
    rows); a form that breaks it is scored by its rows' own 分值, with this warning naming both
    sums. Rows without a 分值 add nothing; a form whose source cut off its indicator table
    (`partial.missing` lists indicators), or one without a 分值 column, has nothing printed to
    add up.
    """
    if project.lacks("indicators") or _no_weight_column(project):
        return []
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
            catalogued(
                Severity.warning, "weights-level-sum", path, level=level, sum=got, expected=expected
            )
        )
    return findings


def _level2_sums(project: Project) -> list[Finding]:
    """The 分值 of the 三级指标 under each 二级指标 the form prints points for
    (`weights.level2`, 数量指标(10分)) against those points: a warning `weights-level2-sum`
    where they differ, at the first such row (at `weights.level2` when no row is under it);
    the rows are scored by their own 分值. Rows without 分值 add nothing; not said of a form
    without a 分值 column or one whose indicator table its source cut off."""
    if not project.weights.level2 or project.lacks("indicators") or _no_weight_column(project):
        return []
    findings: list[Finding] = []
    for level2, expected in project.weights.level2.items():
        rows = [
            (index, row.weight)
            for index, row in enumerate(project.indicators)
            if row.level2 == level2 and row.weight is not None
        ]
        got = sum((weight for _, weight in rows), ZERO)
        if got == expected:
            continue
        path = ("indicators", rows[0][0], "weight") if rows else ("weights", "level2", level2)
        findings.append(
            catalogued(
                Severity.warning,
                "weights-level2-sum",
                path,
                level=level2,
                sum=got,
                expected=expected,
            )
        )
    return findings


def _overall(project: Project, worths: dict[str, Decimal], policy: ScoringPolicy) -> list[Finding]:
    """The execution 分值 plus the 一级指标 分值 against the full marks (`scoring.total`).

    Source: 财预〔2020〕10号, the weights of 单位自评 (预算执行率 10 + 产出 50 + 效益 30 + 满意度 10
    = 100 by default; the figures are the policy's or the form's own). A form printing 110 is
    scored as printed; its total may then pass the full mark (`totals.py`, `total-above-full`).
    A form whose source cut off the funding or the indicator table need not add up; nor need a
    form that prints no 分值 column and no 一级指标 分值 (湖北2020: the 一级指标 weights of the
    policy are then not the form's).
    """
    levels = sum(worths.values(), ZERO)
    if policy.weights.levels_total is not None and not project.weights.levels:
        levels = policy.weights.levels_total  # the rows' own sum is `_levels_total`'s to say
    overall = execution_weight(project, policy) + levels
    if overall == policy.total or project.lacks("indicators") or project.lacks("funding"):
        return []
    if _no_weight_column(project) and not project.weights.levels:
        return []
    return [
        catalogued(
            Severity.warning, "weights-total", ("weights",), sum=overall, expected=policy.total
        )
    ]


def _levels_total(project: Project, policy: ScoringPolicy) -> list[Finding]:
    """Under a policy whose 一级指标 are free (`weights.levels_total`, 四川: 绩效指标 90分), the
    分值 of all rows against that total, a warning `weights-levels-total` at the first row
    when they differ; the form is scored as printed. Not said of a form that prints its own
    一级指标 分值 (those are checked one by one), one without a 分值 column, or one whose
    indicator table its source cut off."""
    expected = policy.weights.levels_total
    if (
        expected is None
        or project.weights.levels
        or project.lacks("indicators")
        or _no_weight_column(project)
    ):
        return []
    rows = [
        (index, row.weight)
        for index, row in enumerate(project.indicators)
        if row.weight is not None and row.level1 in policy.weights.levels
    ]
    got = sum((weight for _, weight in rows), ZERO)
    if got == expected:
        return []
    path = ("indicators", rows[0][0], "weight") if rows else ("indicators",)
    return [catalogued(Severity.warning, "weights-levels-total", path, sum=got, expected=expected)]


def _yuan(money: Money | None) -> Decimal | None:
    return None if money is None else money.yuan


def _shown(money: Money | None) -> str:
    return "" if money is None else money.shown


def _over_budget(funding: Funding) -> list[Finding]:
    """Each funding row whose 全年执行数 is above its 全年预算数 (in 元; a blank or a dash
    compares nothing)."""
    findings: list[Finding] = []
    for index, row in enumerate(funding.rows):
        budget, executed = _yuan(row.budget), _yuan(row.executed)
        if budget is not None and executed is not None and executed > budget:
            findings.append(
                Finding(
                    Severity.warning,
                    "executed-over-budget",
                    (*funding.path_of(index), "executed"),
                    f"全年执行数 {_shown(row.executed)} is greater than 全年预算数 "
                    f"{_shown(row.budget)}; the execution rate counts at most 100%",
                    "check both figures against the form",
                    figures(executed=executed, budget=budget),
                )
            )
    return findings


def _disagree(rows: dict[str, FundingLine], whole: str, parts: list[str]) -> list[Finding]:
    """`whole` against the sum of its `parts` (the rows by key), in each of the three columns;
    a column with a blank or a dash in it is not added up."""
    whole_row = rows.get(whole)
    part_rows = [rows[p] for p in parts if p in rows]
    if whole_row is None or not part_rows:
        return []
    findings: list[Finding] = []
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
                    message_zh=f"{label}:{_ROW_NAMES[whole]}之下各行相加为 {plain(got)} 元,"
                    f"{_ROW_NAMES[whole]}一行为 {plain(expected)} 元",
                    hint_zh=f"{_ROW_NAMES[whole]}应等于"
                    + " + ".join(_ROW_NAMES[part] for part in parts),
                )
            )
    return findings


def _funding(project: Project) -> list[Finding]:
    """The funding table: a row executed over its budget; for the rows by key, 财政拨款 + 其他
    = 年度资金总额 and 本级安排 + 上级补助 = 财政拨款, in each of the three columns (amounts in
    元, exactly)."""
    rows = {row.key: row for row in project.funding.rows if row.key}
    return (
        _over_budget(project.funding)
        + _disagree(rows, "total", ["fiscal", "other"])
        + _disagree(rows, "fiscal", ["local", "superior"])
    )


def arithmetic_findings(project: Project, policy: ScoringPolicy) -> list[Finding]:
    """Every contradiction among the form's own printed figures, as warnings, in the order
    `jixiao check` prints them: a 得分 above its 分值 (`score-over-weight`), the 三级 分值 per
    一级指标 (`weights-level-sum`) and per printed 二级指标 (`weights-level2-sum`) or, where the policy leaves the 一级指标 free, in all
    (`weights-levels-total`), the weights in all (`weights-total`), the funding table
    (`executed-over-budget`, `funding-rows-disagree`). The form is scored as printed."""
    worths = level_weights(project, policy)
    return (
        _score_over_weight(project)
        + _level_sums(project, worths)
        + _level2_sums(project)
        + _levels_total(project, policy)
        + _overall(project, worths, policy)
        + _funding(project)
    )
