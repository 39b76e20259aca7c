"""A part's Pagefind files made a function of its pages alone (`canonical_files`): Pagefind
writes some lists in hash map order, which changes from run to run."""

from __future__ import annotations

import hashlib
import json

from .merge import MergeError, pagefind_bytes, read_pagefind

# What of Pagefind's index we read and rewrite (pagefind 1.3 to 1.6; pyproject.toml bounds it
# below 1.7, and tests/test_search_parts.py names each of these if a new version moves one):
# - pagefind-entry.json: {"languages": {language: {"hash": ..., "page_count": ...}}};
# - pagefind.<hash>.pf_meta and filter/<hash>.pf_filter: gzip of b"pagefind_dcd" + CBOR;
# - the meta is a list: [3] the filters as [name, filter hash], [4] the sort keys as [name, ...];
# - a filter file is [filter name, values], each value a list that starts with the value;
# - pagefind.js loads "pagefind.<hash>.pf_meta" and "filter/<hash>.pf_filter" by those hashes.
ENTRY_FILE = "pagefind-entry.json"
META_FILTERS = 3
META_SORTS = 4


class SearchIndexError(RuntimeError):
    """Pagefind ran but failed on the pages it was given, or wrote an index unlike the one this
    version of jixiao rewrites. Not the user's to fix: the command reports it as an internal
    error (a folder name jixiao should have refused, a Pagefind version outside the bound in
    pyproject.toml)."""


def _read_pagefind(data: bytes, name: str) -> object:
    try:
        return read_pagefind(data, name)
    except MergeError as error:
        raise SearchIndexError(str(error)) from error


def _short_hash(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def canonical_files(files: dict[str, bytes]) -> dict[str, object]:
    """Make a bundle (bundle-relative path -> bytes, changed in place) a function of its
    pages alone; returns its entry file's content.

    Pagefind writes the values of each filter, and the list of filters and sort keys, in hash
    map order, which changes from run to run; the file names are hashes of the contents. We
    sort those lists, rewrite the files and rename them by the hash of what they now hold, so
    two builds of the same pages give the same bytes. The page data itself is left untouched.
    Raises SearchIndexError when the bundle is not laid out as described above.
    """
    try:
        entry = json.loads(files[ENTRY_FILE])
        for language, info in entry["languages"].items():
            info["hash"] = _canonical_meta(files, language, info["hash"])
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise SearchIndexError(
            f"Pagefind gave an index unlike the one jixiao rewrites "
            f"({type(error).__name__}: {error}); install a Pagefind that pyproject.toml allows"
        ) from error
    files[ENTRY_FILE] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return entry


def _canonical_meta(files: dict[str, bytes], language: str, meta_hash: str) -> str:
    """Rewrite one language's meta file and its filter files sorted; returns the new hash."""
    meta_name = f"pagefind.{meta_hash}.pf_meta"
    meta = _read_pagefind(files.pop(meta_name), meta_name)
    renamed: dict[str, str] = {}
    for name, old in meta[META_FILTERS]:
        old_name = f"filter/{old}.pf_filter"
        filter_name, values = _read_pagefind(files.pop(old_name), old_name)
        data = pagefind_bytes([filter_name, sorted(values, key=lambda v: v[0])])
        new = f"{language}_{_short_hash(data, 7)}"
        files[f"filter/{new}.pf_filter"] = data
        renamed[name] = new
    meta[META_FILTERS] = sorted([name, renamed[name]] for name, _ in meta[META_FILTERS])
    meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda sort: sort[0])
    data = pagefind_bytes(meta)
    new_hash = f"{language}_{_short_hash(data, 13)}"
    files[f"pagefind.{new_hash}.pf_meta"] = data
    return new_hash
