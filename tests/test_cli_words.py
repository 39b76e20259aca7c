"""Staff speak Chinese: `jixiao check` and `build` say everything in Chinese by default and in
English with `--lang en` or an English locale; `build` prints the warnings it counts; the
check table fits a terminal of 80 columns."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from builder.i18n import environment_lang

from .conftest import minimal_project, write_project

ROOT = Path(__file__).resolve().parent.parent
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "COLUMNS")


def jixiao(*args: str, cwd: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """The command as staff run it, not on a terminal, in the locale given."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env.update(PYTHONPATH=str(ROOT), **environment)
    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def long_names(tiny_content: Path) -> Path:
    """Forms whose names and files are longer than a narrow terminal's columns, one of them
    with a wrong total (a warning)."""
    name = "城乡居民基本养老保险市级财政补助资金及高龄津贴增发专项资金项目"
    write_project(
        tiny_content,
        minimal_project(id="changchang-de-mingzi-xiangmu", name=name),
        name="changchang-de-mingzi-xiangmu.yaml",
        unit="yige-hen-chang-de-danwei-mulu",
    )
    wrong = minimal_project(id="zongfen-cuowu", name="总分填错的项目")
    wrong["declared"] = {"total": 99.5}
    write_project(tiny_content, wrong, name="zongfen-cuowu.yaml")
    return tiny_content


def _table(output: str) -> list[str]:
    """The check table: the lines before the first finding or the summary."""
    lines = []
    for line in output.splitlines():
        if re.match(r"^\S+\.yaml:\d+:\d+: ", line) or line.startswith(
            ("检查了", "projects checked")
        ):
            break
        lines.append(line)
    return lines


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_check_table_fits_80_columns_and_keeps_every_name_whole(
    long_names: Path, lang: str
) -> None:
    ran = jixiao(
        "check", "--content", "content", "--lang", lang, cwd=long_names.parent, COLUMNS="80"
    )
    table = _table(ran.stdout)
    assert len(table) > 4, ran.stdout
    widest = max(cell_len(line) for line in table)
    assert widest <= 80, "\n".join(line for line in table if cell_len(line) > 80)
    # The first column of each line: its text up to the gap before the next column.
    joined = "".join(re.split(r"\s{2,}", line.strip())[0] for line in table)
    assert "城乡居民基本养老保险市级财政补助资金及高龄津贴增发专项资金项目" in joined
    assert "content/2023/yige-hen-chang-de-danwei-mulu/changchang-de-mingzi-xiangmu.yaml" in joined
    assert any(re.search(r"\s99\.5\s", line) for line in table)  # the declared total, whole


def test_the_check_table_uses_a_wide_terminal(long_names: Path) -> None:
    ran = jixiao("check", "--content", "content", cwd=long_names.parent, COLUMNS="160")
    table = _table(ran.stdout)
    assert any(
        "城乡居民基本养老保险市级财政补助资金及高龄津贴增发专项资金项目" in line for line in table
    )


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en"}, "en"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, "zh"),
    ],
)
def test_the_language_follows_the_locale(environment: dict[str, str], expected: str) -> None:
    assert environment_lang(environment) == expected


def test_check_and_build_speak_the_locale_unless_told(long_names: Path) -> None:
    cwd = long_names.parent
    english = jixiao("check", "--content", "content", cwd=cwd, LANG="en_US.UTF-8")
    assert "projects checked" in english.stdout and "warning[total-mismatch]" in english.stdout
    chinese = jixiao("check", "--content", "content", cwd=cwd, LANG="zh_CN.UTF-8")
    assert "检查了 2 个项目" in chinese.stdout and "警告[total-mismatch]" in chinese.stdout
    told = jixiao("check", "--content", "content", "--lang", "zh", cwd=cwd, LANG="en_US.UTF-8")
    assert "检查了 2 个项目" in told.stdout
    built = jixiao("build", "--content", "content", "--no-pdf", cwd=cwd, LANG="en_US.UTF-8")
    assert built.returncode == 0, built.stderr
    assert re.search(r"^  render: \d+\.\d\ds$", built.stdout, re.M), built.stdout
    assert "built site/" in built.stdout
    again = jixiao("build", "--content", "content", "--no-pdf", "--full", cwd=cwd)
    assert re.search(r"^  页面:\d+\.\d\d 秒$", again.stdout, re.M), again.stdout
    assert re.search(r"^  开放数据:", again.stdout, re.M)
    assert "已构建 site/" in again.stdout


def test_build_prints_the_warnings_it_counts(long_names: Path) -> None:
    ran = jixiao("build", "--content", "content", "--no-pdf", cwd=long_names.parent)
    assert ran.returncode == 0, ran.stderr
    counted = re.search(r"重新读取的文件中有 (\d+) 条警告", ran.stdout)
    assert counted is not None, ran.stdout
    located = re.findall(r"^content/\S+\.yaml:\d+:\d+: 警告\[[a-z-]+\]: ", ran.stdout, re.M)
    assert len(located) == int(counted.group(1)) > 0
    assert f"重新读取的文件中的警告({counted.group(1)} 条):" in ran.stdout
    assert "content/2023/ceshi/zongfen-cuowu.yaml" in ran.stdout
    quiet = jixiao(
        "build", "--content", "content", "--no-pdf", "--full", "-q", cwd=long_names.parent
    )
    assert quiet.stdout == ""


def test_schema_speaks_the_locale(tmp_path: Path) -> None:
    chinese = jixiao("schema", cwd=tmp_path, LANG="zh_CN.UTF-8")
    english = jixiao("schema", cwd=tmp_path, LANG="en_US.UTF-8")
    assert chinese.returncode == english.returncode == 0, chinese.stdout + chinese.stderr
    assert chinese.stdout == english.stdout == ""  # nothing stale
