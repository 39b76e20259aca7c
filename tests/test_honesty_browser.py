"""The pages of issue 14's honesty part in Chromium: a project page with its money, its
issues and its years, the 复核 pages and a department's years, at 360 px (text at 100 % and
200 %) and 1280 px: nothing of theirs leaves the screen sideways, axe finds nothing, and the
screenshots are kept for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import BuildOptions, build

from .chromium import SCREENSHOTS, axe_violations, served

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "project-years": "2023/lps-sbj/chengxiang-yanglao-65-zengfa/index.html",
    "project-issues": "2023/lps-sbj/jiguan-yanglao-quekou/index.html",
    "review-year": "review/2023/index.html",
    "review-department": "review/2023/dept-502/index.html",
    "department-years": "2023/dept-502/index.html",
    "methodology": "methodology/index.html",
}
# What these pages add, each checked for sideways overflow (the rest of the page is the
# layout's: its own tests hold it).
OURS = (
    ".verdict, section[aria-labelledby=findings], section[aria-labelledby=history], "
    "section[aria-labelledby=dept-years], .review-count, main table.review-list, .origin"
)
OVERFLOW = """(selector) => {
  const out = [];
  for (const part of document.querySelectorAll(selector)) {
    for (const el of [part, ...part.querySelectorAll('*')]) {
      if (el.closest('.scroll') && !el.closest('table.stack')) continue;
      const box = el.getBoundingClientRect();
      if (box.width && box.right > window.innerWidth + 1) out.push(el.tagName + ' ' + el.className);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def years_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content with two of its forms published in 2022 as well (same ids)."""
    work = tmp_path_factory.mktemp("honesty-browser")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "2022/lps-sbj").mkdir(parents=True)
    for name in ("chengxiang-yanglao-65-zengfa", "jiguan-yanglao-quekou"):
        text = (content / f"2023/lps-sbj/{name}.yaml").read_text(encoding="utf-8")
        text = text.replace("year: 2023", "year: 2022").replace("2023-12-25", "2022-12-25")
        text = text.replace("executed: 17461600", "executed: 60000000")
        (content / f"2022/lps-sbj/{name}.yaml").write_text(text, encoding="utf-8")
    site = work / "site"
    build(BuildOptions(content=content, site=site, cache=work / "cache", pdf=False, search=False))
    return site


@pytest.fixture(scope="module")
def years_url(years_site: Path) -> Iterator[str]:
    with served(years_site) as url:
        yield url


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize(("width", "text"), [(360, 100), (360, 200), (1280, 100)])
def test_nothing_of_ours_leaves_the_screen(
    browser: object, years_url: str, name: str, width: int, text: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto(years_url + PAGES[name])
    if text != 100:
        tab.add_style_tag(content=f"html {{ font-size: {text}% !important; }}")
    assert tab.evaluate(OVERFLOW, OURS) == []
    if name.startswith("review"):  # pages of ours alone: the whole page fits
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"honesty-{name}-{width}-{text}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations(browser: object, years_url: str, name: str) -> None:
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        tab = context.new_page()
        tab.goto(years_url + PAGES[name])
        tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        report = axe_violations(tab)
        context.close()
        assert not report, report


def test_the_staff_details_open_on_request(browser: object, years_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto(years_url + PAGES["project-years"])
    codes = tab.locator("details.staff code").first
    assert not codes.is_visible()
    tab.locator("details.staff summary").click()
    assert codes.is_visible() and codes.inner_text() == "total-mismatch"
    context.close()


def test_a_project_page_stays_light(years_site: Path) -> None:
    """A project page with its issues and its years, and both its stylesheets: ≤ 50 KB."""
    for name in ("project-years", "project-issues"):
        html = (years_site / PAGES[name]).stat().st_size
        css = sum((years_site / "assets" / f).stat().st_size for f in ("site.css", "honesty.css"))
        assert html + css <= 50 * 1024, (name, html, css)
