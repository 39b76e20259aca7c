"""The Frictionless Data Package (v1) that describes the tables of the site or of one year."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..config import SiteConfig
from .columns import (
    CSV_ENCODING,
    CSV_LINE_END,
    INDICATOR_COLUMNS,
    NEUTRALISED_NOTE,
    PROJECT_COLUMNS,
)

PROJECTS_CSV = "projects.csv"
INDICATORS_CSV = "indicators.csv"
PROJECTS_JSON = "projects.json"
DATAPACKAGE = "datapackage.json"


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


def datapackage(config: SiteConfig, year: int | None) -> dict[str, Any]:
    """A Data Package (Frictionless v1) describing the two tables beside it."""
    scope = "全部年度" if year is None else f"{year} 年度"
    title = f"{config.title}({scope})"
    description = "项目支出绩效目标自评表及其复核计分结果。" + config.description
    tabular = {
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "dialect": csv_dialect(),
    }
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package_name(config.base_url, year),
        "title": title,
        "description": description,
        "homepage": config.base_url,
        "keywords": ["绩效自评", "项目支出", "预算绩效"],
    }
    if config.publisher:
        package["contributors"] = [{"title": config.publisher, "role": "publisher"}]
    package["resources"] = [
        {
            "name": "projects",
            "path": PROJECTS_CSV,
            "title": "项目",
            "description": "每个项目一行:资金、执行率、复核得分与等次、申报得分与等次、复核发现的"
            "问题数。" + NEUTRALISED_NOTE,
            **tabular,
            "schema": {
                "fields": [column.descriptor() for column in PROJECT_COLUMNS],
                "primaryKey": ["year", "id"],
            },
        },
        {
            "name": "indicators",
            "path": INDICATORS_CSV,
            "title": "绩效指标",
            "description": "每个绩效指标一行:指标值、实际完成值、分值、申报得分与复核得分;"
            "「其中…」子行各占一行,行号同所属指标,子行号从 1 起。" + NEUTRALISED_NOTE,
            **tabular,
            "schema": {
                "fields": [column.descriptor() for column in INDICATOR_COLUMNS],
                "primaryKey": ["year", "project_id", "row", "subrow"],
                "foreignKeys": [
                    {
                        "fields": ["year", "project_id"],
                        "reference": {"resource": "projects", "fields": ["year", "id"]},
                    }
                ],
            },
        },
    ]
    return package
