"""Forms as printed, published (issue 12): the pages, the PDF's form, the open data and the
department listings show what the form prints and nothing it does not; departments are who
they are; and every existing file reads, dumps and scores as before (migration)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from builder import urls
from builder.build import BuildOptions, build
from builder.form.load import load_project
from builder.form.model import Project
from builder.form.schema import SCHEMA_DIR
from builder.opendata.export import write_open_data
from builder.pdf.templates import PdfTemplates, form_view
from builder.publish.changes import _comparable
from builder.rules.check import check_content
from builder.rules.policy import ScoringPolicy
from builder.rules.score import score_project
from tests.conftest import MINIMAL_PROJECT, minimal_project, write_project

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


def _printed_form() -> dict[str, Any]:
    """A central-template form of another province: amounts in 万元 as a list of rows, no
    填报日期, a department without a code, a placeholder row and a row without 分值."""
    data = minimal_project(
        id="shuihan-fangyu",
        department={"name": "部门甲"},
        funding={
            "amount_unit": "万元",
            "rows": [
                {
                    "name": "年度资金总额:",
                    "total": True,
                    "initial": 880,
                    "budget": 880,
                    "executed": "880.0000",
                },
                {"name": "其中:本年财政拨款", "initial": 880, "budget": 880, "executed": 880},
                {"name": "上年结转资金", "budget": "-", "executed": "-"},
            ],
        },
        region="安徽滁州",
    )
    del data["filled_on"]
    data["indicators"].insert(1, {"level1": "产出指标", "level2": "数量指标", "name": "指标2:"})
    data["indicators"].append(
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "其中:受益人口",
            "target": "≥50人",
            "actual": "52人",
            "score": 0,
        }
    )
    return data


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(content, site): the form above, two more departments without a code (one of another
    name, one blank) and one with a code, built without PDFs."""
    root = tmp_path_factory.mktemp("printed")
    content = root / "content"
    content.mkdir()
    (content / "site.yaml").write_text(
        "title: 测试站点\nbase_url: https://example.org/\n", encoding="utf-8"
    )
    write_project(content, _printed_form(), "a.yaml")
    write_project(content, minimal_project(id="bumen-yi", department={"name": "部门乙"}), "b.yaml")
    write_project(content, minimal_project(id="kongbai", department={"name": ""}), "c.yaml")
    write_project(content, minimal_project(id="you-daima"), "d.yaml")
    cut = minimal_project(id="jieduan")
    cut["partial"] = {"missing": ["indicators", "remarks"], "note": "原网页在绩效指标表中截断"}
    write_project(content, cut, "e.yaml")
    site = root / "site"
    build(BuildOptions(content=content, site=site, cache=root / "cache", pdf=False))
    return content, site


def _page(site: Path, project_id: str) -> str:
    return (site / "2023" / "ceshi" / project_id / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "name", "key"),
    [
        ("502", "测试局", "502"),
        ("502", "另一个名称", "502"),
        ("", "", ""),
    ],
)
def test_department_key_with_code_or_without_name(code: str, name: str, key: str) -> None:
    assert urls.department_key(code, name) == key


def test_departments_without_code_are_told_apart_by_name() -> None:
    first, second = urls.department_key("", "部门甲"), urls.department_key("", "部门乙")
    assert first != second and first.startswith("none-") and second.startswith("none-")
    assert urls.department_key("", "部门甲") == first  # the same name: the same department
    assert urls.department_dir(2023, first) != urls.department_dir(2023, "")


def test_departments_are_never_merged_and_no_empty_brackets(
    printed_site: tuple[Path, Path],
) -> None:
    _, site = printed_site
    folders = sorted(p.name for p in (site / "2023").iterdir() if p.name.startswith("dept-"))
    assert len(folders) == 4 and "dept-502" in folders and "dept-none" in folders
    ids = ("shuihan-fangyu", "bumen-yi", "kongbai", "you-daima")
    for folder in folders:  # each department's listing holds its own project only
        listing = (site / "2023" / folder / "index.html").read_text(encoding="utf-8")
        assert sum(f"{i}/" in listing for i in ids) == 1, folder
    pages = [_page(site, i) for i in ("shuihan-fangyu", "bumen-yi", "kongbai", "you-daima")]
    assert all("[]" not in page for page in pages)
    assert "[502]测试局" in pages[3]
    assert 'data-pagefind-filter="主管部门"' not in pages[2]  # no empty search filter


