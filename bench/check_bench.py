"""How fast `jixiao check` loads, validates and scores a large content folder.

Generates a synthetic corpus (bench/corpus.py; kept under bench/out/ and reused while the
generator is unchanged), then times `builder.rules.check.check_content` with one process and with all
cores, and the `jixiao check --json` command as a whole process. Every measurement runs in a fresh
process, so caches start cold and peak memory is that run's own; the configurations take turns,
round after round, so that a busy spell on the machine does not fall on one of them only.

    .venv/bin/python bench/check_bench.py --projects 10000 --runs 5

Reported per configuration: median wall time and its min–max, projects per second, wall
milliseconds per project per core (wall × processes / projects), CPU milliseconds per project (all
processes; steadier than wall time when other work shares the machine) and peak resident memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PYTHON = Path(sys.executable)
JIXIAO = PYTHON.parent / "jixiao"

# The targets this benchmark checks, on a 2-core machine.
TARGET_WALL_SECONDS_ALL_CORES = 6.0  # for 10,000 projects
TARGET_MS_PER_PROJECT_PER_CORE = 1.0


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # seconds of user + system time, all processes
    peak_rss_mb: float  # the largest process
    projects: int


@dataclass
class Summary:
    name: str
    processes: int
    samples: list[Sample] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def projects(self) -> int:
        return self.samples[0].projects

    def median_wall(self) -> float:
        return statistics.median(self.walls)

    def as_json(self) -> dict[str, object]:
        wall = self.median_wall()
        return {
            "name": self.name,
            "processes": self.processes,
            "projects": self.projects,
            "runs": len(self.samples),
            "wall_s_median": round(wall, 3),
            "wall_s_min": round(min(self.walls), 3),
            "wall_s_max": round(max(self.walls), 3),
            "projects_per_s": round(self.projects / wall),
            "ms_per_project_per_core": round(wall * self.processes / self.projects * 1000, 3),
            "cpu_ms_per_project": round(
                statistics.median(s.cpu for s in self.samples) / self.projects * 1000, 3
            ),
            "peak_rss_mb": round(max(s.peak_rss_mb for s in self.samples), 1),
            "samples": [asdict(s) for s in self.samples],
        }


def _generator_digest() -> str:
    return hashlib.sha256((BENCH / "corpus.py").read_bytes()).hexdigest()[:16]


def corpus_folder(projects: int, seed: int) -> Path:
    """The benchmark corpus, generated once and reused while bench/corpus.py is unchanged."""
    sys.path.insert(0, str(BENCH))
    import corpus

    folder = OUT / f"check-corpus-{projects}-seed{seed}"
    stamp = folder.with_suffix(".json")
    wanted = {"projects": projects, "seed": seed, "generator": _generator_digest()}
    if folder.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    made = corpus.generate(folder, projects=projects, seed=seed)
    print(
        f"generated {made.projects} forms ({made.lines} projects, {made.units} units, "
        f"{made.departments} departments, years {made.years[0]}–{made.years[-1]}) "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    stamp.write_text(json.dumps(wanted))
    return folder


def _rusage_children() -> resource.struct_rusage:
    return resource.getrusage(resource.RUSAGE_CHILDREN)


def measure_in_process(content: Path, jobs: int) -> Sample:
    """One `check_content` call, in this (fresh) process: prints nothing, returns the sample."""
    from builder.rules.check import check_content
    from builder.rules.findings import Severity

    before_self = resource.getrusage(resource.RUSAGE_SELF)
    before_children = _rusage_children()
    started = time.perf_counter()
    result = check_content(content, jobs=jobs)
    wall = time.perf_counter() - started
    after_self = resource.getrusage(resource.RUSAGE_SELF)
    after_children = _rusage_children()
    if result.count(Severity.error):
        raise SystemExit(f"the corpus has {result.count(Severity.error)} errors")
    cpu = (
        after_self.ru_utime
        - before_self.ru_utime
        + after_self.ru_stime
        - before_self.ru_stime
        + after_children.ru_utime
        - before_children.ru_utime
        + after_children.ru_stime
        - before_children.ru_stime
    )
    peak_kb = max(after_self.ru_maxrss, after_children.ru_maxrss)  # Linux: kilobytes
    return Sample(wall, cpu, peak_kb / 1024, len(result.projects))


def run_in_fresh_process(content: Path, jobs: int) -> Sample:
    completed = subprocess.run(
        [str(PYTHON), str(Path(__file__).resolve()), "--measure", str(content), str(jobs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"measurement failed:\n{completed.stdout}{completed.stderr}")
    return Sample(**json.loads(completed.stdout.strip().splitlines()[-1]))


def run_cli(content: Path, projects: int) -> Sample:
    """`jixiao check --json CONTENT > /dev/null`: the whole process, start-up included."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(JIXIAO), "check", "--json", str(content)], stdout=subprocess.DEVNULL, cwd=ROOT
    )
    # wait4 reports the process and the worker processes it waited for.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"jixiao check exited with {process.returncode}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, projects)


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _print_table(summaries: list[Summary]) -> None:
    header = (
        f"{'configuration':<28} {'wall s (median, min–max)':>26} {'projects/s':>10} "
        f"{'ms/project/core':>15} {'CPU ms/project':>14} {'peak RSS MB':>11}"
    )
    print(header)
    print("-" * len(header))
    for summary in summaries:
        row = summary.as_json()
        wall = f"{row['wall_s_median']:.2f} ({row['wall_s_min']:.2f}–{row['wall_s_max']:.2f})"
        print(
            f"{summary.name:<28} {wall:>26} {row['projects_per_s']:>10} "
            f"{row['ms_per_project_per_core']:>15.3f} {row['cpu_ms_per_project']:>14.3f} "
            f"{row['peak_rss_mb']:>11.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000, help="forms in the corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5, help="runs per configuration")
    parser.add_argument("--content", type=Path, help="time this content folder instead")
    parser.add_argument("--no-cli", action="store_true", help="skip timing the jixiao command")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--measure", nargs=2, metavar=("CONTENT", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        sample = measure_in_process(Path(args.measure[0]), int(args.measure[1]))
        print(json.dumps(asdict(sample)))
        return 0

    content = args.content or corpus_folder(args.projects, args.seed)
    projects = sum(1 for p in content.rglob("*.yaml") if p.name != "site.yaml")
    cores = os.cpu_count() or 1
    summaries = [Summary("check_content, jobs=1", 1)]
    if cores > 1:
        summaries.append(Summary(f"check_content, jobs={cores}", cores))
    cli = None if args.no_cli else Summary(f"jixiao check --json, -j {cores}", cores)
    info = machine()
    print(
        f"{projects} projects in {content}; {info['cores']} cores ({info['cpu']}), "
        f"Python {info['python']}; load average {_load()}",
        flush=True,
    )
    for run in range(1, args.runs + 1):
        for summary in summaries:
            summary.samples.append(run_in_fresh_process(content, summary.processes))
        if cli is not None:
            cli.samples.append(run_cli(content, projects))
        walls = ", ".join(
            f"{s.samples[-1].wall:.2f}" for s in [*summaries, *([cli] if cli else [])]
        )
        print(f"run {run}/{args.runs}: {walls} s (load average {_load()})", flush=True)
    everything = [*summaries, *([cli] if cli else [])]
    print()
    _print_table(everything)

    print()
    all_cores = summaries[-1]
    wall = all_cores.median_wall()
    scale = 10_000 / all_cores.projects
    verdicts = [
        (
            f"10,000 projects in ≤ {TARGET_WALL_SECONDS_ALL_CORES:g} s wall on {cores} cores",
            wall * scale <= TARGET_WALL_SECONDS_ALL_CORES,
            f"{wall * scale:.2f} s (median{'' if scale == 1 else ', scaled to 10,000'})",
        )
    ]
    for summary in summaries:
        per_core = summary.median_wall() * summary.processes / summary.projects * 1000
        verdicts.append(
            (
                f"≤ {TARGET_MS_PER_PROJECT_PER_CORE:g} ms per project per core, {summary.name}",
                per_core <= TARGET_MS_PER_PROJECT_PER_CORE,
                f"{per_core:.3f} ms",
            )
        )
    for label, met, figure in verdicts:
        print(f"{'met' if met else 'MISSED':>6}: {label}: {figure}")
    print(f"load average at the end: {_load()}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "content": str(content),
                    "projects": projects,
                    "results": [s.as_json() for s in everything],
                    "targets": [
                        {"target": label, "met": met, "measured": figure}
                        for label, met, figure in verdicts
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if all(met for _, met, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
