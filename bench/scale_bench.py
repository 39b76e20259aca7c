"""How a full build grows with the number of forms: time and peak memory by stage.

    .venv/bin/python bench/scale_bench.py --sizes 1000,10000,30000 [--keep /tmp/scale]
    .venv/bin/python bench/scale_bench.py --sizes 100000 --keep /tmp/scale   # start and leave

For each size the corpus is written once (`bench/corpus.py`, seed 0; kept under `--keep` and
reused by later runs) and built from nothing (`--full`, an empty cache, no site, no PDFs, as
the full-build figure of docs/performance.md; `--pdf`: with the PDFs, from an empty PDF cache)
in a fresh interpreter, which samples its own
process tree every `--every` seconds: the proportional set size (PSS: a page shared by the
builder and the worker processes it forked is counted once, split between them) summed over
the builder and all its worker processes. Each sample is put down to the stage the build was
in (the stages the build names to its `Progress`: hash, plan, check, render, ...; those that
run alongside the others, such as the search index and the form workbooks, report only their
seconds).

Printed, per size: the wall time of the build and of each stage, the peak memory of the whole
tree and within each stage, and the seconds per 1,000 forms with their ratio to the smallest
size's (1.00 is linear growth), and the CPU seconds of the whole command, every process it
waited for included (on a shared machine the steadier figure). A second table gives, per stage, the wall and CPU
seconds sampled while the build was in it and their ratio: how many cores the stage kept busy
(2.00 on this machine is both, all the time). Memory sampled between two stages is put down to `after <the
stage that ended>`: what the stages running alongside hold then. `--json FILE` writes the same
figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024


def _tree_usage(process: Any) -> tuple[int, float]:
    """(PSS in bytes, CPU seconds) of `process` and all its descendants.

    RSS stands in where PSS cannot be read. The CPU counts each live process's own time and
    that of the processes it has waited for, so a worker that has ended is still counted."""
    import psutil

    memory, cpu = 0, 0.0
    for member in [process, *process.children(recursive=True)]:
        try:
            info = member.memory_full_info()
            times = member.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        memory += getattr(info, "pss", info.rss)
        cpu += times.user + times.system + times.children_user + times.children_system
    return memory, cpu


class _Sampler:
    """Samples the tree's memory and CPU in a thread, each sample put down to the current stage.

    `peaks` is the largest PSS seen in each stage, `cpu` the CPU seconds the tree used in it and
    `wall` its seconds: `cpu / wall` is how many of the machine's cores the stage kept busy."""

    def __init__(self, every: float) -> None:
        import psutil

        self.process = psutil.Process()
        self.every = every
        self.stage = "start"
        self.peaks: dict[str, int] = {}
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last_cpu, last_time = _tree_usage(self.process)[1], time.perf_counter()
        while not self._done.is_set():
            used, cpu = _tree_usage(self.process)
            now = time.perf_counter()
            stage = self.stage
            self.peaks[stage] = max(self.peaks.get(stage, 0), used)
            self.peak = max(self.peak, used)
            self.cpu[stage] = self.cpu.get(stage, 0.0) + max(cpu - last_cpu, 0.0)
            self.wall[stage] = self.wall.get(stage, 0.0) + now - last_time
            last_cpu, last_time = cpu, now
            self._done.wait(self.every)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def _children_cpu() -> float:
    """CPU seconds of the processes this one has waited for (and of those they waited for)."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _one(content: Path, work: Path, jobs: int, every: float, pdf: bool = False) -> dict[str, Any]:
    """Build `content` from nothing into `work`, sampling memory; the figures as a dict.
    `pdf`: with the PDFs (and their booklets and links), from an empty PDF cache."""
    from builder.build import build
    from builder.build_options import BuildOptions
    from builder.timing import Progress

    sampler = _Sampler(every)

    class Stages(Progress):
        def stage(self, name: str, total: int | None = None) -> None:
            sampler.stage = name

        def finish(self, name: str, seconds: float) -> None:
            # the next stage starts when this one ends, until it names itself
            sampler.stage = f"after {name}"

    options = BuildOptions(
        content=content,
        site=work / "site",
        cache=work / "cache",
        pdf=pdf,
        incremental=False,
        jobs=jobs,
        progress=Stages(),
    )
    started = time.perf_counter()
    with sampler:
        report = build(options)
    wall = time.perf_counter() - started
    peaks = {stage: round(used / MB) for stage, used in sampler.peaks.items()}
    return {
        "projects": report.projects,
        "wall": round(wall, 2),
        "stages": {name: round(seconds, 2) for name, seconds in report.seconds.items()},
        "peak_mb": round(sampler.peak / MB),
        "stage_peak_mb": peaks,
        # CPU seconds of the whole tree and wall seconds, by the stage the build was in
        "stage_cpu": {stage: round(cpu, 1) for stage, cpu in sampler.cpu.items()},
        "stage_wall": {stage: round(wall, 1) for stage, wall in sampler.wall.items()},
    }


def _corpus(keep: Path, size: int) -> Path:
    """The corpus of `size` forms under `keep`, written once."""
    content = keep / f"corpus-{size}"
    done = content / ".complete"
    if not done.exists():
        shutil.rmtree(content, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "corpus.py"),
                str(content),
                "--projects",
                str(size),
                "--seed",
                "0",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        done.write_text("")
    return content


def _measure(keep: Path, size: int, jobs: int, every: float, pdf: bool) -> dict[str, Any]:
    """One size's figures, from a fresh interpreter (so one size's memory is not another's)."""
    content = _corpus(keep, size)
    work = keep / f"build-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    before = _children_cpu()
    ran = subprocess.run(
        [
            sys.executable,
            __file__,
            "--one",
            str(content),
            str(work),
            "--jobs",
            str(jobs),
            "--every",
            str(every),
            *(["--pdf"] if pdf else []),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=keep,
    )
    shutil.rmtree(work, ignore_errors=True)
    figures = json.loads(ran.stdout.strip().splitlines()[-1])
    # the whole command's CPU, every process it waited for included (as the Hugo bench's)
    figures["cpu"] = round(_children_cpu() - before, 2)
    figures["load"] = [round(x, 1) for x in os.getloadavg()]
    return figures


def _table(results: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table, with the growth against the smallest size."""
    base = results[0]["wall"] / results[0]["projects"]
    stages = sorted(
        {s for r in results for s in r["stages"]},
        key=lambda s: -statistics.mean(r["stages"].get(s, 0) / r["projects"] for r in results),
    )
    lines = [
        "| forms | wall s | CPU s | s per 1,000 | growth | peak MB | "
        + " | ".join(f"{s} s (peak MB)" for s in stages)
        + " | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | "
        + " | ".join("---:" for _ in stages)
        + " | --- |",
    ]
    for r in results:
        per = r["wall"] / r["projects"]
        cells = [
            f"{r['stages'][s]:.1f} ({r['stage_peak_mb'].get(s, '–')})" if s in r["stages"] else "–"
            for s in stages
        ]
        lines.append(
            f"| {r['projects']:,} | {r['wall']:.1f} | {r['cpu']:.1f} | {per * 1000:.1f} | {per / base:.2f} | "
            f"{r['peak_mb']:,} | " + " | ".join(cells) + f" | {'/'.join(map(str, r['load']))} |"
        )
    return "\n".join(lines)


def _cores_table(results: list[dict[str, Any]]) -> str:
    """Per size and stage: wall and CPU seconds sampled in it, and the cores it kept busy."""
    lines = [
        "| forms | stage | wall s | CPU s | cores busy |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        for stage, wall in r.get("stage_wall", {}).items():
            cpu = r["stage_cpu"].get(stage, 0.0)
            busy = f"{cpu / wall:.2f}" if wall else "–"
            lines.append(f"| {r['projects']:,} | {stage} | {wall:.1f} | {cpu:.1f} | {busy} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000", help="comma-separated form counts")
    parser.add_argument("--keep", type=Path, help="work here and keep the corpora for next time")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--pdf", action="store_true", help="build the PDFs too (cold PDF cache)")
    parser.add_argument("--one", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one[0], args.one[1], args.jobs, args.every, args.pdf)))
        return
    keep = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-scale-"))
    keep.mkdir(parents=True, exist_ok=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        results.append(_measure(keep.resolve(), size, args.jobs, args.every, args.pdf))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print(_table(results))
    print()
    print(_cores_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(keep, ignore_errors=True)


if __name__ == "__main__":
    main()
