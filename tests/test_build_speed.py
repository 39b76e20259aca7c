"""What the full build does faster gives the same bytes as before: the pages' Markdown filter
keeping one parser, links computed without posixpath's normalising, each project's indicator
rows built once for its record and its table rows, and the old site removed after the swap
by a detached process."""

from __future__ import annotations

import os
import posixpath
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import urls
from builder.opendata.records import ExportedProject, full_record, indicator_rows
from builder.publish.staging import OLD_PREFIX, PREFIX, Staging
from builder.rules.check import check_content
from builder.site.prose import MarkdownFilter, markdown

from .conftest import minimal_project, write_project
from .test_incremental import copy_content, run_build, tree

# Texts whose HTML depends on what a parser kept from an earlier text unless it is reset:
# a reference definition, a footnote-like reference, an abbreviation of a later text.
STATEFUL_TEXTS = [
    "见[文件][doc]。\n\n[doc]: https://example.gov.cn/a",
    "再见[文件][doc],此处无定义。",
    "1. 第一项\n2. 第二项\n\n> 引用 <b>粗</b>",
    "<script>alert(1)</script>[链接](javascript:alert(1)) [网](https://x.cn)",
    "",
    "    缩进代码\n\n`行内`",
]

MARKDOWN_PIECES = st.sampled_from(
    [
        "文本",
        "**粗**",
        "*斜*",
        "[链接][r]",
        "[r]: https://example.org/",
        "[直接](http://a.b/c)",
        "\n\n",
        "\n- 项",
        "\n1. 项",
        "> 引",
        "<div>块</div>",
        "&amp; <",
        "`码`",
        "    缩进",
        "# 标题",
        "[^1]",
        "*[HTML]: x",
        "|a|b|\n|-|-|\n|1|2|",
    ]
)


def test_the_markdown_filter_forgets_each_text_after_it() -> None:
    """A reference defined in one project's goals does not link the next project's text."""
    kept = MarkdownFilter()
    for text in STATEFUL_TEXTS:
        assert kept(text) == markdown(text)
    assert 'href="https://example.gov.cn/a"' not in kept("再见[文件][doc],此处无定义。")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(MARKDOWN_PIECES, max_size=8).map("".join), min_size=1, max_size=6))
def test_one_parser_reset_makes_what_a_new_parser_makes(texts: list[str]) -> None:
    kept = MarkdownFilter()
    assert [kept(text) for text in texts] == [markdown(text) for text in texts]


SEGMENTS = st.sampled_from(["2023", "lps-sbj", "index.html", "assets", "a.css", "..", ".", ""])


@settings(max_examples=2000, deadline=None)
@given(st.lists(SEGMENTS, max_size=5), st.lists(SEGMENTS, max_size=5))
def test_links_are_what_relpath_makes(to: list[str], start: list[str]) -> None:
    target, folder = "/".join(to), "/".join(start)
    if target.startswith("/") or folder.startswith("/"):
        return  # site paths are relative
    assert urls._relpath(target, folder) == posixpath.relpath(target or ".", folder or ".")


def test_a_page_links_up_and_across_as_before() -> None:
    page = "2023/lps-sbj/ceshi/index.html"
    assert urls.relative(page, "assets/site.css") == "../../../assets/site.css"
    assert urls.relative(page, "2024/") == "../../../2024/"
    assert urls.relative(page, "2023/other/x/") == "../../other/x/"
    assert urls.relative("index.html", "2023/") == "2023/"
    assert urls.relative("2023/index.html", "2023/") == "./"


def test_a_record_from_rows_given_is_the_record_made_alone(tiny_content: Path) -> None:
    write_project(tiny_content, minimal_project())
    result = check_content(tiny_content)
    (checked,) = result.projects
    item = ExportedProject(checked, checked.project, checked.score, urls.unit_slug(checked.file))
    rows = indicator_rows(item)
    assert full_record(item, "https://e.org/", rows) == full_record(item, "https://e.org/")
    assert full_record(item, "https://e.org/")["indicators"][0]["level3"] == "发放人数"


def _gone(parent: Path, prefix: str, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not [p for p in parent.iterdir() if p.name.startswith(prefix)]:
            return True
        time.sleep(0.05)
    return False


def test_the_old_site_is_removed_after_the_swap(tmp_path: Path) -> None:
    """A full build over a published site publishes the new one at once and leaves no
    staging folder; the old one, set aside under its own prefix, is removed soon after."""
    content = copy_content(tmp_path)
    run_build(content, tmp_path, incremental=False)
    first = tree(tmp_path / "site")
    run_build(content, tmp_path, incremental=False)
    assert tree(tmp_path / "site") == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(PREFIX)]
    assert _gone(tmp_path, OLD_PREFIX), "the old site is still there"


def test_without_rm_the_old_site_is_removed_in_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "old" / "page.html").write_text("旧", encoding="utf-8")
    staging = Staging.beside(site, incremental=False)
    staging.write("new/page.html", "新".encode())
    monkeypatch.setenv("PATH", os.fspath(tmp_path / "no-tools-here"))
    staging.publish(site, [], tmp_path / "cache")
    assert (site / "new" / "page.html").read_text(encoding="utf-8") == "新"
    assert not (site / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_write_never_goes_through_a_linked_file(tmp_path: Path) -> None:
    """Staging may hold hard links to published files: a file written over one is a new
    file, and the published one keeps its bytes; a missing folder is made."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "x.html").write_bytes(b"old")
    staging = Staging.beside(site, incremental=True)
    (staging.root / "a").mkdir()
    os.link(site / "a" / "x.html", staging.root / "a" / "x.html")
    assert staging.write("a/x.html", b"new")
    assert not staging.write("a/x.html", b"old")  # as published: nothing written
    staging.write_fresh("b/c/y.json", [b"{", b"}"])
    assert (site / "a" / "x.html").read_bytes() == b"old"
    assert (staging.root / "a" / "x.html").read_bytes() == b"new"
    assert (staging.root / "b" / "c" / "y.json").read_bytes() == b"{}"
    staging.discard()


def test_one_markdown_filter_used_by_several_threads_at_once_makes_what_each_text_makes() -> None:
    """A Dask worker with several threads renders page batches with one environment, and so
    one filter, from all of them at once: each thread's texts come out as if alone."""
    texts = [text + f"\n\n第{n}段" for n in range(60) for text in STATEFUL_TEXTS]
    expected = [markdown(text) for text in texts]
    kept = MarkdownFilter()
    start = threading.Barrier(4)

    def convert(offset: int) -> list[str]:
        start.wait()
        return [kept(text) for text in texts[offset:] + texts[:offset]]

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns within a text, as under load
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(convert, [0, 90, 180, 270]))
    finally:
        sys.setswitchinterval(interval)
    for offset, got in zip([0, 90, 180, 270], results, strict=True):
        assert got == expected[offset:] + expected[:offset]
