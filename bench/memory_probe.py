"""Where a full build's memory goes, in the builder process: tracemalloc by stage.

    .venv/bin/python bench/corpus.py /tmp/m1k --projects 1000 --seed 0
    .venv/bin/python bench/memory_probe.py /tmp/m1k [--top 25] [--jobs 2]

Builds `content` from nothing (`--full`, no PDFs, as `bench/scale_bench.py`) with tracemalloc
on in the builder process (not in the workers it forks), and prints, at the end of the check
stage and of each output the build names to its `Progress` (pages, open data, ...): the bytes
traced in total, the `--top` allocation sites (file:line), and the objects the cyclic
collector tracks, counted by type, with how many more there are than at the start (those
not yet moved to the permanent generation: after the check stage, all of them), and the
traced memory per form. Tracing makes the build 2-4× slower: read the bytes, not the
seconds.
"""

from __future__ import annotations

import argparse
import collections
import gc
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024


def _types() -> collections.Counter[str]:
    """Objects the cyclic collector tracks, by type name."""
    return collections.Counter(type(o).__name__ for o in gc.get_objects())


def _report(stage: str, start_types: collections.Counter[str], top: int, forms: int) -> None:
    """Print the traced bytes, the top allocation sites and the object counts now."""
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    stats = snapshot.statistics("lineno")
    total = sum(s.size for s in stats)
    print(
        f"\n=== after {stage}: {total / MB:.1f} MB traced, {total / max(forms, 1) / 1024:.1f} KB per form"
    )
    for s in stats[:top]:
        frame = s.traceback[0]
        name = frame.filename.replace(str(ROOT) + "/", "")
        print(f"{s.size / MB:8.2f} MB {s.count:9,} blocks  {name}:{frame.lineno}")
    now = _types()
    grown = sorted(now, key=lambda t: -(now[t] - start_types[t]))[:top]
    print("-- objects tracked by the collector, by type (now, +since start):")
    for name in grown:
        print(f"{now[name]:10,} {now[name] - start_types[name]:+10,}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stages", default="check,render,export", help="stages to report after")
    args = parser.parse_args()

    from builder.build import build
    from builder.build_options import BuildOptions
    from builder.timing import Progress

    wanted = set(args.stages.split(","))
    forms = sum(1 for _ in args.content.glob("*/*/*.yaml"))
    start_types = _types()
    tracemalloc.start()

    class Snapshots(Progress):
        def finish(self, name: str, seconds: float) -> None:
            if name in wanted:
                _report(name, start_types, args.top, forms)

    with tempfile.TemporaryDirectory(prefix="jixiao-mem-") as work:
        options = BuildOptions(
            content=args.content,
            site=Path(work) / "site",
            cache=Path(work) / "cache",
            pdf=False,
            incremental=False,
            jobs=args.jobs,
            progress=Snapshots(),
        )
        build(options)


if __name__ == "__main__":
    main()
