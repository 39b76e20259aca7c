"""PDFs everyone can read: tagged (PDF/A-3a: a structure tree, MarkInfo, the language), each
form printing its page's address and the date of its data at the foot of every page, a unit
booklet opening with a table of its projects, and links that say `PDF, 103 KB, 2 页` and open
in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from builder.formats import size_text
from builder.publish.datadate import committed_on
from builder.publish.dates import form_dates
from builder.rules.check import check_content

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://jixiao.example.gov.cn/"


def _forms(site: Path) -> list[Path]:
    return sorted(site.glob("2023/*/*/*.pdf"))


def _structure(node: object, found: dict[str, int]) -> None:
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _structure(kid, found)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        found[str(node.S)] = found.get(str(node.S), 0) + 1
        if "/K" in node:
            _structure(node.K, found)


def test_every_form_is_tagged_in_chinese(example_site: Path) -> None:
    forms = _forms(example_site)
    assert len(forms) == 6
    for file in forms:
        with pikepdf.open(file) as pdf:
            root = pdf.Root
            assert "/StructTreeRoot" in root, file
            assert bool(root.MarkInfo.Marked), file
            assert str(root.Lang) == "zh-CN", file
            meta = pdf.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "A"), file
            found: dict[str, int] = {}
            _structure(root.StructTreeRoot.K, found)
            # The form's title, its tables with header and data cells.
            assert found.get("/H1") and found.get("/Table", 0) >= 3, (file, found)
            assert found.get("/TH", 0) >= 10 and found.get("/TD", 0) >= 50, (file, found)


def test_every_page_of_a_form_prints_its_address_and_data_date(example_site: Path) -> None:
    # The date of each form's data: its 最近更新 from git (`publish.dates`), else the date of
    # the data as every page of the site says it: the last commit of content/, else the
    # latest 填报日期 (`site.render.build_date`).
    result = check_content(ROOT / "content")
    filled = [c.project.filled_on for c in result.projects if c.project and c.project.filled_on]
    site_date = committed_on(ROOT / "content") or max(filled)
    updated = {path: dates.updated for path, dates in form_dates(ROOT / "content").items()}
    for file in _forms(example_site):
        year, unit, project = file.relative_to(example_site).parts[:3]
        date = updated.get(f"{year}/{unit}/{project}.yaml", site_date)
        address = f"{BASE_URL}{file.parent.relative_to(example_site).as_posix()}/"
        pages = [page.extract_text() or "" for page in PdfReader(file).pages]
        assert len(pages) >= 2
        for number, text in enumerate(pages, start=1):
            flat = re.sub(r"\s+", "", text)
            assert f"第{number}页共{len(pages)}页" in flat, (file, number)
            assert "本表网址" + address in flat, (file, number, text[-200:])
            assert f"数据截至{date.year}年{date.month}月{date.day}日" in flat, (file, number)


def test_a_booklet_opens_with_a_table_of_its_projects(example_site: Path) -> None:
    [booklet] = sorted(example_site.glob("2023/*/*.pdf"))
    reader = PdfReader(booklet)
    contents = re.sub(r"\s+", "", reader.pages[1].extract_text() or "")
    assert "目录(项目一览)" in contents
    for header in (
        "项目名称",
        "全年预算数(万元)",
        "执行率",
        "自评总分",
        "复核总分",
        "复核等次",
        "页码",
    ):
        assert header in contents, header
    # 机关事业单位养老保险缺口资金补助: 8,687.00 万元 budgeted, 20.10% executed, 92.01.
    assert "8,687.00" in contents and "20.10%" in contents and "92.01" in contents
    # 城乡居民养老保险65岁以上增发基础养老金: declared 100, computed 97.5.
    assert re.search(r"100\.00%10097\.5优秀3", contents), contents
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:2] == ["封面", "目录"]


def _link(page: Path, href_end: str) -> object:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    [link] = [a for a in soup.find_all("a") if a.get("href", "").endswith(href_end)]
    return link


@pytest.mark.parametrize("kind", ["form", "booklet"])
def test_pdf_links_give_size_and_pages_and_open_in_the_browser(
    example_site: Path, kind: str
) -> None:
    if kind == "form":
        targets = [(f.parent / "index.html", f) for f in _forms(example_site)]
    else:
        # A unit's booklet: from its page and the tables of units of its year's and its
        # department's pages. (A project page links it as `PDF` alone: the size changes with
        # every form of the unit, and an edit to one form rewrites none of the others' pages.)
        targets = [
            (page, booklet)
            for booklet in sorted(example_site.glob("2023/*/*.pdf"))
            for page in (
                booklet.parent / "index.html",
                example_site / "2023" / "index.html",
                *sorted(example_site.glob("2023/dept-*/index.html")),
            )
        ]
        assert len(targets) == 3
    assert targets
    for page, pdf in targets:
        link = _link(page, pdf.name)
        pages = len(PdfReader(pdf).pages)
        expected = f"PDF, {size_text(pdf.stat().st_size)}, {pages} 页"
        assert expected in link.get_text(), (page, link.get_text(), expected)
        assert re.fullmatch(r"PDF, \d+(\.\d)? (KB|MB), \d+ 页", expected)
        assert not link.has_attr("download") and link["type"] == "application/pdf"


def test_sizes_are_said_as_file_managers_say_them() -> None:
    assert size_text(860) == "860 字节"
    assert size_text(2765) == "2.7 KB"
    assert size_text(105_472) == "103 KB"
    assert size_text(1_468_006) == "1.4 MB"
