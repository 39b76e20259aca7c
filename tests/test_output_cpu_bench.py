"""The bench of a full build's CPU by output (bench/output_cpu.py) runs, cuts the build into
its stages and outputs, and leaves the declared outputs as they were.

Its figures belong in docs/performance.md, never in a test: a small corpus is built for real
and the report's shape checked; the cut itself is arithmetic, checked on figures given here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import output_cpu  # noqa: E402


def test_the_block_run_alongside_is_cut_by_the_two_builds_without() -> None:
    whole = {
        "cpu": 100.0,
        "wall": 50.0,
        "cpu:hash": 1.0,
        "cpu:check": 10.0,
        "cpu:render": 20.0,
        "cpu:export": 60.0,  # the end of the block: open data, search and workbooks
        "cpu:publish": 2.0,
        "cpu:record": 7.0,
    }
    cut = output_cpu.split(whole, no_search=75.0, no_workbooks=85.0)
    assert cut["search (Pagefind)"] == pytest.approx(25.0)
    assert cut["form workbooks"] == pytest.approx(15.0)
    assert cut["open data (the rest of the block)"] == pytest.approx(20.0)
    parts = [v for k, v in cut.items() if k not in ("whole build", "wall")]
    assert sum(parts) == pytest.approx(whole["cpu"])


def test_the_bench_runs_and_reports_every_stage_and_output(tmp_path: Path) -> None:
    ran = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "output_cpu.py"),
            "--projects",
            "12",
            "--rounds",
            "1",
            "--keep",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    rows = [line.split("|")[1].strip() for line in ran.stdout.splitlines() if line.startswith("| ")]
    for name in ("check", "render", "search (Pagefind)", "form workbooks", "whole build"):
        assert name in rows
    assert "open data (the rest of the block)" in rows
    assert (tmp_path / "work" / "build" / "site" / "index.html").is_file()


def test_leaving_the_workbooks_out_is_undone_after_the_build(tmp_path: Path) -> None:
    import builder.build as build_module
    from bench.corpus import generate

    declared = build_module.OUTPUTS
    generate(tmp_path / "corpus", 6)
    figures = output_cpu.one_build(
        tmp_path / "corpus", tmp_path / "build", search=False, workbooks=False
    )
    assert build_module.OUTPUTS is declared
    assert not list((tmp_path / "build" / "site").glob("*/*/*/*.xlsx"))
    assert figures["cpu"] > 0 and "cpu:render" in figures
