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

A page with one `data-pagefind-body` element is indexed from that element alone: the text
around it (the page frame: masthead, navigation, breadcrumbs, footer) gives Pagefind nothing
but what an ignored element gives, and is cut by the same rule (`_outside_body`), so that a
change to the frame leaves the text handed to Pagefind, and a search part's cache key
(`partcache.py`), as they were. Comments there are cut with it.

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
_BODY_ATTRIBUTE = b"data-pagefind-body"
# Markup whose text is not tags: inside the body element, its end may not be the one counted.
_RAW = re.compile(rb"<(?:!|script|style|textarea|template|noscript|iframe|xmp|plaintext|noembed)")
_BODY_TAG = re.compile(rb"<body(?=[\s/>])[^>]*>")
# Elements whose end tag is never implied by another tag, so that counting their own start
# and end tags finds the end Pagefind's parser finds.
_CUTTABLE = frozenset(
    "article aside details div dl figure footer header main nav ol section span table ul".split()
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
    lowered = html.lower()
    keep = _kept_positions(lowered)
    kept: list[bytes] = []
    outside = _outside_body(html, lowered, keep)
    if outside is not None:  # the frame before the body element and after it
        (before, body_start), (body_end, after) = outside
        html = html[:before] + html[body_start:body_end] + html[after:]
        # What the spans held was comments alone: the other positions move with the text.
        shift, end_shift = body_start - before, body_start - before + after - body_end
        keep = [at for at in keep if at < before] + [
            at - (shift if at < body_end else end_shift)
            for at in keep
            if body_start <= at < body_end or at >= after
        ]
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


def _outside_body(
    html: bytes, lowered: bytes, keep: list[int]
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The two spans around the page's one `data-pagefind-body` element that Pagefind reads
    nothing in (from the end of `<body>`'s start tag to the element, and from the element's
    end to `</body>`), or None when they cannot be cut for certain: not one body element,
    one whose end is not found as `_ignored_element` finds it, or a span holding something
    Pagefind reads (comments aside, when each ends in its span)."""
    if lowered.count(_BODY_ATTRIBUTE) != 1:
        return None
    element = _ignored_element(html, lowered.find(_BODY_ATTRIBUTE), _BODY_ATTRIBUTE)
    body = _BODY_TAG.search(lowered)
    close = lowered.rfind(b"</body")
    if element is None or body is None or not body.end() <= element[0] < element[2] <= close:
        return None
    spans = ((body.end(), element[0]), (element[2], close))
    inside = set(_comment_starts(lowered, spans))
    for start, end in spans:
        first = bisect.bisect_left(keep, start)
        if any(at not in inside for at in keep[first : bisect.bisect_left(keep, end)]):
            return None
    if _RAW.search(lowered, element[1], element[2]):  # its end may not be the one found
        return None
    return spans[0], spans[1]


def _comment_starts(lowered: bytes, spans: tuple[tuple[int, int], ...]) -> list[int]:
    """Where a comment starts in one of the spans and ends in it too."""
    found = []
    for start, end in spans:
        at = lowered.find(b"<!--", start, end)
        while at >= 0:
            close = lowered.find(b"-->", at + 4, end)
            if close < 0:
                break
            found.append(at)
            at = lowered.find(b"<!--", close + 3, end)
    return found


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


def _ignored_element(
    html: bytes, at: int, attribute: bytes = _IGNORE
) -> tuple[int, int, int] | None:
    """(start, end of the start tag, end) of the cuttable element whose start tag has the
    `attribute` (`data-pagefind-ignore`) at `at`, or None when it is not one (the words in
    text or in an attribute's value, another tag, or no end found)."""
    start = html.rfind(b"<", 0, at)
    tag = _START_TAG.match(html, start) if start >= 0 else None
    if tag is None or tag.end() <= at:
        return None
    name = tag.group(1).lower().decode("ascii")
    if name not in _CUTTABLE:
        return None
    names = (
        tag.start(2) + found.start(1)
        for found in _ATTRIBUTE.finditer(tag.group(2))
        if found.group(1).lower() == attribute
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
