"""Where each output lives in `site/`. One place, so pages, PDFs, feeds and data agree.

All paths are relative to the site root and use `/`. Pages link to each other relatively
(`relative()`), so the site works when served from a sub-path. A folder ends in `/`. `unit_slug`
is the 实施单位's folder name under content/<year>/ (`urls.unit_slug`), kept in the site.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import PurePosixPath

from .form.model import Project


def unit_slug(file: PurePosixPath | object) -> str:
    """The unit's folder name under content/<year>/ (lowercase ASCII: `rules/names.py`)."""
    return PurePosixPath(str(file).replace("\\", "/")).parent.name


def year_dir(year: int) -> str:
    """A year's folder: `2023/`."""
    return f"{year}/"


def unit_dir(year: int, unit_slug: str) -> str:
    """A 实施单位's folder in a year: `2023/lps-sbj/`."""
    return f"{year}/{unit_slug}/"


def project_dir(project: Project, unit_slug: str) -> str:
    """A project's folder: `2023/lps-sbj/<id>/`."""
    return f"{project.year}/{unit_slug}/{project.id}/"


def project_page(project: Project, unit_slug: str) -> str:
    """A project's page: `2023/lps-sbj/<id>/index.html`."""
    return project_dir(project, unit_slug) + "index.html"


def project_record(project: Project, unit_slug: str) -> str:
    """A project's JSON record in its folder: `<id>.json`."""
    return project_dir(project, unit_slug) + f"{project.id}.json"


def project_source(project: Project, unit_slug: str) -> str:
    """The project's file as submitted, in its folder: `<id>.yaml`."""
    return project_dir(project, unit_slug) + f"{project.id}.yaml"


def project_pdf(project: Project, unit_slug: str) -> str:
    """A project's PDF form in its folder: `<id>.pdf`."""
    return project_dir(project, unit_slug) + f"{project.id}.pdf"


def project_xlsx(project: Project, unit_slug: str) -> str:
    """A project's form as an Excel workbook in its folder: `<id>.xlsx`."""
    return project_dir(project, unit_slug) + f"{project.id}.xlsx"


def unit_booklet(year: int, unit_slug: str) -> str:
    """A 实施单位's booklet of a year: `2023/lps-sbj/lps-sbj-2023.pdf`."""
    return unit_dir(year, unit_slug) + f"{unit_slug}-{year}.pdf"


def department_key(code: str, name: str) -> str:
    """Who a 主管部门 is, as a folder name: its 部门代码 where it has one (`502`); without one,
    its name, as `none-` and a digest of the name (two departments without a code but with
    different names are never one); "" for a department with neither."""
    if code or not name:
        return code
    return "none-" + hashlib.blake2b(name.encode("utf-8"), digest_size=5).hexdigest()


def department_dir(year: int, key: str) -> str:
    """A 主管部门's folder in a year, by its `department_key`: `2023/dept-502/`,
    `2023/dept-none-0123456789/` for one without a code, `dept-none/` for one with neither."""
    return f"{year}/dept-{key or 'none'}/"


def review_dir(year: int, department: str | None = None) -> str:
    """The 复核 page of a year, `review/2023/`, or of a 主管部门 in it by its
    `department_key`, `review/2023/dept-502/`: under a folder of their own, beside no
    unit's folder or department's."""
    return f"review/{year}/" + ("" if department is None else f"dept-{department or 'none'}/")


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
        link = _relpath(target, start)
    if to.endswith("/"):
        link = link + "/" if link != "." else "./"
    return link


def _relpath(target: str, start: str) -> str:
    """`posixpath.relpath(target or ".", start or ".")` for site paths: where both are plain
    (no leading `/`, no empty, `.` or `..` part) the parts after their common folders, behind
    one `..` for each folder of `start` left; the same text as relpath without its abspath
    and normalising (a page links to its stylesheet, the home page, its year: tens of links a
    page). Anything else goes to relpath itself."""
    to_parts = target.split("/") if target else []
    from_parts = start.split("/") if start else []
    if _UNPLAIN.isdisjoint(to_parts) and _UNPLAIN.isdisjoint(from_parts):
        common = 0
        for a, b in zip(to_parts, from_parts, strict=False):
            if a != b:
                break
            common += 1
        return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    return posixpath.relpath(target or ".", start or ".")


# Parts of a path that only relpath's normalising reads right ("" is a leading or doubled /).
_UNPLAIN = frozenset({"", ".", ".."})
