"""Policies per form: `policies:` in site.yaml, chosen by year, template family and region.

Selection and merging are table tests of the pure functions; each layout family's policy scores
a small form of that family written into a tmp content folder, through `jixiao check`'s own
code; the errors in `policies:` are located in site.yaml.
"""

from __future__ import annotations

import typing
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup

from builder.build import BuildOptions, build
from builder.config import PdfSettings, SiteConfig
from builder.form.model import Project
from builder.pdf.documents import documents
from builder.pdf.templates import PdfTemplates
from builder.rules.check import check_content, project_record
from builder.rules.policies import (
    DEFAULT_POLICY_NAME,
    SitePolicies,
    merged,
    policy_findings,
    policy_for,
    policy_of_project,
)
from builder.rules.policy import (
    BreachedReversePolicy,
    OverAchievementAction,
    PolicyRule,
    ScoringPolicy,
    TemplateFamily,
)

from .conftest import SITE_YAML, minimal_project, position_of, project_yaml


def rules(*items: dict[str, Any]) -> tuple[PolicyRule, ...]:
    """`policies:` items as site.yaml would give them."""
    return tuple(PolicyRule.model_validate(item) for item in items)


SITE_RULES = rules(
    {"name": "湖北2020", "match": {"year": 2020, "template": "hubei-2020"}},
    {"name": "湖北", "match": {"region": "湖北"}},
    {"name": "银川", "match": {"template": "yinchuan"}},
    {"name": "云南安徽", "match": {"region": ["云南", "安徽"], "year": [2021, 2022]}},
    {"name": "2019", "match": {"year": 2019}},
)


@pytest.mark.parametrize(
    ("year", "template", "region", "expected"),
    [
        pytest.param(2020, "hubei-2020", "湖北", "湖北2020", id="first-match-wins"),
        pytest.param(2020, "hubei-2020", "", "湖北2020", id="region-not-asked"),
        pytest.param(2021, "hubei-2020", "湖北", "湖北", id="other-year-falls-to-region"),
        pytest.param(2020, "central", "湖北武汉", "湖北", id="region-prefix"),
        pytest.param(2020, "central", "武汉湖北", DEFAULT_POLICY_NAME, id="region-not-prefix"),
        pytest.param(2023, "yinchuan", "", "银川", id="template-only"),
        pytest.param(2022, "central", "云南临沧", "云南安徽", id="list-of-regions"),
        pytest.param(2021, "central", "安徽", "云南安徽", id="list-of-years"),
        pytest.param(2023, "central", "安徽", DEFAULT_POLICY_NAME, id="year-not-listed"),
        pytest.param(2019, "sichuan", "", "2019", id="year-only"),
        pytest.param(2023, "central", "", DEFAULT_POLICY_NAME, id="default"),
        pytest.param(2023, "sichuan", "四川", DEFAULT_POLICY_NAME, id="no-match-default"),
    ],
)
def test_policy_for(year: int, template: str, region: str, expected: str) -> None:
    policies = SitePolicies.of(ScoringPolicy(), SITE_RULES)
    assert policy_for(policies, year, template, region).name == expected


def test_a_form_that_names_no_template_or_region_is_central_and_nowhere() -> None:
    policies = SitePolicies.of(
        ScoringPolicy(),
        rules(
            {"name": "地区", "match": {"region": "湖北"}},
            {"name": "中央模板", "match": {"template": "central", "year": 2023}},
        ),
    )
    # The form as the model gives it today (no template, no region) and with both absent/None.
    assert policy_of_project(policies, SimpleNamespace(year=2023)).name == "中央模板"
    bare = SimpleNamespace(year=2023, template=None, region=None)
    assert policy_of_project(policies, bare).name == "中央模板"
    hubei = SimpleNamespace(year=2023, template="hubei-2020", region="湖北")
    assert policy_of_project(policies, hubei).name == "地区"


