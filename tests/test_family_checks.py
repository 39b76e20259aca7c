"""What a new user's check of issue 12 found the rules still getting wrong, each as a kind, with
inputs of the same kind written as small forms into a tmp folder:

- a form its source cut off was compared with its incomplete total (total-mismatch,
  total-not-sum, grade-mismatch), graded, and counted in averages and grade distributions;
- rows of a form without a 分值 column were never checked at all (an empty 实际完成值, % against a
  bare 0.98), and its page said the scores agreed;
- the printed 二级 weights (`weights.level2`) were never checked;
- an unquoted number in a 年度指标值 / 实际完成值 cell held the form back; fraction-or-percent
  always quoted 0.98; a form's placeholder rows gave one note each.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.build import BuildOptions, build
from builder.cli import main
from builder.form.load import load_project
from builder.pdf.annex import annex_view
from builder.rules.check import CheckedProject, check_content
from builder.rules.findings import Finding, Severity
from builder.rules.wording import chinese
from builder.site.project_view import project_view

from .conftest import minimal_project, position_of, write_project

HUBEI_SITE = """\
title: 测试站点
base_url: https://example.org/
scoring:
  grades:
    - {min: 90, label: 优秀}
    - {min: 80, label: 良好}
    - {min: 60, label: 合格}
    - {min: 0, label: 不合格}
policies:
  - name: 湖北2020
    match: {template: hubei-2020}
    weights: {execution: 20}
