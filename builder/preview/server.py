"""`jixiao serve`: build, serve the site on this machine, rebuild on every save, reload the browser.

The main thread runs livereload's tornado server (`handler`). A preview thread (`rebuild`)
watches content/ (the forms and site.yaml) and templates/, waits for a short quiet spell (the
debounce), calls `build()` and then tells every open page to reload.

A failed build publishes nothing, so the previous output stays in place and is still served,
with the located messages laid over every page until a save fixes the problem (`problems`,
`overlay`).

The stages nobody looks at while editing are deferred so that an edit shows up at once: PDFs are
not made, and the search index is rebuilt in the background once the edits pause, from a
snapshot of the pages (`search_index`; `--no-defer` builds both on every change instead).
Because of that the preview writes its own folder under the cache, never `site/`: what
`jixiao build` publishes is always complete.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
import webbrowser

from tornado.ioloop import IOLoop

from ..publish.folders import check_folders
from .handler import browser_reloader, livereload_server
from .options import DEFAULT_HOST, ServeOptions, tell
from .rebuild import Preview

__all__ = ["ServeOptions", "browser_url", "is_loopback", "serve"]


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
    """The address to open for a server listening on host and port ("" and the wildcard
    addresses mean this machine's loopback)."""
    if host in ("", "0.0.0.0", "::"):
        host = DEFAULT_HOST  # listening everywhere includes here
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def serve(options: ServeOptions) -> int:
    """Run the preview until Ctrl+C or SIGTERM; returns the exit status: 0, or 1 when the
    port cannot be listened on. Raises `UnsafeFolder` before anything is written when the
    output overlaps the content, the cache or the working folder."""
    check_folders(options.content, options.site, options.preview_dir / "build")
    preview = Preview(options)
    if not is_loopback(options.host):
        tell(
            f"jixiao serve: listening on {options.host or 'every interface'}, not only on this "
            "machine: anyone who can reach it over the network can read the preview, unpublished "
            "drafts included. Leave out --host to serve on 127.0.0.1 only.",
            error=True,
        )
    url = browser_url(options.host, options.port)
    threads: list[threading.Thread] = []

    def start_preview(loop: IOLoop) -> None:
        threads.extend(_preview_threads(preview, loop))
        for thread in threads:
            thread.start()
        tell(f"serving {preview.site}/ at {url} (Ctrl+C to stop)")
        if options.open_browser and _has_display():
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    listening = (options.host, options.port)
    server = livereload_server(preview.state, preview.watched(), start_preview, listening)
    # livereload logs each connection and reload; the preview prints its own lines.
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    preview.site.parent.mkdir(parents=True, exist_ok=True)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve(port=options.port, host=options.host, root=str(preview.site.resolve()))
    except OSError as error:
        tell(f"jixiao serve: cannot listen on {options.host}:{options.port}: {error}", error=True)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        preview.stop.set()
        for thread in threads:
            thread.join(timeout=5)
    return 0


def _preview_threads(preview: Preview, loop: IOLoop) -> list[threading.Thread]:
    # Daemons, so that a build still running when the server stops cannot hold the process.
    threads = [
        threading.Thread(
            target=preview.watch_and_rebuild,
            args=(browser_reloader(loop),),
            name="jixiao-preview",
            daemon=True,
        )
    ]
    if preview.search is not None:
        threads.append(
            threading.Thread(target=preview.search.run, name="jixiao-search", daemon=True)
        )
    return threads


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # stop as on Ctrl+C: livereload ends its loop, the threads follow


def _has_display() -> bool:
    """Whether a graphical browser can open; otherwise webbrowser may take over the terminal."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True
