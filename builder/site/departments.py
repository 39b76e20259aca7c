"""Departments told apart where they share a name: 县教育局(401), 县教育局(402) and
县教育局(无代码) are three departments (issue 12: a department is its name and code, or its name
when it has none). The listings of a year title their departments so (`views.told_apart`), and
the search page's 主管部门 filter offers them so over the whole site (`department_choices`), its
value being who the department is (`urls.department_key`), never its name alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

NO_CODE = "无代码"  # after the name of a department without a code, beside a namesake with one


def department_title(name: str, code: str) -> str:
    """A department named with its code, to tell it from another of the same name:
    县教育局(401), or 县教育局(无代码) for one whose form gives no code."""
    return f"{name}({code or NO_CODE})"


NO_NAME = "主管部门未填"  # the title of the department of forms that name none


class _Summary(Protocol):
    """What the choices and titles read of a project (`views.ProjectSummary`)."""

    year: int
    id: str
    unit_slug: str
    department: str
    department_code: str

    @property
    def department_key(self) -> str:
        """Who the department is (`urls.department_key`)."""


def department_choices(projects: Iterable[_Summary]) -> list[tuple[str, str]]:
    """The search page's 主管部门 choices, each department of the site once as (value, words):
    the value its `department_key` (what its projects' pages and index records hold as their
    filter), the words its name, or, where another department of the site has the same name,
    its name and code (`department_title`). Sorted by the words, case-insensitively. A project
    whose form names no department offers none."""
    named: dict[str, tuple[str, str]] = {}
    for project in projects:
        if project.department:
            named.setdefault(project.department_key, (project.department, project.department_code))
    names = Counter(name for name, _ in named.values())
    choices = [
        (key, department_title(name, code) if names[name] > 1 else name)
        for key, (name, code) in named.items()
    ]
    return sorted(choices, key=lambda choice: (choice[1].lower(), choice[0]))


def department_titles(projects: Iterable[_Summary]) -> dict[tuple[int, str], str]:
    """Each department's title in each year, {(year, department_key): title}, as the year's
    listings and every page of its projects and units (their breadcrumbs) show it: the
    department name of its first form in the listing's order (by unit folder, then id), or
    `NO_NAME`; with its code (`department_title`) where another department of that year has
    the same title."""
    first: dict[tuple[int, str], tuple[str, str]] = {}
    for project in sorted(projects, key=lambda p: (p.year, p.unit_slug, p.id)):
        first.setdefault(
            (project.year, project.department_key),
            (project.department or NO_NAME, project.department_code),
        )
    names = Counter((year, name) for (year, _), (name, _) in first.items())
    return {
        (year, key): department_title(name, code) if names[(year, name)] > 1 else name
        for (year, key), (name, code) in first.items()
    }