def test_the_policy_knows_every_template_family_of_the_form() -> None:
    """`match.template` takes the families a project file's `template` may name."""
    field = Project.model_fields["template"]
    assert set(typing.get_args(field.annotation)) == {t.value for t in TemplateFamily}


# --- merging ------------------------------------------------------------------------------------

LOCAL = ScoringPolicy.model_validate(
    {
        "weights": {"execution": 10, "levels": {"产出指标": 50, "效益指标": 30, "满意度指标": 10}},
        "grades": [{"min": 90, "label": "优秀"}, {"min": 0, "label": "其他"}],
        "over_achievement": {"threshold": 1.3, "action": "deduct", "deduct": 0.5},
        "breached_reverse": "zero",
        "execution_reason_below": 60,
        "qualitative_bands": {"partly": {"low": 0.5, "high": 0.8}},
    }
)


def merge(item: dict[str, Any]) -> ScoringPolicy:
    return merged(LOCAL, rules({"name": "x", "match": {"year": 2020}} | item)[0])


def test_a_policy_that_gives_nothing_is_scoring() -> None:
    assert merge({}) == LOCAL


def test_weights_execution_alone_keeps_the_levels_of_scoring() -> None:
    policy = merge({"weights": {"execution": 20}})
    assert policy.weights.execution == 20
    assert policy.weights.levels == LOCAL.weights.levels


def test_weights_levels_replace_the_whole_table() -> None:
    levels = {"项目决策": 10, "项目管理": 25, "项目产出": 30, "项目效益": 35}
    policy = merge({"weights": {"execution": 0, "levels": levels}})
    assert policy.weights.execution == 0
    assert policy.weights.levels == {k: Decimal(v) for k, v in levels.items()}


def test_a_setting_given_replaces_that_setting_wholly() -> None:
    policy = merge(
        {"qualitative_bands": {"missed": {"low": 0, "high": 0.5}}, "over_achievement": {}}
    )
    bands = policy.qualitative_bands
    # `partly` is not taken from scoring: (0.5): the keys left out take the national default.
    assert (bands.partly.low, bands.missed.high) == (Decimal("0.6"), Decimal("0.5"))
    assert policy.over_achievement.action is OverAchievementAction.none
    # What the policy does not give stays as in scoring:.
    assert policy.breached_reverse is BreachedReversePolicy.zero
    assert [g.label for g in policy.grades] == ["优秀", "其他"]


def test_execution_reason_below_null_removes_the_rule_and_absent_keeps_it() -> None:
    assert merge({"execution_reason_below": None}).execution_reason_below is None
    assert merge({}).execution_reason_below == 60


# --- errors in site.yaml ------------------------------------------------------------------------


def write_site(content: Path, policies_yaml: str, scoring_yaml: str = "") -> Path:
    content.mkdir(parents=True, exist_ok=True)
    path = content / "site.yaml"
    text = SITE_YAML if not scoring_yaml else SITE_YAML.split("scoring:")[0] + scoring_yaml
    path.write_text(text + policies_yaml, encoding="utf-8")
    return path


def located(content: Path) -> list[str]:
    result = check_content(content)
    return [
        f"{f.file.as_posix()}:{f.line}:{f.column}: {f.finding.code}" for f in result.all_findings()
    ]


def test_duplicate_names_and_unreachable_matches_are_located(tmp_path: Path) -> None:
    content = tmp_path / "content"
    site = write_site(
        content,
        """\
policies:
  - name: 湖北
    match: {region: 湖北}
  - name: 湖北2020
    match:
      year: 2020
      region: 湖北武汉
  - name: 湖北
    match: {year: 2021}
  - name: 全部
    match: {}
  - name: 默认规则
    match: {template: [sichuan, yinchuan]}
""",
    )
    lines = site.read_text(encoding="utf-8").splitlines()
    second_hubei = [n for n, line in enumerate(lines, 1) if line == "  - name: 湖北"][1]
    assert located(content) == [
        position_of(site, "year: 2020") + ": policy-never-applies",
        f"{site.as_posix()}:{second_hubei}:11: policy-duplicate-name",
        position_of(site, "{}") + ": policy-never-applies",
        position_of(site, "默认规则") + ": policy-duplicate-name",
        # After the match of everything, nothing is reached.
        position_of(site, "{template") + ": policy-never-applies",
    ]


