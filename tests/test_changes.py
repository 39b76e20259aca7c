"""`jixiao changes` and `recent_changes` on a real git repository built commit by commit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.config import ScoringPolicy
from builder.publish.changes import (
    DATA_PARTS,
    PART_TITLES,
    compare_states,
    project_state,
    recent_changes,
)

from .conftest import SITE_YAML, minimal_project, project_yaml

ROOT = Path(__file__).resolve().parent.parent
ENTRY_KEYS = {"kind", "year", "id", "name", "unit", "file", "old_file", "fields", "date", "commit"}
DOCUMENT_KEYS = {
    "version",
    "content",
    "old",
    "old_commit",
    "new",
    "new_commit",
    "date",
    "policy_changed",
    "added",
    "changed",
    "removed",
    "moved",
}

# One commit a day, in China Standard Time, so that the dates read back are known exactly.
DATES = {
    "first": "2024-03-01T09:00:00+08:00",
    "edits": "2024-03-02T09:00:00+08:00",
    "policy": "2024-03-03T09:00:00+08:00",
    "whitespace": "2024-03-04T09:00:00+08:00",
}


class Repo:
    """A scratch repository driven with the real git command."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.commits: dict[str, str] = {}
        self.env = os.environ | {
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "测试",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "测试",
            "GIT_COMMITTER_EMAIL": "test@example.org",
        }
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str | None = None) -> str:
        env = self.env | ({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})
        completed = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return completed.stdout

    def write(self, relative: str, text: str) -> None:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, label: str) -> str:
        self.git("add", "-A", "content")
        self.git("commit", "-q", "-m", label, date=DATES[label])
        self.commits[label] = self.git("rev-parse", "HEAD").strip()
        return self.commits[label]

    def jixiao(self, *args: str) -> subprocess.CompletedProcess[str]:
        # The command as a user types it, run from the repository with the default --content.
        return subprocess.run(
            [sys.executable, "-m", "builder", *args],
            cwd=self.root,
            env=self.env | {"PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def changes_json(self, *revisions: str) -> dict[str, Any]:
        completed = self.jixiao("changes", *revisions, "--json")
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout)


def project(id_: str, name: str, **changes: Any) -> str:
    return project_yaml(minimal_project(id=id_, name=name, **changes))


def commented_and_reflowed(text: str) -> str:
    """The same data, written differently: comments, blank lines, other indentation, flow style."""
    data = yaml.safe_load(text)
    reflowed = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, indent=4, default_flow_style=None
    )
    lines = ["# 重新排版, 数据不变", ""]
    for line in reflowed.splitlines():
        lines.append(line + "   # 备注" if line.startswith("name:") else line)
        if not line.startswith(" "):
            lines.append("")
    changed = "\n".join(lines) + "\n"
    assert changed != text and yaml.safe_load(changed) == data
    return changed


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Four commits:

    first       six projects and site.yaml
    edits       one edited, one added, one removed, one moved, one whose id changed,
                one only re-indented and commented
    policy      a new grade label in site.yaml's scoring policy
    whitespace  site.yaml and a project re-indented and commented, no data changed
    """
    repo = Repo(tmp_path_factory.mktemp("history"))
    repo.write("site.yaml", SITE_YAML)
    repo.write("2023/ceshi/bianji.yaml", project("bianji", "编辑项目"))
    repo.write("2023/ceshi/shanchu.yaml", project("shanchu", "删除项目"))
    repo.write("2023/ceshi/yidong.yaml", project("yidong", "移动项目"))
    repo.write("2023/ceshi/gai-id.yaml", project("gai-id", "改标识项目"))
    repo.write("2023/ceshi/kongge.yaml", project("kongge", "排版项目"))
    repo.write("2023/ceshi/bubian.yaml", project("bubian", "不变项目"))
    repo.commit("first")

    edited = minimal_project(id="bianji", name="编辑项目")
    edited["funding"] = {"total": {"initial": 1000, "budget": 1000, "executed": 800}}
    edited["goals"] = {"planned": "计划", "achieved": "部分完成"}
    edited["indicators"][0]["actual"] = "50人"  # half the target: 25 of 50 points, 73 in all
    repo.write("2023/ceshi/bianji.yaml", project_yaml(edited))
    repo.write("2023/ceshi/xinzeng.yaml", project("xinzeng", "新增项目"))
    (repo.content / "2023/ceshi/shanchu.yaml").unlink()
    (repo.content / "2023/qita").mkdir()
    repo.git("mv", "content/2023/ceshi/yidong.yaml", "content/2023/qita/yidong-xin.yaml")
    repo.write("2023/ceshi/gai-id.yaml", project("gai-id-xin", "改标识项目"))
    kongge = repo.content / "2023/ceshi/kongge.yaml"
    kongge.write_text(commented_and_reflowed(kongge.read_text("utf-8")), encoding="utf-8")
    repo.commit("edits")

    repo.write("site.yaml", SITE_YAML.replace("label: 优秀", "label: 优"))
    repo.commit("policy")

    site = repo.content / "site.yaml"
    site.write_text("# 只改了注释\n" + site.read_text("utf-8").replace("- {", "-   {"), "utf-8")
    bubian = repo.content / "2023/ceshi/bubian.yaml"
    bubian.write_text(commented_and_reflowed(bubian.read_text("utf-8")), encoding="utf-8")
    repo.commit("whitespace")
    return repo


def ids(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["id"] for entry in entries]


def test_edits_are_reported_by_project_not_by_file(repo: Repo) -> None:
    document = repo.changes_json(repo.commits["first"], repo.commits["edits"])

    assert set(document) == DOCUMENT_KEYS
    assert document["old_commit"] == repo.commits["first"]
    assert document["new_commit"] == repo.commits["edits"]
    assert document["date"] == DATES["edits"]
    assert document["policy_changed"] is False
    assert ids(document["added"]) == ["gai-id-xin", "xinzeng"]
    assert ids(document["removed"]) == ["gai-id", "shanchu"]
    assert ids(document["changed"]) == ["bianji"]
    # The move is no change of data; the re-indented and commented file is no change at all.
    assert ids(document["moved"]) == ["yidong"]
    assert "kongge" not in json.dumps(document)

    changed = document["changed"][0]
    assert changed["fields"] == ["funding", "goals", "indicators", "computed"]
    assert changed | {"fields": None} == {
        "kind": "changed",
        "year": 2023,
        "id": "bianji",
        "name": "编辑项目",
        "unit": "测试单位",
        "file": "content/2023/ceshi/bianji.yaml",
        "old_file": None,
        "fields": None,
        "date": DATES["edits"],
        "commit": repo.commits["edits"],
    }
    moved = document["moved"][0]
    assert moved["file"] == "content/2023/qita/yidong-xin.yaml"
    assert moved["old_file"] == "content/2023/ceshi/yidong.yaml"
    assert document["removed"][1]["file"] == "content/2023/ceshi/shanchu.yaml"
    for entry in [*document["added"], *document["changed"], *document["removed"]]:
        assert set(entry) == ENTRY_KEYS


def test_a_new_scoring_policy_changes_every_project(repo: Repo) -> None:
    document = repo.changes_json(repo.commits["edits"], repo.commits["policy"])

    assert document["policy_changed"] is True
    assert document["added"] == document["removed"] == document["moved"] == []
    assert ids(document["changed"]) == [
        "bianji",
        "bubian",
        "gai-id-xin",
        "kongge",
        "xinzeng",
        "yidong",
    ]
    # Every form scores 100, 优秀 now called 优; 编辑项目 scores 73, still 合格.
    fields = {entry["id"]: entry["fields"] for entry in document["changed"]}
    assert fields.pop("bianji") == ["policy"]
    assert set(map(tuple, fields.values())) == {("policy", "computed")}


def test_comments_and_indentation_change_nothing(repo: Repo) -> None:
    document = repo.changes_json(repo.commits["policy"], repo.commits["whitespace"])

    assert document["policy_changed"] is False
    assert document["added"] == document["changed"] == document["removed"] == []
    assert document["moved"] == []


def test_human_report(repo: Repo) -> None:
    completed = repo.jixiao("changes", repo.commits["first"], repo.commits["policy"])

    assert completed.returncode == 0, completed.stderr
    report = completed.stdout
    first, policy = repo.commits["first"], repo.commits["policy"]
    assert report.splitlines()[0] == (
        f"changes in content/ from {first} ({first[:10]}) "
        f"to {policy} ({policy[:10]}, {DATES['policy']})"
    )
    assert "评分规则 changed (content/site.yaml scoring)" in report
    assert "added 新增 (2)" in report
    assert "changed 修改 (4)" in report
    assert "removed 删除 (2)" in report
    assert "2 added, 4 changed, 2 removed, 0 moved" in report
    lines = report.splitlines()
    bianji = next(i for i, line in enumerate(lines) if "  ~ 2023  bianji" in line)
    assert "编辑项目" in lines[bianji] and "content/2023/ceshi/bianji.yaml" in lines[bianji]
    assert lines[bianji + 1].split() == [
        PART_TITLES["funding"],
        "funding,",
        PART_TITLES["goals"],
        "goals,",
        PART_TITLES["indicators"],
        "indicators,",
        "评分规则",
        "policy,",
        "计算得分",
        "computed",
    ]
    # Moved and changed (the policy): the move is shown under the project.
    yidong = next(i for i, line in enumerate(lines) if "  ~ 2023  yidong" in line)
    assert lines[yidong + 2].split() == [
        "content/2023/ceshi/yidong.yaml",
        "->",
        "content/2023/qita/yidong-xin.yaml",
    ]
    # The file column starts at the same place on every row, whatever the width of the names.
    rows = [line for line in lines if line.startswith(("  + ", "  ~ ", "  - "))]
    starts = {_display_width(row[: row.index("content/")]) for row in rows}
    assert len(starts) == 1


def _display_width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def test_working_tree_is_the_default_new_side(repo: Repo) -> None:
    path = repo.content / "2023/ceshi/xinzeng.yaml"
    original = path.read_text("utf-8")
    broken = minimal_project(id="xinzeng", name="新增项目")
    del broken["indicators"][0]["weight"]
    path.write_text(project_yaml(broken), encoding="utf-8")
    try:
        document = repo.changes_json(repo.commits["whitespace"])
    finally:
        path.write_text(original, encoding="utf-8")
    unchanged = repo.changes_json("HEAD")

    assert document["new"] is None and document["new_commit"] is None and document["date"] is None
    assert ids(document["changed"]) == ["xinzeng"]
    # A file the checker rejects is still the same project, compared on what it says.
    assert document["changed"][0]["fields"] == ["indicators", "computed", "findings"]
    assert document["changed"][0]["date"] is None
    assert unchanged["changed"] == []


def test_git_problems_are_reported_without_traceback(repo: Repo, tmp_path: Path) -> None:
    unknown = repo.jixiao("changes", "no-such-revision")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        "jixiao changes: 未知的版本“no-such-revision” / unknown revision 'no-such-revision'"
    )

    (tmp_path / "content").mkdir()
    outside = subprocess.run(
        [sys.executable, "-m", "builder", "changes", "HEAD"],
        cwd=tmp_path,
        env=repo.env | {"PYTHONPATH": str(ROOT), "GIT_CEILING_DIRECTORIES": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert outside.returncode == 2
    assert "is not in a git repository" in outside.stderr
    assert "Traceback" not in outside.stderr


def test_recent_changes_gives_the_latest_change_of_each_project(repo: Repo) -> None:
    found = recent_changes(repo.root, "content", limit=None)

    summary = [(c.id, c.kind, c.date, c.commit) for c in found]
    policy = (DATES["policy"], repo.commits["policy"])
    edits = (DATES["edits"], repo.commits["edits"])
    assert summary == [
        ("bianji", "changed", *policy),
        ("bubian", "changed", *policy),
        ("gai-id-xin", "changed", *policy),
        ("kongge", "changed", *policy),
        ("xinzeng", "changed", *policy),
        ("yidong", "changed", *policy),
        ("gai-id", "removed", *edits),
        ("shanchu", "removed", *edits),
    ]
    yidong = found[5]
    assert yidong.file == "content/2023/qita/yidong-xin.yaml" and yidong.name == "移动项目"
    assert found[0].fields == ("policy",)
    assert [c.id for c in recent_changes(repo.root, Path("content"), limit=3)] == [
        "bianji",
        "bubian",
        "gai-id-xin",
    ]
    assert recent_changes(repo.root, repo.content, limit=100) == found


def test_recent_changes_before_a_policy_change(repo: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    repo.git("clone", "-q", str(repo.root), str(clone))
    subprocess.run(
        ["git", "reset", "-q", "--hard", repo.commits["edits"]],
        cwd=clone,
        env=repo.env,
        check=True,
    )

    found = recent_changes(clone, "content", limit=None)

    first = (DATES["first"], repo.commits["first"])
    edits = (DATES["edits"], repo.commits["edits"])
    assert [(c.id, c.kind, c.date, c.commit) for c in found] == [
        ("bianji", "changed", *edits),
        ("gai-id", "removed", *edits),
        ("gai-id-xin", "added", *edits),
        ("shanchu", "removed", *edits),
        ("xinzeng", "added", *edits),
        # Moved and re-indented: no change of data, so their latest change is their creation.
        ("bubian", "added", *first),
        ("kongge", "added", *first),
        ("yidong", "added", *first),
    ]
    # Where the file was when the change was made.
    assert found[-1].file == "content/2023/ceshi/yidong.yaml"


def test_recent_changes_without_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert recent_changes(tmp_path, "content", 10) == []  # not a repository

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert recent_changes(tmp_path, "content", 10) == []  # no commit yet

    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert recent_changes(tmp_path, "content", 10) == []  # git is not installed


def test_compare_states_by_identity() -> None:
    policy = ScoringPolicy()
    text = project_yaml(minimal_project()).encode()
    old = project_state("content/2023/a/x.yaml", text, policy)
    moved = project_state("content/2023/b/x.yaml", text, policy)
    renumbered = project_state(
        "content/2023/a/x.yaml", project_yaml(minimal_project(year=2024)).encode(), policy
    )

    assert compare_states([old], [old]).projects() == []
    moved_only = compare_states([old], [moved])
    assert moved_only.projects() == [] and moved_only.moved[0].old_file == "content/2023/a/x.yaml"
    # Another year at the same place is another project: the 2023 form is gone.
    year_changed = compare_states([old], [renumbered])
    assert [(c.kind, c.year) for c in year_changed.projects()] == [
        ("removed", 2023),
        ("added", 2024),
    ]
    assert set(PART_TITLES) >= set(DATA_PARTS)
