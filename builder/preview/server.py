"""`jixiao serve`: build, serve the site on this machine, rebuild on every save, reload the browser.

The main thread runs livereload's tornado server. A preview thread watches content/ (the forms
and site.yaml) and templates/, waits for a short quiet spell (the debounce), calls `build()`
and then tells every open page to reload.

A failed build publishes nothing, so the previous output stays in place and is still served,
with the located messages laid over every page until a save fixes the problem.

The stages nobody looks at while editing are deferred so that an edit shows up at once: PDFs are
not made, and the search index is rebuilt in the background once the edits pause, from a
snapshot of the pages (`--no-defer` builds both on every change instead). Because of that the
preview writes its own folder under the cache, never `site/`: what `jixiao build` publishes is
always complete.
"""

from __future__ import annotations

import dataclasses
import html
import ipaddress
import logging
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import TemplateSyntaxError
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop

from ..build import BuildFailed, BuildOptions, BuildReport, build, refresh_tables
from ..publish.manifest import Manifest
from ..rules.check import CheckResult, check_content
from ..rules.findings import Severity
from ..search.pagefind import BUNDLE as SEARCH_BUNDLE
from ..search.pagefind import parts_of_tree, write_search_index
from ..site.render import TEMPLATES
from .watch import ChangeWatcher, watch

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_DEBOUNCE = 0.1
# Edits come in bursts; the background search index waits for a pause this long.
SEARCH_REFRESH_PAUSE = 5.0
CATCH_UP_PAUSE = 2.0  # seconds without edits or builds before the tables and manifest follow
ERROR_ELEMENT_ID = "jixiao-preview-error"


@dataclass
class ServeOptions:
    content: Path = Path("content")
    output: Path | None = None  # default: <cache>/preview/site
    cache: Path = Path(".cache")
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    debounce: float = DEFAULT_DEBOUNCE  # seconds without a change before rebuilding
    jobs: int = os.cpu_count() or 1
    defer: bool = True  # leave the search index and PDFs out of rebuilds (see the docstring)
    open_browser: bool = True

    @property
    def preview_dir(self) -> Path:
        return self.cache / "preview"

    @property
    def site(self) -> Path:
        return self.output if self.output is not None else self.preview_dir / "site"


# ------------------------------------------------------------------------------------------------
# What went wrong, for the terminal and for the browser


@dataclass(frozen=True)
class BuildProblem:
    headline: str  # Chinese, for the page: 内容有错误 / 模板有错误 / 构建失败
    detail: str  # Chinese, for the page: how many, and what to do
    summary: str  # English, for the terminal, as `jixiao build` speaks
    messages: tuple[str, ...]  # located messages, each possibly with its source line and caret

    def terminal_text(self) -> str:
        return "\n".join([*self.messages, self.summary])


def describe_failure(error: BaseException, templates: Path = TEMPLATES) -> BuildProblem:
    if isinstance(error, BuildFailed):
        return _content_problem(error.result)
    location = template_location(error, templates)
    if location is not None:
        file, line = location
        message = error.message if isinstance(error, TemplateSyntaxError) else str(error)
        text = f"{_shown_path(file)}:{line}: error[template]: {type(error).__name__}: {message}"
        source = _line_of(file, line)
        if source is not None and source.strip():
            text += f"\n    {source.strip()}"
        return BuildProblem(
            headline="模板有错误",
            detail="模板渲染失败。修改并保存模板后,页面会自动刷新。",
            summary="build failed: template error; still serving the last good build",
            messages=(text,),
        )
    return BuildProblem(
        headline="构建失败",
        detail="构建过程出错。问题解决后保存任一文件即可重新构建。",
        summary="build failed; still serving the last good build",
        messages=(f"error[build]: {type(error).__name__}: {error}",),
    )


def _content_problem(result: CheckResult) -> BuildProblem:
    errors = [f for f in result.all_findings() if f.finding.severity is Severity.error]
    sources = {c.file: c.loaded.source.lines for c in result.projects}
    messages = []
    for located in errors:
        lines = sources.get(located.file) or []
        source = lines[located.line - 1] if 0 < located.line <= len(lines) else None
        messages.append(located.format(source))
    if result.config is None and not errors:
        messages.append("error[config]: site.yaml could not be read")
    count = max(1, len(errors))
    return BuildProblem(
        headline="内容有错误",
        detail=f"共 {count} 处错误。修改并保存文件后,页面会自动刷新。",
        summary=f"build failed: {count} errors; still serving the last good build",
        messages=tuple(messages),
    )


