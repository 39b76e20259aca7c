"""`jixiao serve`: the real command in a subprocess, watched through Debian's Chromium.

Edits go to a copy of content/ and the preview writes to a temporary folder, so these tests
never touch the working tree's site or cache.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import TemplateSyntaxError, UndefinedError

from builder import cli
from builder.preview.handler import host_allowed
from builder.preview.overlay import ERROR_ELEMENT_ID
from builder.preview.problems import describe_failure
from builder.preview.rebuild import watch_sources
from builder.preview.server import is_loopback
from builder.site.render import make_environment

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILE = "2023/lps-sbj/chengxiang-yanglao-65-zengfa.yaml"
PROJECT_PAGE = "2023/lps-sbj/chengxiang-yanglao-65-zengfa/index.html"
PROJECT_NAME = "城乡居民养老保险65岁以上增发基础养老金"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServeProcess:
    """`jixiao serve` in its own process group, its output collected as it comes."""

    def __init__(self, workdir: Path, *extra: str, content: Path | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [
            sys.executable,
            "-m",
            "builder",
            "serve",
            "--content",
            str(content or workdir / "content"),
            "--output",
            str(workdir / "preview"),
            "--cache",
            str(workdir / "cache"),
            "--port",
            str(self.port),
            "--no-open",
            *extra,
        ]
        self.process = subprocess.Popen(
            command,
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never printed; output:\n{self.output}")
            time.sleep(0.05)

    def wait_until_serving(self, path: str = "", timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{self.url}{path} never served; output:\n{self.output}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._reader.join(timeout=5)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


@pytest.fixture
def serve(workdir: Path) -> Iterator[ServeProcess]:
    started = ServeProcess(workdir)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


def _open_live(page: object, url: str) -> None:
    """Open url and wait until its livereload connection is up (edits before it are not seen)."""
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "window.LiveReload && window.LiveReload.connector.protocol >= 7", timeout=10_000
    )
    # Set on this document only: gone after a reload, so a reload can be told from no reload.
    page.evaluate("window.jixiaoTestMarker = 'before'")  # type: ignore[attr-defined]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.browser
def test_edit_reloads_the_page_and_a_broken_form_is_held_back_with_its_errors_shown(
    serve: ServeProcess, workdir: Path, page: object
) -> None:
    serve.wait_until_serving(PROJECT_PAGE)
    _open_live(page, serve.url + PROJECT_PAGE)
    assert PROJECT_NAME in page.title()  # type: ignore[attr-defined]
    project = workdir / "content" / PROJECT_FILE

    _replace(project, f"name: {PROJECT_NAME}\n", "name: 改名后的测试项目\n")
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.querySelector('h1').textContent.includes('改名后的测试项目')", timeout=10_000
    )
    assert page.evaluate("window.jixiaoTestMarker") is None  # type: ignore[attr-defined]
    _open_live(page, serve.url + PROJECT_PAGE)

    _replace(project, "weight: 10, score: 10}", "weight: ten, score: 10}")
    panel = page.wait_for_selector(f"#{ERROR_ELEMENT_ID}", timeout=10_000)  # type: ignore[attr-defined]
    text = panel.inner_text()
    # As `jixiao build` does: the form held back (its page gone), the others published.
    assert "1 份表单有错误,暂未公开" in text
    located = f"content/{PROJECT_FILE}:39:92: 错误[schema-decimal-parsing]: indicators[2].weight"
    assert located in text
    assert "分值应为数字,写的是“ten”" in text  # escaped in the HTML, shown as typed
    assert PROJECT_NAME not in page.title() and "改名后的测试项目" not in page.title()  # type: ignore[attr-defined]
    assert not (workdir / "preview" / PROJECT_PAGE).exists()
    serve.wait_for_output(located)  # the terminal has it too
    serve.wait_for_output(f"  {PROJECT_FILE}  错误[schema-decimal-parsing]")
    # Every page says so, not only the one with the broken project.
    page.goto(serve.url)  # type: ignore[attr-defined]
    assert page.query_selector(f"#{ERROR_ELEMENT_ID}") is not None  # type: ignore[attr-defined]

    _open_live(page, serve.url)
    _replace(project, "weight: ten, score: 10}", "weight: 10, score: 10}")
    page.wait_for_selector(f"#{ERROR_ELEMENT_ID}", state="detached", timeout=10_000)  # type: ignore[attr-defined]
    page.goto(serve.url + PROJECT_PAGE)  # type: ignore[attr-defined]
    assert "改名后的测试项目" in page.inner_text("h1")  # type: ignore[attr-defined]

    # The livereload script is the server's doing: the files on disk never carry it.
    written = (workdir / "preview" / PROJECT_PAGE).read_text(encoding="utf-8")
    assert "livereload" not in written and ERROR_ELEMENT_ID not in written


@pytest.mark.browser
def test_broken_at_start_is_held_back_with_its_errors_shown_until_fixed(
    workdir: Path, page: object
) -> None:
    project = workdir / "content" / PROJECT_FILE
    _replace(project, "weight: 10, score: 10}", "weight: ten, score: 10}")
    served = ServeProcess(workdir)
    try:
        served.wait_for_output("暂未公开 1 份表单")  # held back; the other forms published
        page.goto(served.url + PROJECT_PAGE)  # type: ignore[attr-defined]
        page.wait_for_function("window.LiveReload && window.LiveReload.connector.protocol >= 7")  # type: ignore[attr-defined]
        panel = page.wait_for_selector(f"#{ERROR_ELEMENT_ID}")  # type: ignore[attr-defined]
        assert "1 份表单有错误,暂未公开" in panel.inner_text()
        assert f"{PROJECT_FILE}:39:92" in panel.inner_text()
        assert PROJECT_NAME not in page.title()  # type: ignore[attr-defined]

        _replace(project, "weight: ten, score: 10}", "weight: 10, score: 10}")
        page.wait_for_function(  # type: ignore[attr-defined]
            f"document.title.includes('{PROJECT_NAME}')", timeout=10_000
        )
        assert page.query_selector(f"#{ERROR_ELEMENT_ID}") is None  # type: ignore[attr-defined]
    finally:
        served.stop()


def test_serves_on_loopback_by_default(serve: ServeProcess) -> None:
    assert cli.build_parser().parse_args(["serve"]).host == "127.0.0.1"
    serve.wait_for_output(f"at http://127.0.0.1:{serve.port}/")
    serve.wait_until_serving()
    assert "not only on this machine" not in serve.output
    # Nothing answers on the machine's other addresses.
    try:
        addresses = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        addresses = []
    others = {info[4][0] for info in addresses if not info[4][0].startswith("127.")}
    for address in others:
        with socket.socket() as probe:
            probe.settimeout(1)
            assert probe.connect_ex((address, serve.port)) != 0


def _get(port: int, path: str, host: str) -> tuple[int, bytes]:
    """A GET of path from the preview on 127.0.0.1:port, sent with the Host header given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_only_requests_for_this_machine_are_answered(serve: ServeProcess) -> None:
    """A page on a domain re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as Host:
    no page, no file, not even the site's 404 page, is sent to it."""
    serve.wait_until_serving()
    port = serve.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"):
        status, body = _get(port, "/", host)
        assert status == 200 and b"<html" in body, host
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}"):
        for path in ("/", "/2023/", "/no-such-page/", "/assets/site.css", "/pagefind/"):
            status, body = _get(port, path, host)
            assert status == 403, (host, path)
            assert b"<html" not in body
    assert _get(port, "/", "127.0.0.1:1")[0] == 403


