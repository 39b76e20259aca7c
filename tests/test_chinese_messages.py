"""What `jixiao check` and `jixiao build` print is Chinese first: a schema error names the field
by its title with what it should be and what was written, the summaries are Chinese, and
`--lang en` gives the English for developers. (Before: every line English.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import SITE_YAML, minimal_project, position_of, write_project

POLICY = (
    "policies:\n"
    "  - name: " + "长" * 50 + "\n"
    "    match: {year: 2023}\n"
    "    breached_reverse: wrong\n"
    "    rescale_not_applicable: maybe\n"
)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    return status, printed.out + printed.err


def test_schema_errors_of_site_yaml_name_the_field_by_its_title(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tiny_content / "site.yaml"
    site.write_text(SITE_YAML + POLICY, encoding="utf-8")
    status, out = _run(capsys, "check", "--content", str(tiny_content), "--jobs", "1")
    assert status == 1
    where = site.as_posix()
    assert (
        f"{position_of(site, '长')}: 错误[schema-string-too-long]: policies[0].name: "
        "名称最多 40 个字符,写了 50 个字符 (缩短到 40 个字符以内)"
    ) in out
    assert (
        f"{position_of(site, 'wrong')}: 错误[schema-enum]: policies[0].breached_reverse: "
        "反向指标未达标不能是“wrong” (应为以下之一:national、linear、zero)"
    ) in out
    assert (
        f"{position_of(site, 'maybe')}: 错误[schema-bool-parsing]: "
        "policies[0].rescale_not_applicable: 不适用指标折算应为 true 或 false,写的是“maybe”"
    ) in out
    assert where in out and "检查了 0 个项目:3 个错误" in out

    status, out = _run(capsys, "check", "--content", str(tiny_content), "--json")
    config = json.loads(out)["config_findings"]
    assert config[0]["message_zh"] == "名称最多 40 个字符,写了 50 个字符"
    assert config[0]["message"] == "String should have at most 40 characters"  # as before


def test_a_missing_and_a_mistyped_field_say_what_was_expected_and_written(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = minimal_project()
    del data["unit"]
    data["indicators"][0]["name"] = 95  # a 指标值 cell may be a number, a name may not
    path = write_project(tiny_content, data)
    _, out = _run(capsys, "check", "--content", str(tiny_content), "--jobs", "1")
    assert f"{path.as_posix()}:1:1: 错误[schema-missing]: unit: 缺少必填的实施单位" in out
    assert (
        f"{position_of(path, '95', 'name')}: 错误[schema-string-type]: indicators[0].name: "
        '三级指标应为文字,写的是数字 95 (加上引号:"95")'
    ) in out


def test_the_build_says_what_it_did_in_chinese_or_english(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tiny_content, minimal_project())
    common = ["build", "--content", str(tiny_content), "--no-pdf", "-j", "1"]
    site, cache = str(tmp_path / "site"), str(tmp_path / "cache")
    status, out = _run(capsys, *common, "-o", site, "--cache", cache)
    assert status == 0
    assert f"已构建 {site}/(全量):1 个项目" in out
    status, out = _run(capsys, *common, "-o", site, "--cache", cache, "--lang", "en")
    assert status == 0 and f"{site}/ is up to date: 1 project, nothing changed" in out


def test_a_failed_build_says_so_in_chinese(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_project(tiny_content, minimal_project(year="二〇二三"))
    site = tmp_path / "site"
    common = ["build", "--content", str(tiny_content), "--no-pdf", "-o", str(site)]
    status, out = _run(capsys, *common, "--cache", str(tmp_path / "cache"))
    assert status == 1
    assert f"{position_of(path, '二〇二三')}: 错误[schema-int-parsing]: year: 年度应为数字" in out
    assert f"构建失败:1 个错误;{site}/ 保持原样,没有改动" in out
    status, out = _run(capsys, *common, "--cache", str(tmp_path / "cache"), "--lang", "en")
    assert "error[schema-int-parsing]: year: expected a number" in out
    assert f"build failed: 1 error; {site}/ was left as it was" in out
