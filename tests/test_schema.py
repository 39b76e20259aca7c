"""The shipped JSON Schemas match the models, and the bundled content satisfies them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from builder.form.load import load_project
from builder.form.model import Indicator, Project
from builder.form.schema import SCHEMA_DIR, stale_schemas
from builder.rules.findings import Severity

from .conftest import minimal_project, project_yaml, write_project

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


def _printed_shapes() -> list[dict[str, Any]]:
    """Forms in the new spellings (issue 12): amounts in 万元 with separators and dashes,
    funding rows as a list, optional fields left out, split columns, sub-rows, extras."""
    rows = minimal_project(
        funding={
            "amount_unit": "万元",
            "rows": [
                {
                    "name": "年度资金总额",
                    "total": True,
                    "budget": "1,746.16",
                    "executed": 95.05,
                    "weight": 10,
                    "rate": 5.44,
                    "score": 0.54,
                },
                {"name": "上年结转资金", "initial": "—", "budget": "-", "executed": "/"},
            ],
        },
        template="hubei-2020",
        region="湖北",
        code="421000-001",
        people=[{"role": "项目负责人", "name": "王五", "phone": "0716-1234567"}],
        categories={"项目类别": "部门预算项目"},
        remarks="备注:1.预算执行情况口径……",
        partial={"missing": ["indicators"], "note": "源文件在此处截断"},
        declared={"execution_ratio": 1, "problems": "无", "review_score": 90},
        weights={"level2": {"数量指标": 10}},
    )
    del rows["filled_on"]
    del rows["goals"]
    rows["department"] = {"name": ""}
    rows["indicators"][0].update(
        {
            "nature": "≧",
            "target": "735",
            "unit": "人次",
            "actual": "735",
            "core": True,
            "subrows": [{"name": "其中:脱贫人口", "target": "≥60", "actual": "62"}],
        }
    )
    del rows["indicators"][1]["weight"]
    by_key = minimal_project()
    by_key["funding"]["total"] = {"budget": "500,000.00", "executed": 0}
    return [rows, by_key]


@pytest.mark.parametrize("data", _printed_shapes(), ids=["rows", "by-key"])
def test_printed_shapes_validate_against_schema_and_model(data: dict[str, Any]) -> None:
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_as_json_value(data), schema)
    project = Project.model_validate(data)
    # The dump is the file again: valid against the schema, the same form when read back.
    dumped = _as_json_value(project.model_dump(mode="python"))
    jsonschema.validate(dumped, schema)
    assert Project.model_validate(dumped) == project


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("funding", "total", "budget"), "5,00"),
        (("funding", "total", "budget"), "五百"),
        (("funding", "amount_unit"), "千元"),
        (("indicators", 0, "nature"), "大约"),
        (("template",), "guangdong"),
    ],
)
def test_schema_and_model_refuse_a_bad_printed_value(where: tuple[Any, ...], value: Any) -> None:
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    data = minimal_project()
    node: Any = data
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_as_json_value(data), schema)
    with pytest.raises(ValidationError):
        Project.model_validate(data)


# --- what the loader reads, the schema takes (issue 12: an editor flags no valid file) ---------

FAMILIES_FILES = sorted(
    p for p in (ROOT / "docs" / "examples" / "families").rglob("*.yaml") if p.name != "site.yaml"
)


@pytest.mark.parametrize("path", FAMILIES_FILES, ids=lambda p: p.name)
def test_families_examples_validate_against_schema(path: Path) -> None:
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_as_json_value(yaml.safe_load(path.read_text(encoding="utf-8"))), schema)


# A 年度指标值 / 实际完成值 cell as a hand-written file may type it, unquoted: (the YAML written,
# whether the loader reads the form). The loader takes a number or a yes/no word back as the
# characters typed; it refuses a null, a date and a list.
CELLS_AS_TYPED = [
    ("1", True),
    ("0.95", True),
    ("0.950", True),
    ("735", True),
    ("100.00", True),
    ("1_000", True),
    ("yes", True),
    ("true", True),
    ("'≥95%'", True),
    ("~", False),
    ("[1]", False),
]


def _form_with_cell(key: str, typed: str, sub: bool) -> str:
    """The minimal form as YAML text with the first row's (or its 「其中」 row's) `key` cell
    written `typed`, unquoted as a person types it."""
    data = minimal_project()
    row = data["indicators"][0]
    if sub:
        row["subrows"] = [{"name": "其中:脱贫人口", "target": "≥60", "actual": "62"}]
        row = row["subrows"][0]
    row[key] = "@CELL@"
    return project_yaml(data).replace("'@CELL@'", typed)


@pytest.mark.parametrize("sub", [False, True], ids=["row", "subrow"])
@pytest.mark.parametrize("key", ["target", "actual"])
@pytest.mark.parametrize(("typed", "readable"), CELLS_AS_TYPED)
def test_schema_takes_every_cell_the_loader_reads(
    tiny_content: Path, typed: str, readable: bool, key: str, sub: bool
) -> None:
    path = write_project(tiny_content, _form_with_cell(key, typed, sub))
    loaded = load_project(path)
    errors = [f for f in loaded.findings if f.severity is Severity.error]
    assert (loaded.project is not None and not errors) is readable, errors
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    # As an editor hands the file to the schema: `1` and `0.950` numbers, `true` a boolean
    # (and `yes`, read as YAML 1.1 reads it; as YAML 1.2 reads it, text).
    data = _as_json_value(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors_of_schema = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if readable:
        assert errors_of_schema == []
    else:
        assert errors_of_schema


# --- a 执行率 as printed: with its sign or without (issue 12: figures as printed) ------------

RATES = [
    # (as written in the file, the number the rules read, as the page and the PDF show it)
    (100, "100", "100"),
    ("100.00", "100.00", "100.00"),
    ("100%", "100", "100%"),
    ("98.50%", "98.50", "98.50%"),
    (" 98.5 ％", "98.5", "98.5%"),
    ("—", None, "—"),
]


@pytest.mark.parametrize(
    ("written", "number", "shown", "where"),
    [
        (*rate, where)
        for rate in RATES
        for where in ("row", "declared")
        if rate[1] is not None or where == "row"  # declared.execution_rate takes no dash
    ],
)
def test_a_rate_is_read_and_shown_as_printed(
    written: object, number: str | None, shown: str, where: str
) -> None:
    from decimal import Decimal

    from builder.formats import rate_as_printed

    data = minimal_project(
        funding={"rows": [{"name": "年度资金总额", "total": True, "budget": 1, "executed": 1}]}
    )
    if where == "row":
        data["funding"]["rows"][0]["rate"] = written
    else:
        data["declared"] = {"execution_rate": written}
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_as_json_value(data), schema)
    project = Project.model_validate(data)
    rate = project.execution_rate_printed
    assert rate == (None if number is None else Decimal(number))
    cell = project.funding.rows[0].rate if where == "row" else project.declared.execution_rate
    assert rate_as_printed(cell) == shown
    dumped = _as_json_value(project.model_dump(mode="python"))
    jsonschema.validate(dumped, schema)
    assert (
        rate_as_printed(
            Project.model_validate(dumped).execution_rate_printed
            if number is not None
            else Project.model_validate(dumped).funding.rows[0].rate
        )
        == shown
    )


@pytest.mark.parametrize("written", ["%", "100%%", "-5%", "百分之百", "1e2%"])
def test_a_rate_that_is_no_percent_is_refused_by_model_and_schema(written: str) -> None:
    data = minimal_project(
        funding={
            "rows": [
                {"name": "年度资金总额", "total": True, "budget": 1, "executed": 1, "rate": written}
            ]
        }
    )
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_as_json_value(data), schema)
    with pytest.raises(ValidationError):
        Project.model_validate(data)