@pytest.mark.parametrize(
    ("header", "host", "allowed"),
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("[::1]:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        ("evil.example:8000", "127.0.0.1", False),
        ("evil.example", "127.0.0.1", False),
        ("localhost@evil.example:8000", "127.0.0.1", False),
        ("127.0.0.1:8001", "127.0.0.1", False),
        ("127.0.0.1", "127.0.0.1", False),  # port 80
        ("127.0.0.1:x", "127.0.0.1", False),
        ("", "127.0.0.1", False),
        ("10.0.0.5:8000", "127.0.0.1", False),
        ("10.0.0.5:8000", "0.0.0.0", True),  # listening everywhere: any address
        ("evil.example:8000", "0.0.0.0", False),  # but never another name
        ("preview.lan:8000", "preview.lan", True),
    ],
)
def test_host_allowed(header: str, host: str, allowed: bool) -> None:
    assert host_allowed(header, host, 8000) is allowed


def test_a_host_beyond_loopback_prints_a_notice(workdir: Path) -> None:
    served = ServeProcess(workdir, "--host", "0.0.0.0")
    try:
        served.wait_for_output("listening on 0.0.0.0, not only on this machine")
        served.wait_for_output(f"at http://127.0.0.1:{served.port}/")
    finally:
        served.stop()


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("")
    assert not is_loopback("192.168.1.10") and not is_loopback("10.0.0.1")


