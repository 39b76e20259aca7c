"""The 年度资金 block of the paper form: the rows of the funding table as the form prints them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..form.model import FUNDING_KEYS, Project
from ..form.model import FundingLine as Row


@dataclass(frozen=True)
class FundingLine:
    """A row of the form's 年度资金 block: its label, its 年初预算数/全年预算数/全年执行数, and
    its 分值/执行率/得分 (the total row's, or a row's own as printed: None a blank cell, a
    `str` a dash as printed; `figures` False: the dashes of a table written by key)."""

    label: str
    row: Row | None
    indent: bool = False
    is_total: bool = False
    # A row's own figure may be a dash as printed (`—`, `-`, `/`: a `str`, shown so).
    weight: Decimal | str | None = None
    rate: Decimal | str | None = None
    score: Decimal | str | None = None
    # The table is written by key (total, fiscal, …): the seed's form, whose sub-rows print
    # `-` in 分值/执行率/得分 and which cannot say otherwise.
    by_key: bool = False

    @property
    def figures(self) -> bool:
        """Whether the row's 分值/执行率/得分 cells are its own figures (a blank one blank, a
        dash as printed): always for a table written as `rows`; for one written by key, the
        total row only, the others printing `-` as the seed's central template does."""
        return self.is_total or not self.by_key


# The labels of the rows written by key, as the central template prints them.
_KEY_LABELS = {
    "total": ("年度资金总额:", False),
    "fiscal": ("财政拨款:", False),
    "local": ("其中:本级安排:", True),
    "superior": ("上级补助:", True),
    "other": ("其他:", False),
}


def printed_rate(project: Project) -> Decimal | None:
    """The total row's 执行率 as the form prints it: a ratio where it prints one (湖北「1」),
    else the percent (`Project.execution_rate_printed`)."""
    declared = project.declared
    if declared.execution_rate is None and declared.execution_ratio is not None:
        return declared.execution_ratio
    return project.execution_rate_printed


def funding_lines(project: Project, execution_weight: Decimal | None) -> list[FundingLine]:
    """The 年度资金 block: the five rows of the central template for a table written by key
    (a row not given left empty), else the rows as printed, by name. The total row carries
    `execution_weight` (the 分值 the form prints, or None) and the 执行率 and 得分 it prints."""
    funding = project.funding
    if funding.by_key:
        by_key = {row.key: row for row in funding.rows}
        rows: list[tuple[str, bool, Row | None]] = [
            (*_KEY_LABELS[key], by_key.get(key)) for key, _ in FUNDING_KEYS
        ]
    else:
        rows = [(row.name, False, row) for row in funding.rows]
    lines = []
    for label, indent, row in rows:
        if row is not None and row.total:
            rate, score = printed_rate(project), project.execution_score_printed
            # A dash the total row prints in its own cell, as printed.
            rate = row.rate if rate is None else rate
            score = row.score if score is None else score
            lines.append(
                FundingLine(label, row, indent, True, execution_weight, rate, score, funding.by_key)
            )
        else:
            own = (row.weight, row.rate, row.score) if row is not None else (None, None, None)
            lines.append(FundingLine(label, row, indent, False, *own, funding.by_key))
    return lines
