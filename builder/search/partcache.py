"""Search parts kept in the cache by what Pagefind reads of them (as `workbook/cache.py` keeps
the form workbooks and `pdf/cache.py` the PDFs).

A part's index (`PartIndex`: its record, its pages' fragments, Pagefind's runtime files) is a
function of what Pagefind is handed: the same pages, with the same text, in the same order,
give the same bytes once made canonical (`pagefind.canonical_files`; `tests/test_search_cache.py`
indexes a part twice and compares). So its key is the sha256 of

- the indexer: the bytes of the Pagefind binary the build runs (`pagefind.pagefind_binary`),
  the language it is told (`pagefind.LANGUAGE`), and the source of the modules that shape its
  input, talk to it and make its output canonical (`SHAPING_MODULES`: the options given to it,
  `keep_index_url`, the files left out, the record's layout, are in their code);
- each page, in order: its URL and the exact text handed to Pagefind, after `indexed.py`'s
  cuts (`indexed_html`).

A template change outside the indexed text (the page frame, a table under
`data-pagefind-ignore`) gives every part its key of before, and a full build takes each part
from the cache instead of running Pagefind: at 10,000 forms, 64 Pagefind processes, about
27 s of CPU. A word of a goal, a URL, the language or another Pagefind binary gives a new key.

An entry is one file, `<cache>/search/objects/<key[:2]>/<key>.part`: a header naming its key
and the sha256 of its body, and the body (CBOR of the part's files). It is written under a
temporary name and renamed into place (never seen half-written), and read back verified: an
entry whose header, key or digest does not match is taken for missing, indexed anew and
replaced. The files are written into the site through the staging folder's checked writes, as
an indexed part's are, not hard-linked: a part is one record and one fragment per page, laid
among the other parts' fragments in its year's reader bundle; one entry a part is one read
and one digest to check, where links would keep a cache file per page (10,000 at 10,000 forms).

Which entries the site uses is kept in `<cache>/search/parts.json` (part bundle -> key),
updated by every build that indexes or takes a part; the cache is pruned of the others after
a full build, and after `PRUNE_AFTER` parts were stored since the last pruning.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import cbor2
from cbor2 import CBORError

from ..publish.writing import write_sealed


class _Part(Protocol):
    @property
    def bundle(self) -> str: ...  # a part's site path (`pagefind.SearchPart`)


Part = TypeVar("Part", bound=_Part)
# A part's task, as `pagefind.read_part` gives it: the part and its pages as (URL, text).
Task = tuple[Part, tuple[tuple[str, str], ...]]
FOLDER = "search"  # under the build's cache folder
PRUNE_AFTER = 64  # parts stored since the cache was last pruned (a full build prunes anyway)
HEADER = b"jixiao search part 1\n"
USED = "parts.json"
_STORED_SINCE_PRUNE = "stored-since-prune"
# The modules whose code shapes what Pagefind is handed, talks to it, or makes its output into
# the part's files: their source is part of every key.
SHAPING_MODULES = (
    "pagefind.py",
    "service.py",
    "indexed.py",
    "canonical.py",
    "merge.py",
    "partcache.py",
)


@dataclass
class PartIndex:
    """One part's index, in memory: `files` what the part's bundle keeps (its PART_FILE, by
    its bundle-relative path), `fragments` its pages' fragments and `runtime` Pagefind's
    runtime (both go to the year's reader bundle), `pages` the pages in it. What a search
    task returns: bytes only, so it travels back from a Dask worker as it is."""

    files: dict[str, bytes]
    fragments: dict[str, bytes]
    runtime: dict[str, bytes]
    pages: int


def indexer_identity(executable: str, language: str) -> str:
    """What makes a part's bytes besides its pages: the sha256 of the Pagefind binary at
    `executable` (its bytes, wherever it lies; a bare name is looked for on PATH), the `language` it is told, and the sha256 of
    the source of `SHAPING_MODULES`. Reads the binary (13 MB, about 30 ms); OSError when it
    cannot be read."""
    binary = hashlib.sha256()
    with open(shutil.which(executable) or executable, "rb") as handle:
        while block := handle.read(1 << 20):
            binary.update(block)
    code = hashlib.sha256()
    here = Path(__file__).parent
    for name in SHAPING_MODULES:
        code.update(name.encode() + b"\0" + (here / name).read_bytes())
    return f"pagefind {binary.hexdigest()} language {language} code {code.hexdigest()}"


def part_key(identity: str, pages: Iterable[tuple[str, str]]) -> str:
    """The key (sha256, hex) of a part indexed by `identity` (`indexer_identity`) from
    `pages`, each (URL, text handed to Pagefind), in the order they are handed over."""
    digest = hashlib.sha256(identity.encode() + b"\0part\0")
    for url, html in pages:
        for text in (url.encode(), html.encode("utf-8")):
            digest.update(len(text).to_bytes(8, "big") + text)
    return digest.hexdigest()


@dataclass(frozen=True)
class PartCache:
    """The parts' cache folder (`<cache>/search`) and the identity of this build's indexer."""

    folder: Path
    identity: str

    def entry(self, key: str) -> Path:
        """Where the part of `key` is kept."""
        return self.folder / "objects" / key[:2] / f"{key}.part"

    def has(self, key: str) -> bool:
        """Whether an entry of `key` is there (not yet verified: `get` is)."""
        return self.entry(key).is_file()

    def get(self, key: str) -> PartIndex | None:
        """The part of `key`, read whole and verified (header, key, sha256 of the body);
        None when it is missing or is not whole and right (a bad entry is removed)."""
        path = self.entry(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        index = _decoded(data, key)
        if index is None:
            path.unlink(missing_ok=True)
        return index

    def keep(self, key: str, index: PartIndex) -> None:
        """Store the part of `key`, read-only, atomically (a temporary file renamed into
        place). A refused write raises `OutputWriteError`."""
        body = cbor2.dumps(
            [index.files, index.fragments, index.runtime, index.pages], canonical=True
        )
        head = HEADER + f"{key} {hashlib.sha256(body).hexdigest()}\n".encode()
        write_sealed(self.entry(key), head + body)


def _decoded(data: bytes, key: str) -> PartIndex | None:
    """The PartIndex an entry's bytes hold, or None when they are not a whole entry of `key`."""
    if not data.startswith(HEADER):
        return None
    line_end = data.find(b"\n", len(HEADER))
    try:
        named, digest = data[len(HEADER) : line_end].decode("ascii").split(" ")
    except (UnicodeDecodeError, ValueError):
        return None
    body = data[line_end + 1 :]
    if line_end < 0 or named != key or hashlib.sha256(body).hexdigest() != digest:
        return None
    try:
        files, fragments, runtime, pages = cbor2.loads(body)
    except (CBORError, ValueError, TypeError):
        return None
    return PartIndex(files, fragments, runtime, pages)


def reused_or_indexed(
    cache: PartCache,
    parts: Iterable[Part],
    read: Callable[[Part], Task[Part]],
    index: Callable[[Iterator[Task[Part]]], Iterator[PartIndex]],
    keys: dict[str, str],
) -> Iterator[tuple[Part, PartIndex, bool]]:
    """(part, its index, whether Pagefind made it) for each of `parts`, in their order: each
    part's pages are `read` and keyed; a part whose key is cached is taken from the cache,
    the others are handed, in order, to `index` (the executor's map: a few ahead) and stored.
    `keys` gets each part's bundle -> key. An entry found unusable once its turn comes is
    indexed then, on its own."""
    ahead: deque[tuple[Part, str, bool]] = deque()  # read ahead of the results

    def to_index() -> Iterator[Task[Part]]:
        for part in parts:
            task = read(part)
            key = part_key(cache.identity, task[1])
            cached = cache.has(key)
            ahead.append((part, key, cached))
            if not cached:
                yield task
            del task

    results = index(to_index())
    made: deque[PartIndex] = deque()  # results come in the order of the parts to index
    end = object()
    while True:
        if not ahead:
            result = next(results, end)
            if result is end and not ahead:
                return
            if result is not end:
                made.append(result)  # type: ignore[arg-type]
            continue
        part, key, cached = ahead.popleft()
        keys[part.bundle] = key
        found = cache.get(key) if cached else None
        if found is not None:
            yield part, found, False
            continue
        fresh = (made.popleft() if made else next(results)) if not cached else None
        if fresh is None:  # a bad entry: indexed now
            fresh = next(index(iter([read(part)])))
        cache.keep(key, fresh)
        yield part, fresh, True


def record_use(
    folder: Path, keys: dict[str, str], bundles: Iterable[str], stored: int, full: bool
) -> None:
    """Note the keys of the parts the site now has (`bundles`, site paths; `keys` those this
    build indexed or took, the others as the last build noted them) in `parts.json`, and
    prune the cache when due: after a full build, or once PRUNE_AFTER parts were stored
    since the last pruning (`stored`: this build's). A refused write raises
    `OutputWriteError`."""
    used_file = folder / USED
    try:
        used = json.loads(used_file.read_text(encoding="utf-8"))
        used = used if isinstance(used, dict) else {}
    except (OSError, ValueError):
        used = {}
    used = {bundle: keys.get(bundle, used.get(bundle)) for bundle in bundles}
    used = {bundle: key for bundle, key in sorted(used.items()) if isinstance(key, str)}
    write_sealed(used_file, json.dumps(used, indent=0).encode())
    counter = folder / _STORED_SINCE_PRUNE
    try:
        since = int(counter.read_text(encoding="ascii"))
    except (OSError, ValueError):
        since = 0
    since += stored
    if full or since >= PRUNE_AFTER:
        prune(folder, set(used.values()))
        since = 0
    write_sealed(counter, str(since).encode("ascii"))


def prune(folder: Path, used: set[str]) -> int:
    """Remove the entries whose key is not in `used`, and the temporary files a killed build
    left; returns how many."""
    removed = 0
    for subfolder in (folder / "objects").glob("??"):
        for item in os.scandir(subfolder):
            key = item.name.removesuffix(".part")
            if item.name.endswith(".tmp") or (item.name.endswith(".part") and key not in used):
                os.unlink(item.path)
                removed += 1
    return removed
