"""A build that makes PDFs leaves no temporary folder behind, wherever its PDFs are laid out.

WeasyPrint's `FontConfiguration` copies the @font-face fonts into `mkdtemp(prefix="weasyprint-")`
(10 MB with the CJK subsets) and removes it in its finaliser only, which does not run for an
object alive at the interpreter's exit or held in a cycle the collector never frees
(Kozea/WeasyPrint#2090); the test suite once left 5,000 of them. Each way of laying PDFs out
is run in its own process with TMPDIR set to a fresh folder, which must be empty once that
process has exited.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import SITE_YAML, minimal_project, write_project

ROOT = Path(__file__).resolve().parent.parent

# Each runs in a fresh interpreter, given (content, workdir) as argv[1:3].
WRITE_PDFS = """
import sys, tempfile
from pathlib import Path
from builder.config import PdfSettings
from builder.pdf.stage import write_pdfs
from builder.rules.check import check_content
content, work = Path(sys.argv[1]), Path(sys.argv[2])
result = check_content(content)
# Two caches: two sets of fonts, so the second build replaces the first one's renderer.
for cache in ("cache", "other-cache"):
    report = write_pdfs(result, result.config, PdfSettings(), work / "site", work / cache, JOBS)
    assert report.rendered == 3 and report.booklets_rendered == 2, report
    # A long-lived process (the preview, the test suite) keeps at most its current one.
    assert len(list(Path(tempfile.gettempdir()).glob("weasyprint-*"))) <= 1
"""

ON_DASK = """
import sys
from pathlib import Path
from distributed import LocalCluster
from builder.build import BuildOptions, build
content, work = Path(sys.argv[1]), Path(sys.argv[2])
with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                  host="127.0.0.1") as cluster:
    options = BuildOptions(content=content, site=work / "site", cache=work / "cache",
                           search=False, executor=cluster.scheduler_address.replace("tcp", "dask"))
    assert build(options).pdfs_rendered == 5
"""


def _content(root: Path) -> Path:
    content = root / "content"
    content.mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for name, unit in (("xa", "ceshi"), ("xb", "ceshi"), ("xc", "qita")):
        write_project(content, minimal_project(id=name, name=f"{name}项目"), f"{name}.yaml", unit)
    return content


def _run(tmp_path: Path, command: list[str]) -> list[str]:
    """Run `command` with TMPDIR a fresh folder; what it left there once it exited."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = os.environ | {"TMPDIR": str(temporary), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return sorted(p.name for p in temporary.iterdir())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_leaves_no_temporary_folder(tmp_path: Path, jobs: int) -> None:
    """`jixiao build`: the PDFs laid out by the worker processes started with the build.
    Old code: one `weasyprint-*` left per worker process."""
    content = _content(tmp_path)
    args = ["build", "--content", str(content), "-o", "site", "--cache", "cache", "-q"]
    left = _run(tmp_path, [sys.executable, "-m", "builder", *args, "--jobs", str(jobs)])
    assert left == []
    assert len(list((tmp_path / "site").rglob("*.pdf"))) == 5


@pytest.mark.parametrize(("jobs", "where"), [(1, "in process"), (2, "in forked pools")])
def test_pdfs_laid_out_by_the_stage_alone_leave_no_temporary_folder(
    tmp_path: Path, jobs: int, where: str
) -> None:
    """`write_pdfs` without the build's workers, twice with other fonts: in the calling
    process (one job), or in pools it forks (two). Old code: in process, the first renderer's
    folder stayed while the second rendered (removed at exit); in pools, one left by each
    worker process."""
    content = _content(tmp_path)
    script = textwrap.dedent(WRITE_PDFS).replace("JOBS", str(jobs))
    left = _run(tmp_path, [sys.executable, "-c", script, str(content), str(tmp_path)])
    assert left == [], where


def test_pdfs_laid_out_on_a_dask_cluster_leave_no_temporary_folder(tmp_path: Path) -> None:
    """A Dask worker process: its renderer's fonts and the fonts sent to it
    (`jixiao-fonts-*`) are removed when it exits; old code left both."""
    content = _content(tmp_path)
    left = _run(tmp_path, [sys.executable, "-c", textwrap.dedent(ON_DASK), str(content), "w"])
    # Dask's own scratch space of a worker (`dask-scratch-space`) is Dask's to keep.
    assert [name for name in left if not name.startswith("dask-")] == []
