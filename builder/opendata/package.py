"""The Frictionless Data Package (v1) that describes the tables of the site or of one year."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..config import SiteConfig
from .columns import (
    CSV_ENCODING,
    CSV_LINE_END,
    FINDING_COLUMNS,
    INDICATOR_COLUMNS,
    NEUTRALISED_NOTE,
    PROJECT_COLUMNS,
    Column,
)

PROJECTS_CSV = "projects.csv"
INDICATORS_CSV = "indicators.csv"
FINDINGS_CSV = "findings.csv"
PROJECTS_JSON = "projects.json"
DATAPACKAGE = "datapackage.json"
# The tables again with their columns' Chinese titles as the header (`columns.py`), for
# people who open them in a spreadsheet: `projects.csv` -> `projects-zh.csv`.
TITLED_SUFFIX = "-zh"


def titled(name: str) -> str:
    """The file name of a table's copy headed by the Chinese titles: `projects-zh.csv`."""
    stem, _, extension = name.rpartition(".")
    return f"{stem}{TITLED_SUFFIX}.{extension}"


def licences(config: SiteConfig) -> list[dict[str, str]]:
    """The package's `licenses` (Frictionless v1): the site's declared licence, if any."""
    licence = config.licence
    if licence is None:
        return []
    entry = {"title": licence.name}
    if re.fullmatch(r"[A-Za-z0-9.+-]+", licence.name):  # an SPDX or Open Definition id
        entry["name"] = licence.name
    if licence.url:
        entry["path"] = licence.url
    return [entry]


def package_name(base_url: str, year: int | None) -> str:
    """A Frictionless package name (`^[a-z0-9._-]+$`) from the site's address."""
    parts = urlsplit(base_url)
    slug = re.sub(r"[^a-z0-9._-]+", "-", (parts.netloc + parts.path).lower()).strip("-._")
    slug = slug or "jixiao"
    return slug if year is None else f"{slug}-{year}"


def csv_dialect() -> dict[str, Any]:
    """The CSV dialect descriptor of the tables (Frictionless CSV Dialect)."""
    return {
        "delimiter": ",",
        "lineTerminator": CSV_LINE_END,
        "quoteChar": '"',
        "doubleQuote": True,
        "header": True,
    }


# Each table's row of a project refers to its project.
_TO_PROJECT = [
    {
        "fields": ["year", "project_id"],
        "reference": {"resource": "projects", "fields": ["year", "id"]},
    }
]
# (name, file, title, description, columns, primary key, foreign keys) of each resource.
_RESOURCES: tuple[tuple[str, str, str, str, tuple[Column, ...], list[str], list[Any]], ...] = (
    (
        "projects",
        PROJECTS_CSV,
        "项目",
        "每个项目一行:资金、执行率、复核得分与等次、申报得分与等次、复核发现的问题数。",
        PROJECT_COLUMNS,
        ["year", "id"],
        [],
    ),
    (
        "indicators",
        INDICATORS_CSV,
        "绩效指标",
        "每个绩效指标一行:指标值、实际完成值、分值、申报得分与复核得分;"
        "「其中…」子行各占一行,行号同所属指标,子行号从 1 起。",
        INDICATOR_COLUMNS,
        ["year", "project_id", "row", "subrow"],
        _TO_PROJECT,
    ),
    (
        "findings",
        FINDINGS_CSV,
        "核查结果",
        "复核发现的每个问题一行:类别、规则代码、表上位置和中文说明(与项目页面所列相同)。",
        FINDING_COLUMNS,
        [],
        _TO_PROJECT,
    ),
)


def _resource(
    entry: tuple[str, str, str, str, tuple[Column, ...], list[str], list[Any]],
) -> dict[str, Any]:
    name, path, title, description, columns, key, foreign = entry
    schema: dict[str, Any] = {"fields": [column.descriptor() for column in columns]}
    if key:
        schema["primaryKey"] = key
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "name": name,
        "path": path,
        "title": title,
        "description": description + NEUTRALISED_NOTE,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "dialect": csv_dialect(),
        "schema": schema,
    }


def datapackage(config: SiteConfig, year: int | None) -> dict[str, Any]:
    """A Data Package (Frictionless v1) describing the three tables beside it (the copies
    headed by Chinese titles, `titled`, hold the same rows and are not listed)."""
    scope = "全部年度" if year is None else f"{year} 年度"
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package_name(config.base_url, year),
        "title": f"{config.title}({scope})",
        "description": "项目支出绩效目标自评表及其复核计分结果。" + config.description,
        "homepage": config.base_url,
        "keywords": ["绩效自评", "项目支出", "预算绩效"],
    }
    if config.publisher:
        package["contributors"] = [{"title": config.publisher, "role": "publisher"}]
    if config.licence is not None:
        package["licenses"] = licences(config)
    package["resources"] = [_resource(entry) for entry in _RESOURCES]
    return package