def test_a_narrower_policy_before_a_broader_one_is_fine() -> None:
    assert not policy_findings(
        rules(
            {"name": "a", "match": {"year": 2020, "region": "湖北武汉"}},
            {"name": "b", "match": {"region": "湖北"}},
            {"name": "c", "match": {"region": ["湖北", "云南"]}},
            {"name": "d", "match": {"template": "sichuan"}},
        )
    )


@pytest.mark.parametrize(
    ("item", "where"),
    [
        ("match: {template: guangdong}", "guangdong"),
        ("match: {year: 1999}", "1999"),
        ("match: {region: ''}", "''"),
        ("match: {year: 2020}\n    total: ~", "~"),
        ("match: {year: 2020}\n    breached_reverse: linaer", "linaer"),
        ("match: {year: 2020}\n    grades: [{min: 50, label: 优}]", "[{min"),
        ("match: {year: 2020}\n    weights: {execution: -1}", "-1"),
        ("match: {year: 2020}\n    colour: red", "red"),
    ],
)
def test_bad_fields_are_located_errors(tmp_path: Path, item: str, where: str) -> None:
    content = tmp_path / "content"
    site = write_site(content, f"policies:\n  - name: 某地\n    {item}\n")
    found = located(content)
    assert len(found) == 1, found
    assert found[0].startswith(position_of(site, where) + ": schema")


# --- each family's policy scores a form of that family ------------------------------------------

FAMILIES = """\
policies:
  - name: 湖北2020
    match: {year: 2020}
    note: 湖北2020项目自评表备注:预算执行情况 20 分;定性指标 100-80、80-50、50-0。
    weights: {execution: 20}
    qualitative_bands:
      achieved: {low: 0.8, high: 1}
      partly: {low: 0.5, high: 0.8}
      missed: {low: 0, high: 0.5}
  - name: 银川
    match: {year: 2021}
    weights:
      execution: 0
      levels: {项目决策: 10, 项目管理: 25, 项目产出: 30, 项目效益: 35}
  - name: 四川
    match: {year: 2022}
    grades:
      - {min: 90, label: 优}
      - {min: 80, label: 良}
      - {min: 60, label: 中}
      - {min: 0, label: 差}
  - name: 反向线性
    match: {year: 2019}
    breached_reverse: linear
"""


def row(level1: str, name: str, target: str, actual: str, weight: int, **more: Any) -> dict:
    """One 三级指标 row of a small form."""
    return {
        "level1": level1,
        "level2": "指标",
        "name": name,
        "target": target,
        "actual": actual,
        "weight": weight,
        **more,
    }


def family_form(year: int, **changes: Any) -> dict[str, Any]:
    return minimal_project(id=f"form-{year}", year=year, filled_on=f"{year}-12-25", **changes)


HUBEI = family_form(
    2020,
    funding={"total": {"initial": 15600, "budget": 15600, "executed": 15600}},
    weights={"levels": {"产出指标": 40, "效益指标": 30, "满意度指标": 10}},
    indicators=[
        row("产出指标", "补贴渔船数", "66艘", "66艘", 40, score=40),
        # 53 % of the 分值: inside Hubei's 部分达成 band (50–80 %), below the national (60–80 %).
        row("效益指标", "社会效益", "有效保障", "部分达成年度指标并具有一定效果", 30, score=16),
        row("满意度指标", "满意度", "≥90%", "90%", 10, score=10),
    ],
    declared={"execution_score": 20, "total": 86},
)

