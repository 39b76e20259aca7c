"""The 项目资金 table of a project's page: each cell as the form prints it, the rules' figure
apart.

The rows and their figures are the PDF's (`pdf.funding.funding_lines`), written for the page:
an amount with the digits the form printed (880 stays 880, 950500.00 stays 950,500.00), a
printed 执行率 as the form wrote it (a ratio 0.85 stays 0.85, a percent 20.10 is 20.10%), a
dash as printed, a cell the form leaves blank blank. A figure the rules compute (the 执行率 of
a form that prints none) is never put in a printed column: the page's own 复核得分 column, after
the form's, holds the computed execution score of the total row only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..form.model import Project
from ..formats import BLANK, declared_yuan_text, figure_text
from ..layouts import Column
from ..pdf.funding import FundingLine, funding_lines
from ..rules.results import ProjectScore

AMOUNTS = ("initial", "budget", "executed")
SEED_DASH = "-"  # a sub-row's 分值/执行率/得分 on the seed's central template (rows by key)
# The page's names of the rows written by key (the PDF prints the template's, with colons).
KEY_LABELS = {
    "total": "年度资金总额",
    "fiscal": "财政拨款",
    "local": "其中:本级安排",
    "superior": "其中:上级补助",
    "other": "其他资金",
}


@dataclass(frozen=True)
class PageFundingRow:
    """One row of the page's funding table: its name, whether it is the 年度资金总额 row, its
    cells in the order of the family's columns (text as shown), and the 复核得分 beside them."""

    label: str
    total: bool
    cells: tuple[str, ...]
    computed: str


def percent_as_printed(value: Decimal | str | None) -> str:
    """A 执行率 written in percent, with the digits written (20.10 -> 20.10%, 100 -> 100%); a
    dash as printed; a blank cell blank."""
    if value is None or isinstance(value, str):
        return value or BLANK
    return f"{value:f}%"


def _rate_text(line: FundingLine, project: Project) -> str:
    """The 执行率 cell: the total row's as the form prints it (a ratio as a ratio: `declared.
    execution_ratio`, 湖北「1」), a row's own in percent; blank where the form prints none."""
    declared = project.declared
    if line.is_total and declared.execution_rate is None and declared.execution_ratio is not None:
        return figure_text(line.rate, BLANK)  # `printed_rate`: the ratio itself
    return percent_as_printed(line.rate)


def _cell(line: FundingLine, key: str, project: Project) -> str:
    if key in AMOUNTS:
        money = getattr(line.row, key) if line.row is not None else None
        return declared_yuan_text(money, BLANK)
    if not line.figures:
        return SEED_DASH
    if key == "rate":
        return _rate_text(line, project)
    return figure_text(getattr(line, key), BLANK)


def page_funding(
    project: Project, score: ProjectScore, columns: tuple[Column, ...], weight: Decimal | None
) -> list[PageFundingRow]:
    """The rows of the page's funding table, in `columns` (the family's funding columns);
    `weight` the execution's 分值 as printed (None where none). Only the rows the file gives
    (a row by key left out is not shown), as the page always had them."""
    rows = []
    for line in funding_lines(project, weight):
        if line.row is None:
            continue
        if line.is_total:
            computed = figure_text(score.execution.score)
        else:
            computed = BLANK if line.figures else SEED_DASH
        label = KEY_LABELS[line.row.key] if line.row.key else line.row.name
        cells = tuple(_cell(line, column.key, project) for column in columns)
        rows.append(PageFundingRow(label, line.is_total, cells, computed))
    return rows