def test_a_port_in_use_is_a_clear_error(workdir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                *(sys.executable, "-m", "builder", "serve", "--no-open"),
                *("--port", str(port), "--cache", str(workdir / "cache")),
            ],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


# --- template errors, as the preview reports them ------------------------------------------------


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "broken.html").write_text("<p>\n{{ value | }}\n</p>\n", encoding="utf-8")
    (folder / "undefined.html").write_text(
        "<h1>title</h1>\n<p>{{ missing.name }}</p>\n", encoding="utf-8"
    )
    return folder


def test_a_template_syntax_error_names_the_template_and_line(templates: Path) -> None:
    with pytest.raises(TemplateSyntaxError) as raised:
        make_environment(templates).get_template("broken.html")
    problem = describe_failure(raised.value, templates)
    assert problem.headline == "模板有错误"
    assert problem.messages[0].startswith(f"{(templates / 'broken.html').as_posix()}:2: ")
    assert "错误[template]: TemplateSyntaxError" in problem.messages[0]
    assert "{{ value | }}" in problem.messages[0]


def test_an_undefined_value_names_the_template_and_line(templates: Path) -> None:
    with pytest.raises(UndefinedError) as raised:
        make_environment(templates).get_template("undefined.html").render()
    problem = describe_failure(raised.value, templates)
    assert problem.messages[0].startswith(f"{(templates / 'undefined.html').as_posix()}:2: ")
    assert "'missing' is undefined" in problem.messages[0]
    assert "{{ missing.name }}" in problem.messages[0]  # the line itself


def _render_undefined(templates: str) -> str:
    return make_environment(Path(templates)).get_template("undefined.html").render()


def test_an_undefined_value_in_a_worker_process_names_the_template_and_line(
    templates: Path,
) -> None:
    # The build renders large sites in forked workers; their traceback comes back as text.
    with mp.get_context("fork").Pool(1) as pool, pytest.raises(UndefinedError) as raised:
        pool.map(_render_undefined, [str(templates)])
    problem = describe_failure(raised.value, templates)
    assert problem.messages[0].startswith(f"{(templates / 'undefined.html').as_posix()}:2: ")


# --- the watcher ------------------------------------------------------------------------------------


def _changes_until(
    batches: Iterator[set[Path]], expected: set[Path], timeout: float = 5
) -> set[Path]:
    seen: set[Path] = set()
    deadline = time.monotonic() + timeout
    while not expected <= seen and time.monotonic() < deadline:
        seen |= next(batches)
    return seen


def _quiet_for(batches: Iterator[set[Path]], seconds: float) -> set[Path]:
    seen: set[Path] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen |= next(batches)
    return seen


def test_the_watcher_sees_edits_new_folders_and_deletions_but_not_swap_files(
    tmp_path: Path,
) -> None:
    existing = tmp_path / "2023" / "unit" / "a.yaml"
    existing.parent.mkdir(parents=True)
    existing.write_text("name: a\n", encoding="utf-8")
    stop = threading.Event()
    batches = watch_sources([tmp_path], stop, quiet=0.05)
    try:
        assert _quiet_for(batches, 0.3) == set()
        existing.write_text("name: b\n", encoding="utf-8")
        (existing.parent / ".a.yaml.swp").write_text("swap", encoding="utf-8")
        (existing.parent / "a.yaml~").write_text("backup", encoding="utf-8")
        (existing.parent / ".#a.yaml").write_text("lock", encoding="utf-8")
        assert _changes_until(batches, {existing.resolve()}) == {existing.resolve()}

        added = tmp_path / "2024" / "new" / "b.yaml"
        added.parent.mkdir(parents=True)
        added.write_text("name: b\n", encoding="utf-8")
        assert added.resolve() in _changes_until(batches, {added.resolve()})
        added.write_text("name: c\n", encoding="utf-8")  # the new folder is watched too
        assert added.resolve() in _changes_until(batches, {added.resolve()})

        existing.unlink()
        assert existing.resolve() in _changes_until(batches, {existing.resolve()})
    finally:
        stop.set()
        batches.close()


