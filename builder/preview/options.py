"""What `jixiao serve` is asked to do, and how the preview speaks on the terminal."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_DEBOUNCE = 0.1  # seconds


@dataclass
class ServeOptions:
    """The command's options.

    `debounce` is in seconds: how long the sources must stay unchanged after a save before the
    preview rebuilds. `defer` leaves the search index and the PDFs out of rebuilds (the search
    index follows in the background). The preview writes to `output`, by default
    `<cache>/preview/site`, never to the published `site/`.
    """

    content: Path = Path("content")
    output: Path | None = None  # default: <cache>/preview/site
    cache: Path = Path(".cache")
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    debounce: float = DEFAULT_DEBOUNCE  # seconds without a change before rebuilding
    jobs: int = os.cpu_count() or 1
    defer: bool = True  # leave the search index and PDFs out of rebuilds
    open_browser: bool = True

    @property
    def preview_dir(self) -> Path:
        """The preview's own folder under the cache: its build cache, site and search index."""
        return self.cache / "preview"

    @property
    def site(self) -> Path:
        """The folder the preview builds into and serves."""
        return self.output if self.output is not None else self.preview_dir / "site"


def tell(text: str, error: bool = False) -> None:
    """Print a line to stdout (stderr if error), flushed at once: the preview is often read
    through a pipe (a test, an editor's task runner)."""
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


def shown_path(path: Path) -> str:
    """path as the terminal shows it: relative to the working folder when below it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