YINCHUAN = family_form(
    2021,
    funding={"total": {"initial": 1000, "budget": 1000, "executed": 800}},
    indicators=[
        row("项目决策", "立项依据充分性", "充分", "达成年度指标", 10, score=10),
        # 预算执行率 is an ordinary row of 项目管理, scored B/A as any 正向 row: 80 % of 95 %.
        row("项目管理", "预算执行率", "≥95%", "80%", 25, score=21.05),
        row("项目产出", "完成数量", "≥100人", "100人", 30, score=30),
        row("项目效益", "满意度", "≥90%", "95%", 35, score=35),
    ],
    declared={"total": 96.05},
)

SICHUAN = family_form(
    2022,
    indicators=[
        row("产出指标", "发放人数", "≥100人", "85人", 50, score=42.5),
        row("效益指标", "社会效益", "有效保障", "达成年度指标", 30, score=30),
        row("满意度指标", "满意度", "≥95%", "95%", 10, score=10),
    ],
    declared={"total": 92.5, "grade": "优"},
)

LINEAR = family_form(
    2019,
    indicators=[
        row("产出指标", "发放人数", "≥100人", "100人", 40, score=40),
        row("产出指标", "投诉件数", "≤10件", "15件", 10, score=5),
        row("效益指标", "社会效益", "有效保障", "达成年度指标", 30, score=30),
        row("满意度指标", "满意度", "≥95%", "95%", 10, score=10),
    ],
    declared={"total": 95},
)


