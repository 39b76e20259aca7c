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


def _walk(schema: dict[str, Any], node: dict[str, Any], path: FieldPath) -> Iterator[FieldPath]:
    node = _resolved(schema, node)
    options = [_resolved(schema, o) for o in node.get("anyOf", [node])]
    options = [o for o in options if o.get("type") != "null"]
    kinds = {o.get("type") for o in options}
    if kinds == {"object"}:
        (inner,) = options
        for key, sub in inner.get("properties", {}).items():
            yield from _walk(schema, sub, (*path, key))
    elif kinds == {"array"}:
        (inner,) = options
        yield from _walk(schema, inner["items"], (*path, 0))
    elif kinds == {"string"} and not any("pattern" in o or "format" in o for o in options):
        yield path  # free text: no pattern (ids, codes, 定量/定性), no format (dates)


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
