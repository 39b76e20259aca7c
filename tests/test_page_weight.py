"""Every project page stays light (issue 14): at most 50 KB with the stylesheets it links, on
the bundled site and on the families example (the largest forms the repository carries)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# A project page and every stylesheet it links, in bytes as served (no compression).
PAGE_WEIGHT_LIMIT = 50 * 1024


def page_weights(site: Path) -> dict[str, int]:
    """Site path of each project page (`<year>/<unit>/<id>/index.html`) -> its size plus the
    size of every stylesheet it links (`<link rel="stylesheet">`, resolved from the page)."""
    weights: dict[str, int] = {}
    for page in sorted(site.glob("*/*/*/index.html")):
        relative = page.relative_to(site)
        if not relative.parts[0].isdigit():
            continue  # the 复核 pages (review/<year>/dept-<key>/) are listings, not projects
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        sheets = {
            (page.parent / link["href"]).resolve()
            for link in soup.find_all("link", href=True)
            if "stylesheet" in (link.get("rel") or [])
        }
        assert sheets, f"{relative}: no stylesheet linked"
        weights[relative.as_posix()] = page.stat().st_size + sum(s.stat().st_size for s in sheets)
    return weights


@pytest.mark.parametrize("site_fixture", ["example_site", "families_site"])
def test_every_project_page_with_its_css_is_at_most_50_kb(
    site_fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    weights = page_weights(site)
    assert len(weights) >= 6
    heavy = {page: weight for page, weight in weights.items() if weight > PAGE_WEIGHT_LIMIT}
    assert not heavy, heavy
