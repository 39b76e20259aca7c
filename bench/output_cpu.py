"""A full build's CPU by stage and by output, on the same corpus, in one run.

    .venv/bin/python bench/output_cpu.py --projects 10000 --rounds 3 [--keep DIR]

The outputs that run alongside (the search index, the form workbooks) share the cores with the
open data, which the building process writes meanwhile, so their cost cannot be read off a
clock. A round is three full builds without PDFs (`build()` in this process, as `jixiao build
--full --no-pdf` runs it), in turn:

- the whole build, its CPU (this process and the processes it waited for) taken at the end of
  each stage run in this process (hash, check, render, then the alongside block, publish,
  record);
- the same without Pagefind (`BuildOptions.search` false: the substring index is still made):
  the difference is what Pagefind's parts and their merge cost;
- the same without the form workbooks (the "xlsx" output left out of `builder.build.OUTPUTS`
  for this build only): the difference is what the workbooks cost.

The open data is then the alongside block's CPU less those two. Reported: medians of the
rounds, in CPU seconds, with the wall seconds of each build and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import builder.build as build_module  # noqa: E402
from bench.corpus import generate  # noqa: E402
from builder.build_options import BuildOptions  # noqa: E402
from builder.timing import Progress  # noqa: E402

WORKBOOKS = "xlsx"


def cpu() -> float:
    """CPU seconds of this process and the children it waited for."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class CpuLaps(Progress):
    """Notes this process's CPU when each stage ends (`finish`), in the order they end."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = [("start", cpu())]

    def finish(self, name: str, seconds: float) -> None:
        self.marks.append((name, cpu()))


def one_build(content: Path, work: Path, *, search: bool, workbooks: bool) -> dict[str, float]:
    """One full build without PDFs into `work`: CPU by stage ended, the total and the wall."""
    shutil.rmtree(work, ignore_errors=True)
    laps = CpuLaps()
    kept = build_module.OUTPUTS
    if not workbooks:
        build_module.OUTPUTS = tuple(o for o in kept if o.name != WORKBOOKS)
    started = time.perf_counter()
    try:
        build_module.build(
            BuildOptions(
                content=content,
                site=work / "site",
                cache=work / "cache",
                pdf=False,
                search=search,
                incremental=False,
                progress=laps,
            )
        )
    finally:
        build_module.OUTPUTS = kept
    wall = time.perf_counter() - started
    figures = {"wall": wall, "cpu": cpu() - laps.marks[0][1]}
    previous = laps.marks[0][1]
    for name, mark in laps.marks[1:]:
        figures[f"cpu:{name}"] = figures.get(f"cpu:{name}", 0.0) + mark - previous
        previous = mark
    return figures


def split(whole: dict[str, float], no_search: float, no_workbooks: float) -> dict[str, float]:
    """The whole build's CPU by stage, the alongside block cut into its outputs."""
    serial = ("hash", "check", "render", "publish", "record")
    stages = {name: whole.get(f"cpu:{name}", 0.0) for name in serial}
    block = whole["cpu"] - sum(stages.values())
    search = whole["cpu"] - no_search
    workbooks = whole["cpu"] - no_workbooks
    return {
        **stages,
        "search (Pagefind)": search,
        "form workbooks": workbooks,
        "open data (the rest of the block)": block - search - workbooks,
        "whole build": whole["cpu"],
        "wall": whole["wall"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--content", type=Path, help="an existing corpus instead of a new one")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-output-cpu-"))
    work.mkdir(parents=True, exist_ok=True)
    content = args.content
    if content is None:
        content = work / "corpus"
        if not (content / "site.yaml").exists():
            generate(content, args.projects)
    rounds: list[dict[str, float]] = []
    walls: dict[str, list[float]] = {"whole": [], "no search": [], "no workbooks": []}
    load_before = os.getloadavg()
    try:
        for _ in range(args.rounds):
            whole = one_build(content, work / "build", search=True, workbooks=True)
            no_search = one_build(content, work / "build", search=False, workbooks=True)
            no_books = one_build(content, work / "build", search=True, workbooks=False)
            rounds.append(split(whole, no_search["cpu"], no_books["cpu"]))
            walls["whole"].append(whole["wall"])
            walls["no search"].append(no_search["wall"])
            walls["no workbooks"].append(no_books["wall"])
            print(json.dumps(rounds[-1]), file=sys.stderr, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    medians = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print("| stage or output | CPU s, median | rounds |")
    print("| --- | ---: | --- |")
    for key, value in medians.items():
        if key == "wall":
            continue
        each = ", ".join(f"{r[key]:.1f}" for r in rounds)
        print(f"| {key} | {value:.1f} | {each} |")
    for name, values in walls.items():
        print(f"wall, {name}: median {statistics.median(values):.1f} s ({values})")
    print(f"load average before {load_before}, after {os.getloadavg()}")


if __name__ == "__main__":
    main()
