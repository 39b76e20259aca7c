"""The search output's substring index after one edit, alone: CPU seconds of
`Search._write_substring` on a built site, for an edit of a figure the index only shows (the
declared 总分, as `edit_bench.py --figure` makes) and one it indexes (the budget).

    PYTHONPATH=CODE python bench/substring_edit_bench.py SITE CACHE [--runs 5]

CODE is the checkout whose code is timed; SITE and CACHE those of a site it built (the
summaries are the last build's, read from the cache). Each run hands `_write_substring` an
incremental build's plan with the second form in path order re-read and edited, and writes
what it writes into a fresh temporary folder (the published site is only read). Prints per
edit the median and every run, and how many files were written.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from builder.outputs.search import Search
from builder.publish import manifest
from builder.publish.staging import _replace


def _edits(summary: object) -> dict[str, object]:
    """Edit name -> the summary after it."""
    declared = summary.declared_total or Decimal(0)  # type: ignore[attr-defined]
    budget = summary.budget or Decimal(0)  # type: ignore[attr-defined]
    return {
        "declared 总分": dataclasses.replace(summary, declared_total=declared + Decimal("0.01")),
        "budget": dataclasses.replace(summary, budget=budget + Decimal("1234.56")),
    }


def _one(site: Path, summaries: list, rel: str, before: object, after: object) -> tuple[float, int]:
    """CPU seconds of one `_write_substring`, and the files it wrote."""
    projects = [after if s.file == rel else s for s in summaries]
    out = Path(tempfile.mkdtemp(prefix="substring-edit-"))
    written: list[str] = []

    def write_fresh(path: str, pieces: object) -> None:
        written.append(path)
        _replace(out / path, pieces)  # type: ignore[arg-type]

    context = SimpleNamespace(
        plan=SimpleNamespace(incremental=True, previous={rel: before}, changed={rel}, removed={}),
        site_dir=site,
        site=SimpleNamespace(projects=projects),
        staging=SimpleNamespace(write_fresh=write_fresh),
    )
    start = time.process_time()
    Search._write_substring(context)  # type: ignore[arg-type]
    seconds = time.process_time() - start
    shutil.rmtree(out)
    return seconds, len(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stamps = manifest._load(args.cache / manifest.STAMPS_FILE)
    state = manifest.load_state(args.cache, stamps)  # type: ignore[arg-type]
    assert state is not None, "no build state in the cache"
    summaries = [item.summary for item in state.files.values()]
    rel = sorted(state.files)[1]
    before = state.files[rel].summary
    for name, after in _edits(before).items():
        runs = [_one(args.site, summaries, rel, before, after) for _ in range(args.runs)]
        seconds = [round(s, 3) for s, _ in runs]
        print(
            f"{name}: median {statistics.median(seconds):.3f} s CPU {seconds}, {runs[0][1]} files"
        )


if __name__ == "__main__":
    main()
