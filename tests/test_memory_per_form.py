"""What a checked form keeps in memory: the parsed document dropped once its findings are
placed (read again from its text if asked for), and the small per-form records without a
`__dict__` each (docs/performance.md, "What a build holds per form")."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from builder.form.source import load_text
from builder.rules.check import check_content
from tests.conftest import minimal_project, position_of, write_project

# The dataclasses made once or more per form or per indicator, tens of thousands in a build.
PER_FORM_RECORDS = [
    ("builder.form.money", "Money"),
    ("builder.form.values", "Quantity"),
    ("builder.form.positions", "Position"),
    ("builder.rules.results", "IndicatorScore"),
    ("builder.rules.findings", "Finding"),
    ("builder.rules.findings", "LocatedFinding"),
    ("builder.site.project_view", "IndicatorRow"),
    ("builder.printed", "TableLine"),
    ("builder.site.views", "ProjectSummary"),
]


@pytest.mark.parametrize(("module", "name"), PER_FORM_RECORDS)
def test_per_form_records_have_slots(module: str, name: str) -> None:
    import importlib

    cls = getattr(importlib.import_module(module), name)
    assert "__slots__" in cls.__dict__
    assert "__dict__" not in dir(cls)


def test_checked_forms_keep_records_that_pickle_back(tiny_content: Path) -> None:
    """The slotted records of a checked form travel between processes unchanged."""
    project = minimal_project(id="xiangmu-01")
    project["indicators"][0]["actual"] = "≥80%"  # a finding: a located record, a score below
    write_project(tiny_content, project)
    [checked] = check_content(tiny_content).projects
    assert checked.located
    again = pickle.loads(pickle.dumps(checked))
    assert again.located == checked.located
    assert again.score == checked.score
    assert again.project == checked.project


def test_parsed_document_is_read_again_the_same(tiny_content: Path) -> None:
    path = write_project(tiny_content)
    text = path.read_text(encoding="utf-8")
    document = load_text(text, path)
    data, positions = document.data, dict(document.positions)
    lines = document.lines
    document.forget_parsed()
    assert not {"data", "positions", "lines"} & set(vars(document))
    assert document.data == data
    assert document.positions == positions
    assert document.lines == lines


def test_document_without_text_keeps_its_data(tiny_content: Path) -> None:
    from builder.form.source import SourceDocument

    document = SourceDocument(file=tiny_content / "x.yaml", data={"a": 1})
    document.forget_parsed()
    assert document.data == {"a": 1}


@pytest.mark.parametrize("jobs", [1, 2])
def test_checked_forms_do_not_keep_parsed_documents(tiny_content: Path, jobs: int) -> None:
    """Checked here or in a worker, a form keeps its text, not its parsed tree; a finding
    added after the forms are checked (an id used twice) is still placed where it belongs."""
    for number in range(70):  # enough to use worker processes with jobs=2
        write_project(
            tiny_content, minimal_project(id=f"xiangmu-{number:02}"), name=f"f{number:02}.yaml"
        )
    twice = write_project(tiny_content, minimal_project(id="xiangmu-00"), name="z-twice.yaml")
    result = check_content(tiny_content, jobs=jobs)
    assert len(result.projects) == 71
    for checked in result.projects:
        kept = vars(checked.loaded.source)
        assert "_text" in kept
        assert not {"data", "positions", "lines"} & set(kept)
    [last] = [c for c in result.projects if c.file == twice]
    [found] = last.located
    assert found.finding.code == "duplicate-id"
    assert f"{twice.as_posix()}:{found.line}:{found.column}" == position_of(twice, "xiangmu-00")


def test_models_given_the_same_fields_share_one_set(tiny_content: Path) -> None:
    """Equal `model_fields_set`s are one set; a copy with an update gets its own, and the
    models it was shared with keep theirs unchanged."""
    from builder.form.funding import FundingLine

    for number in range(2):
        write_project(tiny_content, minimal_project(id=f"xiangmu-{number}"), name=f"f{number}.yaml")
    first, second = (c.project for c in check_content(tiny_content).projects)
    assert first is not None and second is not None
    assert first.model_fields_set is second.model_fields_set
    given = set(first.model_fields_set)
    line = first.funding.rows[0]
    assert isinstance(line, FundingLine)
    before = set(line.model_fields_set)
    copy = line.model_copy(update={"rows": []})
    assert "rows" in copy.model_fields_set
    assert line.model_fields_set == before
    assert second.funding.rows[0].model_fields_set == before
    assert first.model_fields_set == given
    assert pickle.loads(pickle.dumps(first)).model_fields_set == given
