"""The Content-Security-Policy of docs/publishing.md: the site works under it, in Chromium.

The bundled content, as `jixiao build` builds it, is served with the policy as a response
header, and every page type is opened and a search run; the browser must report no violation.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "publishing.md"
PAGES = [
    "index.html",
    "2023/index.html",
    "2023/lps-sbj/index.html",
    "2023/lps-sbj/chengxiang-yanglao-65-zengfa/index.html",
    "methodology/index.html",
    "data/index.html",
    "404.html",
    "about/index.html",
    "accessibility/index.html",
    "search/index.html",  # last: the test searches there
]


def documented_policy() -> str:
    text = DOC.read_text(encoding="utf-8")
    policy = re.search(r"```\n(default-src [^\n]+)\n```", text)
    assert policy, "docs/publishing.md shows the policy in a code block of its own"
    return policy.group(1)


def test_server_examples_send_the_documented_policy() -> None:
    text = DOC.read_text(encoding="utf-8")
    policy = documented_policy()
    nginx = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', text)
    apache = re.search(r'Header always set Content-Security-Policy "([^"]+)"', text)
    assert nginx and nginx.group(1) == policy
    assert apache and apache.group(1) == policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


@pytest.fixture(scope="module")
def served_site(example_site: Path) -> Iterator[str]:
    site = example_site
    policy = documented_policy()

    class PolicyHandler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(PolicyHandler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def wait_for_text(page: object, selector: str, *words: str, seconds: float = 20) -> str:
    # Polled from Python: Playwright's wait_for_function evaluates a string, which the policy
    # rightly forbids.
    deadline = time.monotonic() + seconds
    while True:
        text = page.inner_text(selector)  # type: ignore[attr-defined]
        if any(word in text for word in words) or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


@pytest.mark.browser
def test_the_site_works_under_the_policy(served_site: str, browser: object) -> None:
    with contextlib.closing(browser.new_context()) as context:  # type: ignore[attr-defined]
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text or "violation" in message.text
                else None
            ),
        )
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', event =>"
            " console.log('violation: ' + event.violatedDirective + ' ' + event.blockedURI))"
        )
        for path in PAGES:
            page.goto(served_site + path)
            page.wait_for_load_state("networkidle")
        wait_for_text(page, "#search-status", "请输入")
        page.fill("#q", "养老")
        page.keyboard.press("Enter")
        status = wait_for_text(page, "#search-status", "找到", "没有")
        results = len(page.query_selector_all("#search-results li > a"))

    assert violations == []
    assert "找到" in status and results > 0  # the search ran: WebAssembly and its worker
