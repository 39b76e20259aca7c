"""JSON Schemas of the file formats, generated from the models.

The files in `builder/schemas/` are shipped so editors (via the `# yaml-language-server:
$schema=...` line of each content file) autocomplete and flag mistakes as staff type.
Regenerate with `jixiao schema --write`; a test fails when the shipped files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..config import SiteConfig
from .model import Project

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
SCHEMAS: dict[str, type[BaseModel]] = {
    "project.schema.json": Project,
    "site.schema.json": SiteConfig,
}


def schema_for(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `model` for validation, with `$id` `name`."""
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": name,
        **schema,
    }


def render(name: str) -> str:
    """The shipped text of the schema file `name` (a key of SCHEMAS): indented JSON, UTF-8
    characters as they are, a final newline. KeyError for another name."""
    return json.dumps(schema_for(SCHEMAS[name], name), ensure_ascii=False, indent=2) + "\n"


def stale_schemas(directory: Path = SCHEMA_DIR) -> list[str]:
    """Names of shipped schema files that differ from what the models generate."""
    stale = []
    for name in SCHEMAS:
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(name):
            stale.append(name)
    return stale


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema file into `directory` (created if missing); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = directory / name
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written
