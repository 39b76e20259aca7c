"""The cover and the contents table that open a unit's booklet: its unit, departments and
forms, and a line per form with its money in 万元, rate, declared and computed totals and grade
(as printed: figures as text). Rendered by `PdfTemplates.booklet` (templates/pdf/booklet.html).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..formats import BLANK, declared_text, figure_text, percent_text, wan_text
from ..rules.check import CheckedProject
from .templates import CoverForm, DocumentMeta, booklet_meta


@dataclass(frozen=True)
class BookletRow:
    """A project's line of the table that opens a booklet: figures as text, as printed."""

    name: str
    budget: str  # 全年预算数, 万元
    executed: str  # 全年执行数, 万元
    rate: str  # 执行率 as computed
    declared: str  # 自评总分 as the form states it, its digits as typed
    computed: str  # 复核总分
    grade: str  # 复核等次


def booklet_row(checked: CheckedProject) -> BookletRow:
    """The booklet's line for a project that was read and scored: its money in 万元, its rate,
    the total it declares and the one computed, and the computed grade."""
    project, score = checked.project, checked.score
    assert project is not None and score is not None, "only projects without errors get a PDF"
    funding = project.funding
    declared = project.declared.total
    return BookletRow(
        name=project.name,
        budget=wan_text(funding.total_yuan("budget"), BLANK),
        executed=wan_text(funding.total_yuan("executed"), BLANK),
        rate=percent_text(score.execution.rate, BLANK),
        declared=declared_text(declared, BLANK),
        computed=figure_text(score.total, BLANK),
        grade=score.grade,
    )


@dataclass(frozen=True)
class BookletCover:
    """What a booklet's cover and contents show."""

    year: int
    unit_name: str
    departments: tuple[str, ...]
    names: tuple[str, ...]  # the forms' project names, in order
    meta: DocumentMeta
    site_title: str
    rows: tuple[BookletRow, ...] = ()  # the summary table, one per form, in order
    # 数据截至 on the cover: the latest of its forms' dates of the data; None: none known.
    data_date: dt.date | None = None


def booklet_cover(
    year: int,
    forms: Sequence[CoverForm],
    site_title: str,
    rows: tuple[BookletRow, ...] = (),
    data_date: dt.date | None = None,
) -> BookletCover:
    """The cover of the booklet of `forms` (one unit's forms of `year`, in order), with the
    summary `rows` of the same forms (`booklet_row`) and `data_date`, the latest date of
    their data (数据截至, as each form's foot prints its own)."""
    unit_name = "、".join(sorted({f.unit for f in forms}))
    departments = sorted({(f.department_code, f.department) for f in forms})
    return BookletCover(
        year=year,
        unit_name=unit_name,
        departments=tuple(label for _, label in departments),
        names=tuple(f.name for f in forms),
        meta=booklet_meta(year, unit_name, forms),
        site_title=site_title,
        rows=rows,
        data_date=data_date,
    )
