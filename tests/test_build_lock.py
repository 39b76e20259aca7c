"""Publishing integrity: one build at a time per cache folder (a second one is refused at once,
in one line), and a site or cache folder that cannot be written stops the build before it
changes anything. Real processes: the lock is `fcntl.flock`, the permissions need a process
without DAC override (`setpriv`), since root ignores modes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import faults
from builder.publish.lock import BuildRunning, FolderNotWritable, check_writable, hold
from tests.conftest import minimal_project, write_project

from .test_incremental import ROOT, build_command, tree

SETPRIV = shutil.which("setpriv")
UNPRIVILEGED = [SETPRIV or "setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]


def _project(content: Path) -> Path:
    """Two units' forms: the second is edited between builds."""
    write_project(content, unit="ceshi")
    return write_project(
        content, minimal_project(id="ling-yi-xiang", name="另一个项目"), "ling.yaml", "qita"
    )


def _edit(form: Path) -> None:
    form.write_text(
        form.read_text(encoding="utf-8").replace("另一个项目", "改过的项目"), encoding="utf-8"
    )


# How long a build paused at a fault point waits: the second build must start (an interpreter
# and its imports, several seconds on a crowded machine) and reach the lock meanwhile.
PAUSE_SECONDS = "15"


def _start(content: Path, work: Path, *flags: str, fault: str = "") -> subprocess.Popen[bytes]:
    environment = {**os.environ, faults.SECONDS_VARIABLE: PAUSE_SECONDS}
    environment.pop(faults.ENVIRONMENT_VARIABLE, None)
    if fault:
        environment[faults.ENVIRONMENT_VARIABLE] = fault
    return subprocess.Popen(
        build_command(content, work, "--no-pdf", "-q", *flags),
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _run(
    content: Path, work: Path, *flags: str, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != faults.ENVIRONMENT_VARIABLE}
    return subprocess.run(
        [*(prefix or []), *build_command(content, work, "--no-pdf", "-q", *flags)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _clean(content: Path, work: Path) -> dict[str, str]:
    done = _run(content, work, "--full")
    assert done.returncode == 0, done.stderr
    return tree(work / "site")


def _wait_for_lock(cache: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the build `process` holds the lock of `cache` (its pid written in the file)."""
    lock = cache / "build.lock"
    for _ in range(600):
        if lock.exists() and lock.read_text(encoding="utf-8").strip() == str(process.pid):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError("the first build never took the lock")


@pytest.mark.parametrize(("first", "second"), [(("--full",), ()), ((), ("--full",))])
def test_a_second_build_at_once_is_refused_and_the_site_is_whole(
    tiny_content: Path, tmp_path: Path, first: tuple[str, ...], second: tuple[str, ...]
) -> None:
    form = _project(tiny_content)
    work = tmp_path / "work"
    assert _run(tiny_content, work).returncode == 0
    _edit(form)
    # The first build pauses while it holds the lock; the second starts meanwhile.
    running = _start(tiny_content, work, *first, fault="stage:check:sleep")
    _wait_for_lock(work / "cache", running)
    refused = _run(tiny_content, work, *second)
    _, err = running.communicate(timeout=120)
    assert running.returncode == 0, err.decode()
    assert refused.returncode == 1
    [line] = refused.stderr.strip().splitlines()
    assert "another build is running with this cache folder" in line
    assert line.startswith(f"构建失败: {work / 'cache'}: 另一个构建正在使用这个缓存文件夹")
    assert f"(进程 {running.pid})" in line and f"(process {running.pid})" in line
    clean = _clean(tiny_content, tmp_path / "clean")
    assert tree(work / "site") == clean
    again = _run(tiny_content, work)
    assert again.returncode == 0 and tree(work / "site") == clean


def test_builds_started_together_leave_a_complete_site(tiny_content: Path, tmp_path: Path) -> None:
    _project(tiny_content)
    work = tmp_path / "work"
    builds = [_start(tiny_content, work, "--full"), _start(tiny_content, work)]
    statuses = [(process.wait(timeout=120), process.stderr.read()) for process in builds]
    assert 0 in [status for status, _ in statuses]
    for status, err in statuses:
        assert status == 0 or b"another build is running" in err, err
    clean = _clean(tiny_content, tmp_path / "clean")
    assert tree(work / "site") == clean
    assert _run(tiny_content, work).returncode == 0 and tree(work / "site") == clean


def test_the_lock_is_released_after_a_build_and_refuses_while_held(tmp_path: Path) -> None:
    cache, site = tmp_path / "cache", tmp_path / "site"
    with hold(site, cache):
        code = (
            "import sys; from pathlib import Path; from builder.publish.lock import hold\n"
            "try:\n    hold(Path(sys.argv[1]), Path(sys.argv[2])).__enter__()\n"
            "except Exception as e:\n    print(type(e).__name__)"
        )
        other = subprocess.run(
            [sys.executable, "-c", code, str(site), str(cache)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert other.stdout.strip() == BuildRunning.__name__
    with hold(site, cache):  # released: taken again at once
        pass
    assert not list(tmp_path.rglob(".jixiao-probe-*"))


def test_a_folder_that_is_a_file_is_not_writable(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    with pytest.raises(FolderNotWritable, match="cache folder cannot be written"):
        check_writable(tmp_path / "site", tmp_path / "cache" / "sub")


needs_setpriv = pytest.mark.skipif(SETPRIV is None, reason="setpriv is not installed")


def _unwritable_run(
    content: Path, work: Path, readonly: Path, *flags: str
) -> subprocess.CompletedProcess[str]:
    """Build with `readonly` at mode 555, as a process that modes bind; restores the mode."""
    readonly.chmod(0o555)
    try:
        return _run(content, work, *flags, prefix=UNPRIVILEGED)
    finally:
        readonly.chmod(0o755)


@needs_setpriv
@pytest.mark.parametrize("flags", [(), ("--full",)])
@pytest.mark.parametrize(
    ("readonly", "role"), [("site", "output"), ("site/2023", "output"), ("cache", "cache")]
)
def test_a_folder_that_cannot_be_written_stops_the_build_before_any_change(
    tiny_content: Path, tmp_path: Path, flags: tuple[str, ...], readonly: str, role: str
) -> None:
    form = _project(tiny_content)
    work = tmp_path / "work"
    assert _run(tiny_content, work).returncode == 0
    before, cache_before = tree(work / "site"), tree(work / "cache")
    _edit(form)
    failed = _unwritable_run(tiny_content, work, work / readonly, *flags)
    if readonly == "site/2023":
        # A build writes a new folder (an incremental one links the files it keeps into it)
        # and swaps it in whole: a read-only subfolder of the old site does not stop it.
        assert failed.returncode == 0, failed.stderr
        assert tree(work / "site") == _clean(tiny_content, tmp_path / "clean")
        return
    assert failed.returncode == 1, failed.stderr
    [line] = failed.stderr.strip().splitlines()
    chinese = {"output": "输出", "cache": "缓存"}[role]
    assert line.startswith(f"构建失败: {work / readonly}: {chinese}文件夹无法写入")
    assert f"the {role} folder cannot be written" in line
    assert "Permission denied" in line
    assert tree(work / "site") == before and tree(work / "cache") == cache_before
    assert not [p for p in work.iterdir() if p.name.startswith(".jixiao-")]
    # Writable again: the next build publishes what a clean build does.
    assert _run(tiny_content, work).returncode == 0
    assert tree(work / "site") == _clean(tiny_content, tmp_path / "clean")
