"""Search in the browser on a built site: per query, the time from Enter to the results shown
and the bytes of index files it loaded (Pagefind's and the substring index's), in Chromium.

    .venv/bin/python bench/corpus.py /tmp/c10k --projects 10000
    .venv/bin/python -m builder build --content /tmp/c10k --output /tmp/s10k --no-pdf
    .venv/bin/python bench/search_bench.py /tmp/s10k

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


def measure(
    site: Path, queries: tuple[str, ...], runs: int
) -> list[tuple[str, float, int, int, int, int]]:
    """(query, median milliseconds, KB loaded, files loaded, the page start's KB and files)
    per query."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/search/index.html"
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in queries:
            times, loaded = [], (0, 0, 0, 0)
            for _ in range(runs):
                context = browser.new_context()
                fetched: list[tuple[str, int]] = []  # the page's and its worker's (Pagefind's)
                context.on(
                    "response",
                    lambda r, fetched=fetched: fetched.append(
                        (r.url, int(r.headers.get("content-length", "0")))
                    ),
                )
                tab = context.new_page()
                tab.goto(base)
                tab.wait_for_function(
                    "document.getElementById('search-status').textContent.includes('请输入')"
                )
                start_files = _index_files(fetched)
                tab.fill("#q", query)
                start = time.perf_counter()
                tab.keyboard.press("Enter")
                tab.wait_for_function(DONE, polling=5)
                times.append((time.perf_counter() - start) * 1000)
                tab.wait_for_timeout(200)  # the responses' events
                sizes = _index_files(fetched)[len(start_files) :]
                loaded = (
                    sum(sizes) // 1024,
                    len(sizes),
                    sum(start_files) // 1024,
                    len(start_files),
                )
                context.close()
            rows.append((query, statistics.median(times), *loaded))
        browser.close()
    server.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = measure(args.site, QUERIES, args.runs)
    print(f"page start (before any query): {rows[0][4]} KB in {rows[0][5]} index files")
    print("| query | time to results (median) | index bytes loaded | files |")
    print("| --- | --- | --- | --- |")
    for query, ms, kb, files, _, _ in rows:
        print(f"| `{query}` | {ms:.0f} ms | {kb} KB | {files} |")


if __name__ == "__main__":
    main()