def test_the_page_shows_the_form_as_printed(printed_site: tuple[Path, Path]) -> None:
    _, site = printed_site
    page = _page(site, "shuihan-fangyu")
    assert "项目资金(万元)" in page
    assert "其中:本年财政拨款" in page and "上年结转资金" in page
    assert "880.00" in page and ">-<" in page  # as printed: 万元, the dash kept
    assert "未填" in page and "<time" not in page.split("填报日期")[1][:80]
    table = page.split('id="indicators"')[1]
    assert "指标2:" not in table  # the placeholder row is not shown (a note says why)
    assert "其中:受益人口" in page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    entry = next(line for line in sitemap.splitlines() if "shuihan-fangyu" in line)
    assert "<lastmod>" not in entry  # no date is made up


def test_open_data_reads_wan_yuan_in_yuan_and_leaves_out_placeholders(
    printed_site: tuple[Path, Path], tmp_path: Path
) -> None:
    content, _ = printed_site
    result = check_content(content)
    assert result.config is not None
    write_open_data(result, result.config, tmp_path)
    lines = (tmp_path / "data" / "2023" / "projects.csv").read_text(encoding="utf-8-sig")
    row = next(line for line in lines.splitlines() if "shuihan-fangyu" in line)
    assert ",8800000,8800000,8800000," in row
    indicators = (tmp_path / "data" / "2023" / "indicators.csv").read_text(encoding="utf-8-sig")
    mine = [line for line in indicators.splitlines() if "shuihan-fangyu" in line]
    assert len(mine) == 4 and not any("指标2:" in line for line in mine)
    assert any(",no_weight," in line for line in mine)
    schema = json.loads((SCHEMA_DIR / "project.schema.json").read_text(encoding="utf-8"))
    records = json.loads((tmp_path / "data" / "2023" / "projects.json").read_text("utf-8"))
    for record in records["projects"] if isinstance(records, dict) else records:
        jsonschema.validate(record["form"], schema)
        if record["id"] == "shuihan-fangyu":
            assert "filled_on" not in record["form"]
            assert record["form"]["funding"]["rows"][0]["executed"] == "880.0000"


def test_the_pdf_form_prints_blank_what_the_form_leaves_blank(tiny_content: Path) -> None:
    write_project(tiny_content, _printed_form())
    (checked,) = check_content(tiny_content).projects
    html = PdfTemplates("测试站点").form(form_view(checked, with_annex=True))
    assert "填报日期:</span>" in html
    assert "(万元)" in html and "其中:本年财政拨款" in html and "880.0000" in html
    assert "指标2:" not in html.split("附:复核计算结果")[0]
    assert 'name="dcterms.created"' not in html


# --- migration -----------------------------------------------------------------------------

EXISTING = sorted(p for p in CONTENT.rglob("*.yaml") if p.name != "site.yaml")


@pytest.mark.parametrize("path", EXISTING, ids=lambda p: p.stem)
def test_every_existing_file_reads_and_dumps_as_written(path: Path) -> None:
    """Nothing added, nothing lost: the dump of an existing file says what the file says, and
    reads back as a form that scores the same."""
    loaded = load_project(path)
    assert loaded.findings == [] and loaded.project is not None
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    dumped = loaded.project.model_dump(mode="python")
    assert _comparable(_without_defaults(dumped, written)) == _comparable(written)
    again = Project.model_validate(copy.deepcopy(dumped))
    policy = ScoringPolicy()
    assert score_project(again, policy) == score_project(loaded.project, policy)


def _without_defaults(dumped: Any, written: Any) -> Any:
    """The dump with the keys the file leaves out and the model has always written (a
    default such as contact: "" or score: null) taken away, to compare with the file."""
    if isinstance(dumped, dict) and isinstance(written, dict):
        return {k: _without_defaults(v, written[k]) for k, v in dumped.items() if k in written}
    if isinstance(dumped, list) and isinstance(written, list):
        return [_without_defaults(d, w) for d, w in zip(dumped, written, strict=True)]
    return dumped


def test_the_seed_forms_score_as_before() -> None:
    result = check_content(CONTENT)
    totals = sorted(c.score.total for c in result.projects if c.score is not None)
    assert totals == sorted(Decimal(t) for t in ("92.01", "97.5", "90", "100", "100", "100"))
    assert result.count("error") == 0


def test_the_fixture_form_scores_as_before(tiny_content: Path) -> None:
    write_project(tiny_content, copy.deepcopy(MINIMAL_PROJECT))
    (checked,) = check_content(tiny_content).projects
    assert checked.score is not None and checked.score.total == Decimal(100)
    assert checked.located == []


def test_a_form_cut_in_its_indicators_says_its_total_is_not_whole(
    printed_site: tuple[Path, Path],
) -> None:
    page = BeautifulSoup(_page(printed_site[1], "jieduan"), "html.parser")
    banner = page.select_one("p.status.partial").get_text()
    assert "缺:绩效指标、备注" in banner and "原网页在绩效指标表中截断" in banner
    assert "不是完整的总分" in banner
