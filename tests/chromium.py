"""Debian's Chromium, driven by Playwright, for the browser tests, and what they share: a site
served as a static host serves it (at the root or under a sub-path, its 404 page for a missing
address), a tab of a given width and text size, the page's sideways scroll, axe-core's report.

`playwright install` cannot download a browser here; the tests use /usr/bin/chromium, which
`bash .ci/setup` installs. The flags keep it off the network: no background connections,
component updates or sync (this machine has no network but the package registries).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Where the browser tests leave their screenshots, to be looked at.
SCREENSHOTS = Path(os.environ.get("JIXIAO_SCREENSHOTS", "/tmp/jixiao-screenshots"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def launched_chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash .ci/setup` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host as a portal configures one, quiet: a missing address under the served
    folder gets its 404.html with status 404 (a plain 404 where there is none)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def hosted(site: Path) -> Iterator[str]:
    """`site` served at the root of a local HTTP server (as its base_url's path says): the
    server's address, ending in `/`."""
    handler = functools.partial(StaticHost, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextmanager
def served(site: Path) -> Iterator[str]:
    """`site` served from a sub-path, `/jixiao/`, as a portal may host it: its address."""
    root = site.parent / "served"
    root.mkdir(exist_ok=True)
    mount = root / "jixiao"
    if not mount.exists():
        mount.symlink_to(site, target_is_directory=True)
    with hosted(root) as url:
        yield f"{url}jixiao/"


@contextmanager
def opened(browser: object, url: str, width: int, text: int = 100) -> Iterator[object]:
    """A tab `width` px wide at `url`, its text at `text` percent (the root font size, as a
    reader's browser setting makes it); a search page once it has answered."""
    context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        tab.goto(url)
        if text != 100:
            tab.add_style_tag(content=f"html {{ font-size: {text}% !important; }}")
        if "search/" in url:
            tab.wait_for_function(
                "['找到', '没有'].some(w => document.getElementById('search-status')"
                ".textContent.includes(w))"
            )
        yield tab
    finally:
        context.close()


def sideways(tab: object) -> int:
    """How far the page itself scrolls sideways, in CSS px (0: not at all)."""
    return int(tab.evaluate("document.scrollingElement.scrollWidth - innerWidth"))  # type: ignore[attr-defined]


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(tab: object) -> str:
    """axe-core's report of the WCAG 2.1 A/AA and best-practice rules the page in `tab`
    breaks; "" when it breaks none."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return results.generate_report() if results.violations_count else ""
