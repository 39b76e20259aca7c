"""One edit and one build with nothing changed, on a site already built: wall and CPU.

    .venv/bin/python bench/edit_bench.py CONTENT SITE CACHE --runs 3 [--no-pdf]

CONTENT, SITE and CACHE are those of a site built before (for instance the 10,000-form site of
`bench/hugo_bench.py --pdf --keep DIR`: `DIR/content`, `DIR/site-pdf`, `DIR/cache-pdf`; build
it once with the code to measure first, since a build after a change of the code is a full
one). Each round changes the `contact:` (项目负责人) line of the second form in path order and
runs `jixiao build --jobs 2` as a fresh process, then runs it again with nothing changed.
Printed per build: wall seconds, CPU seconds of the command and every process it waited
for, the build's summary and the load average; then the medians. The content is left edited.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(command: list[str]) -> tuple[float, float, dict[str, object]]:
    """(wall s, CPU s of the command and its children, its JSON summary) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    ran = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if ran.returncode not in (0, 3):
        raise SystemExit(f"build failed ({ran.returncode}): {ran.stderr[-2000:]}")
    return wall, cpu, json.loads(ran.stdout)["summary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    target = sorted(args.content.glob("*/*/*.yaml"))[1]
    command = [sys.executable, "-m", "builder", "build", "--content", str(args.content)]
    command += ["--output", str(args.site), "--cache", str(args.cache), "--jobs", "2"]
    command += ["--quiet", "--json"] + (["--no-pdf"] if args.no_pdf else [])
    times: dict[str, list[tuple[float, float]]] = {"edit": [], "unchanged": []}
    for number in range(args.runs):
        text = target.read_text("utf-8")
        line = f"contact: 计时{number}-{os.getpid()}"
        target.write_text(re.sub(r"^contact: .*$", line, text, count=1, flags=re.M), "utf-8")
        for scenario in ("edit", "unchanged"):
            wall, cpu, summary = _timed(command)
            times[scenario].append((wall, cpu))
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"{scenario}: {wall:.2f} s wall, {cpu:.2f} s CPU, load {load}, {summary}")
    for scenario, runs in times.items():
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(f"{scenario}: median {wall:.2f} s wall, {cpu:.2f} s CPU ({len(runs)} runs)")


if __name__ == "__main__":
    main()
