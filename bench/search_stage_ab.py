"""The search stage alone, with and without the part cache, in CPU seconds of this process
and its children (Pagefind), medians of 3 interleaved runs: no cache, a cold cache (every part
indexed and stored), the same cache warm (every part taken from it).

    python bench/search_stage_ab.py SITE    # a built site: its project pages are indexed
"""

from __future__ import annotations

import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.search import pagefind as search


def cpu() -> float:
    """CPU seconds of this process and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(site: Path) -> None:
    parts = search.parts_of_tree(site)
    runs: dict[str, list[float]] = {"no cache": [], "cold cache": [], "warm cache": []}
    cache = Path()
    for _ in range(3):
        for name, times in runs.items():
            written: dict[str, bytes] = {}
            if name == "cold cache":
                cache = Path(tempfile.mkdtemp(prefix="search-stage-"))
            start = cpu()
            search.write_search_index(
                site,
                parts,
                written.__setitem__,
                jobs=2,
                cache_dir=None if name == "no cache" else cache,
            )
            times.append(cpu() - start)
        shutil.rmtree(cache)
    print(
        {
            name: (round(statistics.median(t), 2), [round(x, 2) for x in t])
            for name, t in runs.items()
        }
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
