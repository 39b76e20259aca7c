"""The preview's HTTP side: livereload's tornado server, with our handler for the files.

livereload serves the output folder through the handler class in its `Server.SFH` attribute,
injects its script into every page, and reloads the open pages when its watcher says so. We
replace both its file handler (to lay the error panel over pages, and never let a page be
cached) and its watcher (the preview thread finds the changes and builds; livereload only
relays the reload). Those are internals of livereload 2.7 (`Server.SFH`, `Watcher.start`,
`Watcher._tasks` through `Server.watch`, `LiveReloadHandler.reload_waiters`); pyproject.toml
bounds livereload below 2.8, and tests/test_serve.py fails by name if one of them moves.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop

from ..search.pagefind import BUNDLE as SEARCH_BUNDLE
from .overlay import building_page, notice_page, problem_panel, with_problem
from .problems import BuildProblem

# The names every preview answers to, whatever address it listens on: this machine's.
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(header: str, host: str, port: int | None) -> bool:
    """Whether a request's `Host` header names this preview, which listens on `host` and
    `port` (None: any port). Allowed: localhost, 127.0.0.1, [::1] and `host` itself; when
    `host` is not a loopback address (`--host 0.0.0.0`, a LAN address), any IP address too.
    Any other name is refused: a page whose domain was re-pointed at this machine (DNS
    rebinding) sends its own name. The port must be `port` (left out: 80)."""
    try:
        parts = urlsplit("//" + header)
        name, given_port = (parts.hostname or ""), parts.port
    except ValueError:
        return False
    if port is not None and (given_port or 80) != port:
        return False
    bound = host.strip("[]").lower()
    if name in LOCAL_NAMES or (bound and name == bound):
        return True
    return not _is_loopback_address(bound) and _is_address(name)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback_address(host: str) -> bool:
    return host == "localhost" or (_is_address(host) and ipaddress.ip_address(host).is_loopback)


class PreviewState:
    """What the preview thread tells the server; each field is replaced whole, never mutated.

    `problem` is why the last build failed (None after a good one); `has_build` whether the
    output folder holds a finished build; `search_root` the folder that holds the `pagefind/`
    served when the build leaves the search index out (None: the output folder's own).
    """

    def __init__(self, has_build: bool) -> None:
        self.problem: BuildProblem | None = None
        self.has_build = has_build
        self.search_root: Path | None = None


class PreviewFileHandler(web.StaticFileHandler):
    """The output folder as a static host serves it, plus the error panel while a build fails.

    A subclass made by `livereload_server` binds `state`. Pages are sent with
    `Cache-Control: no-store` and no validators; a missing file gets the site's own 404 page,
    a failed build without a previous one a 503 page with the panel, and no build yet a 503
    page saying the preview is being built.
    """

    state: ClassVar[PreviewState]
    # The address the server listens on, (host, port), for `host_allowed`; port None: any.
    listening: ClassVar[tuple[str, int | None]] = ("127.0.0.1", None)

    def prepare(self) -> None:
        """Refuse, with a plain 403, a request whose `Host` header does not name this preview
        (`host_allowed`): no page, no file, no error panel."""
        host, port = self.listening
        if not host_allowed(self.request.host, host, port):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            self.finish("403: this preview answers only to localhost, 127.0.0.1 and [::1]\n")

    def compute_etag(self) -> str | None:
        """None: no ETag is sent."""
        # Pages change under the same name many times a minute, and HTTP dates have a
        # one-second grain: never let the browser revalidate a copy, always send the file.
        return None

    def should_return_304(self) -> bool:
        """False: every request gets the file itself."""
        return False

    def set_extra_headers(self, path: str) -> None:
        """`Cache-Control: no-store` on every file."""
        self.set_header("Cache-Control", "no-store")

    async def get(self, path: str, include_body: bool = True) -> None:
        """Serve `path` from the output folder (the search bundle from its own root while a
        part is re-indexed); while a build fails, an HTML page with the error panel added."""
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
        """A 404 as the site's own 404 page; otherwise the failed build's panel or the "being
        built" page (503), else tornado's error page."""
        state = self.state
        problem = state.problem
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.is_file():
            # As a static host would: the site's own 404 page, so its links can be tried too.
            page = served_at_root(not_found.read_bytes())
            self._send_page(page if problem is None else with_problem(page, problem), 404)
        elif problem is not None:
            self._send_page(notice_page(problem.headline, problem_panel(problem, False)), 503)
        elif not state.has_build:
            self._send_page(building_page(), 503)
        else:
            super().write_error(status_code, **kwargs)


_ROOT = re.compile(rb'<html[^>]* data-root="(/[^"]*)"')


def served_at_root(page: bytes) -> bytes:
    """The 404 page with its links from the preview's root: the page links from the site's
    path on its public host (`data-root`, from base_url: `/jixiao/`), and the preview serves
    the site at `/`. Unchanged when that path is `/` or the page does not say it."""
    found = _ROOT.search(page)
    if found is None or found.group(1) == b"/":
        return page
    root = found.group(1)
    for attribute in (b"href", b"src", b"action"):
        page = page.replace(b'%s="%s' % (attribute, root), b'%s="/' % attribute)
    return page


class PushedChanges(Watcher):
    """Stands in for livereload's own watcher, which scans every file each 0.8 s and runs its
    tasks on the server thread. The preview thread finds changes and builds; this only hands
    `on_start` the server's event loop once the server has started."""

    def __init__(self, on_start: Callable[[IOLoop], None]) -> None:
        super().__init__()
        self._on_start = on_start

    def start(self, callback: Callable[[], None]) -> bool:
        """Called by the server once it runs: hands `on_start` its event loop; True, so that
        livereload does not poll."""
        self._on_start(IOLoop.current())
        return True  # "changes are pushed": livereload starts no polling of its own


def livereload_server(
    state: PreviewState,
    watched: Iterable[Path],
    on_start: Callable[[IOLoop], None],
    listening: tuple[str, int | None] = ("127.0.0.1", None),
) -> Server:
    """A livereload server that serves files through `PreviewFileHandler` bound to state and
    to the address it listens on, `listening` (host, port; port None: any), and calls on_start
    with its event loop once it runs (from `Server.serve`, on its thread)."""
    server = Server(watcher=PushedChanges(on_start))
    bound = {"state": state, "listening": listening}
    server.SFH = type("BoundPreviewFileHandler", (PreviewFileHandler,), bound)
    for folder in watched:
        server.watch(str(folder))  # livereload's bookkeeping; the watching is the preview's
    return server


def browser_reloader(loop: IOLoop) -> Callable[[], None]:
    """A function, safe to call from any thread, that reloads every open page."""

    def reload_browsers() -> None:
        loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    return reload_browsers
