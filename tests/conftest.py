"""Shared fixtures: a tiny content folder with one valid project that tests can bend out of
shape; the example site and a Chromium, each made once per session."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .chromium import launched_chromium
from .sitebuild import FAMILIES_CONTENT, build_example_site

SITE_YAML = """\
title: 测试站点
base_url: https://example.org/
scoring:
  grades:
    - {min: 90, label: 优秀}
    - {min: 80, label: 良好}
    - {min: 60, label: 合格}
    - {min: 0, label: 不合格}
"""

# A project the default policy scores 100 with no findings: execution 10 + 产出 50 + 效益 30
# + 满意度 10. Kept small so the line numbers in error tests stay easy to read.
MINIMAL_PROJECT: dict[str, Any] = {
    "id": "ceshi-xiangmu",
    "year": 2023,
    "name": "测试项目",
    "department": {"name": "测试局", "code": "502"},
    "unit": "测试单位",
    "filled_on": "2023-12-25",
    "funding": {"total": {"initial": 1000, "budget": 1000, "executed": 1000}},
    "goals": {"planned": "计划", "achieved": "完成"},
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "发放人数",
            "target": "≥100人",
            "actual": "≥100人",
            "weight": 50,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "社会效益",
            "target": "有效保障",
            "actual": "达成年度指标",
            "weight": 30,
        },
        {
            "level1": "满意度指标",
            "level2": "满意度指标",
            "name": "满意度",
            "target": "≥95%",
            "actual": "≥95%",
            "weight": 10,
        },
    ],
}


def minimal_project(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the minimal valid project, with top-level keys replaced."""
    data = copy.deepcopy(MINIMAL_PROJECT)
    data.update(changes)
    return data


def project_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML, one key per line, in the dict's own order."""
    # The date is written unquoted so that YAML reads it as a date, as in a hand-written file.
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return text.replace("filled_on: '2023-12-25'", "filled_on: 2023-12-25")


def write_project(
    content: Path,
    data: dict[str, Any] | str | None = None,
    name: str = "ceshi-xiangmu.yaml",
    unit: str = "ceshi",
) -> Path:
    """Write a project file (a dict, raw YAML text, or the minimal project) under content/2023/<unit>/."""
    folder = content / "2023" / unit
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if data is None:
        data = minimal_project()
    text = data if isinstance(data, str) else project_yaml(data)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny_content(tmp_path: Path) -> Path:
    """A content folder holding site.yaml (national rules, seed grade labels) and no projects."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return content


def position_of(path: Path, needle: str, line_with: str = "") -> str:
    """`file:line:column` (1-based) of the first occurrence of needle, as the checker prints it.

    `line_with` narrows the search to lines containing that text. The position is found in the
    file's text, independently of the loader, so a test built on it still checks the loader.
    """
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        column = line.find(needle) if line_with in line else -1
        if column >= 0:
            return f"{path.as_posix()}:{number}:{column + 1}"
    raise AssertionError(f"{needle!r} does not occur in {path}")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ built once for the session, with PDFs and the search index: the site folder.

    Shared by every test that asks for it: read it, never write into it. Its cache is beside
    it, in `../cache` (see `tests.sitebuild.link_example_fonts`)."""
    return build_example_site(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def families_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/examples/families built once for the session, with PDFs: the site folder. Read
    it, never write into it."""
    return build_example_site(tmp_path_factory.mktemp("families"), FAMILIES_CONTENT)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium (a Playwright `Browser`) for the session: launching one takes a second or
    two. Each test opens a context of its own and closes it."""
    with launched_chromium() as chromium:
        yield chromium
