"""Pages cut down to what Pagefind reads (`builder/search/indexed.py`) give Pagefind's index
byte for byte, and the cut really leaves out the ignored parts of a project page."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.search import pagefind as search
from builder.search.indexed import indexed_html

HEAD = (
    '<!doctype html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"><title>{title}</title>'
    '</head>\n<body><header><a href="/">首页</a><input id="q"></header>\n'
)
FOOT = '</main>\n<footer><p>页脚文字 <a href="/about/">关于</a></p></footer>\n</body>\n</html>\n'
MAIN = '<main id="main" data-pagefind-body>\n'
FIELDS = (
    '<div hidden><div data-pagefind-ignore><span data-pagefind-filter="年度">2023</span>'
    '<span data-pagefind-sort="score">0{n}.50</span><span data-pagefind-meta="unit">单位{n}</span>'
    "</div><p>主管部门:财政局。实施单位:单位{n}。</p></div>\n"
)
# Bodies of one kind each: what may be cut and what must stay, as Pagefind reads them.
BODIES = {
    "sections": '<h1 data-pagefind-meta="title">养老保险{n}</h1>\n'
    '<section data-pagefind-ignore><h2 id="a">核验</h2><table><tr><td>不索引的表格</td></tr>'
    '</table><section><div id="inner">嵌套<div>更深</div></div></section></section>\n'
    '<section><h2 id="goals">年度总体目标</h2><p>完成城乡居民养老保险待遇发放。</p></section>\n'
    '<nav data-pagefind-ignore="all"><a href="x">下载</a></nav>'
    "<dl data-pagefind-ignore><dt>联系人</dt><dd>张三</dd></dl>\n",
    "inline": '<h1 data-pagefind-meta="title">运维费用{n}</h1>\n'
    "<p>前文<span data-pagefind-ignore>不要</span>后文,项目编号<span data-pagefind-ignore>"
    "<span>嵌套</span></span>结束</p>\n"
    "<p data-pagefind-ignore>段落不切:结束标签可省略</p><p>下一段落</p>\n",
    "readable": '<h1 data-pagefind-meta="title">读取{n}</h1>\n'
    '<section data-pagefind-ignore><span data-pagefind-filter="等次">优</span>'
    "<div data-pagefind-ignore>里面可以切</div></section>\n"
    '<div data-pagefind-ignore><span data-pagefind-meta="rate">95%</span></div>\n'
    '<div data-pagefind-ignore><img src="/chart.png" alt="图表"></div>\n'
    "<div data-pagefind-ignore><!-- </div> --><p>注释里的结束标签</p></div>\n"
    '<div data-pagefind-ignore><script>let x = "</div>";</script></div>\n'
    '<DIV DATA-PAGEFIND-IGNORE><SPAN DATA-PAGEFIND-SORT="budget">100</SPAN></DIV>\n'
    "<div data-pagefind-ignore><svg><title>图表标题</title></svg><p>图表说明</p></div>\n"
    "<p>正文 data-pagefind-ignore 字样与属性值</p>"
    '<div title="data-pagefind-ignore">属性值中的字样</div>\n',
    "untitled": "<h1></h1>\n"
    "<section data-pagefind-ignore><h1>忽略区的标题</h1></section><p>无标题页面的正文</p>\n",
    "headless": "<p>没有标题的页面</p>\n"
    "<section data-pagefind-ignore><svg><title>图表标题</title></svg><p>图表说明</p></section>\n",
    "unclosed": '<h1 data-pagefind-meta="title">未闭合{n}</h1>\n'
    "<p>未闭合之前</p><div data-pagefind-ignore><div>没有结束标签\n",
}


def _page(kind: str, n: int) -> str:
    head = HEAD.format(title=f"{kind}{n} - 站点")
    if kind == "headless":  # no <title> in its head: the first one is the chart's
        head = head.replace(f"<title>{kind}{n} - 站点</title>", "")
    return head + MAIN + FIELDS.format(n=n) + BODIES[kind].format(n=n) + FOOT


def _index(site: Path, part: search.SearchPart, cut: bool) -> search.PartIndex:
    pages = search.part_pages(site, part)
    if cut:
        return search.index_pages(None, search.read_part(site, part))
    whole = tuple((f"/{page}", (site / page).read_text(encoding="utf-8")) for page in pages)
    return search.index_pages(None, (part, whole))


def _same_index(site: Path) -> int:
    """Index every part of `site` from its whole pages and from its cut pages, assert the
    bytes equal; returns the pages indexed."""
    pages = 0
    for part in search.parts_of_tree(site):
        whole, cut = _index(site, part, cut=False), _index(site, part, cut=True)
        assert cut.files == whole.files, part.bundle
        assert cut.fragments == whole.fragments, part.bundle
        assert cut.runtime == whole.runtime, part.bundle
        pages += whole.pages
        assert cut.pages == whole.pages
    return pages


def test_pages_of_every_kind_cut_give_the_same_index_bytes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for n, kind in enumerate(sorted(BODIES) * 2):
        page = site / "2023" / f"unit{n % 3}" / f"{kind}{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(_page(kind, n), encoding="utf-8")
    assert _same_index(site) == 2 * len(BODIES)


def test_what_is_cut_and_what_is_kept() -> None:
    page = _page("sections", 1)
    cut = indexed_html(page.encode())
    assert "不索引的表格" not in cut and "联系人" not in cut and "下载" not in cut
    assert "年度总体目标" in cut and 'data-pagefind-filter="年度"' in cut
    assert cut.count("<section") == 1

    cut = indexed_html(_page("inline", 1).encode())
    assert "不要" not in cut and "嵌套" not in cut and "前文后文" in cut
    assert "段落不切" in cut  # a <p>'s end may be implied: it is never cut

    cut = indexed_html(_page("readable", 1).encode())
    for kept in (
        'filter="等次"',
        'meta="rate"',
        "chart.png",
        "注释里的结束标签",
        'let x = "</div>"',
        'SORT="budget"',
        "正文 data-pagefind-ignore",
        "属性值中的字样",
    ):
        assert kept in cut, kept
    assert "里面可以切" not in cut  # inside a kept element, an ignored one is still cut
    assert "图表说明" not in cut  # a <title> after the page's first is not read

    cut = indexed_html(_page("untitled", 1).encode())
    assert "忽略区的标题" in cut  # the first <h1> with text gives the title
    assert "图表说明" in indexed_html(_page("headless", 1).encode())
    cut = indexed_html(_page("unclosed", 1).encode())
    assert "没有结束标签" in cut

    nothing = HEAD.format(title="无") + MAIN + "<p>正文</p>" + FOOT
    head = HEAD.format(title="无").split("<body>")[0]
    assert (
        indexed_html(nothing.encode()) == f"{head}<body>{MAIN}<p>正文</p></main></body>\n</html>\n"
    )


FRAMES = (
    ("<footer><p>新的一行</p><!-- 注释 --></footer>", True),
    ('<footer><span data-pagefind-filter="年度">2023</span></footer>', False),
    ("<footer><h1>页脚标题</h1></footer>", False),
    ("<footer><script>let x = 1;</script></footer>", False),
    ("<!-- </body> 未完的注释", False),
)


def test_the_frame_around_the_body_is_cut_unless_pagefind_reads_something_there() -> None:
    for frame, cut in FRAMES:  # the first is cut, the others hold what Pagefind reads
        page = HEAD.format(title="框架") + MAIN + "<p>正文</p>"
        text = indexed_html((page + FOOT.replace("</body>", frame + "</body>")).encode())
        assert "<p>正文</p>" in text
        assert ("首页" not in text and frame not in text) is cut, frame
    for body in ("<p>正文</p><!-- </main> -->", "<script>let x = '</main>';</script>"):
        page = HEAD.format(title="框架") + MAIN + body + FOOT  # the body's end is not certain
        assert indexed_html(page.encode()) == page
    twice = HEAD.format(title="两个") + MAIN + "<p>一</p></main>" + MAIN + "<p>二</p>" + FOOT
    assert "页脚文字" in indexed_html(twice.encode())


def test_the_example_sites_project_pages_cut_give_the_same_index(
    example_site: Path, families_site: Path
) -> None:
    for site in (example_site, families_site):
        pages = sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"))
        assert pages
        whole = sum(page.stat().st_size for page in pages)
        cut = sum(len(indexed_html(page.read_bytes()).encode()) for page in pages)
        assert cut < whole / 2, (cut, whole)  # the tables, charts and facts are left out
        assert _same_index(site) == len(pages)


@pytest.mark.parametrize(
    "text", ["", "<p>x</p>", "<div data-pagefind-ignore>", "data-pagefind-ignore"]
)
def test_odd_pages_come_back_whole(text: str) -> None:
    assert indexed_html(text.encode()) == text
