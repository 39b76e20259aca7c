"""The open data and the PDFs give the date of the data the pages give (`site.render.build_date`):
the last commit of content/ when the forms are as committed, else the latest 填报日期, else none,
and then they say no date at all (never 1970-01-01): on the data page, in the SQLite file's
数据说明 and at the foot of every page of a form."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bs4 import BeautifulSoup
from pypdf import PdfReader

from builder.build import BuildOptions, build

from .test_data_date import _content, _Repo


def _build_with_pdfs(content: Path, root: Path) -> Path:
    site = root / "site"
    build(BuildOptions(content=content, site=site, cache=root / "cache", search=False))
    return site


def _data_page(site: Path) -> str:
    soup = BeautifulSoup((site / "data/index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.find("main").get_text(" ", strip=True)


def _data_date_row(site: Path) -> str:
    with sqlite3.connect(site / "data" / "jixiao.db") as db:
        return dict(db.execute('SELECT "项目", "内容" FROM "数据说明"').fetchall())["数据日期"]


def _form_footers(site: Path) -> list[str]:
    """The text of every page of every form's PDF, whitespace taken out."""
    forms = sorted(site.glob("2023/*/*/*.pdf"))
    assert forms
    return [
        re.sub(r"\s+", "", page.extract_text() or "") for f in forms for page in PdfReader(f).pages
    ]


def test_no_date_known_the_data_page_and_the_pdfs_say_none(tmp_path: Path) -> None:
    """Branch i14-data before the merge: the data page said 数据截至 1970年1月1日 (as every
    page did) when no form gave a 填报日期 and git could not date the content."""
    site = _build_with_pdfs(_content(tmp_path / "in", dated=0, undated=2), tmp_path)
    page = _data_page(site)
    assert "数据截至" not in page and "1970" not in page, page
    assert "可以下载再利用。" in page  # the sentence still ends where the date would be
    assert _data_date_row(site) == ""
    for text in _form_footers(site):
        assert "本表网址https://" in text  # the address is there, the date is not
        assert "数据截至" not in text and "1970" not in text


def test_the_last_commit_dates_the_data_page_the_database_and_every_pdf(tmp_path: Path) -> None:
    """Branch i14-data before the merge: the data page said the latest 填报日期 (2024-02-11)
    whatever git said, and each PDF its form's own 填报日期 (2024-01-10, 2024-02-11, none for
    the form without one), while main's pages say the day of the commit (2024-05-06)."""
    repo = _Repo(tmp_path)
    content = _content(tmp_path, dated=2, undated=1)
    repo.commit("2024-05-06T23:30:00+08:00")  # the committer's own day: 6 May
    site = _build_with_pdfs(content, tmp_path / "out")
    assert "数据截至 2024年5月6日" in _data_page(site)
    assert _data_date_row(site) == "2024-05-06"
    footers = _form_footers(site)
    assert len(footers) >= 3  # every page of the three forms
    for text in footers:
        assert "数据截至2024年5月6日" in text, text[-120:]


def test_without_git_the_latest_filing_date_dates_the_data(tmp_path: Path) -> None:
    """Branch i14-data before the merge: each PDF said its own form's 填报日期, and the form
    without one no date, where the pages said 2024-02-11 for all."""
    site = _build_with_pdfs(_content(tmp_path / "in", dated=2, undated=1), tmp_path)
    assert "数据截至 2024年2月11日" in _data_page(site)
    assert _data_date_row(site) == "2024-02-11"
    # The form filed on 10 January, too, is printed as of the data: 11 February.
    for text in _form_footers(site):
        assert "数据截至2024年2月11日" in text, text[-120:]
