"""The template scenario by stage, A/B: one line added to the page frame and built again, by
two copies of jixiao's code, interleaved (A and B alternate first), after one full build each.

    python bench/template_bench.py --content /tmp/c10k --a /work/main --b . --rounds 3 \
        --work /tmp/tb [--pdf] [--jobs 2]

Each side runs from a copy of its `builder/` and `templates/` in the work folder (as
`hugo_bench.py` does), so the frame is changed in the copy, never in a checkout. Each build
runs `build()` in a fresh process (`--one`), which prints each stage's wall seconds and the
CPU seconds of the building process in each; the CPU of the whole build (the process and the
children it waited for) and its wall seconds are taken here. Before each build the old site
a full build removes in a detached process is waited for (at most 120 s), on both sides. After the rounds,
each side's site is compared with a `--full` build of the same content and templates
(`tree_digest.py`), and the two sides' sites with each other. Prints JSON: every round, the
medians, the load averages.
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
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
# `hugo_bench` and `tree_digest` are imported by the driver alone: `hugo_bench` puts this
# checkout first on sys.path, and a `--one` build must import the side's copy of `builder`.


def _one(args: argparse.Namespace) -> None:
    """`--one`: one build through `build()` here (the code on PYTHONPATH); prints one JSON
    line: its summary, each stage's wall seconds and this process's CPU seconds in each."""
    from builder.build import BuildOptions, build

    sys.path.insert(1, str(Path(__file__).resolve().parent))
    from edit_bench import stage_cpu  # the same per-stage CPU as the edit bench

    stages = stage_cpu()
    report = build(
        BuildOptions(
            content=args.content,
            site=args.site,
            cache=args.cache,
            jobs=args.jobs,
            pdf=args.pdf,
            incremental=not args.full,
            progress=stages,
        )
    )
    summary = {"checked": report.checked, "incremental": report.incremental}
    summary["data_files"] = report.data_files
    summary["code"] = str(Path(sys.modules["builder"].__file__ or "").parent.parent)
    print(json.dumps({"summary": summary, "seconds": report.seconds, "cpu": stages.cpu}))


def _settle(work: Path) -> None:
    """Wait until no old site swapped out beside a site of either side is left (its detached
    removal would share the machine with the next build), at most 120 s."""
    deadline = time.monotonic() + 120
    while any(work.glob("*/.jixiao-old-*")) and time.monotonic() < deadline:
        time.sleep(0.2)


class Side:
    """One side: a copy of its code, its site and cache."""

    def __init__(self, work: Path, source: Path, content: Path, jobs: int, pdf: bool) -> None:
        self.work, self.code, self.content = work, work / "code", content
        self.jobs, self.pdf = jobs, pdf
        ignore = shutil.ignore_patterns("__pycache__")
        for name in ("builder", "templates"):
            shutil.rmtree(self.code / name, ignore_errors=True)
            shutil.copytree(source / name, self.code / name, ignore=ignore)

    def build(self, kind: str, full: bool = False) -> dict[str, Any]:
        """One build into `site-<kind>`: the `--one` document, with wall and CPU seconds."""
        site, cache = self.work / f"site-{kind}", self.work / f"cache-{kind}"
        _settle(self.work.parent)
        command = [sys.executable, __file__, "--one", str(self.content), str(site), str(cache)]
        command += ["--jobs", str(self.jobs)] + (["--pdf"] if self.pdf else [])
        command += ["--full"] if full else []
        env = {**os.environ, "PYTHONPATH": str(self.code)}
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=self.code, env=env, stdout=subprocess.PIPE)
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed")
        document: dict[str, Any] = json.loads(out)
        document["wall_s"] = round(wall, 2)
        document["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
        return document

    def mark(self, number: int) -> None:
        from hugo_bench import _mark_frame

        _mark_frame(self.code / "templates" / "base.html", number)


def _median(rounds: list[dict[str, Any]], side: str, key: str) -> Any:
    values = [r[side][key] for r in rounds]
    if isinstance(values[0], dict):
        names = list(dict.fromkeys(name for value in values for name in value))
        return {n: round(statistics.median(v.get(n, 0.0) for v in values), 2) for n in names}
    return round(statistics.median(values), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=3, type=Path, metavar=("CONTENT", "SITE", "CACHE"))
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--content", type=Path)
    parser.add_argument("--a", type=Path, help="checkout of side A (main)")
    parser.add_argument("--b", type=Path, help="checkout of side B")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    if args.one:
        args.content, args.site, args.cache = args.one
        _one(args)
        return 0
    if not (args.content and args.a and args.b):
        parser.error("--content, --a and --b are needed")
    sys.path.insert(0, str(BENCH))
    from tree_digest import tree_digest

    work = args.work or Path(tempfile.mkdtemp(prefix="jixiao-template-bench-"))
    content = args.content.resolve()
    sides = {
        name: Side(work / name, source.resolve(), content, args.jobs, args.pdf)
        for name, source in (("a", args.a), ("b", args.b))
    }
    loads = [os.getloadavg()]
    first = {name: side.build("site", full=True) for name, side in sides.items()}
    print(f"first builds: {first}", file=sys.stderr, flush=True)
    rounds: list[dict[str, Any]] = []
    for number in range(args.rounds):
        result: dict[str, Any] = {}
        for name in ("a", "b") if number % 2 == 0 else ("b", "a"):
            sides[name].mark(number + 1)
            result[name] = sides[name].build("site")
            print(f"round {number} {name}: {result[name]}", file=sys.stderr, flush=True)
        rounds.append(result)
        loads.append(os.getloadavg())
    sites = {name: tree_digest(side.work / "site-site") for name, side in sides.items()}
    same = {"a_equals_b": sites["a"] == sites["b"]}
    for name, side in sides.items():
        side.build("full", full=True)
        same[f"{name}_equals_its_full_build"] = sites[name] == tree_digest(side.work / "site-full")
    medians = {
        f"{side}_{key}": _median(rounds, side, key)
        for side in ("a", "b")
        for key in ("wall_s", "cpu_s", "seconds", "cpu")
    }
    loads.append(os.getloadavg())
    report = {"first": first, "rounds": rounds, "medians": medians, "same_bytes": same}
    print(json.dumps(report | {"load_averages": loads, "work": str(work)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
