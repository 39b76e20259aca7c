"""The edit benchmark (bench/edit_bench.py) runs an edit and a build with nothing changed on a
built site and reports both; its figures belong in docs/performance.md, never in a test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_edit_bench_edits_one_form_and_reports_both_builds(tmp_path: Path) -> None:
    content, site, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    python = sys.executable
    subprocess.run(
        [python, str(ROOT / "bench" / "corpus.py"), str(content), "--projects", "8", "--seed", "0"],
        check=True,
        capture_output=True,
    )
    build = [python, "-m", "builder", "build", "--content", str(content), "--output", str(site)]
    subprocess.run([*build, "--cache", str(cache), "--no-pdf", "-q"], check=True, cwd=ROOT)
    second = sorted(content.glob("*/*/*.yaml"))[1]
    ran = subprocess.run(
        [
            python,
            str(ROOT / "bench" / "edit_bench.py"),
            str(content),
            str(site),
            str(cache),
            "--runs",
            "1",
            "--no-pdf",
            "--settle",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("edit: ") and "'incremental': True" in lines[0]
    assert lines[1].startswith("unchanged: ") and "'checked': 0" in lines[1]
    assert lines[2].startswith("edit: median") and lines[3].startswith("unchanged: median")
    assert "contact: 计时0-" in second.read_text("utf-8")
    # `--settle`: the build with nothing changed began once the edit's old site was removed
    assert not list(tmp_path.glob(".jixiao-old-*"))


def test_the_edit_bench_edits_a_figure_with_figure(tmp_path: Path) -> None:
    """`--figure` changes the form's declared 总分 too, so that its rows of every table change:
    the published projects.csv holds the new figure."""
    content, site, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    python = sys.executable
    corpus = [python, str(ROOT / "bench" / "corpus.py"), str(content), "--projects", "8"]
    subprocess.run(corpus, check=True, capture_output=True)
    build = [python, "-m", "builder", "build", "--content", str(content), "--output", str(site)]
    subprocess.run([*build, "--cache", str(cache), "--no-pdf", "-q"], check=True, cwd=ROOT)
    bench = [python, str(ROOT / "bench" / "edit_bench.py"), str(content), str(site), str(cache)]
    ran = subprocess.run(
        [*bench, "--runs", "1", "--no-pdf", "--figure"], check=True, capture_output=True, text=True
    )
    assert "'incremental': True" in ran.stdout.splitlines()[0]
    second = sorted(content.glob("*/*/*.yaml"))[1]
    assert "\n  total: 90.00\n" in second.read_text("utf-8")
    rows = (site / "data" / "projects.csv").read_text("utf-8-sig").splitlines()
    assert any(second.stem in row and ",90," in row for row in rows)
