"""The preview's search index, rebuilt in the background once the edits pause.

Rebuilds leave the search index out, so that an edit shows at once; this thread indexes a
snapshot of the pages (hard links: no data is copied) while builds go on publishing, and
swaps the finished index in under the preview folder, from where the server answers for
`pagefind/`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..search.pagefind import BUNDLE as SEARCH_BUNDLE
from ..search.pagefind import parts_of_tree, write_search_index
from .handler import PreviewState
from .options import tell

# Edits come in bursts; the background search index waits for a pause this long (seconds).
SEARCH_REFRESH_PAUSE = 5.0


class SearchRefresher:
    """Rebuilds the index of the pages in `site` into `<preview_dir>/search/pagefind/` once
    `idle_for()` (seconds since the preview thread last worked) reaches SEARCH_REFRESH_PAUSE
    after `wanted()`; publishes it by setting `state.search_root`. `run()` returns when stop
    is set."""

    def __init__(
        self,
        preview_dir: Path,
        site: Path,
        state: PreviewState,
        stop: threading.Event,
        idle_for: Callable[[], float],
    ) -> None:
        self.root = preview_dir.resolve() / "search"
        self.bundle = self.root / SEARCH_BUNDLE
        self.site = site
        self.state = state
        self.stop = stop
        self.idle_for = idle_for
        self._wanted = threading.Event()

    def wanted(self) -> None:
        """Ask for a new index (after a build published pages)."""
        self._wanted.set()

    def run(self) -> None:
        """The thread's body: wait to be wanted and for a pause, then refresh; until stopped."""
        _lower_priority()
        while not self.stop.is_set():
            if not self._wanted.wait(0.5):
                continue
            if self.idle_for() < SEARCH_REFRESH_PAUSE:
                self.stop.wait(0.5)
                continue
            self._wanted.clear()
            self.refresh()

    def refresh(self) -> None:
        """Index a snapshot of the pages and swap it in; on any failure, say so and want
        another try (a build published mid-snapshot, or Pagefind failed)."""
        site = self.site.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        snapshot = Path(tempfile.mkdtemp(prefix="snapshot-", dir=self.root))
        started = time.perf_counter()
        try:
            published = os.stat(site).st_ino
            _link_year_pages(site, snapshot)
            if os.stat(site).st_ino != published:
                raise RuntimeError("a build was published while the pages were being linked")
            # One indexer at a time: the cores are for the next rebuild.
            pages = write_search_index(
                snapshot, parts_of_tree(snapshot), _writer_into(snapshot), jobs=1
            )
            retired = self.root / f"retired-{os.getpid()}"
            if self.bundle.exists():
                os.replace(self.bundle, retired)
            os.replace(snapshot / SEARCH_BUNDLE, self.bundle)
            shutil.rmtree(retired, ignore_errors=True)
            self.state.search_root = self.root
            tell(f"search index refreshed in {time.perf_counter() - started:.1f}s: {pages} pages")
        except Exception as error:  # a build was published mid-snapshot, or Pagefind failed
            tell(f"search index not refreshed ({type(error).__name__}: {error}); will retry")
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


def _writer_into(root: Path) -> Callable[[str, bytes], None]:
    """A writer of the search index's files into the snapshot `root` (a private folder of the
    preview): site path, bytes -> the file, its folders made. A refused write raises."""

    def write(site_path: str, data: bytes) -> None:
        target = root / site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    return write
