"""The printed form's layout with long content: text stays in its cell, a row taller than a page
splits under its table's headings, and the longest form the bounds allow costs seconds.

Real WeasyPrint, real PDFs: positions of words and cell borders are read back from the files
(`pdfgeometry`), pages with poppler's `pdftotext -layout`.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup, escape

from bench.longest_form import longest_form, write_content
from builder.pdf.fit import FIT_STEPS, LONG_RUN, breakable, digit_widths, fit_class
from builder.pdf.render import Renderer
from builder.pdf.setup import render_setup
from builder.pdf.templates import PdfTemplates, form_view
from builder.rules.check import check_content
from builder.rules.findings import Severity

from .pdfgeometry import crossings, words
from .test_pdf import _build, _content_with, _pdf_of, _squeezed, _text, long_project

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="pdftotext (poppler-utils) missing",
)

LATIN = "abcdefghijklmnopqrstuvwxyz"


def _latin(length: int) -> str:
    """A run of `length` letters with no break opportunity in it."""
    return (LATIN * (length // len(LATIN) + 1))[:length]


def _form(project_id: str, **changes: Any) -> dict[str, Any]:
    """The 42-row test form of test_pdf cut to its first rows of each 一级指标 (valid), with
    top-level keys replaced."""
    data = long_project()
    rows = data["indicators"]
    data["indicators"] = [rows[0], rows[25], rows[40]]
    for row, weight in zip(data["indicators"], (50, 30, 10), strict=True):
        row["weight"] = row["score"] = weight
    data["id"] = project_id
    data.update(changes)
    return data


def _amounts(text: str, executed: str | None = None) -> dict[str, Any]:
    row = {"initial": text, "budget": text, "executed": executed or text}
    return {name: dict(row) for name in ("total", "fiscal", "local")} | {
        "superior": {"initial": 0, "budget": 0, "executed": 0},
        "other": {"initial": 0, "budget": 0, "executed": 0},
    }


def _overflow_forms() -> dict[str, dict[str, Any]]:
    """Forms with the longest unbreakable text each cell may hold."""
    # 分值 and 得分 with six decimals (the most a figure may have), 执行率 likewise.
    sixths = _form("figures")
    sixths["indicators"][0].update(weight=16.666667, score=16.666667)
    sixths["indicators"].insert(1, dict(sixths["indicators"][0], weight=33.333333))
    sixths["indicators"][1]["score"] = 33.333333
    sixths["declared"].update(execution_rate=99.999999, execution_score=9.999999)
    long_words = _form(
        "unbreakable",
        name=_latin(200),
        department={"name": _latin(100), "code": "999"},
        unit=_latin(100),
        contact="1" * 100,
        goals={"planned": "https://" + _latin(400), "achieved": "見" + "9" * 400},
    )
    row = long_words["indicators"][0]
    row.update(
        level2=_latin(30),
        name="https://" + _latin(150),
        target="≥1234567890123人",
        actual="≥999999999999999人",
        reason="https://" + _latin(300),
        unit=_latin(20),
    )
    long_words["declared"]["conclusion"] = _latin(300)
    return {
        # The case: about 123 亿元.
        "u/amounts-11": _form("amounts-11", funding=_amounts("12345678901.23", "11851851745.18")),
        "u/amounts-13": _form("amounts-13", funding=_amounts("9999999999999.99")),
        # The largest amount a form may hold (15 digits before the point).
        "u/amounts-15": _form("amounts-15", funding=_amounts("999999999999999.99")),
        "u/figures": sixths,
        "u/unbreakable": long_words,
    }


def _written(content: Path, site: Path, cache: Path, **settings: Any) -> dict[str, Path]:
    result, report = _build(content, site, cache, booklets=False, **settings)
    assert report.skipped == 0, "every test form is valid"
    return {
        checked.project.id: _pdf_of(result, site, checked.project.id)
        for checked in result.projects
        if checked.project is not None
    }


@pytest.fixture(scope="module")
def overflow_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("overflow")
    content = _content_with(folder, _overflow_forms())
    return _written(content, folder / "site", folder / "cache")


# ---------------------------------------------------------------------------------------------
# Text stays in its cell


@pytest.mark.parametrize(
    "name", ["amounts-11", "amounts-13", "amounts-15", "figures", "unbreakable"]
)
def test_no_text_crosses_a_cell_border(overflow_pdfs: dict[str, Path], name: str) -> None:
    pdf = overflow_pdfs[name]
    found = [f"page {w.page}: {w.text!r} across x={r.x:.1f}" for w, r in crossings(pdf)]
    assert found == []


@pytest.mark.parametrize("name", ["amounts-11", "amounts-15", "unbreakable"])
def test_no_text_runs_off_the_page(overflow_pdfs: dict[str, Path], name: str) -> None:
    right_edge = 595.28 - 13 * 72 / 25.4  # A4 portrait less the right margin, in points
    outside = [w.text for w in words(overflow_pdfs[name]) if w.x1 > right_edge + 1]
    assert outside == []


def test_amounts_are_printed_whole_on_one_line(overflow_pdfs: dict[str, Path]) -> None:
    """Shrunk to fit, not wrapped: every amount is one word of the page's text."""
    found = {w.text for w in words(overflow_pdfs["amounts-15"])}
    assert "999,999,999,999,999.99" in found
    found = {w.text for w in words(overflow_pdfs["amounts-11"])}
    assert {"12,345,678,901.23", "11,851,851,745.18"} <= found


