"""How long a form's text may be (builder/form/lengths.py): a bound per kind of text, one on
the rows, one on the whole form. Past a bound `jixiao check` gives a located error with a hint in
Chinese and goes on with the other files; at the bounds every form is accepted, including the
long reasons of real forms and every bundled form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.longest_form import KINDS, SHAPES, form_yaml, longest_form
from builder.cli import main
from builder.form import lengths
from builder.rules.check import check_content
from builder.rules.findings import Severity

from .conftest import minimal_project, position_of, write_project

ROOT = Path(__file__).resolve().parent.parent


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: str) -> None:
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


# (path in the file, bound, a text of the field's kind to repeat)
FIELDS = [
    (("name",), lengths.MAX_SHORT_TEXT, "项目"),
    (("department", "name"), lengths.MAX_SHORT_TEXT, "民政局"),
    (("unit",), lengths.MAX_SHORT_TEXT, "中心"),
    (("contact",), lengths.MAX_SHORT_TEXT, "王某"),
    (("funding", "reason"), lengths.MAX_TEXT, "原因。"),
    (("goals", "planned"), lengths.MAX_TEXT, "目标。"),
    (("goals", "achieved"), lengths.MAX_TEXT, "完成。"),
    (("indicators", 0, "level2"), lengths.MAX_SHORT_TEXT, "数量"),
    (("indicators", 0, "name"), lengths.MAX_SHORT_TEXT, "人数"),
    (("indicators", 1, "target"), lengths.MAX_SHORT_TEXT, "有效"),
    (("indicators", 1, "actual"), lengths.MAX_SHORT_TEXT, "达成"),
    (("indicators", 1, "reason"), lengths.MAX_TEXT, "说明。"),
    (("indicators", 1, "unit"), lengths.MAX_SHORT_TEXT, "人次"),
    (("declared", "grade"), lengths.MAX_SHORT_TEXT, "优秀"),
    (("declared", "conclusion"), lengths.MAX_TEXT, "结论。"),
    (("declared", "problems"), lengths.MAX_TEXT, "问题。"),
    (("remarks",), lengths.MAX_TEXT, "备注。"),
    (("region",), lengths.MAX_SHORT_TEXT, "湖北"),
]


def _repeated(text: str, length: int) -> str:
    return (text * (length // len(text) + 1))[:length]


@pytest.mark.parametrize(("path", "bound", "text"), FIELDS, ids=lambda v: str(v))
def test_a_text_over_its_bound_is_a_located_error_with_a_chinese_hint(
    tiny_content: Path,
    capsys: pytest.CaptureFixture[str],
    path: tuple[str | int, ...],
    bound: int,
    text: str,
) -> None:
    data = minimal_project()
    data.setdefault("declared", {})
    too_long = _repeated(text, bound + 1)
    _set(data, path, too_long)
    write_project(tiny_content, minimal_project(id="ceshi-good"), name="good.yaml")
    file = write_project(tiny_content, data)
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    place = position_of(file, too_long[:20], line_with=f"{path[-1]}:")
    assert f"{place}: 错误[schema-string-too-long]" in out
    assert f"最多 {bound} 个字符,写了 {bound + 1} 个字符 (缩短到 {bound} 个字符以内)" in out
    assert "internal error" not in out and "内部错误" not in out and "Traceback" not in out
    assert "检查了 2 个项目:1 个错误" in out  # one error, the other file still checked


@pytest.mark.parametrize(("path", "bound", "text"), FIELDS, ids=lambda v: str(v))
def test_a_text_at_its_bound_is_accepted(
    tiny_content: Path, path: tuple[str | int, ...], bound: int, text: str
) -> None:
    data = minimal_project()
    data.setdefault("declared", {})
    _set(data, path, _repeated(text, bound))
    write_project(tiny_content, data)
    (checked,) = check_content(tiny_content).projects
    codes = [f.finding.code for f in checked.located if f.finding.severity == Severity.error]
    assert codes == []


def test_too_many_rows_is_a_located_error(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = minimal_project()
    extra = dict(data["indicators"][0], weight=0)
    data["indicators"] += [dict(extra) for _ in range(lengths.MAX_INDICATORS + 1 - 3)]
    file = write_project(tiny_content, data)
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert f"{position_of(file, '- level1')}: 错误[schema-too-long]: indicators:" in out
    bound = lengths.MAX_INDICATORS
    assert f"绩效指标最多 {bound} 项,写了 {bound + 1} 项" in out


def test_a_form_whose_texts_add_up_past_the_bound_is_refused_where_they_pass_it(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = minimal_project()
    # Six reasons at the bound of a reason: 30,000 characters, the bound of a form, reached
    # within the sixth; each field within its own bound.
    rows = [dict(data["indicators"][0], weight=0) for _ in range(6)]
    for number, row in enumerate(rows):
        row["reason"] = _repeated(f"第{number}行说明。", lengths.MAX_TEXT)
    data["indicators"] += rows
    file = write_project(tiny_content, data)
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert f"{position_of(file, '第5行说明。')}: 错误[form-too-long]: indicators[8].reason" in out
    assert f"超过一张表的上限 {lengths.MAX_FORM_TEXT} 个字符" in out
    # One row fewer is within it.
    data["indicators"].pop()
    write_project(tiny_content, data)
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 0


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_longest_forms_allowed_are_valid(tiny_content: Path, shape: str, kind: str) -> None:
    form = longest_form(shape, kind)
    write_project(tiny_content, form_yaml(form))
    (checked,) = check_content(tiny_content).projects
    assert checked.count(Severity.error) == 0
    assert checked.project is not None


def test_the_long_reason_of_a_real_form_is_accepted(tiny_content: Path) -> None:
    """The case pdf-tall-row-header: a 未完成原因分析 of about 2,600 characters."""
    data = minimal_project()
    data["indicators"][0]["reason"] = "".join(
        f"第{n}段:部分服务对象迁出辖区,实际服务人数低于年度指标值,已调整服务方案。"
        for n in range(1, 71)
    )
    assert 2500 < len(data["indicators"][0]["reason"]) < lengths.MAX_TEXT
    write_project(tiny_content, data)
    (checked,) = check_content(tiny_content).projects
    assert checked.count(Severity.error) == 0


def test_every_bundled_form_is_far_within_the_bounds() -> None:
    for file in sorted((ROOT / "content").rglob("*.yaml")):
        if file.name == "site.yaml":
            continue
        data = yaml.safe_load(file.read_text("utf-8"))
        texts = [data["name"], data["unit"], data["goals"]["planned"], data["goals"]["achieved"]]
        texts += [row.get("reason", "") for row in data["indicators"]]
        assert max(len(t) for t in texts) * 4 < lengths.MAX_TEXT, file
    result = check_content(ROOT / "content")
    assert result.projects and all(c.count(Severity.error) == 0 for c in result.projects)