_REMOTE_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def template_location(error: BaseException, templates: Path = TEMPLATES) -> tuple[Path, int] | None:
    """The template file and line an exception was raised from, if it came from a template."""
    if isinstance(error, TemplateSyntaxError) and (error.filename or error.name):
        return Path(error.filename or templates / str(error.name)), error.lineno
    # Jinja2 rewrites tracebacks so that template code appears as frames of the template file.
    frames = [(f.filename, f.lineno or 0) for f in traceback.extract_tb(error.__traceback__)]
    # Pages rendered in worker processes come back with the worker's traceback as text.
    cause = error.__cause__
    if cause is not None and type(cause).__name__ == "RemoteTraceback":
        frames += [(name, int(line)) for name, line in _REMOTE_FRAME.findall(str(cause))]
    root = templates.resolve()
    in_templates = [
        (Path(name), n) for name, n in frames if Path(name).resolve().is_relative_to(root)
    ]
    return in_templates[-1] if in_templates else None


def _line_of(file: Path, line: int) -> str | None:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


def _shown_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


_PANEL_STYLE = (
    "position:sticky;top:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;"
    "padding:1rem 1.25rem;background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #c0262d;"
    "box-shadow:0 2px 8px rgba(0,0,0,.25);font:16px/1.6 system-ui,sans-serif;text-align:left"
)
_MONOSPACE = "font:14px/1.5 'Noto Sans Mono CJK SC','Noto Mono',ui-monospace,monospace"
# The message wraps; the quoted source line and its caret must not, or the caret would point
# elsewhere. One CJK monospace font first, so that a Chinese character is exactly two columns.
_MESSAGE_STYLE = f"margin:0;white-space:pre-wrap;overflow-wrap:anywhere;{_MONOSPACE}"
_SOURCE_STYLE = f"margin:.25rem 0 0;white-space:pre;overflow-x:auto;{_MONOSPACE}"
_ITEM_STYLE = "margin:0 0 .5rem;padding:.75rem;background:#fff;border:1px solid #e5b5b7"


def problem_panel(problem: BuildProblem, over_last_build: bool) -> str:
    """The error panel, laid over a page of the last good build or standing on its own."""
    title = problem.headline + (
        ",以下为上一次成功构建的页面" if over_last_build else ",尚无成功构建的页面"
    )
    items = []
    for message in problem.messages:
        first, _, quoted = message.partition("\n")
        item = f'<li style="{_ITEM_STYLE}"><p style="{_MESSAGE_STYLE}">{html.escape(first)}</p>'
        if quoted:
            item += f'<pre style="{_SOURCE_STYLE}">{html.escape(quoted)}</pre>'
        items.append(item + "</li>")
    return (
        f'<section id="{ERROR_ELEMENT_ID}" role="alert" lang="zh-CN" style="{_PANEL_STYLE}">'
        f'<h2 style="margin:0 0 .25rem;font-size:1.25rem;color:#a01c22">{html.escape(title)}</h2>'
        f'<p style="margin:0 0 .75rem">{html.escape(problem.detail)}</p>'
        f'<ol style="list-style:none;margin:0;padding:0">{"".join(items)}</ol></section>'
    )


_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def with_problem(page: bytes, problem: BuildProblem) -> bytes:
    panel = problem_panel(problem, over_last_build=True).encode("utf-8")
    match = _BODY_OPEN.search(page)
    at = match.end() if match else 0
    return page[:at] + panel + page[at:]


def notice_page(title: str, body: str) -> bytes:
    # A </head> for livereload's script, so that this page reloads itself too.
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} · jixiao 预览</title></head>"
        f'<body style="margin:0">{body}</body></html>'
    ).encode()


def _building_page() -> bytes:
    return notice_page(
        "正在构建",
        '<p style="margin:2rem;font:18px/1.6 system-ui,sans-serif">'
        "正在构建预览,完成后本页会自动刷新。</p>",
    )


# ------------------------------------------------------------------------------------------------
# Serving


class PreviewState:
    """What the preview thread tells the server; each field is replaced whole, never mutated."""

    def __init__(self, has_build: bool) -> None:
        self.problem: BuildProblem | None = None
        self.has_build = has_build  # the output folder holds a finished build
        self.search_root: Path | None = None  # serves pagefind/ when the build does not


