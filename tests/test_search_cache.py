"""Search parts taken from the cache by what Pagefind reads of them (`search/partcache.py`):
Pagefind's output is a function of that input, the key follows it, a frame change runs no
Pagefind and gives a cold build's bytes, an edit in the indexed text re-indexes its part
alone, and a bad entry is never used."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.search import pagefind as search
from builder.search import partcache
from builder.search.partcache import PartCache, indexer_identity, part_key

from .test_incremental import ROOT, build_command, copy_content, tree
from .test_search_merge import _pages
from .test_search_parts import build_site, content_with_units

EDITED = "2023/lps-sbj/shebao-pingtai-yunwei.yaml"
GOAL = "对凉都社保微信公众号"


def _counting_pagefind(work: Path) -> tuple[Path, Path]:
    """A Pagefind that notes each process started in a file: (the program, the file)."""
    starts, program = work / "pagefind-starts", work / "pagefind"
    work.mkdir(parents=True, exist_ok=True)
    real = search.pagefind_binary()
    program.write_text(f'#!/bin/sh\necho x >> "{starts}"\nexec "{real}" "$@"\n', "utf-8")
    program.chmod(0o755)
    starts.write_text("", encoding="utf-8")
    return program, starts


def _started(starts: Path) -> int:
    """Pagefind processes started since the last call."""
    count = len(starts.read_text(encoding="utf-8").split())
    starts.write_text("", encoding="utf-8")
    return count


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / partcache.FOLDER / "objects").glob("*/*.part"))


def test_pagefind_gives_the_same_bytes_for_the_same_pages_in_the_same_order(
    tmp_path: Path,
) -> None:
    _pages(tmp_path, 12)
    for part in search.parts_of_tree(tmp_path):
        task = search.read_part(tmp_path, part)
        assert search.index_pages(None, task) == search.index_pages(None, task)


def test_the_key_changes_with_a_word_a_url_the_language_or_the_binary(tmp_path: Path) -> None:
    binary = tmp_path / "pagefind"
    shutil.copyfile(search.pagefind_binary(), binary)
    identity = indexer_identity(str(binary), search.LANGUAGE)
    pages = (("/2023/a/p1/index.html", "<p>养老保险</p>"), ("/2023/a/p2/index.html", "<p>运维</p>"))
    key = part_key(identity, pages)
    assert part_key(indexer_identity(search.pagefind_binary(), search.LANGUAGE), pages) == key
    assert part_key(identity, pages[::-1]) != key  # the order Pagefind numbers them in
    assert part_key(identity, ((pages[0][0], "<p>养老保险金</p>"), pages[1])) != key
    assert part_key(identity, (("/2023/b/p1/index.html", pages[0][1]), pages[1])) != key
    assert part_key(identity, ((pages[0][0] + "<p>", "养老保险</p>"), pages[1])) != key
    assert part_key(indexer_identity(str(binary), "en"), pages) != key
    with binary.open("ab") as handle:
        handle.write(b"\0")
    assert part_key(indexer_identity(str(binary), search.LANGUAGE), pages) != key


def test_a_frame_change_runs_no_pagefind_and_gives_a_cold_builds_bytes(tmp_path: Path) -> None:
    """A line added to base.html outside the indexed body, in a copy of the code."""
    code = tmp_path / "code"
    for name in ("builder", "templates"):
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    program, starts = _counting_pagefind(tmp_path / "tools")
    env = {**os.environ, "PYTHONPATH": str(code), "JIXIAO_PAGEFIND": str(program)}
    content = copy_content(tmp_path)

    def built(work: Path, *flags: str) -> None:
        command = build_command(content, work, "--no-pdf", "--quiet", *flags)
        subprocess.run(command, cwd=code, env=env, check=True, capture_output=True)

    built(tmp_path / "warm")
    assert _started(starts) > 0
    base = code / "templates" / "base.html"
    frame = base.read_text(encoding="utf-8")
    assert frame.count("</body>") == 1
    base.write_text(frame.replace("</body>", "<p>框架新加的一行</p>\n</body>"), "utf-8")
    built(tmp_path / "warm")
    assert _started(starts) == 0
    site = tree(tmp_path / "warm" / "site")
    page = tmp_path / "warm" / "site" / EDITED.removesuffix(".yaml") / "index.html"
    assert "框架新加的一行" in page.read_text(encoding="utf-8")
    built(tmp_path / "cold", "--full")
    assert _started(starts) > 0
    assert site == tree(tmp_path / "cold" / "site")


def test_an_edit_in_the_indexed_text_reindexes_the_parts_that_hold_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PART_PAGES", 1)  # a few parts a year, as a large site has
    program, starts = _counting_pagefind(tmp_path / "tools")
    monkeypatch.setenv("JIXIAO_PAGEFIND", str(program))
    content = content_with_units(tmp_path)
    build_site(content, tmp_path, incremental=False)
    parts = len(search.parts_of_tree(tmp_path / "site"))
    assert parts >= 2 and _started(starts) == parts
    used = json.loads((tmp_path / "cache" / partcache.FOLDER / partcache.USED).read_text())

    build_site(content, tmp_path, incremental=False)  # --full, the cache warm
    assert _started(starts) == 0
    edited = content / EDITED
    edited.write_text(edited.read_text("utf-8").replace(GOAL, "对六盘水社保微信公众号"), "utf-8")
    build_site(content, tmp_path, incremental=False)
    assert _started(starts) == 1
    now = json.loads((tmp_path / "cache" / partcache.FOLDER / partcache.USED).read_text())
    changed = [bundle for bundle in now if now[bundle] != used[bundle]]
    unit = EDITED.split("/")[1]
    assert [p.bundle for p in search.parts_of_tree(tmp_path / "site") if unit in p.units] == (
        changed
    )
    assert len(_entries(tmp_path / "cache")) == parts  # the full build pruned the old one
    site = tree(tmp_path / "site")
    build_site(content, tmp_path / "cold", incremental=False)
    assert site == tree(tmp_path / "cold" / "site")


def test_a_bad_entry_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PART_PAGES", 1)
    program, starts = _counting_pagefind(tmp_path / "tools")
    monkeypatch.setenv("JIXIAO_PAGEFIND", str(program))
    content = content_with_units(tmp_path)
    build_site(content, tmp_path, incremental=False)
    site = tree(tmp_path / "site")
    entries = _entries(tmp_path / "cache")
    assert len(entries) == _started(starts) >= 2
    for entry, damage in zip(entries, (_truncated, _flipped), strict=False):
        entry.chmod(0o644)
        entry.write_bytes(damage(entry.read_bytes()))
    build_site(content, tmp_path, incremental=False)
    assert _started(starts) == 2  # both indexed anew, the others taken
    assert tree(tmp_path / "site") == site
    cache = PartCache(tmp_path / "cache" / partcache.FOLDER, "")
    for entry in _entries(tmp_path / "cache"):
        assert cache.get(entry.stem) is not None  # replaced by whole ones


def test_an_entry_is_read_only_when_whole_and_its_own(tmp_path: Path) -> None:
    cache = PartCache(tmp_path, "identity")
    index = partcache.PartIndex({"part-1.cbor.gz": b"record"}, {"fragment/a": b"f"}, {}, 1)
    key, other = "ab" + "0" * 62, "cd" + "0" * 62
    cache.keep(key, index)
    assert cache.get(key) == index
    data = cache.entry(key).read_bytes()
    assert not list(tmp_path.rglob("*.tmp"))
    for bad in (data[:-1], _flipped(data), data[:10], b""):
        cache.entry(key).chmod(0o644)
        cache.entry(key).write_bytes(bad)
        assert cache.get(key) is None
        assert not cache.has(key)  # removed: indexed anew and kept again
        cache.keep(key, index)
    cache.entry(other).parent.mkdir(parents=True)
    shutil.copyfile(cache.entry(key), cache.entry(other))
    assert cache.get(other) is None  # an entry under another key's name


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    return data[:-5] + bytes([data[-5] ^ 1]) + data[-4:]
