"""The reader bundles written (`merge.py` makes them): a part's fragments as soon as it is
indexed, a year's bundle merged from its parts, each file compared with the published site's
so that an edit writes only what changed, and the published files a bundle no longer has
named for removal. A year's merge may run in another process (`merge_year`'s `pool`): only
its parts' records go there, and only the changed files come back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path

from .merge import LANGUAGE, PART_FILE, MergeError, fragment_names, merge_parts


def _published_files(folder: Path) -> list[str]:
    """The reader bundle's own files in a published year folder (not its parts' folders)."""
    if not folder.is_dir():
        return []
    names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    for sub in ("index", "filter", "fragment"):
        if (folder / sub).is_dir():
            names += [f"{sub}/{entry.name}" for entry in os.scandir(folder / sub)]
    return names


def write_fragments(
    bundle: str,
    fragments: Mapping[str, bytes],
    write: Callable[[str, bytes], object],
    published: Path | None,
) -> None:
    """Write a part's fragments (bundle-relative path -> bytes) into the reader bundle
    `bundle` (`pagefind/<year>`) as soon as the part is indexed, so that no part's fragments
    are held until its year is merged; those published as they are are not handed to `write`."""
    for name in sorted(fragments):
        if published is None or not _same(published / bundle / name, fragments[name]):
            write(f"{bundle}/{name}", fragments[name])


def merge_year(
    bundle: str,
    parts: Sequence[tuple[str, bytes | None]],
    runtime: Mapping[str, bytes],
    write: Callable[[str, bytes], object],
    published: Path | None,
    stale: list[str] | None,
    pool: Executor | None = None,
) -> Callable[[], None]:
    """Merge the reader bundle `bundle` (`pagefind/<year>`) of a year's parts, given in order
    as (part bundle, its PART_FILE when this build indexed it, else None: read back from the
    `published` site), with Pagefind's `runtime` files (`year_files`), in a process of `pool`
    when one is given, else here; returns the rest of the work, to call once the merge is
    wanted: it hands each file that is not published as it is now to `write`, and adds the
    published reader files the new bundle does not have to `stale`. The fragments of the
    parts indexed were written by `write_fragments`. The rest raises MergeError, OSError when
    a part that was not indexed cannot be read (raised from the pool's process as there)."""
    if pool is None:
        made = year_files(bundle, parts, runtime, published)
        return lambda: _write_year(bundle, made, write, stale)
    future = pool.submit(year_files, bundle, parts, runtime, published)
    return lambda: _write_year(bundle, future.result(), write, stale)


def year_files(
    bundle: str,
    parts: Sequence[tuple[str, bytes | None]],
    runtime: Mapping[str, bytes],
    published: Path | None,
) -> tuple[dict[str, bytes], list[str]]:
    """The reader bundle `bundle` of the year's `parts` (as `merge_year` takes them) and
    `runtime` files: its files (bundle-relative name -> bytes) that are not published as they
    are, and the bundle-relative names of the published reader files it does not have (none
    without a `published` site). Raises MergeError; OSError when a part that was not indexed
    cannot be read."""
    sources: list[bytes] = []
    for name, record in parts:
        if record is None:
            if published is None:
                raise MergeError(f"{name}: neither indexed nor published")
            record = (published / name / PART_FILE).read_bytes()
        sources.append(record)
    files = merge_parts(sources, LANGUAGE)
    del sources
    kept = set(files) | set(runtime) | set(fragment_names(files, LANGUAGE))
    files.update(runtime)
    if published is None:
        return files, []
    changed = {
        name: data for name, data in files.items() if not _same(published / bundle / name, data)
    }
    return changed, sorted(set(_published_files(published / bundle)) - kept)


def _write_year(
    bundle: str,
    made: tuple[dict[str, bytes], list[str]],
    write: Callable[[str, bytes], object],
    stale: list[str] | None,
) -> None:
    files, gone = made
    for name in sorted(files):
        write(f"{bundle}/{name}", files[name])
    if stale is not None:
        stale += [f"{bundle}/{name}" for name in gone]


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False