class PreviewFileHandler(web.StaticFileHandler):
    """The output folder as a static host serves it, plus the error panel while a build fails."""

    state: ClassVar[PreviewState]

    def compute_etag(self) -> str | None:
        # Pages change under the same name many times a minute, and HTTP dates have a
        # one-second grain: never let the browser revalidate a copy, always send the file.
        return None

    def should_return_304(self) -> bool:
        return False

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    async def get(self, path: str, include_body: bool = True) -> None:
        state = self.state
        if state.search_root is not None and path.startswith(SEARCH_BUNDLE + "/"):
            self.root = str(state.search_root)
        problem = state.problem
        page = self._html_file(path) if problem is not None else None
        if problem is None or page is None:
            await super().get(path, include_body)
            return
        self._send_page(with_problem(page.read_bytes(), problem), 200, include_body)

    def _html_file(self, path: str) -> Path | None:
        """The HTML file a request names, when it exists inside the output folder."""
        root = Path(self.root).resolve()
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            return None
        if target.is_dir() and (path == "" or path.endswith("/")):
            target = target / "index.html"
        return target if target.suffix == ".html" and target.is_file() else None

    def _send_page(self, body: bytes, status: int, include_body: bool = True) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        if include_body:
            self.write(body)
        self.finish()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        state = self.state
        problem = state.problem
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.is_file():
            # As a static host would: the site's own 404 page, so its links can be tried too.
            page = not_found.read_bytes()
            self._send_page(page if problem is None else with_problem(page, problem), 404)
        elif problem is not None:
            self._send_page(notice_page(problem.headline, problem_panel(problem, False)), 503)
        elif not state.has_build:
            self._send_page(_building_page(), 503)
        else:
            super().write_error(status_code, **kwargs)


class _PushedChanges(Watcher):
    """Stands in for livereload's own watcher, which scans every file each 0.8 s and runs its
    tasks on the server thread. The preview thread finds changes and builds; this only hands it
    the server's event loop once the server has started."""

    def __init__(self, on_start: Callable[[IOLoop], None]) -> None:
        super().__init__()
        self._on_start = on_start

    def start(self, callback: Callable[[], None]) -> bool:
        self._on_start(IOLoop.current())
        return True  # "changes are pushed": livereload starts no polling of its own


