"""The build's stages: findings made once by the stage that knows them, and the named fault
points (`stage:render`, `publish:moved-aside`, `commit:moved-one`) leaving the published site
whole."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from builder import faults
from builder.build import BuildFailed, BuildReport
from builder.errors import ContentError
from builder.publish.staging import PREFIX, clean_leftovers
from builder.rules.check import check_content

from .test_incremental import EDITED, ROOT, build_command, copy_content, run_build, tree

TWIN = "2023/zz-twin/twin.yaml"  # claims the id of EDITED; sorts after it


def add_twin(content: Path) -> Path:
    twin = content / TWIN
    twin.parent.mkdir(parents=True)
    twin.write_text((content / EDITED).read_text(encoding="utf-8"), encoding="utf-8")
    return twin


def duplicate_findings(failed: BuildFailed) -> list[str]:
    return [
        f"{located.file.as_posix()}:{located.line}: {located.finding.message}"
        for located in failed.result.all_findings()
        if located.finding.code == "duplicate-id"
    ]


def held_duplicates(report: BuildReport) -> list[str]:
    return [
        f"{held.file}:{located.line}: {located.finding.message}"
        for held in report.held_back
        for located in held.errors
        if located.finding.code == "duplicate-id"
    ]


def test_check_content_knows_the_ids_of_forms_not_re_read(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    twin = add_twin(content)
    result = check_content(content, [twin], known_ids={(2023, "shebao-pingtai-yunwei"): EDITED})
    [located] = [f for f in result.all_findings() if f.finding.code == "duplicate-id"]
    assert located.file == twin and located.finding.path == ("id",)
    assert located.finding.message == (
        f"id 'shebao-pingtai-yunwei' is already used for 2023 by {(content / EDITED).as_posix()}"
    )


def test_a_duplicate_id_is_reported_on_both_forms_alike_in_full_and_incremental_builds(
    tmp_path: Path,
) -> None:
    """Both forms are held back, whichever was published first: the site cannot tell which is
    the project at that address. The incremental build, whose twin claims the id of a form it
    kept, reads both again, as the full build does."""
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    add_twin(content)
    with pytest.raises(BuildFailed) as strict:
        run_build(content, tmp_path, strict=True)
    assert isinstance(strict.value, ContentError)
    assert len(duplicate_findings(strict.value)) == 2
    incremental = run_build(content, tmp_path)
    assert [held.file for held in incremental.held_back] == [EDITED, TWIN]
    assert not (tmp_path / "site" / EDITED.removesuffix(".yaml")).exists()
    published = tree(tmp_path / "site")
    full = run_build(content, tmp_path, incremental=False)
    assert held_duplicates(incremental) == held_duplicates(full)
    assert len(held_duplicates(full)) == 2
    assert tree(tmp_path / "site") == published


def test_a_failed_stage_leaves_the_site_and_no_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    before = tree(tmp_path / "site")
    (content / EDITED).write_text(
        (content / EDITED).read_text(encoding="utf-8").replace("contact: 章桃", "contact: 另一位"),
        encoding="utf-8",
    )
    monkeypatch.setenv(faults.ENVIRONMENT_VARIABLE, "stage:render")
    with pytest.raises(faults.InjectedFault):
        run_build(content, tmp_path)
    assert tree(tmp_path / "site") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(PREFIX)]


def killed_at(point: str, content: Path, work: Path, *flags: str) -> None:
    environment = {**os.environ, faults.ENVIRONMENT_VARIABLE: f"{point}:kill"}
    process = subprocess.run(
        build_command(content, work, "--no-pdf", "-q", *flags),
        cwd=ROOT,
        env=environment,
        capture_output=True,
        check=False,
    )
    assert process.returncode == -9, process.stderr.decode()


def test_killed_right_after_the_swap_the_new_site_is_in_place(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    site = tmp_path / "site"
    before = tree(site)
    edit_name(content)
    killed_at("publish:moved-aside", content, tmp_path, "--full")
    run_build(content, tmp_path / "full", incremental=False)
    assert tree(site) == tree(tmp_path / "full" / "site") != before
    (old,) = tmp_path.glob(f"{PREFIX}site-*")  # the old site, swapped out
    assert tree(old) == before
    clean_leftovers(site)
    assert not list(tmp_path.glob(f"{PREFIX}site-*"))


def edit_name(content: Path) -> None:
    (content / EDITED).write_text(
        (content / EDITED)
        .read_text(encoding="utf-8")
        .replace("name: 社会保险综合服务平台运维费", "name: 社会保险综合服务平台运行维护费"),
        encoding="utf-8",
    )


@pytest.mark.parametrize("point", ["commit:moved-one", "publish:moved-aside"])
def test_an_incremental_commit_killed_leaves_the_old_site_or_the_new_whole(
    point: str, tmp_path: Path
) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    before = tree(tmp_path / "site")
    edit_name(content)
    killed_at(point, content, tmp_path)
    run_build(content, tmp_path / "full", incremental=False)
    new = tree(tmp_path / "full" / "site")
    assert tree(tmp_path / "site") == (before if point == "commit:moved-one" else new)
    run_build(content, tmp_path)
    assert tree(tmp_path / "site") == new
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(PREFIX)]


@pytest.mark.parametrize(
    "stage", ["hash", "plan", "check", "render", "search", "export", "publish", "record"]
)
def test_the_build_passes_each_stage_point(
    stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = copy_content(tmp_path)
    monkeypatch.setenv(faults.ENVIRONMENT_VARIABLE, f"stage:{stage}")
    with pytest.raises(faults.InjectedFault, match=f"'stage:{stage}'"):
        run_build(content, tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(PREFIX)]