@pytest.fixture
def families(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The four family forms checked together under FAMILIES, and one 2023 form under the
    default: id -> its `check --json` record."""
    content = tmp_path / "content"
    write_site(content, FAMILIES)
    for data in (HUBEI, YINCHUAN, SICHUAN, LINEAR, minimal_project()):
        folder = content / str(data["year"]) / "ceshi"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{data['id']}.yaml").write_text(
            project_yaml(data).replace(f"'{data['year']}-12-25'", f"{data['year']}-12-25"),
            encoding="utf-8",
        )
    result = check_content(content)
    assert not result.config_findings
    return {c.project.id: project_record(c) for c in result.projects if c.project}


def codes(record: dict[str, Any]) -> list[str]:
    return [f["code"] for f in record["findings"]]


def test_hubei_2020_execution_20_and_its_qualitative_bands(families: dict) -> None:
    record = families["form-2020"]
    assert record["policy"] == "湖北2020"
    computed = record["computed"]
    assert (computed["execution_rate"], computed["execution_score"]) == (100, 20)
    # The declared 16 lies in Hubei's band (15–24 of 30) and is kept; no finding about it.
    assert computed["indicators"][1]["score"] == 16
    assert (computed["indicators"][1]["low"], computed["indicators"][1]["high"]) == (15, 24)
    assert computed["total"] == 86
    assert "score-below-band" not in codes(record)
    assert "weights-total" not in codes(record)


def test_hubei_form_under_the_national_bands_would_be_lifted(tmp_path: Path) -> None:
    """The same form scored by the default (national) rules: 16 is below 18, the band's floor."""
    content = tmp_path / "content"
    write_site(content, "")
    folder = content / "2020" / "ceshi"
    folder.mkdir(parents=True)
    (folder / "form-2020.yaml").write_text(project_yaml(HUBEI), encoding="utf-8")
    (checked,) = check_content(content).projects
    record = project_record(checked)
    assert record["policy"] == DEFAULT_POLICY_NAME
    assert record["computed"]["indicators"][1]["score"] == 18
    assert "score-below-band" in codes(record)


def test_yinchuan_levels_and_execution_as_an_ordinary_row(families: dict) -> None:
    record = families["form-2021"]
    assert record["policy"] == "银川"
    computed = record["computed"]
    assert computed["execution_score"] == 0
    assert computed["levels"] == {"项目决策": 10, "项目管理": 21.05, "项目产出": 30, "项目效益": 35}
    assert computed["total"] == 96.05
    assert not [c for c in codes(record) if c.startswith("weights") or c == "unknown-level"]


def test_sichuan_grades_its_own_labels(families: dict) -> None:
    record = families["form-2022"]
    assert record["policy"] == "四川"
    assert (record["computed"]["total"], record["computed"]["grade"]) == (92.5, "优")
    assert "grade-mismatch" not in codes(record)


def test_linear_reverse_policy_scores_its_year_only(families: dict) -> None:
    """反向 linear to 2A (`formulas.breached_reverse_linear`): 10 × (2 − 15/10) = 5."""
    record = families["form-2019"]
    assert record["policy"] == "反向线性"
    assert record["computed"]["indicators"][1] == {
        "score": 5,
        "rule": "reverse_breached",
        "kind": "quantitative",
        "low": 5,
        "high": 5,
    }
    assert record["computed"]["total"] == 95


def test_a_form_no_policy_matches_keeps_the_default(families: dict) -> None:
    record = families["ceshi-xiangmu"]
    assert record["policy"] == DEFAULT_POLICY_NAME
    assert (record["computed"]["total"], record["computed"]["grade"]) == (100, "优秀")


def test_grade_labels_of_every_policy() -> None:
    config = SiteConfig.model_validate(
        {
            "title": "t",
            "base_url": "https://e.org/",
            "policies": [
                {
                    "name": "四川",
                    "match": {"year": 2022},
                    "grades": [
                        {"min": 90, "label": "优"},
                        {"min": 60, "label": "合格"},
                        {"min": 0, "label": "差"},
                    ],
                }
            ],
        }
    )
    assert SitePolicies.of_config(config).grade_labels == ["优", "良", "中", "差", "合格"]


# --- the pages ----------------------------------------------------------------------------------


@pytest.fixture
def family_site(tmp_path: Path) -> Path:
    """The family forms and a default one, built into a site (no PDFs, no search index)."""
    content = tmp_path / "content"
    write_site(content, FAMILIES)
    for data in (HUBEI, YINCHUAN, SICHUAN, LINEAR, minimal_project()):
        folder = content / str(data["year"]) / "ceshi"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{data['id']}.yaml").write_text(project_yaml(data), encoding="utf-8")
    site = tmp_path / "site"
    options = BuildOptions(content, site, tmp_path / "cache", jobs=1, search=False, pdf=False)
    build(options)
    return site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize(
    ("page", "name", "anchor"),
    [
        ("2020/ceshi/form-2020", "湖北2020", "policy-1"),
        ("2021/ceshi/form-2021", "银川", "policy-2"),
        ("2023/ceshi/ceshi-xiangmu", DEFAULT_POLICY_NAME, "policy-0"),
    ],
)
def test_project_page_names_its_policy(
    family_site: Path, page: str, name: str, anchor: str
) -> None:
    used = soup(family_site / page / "index.html").select_one("p.policy-used")
    assert used is not None and used.get_text(strip=True) == f"评分规则:{name}"
    link = used.find("a")
    assert link["href"] == f"../../../methodology/#{anchor}"
    methodology = soup(family_site / "methodology/index.html")
    section = methodology.find(id=anchor)
    assert section is not None and section.find("h3").get_text(strip=True) == name


def rows_of(section: Any) -> dict[str, tuple[str, bool]]:
    """label -> (value, marked 地方规则) of a policy's table on the methodology page."""
    out = {}
    for tr in section.select("tbody tr"):
        label, value, source = (cell.get_text(strip=True) for cell in tr.find_all(["th", "td"]))
        assert (source == "地方规则") == ("local" in (tr.get("class") or []))
        out[label] = (value, source == "地方规则")
    return out


def test_methodology_shows_each_policy_and_marks_what_is_local(family_site: Path) -> None:
    page = soup(family_site / "methodology/index.html")
    sections = page.select("section.policy")
    assert [s.find("h3").get_text(strip=True) for s in sections] == [
        DEFAULT_POLICY_NAME,
        "湖北2020",
        "银川",
        "四川",
        "反向线性",
    ]
    default, hubei, yinchuan, sichuan, linear = (rows_of(s) for s in sections)
    # The default of the test site differs from the national rules only in its grade labels.
    assert [label for label, (_, local) in default.items() if local] == ["等次"]
    assert hubei["预算执行率分值"] == ("20 分", True)
    assert hubei["定性指标:达成年度指标"] == ("分值的 100%–80%", False)
    assert hubei["定性指标:部分达成年度指标并具有一定效果"] == ("分值的 80%–50%", True)
    assert hubei["定性指标:未达成年度指标且效果较差"] == ("分值的 50%–0%", True)
    assert hubei["产出指标分值"] == ("50 分", False)
    assert yinchuan["预算执行率分值"] == ("0 分", True)
    assert {k: v for k, v in yinchuan.items() if k.endswith("分值") and k != "预算执行率分值"} == {
        "项目决策分值": ("10 分", True),
        "项目管理分值": ("25 分", True),
        "项目产出分值": ("30 分", True),
        "项目效益分值": ("35 分", True),
    }
    assert sichuan["等次"] == ("优 90 分及以上;良 80–90 分;中 60–80 分;差 低于 60 分", False)
    assert linear["反向指标超标(指标值 A,实际值 B)"] == ("w × (2 − B÷A),B 达到 2A 时为 0 分", True)
    hubei_text = sections[1].get_text(" ", strip=True)
    assert "适用于:年度 2020" in hubei_text and "定性指标 100-80、80-50、50-0" in hubei_text
    # execution 20, two bands, and the grade labels (优秀…) it takes from scoring:
    assert "其中 4 项为地方规则" in hubei_text


def test_grades_of_other_policies_are_listed_where_a_form_earned_them(family_site: Path) -> None:
    """The search page's 等次 choices: the default's labels, then 优 (the Sichuan form's), not
    良 / 中 / 差, which no form earned."""
    options = soup(family_site / "search/index.html").select("#f-grade option")
    assert [o.get_text(strip=True) for o in options] == [
        "全部",
        "优秀",
        "良好",
        "合格",
        "不合格",
        "优",
    ]


@pytest.mark.parametrize(
    ("form_id", "weights", "execution_weight"),
    [
        ("form-2020", {}, ""),
        ("form-2020", {"execution": 20}, "20"),
        ("form-2021", {}, ""),
        ("ceshi-xiangmu", {}, ""),
        ("ceshi-xiangmu", {"execution": 10}, "10"),
    ],
)
def test_the_pdf_prints_the_execution_weight_the_form_prints_and_no_policy_s(
    tmp_path: Path, form_id: str, weights: dict[str, int], execution_weight: str
) -> None:
    """The 年度资金总额 row of the PDF prints the execution 分值 the form prints, and none where
    it prints none: the policy that scored it (20 for 湖北2020, 0 for 银川, 10 by default) is
    the rules', not the form's (the annex gives the score it computes from it)."""
    content = tmp_path / "content"
    write_site(content, FAMILIES)
    for data in (HUBEI, YINCHUAN, minimal_project()):
        data = {**data, "weights": {**data.get("weights", {}), **weights}}
        if data["id"] != form_id:
            data["weights"] = {k: v for k, v in data["weights"].items() if k != "execution"}
        folder = content / str(data["year"]) / "ceshi"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{data['id']}.yaml").write_text(project_yaml(data), encoding="utf-8")
    result = check_content(content)
    forms, _ = documents(result, PdfSettings(booklets=False, annex=False), PdfTemplates("t"))
    (form,) = [d for d in forms if d.site_path.endswith(f"/{form_id}.pdf")]
    total_row = BeautifulSoup(form.html, "html.parser").find("th", string="年度资金总额:").parent
    cells = [td.get_text(strip=True) for td in total_row.find_all("td")]
    assert cells[3] == execution_weight
