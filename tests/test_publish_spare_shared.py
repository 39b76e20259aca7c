"""The spare and the folders beside a site when more than one build is at work in its parent:
two builds of one site with two cache folders (each cache has its own lock; `jixiao serve -o
site` has its own cache), and builds of two sites whose names start alike (`site`,
`site-2`). A build never stages in, replaces or removes a folder another build is writing
into, and never publishes what it laid over a site that another build replaced meanwhile."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from builder.publish.spare import SitePublishedMeanwhile, is_leftover, spare_of
from builder.publish.staging import OLD_PREFIX, PREFIX, Staging, clean_leftovers

from .test_incremental import build_command, copy_content, run_build, tree
from .test_publish_spare import _edit


def test_a_spare_in_use_is_neither_taken_nor_removed_by_another_build(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    _edit(content, "甲")
    run_build(content, tmp_path)
    site, spare = tmp_path / "site", spare_of(tmp_path / "site")
    first = Staging.beside(site, incremental=True)  # an edit, staging in the spare
    assert first.mirrored and first.root == spare
    (spare / "index.html").unlink()
    (spare / "index.html").write_text("第一个构建写的", encoding="utf-8")

    second = Staging.beside(site, incremental=False)  # a full build with another cache
    third = Staging.beside(site, incremental=True)  # an edit with another cache
    assert second.root != spare and not third.mirrored and third.root != spare
    assert (spare / "index.html").read_text(encoding="utf-8") == "第一个构建写的"
    third.discard()
    shutil.copytree(site, second.root, dirs_exist_ok=True)
    (second.root / "index.html").unlink()
    (second.root / "index.html").write_text("第二个构建写的", encoding="utf-8")
    second.publish(site, [], tmp_path / "cache-2")
    assert (spare / "index.html").read_text(encoding="utf-8") == "第一个构建写的"

    # The first laid its files over the site the second replaced: it publishes nothing.
    with pytest.raises(SitePublishedMeanwhile, match="另一个构建"):
        first.publish(site, [], tmp_path / "cache")
    first.discard()
    assert (site / "index.html").read_text(encoding="utf-8") == "第二个构建写的"
    _edit(content, "乙")
    run_build(content, tmp_path)  # the next edit takes the spare again
    full = tmp_path / "full"
    run_build(content, full, incremental=False)
    assert (site / "index.html").read_bytes() == (full / "site/index.html").read_bytes()


def test_leftovers_are_told_from_the_folders_of_a_site_named_alike() -> None:
    for own in (
        f"{PREFIX}site-k2_x9a0b",
        f"{OLD_PREFIX}site-k2_x9a0b",
        f"{OLD_PREFIX}site-spare-12-3",
    ):
        assert is_leftover(own, "site")
    for other in (
        f"{PREFIX}site-2-k2_x9a0b",
        f"{OLD_PREFIX}site-2-k2_x9a0b",
        f"{OLD_PREFIX}site-2-spare-12-3",
        f"{PREFIX}site_b-k2_x9a0b",
        ".jixiao-spare-site",
        "site",
    ):
        assert not is_leftover(other, "site"), other


def test_a_build_leaves_alone_the_staging_folder_of_a_site_named_alike(tmp_path: Path) -> None:
    """A build of `site` starting while a build of `site-2` writes into its staging folder
    removed that folder (its name starts with `.jixiao-build-site`): `site-2` was published
    with a few files of its 6,000."""
    (tmp_path / "site").mkdir()
    own = tmp_path / f"{PREFIX}site-abcd1234"
    other = [tmp_path / f"{PREFIX}site-2-abcd1234", tmp_path / f"{OLD_PREFIX}site-2-abcd1234"]
    for folder in (own, *other):
        (folder / "2023").mkdir(parents=True)
    clean_leftovers(tmp_path / "site")
    deadline = time.monotonic() + 30
    while any(p.name.startswith(f"{OLD_PREFIX}site-abcd") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert not own.exists()
    assert all((folder / "2023").is_dir() for folder in other)


def test_a_site_folder_given_as_a_link_is_built_incrementally(tmp_path: Path) -> None:
    """`-o out/site` where out/site links to the real folder: every build was a full one
    (the site's mark took the link for a site that is not a folder); now an edit is
    incremental, in the spare beside the real folder, and the link stays a link."""
    content = copy_content(tmp_path)
    (tmp_path / "real").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out/site").symlink_to("../real/site")
    work = tmp_path / "out"
    run_build(content, work)
    _edit(content, "甲")
    assert run_build(content, work).incremental
    _edit(content, "乙")
    assert run_build(content, work).incremental
    assert (work / "site").is_symlink() and spare_of(work / "site").is_dir()
    assert spare_of(work / "site").parent == tmp_path / "real"
    full = tmp_path / "full"
    run_build(content, full, incremental=False)
    assert tree(work / "site") == tree(full / "site")


def test_a_site_folder_that_is_a_mount_point_is_said_in_chinese(tmp_path: Path) -> None:
    """`-o /mnt/x` where /mnt/x is a mount point: the new site is made beside it and cannot be
    swapped in (EBUSY); that was an internal error ("a bug in jixiao"), now the write error
    saying what to do, exit 1, nothing changed."""
    import subprocess

    from .test_incremental import ROOT
    from .test_publish_integrity import small_disk

    content = copy_content(tmp_path)
    (tmp_path / "work").mkdir()
    with small_disk(tmp_path / "work" / "site", 20000) as site:
        ran = subprocess.run(
            build_command(content, tmp_path / "work", "--no-pdf", "-q"),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert ran.returncode == 1, ran.stderr
        assert "错误[write]" in ran.stderr and "EBUSY" in ran.stderr and "挂载点" in ran.stderr
        assert "internal error" not in ran.stderr
        assert not list(site.iterdir())
    assert not list((tmp_path / "work").glob(".jixiao-build-*"))
