"""Where each output lives in `site/`. One place, so pages, PDFs, feeds and data agree.

All paths are relative to the site root and use `/`. Pages link to each other relatively
(`relative()`), so the site works when served from a sub-path.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath

from .form.model import Project


def unit_slug(file: PurePosixPath | object) -> str:
    """The unit's folder name under content/<year>/ (ASCII by convention)."""
    return PurePosixPath(str(file).replace("\\", "/")).parent.name


def year_dir(year: int) -> str:
    return f"{year}/"


def unit_dir(year: int, unit: str) -> str:
    return f"{year}/{unit}/"


def project_dir(project: Project, unit: str) -> str:
    return f"{project.year}/{unit}/{project.id}/"


def project_page(project: Project, unit: str) -> str:
    return project_dir(project, unit) + "index.html"


def project_record(project: Project, unit: str) -> str:
    return project_dir(project, unit) + f"{project.id}.json"


def project_source(project: Project, unit: str) -> str:
    return project_dir(project, unit) + f"{project.id}.yaml"


def project_pdf(project: Project, unit: str) -> str:
    return project_dir(project, unit) + f"{project.id}.pdf"


def unit_booklet(year: int, unit: str) -> str:
    return unit_dir(year, unit) + f"{unit}-{year}.pdf"


def department_dir(year: int, code: str) -> str:
    return f"{year}/dept-{code or 'none'}/"


def relative(from_page: str, to: str) -> str:
    """A link from one site path to another, e.g. ('2023/x/index.html', 'index.html') -> '../../index.html'."""
    start = posixpath.dirname(from_page)
    target = to.rstrip("/") if to.endswith("/") else to
    # A listing links to thousands of pages below it: those links are the target with the
    # listing's folder taken off, without posixpath.relpath's normalising.
    if start and target.startswith(start + "/") and "." not in target[len(start) + 1 :][:1]:
        link = target[len(start) + 1 :]
    elif not start and target and not target.startswith((".", "/")):
        link = target
    else:
        link = posixpath.relpath(target or ".", start or ".")
    if to.endswith("/"):
        link = link + "/" if link != "." else "./"
    return link
