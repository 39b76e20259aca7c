"""The publishing workflows shipped for GitHub Actions and GitLab CI.

Their structure is checked as data, and the shell commands of their check and build steps are
run as written, on a copy of the bundled content made into a git repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.report.github import github_annotation
from builder.rules.findings import Finding, LocatedFinding, Severity

from .conftest import position_of

ROOT = Path(__file__).resolve().parent.parent
GITHUB_WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
GITLAB_CI = ROOT / ".gitlab-ci.yml"
VENV = Path(sys.prefix)  # the environment running the tests stands in for .venv/
WARNED_FILE = "content/2023/lps-sbj/chengxiang-yanglao-65-zengfa.yaml"


def load(path: Path) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def github() -> dict[Any, Any]:
    return load(GITHUB_WORKFLOW)


@pytest.fixture(scope="module")
def gitlab() -> dict[Any, Any]:
    return load(GITLAB_CI)


def github_steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return workflow["jobs"]["build"]["steps"]


def step_index(steps: list[dict[str, Any]], *, uses: str = "", run: str = "") -> int:
    for index, step in enumerate(steps):
        if uses and step.get("uses", "").startswith(uses + "@"):
            return index
        if run and run in step.get("run", ""):
            return index
    raise AssertionError(f"no step {uses or run!r}")


# ---------------------------------------------------------------------------------------------
# Structure


def test_github_runs_on_pushes_that_change_the_site(github: dict[Any, Any]) -> None:
    triggers = github[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    for path in ("content/**", "templates/**", "builder/**"):
        assert path in triggers["push"]["paths"]
    assert "workflow_dispatch" in triggers


def test_github_steps_in_order(github: dict[Any, Any]) -> None:
    steps = github_steps(github)
    checkout = step_index(steps, uses="actions/checkout")
    setup = step_index(steps, run="bash .ci/setup")
    check = step_index(steps, run="jixiao check")
    source_date = step_index(steps, run="SOURCE_DATE_EPOCH")
    cache = step_index(steps, uses="actions/cache")
    build = step_index(steps, run="jixiao build")
    upload = step_index(steps, uses="actions/upload-pages-artifact")
    assert checkout < setup < check < build < upload
    assert source_date < build and cache < build

    assert steps[checkout]["with"]["fetch-depth"] == 0
    assert steps[check]["run"] == ".venv/bin/jixiao check --format github"
    assert steps[upload]["with"]["path"] == "site"


def test_github_cache_is_keyed_on_the_inputs(github: dict[Any, Any]) -> None:
    steps = github_steps(github)
    cache = steps[step_index(steps, uses="actions/cache")]["with"]
    assert cache["path"] == ".cache"
    assert cache["key"].startswith("jixiao-cache-${{ hashFiles('content/**'")
    assert cache["restore-keys"].split() == ["jixiao-cache-"]


def test_github_deploys_to_pages_with_the_right_permissions(github: dict[Any, Any]) -> None:
    assert github["permissions"] == {"contents": "read"}
    assert github["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploy = github["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_gitlab_pages_job(gitlab: dict[Any, Any]) -> None:
    changes = gitlab["workflow"]["rules"][1]["changes"]
    for path in ("content/**/*", "templates/**/*", "builder/**/*"):
        assert path in changes
    assert gitlab["workflow"]["rules"][1]["if"] == "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    assert gitlab["variables"]["GIT_DEPTH"] == "0"

    pages = gitlab["pages"]
    script: list[str] = pages["script"]

    def line(text: str) -> int:
        return next(i for i, command in enumerate(script) if text in command)

    setup, check = line("bash .ci/setup"), line("jixiao check")
    source_date, build = line("SOURCE_DATE_EPOCH"), line("jixiao build")
    publish = line("mv site public")
    assert setup < check < build < publish and source_date < build
    assert pages["cache"]["paths"] == [".cache/"]
    assert pages["artifacts"]["paths"] == ["public"]


# ---------------------------------------------------------------------------------------------
# The commands, run as written


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """What a CI job has after checking out and setting up: the content with two commits of
    history, and .venv/."""
    if not (VENV / "bin" / "jixiao").exists():
        pytest.skip("jixiao is not installed in the running environment")
    work = tmp_path / "checkout"
    shutil.copytree(ROOT / "content", work / "content")
    (work / ".venv").symlink_to(VENV)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "content")
    git(work, "commit", "-q", "-m", "forms", date="2024-03-01T09:00:00+08:00")
    edited = work / WARNED_FILE
    edited.write_text(edited.read_text("utf-8").replace("contact: 章桃", "contact: 李明"), "utf-8")
    git(work, "commit", "-q", "-am", "contact", date="2024-03-02T09:00:00+08:00")
    return work


def git(work: Path, *args: str, date: str = "") -> str:
    env = ci_environment() | ({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})
    return subprocess.run(
        ["git", *args], cwd=work, env=env, capture_output=True, text=True, check=True
    ).stdout


def ci_environment() -> dict[str, str]:
    return os.environ | {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "ci",
        "GIT_AUTHOR_EMAIL": "ci@example.org",
        "GIT_COMMITTER_NAME": "ci",
        "GIT_COMMITTER_EMAIL": "ci@example.org",
    }


def run_github_step(
    step: dict[str, Any], work: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A `run:` step as the runner runs it with `shell: bash`, then GITHUB_ENV read back."""
    assert "${{" not in step["run"]  # nothing for the runner to substitute first
    github_env = work.parent / "github-env"
    github_env.write_text("", encoding="utf-8")
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=work,
        env=env | step.get("env", {}) | {"GITHUB_ENV": str(github_env)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    for line in github_env.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return completed


def test_github_check_and_build_steps(github: dict[Any, Any], checkout: Path) -> None:
    steps = {step.get("id"): step for step in github_steps(github)}
    assert steps["build"]["run"] == ".venv/bin/jixiao build"
    env = ci_environment()

    check = run_github_step(steps["check"], checkout, env)
    assert check.returncode == 0, check.stdout + check.stderr
    # The findings are in the log as text and as annotations on their lines.
    assert f"{WARNED_FILE}:53:10: 警告[total-mismatch]" in check.stdout
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 8  # 4 of the figures, 4 of goals copied word for word
    assert annotations[0].startswith(
        f"::warning file={WARNED_FILE},line=53,col=10,title=警告[total-mismatch]::"
    )

    before = git(checkout, "rev-parse", "HEAD~1").strip()
    changes = run_github_step(steps["changes"] | {"env": {"BEFORE": before}}, checkout, env)
    assert changes.returncode == 0, changes.stderr
    assert "changed 修改 (1)" in changes.stdout
    assert "联系人 contact" in changes.stdout
    first_push = run_github_step(steps["changes"] | {"env": {"BEFORE": "0" * 40}}, checkout, env)
    assert first_push.returncode == 0 and "no earlier commit" in first_push.stdout

    date = run_github_step(steps["source-date"], checkout, env)
    assert date.returncode == 0, date.stderr
    # The last commit touching content/, 2024-03-02 09:00 in UTC+8.
    assert env["SOURCE_DATE_EPOCH"] == "1709341200"

    build = run_github_step(steps["build"], checkout, env)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (checkout / "site" / "index.html").is_file()
    assert (checkout / ".cache").is_dir()  # what the next run restores

    # The next run: a fresh checkout, so no site/, and the cache restored.
    shutil.rmtree(checkout / "site")
    again = run_github_step(steps["build"], checkout, env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (checkout / "site" / "index.html").is_file()


def test_github_check_step_fails_on_errors(github: dict[Any, Any], checkout: Path) -> None:
    steps = {step.get("id"): step for step in github_steps(github)}
    broken = checkout / WARNED_FILE
    broken.write_text(broken.read_text("utf-8").replace("year: 2023", "year: 二〇二三"), "utf-8")

    check = run_github_step(steps["check"], checkout, ci_environment())

    assert check.returncode == 1
    errors = [line for line in check.stdout.splitlines() if line.startswith("::error ")]
    line, column = position_of(broken, "二〇二三").split(":")[-2:]
    assert errors == [
        f"::error file={WARNED_FILE},line={line},col={column},title=错误[schema-int-parsing]::"
        "year: 年度应为数字,写的是“二〇二三”%0A只写数字,如 10 或 86870000.00"
    ]


def test_gitlab_script(gitlab: dict[Any, Any], checkout: Path) -> None:
    script = [
        command
        for command in gitlab["pages"]["script"]
        if "apt-get" not in command and command != "bash .ci/setup"  # done on this machine
    ]
    env = ci_environment() | {"CI_COMMIT_BEFORE_SHA": git(checkout, "rev-parse", "HEAD~1")[:-1]}

    # The runner runs the lines in one shell, stopping at the first that fails.
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-c", "\n".join(script)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert f"{WARNED_FILE}:53:10: 警告[total-mismatch]" in completed.stdout
    assert "changed 修改 (1)" in completed.stdout
    assert (checkout / "public" / "index.html").is_file()
    assert not (checkout / "site").exists()
    assert (checkout / ".cache").is_dir()


# ---------------------------------------------------------------------------------------------
# `jixiao check --format github`


def test_annotation_escapes_what_github_would_read_as_syntax() -> None:
    finding = Finding(
        Severity.note,
        "over-achievement-deducted",
        ("indicators", 1, "actual"),
        "100%, 或 ≥260572人: deducted",
        "line one\nline two",
    )
    located = LocatedFinding(Path("content/2023/a,b:c.yaml"), 12, 3, finding)

    assert github_annotation(located, "en") == (
        "::notice file=content/2023/a%2Cb%3Ac.yaml,line=12,col=3,"
        "title=note[over-achievement-deducted]::"
        "indicators[1].actual: 100%25, 或 ≥260572人: deducted%0Aline one%0Aline two"
    )
    chinese = replace(finding, message_zh="实际完成值为指标值的 100%,或\n≥260572人", hint_zh="提示")
    assert github_annotation(replace(located, finding=chinese)) == (
        "::notice file=content/2023/a%2Cb%3Ac.yaml,line=12,col=3,"
        "title=说明[over-achievement-deducted]::"
        "indicators[1].actual: 实际完成值为指标值的 100%25,或%0A≥260572人%0A提示"
    )
