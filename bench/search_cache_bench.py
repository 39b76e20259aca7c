"""The template scenario, A/B: a cold full build, then one line added to the page frame and
built again, by two copies of jixiao's code, interleaved (A and B alternate first).

    python bench/search_cache_bench.py --content /tmp/c10k --a /work/main --b . --rounds 3
    python bench/search_cache_bench.py --costs SITE CACHE   # what the cache adds, in CPU

Each side runs from a copy of its `builder/` and `templates/` in the work folder (as
`hugo_bench.py` does), so the frame is changed in the copy, never in a checkout. Pagefind is
run through a wrapper that counts its processes. Per round and side: wall and CPU seconds
(the process and the children it waited for) of the cold build (empty cache, `--full`) and of
the rebuild, Pagefind processes of each, and whether the two sides' rebuilt sites have the
same bytes (`tree_digest.py`'s digests). Prints JSON with the medians and load averages.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hugo_bench import _mark_frame, pagefind_binary, timed
from tree_digest import tree_digest


def _copy_code(source: Path, code: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("builder", "templates"):
        shutil.rmtree(code / name, ignore_errors=True)
        shutil.copytree(source / name, code / name, ignore=ignore)


def _side(work: Path, source: Path, content: Path, jobs: int, number: int) -> dict[str, object]:
    """A cold full build, then the frame changed and the rebuild, of one side."""
    code, site, cache, starts = work / "code", work / "site", work / "cache", work / "starts"
    _copy_code(source, code)
    for folder in (site, cache):
        shutil.rmtree(folder, ignore_errors=True)
    wrapper = work / "pagefind"
    wrapper.write_text(
        f'#!/bin/sh\necho x >> "{starts}"\nexec "{pagefind_binary()}" "$@"\n', encoding="utf-8"
    )
    wrapper.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(code), "JIXIAO_PAGEFIND": str(wrapper)}
    command = [sys.executable, "-m", "builder", "build", "--content", str(content)]
    command += ["--output", str(site), "--cache", str(cache), "--jobs", str(jobs)]
    command += ["--quiet", "--no-pdf"]
    figures: dict[str, object] = {}
    for name, extra in (("cold", ["--full"]), ("template", [])):
        starts.write_text("", encoding="utf-8")
        if name == "template":
            _mark_frame(code / "templates" / "base.html", number + 1)
        wall, peak, cpu = timed(command + extra, code, env)
        processes = len(starts.read_text(encoding="utf-8").split())
        figures[name] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "pagefind": processes}
        figures[name]["peak_mb"] = round(peak)
    return figures


def costs(site: Path, cache: Path) -> dict[str, object]:
    """CPU seconds (medians of 3) of reading the parts, keying them, storing every entry
    and reading it back verified; the entries' count and bytes."""
    from builder.search import pagefind
    from builder.search.partcache import FOLDER, PartCache, indexer_identity, part_key

    parts = pagefind.parts_of_tree(site)
    identity = indexer_identity(pagefind.pagefind_binary(), pagefind.LANGUAGE)
    kept = PartCache(cache / FOLDER, identity)
    tasks = [pagefind.read_part(site, part) for part in parts]
    keys = [part_key(identity, task[1]) for task in tasks]
    entries = [kept.get(key) for key in keys]
    if any(entry is None for entry in entries):
        raise SystemExit(f"{cache} does not hold every part of {site} (built by this code?)")
    scratch = PartCache(Path(tempfile.mkdtemp(prefix="part-cache-")), identity)
    steps = {
        "read_and_cut_s": lambda: [pagefind.read_part(site, part) for part in parts],
        "identity_s": lambda: indexer_identity(pagefind.pagefind_binary(), pagefind.LANGUAGE),
        "keys_s": lambda: [part_key(identity, task[1]) for task in tasks],
        "store_s": lambda: [scratch.keep(k, e) for k, e in zip(keys, entries, strict=True)],
        "read_verified_s": lambda: [scratch.get(key) for key in keys],
    }
    figures: dict[str, object] = {"parts": len(parts)}
    for name, step in steps.items():
        times = []
        for _ in range(3):
            start = time.process_time()
            step()
            times.append(time.process_time() - start)
        figures[name] = round(statistics.median(times), 3)
    objects = list((scratch.folder / "objects").glob("*/*.part"))
    figures["entries_mb"] = round(sum(p.stat().st_size for p in objects) / 1e6, 1)
    shutil.rmtree(scratch.folder)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--costs", type=Path, nargs=2, metavar=("SITE", "CACHE"))
    parser.add_argument("--content", type=Path)
    parser.add_argument("--a", type=Path, help="checkout of side A (main)")
    parser.add_argument("--b", type=Path, help="checkout of side B")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    if args.costs:
        print(json.dumps(costs(*args.costs) | {"load_average": os.getloadavg()}, indent=1))
        return 0
    if not (args.content and args.a and args.b):
        parser.error("--content, --a and --b are needed")
    work = args.work or Path(tempfile.mkdtemp(prefix="jixiao-search-cache-bench-"))
    loads = [os.getloadavg()]
    rounds = []
    for number in range(args.rounds):
        order = ("a", "b") if number % 2 == 0 else ("b", "a")
        result = {}
        for side in order:
            folder = work / side
            folder.mkdir(parents=True, exist_ok=True)
            source = args.a if side == "a" else args.b
            result[side] = _side(folder, source, args.content.resolve(), args.jobs, number)
            print(f"round {number} {side}: {result[side]}", file=sys.stderr, flush=True)
        same = tree_digest(work / "a" / "site") == tree_digest(work / "b" / "site")
        result["rebuilt_sites_identical"] = same
        rounds.append(result)
        loads.append(os.getloadavg())
    medians = {
        f"{side}_{scenario}_{what}": statistics.median(r[side][scenario][what] for r in rounds)
        for side in ("a", "b")
        for scenario in ("cold", "template")
        for what in ("wall_s", "cpu_s", "pagefind")
    }
    report = {"rounds": rounds, "medians": medians, "load_averages": loads, "work": str(work)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
