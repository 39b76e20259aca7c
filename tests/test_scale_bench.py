"""The scale benchmark (bench/scale_bench.py) runs and reports every size with its memory.

Its figures belong in docs/performance.md, never in a test: here two small sizes are built for
real and the report checked for what the issue asks of it (time and peak memory by stage).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_scale_bench_reports_time_and_memory_by_stage(tmp_path: Path) -> None:
    figures = tmp_path / "scale.json"
    ran = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "scale_bench.py"),
            "--sizes",
            "12,24",
            "--keep",
            str(tmp_path / "work"),
            "--every",
            "0.1",
            "--jobs",
            "2",
            "--json",
            str(figures),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    results = json.loads(figures.read_text(encoding="utf-8"))
    assert [r["projects"] for r in results] == [12, 24]
    for result in results:
        assert {"check", "render", "export", "search"} <= set(result["stages"])
        assert result["peak_mb"] >= max(result["stage_peak_mb"].values()) > 20
        assert 0 < result["cpu"] and 0 < result["wall"]
        # the CPU sampled by stage adds up to about the whole tree's (samples miss the last
        # moments of a process)
        sampled = sum(result["stage_cpu"].values())
        assert 0 < sampled <= result["cpu"] * 1.1
        assert result["stage_wall"].keys() == result["stage_cpu"].keys()
    table, cores = ran.stdout.split("\n\n")
    lines = table.splitlines()
    assert lines[0].startswith("| forms | wall s | CPU s |") and len(lines) == 4
    rows = cores.splitlines()
    assert rows[0] == "| forms | stage | wall s | CPU s | cores busy |"
    # one row for each stage sampled at each size (a stage shorter than a sample has none)
    assert sorted((row.split(" | ")[0], row.split(" | ")[1]) for row in rows[2:]) == sorted(
        (f"| {r['projects']:,}", stage) for r in results for stage in r["stage_wall"]
    )
    # the corpora are kept for the next run, the builds are not
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["corpus-12", "corpus-24"]
