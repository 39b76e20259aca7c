"""How a reader moves through the site: breadcrumbs, and where the site lives on its host.

Plain data for the templates: (label, site path) pairs that `render.url` turns into links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jinja2 import pass_context

from .. import urls

if TYPE_CHECKING:
    from .project_view import ProjectView
    from .views import Group, ProjectSummary, SiteView, YearView

Trail = list[tuple[str, str]]  # (label, site path of the page), after 首页


@pass_context
def url(context: Any, target: str) -> str:
    """A link from the page being rendered to another site path, relative (a page served at
    any depth, the 404 page, names `absolute_root`, the site's path on its host: then from
    there). A page is linked by its folder (`2023/`, not `2023/index.html`): one address
    per page, the one its canonical link and the sitemap give."""
    folder = target == "index.html" or target.endswith("/index.html")
    if folder:
        target = target.removesuffix("index.html")
    root = context.get("absolute_root")
    if root:
        return root + target
    link = urls.relative(context["page"], target)
    return link + "/" if folder and not link.endswith("/") else link


def summary_of(view: ProjectView, history: list[ProjectSummary]) -> ProjectSummary | None:
    """The summary of `view`'s project among its years (for its 发布日期 and 最近更新)."""
    return next((s for s in history if s.year == view.project.year), None)


def site_root(base_url: str) -> str:
    """The site's path on its host, from its public address: `/` for
    `https://jixiao.example.gov.cn/`, `/jixiao/` for `https://www.example.gov.cn/jixiao`."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def project_trail(view: ProjectView, site: SiteView | None = None) -> Trail:
    """The breadcrumb of a project page: 年度 › 主管部门 › 实施单位 › the project; the
    department as `site`'s listings title it (with its code beside a namesake)."""
    project = view.project
    department = urls.department_key(project.department.code, project.department.name)
    titles = {
        group.key: group.title
        for year in (site.years if site is not None else [])
        if year.key == str(project.year)
        for group in year.departments
    }
    title = titles.get(department) or project.department.name or "主管部门未填"
    return [
        (f"{project.year}年度", urls.year_dir(project.year) + "index.html"),
        (title, urls.department_dir(project.year, department) + "index.html"),
        (project.unit, urls.unit_dir(project.year, view.unit_slug) + "index.html"),
        (project.name, view.page),
    ]


def group_trail(year: YearView, group: Group) -> Trail:
    """The breadcrumb of a 主管部门's or 实施单位's page: 年度 › (主管部门 ›) the group; a
    unit whose projects answer to one department is shown under it."""
    trail = [(year.title, year.page + "index.html")]
    if group.parent is not None:
        trail.append((group.parent.title, group.parent.page + "index.html"))
    return [*trail, (group.title, group.page + "index.html")]
