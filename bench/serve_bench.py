"""Edit → browser latency of `jixiao serve`: from the moment a form is saved to the moment the
reloaded page has painted the change, in Debian's Chromium.

    .venv/bin/python bench/serve_bench.py                       # the bundled content/
    .venv/bin/python bench/serve_bench.py --projects 10000      # a bench/corpus.py corpus
    .venv/bin/python bench/serve_bench.py --projects 10000 --no-defer

The preview runs as a user runs it (`python -m builder serve`, search index and PDFs deferred
unless --no-defer) on a copy of the content in a temporary folder. Once the first build and the
background search index are done, one project's name is changed `--edits` times, a couple of
seconds apart as when someone is editing, and each time the clock runs from just before the
file is written to the first contentful paint of the page that livereload reloaded
(`performance.timeOrigin` + the paint entry: both clocks are the machine's wall clock). Then the
file is broken (`weight: ten`) and fixed again, timing until the error panel appears and until
it is gone. The build's own time for each change is taken from the preview's output.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  the tests' browser, off the network

BUILT_LINE = re.compile(r"^built .* in (\d+\.\d+)s \((?!start).*\((.*)\)$", re.MULTILINE)
STAGE = re.compile(r"(\w+) (\d+\.\d+)s")
ERROR_PANEL = "#jixiao-preview-error"
# The paint time of the current document, in wall-clock milliseconds.
PAINTED_AT = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
}"""
PAINTED = "performance.getEntriesByName('first-contentful-paint').length > 0"
LIVE = "window.LiveReload && window.LiveReload.connector.protocol >= 7"


class Preview:
    def __init__(self, workdir: Path, content: Path, defer: bool) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [
            sys.executable,
            "-m",
            "builder",
            "serve",
            *("--content", str(content), "--output", str(workdir / "preview")),
            *("--cache", str(workdir / "cache"), "--port", str(self.port), "--no-open"),
            *([] if defer else ["--no-defer"]),
        ]
        environment = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's code
        self.process = subprocess.Popen(
            command,
            cwd=workdir,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.output = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output += line
            print(f"  preview | {line}", end="", file=sys.stderr, flush=True)

    def wait_for(self, text: str, timeout: float) -> float:
        started = time.monotonic()
        while text not in self.output:
            if self.process.poll() is not None or time.monotonic() - started > timeout:
                raise SystemExit(f"{text!r} never printed:\n{self.output}")
            time.sleep(0.05)
        return time.monotonic() - started

    def builds(self) -> list[tuple[float, dict[str, float]]]:
        """Each rebuild's seconds, and its seconds per stage."""
        return [
            (float(total), {name: float(s) for name, s in STAGE.findall(stages)})
            for total, stages in BUILT_LINE.findall(self.output)
        ]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _project(content: Path, projects: int | None) -> tuple[Path, str]:
    """The form to edit and its page: the seed form of the tests, or one from the middle."""
    if projects is None:
        return content / "2023/lps-sbj/chengxiang-yanglao-65-zengfa.yaml", (
            "2023/lps-sbj/chengxiang-yanglao-65-zengfa/index.html"
        )
    files = sorted(content.glob("*/*/*.yaml"))
    form = files[len(files) // 2]
    text = form.read_text(encoding="utf-8")
    project_id = re.search(r"^id: (\S+)", text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    year, unit = form.parent.parent.name, form.parent.name
    return form, f"{year}/{unit}/{project_id}/index.html"


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):.2f} s, p90 {p90:.2f} s, "
        f"min {ordered[0]:.2f} s, max {ordered[-1]:.2f} s (n={len(ordered)})"
    )


def run(projects: int | None, edits: int, defer: bool, pause: float) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="jixiao-serve-bench-"))
    preview: Preview | None = None
    try:
        content = workdir / "content"
        if projects is None:
            shutil.copytree(ROOT / "content", content)
        else:
            from corpus import generate

            generate(content, projects=projects, seed=0)
        form, page_path = _project(content, projects)
        original = form.read_text(encoding="utf-8")

        preview = Preview(workdir, content, defer)
        startup = preview.wait_for("(start", timeout=3600)
        print(f"first build: {startup:.1f} s after start, {preview.output.splitlines()[-1]}")
        if defer:
            indexed = preview.wait_for("search index refreshed", timeout=3600)
            print(f"background search index ready {indexed:.1f} s later")

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(preview.url + page_path)
            page.wait_for_function(LIVE)

            def save_and_time(text: str, shown: str) -> float:
                time.sleep(pause)
                page.wait_for_function(LIVE)
                saved_at = time.time()
                form.write_text(text, encoding="utf-8")
                page.wait_for_function(
                    f"document.readyState !== 'loading' && ({shown})", timeout=600_000, polling=20
                )
                page.wait_for_function(PAINTED)
                return page.evaluate(PAINTED_AT) / 1000 - saved_at

            name_line = re.compile(r"^name: .*$", re.MULTILINE)
            latencies = []
            for i in range(edits):
                name = f"预览测量{i}号项目"
                edited = name_line.sub(f"name: {name}", original, count=1)
                shows = f"document.querySelector('h1').textContent.includes('{name}')"
                latencies.append(save_and_time(edited, shows))
            builds = preview.builds()[:edits]

            weight = re.search(r"weight: \d+", original)
            assert weight is not None
            broken = original[: weight.start()] + "weight: ten" + original[weight.end() :]
            error_shown = save_and_time(broken, f"!!document.querySelector('{ERROR_PANEL}')")
            fixed_shown = save_and_time(original, f"!document.querySelector('{ERROR_PANEL}')")
            browser.close()

        load = os.getloadavg()[0]
        corpus = "bundled content/ (6 forms)" if projects is None else f"{projects} forms"
        print(f"corpus: {corpus}; {'deferred' if defer else 'no-defer'}; page {page_path}")
        print(f"edit → page painted: {_summary(latencies)}")
        print(f"  of which the build: {_summary([total for total, _ in builds])}")
        stages = {
            name: [laps.get(name, 0.0) for _, laps in builds] for _, laps in builds for name in laps
        }
        print(
            "  build stages, median: "
            + ", ".join(f"{name} {statistics.median(s):.2f} s" for name, s in stages.items())
        )
        print(f"break → error panel painted: {error_shown:.2f} s")
        print(f"fix → page back, painted: {fixed_shown:.2f} s")
        print(f"load average {load:.1f} on {os.cpu_count()} cores")
    finally:
        if preview is not None:
            preview.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, help="a synthetic corpus of N forms")
    parser.add_argument("--edits", type=int, default=10, help="edits to time (default 10)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between edits")
    parser.add_argument("--no-defer", action="store_true", help="search and PDFs on every build")
    args = parser.parse_args(argv)
    run(args.projects, args.edits, defer=not args.no_defer, pause=args.pause)
    return 0


if __name__ == "__main__":
    sys.exit(main())