"""


def _checked(content: Path, data: dict[str, Any] | str, name: str = "x.yaml") -> CheckedProject:
    write_project(content, data, name=name)
    (checked,) = [c for c in check_content(content).projects if c.file.name == name]
    return checked


def _codes(checked: CheckedProject) -> list[str]:
    return [f.finding.code for f in checked.located]


def _found(checked: CheckedProject, code: str) -> list[Finding]:
    return [f.finding for f in checked.located if f.finding.code == code]


def _build(content: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    build(
        BuildOptions(content=content, site=site, cache=tmp_path / "cache", search=False, pdf=False)
    )
    return site


# --- 1. a form cut off: its total is of a part, compared with nothing, and earns no grade ---


def _cut(missing: list[str], **declared: Any) -> dict[str, Any]:
    """The minimal form with only its first row (50) and the declared total 95 / 优秀."""
    data = minimal_project(
        declared={"execution_score": 10, "total": 95, "grade": "优秀", **declared}
    )
    data["indicators"] = data["indicators"][:1]
    data["indicators"][0]["score"] = 50
    data["partial"] = {"missing": missing, "note": "源文件在此处截断"}
    return data


@pytest.mark.parametrize(
    ("missing", "total"),
    [
        (["indicators"], "60"),
        (["indicators", "declared"], "60"),
        (["funding", "indicators"], "60"),  # the execution row's printed 10 is kept
    ],
)
def test_a_cut_form_is_compared_with_nothing_and_earns_no_grade(
    tiny_content: Path, missing: list[str], total: str
) -> None:
    data = _cut(missing)
    if "funding" in missing:
        del data["funding"]
    checked = _checked(tiny_content, data)
    assert checked.score is not None and checked.score.incomplete
    assert checked.score.total == Decimal(total) and checked.score.grade is None
    codes = _codes(checked)
    for code in ("total-mismatch", "total-not-sum", "grade-mismatch", "execution-unchecked"):
        assert code not in codes
    assert "partial-form" in codes and checked.count(Severity.warning) == 0
    (note,) = _found(checked, "total-unchecked")
    assert note.severity is Severity.note and note.path == ("declared", "total")
    message, _ = chinese(note)
    assert "无法核对" in message and "95" in message and "优秀" in message


def test_a_form_cut_where_the_rules_do_not_score_is_compared_and_graded(
    tiny_content: Path,
) -> None:
    checked = _checked(tiny_content, _cut(["remarks"]))
    assert checked.score is not None and not checked.score.incomplete
    assert checked.score.grade == "合格"  # 60: a whole total, graded
    codes = _codes(checked)
    assert {"total-mismatch", "total-not-sum", "grade-mismatch"} <= set(codes)
    assert "total-unchecked" not in codes


@pytest.mark.parametrize(
    ("conclusion", "path"),
    [
        ("单位自评得分95分,自评等次为优秀。", ("declared", "conclusion")),
        ("自评等次为优秀。", ("declared", "conclusion")),
    ],
)
def test_a_cut_form_that_states_its_total_in_words_is_not_compared_either(
    tiny_content: Path, conclusion: str, path: tuple[str, ...]
) -> None:
    data = _cut(["indicators"])
    data["declared"] = {"execution_score": 10, "conclusion": conclusion}
    checked = _checked(tiny_content, data)
    codes = _codes(checked)
    assert not {"conclusion-total-mismatch", "conclusion-grade-mismatch"} & set(codes)
    (note,) = _found(checked, "total-unchecked")
    assert note.path == path


def test_the_json_record_says_the_total_is_incomplete_and_has_no_grade(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tiny_content, _cut(["indicators", "declared"]))
    main(["check", "--json", "--content", str(tiny_content), "--jobs", "1"])
    (record,) = json.loads(capsys.readouterr().out)["projects"]
    assert record["computed"]["incomplete"] is True and record["computed"]["grade"] is None


@pytest.mark.parametrize(
    ("missing", "level_sum", "total_sum"),
    [
        # The form prints 产出指标 (60分), 110 in all, over rows of 50: with its funding table
        # cut, the indicator table is whole and its 三级 分值 are summed; the execution row's
        # printed 分值 may be in the part cut off, so the whole is not.
        (["funding"], True, False),
        (["remarks"], True, True),
        (["indicators"], False, False),
    ],
)
def test_the_weights_are_summed_where_the_part_they_add_up_is_whole(
    tiny_content: Path, missing: list[str], level_sum: bool, total_sum: bool
) -> None:
    levels = {"产出指标": 60, "效益指标": 30, "满意度指标": 10}
    data = minimal_project(partial={"missing": missing}, weights={"levels": levels})
    if "funding" in missing:
        del data["funding"]
    codes = _codes(_checked(tiny_content, data))
    assert ("weights-level-sum" in codes) is level_sum
    assert ("weights-total" in codes) is total_sum


@pytest.mark.parametrize(("actual", "said"), [("≤50万元", False), ("≤150万元", True)])
def test_cost_rows_of_a_cut_table_are_said_only_when_they_pass_the_funds(
    tiny_content: Path, actual: str, said: bool
) -> None:
    """The rows there add up to less than executed: the rest may be in the part cut off."""
    data = minimal_project(
        funding={"total": {"budget": 1000000, "executed": 1000000}},
        partial={"missing": ["indicators"]},
    )
    data["indicators"][0].update(level2="成本指标", name="项目总成本", target="≤100万元")
    data["indicators"][0]["actual"] = actual
    assert ("cost-vs-executed" in _codes(_checked(tiny_content, data))) is said


def test_the_pdf_annex_compares_no_total_of_a_cut_form(tiny_content: Path) -> None:
    checked = _checked(tiny_content, _cut(["indicators"]))
    assert checked.score is not None
    lines = {line.label: line for line in annex_view(checked, checked.score).figures}
    assert lines["总分"].computed == "60(不完整)" and not lines["总分"].differs
    assert lines["自评等次"].computed.startswith("不评等次") and not lines["自评等次"].differs


def test_cut_forms_count_in_no_average_and_no_grade_distribution(
    tiny_content: Path, tmp_path: Path
) -> None:
    write_project(tiny_content, _cut(["indicators"]), name="a.yaml")
    second = _cut(["indicators", "declared"])
    del second["declared"]
    write_project(tiny_content, {**second, "id": "cut-two"}, name="b.yaml")
    write_project(tiny_content, {**minimal_project(), "id": "whole"}, name="c.yaml")
    site = _build(tiny_content, tmp_path)
    year = BeautifulSoup((site / "2023" / "index.html").read_text("utf-8"), "html.parser")
    figures = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in year.select("dl.figures > div")
    }
    assert figures["平均复核总分"] == "100.00不含 2 张不完整的表"  # the whole form's 100 only
    counts = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in year.select("table.small tbody tr")
    }
    assert counts == {"优秀": "1", "良好": "0", "合格": "0", "不合格": "0"}
    assert "不含 2 张不完整的表" in year.select_one("section[aria-labelledby^=grades]").get_text()
    text = (site / "data" / "projects.csv").read_bytes().decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert [rows[i]["incomplete"] for i in ("ceshi-xiangmu", "cut-two", "whole")] == [
        "true",
        "true",
        "false",
    ]
    assert rows["cut-two"]["computed_grade"] == "" and rows["whole"]["computed_grade"] == "优秀"
    package = json.loads((site / "data" / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for r in package["resources"] for f in r["schema"]["fields"]}
    assert fields["incomplete"]["type"] == "boolean" and "不完整" in fields["incomplete"]["title"]
    page = (site / "2023" / "ceshi" / "cut-two" / "index.html").read_text("utf-8")
    assert "None" not in page and "不评等次" in page


# --- 3. a form without a 分值 column: every check that needs no 分值, and an honest banner ---


def _hubei(content: Path, *rows: dict[str, Any]) -> dict[str, Any]:
    (content / "site.yaml").write_text(HUBEI_SITE, encoding="utf-8")
    return minimal_project(
        template="hubei-2020",
        weights={"execution": 20},
        indicators=[
            {"level1": "产出指标", "level2": "数量指标", "name": f"指标{i}项", **row}
            for i, row in enumerate(rows)
        ],
        declared={"execution_score": 20},
    )


# A row's cells (no 分值 printed) -> the finding a row with 分值 would get, and its severity.
UNWEIGHTED = [
    ({"target": "6", "actual": "", "score": 10}, "actual-missing", "actual"),
    ({"target": "≥90%", "actual": "0.95", "score": 30}, "fraction-or-percent", "actual"),
    ({"target": "有效", "actual": "群众满意", "score": 20}, "actual-no-band", "actual"),
    ({"target": "", "actual": "100人", "score": 5}, "target-missing", "target"),
    ({"target": "≥100人", "actual": "100万元", "score": 5}, "units-differ", "actual"),
    (
        {"target": "2023年12月31日前", "actual": "2024年1月5日", "score": 5},
        "deadline-missed",
        "actual",
    ),
    (
        {"nature": "定量", "target": "有效保障", "actual": "达成年度指标", "score": 5},
        "value-not-quantitative",
        "target",
    ),
]


@pytest.mark.parametrize(("cells", "code", "cell"), UNWEIGHTED, ids=[c for _, c, _ in UNWEIGHTED])
def test_a_row_without_weight_still_gets_every_check_that_needs_none(
    tiny_content: Path, cells: dict[str, Any], code: str, cell: str
) -> None:
    checked = _checked(tiny_content, _hubei(tiny_content, cells))
    assert checked.score is not None
    assert checked.score.indicators[0].score == Decimal(cells["score"])  # kept, as declared
    (finding,) = _found(checked, code)
    assert finding.severity is Severity.warning
    assert finding.path == ("indicators", 0, cell)
    message, _ = chinese(finding, checked.project)
    assert "None" not in message and "满分" not in message and "表上未印分值" in message
    assert "no-weight" in _codes(checked)  # and the row is still said to have no 分值


def test_an_unreadable_cell_is_an_error_whether_or_not_the_row_has_weight(
    tiny_content: Path,
) -> None:
    checked = _checked(tiny_content, _hubei(tiny_content, {"target": "≥abc%", "actual": "1"}))
    (finding,) = _found(checked, "value-unreadable")
    assert finding.severity is Severity.error


def test_a_row_without_weight_whose_cells_agree_gets_only_its_note(tiny_content: Path) -> None:
    checked = _checked(tiny_content, _hubei(tiny_content, {"target": "90%", "actual": "95%"}))
    assert _codes(checked) == ["no-weight"]


@pytest.mark.parametrize(
    ("rows", "sentence"),
    [
        # Every row of the minimal form checked: only then do the scores "agree".
        (None, "申报分数与按评分规则复核的结果一致(绩效指标 3 行已全部核对)"),
        # One row of four without 分值: no disagreement, but one row not checked.
        (1, "按评分规则核对了 3 行,其余 1 行未能核对"),
        # A form without a 分值 column, whose cells give nothing to warn of.
        ("hubei", "绩效指标 1 行均未能按评分规则核对"),
    ],
)
def test_the_page_says_how_many_rows_the_rules_could_check(
    tiny_content: Path, tmp_path: Path, rows: Any, sentence: str
) -> None:
    if rows == "hubei":
        data = _hubei(tiny_content, {"target": "90%", "actual": "95%", "score": 10})
    else:
        data = minimal_project()
        if rows:
            data["indicators"].append(
                {"level1": "产出指标", "level2": "数量指标", "name": "其中:甲", "score": 0}
                | {"target": "≥1人", "actual": "1人"}
            )
    checked = _checked(tiny_content, data, name="ceshi-xiangmu.yaml")
    assert checked.count(Severity.warning) == 0
    site = _build(tiny_content, tmp_path)
    page = BeautifulSoup(
        (site / "2023" / "ceshi" / "ceshi-xiangmu" / "index.html").read_text("utf-8"),
        "html.parser",
    )
    banner = page.select_one("section.verdict p.status").get_text()
    assert sentence in banner
    agree = "申报分数与按评分规则复核的结果一致" in banner
    assert agree is (rows is None)
    view = project_view(checked)
    assert view is not None and view.all_checked is (rows is None)


# --- 4. printed 二级 weights: the rows under each add up to its points ---------------------


@pytest.mark.parametrize(
    ("level2", "rows", "path"),
    [
        # 项目立项 (8) over one row of 10: at that row's 分值.
        ({"项目立项": 8}, [("项目立项", 10)], ("indicators", 3, "weight")),
        ({"数量指标": 50}, [], None),  # the minimal form's 50: agrees
        ({"质量指标": 10}, [], ("weights", "level2", "质量指标")),  # no row under it
        # Rows without 分值 add nothing: 6 + (none) against 6 agrees.
        ({"时效指标": 6}, [("时效指标", 6), ("时效指标", None)], None),
        ({"时效指标": 10}, [("时效指标", 6), ("时效指标", None)], ("indicators", 3, "weight")),
    ],
)
def test_printed_second_level_weights_are_checked_against_their_rows(
    tiny_content: Path,
    level2: dict[str, int],
    rows: list[tuple[str, int | None]],
    path: tuple[Any, ...] | None,
) -> None:
    data = minimal_project(weights={"level2": level2})
    for name, weight in rows:
        row = {"level1": "产出指标", "level2": name, "name": f"{name}行"}
        row |= {"target": "≥1人", "actual": "1人"}
        data["indicators"].append(row if weight is None else {**row, "weight": weight})
    checked = _checked(tiny_content, data)
    found = _found(checked, "weights-level2-sum")
    if path is None:
        assert found == []
        return
    (finding,) = found
    assert finding.severity is Severity.warning and finding.path == path
    message, hint = chinese(finding)
    figures = dict(finding.data)
    assert f"二级指标“{figures['level']}”" in message and f"{figures['expected']} 分" in message
    assert "二级指标" in hint


def test_second_level_weights_change_no_score(tiny_content: Path) -> None:
    plain = _checked(tiny_content, minimal_project(), name="a.yaml")
    printed = _checked(
        tiny_content, minimal_project(id="b-form", weights={"level2": {"数量指标": 8}}), "b.yaml"
    )
    assert plain.score is not None and printed.score is not None
    assert printed.score.total == plain.score.total == Decimal(100)


@pytest.mark.parametrize("missing", [["indicators"]])
def test_second_level_weights_of_a_cut_table_are_not_summed(
    tiny_content: Path, missing: list[str]
) -> None:
    data = minimal_project(weights={"level2": {"质量指标": 10}}, partial={"missing": missing})
    assert "weights-level2-sum" not in _codes(_checked(tiny_content, data))


# --- 8. numbers in the cells, fraction-or-percent, placeholder rows -----------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("target: 100", ("target", "100")),
        ("actual: 1", ("actual", "1")),
        ("actual: 0.950", ("actual", "0.950")),  # YAML's 0.95; the cell as printed
        ("actual: 1_000", ("actual", "1_000")),
        ("actual: +5", ("actual", "+5")),
        ("actual: 98   # 照原表", ("actual", "98")),
    ],
)
def test_an_unquoted_number_in_a_cell_is_read_as_typed(
    tiny_content: Path, written: str, read: tuple[str, str]
) -> None:
    text = (
        yaml.safe_dump(minimal_project(), allow_unicode=True, sort_keys=False)
        .replace("target: ≥100人", "target: ≥100人" if read[0] == "actual" else written)
        .replace("actual: ≥100人", written if read[0] == "actual" else "actual: ≥100人")
    )
    path = write_project(tiny_content, text)
    loaded = load_project(path)
    assert loaded.project is not None, loaded.findings
    assert getattr(loaded.project.indicators[0], read[0]) == read[1]
    assert loaded.findings == []


def test_an_unquoted_number_in_a_flow_row_and_a_subrow_is_read_as_typed(tiny_content: Path) -> None:
    text = yaml.safe_dump(minimal_project(), allow_unicode=True, sort_keys=False)
    row = (
        "- {level1: 产出指标, level2: 数量指标, name: 户数, target: 20, actual: 0.50, weight: 0,"
        " subrows: [{name: 其中:甲, target: 1_0, actual: 7.10}]}\n"
    )
    text = text.replace("indicators:\n", "indicators:\n" + row)
    path = write_project(tiny_content, text)
    loaded = load_project(path)
    assert loaded.project is not None, loaded.findings
    first = loaded.project.indicators[0]
    assert (first.target, first.actual) == ("20", "0.50")
    assert (first.subrows[0].target, first.subrows[0].actual) == ("1_0", "7.10")


def test_a_number_whose_digits_cannot_be_read_back_is_a_warning(tiny_content: Path) -> None:
    text = yaml.safe_dump(minimal_project(), allow_unicode=True, sort_keys=False)
    path = write_project(tiny_content, text.replace("actual: ≥100人", "actual: !!float 0.950"))
    checked = _checked(tiny_content, path.read_text(encoding="utf-8"), name=path.name)
    assert checked.project is not None
    (finding,) = _found(checked, "number-unquoted")
    assert finding.severity is Severity.warning and finding.path == ("indicators", 0, "actual")
    assert "引号" in chinese(finding)[1]
    located = next(f for f in checked.located if f.finding.code == "number-unquoted")
    assert f"{located.file.as_posix()}:{located.line}:{located.column}" == position_of(
        path, "!!float", "actual"
    )


def test_a_name_written_as_a_number_is_still_an_error(tiny_content: Path) -> None:
    data = minimal_project()
    data["indicators"][0]["name"] = 2023
    checked = _checked(tiny_content, data)
    assert checked.project is None and "schema-string-type" in _codes(checked)


@pytest.mark.parametrize(
    ("target", "actual", "bare", "percent"),
    [
        ("≥95%", "1", "1", "100"),
        ("≥95%", "0.95", "0.95", "95"),
        ("≥95%", "0.5", "0.5", "50"),
        ("0.9", "≥95%", "0.9", "90"),  # the bare one may be the target
    ],
)
def test_fraction_or_percent_quotes_the_bare_cell_as_written(
    tiny_content: Path, target: str, actual: str, bare: str, percent: str
) -> None:
    data = minimal_project()
    data["indicators"][2].update(target=target, actual=actual, score=10)
    (finding,) = _found(_checked(tiny_content, data), "fraction-or-percent")
    message, hint = chinese(finding)
    assert f"{bare} 可能是小数(即 {percent}%)" in message and f"(即 {bare}%)" in message
    assert "0.98" not in message + hint + finding.message or bare == "0.98"
    assert f"({bare} = {percent}%)" in finding.message


def test_placeholder_rows_give_one_note_with_their_count_and_lines(tiny_content: Path) -> None:
    data = minimal_project()
    for at, name in ((1, "指标2:"), (2, "……"), (4, "指标3:")):
        data["indicators"].insert(at, {"level1": "产出指标", "level2": "质量指标", "name": name})
    path = write_project(tiny_content, data)
    checked = _checked(tiny_content, path.read_text(encoding="utf-8"), name=path.name)
    (note,) = _found(checked, "placeholder-row")
    lines = [position_of(path, name, "name").split(":")[1] for name in ("指标2:", "……", "指标3:")]
    assert dict(note.data)["count"] == "3" and dict(note.data)["lines"] == "、".join(lines)
    message, _ = chinese(note)
    assert "3 行" in message and all(line in message for line in lines)
    assert note.path == ("indicators", 1, "name")
