"""附:复核计算结果, the annex after each form in its PDF: the figures the rules computed
beside the declared ones, the rows scored otherwise, and each finding at its place on the
form. What the checker says about the form, kept apart from the form as printed.

A figure the form declares is written with its digits as typed (`formats.declared_text`:
9.50 stays 9.50); one jixiao computed, a 一级指标's declared 得分 added up included, as a
person writes it (`findings.plain`: 19.5)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..formats import declared_text
from ..rules.check import CheckedProject
from ..rules.explain import SEVERITY_LABELS, explain, finding_place
from ..rules.findings import plain
from ..rules.reconcile import quoted_grade
from ..rules.results import ProjectScore


@dataclass(frozen=True)
class AnnexLine:
    """A figure of the annex: as declared on the form and as computed, as text ("—" when
    not given)."""

    label: str
    declared: str
    computed: str
    differs: bool


@dataclass(frozen=True)
class AnnexFinding:
    """A finding of the check, as the annex lists it."""

    severity: str
    code: str
    place: str  # on the form, in Chinese
    line: int  # in the project's YAML
    message: str


@dataclass(frozen=True)
class Annex:
    """附:复核计算结果: the computed figures beside the declared ones, and the findings."""

    figures: list[AnnexLine]
    indicators: list[AnnexLine]  # only those whose computed score differs from the declared
    findings: list[AnnexFinding]


def _text(value: Decimal | str | None, suffix: str = "") -> str:
    """A computed figure (or text) of the annex: 97.5, "—" when there is none."""
    if value is None or value == "":
        return "—"
    return (plain(value) if isinstance(value, Decimal) else value) + suffix


def _typed(value: Decimal | str | None) -> str:
    """A figure of the form as declared, its digits as typed: 9.50; "—" when there is none."""
    return "—" if value is None or value == "" else declared_text(value)


def _line(
    label: str,
    declared: Decimal | str | None,
    computed: Decimal | str | None,
    shown: str | None = None,
) -> AnnexLine:
    """A line of declared against computed; `shown` the declared as written where it is not
    the form's own figure as typed (a sum of its rows)."""
    differs = declared is not None and declared != "" and declared != computed
    return AnnexLine(label, _typed(declared) if shown is None else shown, _text(computed), differs)


def _total_lines(total: Decimal | None, grade: str | None, score: ProjectScore) -> list[AnnexLine]:
    """总分 and 自评等次 as declared and as computed; for a form cut off by its source, the
    computed total of the parts there, marked so, and no grade: nothing is compared."""
    if not score.incomplete:
        return [_line("总分", total, score.total), _line("自评等次", grade, score.grade)]
    return [
        AnnexLine("总分", _typed(total), f"{plain(score.total)}(不完整)", False),
        AnnexLine("自评等次", _typed(grade), "不评等次(原表不完整)", False),
    ]


def annex_view(checked: CheckedProject, score: ProjectScore) -> Annex:
    """The annex of a project that was read and scored: every figure declared and computed,
    the indicators whose declared score is not the computed one (or outside the range a
    qualitative band allows), and each finding in Chinese at its place on the form."""
    project = checked.project
    assert project is not None
    declared = project.declared
    rate = score.execution.rate
    figures = [
        AnnexLine(
            "预算执行率(%)",
            _typed(project.execution_rate_printed),
            _text(rate),
            project.execution_rate_printed not in (None, rate),
        ),
        _line("执行率得分", project.execution_score_printed, score.execution.score),
    ]
    for level, points in score.levels.items():
        scores = [i.score for i in project.indicators if i.level1 == level]
        level_declared = (
            sum(scores, Decimal(0)) if scores and all(s is not None for s in scores) else None
        )
        summed = None if level_declared is None else plain(level_declared)
        figures.append(_line(f"{level}得分", level_declared, points, summed))
    figures += _total_lines(
        declared.total, declared.grade or quoted_grade(declared.conclusion), score
    )

    indicators = []
    for indicator, computed in zip(project.indicators, score.indicators, strict=True):
        if computed.low != computed.high:
            allowed = f"{plain(computed.low)}–{plain(computed.high)}"
            outside = indicator.score is not None and not (
                computed.low <= indicator.score <= computed.high
            )
            if outside:
                indicators.append(AnnexLine(indicator.name, _typed(indicator.score), allowed, True))
        elif indicator.score is not None and indicator.score != computed.score:
            indicators.append(
                AnnexLine(indicator.name, _typed(indicator.score), plain(computed.score), True)
            )

    names = [indicator.name for indicator in project.indicators]
    findings = []
    for located in checked.located:
        general, detail = explain(located.finding)
        findings.append(
            AnnexFinding(
                SEVERITY_LABELS[located.finding.severity],
                located.finding.code,
                finding_place(located.finding, names),
                located.line,
                f"{general}{detail}",
            )
        )
    return Annex(figures, indicators, findings)
