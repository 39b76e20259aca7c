"""The shipped JSON Schemas match the models, and the bundled content satisfies them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from builder.form.model import Indicator, Project
from builder.form.schema import SCHEMA_DIR, stale_schemas

from .conftest import minimal_project

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PROJECT_FILES = sorted(p for p in CONTENT.rglob("*.yaml") if p.name != "site.yaml")


def test_shipped_schemas_are_current() -> None:
    assert stale_schemas() == [], "run `jixiao schema --write` and commit builder/schemas/"


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: p.name)
def test_content_file_names_its_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    schema_path = (path.parent / first_line.split("$schema=", 1)[1]).resolve()
    assert schema_path == (SCHEMA_DIR / "project.schema.json").resolve()


def _as_json_value(value: object) -> object:
    """YAML dates and numbers as a YAML language server hands them to the schema."""
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: p.name)
def test_content_validates_against_schema(path: Path) -> None:
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    data = _as_json_value(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.validate(data, schema)


def test_schema_rejects_unknown_key() -> None:
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    data = _as_json_value(yaml.safe_load(PROJECT_FILES[0].read_text(encoding="utf-8")))
    data["nmae"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_site_config_validates_against_schema() -> None:
    schema = json.loads((SCHEMA_DIR / "site.schema.json").read_text(encoding="utf-8"))
    data = _as_json_value(yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8")))
    jsonschema.validate(data, schema)


def test_configuration_doc_is_current() -> None:
    from builder import configdoc

    assert not configdoc.is_stale(), "run `jixiao schema --write` and commit docs/configuration.md"


def test_measure_unit_is_written_unit_in_files_dumps_and_schema() -> None:
    """度量单位 is `Indicator.measure_unit` in the code and `unit` wherever data leaves it."""
    data = minimal_project()
    data["indicators"][0]["unit"] = "人次"
    project = Project.model_validate(data)
    assert project.indicators[0].measure_unit == "人次"
    dumped = project.model_dump(mode="json")["indicators"][0]
    assert dumped["unit"] == "人次" and "measure_unit" not in dumped
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    properties = schema["$defs"]["Indicator"]["properties"]
    assert "unit" in properties and "measure_unit" not in properties
    assert Indicator.model_fields["measure_unit"].alias == "unit"
