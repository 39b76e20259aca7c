"""Findings about what a form as printed leaves out, so that nothing is scored silently: rows of
the template left as issued, rows without 分值, an execution row without amounts, and a form its
source cut off. Each says what the rules could not check and what was kept instead."""

from __future__ import annotations

from ..form.model import Project
from .findings import Finding, Severity, figures, plain
from .results import ProjectScore, Rule


def _rows(project: Project, score: ProjectScore) -> list[Finding]:
    """A note per placeholder row (not scored, not shown) and per row without 分值 (the
    declared 得分 kept, unchecked)."""
    out: list[Finding] = []
    for index, (indicator, result) in enumerate(
        zip(project.indicators, score.indicators, strict=True)
    ):
        if result.rule is Rule.placeholder:
            out.append(
                Finding(
                    Severity.note,
                    "placeholder-row",
                    ("indicators", index, "name"),
                    f"{indicator.name!r} is a row of the template left as issued, with nothing "
                    "filled in: it is not scored and not shown",
                    "keep the row as the form prints it; fill it in only if the form does",
                    figures(name=indicator.name),
                )
            )
        elif result.rule is Rule.no_weight:
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
                    figures(declared=indicator.score),
                )
            )
    return out


def _execution(project: Project, score: ProjectScore) -> list[Finding]:
    """A note when the 年度资金总额 row has no amount to compute 执行率 from."""
    if not score.execution.unchecked:
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
    the rules do not score, such as the 备注)."""
    if project.partial is None:
        return []
    missing = ", ".join(project.partial.missing)
    if score.incomplete:
        code, consequence = "partial-form", "is of what is there and is incomplete"
    else:
        code = "partial-form-total-whole"
        consequence = "is whole: the funding and indicator tables the rules score are all there"
    return [
        Finding(
            Severity.note,
            code,
            ("partial",),
            f"the source of this form is cut off (missing: {missing}): the computed total "
            f"{plain(score.total)} {consequence}",
            "",
            figures(missing=missing, computed=score.total, parts=project.missing_parts),
        )
    ]


def shape_findings(project: Project, score: ProjectScore) -> list[Finding]:
    """Every finding about what the form leaves out, in the order: the execution row, each
    indicator row, the form as a whole. Pure; raises nothing."""
    return _execution(project, score) + _rows(project, score) + _partial(project, score)
