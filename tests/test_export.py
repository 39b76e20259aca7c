"""Open data: CSV, JSON and Data Package files built from real content folders."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import frictionless
import jsonschema
import pytest
import yaml

from builder import urls
from builder.form.schema import SCHEMA_DIR
from builder.opendata.columns import FORMULA_TRIGGERS, INDICATOR_COLUMNS, PROJECT_COLUMNS
from builder.opendata.encoding import neutralise_formula
from builder.opendata.export import write_open_data
from builder.rules.check import CheckResult, check_content

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
BOM = b"\xef\xbb\xbf"
EXPECTED_TOTALS = {
    "jiguan-yanglao-quekou": "92.01",
    "chengxiang-yanglao-65-zengfa": "97.5",
    "chengxiang-yanglao-tiaodai": "90",
    "chengxiang-yanglao-shiji-buzhu": "100",
    "shebao-pingtai-yunwei": "100",
    "teshu-qunti-yanglao-baoxianfei": "100",
}
TABLE_FOLDERS = ["data", "data/2023"]
# A number cell as exact decimal text: no exponent, no float artefacts such as 0.30000000000000004.
EXACT_NUMBER = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$")


# --- helpers ------------------------------------------------------------------------------


def build(content: Path, site: Path) -> tuple[CheckResult, list[str]]:
    result = check_content(content)
    assert result.config is not None
    return result, write_open_data(result, result.config, site)


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_header(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text, newline="")))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def frictionless_errors(package_file: Path) -> list[list[Any]]:
    report = frictionless.validate(str(package_file))
    return report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])


HOSTILE_SITE = """\
title: 测试站点
base_url: https://example.org/sub/
publisher: 测试发布单位
"""

HOSTILE_PROJECT = """\
id: evil
year: 2024
name: '=HYPERLINK("https://attacker.example/","点击")'
department: {name: '+1+1', code: ""}
unit: '-2+3'
filled_on: 2024-12-20
funding:
  total: {initial: 100.10, budget: 100.10, executed: 0.30}
goals: {planned: '=cmd|'' /C calc''!A0', achieved: 完成}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: '@SUM(1+1)*cmd', target: '=1+1', actual: '-1', weight: 50, score: 50}
  - {level1: 效益指标, level2: 社会效益指标, name: 效益, target: 有效, actual: 达成年度指标, weight: 30, score: 30, reason: '+说明'}
  - {level1: 满意度指标, level2: 满意度指标, name: 满意度, target: ≥95%, actual: ≥95%, weight: 10, score: 10}
declared: {total: 90.3}
"""

BROKEN_PROJECT = """\
id: broken
year: 2024
name: 缺少字段的项目
"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CheckResult, list[str]]:
    site = tmp_path_factory.mktemp("site")
    result, written = build(CONTENT, site)
    return site, result, written


@pytest.fixture
def hostile_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "2024" / "evil-unit").mkdir(parents=True)
    (content / "site.yaml").write_text(HOSTILE_SITE, encoding="utf-8")
    (content / "2024" / "evil-unit" / "evil.yaml").write_text(HOSTILE_PROJECT, encoding="utf-8")
    (content / "2024" / "evil-unit" / "broken.yaml").write_text(BROKEN_PROJECT, encoding="utf-8")
    site = tmp_path / "site"
    build(content, site)
    return site


# --- the bundled content ------------------------------------------------------------------


@pytest.mark.parametrize("folder", TABLE_FOLDERS)
@pytest.mark.parametrize("name", ["projects.csv", "indicators.csv"])
def test_csv_starts_with_bom_and_ends_with_newline(
    bundled: tuple[Path, CheckResult, list[str]], folder: str, name: str
) -> None:
    data = (bundled[0] / folder / name).read_bytes()
    assert data.startswith(BOM)
    assert not data[len(BOM) :].startswith(BOM)
    assert data.endswith(b"\r\n")


