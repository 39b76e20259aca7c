"""Search in the browser on built sites: per query, the time from Enter to the results shown
and the bytes of index files it loaded (Pagefind's and the substring index's), in Chromium;
and the search index's build, by two versions of jixiao on the same written pages.

    .venv/bin/python bench/corpus.py /tmp/c10k --projects 10000
    .venv/bin/python -m builder build --content /tmp/c10k --output /tmp/s10k --no-pdf
    .venv/bin/python bench/search_bench.py /tmp/s10k [/tmp/s10k-before ...]
    .venv/bin/python bench/search_bench.py --index /tmp/s10k --before /path/to/old/jixiao

With several sites, the queries run interleaved (each run of a query on every site in turn),
and the table gives each site's medians. `--index` times the index of every part of a site's
pages (the full build's search stage, without the substring index) and of one part (an
edit's), with this checkout's code and the one at `--before` (a folder holding its
`builder/`), in turn, `--runs` times each: wall time, the CPU time of Python and of the
Pagefind processes (steadier than wall time on a shared machine), and the peak memory of the
largest process (Pagefind's or Python's).

Each query runs in a fresh browser context (nothing cached) after the search page loaded; the
bytes are the sizes of the index files fetched between Enter and the results, by the page and
by Pagefind's worker (served uncompressed, as http.server serves them: a host that gzips JSON
sends less; Pagefind's own files are gzipped already). The page's own
start (pagefind.js, its WebAssembly, each part's entry and meta files, meta.json) is counted
apart, once.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUERIES = (
    "养老",
    "养 老",
    "养老保险资金",
    "六盘水",
    "运维费",
    "20.10%",
    "8687",
    "xyz不存在的词",
    "的",
)
DONE = "['找到', '没有', '虚词'].some(w => document.getElementById('search-status').textContent.includes(w))"


def _index_files(fetched: list[tuple[str, int]]) -> list[int]:
    """The sizes of the index files among the responses so far (Pagefind's and ours)."""
    return [size for url, size in list(fetched) if "/pagefind/" in url or "/substring/" in url]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _one(browser: object, base: str, query: str) -> tuple[float, int, int, int, int]:
    """One run of a query in a fresh context: milliseconds, KB and files loaded after Enter,
    KB and files the page's start loaded."""
    context = browser.new_context()  # type: ignore[attr-defined]
    fetched: list[tuple[str, int]] = []  # the page's and its worker's (Pagefind's)
    context.on(
        "response",
        lambda r: fetched.append((r.url, int(r.headers.get("content-length", "0")))),
    )
    tab = context.new_page()
    tab.goto(base)
    tab.wait_for_function("document.getElementById('search-status').textContent.includes('请输入')")
    tab.wait_for_timeout(300)  # the start's last responses
    start_files = _index_files(fetched)
    tab.fill("#q", query)
    start = time.perf_counter()
    tab.keyboard.press("Enter")
    tab.wait_for_function(DONE, polling=5)
    elapsed = (time.perf_counter() - start) * 1000
    tab.wait_for_timeout(200)  # the responses' events
    sizes = _index_files(fetched)[len(start_files) :]
    context.close()
    return elapsed, sum(sizes) // 1024, len(sizes), sum(start_files) // 1024, len(start_files)


def measure(
    sites: list[Path], queries: tuple[str, ...], runs: int
) -> list[list[tuple[str, float, int, int, int, int]]]:
    """Per site, per query: (query, median milliseconds, KB loaded, files loaded, the page
    start's KB and files). The runs are interleaved: every site in turn, run after run."""
    from playwright.sync_api import sync_playwright

    servers = []
    for site in sites:
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    bases = [f"http://127.0.0.1:{s.server_address[1]}/search/index.html" for s in servers]
    rows: list[list[tuple[str, float, int, int, int, int]]] = [[] for _ in sites]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in queries:
            seen: list[list[tuple[float, int, int, int, int]]] = [[] for _ in sites]
            for _ in range(runs):
                for n, base in enumerate(bases):
                    seen[n].append(_one(browser, base, query))
            for n, got in enumerate(seen):
                ms = statistics.median(run[0] for run in got)
                rows[n].append((query, ms, *got[-1][1:]))
        browser.close()
    for server in servers:
        server.shutdown()
    return rows


_INDEX_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
from builder.search import pagefind as search
site = Path(sys.argv[1]); mode = sys.argv[2]
parts = search.parts_of_tree(site)
if mode == "edit":
    chosen = [max(parts, key=lambda p: p.pages)]
else:
    chosen = parts
written = {}
import inspect
extra = {}
if mode == "edit" and "every_part" in inspect.signature(search.write_search_index).parameters:
    extra = {"every_part": parts, "published": site, "stale": []}
    if not all((site / p.bundle / search.PART_FILE).is_file() for p in parts):
        def put(path, data):  # the parts this code merges from, written once, untimed
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.write_bytes(data)
        search.write_search_index(site, parts, put, jobs=2)
before = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
start = time.perf_counter()
pages = search.write_search_index(site, chosen, written.__setitem__, jobs=2, **extra)
wall = time.perf_counter() - start
used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
peak = max(use.ru_maxrss for use in used) // 1024
cpu = [
    round(use.ru_utime + use.ru_stime - old.ru_utime - old.ru_stime, 2)
    for use, old in zip(used, before, strict=True)
]
print(json.dumps([wall, pages, peak, sum(map(len, written.values())), *cpu]))
"""


def index_times(site: Path, roots: list[Path], runs: int) -> dict[tuple[str, str], list[list]]:
    """(root, mode) -> the runs' [seconds, pages, peak MB, bytes written], the roots in turn
    run after run; mode "full" (every part) or "edit" (the largest part and, where the code
    merges, its year)."""
    import json
    import os
    import subprocess

    found: dict[tuple[str, str], list[list]] = {}
    for _ in range(runs):
        for mode in ("full", "edit"):
            for root in roots:
                env = dict(os.environ, PYTHONPATH=str(root))
                out = subprocess.run(
                    [sys.executable, "-c", _INDEX_SCRIPT, str(site), mode],
                    env=env,
                    cwd="/",
                    capture_output=True,
                    text=True,
                    check=True,
                )
                found.setdefault((str(root), mode), []).append(json.loads(out.stdout))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sites", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--index", action="store_true", help="time the index's build instead")
    parser.add_argument("--before", type=Path, help="the other jixiao (a folder with builder/)")
    args = parser.parse_args()
    if args.index:
        roots = [ROOT, *([args.before] if args.before else [])]
        found = index_times(args.sites[0], roots, args.runs)
        print(
            "| code | index | seconds (median) | runs | CPU s: Python, Pagefind (median) "
            "| pages | peak MB | MB written |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for (root, mode), got in found.items():
            seconds = statistics.median(run[0] for run in got)
            runs = ", ".join(f"{run[0]:.1f}" for run in got)
            cpu = [statistics.median(run[n] for run in got) for n in (4, 5)]
            peak = max(run[2] for run in got)
            print(
                f"| {root} | {mode} | {seconds:.2f} | {runs} | {cpu[0]:.1f}, {cpu[1]:.1f} "
                f"| {got[0][1]} | {peak} | {got[0][3] / 1e6:.1f} |"
            )
        return
    tables = measure(args.sites, QUERIES, args.runs)
    for site, rows in zip(args.sites, tables, strict=True):
        print(f"{site}: page start (before any query): {rows[0][4]} KB in {rows[0][5]} index files")
    heads = " | ".join(f"{site.name} ms | KB | files" for site in args.sites)
    print(f"| query | {heads} |")
    print("| --- |" + " --- | --- | --- |" * len(args.sites))
    for n, query in enumerate(QUERIES):
        cells = " | ".join(f"{t[n][1]:.0f} | {t[n][2]} | {t[n][3]}" for t in tables)
        print(f"| `{query}` | {cells} |")


if __name__ == "__main__":
    main()