def test_long_runs_break_like_the_rest_and_leave_no_trace_in_the_text(
    overflow_pdfs: dict[str, Path],
) -> None:
    pdf = overflow_pdfs["unbreakable"]
    assert not any("\u200b" in w.text for w in words(pdf))
    # The text of each cell in the order it is drawn, its lines joined.
    drawn = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.replace("\n", "")
    assert "\u200b" not in drawn
    assert f"实施单位{_latin(100)}" in drawn and f"[999]{_latin(100)}" in drawn
    assert "≥1234567890123人" in drawn and "≥999999999999999人" in drawn
    assert "https://" + _latin(150) in drawn


def test_text_without_a_long_run_is_left_as_it_is() -> None:
    for text in ("六盘水市社会保险事业局", "https://www.mof.gov.cn/a.htm", "1" * (LONG_RUN - 1)):
        assert breakable(text) == escape(text)
    assert breakable(None) == ""
    opened = breakable("<b>" + "x" * LONG_RUN)
    assert opened.startswith("&lt;b&gt;x\u200bx") and opened.count("\u200b") == LONG_RUN - 1
    # In HTML (the goals' Markdown) only the text between tags is opened.
    link = Markup(f'<a href="https://{"y" * 50}">{"z" * LONG_RUN}</a>')
    assert breakable(link) == Markup(f'<a href="https://{"y" * 50}">') + Markup(
        "\u200b".join("z" * LONG_RUN)
    ) + Markup("</a>")


def test_landscape_amounts_fit_too(tmp_path: Path) -> None:
    forms = {k: v for k, v in _overflow_forms().items() if k in ("u/amounts-15", "u/figures")}
    content = _content_with(tmp_path, forms)
    pdfs = _written(content, tmp_path / "site", tmp_path / "cache", orientation="landscape")
    for pdf in pdfs.values():
        assert crossings(pdf) == []


def test_a_figure_takes_the_first_size_it_fits_at() -> None:
    # Sizes of the column of amounts (14 digits wide): 9pt up to ten digits before the point.
    assert fit_class("86,870,000.00", 14) == ""
    assert fit_class("999,999,999.99", 14) == ""
    assert fit_class("9,999,999,999.99", 14) == " fit-1"
    assert fit_class("999,999,999,999.99", 14) == " fit-2"
    assert fit_class("999,999,999,999,999.99", 14) == " fit-3"
    # Past the last size the last one, where the text wraps.
    assert fit_class("9" * 40, 14) == " fit-3"
    for text in ("1", "12,345.6", "999,999,999,999,999.99", "16.666667"):
        name = fit_class(text, 14).strip()
        share = dict(FIT_STEPS)[name]
        assert digit_widths(text) * share <= 14 or name == FIT_STEPS[-1][0]


def test_the_form_without_long_figures_keeps_its_sizes() -> None:
    """The 分值 and 得分 of ordinary rows are printed at the form's size: no fit class."""
    html = (
        PdfTemplates("t")
        .env.from_string(
            '{% import "_form.html" as s %}{{ s.num("20", 4.8) }}{{ s.num("86,870,000.00", 14) }}'
        )
        .render()
    )
    assert html == '<td class="num">20</td><td class="num">86,870,000.00</td>'


# ---------------------------------------------------------------------------------------------
# A row taller than a page


