"""A page cut down to what Pagefind reads of it, before it is handed to Pagefind.

A project page is about 25 KB of HTML, and most of it (the facts, the verdict, the tables, the
charts) is inside elements marked `data-pagefind-ignore`: Pagefind parses all of it to index
a few hundred characters: that parsing was half of what adding a page cost it, a quarter of
its CPU in all (building the index and its files is the rest). An ignored element
gives Pagefind nothing but what it reads from attributes and a few elements whatever their
status (Pagefind's `fossick/parser.rs`, 1.3 to 1.6):

- `data-pagefind-filter`, `-meta`, `-default-meta`, `-sort` (read from ignored elements too),
  `-body` (a body inside overrides the ignoring) and `-index-attrs`;
- the first `<h1>` (the title when none is given), an `<img>` after the title (its image),
  the first `<title>`, `<html>` (the language) and a script or link naming `_pagefind`;
- its element ids only number the anchors of the page (the numbers are not in the index).

So an ignored element holding none of these is cut out whole, start tag to end tag: the text
Pagefind indexes, its filters, meta, sort keys and anchors are the same, and so is every byte
of the index (`tests/test_search_indexed.py` builds both and compares them). An element is
cut only when its end is found for certain: its tag is one whose end tag is never implied
(`_CUTTABLE`), and its content holds nothing whose text is not markup (comments, scripts,
styles, raw-text elements); otherwise it is kept as it was, and Pagefind reads it as before.
"""

from __future__ import annotations

import bisect
import re

_IGNORE = b"data-pagefind-ignore"
# Elements whose end tag is never implied by another tag, so that counting their own start
# and end tags finds the end Pagefind's parser finds.
_CUTTABLE = frozenset(
    "article aside details div dl figure footer header nav ol section span table ul".split()
)
_START_TAG = re.compile(
    rb"""<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>"""
)
_ATTRIBUTE = re.compile(rb"""\s+([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# In the lowercased page: what Pagefind reads of an ignored element, or markup whose text is
# not tags (an element holding one is kept). Each is looked for on its own, with its literal
# start, which the regular expression engine finds fast.
_KEEP_TAGS = re.compile(
    rb"<(?:!|h1|img|html|body|main|script|style|textarea|template|noscript|iframe|xmp"
    rb"|plaintext|noembed|noframes|title)"
)
_READ = re.compile(rb"data-pagefind-(?!ignore)")  # any of Pagefind's attributes but _IGNORE
_OLD_BUNDLE = re.compile(rb"_pagefind")
_TITLE = b"<title"


def indexed_html(html: bytes) -> str:
    """`html` (a page as published, UTF-8) without its `data-pagefind-ignore` elements that
    give Pagefind nothing (see above): what Pagefind indexes of it, its filters, meta and
    sort values, are those of the whole page. Cut as bytes (every cut is at a `<` or `>`),
    decoded at the end: UnicodeDecodeError for a page that is not UTF-8."""
    keep = _kept_positions(html.lower())
    kept: list[bytes] = []
    done = 0  # html[:done] is in kept
    at = html.find(_IGNORE)
    while at >= 0:
        cut = _ignored_element(html, at)
        if cut is None:
            at = html.find(_IGNORE, at + len(_IGNORE))
            continue
        start, tag_end, end = cut
        first = bisect.bisect_left(keep, start)
        if first < len(keep) and keep[first] < end:  # it holds what Pagefind reads
            at = html.find(_IGNORE, tag_end)  # its children may still be cut
            continue
        kept.append(html[done:start])
        done = end
        at = html.find(_IGNORE, end)
    kept.append(html[done:])
    return b"".join(kept).decode("utf-8")


def _kept_positions(lowered: bytes) -> list[int]:
    """Where the lowercased page holds something that keeps the ignored element around it,
    in order. A `<title>` counts only as the page's first: Pagefind reads no other."""
    titles = 0
    found = []
    for mark in _KEEP_TAGS.finditer(lowered):
        if mark.group().startswith(_TITLE):
            titles += 1
            if titles > 1:
                continue
        found.append(mark.start())
    found += [mark.start() for mark in _READ.finditer(lowered)]
    found += [mark.start() for mark in _OLD_BUNDLE.finditer(lowered)]
    return sorted(found)


def _ignored_element(html: bytes, at: int) -> tuple[int, int, int] | None:
    """(start, end of the start tag, end) of the cuttable element whose start tag has the
    attribute `data-pagefind-ignore` at `at`, or None when it is not one (the words in text
    or in an attribute's value, another tag, or no end found)."""
    start = html.rfind(b"<", 0, at)
    tag = _START_TAG.match(html, start) if start >= 0 else None
    if tag is None or tag.end() <= at:
        return None
    name = tag.group(1).lower().decode("ascii")
    if name not in _CUTTABLE:
        return None
    names = (
        tag.start(2) + attribute.start(1)
        for attribute in _ATTRIBUTE.finditer(tag.group(2))
        if attribute.group(1).lower() == _IGNORE
    )
    if at not in names:
        return None
    depth = 0
    ends = re.compile(rf"<(/?){name}(?=[\s/>])[^>]*>".encode(), re.IGNORECASE)
    for found in ends.finditer(html, start):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return start, tag.end(), found.end()
    return None
