"""The 复核 pages: for each year, and each 主管部门 in it, every published form whose declared
figures disagree with the rules or with each other, the largest difference first.

Plain data for `templates/review.html` and the counts on the home and year pages; no HTML.
A form is listed when its declared total differs from the computed one or it has an issue
about figures (`ProjectSummary.in_review`); one whose only issue is about its texts (a
repeated 预期目标) is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import urls
from .views import Group, ProjectSummary, YearView


def review_order(projects: list[ProjectSummary]) -> list[ProjectSummary]:
    """The forms to review among `projects`, by the size of the difference between the
    declared and the computed total (largest first; a form without a declared total counts
    0), then by the number of issues about figures, then by page."""

    def key(p: ProjectSummary) -> tuple[Decimal, int, str]:
        return (-abs(p.difference or Decimal(0)), -p.figure_issues, p.page)

    return sorted((p for p in projects if p.in_review), key=key)


@dataclass(frozen=True)
class ReviewPage:
    """One 复核 page: a year's or a department's (`department`: its key, None for the year),
    its title, its path, the forms listed (`review_order`) and how many forms it covers."""

    year: int
    title: str  # 2023年度, or 2023年度 and the department's name
    name: str  # the department's name ("" for the year's page)
    page: str
    department: str | None
    entries: list[ProjectSummary]
    forms: int

    @property
    def count(self) -> int:
        """How many forms are listed."""
        return len(self.entries)


@dataclass(frozen=True)
class YearReview:
    """A year's 复核 page and the pages of its departments, in the year's order."""

    year: ReviewPage
    departments: list[ReviewPage] = field(default_factory=list)

    def of(self, group: Group) -> ReviewPage | None:
        """The 复核 page of a department group of this year (None: not one of them)."""
        return next((d for d in self.departments if d.department == group.key), None)


def _page(year: int, group: Group, department: str | None) -> ReviewPage:
    name = group.title if department is not None else ""
    return ReviewPage(
        year,
        f"{year}年度{name}",
        name,
        urls.review_dir(year, department) + "index.html",
        department,
        review_order(group.projects),
        len(group.projects),
    )


def year_review(view: YearView) -> YearReview:
    """The 复核 pages of one year: the year's and each of its departments'."""
    year = int(view.key)
    return YearReview(
        _page(year, view, None),
        [_page(year, group, group.key) for group in view.departments],
    )


def site_reviews(years: list[YearView]) -> dict[str, YearReview]:
    """Each year's 复核 pages, by the year's key ("2023")."""
    return {view.key: year_review(view) for view in years}