def _pages(pdf: Path) -> list[str]:
    """The text of each page, as `pdftotext -layout` gives it, spaces removed."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [re.sub(r"\s+", "", page) for page in out.split("\f")[:-1]]


def _numbered(
    count: int, words_each: str = "部分服务对象迁出辖区,实际服务人数低于年度指标值。"
) -> str:
    return "".join(f"第{n}段:{words_each}" for n in range(1, count + 1))


def _tall_forms() -> dict[str, dict[str, Any]]:
    first = _form("first-row-tall")
    first["indicators"][0]["reason"] = _numbered(100)  # about 2,700 characters: the case
    middle = long_project()
    middle["id"] = "middle-row-tall"
    middle["indicators"][20]["reason"] = _numbered(150)
    goals = _form("goals-tall", goals={"planned": _numbered(130), "achieved": "完成。"})
    half = _form("row-over-half-a-page")
    half["indicators"][0]["reason"] = _numbered(22)  # about 600 characters: 0.7 of a page
    return {f"u/{data['id']}": data for data in (first, middle, goals, half)}


@pytest.fixture(scope="module")
def tall_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tall")
    content = _content_with(folder, _tall_forms())
    return _written(content, folder / "site", folder / "cache", annex=False)


HEADINGS = ("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值(A)", "未完成原因分析")


def _heading_row(page: str) -> bool:
    return "".join(HEADINGS) in page or all(h in page for h in HEADINGS)


def _segments_in_order(pages: list[str], count: int) -> list[int]:
    """The page (0-based) each 第n段 marker is on; every one must be found once."""
    where = []
    for n in range(1, count + 1):
        found = [i for i, page in enumerate(pages) if f"第{n}段:" in page]
        assert len(found) == 1, (n, found)
        where.append(found[0])
    assert where == sorted(where)
    return where


def test_a_row_taller_than_a_page_starts_on_page_one(tall_pdfs: dict[str, Path]) -> None:
    pages = _pages(tall_pdfs["first-row-tall"])
    assert len(pages) >= 3
    assert "项目名称" in pages[0] and _heading_row(pages[0])
    where = _segments_in_order(pages, 100)
    assert where[0] == 0, "the long row begins on page 1, under the table's headings"
    for number in sorted(set(where)):
        assert _heading_row(pages[number]), f"page {number + 1} lacks the heading row"
    # The rows after it follow it, the totals close the table.
    assert "总分" in pages[where[-1]] or "总分" in pages[where[-1] + 1]


def test_a_tall_row_among_others_keeps_the_headings_on_every_page(
    tall_pdfs: dict[str, Path],
) -> None:
    pages = _pages(tall_pdfs["middle-row-tall"])
    where = _segments_in_order(pages, 150)
    assert len(set(where)) >= 2
    for number in range(1, len(pages)):
        assert _heading_row(pages[number]), f"page {number + 1} lacks the heading row"
    # The other rows stay whole (their first and last words on one page).
    texts = [_squeezed(page) for page in _text(tall_pdfs["middle-row-tall"])]
    for number in range(1, 43):
        if number == 21:
            continue
        starts = {i for i, p in enumerate(texts) if f"说明{number:02d}开头" in p}
        ends = {i for i, p in enumerate(texts) if f"说明{number:02d}结尾" in p}
        assert starts == ends and len(starts) == 1, number
    # The tall row starts right after the row before it, on the same page.
    before = next(i for i, p in enumerate(pages) if "说明20结尾" in p)
    assert where[0] == before


def test_a_goal_taller_than_a_page_does_not_push_the_form_off_page_one(
    tall_pdfs: dict[str, Path],
) -> None:
    pages = _pages(tall_pdfs["goals-tall"])
    where = _segments_in_order(pages, 130)
    assert where[0] == 0 and "项目资金" in pages[0]


def test_a_row_over_half_a_page_does_not_leave_page_one_empty(
    tall_pdfs: dict[str, Path],
) -> None:
    pages = _pages(tall_pdfs["row-over-half-a-page"])
    where = _segments_in_order(pages, 22)
    assert where[0] == 0 and _heading_row(pages[0])


# ---------------------------------------------------------------------------------------------
# Cost: the longest forms the bounds allow


@pytest.mark.parametrize(("shape", "kind"), [("rows", "cjk"), ("reasons", "latin")])
def test_the_longest_form_allowed_costs_seconds(tmp_path: Path, shape: str, kind: str) -> None:
    """Two of the longest forms the bounds allow (docs/performance.md): the one whose layout
    costs most now (rows at their bounds, Chinese: 7.6 s of CPU for 48 pages here, 0.16 s a
    page) and the one that cost most before (six long reasons of unbroken Latin letters: 0.52 s
    a page before, 0.10 s now). Laid out and written in one process, as a worker does."""
    result = check_content(write_content(tmp_path, [longest_form(shape, kind)]))
    assert result.config is not None
    (checked,) = result.projects
    assert checked.project is not None and checked.count(Severity.error) == 0
    renderer = Renderer(render_setup(result.config, tmp_path / "cache"))
    html = PdfTemplates("t").form(form_view(checked, with_annex=False))
    start = time.process_time()
    document = renderer.layout(html)
    renderer.write(document, (), checked.project.filled_on)
    seconds = time.process_time() - start
    pages = len(document.pages)
    assert pages >= 20
    assert seconds < 30 and seconds / pages < 0.3, f"{seconds:.1f} s of CPU for {pages} pages"
