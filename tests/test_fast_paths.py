"""The fast paths of checking give exactly what the plain paths give.

- The fast YAML reader either declines or reads a text into the same data and the same positions
  as the full libyaml path.
- A document sent to another process as its text reads back the same.
- Checking with several processes finds the same findings, at the same places, as one process.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from builder.form import fastread
from builder.form.positions import PathKey, Position
from builder.form.source import SourceDocument, load_file, load_text
from builder.rules.check import check_content, project_record

ROOT = Path(__file__).resolve().parent.parent
REAL_FORMS = sorted(p for p in (ROOT / "content").rglob("*.yaml"))


def _full_path(text: str) -> SourceDocument:
    return load_text(text, Path("form.yaml"), fast=False)


def _fast_path(text: str) -> SourceDocument | None:
    positions: dict[PathKey, Position] = {}
    try:
        data = fastread.read(text, positions)
    except fastread.Declined:
        return None
    return SourceDocument(Path("form.yaml"), data, positions)


def _assert_same_or_declined(text: str) -> bool:
    """True when the fast reader read the text (and agreed with the full path)."""
    fast = _fast_path(text)
    if fast is None:
        return False
    full = _full_path(text)
    assert full.problems == []
    assert repr(fast.data) == repr(full.data)  # same values, types and key order
    assert list(fast.positions.items()) == list(full.positions.items())
    return True


READ_FAST = [
    "a: >-\n  one\n  two\n\n  three\n\n\n  four\nb: 1\n",
    "a: >\n  folded\n  text\n\n",
    "a: |\n  x\n    more indented\n\n  z\n",
    "a: |-\n  stripped\n",
    "a: |\n  no final newline",
    "a: 'it''s'\nb: \"q: #x, [y]\"\n",
    "a: plain # a comment\nb:   spaced   \n",
    "k: {x: 1, y: \"2\", z: 'a,b', w: ≥95%}  # c\nempty: {}\n",
    "a: yes\nb: ~\nc: 0x1F\nd: 1_000\ne: 1.50\nf: 12:30\ng: 2023-12-25\nh: x:y\n",
    "# comment\na:\n  b:\n    c: 1\n  d:\n    - {e: 1}\n    - f: 2\n      g: 3\n    -   h\n",
    "target: <3小时\nother: =0.2元/人*月\n",
]
DECLINED = [
    "- a\n",
    "a: 1\na: 2\n",
    "a: !!str 1\n",
    "a: &x 1\nb: *x\n",
    "a: 2023-02-30\n",
    "a: b\n  continued\n",
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "<<: {a: 1}\n",
    "--- \na: b\n",
    "a: [1, 2]\n",
    "a: {b: {c: 1}}\n",
    'a: "escaped \\" quote"\n',
    "a: |+\n  kept\n\n",
    "a:\n- indentless\n",
    "a:\n",
]


@pytest.mark.parametrize("text", READ_FAST)
def test_fast_reader_reads_what_the_full_path_reads(text: str) -> None:
    assert _assert_same_or_declined(text)


@pytest.mark.parametrize("text", DECLINED)
def test_fast_reader_declines_what_it_does_not_read_exactly(text: str) -> None:
    assert _fast_path(text) is None
    load_text(text, Path("form.yaml"))  # the full path still reads (or reports) it


@pytest.mark.parametrize("path", REAL_FORMS, ids=lambda p: p.name)
def test_real_forms_take_the_fast_path(path: Path) -> None:
    assert _assert_same_or_declined(path.read_text(encoding="utf-8"))


_EDITS = st.sampled_from(
    [" ", "\n", ":", ": ", "-", "- ", "#", " #", "{", "}", "[", ",", "'", '"', "|", ">", "&",
     "*", "!", "%", "\t", "\r", "  ", "\n  ", "~", "<<", "2023-02-30", "\\", "...", "---"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    form=st.sampled_from(REAL_FORMS),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), _EDITS), min_size=1, max_size=3),
)
def test_edited_forms_read_the_same_or_are_declined(
    form: Path, edits: list[tuple[float, int, str]]
) -> None:
    text = form.read_text(encoding="utf-8")
    for where, deleted, inserted in edits:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + deleted :]
    _assert_same_or_declined(text)


def test_document_sent_as_text_reads_back_the_same() -> None:
    document = load_file(REAL_FORMS[0])
    received = pickle.loads(pickle.dumps(document))
    assert received == document
    assert received.position(("indicators", 1, "reason")) == document.position(
        ("indicators", 1, "reason")
    )
    built = SourceDocument(Path("built.yaml"), {"a": 1}, {(): Position(1, 1)})
    assert pickle.loads(pickle.dumps(built)) == built


def test_parallel_check_equals_one_process(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "content", projects=80, seed=11)
    first = corpus.files[0]
    twin = corpus.root / first.parent.parent.name / "zz-twin" / first.name
    twin.parent.mkdir()
    shutil.copy(first, twin)  # a duplicate id: found across processes, placed afterwards

    alone = check_content(corpus.root, jobs=1)
    shared = check_content(corpus.root, jobs=2)

    assert [project_record(c) for c in shared.projects] == [
        project_record(c) for c in alone.projects
    ]
    assert [f.format() for f in shared.all_findings()] == [f.format() for f in alone.all_findings()]
    assert any(f.finding.code == "duplicate-id" for f in shared.all_findings())
    assert [c.loaded.source.lines for c in shared.projects] == [
        c.loaded.source.lines for c in alone.projects
    ]
