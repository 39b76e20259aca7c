"""Links a form's Markdown may make: only http(s) addresses and mailto:, on the page and in the PDF.

A relative link in a PDF resolves against the build machine's template folder and becomes a
file: link (to /etc/passwd, to the build path, to a share on another host); every target but an
absolute web or e-mail address is dropped and its text kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.pdf.stage import PdfSettings, write_pdfs
from builder.rules.check import check_content
from builder.rules.findings import Severity
from builder.site.prose import link_target, markdown

from .conftest import minimal_project, write_project

HOSTILE = [
    "/etc/passwd",
    "file:///etc/passwd",
    "FILE://evil.example/share",
    "//evil.example/share",
    "foo.html",
    "../../../etc/passwd",
    "#top",
    "javascript:alert(1)",
    "data:text/html,x",
    "http:relative",
    "http:///etc/passwd",
    "smb://evil.example/share",
    " file:///x",
]
ALLOWED = [
    "https://www.mof.gov.cn/",
    "http://example.org/a?b=1",
    "HTTPS://X.example",
    "mailto:a@b.cn",
]
GOALS = " ".join(f"[链接{n}]({href})" for n, href in enumerate(HOSTILE + ALLOWED))


@pytest.mark.parametrize("href", HOSTILE)
def test_other_targets_are_dropped(href: str) -> None:
    assert link_target(href) is None


@pytest.mark.parametrize("href", ALLOWED)
def test_web_and_mail_addresses_are_kept(href: str) -> None:
    assert link_target(href) == href


def test_the_page_keeps_the_text_of_a_dropped_link() -> None:
    html = str(markdown(GOALS))
    for n, _ in enumerate(HOSTILE + ALLOWED):
        assert f">链接{n}</a>" in html
    assert html.count("href=") == len(ALLOWED)
    for href in HOSTILE:
        assert f'href="{href}"' not in html


def _annotations(pdf: Path) -> list[dict[str, object]]:
    found = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            found.append(dict(annotation.get_object()))
    return found


def test_the_pdf_links_only_to_web_and_mail_addresses(tiny_content: Path, tmp_path: Path) -> None:
    data = minimal_project()
    data["goals"] = {"planned": GOALS, "achieved": "[本机](" + str(tmp_path) + ")"}
    write_project(tiny_content, data, unit="u1")
    result = check_content(tiny_content)
    assert result.config is not None and result.count(Severity.error) == 0
    site = tmp_path / "site"
    write_pdfs(result, result.config, PdfSettings(booklets=False), site, tmp_path / "cache", 1)
    annotations = _annotations(site / "2023/u1/ceshi-xiangmu/ceshi-xiangmu.pdf")
    targets = sorted(str(a["/A"]["/URI"]) for a in annotations if "/A" in a)  # type: ignore[index]
    assert targets == sorted(ALLOWED)
    assert all(a.get("/Subtype") == "/Link" for a in annotations)
    assert not [a for a in annotations if "/Dest" in a or "/Launch" in str(a.get("/A"))]
