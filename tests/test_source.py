"""The fast YAML reader against the full libyaml path, on generated documents.

Two properties, over documents drawn from the part of YAML that forms use (block mappings and
sequences, one-line flow mappings, plain and quoted scalars, `>`/`>-`/`|`/`|-` text, comments,
blank lines, two- or four-space indentation):

- every such document is read by the fast reader, into exactly the values (types and key order
  included) and the positions that the full path gives;
- the same document with one construct outside that part (an anchor, an alias, a tag, a flow
  sequence, a nested flow mapping, an escape, a kept block scalar, a continued plain scalar, a
  duplicate key, a tab, a carriage return) is declined, and the full path reads it.

tests/test_fast_paths.py adds the bundled forms and forms edited at random.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.form import fastread
from builder.form.positions import PathKey, Position
from builder.form.source import load_text

FILE = Path("form.yaml")


# A document as a tree of nodes, rendered to text by `render`.


@dataclass(frozen=True)
class Inline:
    text: str  # a plain or quoted scalar, as written


@dataclass(frozen=True)
class Block:
    header: str  # > >- | |-
    lines: tuple[str, ...]  # "" for a blank line


@dataclass(frozen=True)
class Flow:
    entries: tuple[tuple[str, str], ...]  # key, inline scalar as written


@dataclass(frozen=True)
class Mapping:
    entries: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Sequence:
    items: tuple[Any, ...]  # Inline or Mapping


KEY = st.text("abcxyz_名称指标01", min_size=1, max_size=6)
WORD = st.text("abcxyz中文产出指标0123456789.%≥≤/", min_size=1, max_size=8).filter(
    lambda w: w[0] not in "%"
)
KNOWN_PLAIN = st.sampled_from(
    ["10", "1.50", "+3", "0x1F", "1_000", "yes", "No", "~", "null", "2023-12-25", "12:30",
     "x:y", "≥95%", "<3小时", "=0.2元/人*月", "产出指标", "达成年度指标", ".5", "a b  c"]
)  # fmt: skip
QUOTED_TEXT = st.text("abc 中文:#,[]{}'-", max_size=8)
PLAIN = KNOWN_PLAIN | WORD
SINGLE = QUOTED_TEXT.map(lambda t: "'" + t.replace("'", "''") + "'")
DOUBLE = QUOTED_TEXT.map(lambda t: '"' + t.replace("'", "") + '"')
SCALAR = st.builds(Inline, PLAIN | SINGLE | DOUBLE)
BLOCK_LINE = st.text("abc中文 0123.,:#", min_size=1, max_size=10).map(str.strip).filter(bool)


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    header = draw(st.sampled_from([">", ">-", "|", "|-"]))
    first = draw(BLOCK_LINE)
    extra = "  " if header.startswith("|") else ""  # literal text may be indented further
    rest = draw(st.lists(BLOCK_LINE | st.just("") | BLOCK_LINE.map(lambda t: extra + t)))
    return Block(header, (first, *rest))


def _unique(entries: list[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    return tuple(dict(entries).items())


# In a flow mapping a plain scalar holds no colon (the reader leaves `{a: x:y}` to libyaml).
FLOW_PLAIN = PLAIN.filter(lambda text: ":" not in text)
FLOW = st.lists(st.tuples(KEY, FLOW_PLAIN | SINGLE | DOUBLE), max_size=4).map(
    lambda entries: Flow(_unique(entries))
)


def mappings(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Mapping]:
    return st.lists(st.tuples(KEY, children), min_size=1, max_size=5).map(
        lambda entries: Mapping(_unique(entries))
    )


LEAF = SCALAR | blocks() | FLOW
NODE = st.recursive(
    LEAF,
    lambda children: (
        mappings(children)
        | st.lists(SCALAR | mappings(children), min_size=1, max_size=4).map(
            lambda items: Sequence(tuple(items))
        )
    ),
    max_leaves=12,
)
DOCUMENT = mappings(NODE)


@dataclass(frozen=True)
class Style:
    step: int  # indentation of a nested collection: 2 or 4
    comments: bool
    final_newline: bool


STYLE = st.builds(Style, st.sampled_from([2, 4]), st.booleans(), st.booleans())


def render(document: Mapping, style: Style) -> str:
    lines = ["# a form"] if style.comments else []
    lines += _mapping(document, 0, style)
    return "\n".join(lines) + ("\n" if style.final_newline else "")


def _mapping(mapping: Mapping, indent: int, style: Style) -> list[str]:
    lines: list[str] = []
    for number, (key, node) in enumerate(mapping.entries):
        if style.comments and number % 2:
            lines += ["", " " * indent + "# between entries"]
        lines += _entry(key, node, indent, style)
    return lines


def _entry(key: str, node: Any, indent: int, style: Style) -> list[str]:
    head = f"{' ' * indent}{key}:"
    comment = "  # note" if style.comments else ""
    if isinstance(node, Inline):
        return [f"{head} {node.text}{comment}"]
    if isinstance(node, Flow):
        entries = ", ".join(f"{k}: {v}" for k, v in node.entries)
        return [f"{head} {{{entries}}}{comment}"]
    if isinstance(node, Block):
        pad = " " * (indent + style.step)
        return [f"{head} {node.header}", *(pad + line if line else "" for line in node.lines)]
    if isinstance(node, Mapping):
        return [head + comment, *_mapping(node, indent + style.step, style)]
    lines = [head + comment]
    for item in node.items:
        lines += _item(item, indent + style.step, style)
    return lines


def _item(item: Any, indent: int, style: Style) -> list[str]:
    if isinstance(item, Inline):
        return [f"{' ' * indent}- {item.text}"]
    lines = _mapping(item, indent + 2, style)
    first = next(i for i, line in enumerate(lines) if line.strip() and line.strip()[0] != "#")
    lines = lines[first:]  # comments before the first key would sit before the dash
    lines[0] = f"{' ' * indent}- {lines[0][indent + 2 :]}"
    return lines


def _fast(text: str) -> tuple[Any, dict[PathKey, Position]] | None:
    positions: dict[PathKey, Position] = {}
    try:
        return fastread.read(text, positions), positions
    except fastread.Declined:
        return None


@settings(max_examples=300, deadline=None)
@given(DOCUMENT, STYLE)
def test_fast_reader_reads_every_form_shaped_document_as_the_full_path(
    document: Mapping, style: Style
) -> None:
    text = render(document, style)
    full = load_text(text, FILE, fast=False)
    assert full.problems == [], text
    fast = _fast(text)
    assert fast is not None, f"declined:\n{text}"
    data, positions = fast
    assert repr(data) == repr(full.data)  # same values, types and key order
    assert list(positions.items()) == list(full.positions.items())
    assert load_text(text, FILE).positions == full.positions  # and load_text takes that path


# One construct beyond the fast reader, as the value of an entry added among the others.
OUTSIDE = [
    "&anchor value",
    "!!str 10",
    "!custom value",
    "[1, 2]",
    "{a: {b: 1}}",
    '"an \\"escaped\\" quote"',
    "|+\n  kept\n",
    "first line\n  continued",
    "\tafter a tab",
    "value\r",
    "'unclosed\n  quote'",
    ">2\n   indented by indicator",
]


@settings(max_examples=200, deadline=None)
@given(DOCUMENT, STYLE, st.sampled_from(OUTSIDE), st.integers(0, 5), st.booleans())
def test_fast_reader_declines_what_it_does_not_read(
    document: Mapping, style: Style, outside: str, where: int, duplicate: bool
) -> None:
    entries = list(document.entries)
    where = min(where, len(entries))
    if duplicate:  # the same key twice: YAML would keep the last, we report it
        entries.insert(where, (entries[0][0], Inline("again")))
        text = render(Mapping(tuple(entries)), style)
    else:
        marker = "zz_outside_marker"
        entries.insert(where, ("zz_outside", Inline(marker)))
        text = render(Mapping(_unique(entries)), style)
        text = re.sub(marker, lambda _: outside, text, count=1)
    assert _fast(text) is None, text
    full = load_text(text, FILE)  # the full path reads it (or reports what is wrong)
    assert full.data is not None or full.problems
