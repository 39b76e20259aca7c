"""What an edit pays to publish at 10,000 forms, done cheaper with the same result: the
published files linked by several threads (the same links as one walk), and the PDF cache's
pruning told in advance (the old site waits for it only then). (The site's mark, which
replaced its listing, is tested in test_edit_state.py.)"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from builder.pdf.cache import PRUNE_AFTER, prune_cache_when_due, prune_due
from builder.publish.linking import _link_folder, link_missing
from builder.publish.staging import OLD_PREFIX, PREFIX, clean_leftovers


def make_site(root: Path) -> Path:
    """A small site three folders deep: files at each level, a symbolic link, an empty
    folder, names in Chinese, a file and a folder whose names sort next to each other."""
    site = root / "site"
    for path in [
        "index.html",
        "2023/index.html",
        "2023/lps-sbj/index.html",
        "2023/lps-sbj/社保平台/index.html",
        "2023/lps-sbj/社保平台/社保平台.pdf",
        "2023/lps-sbj/a/b/c.html",
        "2024/x-y/index.html",
        "data/2023/jixiao-2023.csv",
        "a",
        "a.b/c",
    ]:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(path, encoding="utf-8")
    (site / "2024/empty").mkdir(parents=True)
    (site / "2023/lps-sbj/latest.html").symlink_to("index.html")
    return site


def files(folder: Path) -> dict[str, tuple[bool, str]]:
    """Every file or link below `folder`: whether a link, and what it points at or holds."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = (True, os.readlink(path))
        elif path.is_file():
            found[path.relative_to(folder).as_posix()] = (False, path.read_text("utf-8"))
    return found


def test_linking_in_threads_links_what_one_walk_links(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    skip = [site / "2023/lps-sbj/a", site / "data/2023/jixiao-2023.csv"]
    staged, alone = tmp_path / "staged", tmp_path / "alone"
    for target in (staged, alone):  # written by the build before the linking: kept as is
        (target / "2023/lps-sbj").mkdir(parents=True)
        (target / "2023/lps-sbj/index.html").write_text("new", encoding="utf-8")
    count = link_missing(site, staged, skip=skip)
    skipped = {os.fspath(path) for path in skip}
    assert count == _link_folder(os.fspath(site), os.fspath(alone), skipped) == 8
    assert files(staged) == files(alone)
    assert files(staged)["2023/lps-sbj/index.html"] == (False, "new")
    assert "2023/lps-sbj/a/b/c.html" not in files(staged)
    assert not (staged / "2024/empty").exists()  # no folder made without a file in it
    assert (staged / "2023/lps-sbj/latest.html").is_symlink()
    pdf = "2023/lps-sbj/社保平台/社保平台.pdf"
    assert (staged / pdf).stat().st_ino == (site / pdf).stat().st_ino  # a link, no copy


def test_a_pruning_is_known_to_be_due_before_it_runs(tmp_path: Path) -> None:
    cache = tmp_path / "pdf"
    assert prune_due(cache, 0, now=True) and not prune_due(cache, PRUNE_AFTER - 1)
    assert prune_cache_when_due(cache, PRUNE_AFTER - 1) == 0  # counted, not pruned
    assert not prune_due(cache, 0) and prune_due(cache, 1)
    (cache / "objects/ab").mkdir(parents=True)
    (cache / "objects/ab/ab.pdf").write_bytes(b"%PDF")  # linked by no site
    assert prune_cache_when_due(cache, 1) == 1
    assert not prune_due(cache, PRUNE_AFTER - 1)  # counted from nought again


def held_rm(folder: Path, go: Path) -> str:
    """A folder holding `rm`: the real one, held until `go` exists (a minute at most); for
    PATH."""
    folder.mkdir()
    (folder / "rm").write_text(
        f'#!/bin/sh\nfor i in $(seq 600); do [ -e "{go}" ] && break; sleep 0.1; done\n'
        f'exec {shutil.which("rm")} "$@"\n'
    )
    (folder / "rm").chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def test_what_a_build_left_is_removed_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old site a build swapped out, still being removed when the next build starts, and
    a staging folder a killed build left: the next build does not wait for their removal."""
    site = make_site(tmp_path)
    old = tmp_path / f"{OLD_PREFIX}site-abc"
    staged = tmp_path / f"{PREFIX}site-def"
    for folder in (old, staged):
        (folder / "2023").mkdir(parents=True)
        (folder / "2023/index.html").write_text("旧", encoding="utf-8")
    go = tmp_path / "go"
    monkeypatch.setenv("PATH", held_rm(tmp_path / "bin", go))
    clean_leftovers(site)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".jixiao-"))
    assert left == [old.name, f"{OLD_PREFIX}site-def"]  # being removed; none a staging folder
    go.touch()
    deadline = time.monotonic() + 30
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".jixiao-")]
    assert not left
    assert files(site) == files(make_site(tmp_path / "again"))  # the site untouched