def is_loopback(host: str) -> bool:
    """Whether host only ever reaches this machine (a name counts if every address is loopback)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def browser_url(host: str, port: int) -> str:
    if host in ("", "0.0.0.0", "::"):
        host = DEFAULT_HOST  # listening everywhere includes here
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _say(text: str, error: bool = False) -> None:
    # Flushed at once: the preview is often read through a pipe (a test, an editor's task runner).
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


# ------------------------------------------------------------------------------------------------
# Building


class Preview:
    """Builds the site, keeps the state the server shows, and rebuilds when sources change."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.site = options.site
        self.state = PreviewState(has_build=self.site.is_dir())
        self.stop = threading.Event()
        # When the preview thread last did anything (a change seen, a build ended), and whether
        # it is at it now: the background search index waits for a pause in both.
        self.last_activity = time.monotonic()
        self.busy = True
        self.search = SearchRefresher(self) if options.defer else None
        # Kept in memory between rebuilds, written to the preview's cache when edits pause.
        self.manifest = Manifest(options.preview_dir / "build", in_memory=True)
        if self.search is not None and self.search.bundle.is_dir():
            self.state.search_root = self.search.root  # an earlier session's, until refreshed

    def watched(self) -> list[Path]:
        return [self.options.content, TEMPLATES]

    def build_options(self) -> BuildOptions:
        complete = not self.options.defer
        options = BuildOptions(
            content=self.options.content,
            site=self.site,
            # Its own build cache: what the preview left out must not count as built for
            # `jixiao build`.
            cache=self.options.preview_dir / "build",
            jobs=self.options.jobs,
            search=complete,
            manifest=self.manifest,
            tables=complete,  # the open-data tables follow when the edits pause
        )
        # Deferred unless --no-defer, whichever way the build spells the switch.
        names = {f.name for f in dataclasses.fields(BuildOptions)}
        if "defer_pdf" in names:
            options.defer_pdf = not complete  # type: ignore[attr-defined]
        elif "pdf" in names:
            options.pdf = complete  # type: ignore[attr-defined]
        return options

    def errors_in_changed_forms(self, changed: set[Path]) -> BuildProblem | None:
        """The errors of the changed forms on their own, without a build.

        A build fails on any of them anyway, and a build of a large site has to hash and load
        everything before it gets to say so; this answers in milliseconds. Only when nothing
        but forms changed: a changed site.yaml or template can make any form wrong or right.
        """
        content = self.options.content.resolve()
        forms = []
        for path in changed:
            if not path.is_relative_to(content) or path.name == "site.yaml":
                return None
            if path.suffix == ".yaml" and path.is_file():
                forms.append(self.options.content / path.relative_to(content))
        if not forms:
            return None
        result = check_content(self.options.content, sorted(forms))
        return _content_problem(result) if result.count(Severity.error) else None

    def idle_for(self) -> float:
        return 0.0 if self.busy else time.monotonic() - self.last_activity

    def build(self, reason: str) -> bool:
        """One build; on failure the problem is shown and the previous output stays served."""
        started = time.perf_counter()
        try:
            report = build(self.build_options())
        except Exception as error:  # whatever it is, the preview must outlive it
            problem = describe_failure(error)
            self.state.problem = problem
            _say(problem.terminal_text())
            return False
        finally:
            self.last_activity = time.monotonic()
        self.state.problem = None
        self.state.has_build = True
        _say(_built_line(self.site, report, time.perf_counter() - started, reason))
        if self.search is not None:
            self.search.wanted()
        return True

    def catch_up(self) -> None:
        """What the rebuilds left for a pause: the open-data tables, the manifest on disk."""
        try:
            written = refresh_tables(self.build_options())
            if written:
                _say(f"open-data tables refreshed: {written} files")
        except Exception as error:  # the next pause tries again; the preview goes on
            _say(f"open-data tables not refreshed ({type(error).__name__}: {error})")
        self.manifest.save()

    def watch_and_rebuild(self, reload_browsers: Callable[[], None]) -> None:
        """Until stopped: build, then wait for changes, let them settle, rebuild, reload."""
        site, cache = self.site.resolve(), self.options.cache.resolve()
        # Watching starts before the first build, so that a save during it is not missed.
        watcher: ChangeWatcher = watch(self.watched(), skip=lambda p: p in (site, cache))
        try:
            self.build("start")
            reload_browsers()
            pending: set[Path] = set()
            last_change = 0.0
            while not self.stop.is_set():
                self.busy = bool(pending)
                if pending:
                    wait = self.options.debounce - (time.monotonic() - last_change)
                else:
                    wait = 0.5  # wakes now and then to notice the stop
                changed = watcher.changes(max(0.0, wait))
                if changed:
                    pending |= changed
                    last_change = self.last_activity = time.monotonic()
                elif not pending and self.idle_for() >= CATCH_UP_PAUSE:
                    self.catch_up()
                elif pending and time.monotonic() - last_change >= self.options.debounce:
                    problem = self.errors_in_changed_forms(pending)
                    if problem is None:
                        self.build(_describe_changes(pending))
                    else:
                        self.state.problem = problem
                        _say(problem.terminal_text())
                    pending = set()
                    reload_browsers()
        finally:
            watcher.close()
            self.manifest.save()


def _built_line(site: Path, report: BuildReport, seconds: float, reason: str) -> str:
    stages = ", ".join(f"{name} {s:.2f}s" for name, s in report.seconds.items())
    if report.unchanged:
        return f"{site}/ already matches the sources ({reason}; {stages})"
    return (
        f"built {site}/ in {seconds:.2f}s ({reason}): {report.projects} projects, "
        f"{report.pages} pages written, {report.result.count(Severity.warning)} warnings in the "
        f"files re-read ({stages})"
    )


def _describe_changes(paths: set[Path]) -> str:
    first = _shown_path(min(paths))
    return first + (f" and {len(paths) - 1} more changed" if len(paths) > 1 else " changed")


