"""One edit built through the Python API, with the search stage's CPU by thread.

    .venv/bin/python bench/search_edit_bench.py CONTENT SITE CACHE TAG [--field contact|name]

CONTENT, SITE and CACHE are those of a site built before without PDFs by the code measured
(a build after a change of the code is a full one: run once to make it, untimed). The
second form in path order has its `contact` (under `data-pagefind-ignore`) or its `name`
(indexed text and a substring record) changed to one naming TAG, and the site is built
(`jobs=2`, no PDFs). Printed as JSON: wall seconds, CPU of the building process and of its
children, the CPU (`time.thread_time`) of the search stage's threads (its start, the
alongside thread with the merges, the parts' indexing tasks, the substring thread), the
pages indexed and `BuildReport.seconds`. The search stage's CPU is the sum of its threads'
and of its Pagefind processes (in `cpu_children`, with any other child of the build).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from builder.build import build
from builder.build_options import BuildOptions
from builder.outputs import search as output
from builder.search import pagefind


def _edit(content: Path, field: str, tag: str) -> None:
    target = sorted(content.glob("*/*/*.yaml"))[1]
    text = target.read_text("utf-8")
    if field == "contact":
        text = re.sub(r"^contact: .*$", f"contact: 计时{tag}", text, count=1, flags=re.M)
    else:
        text = re.sub(
            r"^name: (\S+?)(改\w+)?$",
            lambda m: f"name: {m.group(1)}改{tag}",
            text,
            count=1,
            flags=re.M,
        )
    target.write_text(text, "utf-8")


def _timed(cpu: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    lock = threading.Lock()

    def timed(*args: object, **kwargs: object) -> object:
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            with lock:
                cpu[name] = cpu.get(name, 0.0) + time.thread_time() - started

    return timed


def _cpu() -> tuple[float, float]:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("content", "site", "cache"):
        parser.add_argument(name, type=Path)
    parser.add_argument("tag")
    parser.add_argument("--field", choices=("contact", "name"), default="contact")
    args = parser.parse_args()
    _edit(args.content, args.field, args.tag)
    cpu: dict[str, float] = {}
    stage = output.Search
    stage.start = _timed(cpu, "start", stage.start)  # type: ignore[method-assign]
    stage._index = staticmethod(_timed(cpu, "index_thread", stage._index))  # type: ignore[method-assign]
    substring = _timed(cpu, "substring_thread", stage._write_substring)
    stage._write_substring = staticmethod(substring)  # type: ignore[method-assign]
    pagefind.index_pages = _timed(cpu, "index_pages", pagefind.index_pages)  # type: ignore[assignment]
    options = BuildOptions(args.content, args.site, args.cache, jobs=2, pdf=False)
    before, started = _cpu(), time.perf_counter()
    report = build(options)
    after = _cpu()
    summary = {
        "wall": round(time.perf_counter() - started, 2),
        "cpu_self": round(after[0] - before[0], 2),
        "cpu_children": round(after[1] - before[1], 2),
        "search_cpu_threads": {k: round(v, 3) for k, v in cpu.items()},
        "indexed": report.indexed,
        "incremental": report.incremental,
        "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