@pytest.mark.parametrize("folder", TABLE_FOLDERS)
def test_project_rows_carry_the_computed_totals(
    bundled: tuple[Path, CheckResult, list[str]], folder: str
) -> None:
    rows = read_csv(bundled[0] / folder / "projects.csv")
    assert len(rows) == 6
    assert {row["id"]: row["computed_total"] for row in rows} == EXPECTED_TOTALS
    assert [(row["year"], row["unit_slug"], row["id"]) for row in rows] == sorted(
        (row["year"], row["unit_slug"], row["id"]) for row in rows
    )


def test_project_row_figures_are_exact(bundled: tuple[Path, CheckResult, list[str]]) -> None:
    rows = {row["id"]: row for row in read_csv(bundled[0] / "data" / "projects.csv")}
    quekou = rows["jiguan-yanglao-quekou"]
    assert quekou["budget_initial"] == "86870000"
    assert quekou["executed"] == "17461600"
    assert quekou["execution_rate"] == "20.1"
    assert quekou["computed_execution_score"] == "2.01"
    assert quekou["declared_total"] == "92.01"
    assert quekou["declared_grade"] == "优秀"  # stated in the 自评结论
    assert quekou["department_code"] == "502"
    assert quekou["warnings"] == "2"  # the cost rows, and 实际完成情况 copying 预期目标
    zengfa = rows["chengxiang-yanglao-65-zengfa"]
    assert (zengfa["declared_total"], zengfa["computed_total"]) == ("100", "97.5")
    assert zengfa["page_url"] == (
        "https://jixiao.example.gov.cn/2023/lps-sbj/chengxiang-yanglao-65-zengfa/"
    )
    assert zengfa["pdf_url"].endswith(
        "/2023/lps-sbj/chengxiang-yanglao-65-zengfa/chengxiang-yanglao-65-zengfa.pdf"
    )


@pytest.mark.parametrize("folder", TABLE_FOLDERS)
def test_number_cells_are_exact_decimal_text(
    bundled: tuple[Path, CheckResult, list[str]], folder: str
) -> None:
    for name, columns in (("projects.csv", PROJECT_COLUMNS), ("indicators.csv", INDICATOR_COLUMNS)):
        numeric = [c.name for c in columns if c.type in ("number", "integer")]
        for row in read_csv(bundled[0] / folder / name):
            for column in numeric:
                assert row[column] == "" or EXACT_NUMBER.match(row[column]), (column, row)


