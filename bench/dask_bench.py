"""A build on a Dask LocalCluster of two worker processes against the same build done locally,
interleaved in one run: the whole build's time and each stage's (docs/publishing.md).

    python bench/dask_bench.py CONTENT [--pdf] [--rounds 2] [--out /tmp/dask-bench]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from distributed import LocalCluster

from builder.build import BuildOptions, build


def one_build(content: Path, out: Path, pdf: bool, executor: str) -> tuple[float, dict[str, float]]:
    """A full build of `content` into `out` (emptied first): seconds in all, and by stage."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    report = build(
        BuildOptions(
            content=content,
            site=out / "site",
            cache=out / "cache",
            jobs=2,
            pdf=pdf,
            executor=executor,
        )
    )
    laps = {stage: round(seconds, 1) for stage, seconds in report.seconds.items()}
    return time.perf_counter() - started, laps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--pdf", action="store_true", help="make the PDFs too")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/dask-bench"))
    args = parser.parse_args()
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        for round_ in range(1, args.rounds + 1):
            for name, executor in (("local", "local"), ("dask", address)):
                seconds, laps = one_build(args.content, args.out / name, args.pdf, executor)
                print(f"{name} round {round_}: {seconds:.1f} s {laps}", flush=True)


if __name__ == "__main__":
    main()
