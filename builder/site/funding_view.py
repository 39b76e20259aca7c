"""The 项目资金 table of a project's page: each cell as the form prints it, the rules' figure
apart.

The rows and their figures are the PDF's (`pdf.funding.funding_lines`), written for the page:
an amount with the digits the form printed (880 stays 880, 950500.00 stays 950,500.00), a
printed 执行率 as the form wrote it, as the PDF prints it (`formats.rate_as_printed`: a ratio
0.85 stays 0.85, 20.10 stays 20.10, 100% keeps its sign), a 分值 or 得分 with its digits as
typed (`formats.declared_text`: 9.50 stays 9.50), a dash as printed, a cell the form leaves blank blank. A figure the rules compute (the 执行率 of
a form that prints none) is never put in a printed column: the page's own 复核得分 column, after
the form's, holds the computed execution score of the total row only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..form.model import Project
from ..formats import BLANK, declared_text, declared_yuan_text, figure_text, rate_as_printed
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


def _cell(line: FundingLine, key: str) -> str:
    if key in AMOUNTS:
        money = getattr(line.row, key) if line.row is not None else None
        return declared_yuan_text(money, BLANK)
    if not line.figures:
        return SEED_DASH
    if key == "rate":
        return rate_as_printed(line.rate, BLANK)
    return declared_text(getattr(line, key), BLANK)


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
        cells = tuple(_cell(line, column.key) for column in columns)
        rows.append(PageFundingRow(label, line.is_total, cells, computed))
    return rows
