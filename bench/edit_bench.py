"""One edit and one build with nothing changed, on a site already built: wall and CPU.

    .venv/bin/python bench/edit_bench.py CONTENT SITE CACHE --runs 3 [--no-pdf] [--stages]

CONTENT, SITE and CACHE are those of a site built before (for instance the 10,000-form site of
`bench/hugo_bench.py --pdf --keep DIR`: `DIR/content`, `DIR/site-pdf`, `DIR/cache-pdf`; build
it once with the code to measure first, since a build after a change of the code is a full
one). Each round changes the `contact:` (项目负责人) line of the second form in path order and
runs `jixiao build --jobs 2` as a fresh process, then runs it again with nothing changed. With `--figure`, each round also changes the form's
declared 总分 (`declared: total`): a figure, so its rows of every table change (the tables
spliced, the year workbook joined, the SQLite file made again), where a contact changes its
JSON records only.
Printed per build: wall seconds, CPU seconds of the command and every process it waited
for, the build's summary and the load average; then the medians. The content is left edited.

`--stages` runs each build through the Python API instead (`build()` in a fresh process, the
same options) and prints, besides, each stage's wall seconds (`BuildReport.seconds`) and the
building process's CPU seconds during each stage it runs in turn (threads included; the
stages run alongside have wall seconds only), with their medians. `--profile DIR` (with
`--stages`) writes a cProfile of each build, timed by CPU, as DIR/<scenario>-<round>.prof.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _timed(command: list[str]) -> tuple[float, float, dict[str, Any]]:
    """(wall s, CPU s of the command and its children, its JSON document) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    ran = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if ran.returncode not in (0, 3):
        raise SystemExit(f"build failed ({ran.returncode}): {ran.stderr[-2000:]}")
    return wall, cpu, json.loads(ran.stdout)


def stage_cpu() -> Any:
    """A `builder.timing.Progress` (of the `builder` first on the path) that keeps, in its
    `cpu` (stage name -> seconds), this process's CPU seconds during each stage."""
    from builder.timing import Progress

    class Stages(Progress):
        def __init__(self) -> None:
            self.cpu: dict[str, float] = {}
            self.started = time.process_time()

        def stage(self, name: str, total: int | None = None) -> None:
            self.started = time.process_time()

        def finish(self, name: str, seconds: float) -> None:
            self.cpu[name] = time.process_time() - self.started

    return Stages()


def _one(args: argparse.Namespace) -> None:
    """`--one`: one build through `build()` here; prints one JSON line: its summary, each
    stage's wall seconds (`seconds`) and this process's CPU seconds in each (`cpu`)."""
    sys.path.insert(0, str(ROOT))
    from builder.build import BuildOptions, build

    stages = stage_cpu()
    options = BuildOptions(
        content=args.content,
        site=args.site,
        cache=args.cache,
        jobs=2,
        pdf=not args.no_pdf,
        progress=stages,
    )
    if args.profile is not None:
        import cProfile

        profile = cProfile.Profile(time.process_time)
        report = profile.runcall(build, options)
        profile.dump_stats(args.profile)
    else:
        report = build(options)
    summary = {
        "checked": report.checked,
        "incremental": report.incremental,
        "unchanged": report.unchanged,
        "pages": report.pages,
    }
    print(json.dumps({"summary": summary, "seconds": report.seconds, "cpu": stages.cpu}))


def _row(seconds: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.2f}" for name, value in seconds.items())


def _median_table(rows: list[dict[str, float]]) -> str:
    names = list(dict.fromkeys(name for row in rows for name in row))
    return ", ".join(
        f"{name} {statistics.median(row.get(name, 0.0) for row in rows):.2f}" for name in names
    )


def _settle(site: Path) -> None:
    """Wait until no old site swapped out beside `site` is left (the detached removal that a
    build starts after publishing), at most 120 s."""
    from builder.publish.staging import OLD_PREFIX

    deadline = time.monotonic() + 120
    while any(site.parent.glob(OLD_PREFIX + "*")) and time.monotonic() < deadline:
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--profile", type=Path)
    parser.add_argument(
        "--settle",
        action="store_true",
        help="before each build, wait (up to 120 s) until the last build's old site is removed "
        "(its detached rm runs on after the build; without this, builds back to back share "
        "the disk with it)",
    )
    parser.add_argument(
        "--figure", action="store_true", help="edit the declared 总分 too: every table changes"
    )
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return _one(args)
    target = sorted(args.content.glob("*/*/*.yaml"))[1]
    if args.stages:
        command = [sys.executable, __file__, "--one", str(args.content), str(args.site)]
        command += [str(args.cache)] + (["--no-pdf"] if args.no_pdf else [])
    else:
        command = [sys.executable, "-m", "builder", "build", "--content", str(args.content)]
        command += ["--output", str(args.site), "--cache", str(args.cache), "--jobs", "2"]
        command += ["--quiet", "--json"] + (["--no-pdf"] if args.no_pdf else [])
    times: dict[str, list[tuple[float, float]]] = {"edit": [], "unchanged": []}
    stages: dict[str, list[dict[str, float]]] = {"edit": [], "unchanged": []}
    cpus: dict[str, list[dict[str, float]]] = {"edit": [], "unchanged": []}
    for number in range(args.runs):
        text = target.read_text("utf-8")
        line = f"contact: 计时{number}-{os.getpid()}"
        text = re.sub(r"^contact: .*$", line, text, count=1, flags=re.M)
        if args.figure:  # 总分 90.00, 90.01, ...: never the one before
            total = f"  total: 90.{number % 100:02d}"
            text = re.sub(r"^  total: [0-9.]+$", total, text, count=1, flags=re.M)
        target.write_text(text, "utf-8")
        for scenario in ("edit", "unchanged"):
            extra = []
            if args.stages and args.profile is not None:
                args.profile.mkdir(parents=True, exist_ok=True)
                extra = ["--profile", str(args.profile / f"{scenario}-{number}.prof")]
            if args.settle:
                _settle(args.site)
            wall, cpu, document = _timed(command + extra)
            summary = document["summary"]
            times[scenario].append((wall, cpu))
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"{scenario}: {wall:.2f} s wall, {cpu:.2f} s CPU, load {load}, {summary}")
            if args.stages:
                stages[scenario].append(document["seconds"])
                cpus[scenario].append(document["cpu"])
                print(f"  stages, wall s: {_row(document['seconds'])}")
                print(f"  stages, CPU s: {_row(document['cpu'])}")
    for scenario, runs in times.items():
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(f"{scenario}: median {wall:.2f} s wall, {cpu:.2f} s CPU ({len(runs)} runs)")
        if args.stages:
            print(f"  median stage wall s: {_median_table(stages[scenario])}")
            print(f"  median stage CPU s: {_median_table(cpus[scenario])}")


if __name__ == "__main__":
    main()
