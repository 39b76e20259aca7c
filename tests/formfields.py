"""The free-text fields of a form, found from the model's JSON Schema rather than listed by
hand: a field added to `builder.form.model` is in every test that loops over them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from builder.form.model import Project

FieldPath = tuple[str | int, ...]


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


# The key under which a mapping of free text (`categories`: printed label -> option ticked)
# holds its text.
MAPPING_KEY = "项目类别"


def _walk(schema: dict[str, Any], node: dict[str, Any], path: FieldPath) -> Iterator[FieldPath]:
    node = _resolved(schema, node)
    options = [_resolved(schema, o) for o in node.get("anyOf", [node])]
    options = [o for o in options if o.get("type") != "null"]
    kinds = {o.get("type") for o in options}
    if kinds == {"object"}:
        (inner,) = options
        for key, sub in inner.get("properties", {}).items():
            yield from _walk(schema, sub, (*path, key))
        values = inner.get("additionalProperties")
        if isinstance(values, dict) and not inner.get("properties"):
            yield from _walk(schema, values, (*path, MAPPING_KEY))
    elif kinds == {"array"}:
        (inner,) = options
        yield from _walk(schema, inner["items"], (*path, 0))
    elif kinds == {"string"} and not any(
        key in o for o in options for key in ("pattern", "format", "enum", "const")
    ):
        # free text: no pattern (ids, codes, 定量/定性), no format (dates), no closed list
        # (template, amount_unit)
        yield path


def text_fields() -> list[FieldPath]:
    """Every free-text field of a project file, as keys of the file; a list's items appear once,
    as index 0 (("indicators", 0, "name"))."""
    schema = Project.model_json_schema(by_alias=True)
    return list(_walk(schema, schema, ()))


def put(data: dict[str, Any], path: FieldPath, value: str, every_row: bool = False) -> None:
    """Set the field `path` of a form's data to `value`, making the tables on the way; with
    `every_row`, an index 0 in the path stands for every item of that list."""
    target: Any = data
    for depth, key in enumerate(path[:-1]):
        if every_row and key == 0:
            for item in target:
                put(item, path[depth + 1 :], value, every_row)
            return
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[path[-1]] = value


def holding_every_field(data: dict[str, Any]) -> dict[str, Any]:
    """`data` (a valid form) made to hold every field `text_fields` names, still valid: its
    funding table written as `rows` (one spelling only; the 年度资金总额 row keeps its amounts),
    one 「其中」 sub-row under each indicator, one person, a category ticked, `partial`
    naming a part cut off (its note needs one), a printed word (`labels`), and the `source` of an imported form (its
    file and places are text). Changed in place and returned."""
    funding = data.setdefault("funding", {})
    total = funding.pop("total", None)
    if total is not None:
        for key in ("fiscal", "local", "superior", "other"):
            funding.pop(key, None)
        funding["rows"] = [{"name": "年度资金总额", "total": True, **total}]
    for row in data["indicators"]:
        row.setdefault("subrows", [{"name": "其中:子项"}])
    data.setdefault("people", [{"role": "联系人"}])
    data.setdefault("categories", {MAPPING_KEY: "部门预算项目"})
    data.setdefault("partial", {"missing": ["remarks"]})
    data.setdefault("labels", {"reason": "偏差原因分析及改进措施"})
    places = {MAPPING_KEY: "第1页 表1 第2行 第2列"}
    data.setdefault(
        "source", {"file": "自评表.pdf", "sha256": "0" * 64, "reader": "pdf", "places": places}
    )
    return data