class SearchRefresher:
    """Rebuilds the preview's search index in the background once the edits pause.

    It indexes a snapshot of the pages (hard links: no data is copied) so that builds can go on
    publishing meanwhile, and swaps the finished index in under the preview folder, from where
    the server answers for pagefind/.
    """

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.root = preview.options.preview_dir.resolve() / "search"
        self.bundle = self.root / SEARCH_BUNDLE
        self._wanted = threading.Event()

    def wanted(self) -> None:
        self._wanted.set()

    def run(self) -> None:
        _lower_priority()
        stop = self.preview.stop
        while not stop.is_set():
            if not self._wanted.wait(0.5):
                continue
            if self.preview.idle_for() < SEARCH_REFRESH_PAUSE:
                stop.wait(0.5)
                continue
            self._wanted.clear()
            self.refresh()

    def refresh(self) -> None:
        site = self.preview.site.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        snapshot = Path(tempfile.mkdtemp(prefix="snapshot-", dir=self.root))
        started = time.perf_counter()
        try:
            published = os.stat(site).st_ino
            _link_year_pages(site, snapshot)
            if os.stat(site).st_ino != published:
                raise RuntimeError("a build was published while the pages were being linked")
            # One indexer at a time: the cores are for the next rebuild.
            pages = write_search_index(snapshot, parts_of_tree(snapshot), jobs=1)
            retired = self.root / f"retired-{os.getpid()}"
            if self.bundle.exists():
                os.replace(self.bundle, retired)
            os.replace(snapshot / SEARCH_BUNDLE, self.bundle)
            shutil.rmtree(retired, ignore_errors=True)
            self.preview.state.search_root = self.root
            _say(f"search index refreshed in {time.perf_counter() - started:.1f}s: {pages} pages")
        except Exception as error:  # a build was published mid-snapshot, or Pagefind failed
            _say(f"search index not refreshed ({type(error).__name__}: {error}); will retry")
            self.wanted()
        finally:
            shutil.rmtree(snapshot, ignore_errors=True)


def _lower_priority() -> None:
    """Let this thread, and the indexer processes it starts, yield the cores to a rebuild that
    begins while they run (Linux keeps a nice value per thread, and children inherit it)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux: the index simply competes
        pass


def _link_year_pages(site: Path, snapshot: Path) -> list[int]:
    """Hard-link the pages under each year folder of site into snapshot; returns the years."""
    years = sorted(int(entry.name) for entry in site.iterdir() if entry.name.isdigit())
    for year in years:
        for folder, _, names in os.walk(site / str(year)):
            target = snapshot / os.path.relpath(folder, site)
            target.mkdir(parents=True, exist_ok=True)
            for name in names:
                if name.endswith(".html"):
                    os.link(os.path.join(folder, name), target / name)
    return years


def serve(options: ServeOptions) -> int:
    preview = Preview(options)
    if not is_loopback(options.host):
        _say(
            f"jixiao serve: listening on {options.host or 'every interface'}, not only on this "
            "machine: anyone who can reach it over the network can read the preview, unpublished "
            "drafts included. Leave out --host to serve on 127.0.0.1 only.",
            error=True,
        )
    url = browser_url(options.host, options.port)
    threads: list[threading.Thread] = []

    def start_preview(loop: IOLoop) -> None:
        def reload_browsers() -> None:
            loop.add_callback(LiveReloadHandler.reload_waiters, "*")

        # Daemons, so that a build still running when the server stops cannot hold the process.
        threads.append(
            threading.Thread(
                target=preview.watch_and_rebuild,
                args=(reload_browsers,),
                name="jixiao-preview",
                daemon=True,
            )
        )
        if preview.search is not None:
            threads.append(
                threading.Thread(target=preview.search.run, name="jixiao-search", daemon=True)
            )
        for thread in threads:
            thread.start()
        _say(f"serving {preview.site}/ at {url} (Ctrl+C to stop)")
        if options.open_browser and _has_display():
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    server = Server(watcher=_PushedChanges(start_preview))
    server.SFH = type("BoundPreviewFileHandler", (PreviewFileHandler,), {"state": preview.state})
    for folder in preview.watched():
        server.watch(str(folder))  # livereload's bookkeeping; the watching is the preview's
    # livereload logs each connection and reload; the preview prints its own lines.
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    preview.site.parent.mkdir(parents=True, exist_ok=True)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve(port=options.port, host=options.host, root=str(preview.site.resolve()))
    except OSError as error:
        _say(f"jixiao serve: cannot listen on {options.host}:{options.port}: {error}", error=True)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        preview.stop.set()
        for thread in threads:
            thread.join(timeout=5)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # stop as on Ctrl+C: livereload ends its loop, the threads follow


def _has_display() -> bool:
    """Whether a graphical browser can open; otherwise webbrowser may take over the terminal."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True
