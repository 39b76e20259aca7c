"""`builder.intake.emit`: a draft written as a project file, laid out as the hand files are,
every string reading back as itself."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.form.load import read_project
from builder.form.source import load_text
from builder.intake.emit import emit, iter_paths, schema_reference

from .importing import FAMILY_FORMS, ROOT, SEED_FORMS, data_of

SCHEMA = "../../../builder/schemas/project.schema.json"


def _without_hand_comments(text: str) -> str:
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith("#") or line.startswith("# yaml-language-server")
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", SEED_FORMS, ids=lambda p: p.stem)
def test_seed_forms_come_out_as_written_by_hand(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert emit(data_of(path), schema_reference(path.parent)) == _without_hand_comments(text)


@pytest.mark.parametrize("path", SEED_FORMS + FAMILY_FORMS, ids=lambda p: p.stem)
def test_every_example_form_reads_back_as_the_same_model(path: Path) -> None:
    text = emit(data_of(path), schema_reference(path.parent))
    assert text.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / text.splitlines()[0].split("$schema=")[1]).resolve()
    assert schema == ROOT / "builder" / "schemas" / "project.schema.json"
    hand = read_project(load_text(path.read_text(encoding="utf-8"), path)).project
    again = read_project(load_text(text, path)).project
    assert hand is not None and again == hand


def test_schema_path_outside_the_repository_is_the_site_layout(tmp_path: Path) -> None:
    assert schema_reference(tmp_path / "content" / "2023" / "unit") == SCHEMA


def _form(**changes: object) -> dict[str, object]:
    data = data_of(SEED_FORMS[0])
    data.update(changes)
    return data


TRICKY = [
    "502", "no", "NO", "yes", "On", "off", "true", "null", "~", "=", "<<", "8:30", "12:30:00",
    "2023-12-25", "1e5", "0x1F", ".5", "-3", "+3", "1_000", ".inf", "—", "-", "/", "≥95%",
    "=100%", "<3小时", "*月", "&a", "!x", "%x", "@x", "`x", "|x", ">x", "?x", "- x", "-x",
    "#x", "a #b", "a: b", "指标2:", "指标1:完成", "a, b", "[x]", "{x}", "'q'", '"q"', "a\\b",
    "其中：脱贫户", "tab\there", "two\nlines", "line\u2028sep", "0716-8123456", "100%,",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY)
def test_a_string_reads_back_as_itself_wherever_it_is(value: str) -> None:
    data = _form(contact=value)
    row = dict(data["indicators"][0], target=value, reason=value)  # type: ignore[index]
    data["indicators"] = [row]
    data["goals"] = {"planned": value}
    text = emit(data, SCHEMA)
    back = load_text(text, Path("x.yaml"))
    assert not back.problems
    assert back.data["contact"] == value
    assert back.data["indicators"][0]["target"] == value
    assert back.data["indicators"][0]["reason"] == value
    assert back.data["goals"]["planned"] == value


def test_quoted_only_where_yaml_would_misread() -> None:
    text = emit(_form(contact="no"), SCHEMA)
    assert 'contact: "no"' in text
    assert 'department: {name: 六盘水市人力资源和社会保障局, code: "502"}' in text
    assert "target: =0.2元/人*月" in text  # a leading = or ≥ is plain text


def test_fields_are_typed_by_their_kind() -> None:
    data = _form(filled_on="2023-12-25")
    data["funding"] = {
        "rows": [
            {"name": "年度资金总额", "total": True, "budget": "950500.00", "executed": "—"},
            {"name": "其中:财政拨款", "budget": "500,000.00", "executed": Decimal("1.50")},
        ]
    }
    data["declared"] = {"total": "92.01", "grade": "100"}
    text = emit(data, SCHEMA)
    assert "filled_on: 2023-12-25\n" in text
    assert "budget: 950500.00, executed: —}" in text
    assert 'budget: "500,000.00", executed: 1.50}' in text
    assert "total: 92.01\n" in text and 'grade: "100"' in text
    back = load_text(text, Path("x.yaml")).data
    assert back["filled_on"] == dt.date(2023, 12, 25)
    assert back["funding"]["rows"][0]["total"] is True
    assert back["declared"]["total"] == Decimal("92.01")
    project = read_project(load_text(text, Path("x.yaml"))).project
    assert project is not None and project.funding.rows[0].budget.printed == "950500.00"


def test_a_date_that_is_no_iso_date_stays_text() -> None:
    back = load_text(emit(_form(filled_on="2023年12月25日"), SCHEMA), Path("x.yaml")).data
    assert back["filled_on"] == "2023年12月25日"


def test_blank_values_are_left_out() -> None:
    data = _form(contact="", region=None, people=[], categories={})
    data["indicators"] = [dict(data["indicators"][0], reason="", target=None)]  # type: ignore[index]
    text = emit(data, SCHEMA)
    assert "contact" not in text and "region" not in text and "people" not in text
    assert "reason" not in text and "target" not in text


def test_key_order_of_the_draft_does_not_matter() -> None:
    data = data_of(SEED_FORMS[2])
    shuffled = dict(random.Random(7).sample(list(data.items()), len(data)))
    shuffled["indicators"] = [
        dict(random.Random(i).sample(list(row.items()), len(row)))
        for i, row in enumerate(data["indicators"])
    ]
    assert emit(shuffled, SCHEMA) == emit(data, SCHEMA)


def test_source_comes_last_with_its_places_in_file_order() -> None:
    data = _form()
    places = {"indicators[0].target": "第1页 表1 第9行第5列", "name": "第1页 表1 第2行第2列"}
    data["source"] = {"file": "名称.pdf", "sha256": "0" * 64, "reader": "pdf", "places": places}
    text = emit(data, SCHEMA)
    assert text.split("\n\n")[-1].startswith("source:\n  file: 名称.pdf\n")
    assert "    indicators[0].target: 第1页 表1 第9行第5列\n    name: 第1页" in text
    paths = list(iter_paths(data))
    assert paths.index("name") < paths.index("indicators[0].target") < paths.index("source")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_text_reads_back(value: str) -> None:
    data = _form(contact=value)
    data["indicators"] = [dict(data["indicators"][0], name=value, target=value)]  # type: ignore[index]
    data["weights"] = {"levels": {value: 50}}
    back = load_text(emit(data, SCHEMA), Path("x.yaml"))
    assert back.data["contact"] == value
    assert back.data["indicators"][0]["name"] == value
    assert back.data["weights"]["levels"] == {value: 50}


def test_same_draft_same_bytes() -> None:
    assert emit(data_of(SEED_FORMS[1]), SCHEMA) == emit(data_of(SEED_FORMS[1]), SCHEMA)
