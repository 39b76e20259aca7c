"""Findings about what a form as printed leaves out, so that nothing is scored silently: rows of
the template left as issued, rows without 分值, an execution row without amounts, and a form its
source cut off. Each says what the rules could not check and what was kept instead."""

from __future__ import annotations

from collections.abc import Callable

from ..form.model import Project
from ..form.source import PathKey
from .findings import Finding, Severity, figures, plain
from .results import ProjectScore, Rule
from .totals import quoted_grade, quoted_total


def _placeholders(
    project: Project, score: ProjectScore, line_of: Callable[[PathKey], int]
) -> list[Finding]:
    """One note for the rows of the template left as issued (not scored, not shown), at the
    first of them, with how many there are and the lines of the file they are on."""
    rows = [
        index for index, result in enumerate(score.indicators) if result.rule is Rule.placeholder
    ]
    if not rows:
        return []
    numbers = [str(line_of(("indicators", index, "name"))) for index in rows]
    lines = "、".join(numbers)
    distinct = list(dict.fromkeys(project.indicators[index].name for index in rows))
    first = distinct[0]
    said = (
        f"{first!r} is a row of the template left as issued"
        if len(rows) == 1
        else f"{len(rows)} rows of the template are left as issued "
        f"({', '.join(map(repr, distinct))})"
    )
    names = "、".join(f"“{name}”" for name in distinct)
    return [
        Finding(
            Severity.note,
            "placeholder-row",
            ("indicators", rows[0], "name"),
            f"{said}, with nothing filled in (line{'s' if len(rows) > 1 else ''} "
            f"{', '.join(numbers)}): not scored and not shown",
            "keep the rows as the form prints them; fill one in only if the form does",
            figures(names=names, count=len(rows), lines=lines),
        )
    ]


def _no_weight(project: Project, score: ProjectScore) -> list[Finding]:
    """A note per row without 分值 (the declared 得分 kept, unchecked)."""
    out: list[Finding] = []
    for index, (indicator, result) in enumerate(
        zip(project.indicators, score.indicators, strict=True)
    ):
        if result.rule is not Rule.no_weight:
            continue
        kept = (
            f"the declared score {plain(indicator.score)} is kept"
            if indicator.score is not None
            else "it counts nothing"
        )
        out.append(
            Finding(
                Severity.note,
                "no-weight",
                ("indicators", index),
                f"no 分值 is printed for this row, so the rules cannot check it: {kept}",
                "",
                figures(declared=indicator.score, name=indicator.name),
            )
        )
    return out


def _execution(project: Project, score: ProjectScore) -> list[Finding]:
    """A note when the 年度资金总额 row has no amount to compute 执行率 from (a funding table
    the source cut off is said by `partial-form`)."""
    if not score.execution.unchecked or project.lacks("funding"):
        return []
    printed = project.execution_score_printed
    kept = (
        f"the declared score {plain(score.execution.score)} is kept"
        if printed is not None
        else "it counts nothing"
    )
    return [
        Finding(
            Severity.note,
            "execution-unchecked",
            project.funding.total_path,
            "the 年度资金总额 row prints no 全年预算数 or 全年执行数 to compute 执行率 from, so "
            f"the rules cannot check the execution score: {kept}",
            "",
            figures(declared=printed),
        )
    ]


def _partial(project: Project, score: ProjectScore) -> list[Finding]:
    """A note on a form its source cut off: the parts missing, and whether the total is
    incomplete (the source cut the funding or the indicator table) or whole (it cut something
    the rules do not score, such as the 备注); with an incomplete total, a second note at the
    总分 the form declares (`_total_unchecked`)."""
    if project.partial is None:
        return []
    missing = ", ".join(project.partial.missing)
    if score.incomplete:
        code, consequence = "partial-form", "is of what is there and is incomplete"
    else:
        code = "partial-form-total-whole"
        consequence = "is whole: the funding and indicator tables the rules score are all there"
    note = Finding(
        Severity.note,
        code,
        ("partial",),
        f"the source of this form is cut off (missing: {missing}): the computed total "
        f"{plain(score.total)} {consequence}",
        "",
        figures(missing=missing, computed=score.total, parts=project.missing_parts),
    )
    return [note, *_total_unchecked(project, score)]


def _total_unchecked(project: Project, score: ProjectScore) -> list[Finding]:
    """`total-unchecked`: the 总分 and 等次 a form cut off declares (on its 总分 row, its 等次
    cell or in its 自评结论) are not compared with a total of the parts that are there, and
    no grade is computed; placed where the form states them. [] for a whole total or a form
    that declares neither."""
    declared = project.declared
    total = declared.total if declared.total is not None else quoted_total(declared.conclusion)
    grade = declared.grade or quoted_grade(declared.conclusion)
    if not score.incomplete or (total is None and grade is None):
        return []
    path = (
        ("declared", "total")
        if declared.total is not None
        else ("declared", "grade")
        if declared.grade
        else ("declared", "conclusion")
    )
    stated = " and ".join(
        part
        for part in (
            f"the declared total {plain(total)}" if total is not None else "",
            f"the declared grade {grade}" if grade else "",
        )
        if part
    )
    return [
        Finding(
            Severity.note,
            "total-unchecked",
            path,
            f"the source cut off part of this form ({project.missing_parts}): the rules give "
            f"{plain(score.total)} for what is there, so {stated} cannot be checked and no "
            "grade is computed",
            "",
            figures(
                parts=project.missing_parts,
                computed=score.total,
                declared=total if total is not None else "None",
                grade=grade or "None",
            ),
        )
    ]


def shape_findings(
    project: Project, score: ProjectScore, line_of: Callable[[PathKey], int] | None = None
) -> list[Finding]:
    """Every finding about what the form leaves out, in the order: the execution row, the
    placeholder rows (one note; `line_of(path)` gives the line of a value in the file, the
    row's place among the indicators when not given), each row without 分值, the form as a
    whole. Pure; raises nothing."""
    where = line_of if line_of is not None else (lambda path: int(path[1]) + 1)
    return (
        _execution(project, score)
        + _placeholders(project, score, where)
        + _no_weight(project, score)
        + _partial(project, score)
    )
