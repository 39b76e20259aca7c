"""Across years: a project published in several years (the same id) and a 主管部门's totals
year by year, as the charts and tables of their pages take them.

Plain data for `templates/project.html` and `templates/_department_years.html`; no HTML.
Money in 元 (the charts write it in 万元), scores in points, rates in percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .views import Group, ProjectSummary, YearView

ZERO = Decimal(0)


def year_label(year: int) -> str:
    """A year as a chart's axis writes it: 2023年."""
    return f"{year}年"


@dataclass(frozen=True)
class ProjectYears:
    """One project over the years it was published (`history`: oldest first)."""

    history: list[ProjectSummary]

    @property
    def money(self) -> list[tuple[str, Decimal, Decimal]]:
        """(year, 全年预算数, 全年执行数 in 元) per year, for the paired bars; a figure the
        form prints none of as 0 (the table beside the chart says 未填)."""
        return [(year_label(p.year), p.budget or ZERO, p.executed or ZERO) for p in self.history]

    @property
    def scores(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        """(year, 申报总分, 复核总分) per year, for the two lines; None where none is declared."""
        return [(year_label(p.year), p.declared_total, p.total) for p in self.history]


@dataclass(frozen=True)
class DepartmentYear:
    """A 主管部门 in one year: the year and its group (projects and totals)."""

    year: int
    group: Group

    @property
    def reviewed(self) -> int:
        """How many of its forms the 复核 pages list (`ProjectSummary.in_review`)."""
        return sum(1 for p in self.group.projects if p.in_review)


def department_years(years: list[YearView]) -> dict[str, list[DepartmentYear]]:
    """Each department key's groups over the years, oldest first."""
    found: dict[str, list[DepartmentYear]] = {}
    for view in sorted(years, key=lambda y: int(y.key)):
        for group in view.departments:
            found.setdefault(group.key, []).append(DepartmentYear(int(view.key), group))
    return found


def department_money(rows: list[DepartmentYear]) -> list[tuple[str, Decimal, Decimal]]:
    """(year, budget, executed in 元) per year of a department, for the paired bars."""
    return [(year_label(row.year), row.group.budget, row.group.executed) for row in rows]
