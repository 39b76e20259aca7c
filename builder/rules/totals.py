"""The form as a whole against the rules and against itself: its 总分 and 等次, a total above the
full mark, and its cost rows against the funds executed. Pure; the form is never altered.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from ..form.model import Indicator, Project
from ..form.values import Quantity, UnreadableValue, parse_quantity
from .findings import Finding, Severity, catalogued, figures, plain
from .formulas import ZERO
from .policy import ScoringPolicy
from .results import ProjectScore

_CONCLUSION_TOTAL = re.compile(
    r"(?:自评|评价)?(?:分数|得分|总分)(?:为|是|:|：)?\s*(\d+(?:\.\d+)?)\s*分"
)
_CONCLUSION_GRADE = re.compile(r"(?:自评)?等次(?:为|是|:|：)\s*([^\s,，。；;、]+)")
_MONEY_MEASURE_UNITS = frozenset({"元", "千元", "万元", "亿元"})
# Words of a cost row's name that make its amount one of a unit, not the project's: 每间教室
# 改造成本, 单价, 单座大棚补助, 人均, 生均, 亩均, 平均, 补助标准 (每年 is the year's whole).
_PER_UNIT_NAME = re.compile(
    r"每(?!年)|单[价位座个间台套户人次件项亩栋所辆吨张]|[人生户亩吨床校]均|平均|均价|标准"
)
# A measure unit of one of something: 元/人, 元/人·天, 万元/座, 元每吨.
_PER_UNIT_MEASURE = re.compile(r"[/／每]")


def quoted_total(conclusion: str) -> Decimal | None:
    """The total that a 自评结论 text quotes, in points: '单位绩效自评分数92.01分' -> 92.01.

    None when the text quotes none. The first figure after 分数 / 得分 / 总分 and before 分 counts.
    """
    match = _CONCLUSION_TOTAL.search(conclusion)
    return Decimal(match.group(1)) if match else None


def quoted_grade(conclusion: str) -> str | None:
    """The grade that a 自评结论 text names after 等次为 / 等次: ('自评等次为优秀。' -> 优秀)."""
    match = _CONCLUSION_GRADE.search(conclusion)
    return match.group(1) if match else None


def is_cost_row(indicator: Indicator) -> bool:
    """A row of the 成本指标: its 二级指标 is 成本指标 or one of its kinds (经济成本指标), or, in
    the templates that make it a first level, its 一级指标 is 成本指标."""
    return indicator.level2.endswith("成本指标") or indicator.level1 == "成本指标"


def is_per_unit(indicator: Indicator) -> bool:
    """True for a cost row whose amount is the cost of one unit, not the project's: its name
    says so (每…, 单价, 单座…, 人均, 生均, 平均, …标准) or a measure unit it is written in is one
    of something (元/人, 元/人·天, 万元/座: in the 度量单位 column, the 年度指标值 or the
    实际完成值)."""
    if _PER_UNIT_NAME.search(indicator.name):
        return True
    units = [indicator.measure_unit or ""]
    for cell in (indicator.target, indicator.actual):
        try:
            quantity = parse_quantity(cell)
        except UnreadableValue:
            continue
        units.append(quantity.measure_unit if quantity is not None else "")
    return any(_PER_UNIT_MEASURE.search(unit) for unit in units)


def cost_amount(indicator: Indicator) -> Decimal | None:
    """The amount in 元 that a row's 实际完成值 states (`≤95.05万元` -> 950500), with the
    度量单位 column's unit where the cell has none (`95.05` in a 万元 column); None when the
    actual is no amount of money (a rate, words, a cell that cannot be read)."""
    try:
        actual = parse_quantity(indicator.actual)
    except UnreadableValue:
        return None
    if actual is None:
        return None
    if not actual.measure_unit and indicator.measure_unit:
        actual = dataclasses.replace(actual, measure_unit=indicator.measure_unit.strip())
    return _in_yuan(actual)


def _in_yuan(quantity: Quantity) -> Decimal | None:
    if quantity.measure_unit not in _MONEY_MEASURE_UNITS:
        return None
    return quantity.in_base_measure_unit()[1]


def cost_findings(project: Project) -> list[Finding]:
    """The form's cost rows (`is_cost_row`) that state a total amount of the project: their
    actual is an amount of money (`cost_amount`) and nothing says it is the cost of one unit
    (`is_per_unit`: 每间教室改造成本 ≤1.1万元, 生均补助标准 8元/人·天 are left out). Those are
    added up and compared with 全年执行数 of the 年度资金总额 row, in 元, exactly: a warning
    `cost-vs-executed` at the first such row's 实际完成值 when they differ, naming the rows.

    Not a scoring rule but a consistency check: the cost rows say what the project cost, the
    funding table what was spent. The bundled form 1 says its cost was ≤1000万元 while
    1746.16万元 were executed. [] when no cost row states a total in money, or the 年度资金总额
    row prints no 全年执行数 (a blank, a dash, no funding table), or when the rows that are
    there add up to less and the source cut off the indicator table (the rest may be missing).
    """
    rows = [
        (index, indicator, amount)
        for index, indicator in enumerate(project.indicators)
        if is_cost_row(indicator)
        and not is_per_unit(indicator)
        and (amount := cost_amount(indicator)) is not None
    ]
    executed = project.funding.total_yuan("executed")
    if not rows or executed is None:
        return []
    total = sum((amount for _, _, amount in rows), ZERO)
    # A table the source cut off may lack cost rows: a sum below the funds says nothing.
    if total == executed or (total < executed and project.lacks("indicators")):
        return []
    first, indicator, _ = rows[0]
    names = "、".join(row.name for _, row, _ in rows)
    if len(rows) == 1:
        message = (
            f"the actual cost {indicator.actual} ({total:,.2f} 元) differs from the funds "
            f"executed, {executed:,.2f} 元"
        )
    else:
        message = (
            f"the actual costs of the {len(rows)} cost rows ({names}) add up to {total:,.2f} 元, "
            f"{'more' if total > executed else 'less'} than the funds executed, {executed:,.2f} 元"
        )
    return [
        Finding(
            Severity.warning,
            "cost-vs-executed",
            ("indicators", first, "actual"),
            message,
            "the cost indicator and the funding table should tell the same story",
            figures(actual=total, executed=executed, rows=names),
        )
    ]


def _above_full(project: Project, score: ProjectScore, policy: ScoringPolicy) -> list[Finding]:
    """A total above the full mark (`scoring.total`): the computed one (its weights add up to
    more, placed at the weights) and the 总分 row's, each a warning `total-above-full`."""
    out: list[Finding] = []
    full = policy.total
    for total, path, which, english in (
        (score.total, ("weights",), "按规则计算的", "the rules give"),
        (project.declared.total, ("declared", "total"), "表上填写的", "the 总分 row declares"),
    ):
        if total is None or total <= full:
            continue
        out.append(
            Finding(
                Severity.warning,
                "total-above-full",
                path,
                f"{english} {plain(total)}, above the full mark of {plain(full)}",
                "no form can score more than the full mark: check the 分值 and the 得分 columns",
                figures(total=total, full=full, which=which),
            )
        )
    return out