def test_the_watcher_notices_a_save_at_once_among_ten_thousand_files(tmp_path: Path) -> None:
    for n in range(10_000):
        folder = tmp_path / str(2000 + n % 20) / f"unit-{n % 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"form-{n:05d}.yaml").write_text("name: a\n", encoding="utf-8")
    edited = tmp_path / "2010" / "unit-010" / "form-00010.yaml"
    stop = threading.Event()
    batches = watch_sources([tmp_path], stop, quiet=0.05)
    try:
        assert _quiet_for(batches, 0.3) == set()
        saved = time.monotonic()
        edited.write_text("name: b\n", encoding="utf-8")
        assert _changes_until(batches, {edited.resolve()}) == {edited.resolve()}
        assert time.monotonic() - saved < 1.0
    finally:
        stop.set()
        batches.close()


def test_the_watcher_stops_when_asked(tmp_path: Path) -> None:
    stop = threading.Event()
    batches = watch_sources([tmp_path], stop, quiet=0.05)
    next(batches)
    stop.set()
    assert list(batches) == []


@pytest.mark.browser
def test_search_works_from_the_index_built_in_the_background(
    serve: ServeProcess, page: object
) -> None:
    serve.wait_for_output("search index refreshed", timeout=60)
    page.goto(serve.url + "search/index.html")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.getElementById('search-status').textContent.includes('请输入')"
    )
    page.fill("#q", "运维")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "['找到', '没有'].some(w => document.getElementById('search-status').textContent.includes(w))"
    )
    links = page.query_selector_all("#search-results li > a")  # type: ignore[attr-defined]
    assert any("shebao-pingtai-yunwei" in link.get_attribute("href") for link in links)


# --- livereload's internals the preview builds on --------------------------------------------------


def _relied_on(holds: bool, what: str) -> None:
    if not holds:
        import livereload

        pytest.fail(
            f"livereload {getattr(livereload, '__version__', '?')} changed an internal "
            f"builder/preview/handler.py relies on: {what}. Adapt the preview to it, or keep "
            "the bound on livereload in pyproject.toml below this version.",
            pytrace=False,
        )


def test_the_livereload_internals_the_preview_uses_are_there(tmp_path: Path) -> None:
    import inspect

    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import web

    from builder.preview.handler import (
        PreviewFileHandler,
        PreviewState,
        PushedChanges,
        livereload_server,
    )

    server = livereload_server(PreviewState(has_build=False), [tmp_path], lambda loop: None)
    _relied_on(
        isinstance(server.watcher, PushedChanges),
        "Server(watcher=...) keeps the watcher it is given as `Server.watcher`",
    )
    _relied_on(
        "SFH" in vars(Server())
        and isinstance(server.SFH, type)
        and issubclass(server.SFH, PreviewFileHandler),
        "`Server.SFH` is an instance attribute naming the static file handler class",
    )
    server.root = str(tmp_path)
    server.default_filename = "index.html"
    handlers = server.get_web_handlers("") if hasattr(server, "get_web_handlers") else []
    _relied_on(
        any(len(h) > 1 and h[1] is server.SFH for h in handlers),
        "`Server.get_web_handlers` serves every path through `Server.SFH`",
    )
    _relied_on(
        issubclass(PreviewFileHandler, web.StaticFileHandler),
        "the files are served by a tornado StaticFileHandler, given `path` and `default_filename`",
    )
    _relied_on(
        list(inspect.signature(Watcher.start).parameters) == ["self", "callback"]
        and Watcher().start(lambda: None) is False,
        "`Watcher.start(callback)` is called when the server starts; True means changes are "
        "pushed and livereload polls nothing",
    )
    _relied_on(
        "start_tasks" in vars(LiveReloadHandler)
        and "cls.watcher.start(" in inspect.getsource(LiveReloadHandler.start_tasks),
        "`LiveReloadHandler.start_tasks` starts the watcher through `Watcher.start`",
    )
    _relied_on(
        bool(getattr(server.watcher, "_tasks", None)),
        "`Server.watch` records a task in `Watcher._tasks` (without one, livereload watches the "
        "working folder itself)",
    )
    reload_waiters = inspect.getattr_static(LiveReloadHandler, "reload_waiters", None)
    _relied_on(
        isinstance(reload_waiters, classmethod)
        and "path" in inspect.signature(LiveReloadHandler.reload_waiters).parameters,
        "`LiveReloadHandler.reload_waiters(path)` is a class method that reloads every page",
    )