def test_indicator_rows_match_the_forms(bundled: tuple[Path, CheckResult, list[str]]) -> None:
    expected_rows = 0
    for path in sorted(CONTENT.glob("*/*/*.yaml")):
        expected_rows += len(yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"])
    rows = read_csv(bundled[0] / "data" / "indicators.csv")
    assert len(rows) == expected_rows
    project_ids = [row["id"] for row in read_csv(bundled[0] / "data" / "projects.csv")]
    assert list(dict.fromkeys(row["project_id"] for row in rows)) == project_ids

    zengfa = [row for row in rows if row["project_id"] == "chengxiang-yanglao-65-zengfa"]
    assert [row["row"] for row in zengfa] == [str(n) for n in range(1, len(zengfa) + 1)]
    second = zengfa[1]
    assert (second["level1"], second["level2"], second["level3"]) == (
        "产出指标",
        "数量指标",
        "待遇领取人数",
    )
    assert (second["target"], second["actual"]) == ("≥260572人", "≥346947人")
    assert (second["weight"], second["declared_score"], second["computed_score"]) == (
        "5",
        "2.5",
        "2.5",
    )
    assert second["rule"] == "over_achieved"
    assert second["reason"].startswith("实际完成值超出指标值")
    # A real target that starts with "=" is neutralised too.
    assert zengfa[0]["target"] == "'=0.2元/人*月"


@pytest.mark.parametrize("folder", TABLE_FOLDERS)
def test_datapackage_describes_the_csv_files(
    bundled: tuple[Path, CheckResult, list[str]], folder: str
) -> None:
    directory = bundled[0] / folder
    package = read_json(directory / "datapackage.json")
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert {resource["name"] for resource in package["resources"]} == {
        "projects",
        "indicators",
        "findings",
    }
    for resource in package["resources"]:
        assert resource["format"] == "csv"
        assert resource["mediatype"] == "text/csv"
        assert resource["encoding"] == "utf-8-sig"
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == csv_header(directory / resource["path"])
        assert all(f["type"] and f["title"] and f["description"] for f in fields)
    indicators = next(r for r in package["resources"] if r["name"] == "indicators")
    assert indicators["schema"]["foreignKeys"] == [
        {
            "fields": ["year", "project_id"],
            "reference": {"resource": "projects", "fields": ["year", "id"]},
        }
    ]


@pytest.mark.parametrize("folder", TABLE_FOLDERS)
def test_datapackage_is_valid_frictionless(
    bundled: tuple[Path, CheckResult, list[str]], folder: str
) -> None:
    assert frictionless_errors(bundled[0] / folder / "datapackage.json") == []


def test_projects_json_lists_the_records(bundled: tuple[Path, CheckResult, list[str]]) -> None:
    site = bundled[0]
    records = read_json(site / "data" / "projects.json")
    assert [r["id"] for r in records] == [
        row["id"] for row in read_csv(site / "data" / "projects.csv")
    ]
    assert read_json(site / "data" / "2023" / "projects.json") == records
    for record in records:
        assert record["links"]["record"].endswith(f"/{record['id']}/{record['id']}.json")
        per_project = record["links"]["record"].removeprefix("https://jixiao.example.gov.cn/")
        assert read_json(site / per_project) == record


def test_project_record_joins_declared_computed_and_findings(
    bundled: tuple[Path, CheckResult, list[str]],
) -> None:
    site, result, _ = bundled
    schema = read_json(SCHEMA_DIR / "project.schema.json")
    for checked in result.projects:
        project = checked.project
        assert project is not None
        unit = urls.unit_slug(checked.file)
        record = read_json(site / urls.project_record(project, unit))
        assert record["file"] == f"2023/lps-sbj/{checked.file.name}"
        assert record["computed"]["total"] == float(EXPECTED_TOTALS[project.id])
        assert len(record["findings"]) == len(checked.located)
        assert len(record["indicators"]) == len(project.indicators)
        assert record["links"]["source"].endswith(urls.project_source(project, unit))
        # The declared form, whole, as the published schema describes it.
        jsonschema.validate(record["form"], schema)
        assert record["form"]["funding"]["total"]["budget"] == int(
            project.funding.total_yuan("budget")
        )
        assert record["form"]["goals"]["planned"] == project.goals.planned


def test_yaml_source_is_copied_byte_for_byte(bundled: tuple[Path, CheckResult, list[str]]) -> None:
    site, result, written = bundled
    for checked in result.projects:
        assert checked.project is not None
        path = urls.project_source(checked.project, urls.unit_slug(checked.file))
        assert path in written
        assert (site / path).read_bytes() == checked.file.read_bytes()


def test_schemas_are_published(bundled: tuple[Path, CheckResult, list[str]]) -> None:
    site = bundled[0]
    for name in ("project.schema.json", "site.schema.json"):
        assert (site / "data" / "schema" / name).read_bytes() == (SCHEMA_DIR / name).read_bytes()


def test_returns_exactly_the_files_written(bundled: tuple[Path, CheckResult, list[str]]) -> None:
    site, _, written = bundled
    assert len(written) == len(set(written))
    assert set(written) == set(tree_bytes(site))


def test_rebuild_gives_identical_bytes(tmp_path: Path) -> None:
    build(CONTENT, tmp_path / "first")
    build(CONTENT, tmp_path / "second")
    first, second = tree_bytes(tmp_path / "first"), tree_bytes(tmp_path / "second")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


# --- hostile and broken content -----------------------------------------------------------


def test_formula_cells_are_neutralised(hostile_site: Path) -> None:
    [project] = read_csv(hostile_site / "data" / "projects.csv")
    assert project["name"] == '\'=HYPERLINK("https://attacker.example/","点击")'
    assert project["department"] == "'+1+1"
    assert project["unit"] == "'-2+3"
    indicators = read_csv(hostile_site / "data" / "2024" / "indicators.csv")
    assert indicators[0]["level3"] == "'@SUM(1+1)*cmd"
    assert (indicators[0]["target"], indicators[0]["actual"]) == ("'=1+1", "'-1")
    assert indicators[1]["reason"] == "'+说明"
    for row in [project, *indicators]:
        for value in row.values():
            assert not value.startswith(FORMULA_TRIGGERS), value


def test_numbers_are_not_neutralised(hostile_site: Path) -> None:
    [project] = read_csv(hostile_site / "data" / "projects.csv")
    assert project["budget"] == "100.1"
    assert project["executed"] == "0.3"
    assert project["execution_rate"] == "0.3"
    assert project["declared_total"] == "90.3"
    assert project["department_code"] == ""
    assert project["page_url"] == "https://example.org/sub/2024/evil-unit/evil/"


def test_json_keeps_the_original_text(hostile_site: Path) -> None:
    [record] = read_json(hostile_site / "data" / "projects.json")
    assert record["name"] == '=HYPERLINK("https://attacker.example/","点击")'
    assert record["indicators"][0]["target"] == "=1+1"
    assert record["form"]["goals"]["planned"] == "=cmd|' /C calc'!A0"
    assert record["form"]["funding"]["total"]["executed"] == 0.3


def test_hostile_package_is_still_valid(hostile_site: Path) -> None:
    for folder in ("data", "data/2024"):
        assert frictionless_errors(hostile_site / folder / "datapackage.json") == []


def test_projects_that_failed_to_load_are_left_out(hostile_site: Path) -> None:
    assert [r["id"] for r in read_csv(hostile_site / "data" / "projects.csv")] == ["evil"]
    assert not (hostile_site / "2024" / "evil-unit" / "broken").exists()


def test_duplicate_ids_leave_both_files_out(tmp_path: Path) -> None:
    """Both files carry the duplicate-id error (whichever is read first): neither is the
    project at that address, and (year, id) stays a key of the tables."""
    content = tmp_path / "content"
    (content / "2024" / "a-unit").mkdir(parents=True)
    (content / "2024" / "b-unit").mkdir(parents=True)
    (content / "site.yaml").write_text(HOSTILE_SITE, encoding="utf-8")
    (content / "2024" / "a-unit" / "evil.yaml").write_text(HOSTILE_PROJECT, encoding="utf-8")
    (content / "2024" / "b-unit" / "evil.yaml").write_text(HOSTILE_PROJECT, encoding="utf-8")
    site = tmp_path / "site"
    build(content, site)
    assert read_csv(site / "data" / "projects.csv") == []
    assert frictionless_errors(site / "data" / "datapackage.json") == []


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_every_trigger_is_neutralised(trigger: str) -> None:
    assert neutralise_formula(f"{trigger}1") == f"'{trigger}1"
    assert neutralise_formula(f"a{trigger}1") == f"a{trigger}1"


def test_empty_content_writes_empty_tables(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(HOSTILE_SITE, encoding="utf-8")
    site = tmp_path / "site"
    _, written = build(content, site)
    assert read_csv(site / "data" / "projects.csv") == []
    assert csv_header(site / "data" / "indicators.csv") == [c.name for c in INDICATOR_COLUMNS]
    assert read_json(site / "data" / "projects.json") == []
    assert "data/schema/project.schema.json" in written


def test_each_year_gets_its_own_tables(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "2024" / "evil-unit").mkdir(parents=True)
    (content / "2024" / "evil-unit" / "evil.yaml").write_text(HOSTILE_PROJECT, encoding="utf-8")
    site = tmp_path / "site"
    build(content, site)
    every_year = read_csv(site / "data" / "projects.csv")
    assert [row["year"] for row in every_year] == ["2023"] * 6 + ["2024"]
    assert [row["id"] for row in read_csv(site / "data" / "2024" / "projects.csv")] == ["evil"]
    assert len(read_csv(site / "data" / "2023" / "projects.csv")) == 6
    indicators_2024 = read_csv(site / "data" / "2024" / "indicators.csv")
    assert {row["project_id"] for row in indicators_2024} == {"evil"}
    assert read_json(site / "data" / "2024" / "datapackage.json")["name"].endswith("-2024")
    for folder in ("data", "data/2023", "data/2024"):
        assert frictionless_errors(site / folder / "datapackage.json") == []