def _total(project: Project, score: ProjectScore) -> list[Finding]:
    """The 总分 row against the rules and against the form's own 得分 column; the total that
    the 自评结论 quotes against the 总分 row (or, without one, the computed total). Nothing is
    compared with a computed total of a form cut off (`ProjectScore.incomplete`), nor with
    the 得分 column of one whose indicator table was cut off: `total-unchecked` says so."""
    out: list[Finding] = []
    declared = project.declared
    if declared.total is not None and declared.total != score.total and not score.incomplete:
        out.append(
            catalogued(
                Severity.warning,
                "total-mismatch",
                ("declared", "total"),
                declared=declared.total,
                computed=score.total,
            )
        )
    parts = None if project.lacks("indicators") else score.declared_parts
    if declared.total is not None and parts is not None and parts != declared.total:
        out.append(
            catalogued(
                Severity.warning,
                "total-not-sum",
                ("declared", "total"),
                declared=declared.total,
                sum=parts,
            )
        )
    quoted = quoted_total(declared.conclusion)
    reference = declared.total if declared.total is not None else score.total
    if quoted is None or quoted == reference or (declared.total is None and score.incomplete):
        return out
    out.append(
        Finding(
            Severity.warning,
            "conclusion-total-mismatch",
            ("declared", "conclusion"),
            f"the 自评结论 quotes {plain(quoted)}, the 总分 row says {plain(reference)}"
            if declared.total is not None
            else f"the 自评结论 quotes {plain(quoted)}, the rules give {plain(reference)}",
            # Without a 总分 row the message already names the computed total.
            f"the rules give {plain(score.total)}" if declared.total is not None else "",
            figures(quoted=quoted, declared=declared.total, computed=score.total),
        )
    )
    return out


def _grade(project: Project, score: ProjectScore) -> list[Finding]:
    """The declared 等次, and the one the 自评结论 names, against the grade of the total (a
    form cut off has none: nothing is compared)."""
    out: list[Finding] = []
    declared = project.declared
    if score.grade is None:
        return out
    if declared.grade is not None and declared.grade != score.grade:
        out.append(
            catalogued(
                Severity.warning,
                "grade-mismatch",
                ("declared", "grade"),
                declared=declared.grade,
                computed=score.grade,
                total=score.total,
            )
        )
    quoted_label = quoted_grade(declared.conclusion)
    if quoted_label is not None and quoted_label != score.grade:
        out.append(
            catalogued(
                Severity.warning,
                "conclusion-grade-mismatch",
                ("declared", "conclusion"),
                quoted=quoted_label,
                computed=score.grade,
                total=score.total,
            )
        )
    return out


def total_findings(project: Project, score: ProjectScore, policy: ScoringPolicy) -> list[Finding]:
    """Every finding about the form as a whole, in the order `jixiao check` prints them: a total
    above the full mark, the 总分 row (against the rules, its own column and the 自评结论), the
    grade. `score` is `score_project(project, policy)`."""
    return _above_full(project, score, policy) + _total(project, score) + _grade(project, score)
