"""`docs/configuration.md`, generated from the declaration of `content/site.yaml` (config.py,
and rules/policy.py for `scoring:`) and of the project files (form/model.py).

Regenerate with `jixiao schema --write`; a test fails when the committed file is stale.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .config import SiteConfig
from .form.model import Project

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "see below"
    if isinstance(value, tuple | list) and value and isinstance(value[0], BaseModel):
        return (
            "`" + json.dumps([_jsonable(v.model_dump()) for v in value], ensure_ascii=False) + "`"
        )
    return "`" + json.dumps(_jsonable(value), ensure_ascii=False) + "`"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "value"):  # enums
        return value.value
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return float(value) if "." in str(value) else int(value)


def _nested(info: FieldInfo) -> tuple[type[BaseModel], str] | None:
    """The model a field holds (alone, optional, or as a list or tuple of them: then the
    suffix `[]` names an item), or None."""
    annotation, suffix = info.annotation, ""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is tuple and args[1:] == [Ellipsis]:
        annotation, suffix = args[0], "[]"
    elif origin is list and len(args) == 1:
        annotation, suffix = args[0], "[]"
    elif len(args) == 1 and origin in (typing.Union, types.UnionType):
        annotation = args[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, suffix
    return None


def _rows(
    model: type[BaseModel], prefix: str, seen: set[type[BaseModel]], within: bool = False
) -> list[str]:
    """The table of `model`'s keys (as the files write them), then a section for each model it
    holds, except an optional one that an earlier section documents (`seen`). `within` (the
    project files): every held model gets its section, the same model under another key
    named once (`As ...`)."""
    lines: list[str] = []
    nested: list[tuple[str, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        text = " ".join(
            p for p in (f"**{info.title}**." if info.title else "", info.description or "") if p
        )
        cell = text.replace("|", "\\|")
        lines.append(f"| `{key}` | {cell} | {_default(info)} |")
        found = _nested(info)
        # A setting that a policy may give again (optional there) is documented once.
        if found is not None and (within or not (info.default is None and found[0] in seen)):
            seen.add(found[0])
            nested.append((key + found[1], found[0]))
    shown: dict[type[BaseModel], str] = {}
    for key, sub in nested:
        if within and sub in shown:  # the same model under another key: said once
            lines += ["", f"### `{key}`", "", f"As `{shown[sub]}`."]
            continue
        shown[sub] = key
        lines += ["", f"### `{key}`", ""]
        if sub.__doc__:
            lines += [" ".join(sub.__doc__.split()), ""]
        lines += ["| key | meaning | default |", "|---|---|---|"]
        lines += _rows(sub, f"{key}.", seen, within)
    return lines


def render() -> str:
    """The whole of docs/configuration.md, as text: one table per nested section."""
    lines = [
        "# Configuration: `content/site.yaml`",
        "",
        "Generated from `builder/config.py` and `builder/rules/policy.py` (`scoring:`) by",
        "`jixiao schema --write`; do not edit by hand. The defaults are the national rules;",
        "`content/site.yaml` of this repository sets the local policy that the bundled 2023",
        "forms follow.",
        "",
        "| key | meaning | default |",
        "|---|---|---|",
        *_rows(SiteConfig, "", set()),
        "",
        "# Project files: `content/<year>/<unit>/<id>.yaml`",
        "",
        "Generated from `builder/form/model.py` (with `form/indicators.py`, `form/funding.py` and "
        "`form/money.py`).",
        "Each file transcribes one form as printed, nothing invented: a key the form does not",
        "print is left out. Amounts (`initial`, `budget`, `executed`) are written in the",
        "table's `funding.amount_unit` (元 or 万元) as a number, a quoted number with thousands",
        'separators (`"500,000.00"`) or a dash (`—`, `-`, `/`) for a cell printed without an',
        "amount; the rules read them in 元. The funding table is written either by key",
        "(`total`, `fiscal`, `local`, `superior`, `other`) or as `rows`, a list with one",
        "`total: true` row; never both. Written as `rows`, each cell is what the form prints:",
        "a key left out is a blank cell (shown blank), a dash is shown as printed; written by",
        "key, the sub-rows' 分值/执行率/得分 print `-`, as the central template of the bundled",
        "forms has them. The words over the columns and blocks are the family's (`template`),",
        "or the form's own where `labels` gives them. `[]` marks the items of a list.",
        "",
        "| key | meaning | default |",
        "|---|---|---|",
        *_rows(Project, "", set(), within=True),
    ]
    return "\n".join(lines) + "\n"


def is_stale(path: Path = DOC_PATH) -> bool:
    """Whether the file at `path` differs from what `render` gives (or is missing)."""
    return not path.exists() or path.read_text(encoding="utf-8") != render()


def write(path: Path = DOC_PATH) -> Path:
    """Write `render()` to `path` (creating its folder) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path
