"""The reader bundles written (`merge.py` makes them): a part's fragments as soon as it is
indexed, a year's bundle merged from its parts, each file compared with the published site's
so that an edit writes only what changed, and the published files a bundle no longer has
named for removal (`year_files` makes them, `merge_year` writes them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
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
) -> None:
    """Write the reader bundle `bundle` (`pagefind/<year>`) of a year's parts, given in order
    as (part bundle, its PART_FILE when this build indexed it, else None: read back from the
    `published` site), with Pagefind's `runtime` files (`year_files`): each file that is not
    published as it is now handed to `write`, the published reader files the new bundle does
    not have added to `stale`. The fragments of the parts indexed were written by
    `write_fragments`. Raises MergeError; OSError when a part that was not indexed cannot be
    read."""
    files, gone = year_files(bundle, parts, runtime, published)
    for name in sorted(files):
        write(f"{bundle}/{name}", files[name])
    if stale is not None:
        stale += [f"{bundle}/{name}" for name in gone]


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


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False
