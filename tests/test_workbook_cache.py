"""The form workbooks' cache (builder/workbook/cache.py): a workbook made once is linked into
every later build that shows the same grid (a full build, a template change), an edit makes a
new one and never writes through the published file, and pruning removes what no site links."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from builder.build import BuildOptions, build
from builder.publish.staging import Staging
from builder.workbook.cache import (
    cached_workbook,
    keep,
    link_into,
    prune,
    prune_when_due,
    workbook_key,
)

from .conftest import minimal_project, write_project

FORM = Path("2023") / "ceshi" / "ceshi-xiangmu" / "ceshi-xiangmu.xlsx"
OTHER = Path("2023") / "ceshi" / "di-er-ge" / "di-er-ge.xlsx"


def site_build(content: Path, work: Path, **options: object) -> object:
    settings: dict[str, object] = {"search": False, "pdf": False, "jobs": 1}
    settings.update(options)
    return build(
        BuildOptions(content=content, site=work / "site", cache=work / "cache", **settings)  # type: ignore[arg-type]
    )


def cached_files(work: Path) -> dict[int, Path]:
    """The cached workbooks of `work`'s cache, by inode."""
    folder = work / "cache" / "xlsx" / "objects"
    return {path.stat().st_ino: path for path in folder.rglob("*.xlsx")}


def two_forms(content: Path) -> None:
    write_project(content)
    write_project(content, minimal_project(id="di-er-ge", name="第二个项目"), name="di-er-ge.yaml")


def test_a_full_build_with_a_warm_cache_links_the_workbooks_made_before(
    tiny_content: Path, tmp_path: Path
) -> None:
    two_forms(tiny_content)
    site_build(tiny_content, tmp_path / "cold", incremental=False)
    cold = tmp_path / "cold" / "site"
    made = cached_files(tmp_path / "cold")
    assert len(made) == 2
    for form in (FORM, OTHER):  # the site's file is the cached one, read-only
        assert (cold / form).stat().st_ino in made
        assert not os.access(made[(cold / form).stat().st_ino], os.W_OK) or os.geteuid() == 0
    # A second full build over the same cache: nothing made again, the same files linked.
    again = site_build(tiny_content, tmp_path / "cold", incremental=False)
    assert again.workbooks == 2  # type: ignore[attr-defined]
    assert cached_files(tmp_path / "cold") == made
    for form in (FORM, OTHER):
        assert (cold / form).stat().st_ino in made


def test_the_same_grid_gives_the_same_key_and_another_grid_another(
    tiny_content: Path, tmp_path: Path
) -> None:
    two_forms(tiny_content)
    site_build(tiny_content, tmp_path / "a", incremental=False)
    before = {form: (tmp_path / "a" / "site" / form).read_bytes() for form in (FORM, OTHER)}
    write_project(tiny_content, minimal_project(contact="新联系人"))
    site_build(tiny_content, tmp_path / "a")  # an edit: a new workbook for the edited form
    site = tmp_path / "a" / "site"
    assert (site / FORM).read_bytes() != before[FORM]
    assert (site / OTHER).read_bytes() == before[OTHER]
    assert len(cached_files(tmp_path / "a")) == 3  # the edited form's old version not yet pruned
    # A cold cache elsewhere makes the same bytes: the cache changes where bytes come from only.
    site_build(tiny_content, tmp_path / "b", incremental=False)
    for form in (FORM, OTHER):
        assert (tmp_path / "b" / "site" / form).read_bytes() == (site / form).read_bytes()
    assert workbook_key("w1", "grid") != workbook_key("w2", "grid")  # the writer is in the key
    assert workbook_key("w1", "grid") != workbook_key("w1", "grid2")


def test_an_edit_never_writes_through_the_published_workbook(
    tiny_content: Path, tmp_path: Path
) -> None:
    """The search stage links a unit's published files into the staging folder before the
    workbooks are made; the edited form's new workbook replaces that link, and the published
    file (the old version's cached file) keeps its bytes."""
    two_forms(tiny_content)
    site_build(tiny_content, tmp_path, search=True)
    published = tmp_path / "site" / FORM
    old_bytes, old_inode = published.read_bytes(), published.stat().st_ino
    old_cached = cached_files(tmp_path)[old_inode]
    write_project(tiny_content, minimal_project(contact="新联系人"))
    report = site_build(tiny_content, tmp_path, search=True)
    assert report.incremental and report.workbooks == 1  # type: ignore[attr-defined]
    assert old_cached.read_bytes() == old_bytes  # the cache's old version is as it was
    assert published.read_bytes() != old_bytes
    assert published.stat().st_ino != old_inode


def test_pruning_removes_what_no_site_links(tmp_path: Path) -> None:
    cache = tmp_path / "xlsx"
    kept, orphan = (cached_workbook(cache, key * 32) for key in ("ab", "cd"))
    for path in (kept, orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK")
    os.link(kept, tmp_path / "in-a-site.xlsx")
    leftover = orphan.parent / "abc.tmp"  # a killed build's half-written file
    leftover.write_bytes(b"")
    assert prune_when_due(cache, 1) == 0 and orphan.exists()  # not due yet
    assert prune_when_due(cache, 1, now=True) == 2
    assert kept.exists() and not orphan.exists() and not leftover.exists()
    assert prune(cache) == 0


def test_a_workbook_kept_makes_its_folder_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """`keep` into a cache without the key's folder makes it; the workbook is read-only and
    whole; a temporary file a killed build of the same process id left is replaced; keeping
    the same workbook again gives the same file. `link_into` makes the site's folders."""
    cache = tmp_path / "xlsx"
    cached = cached_workbook(cache, "ab" + "0" * 62)
    keep(cached, b"first")
    assert cached.read_bytes() == b"first"
    assert stat_mode(cached) == 0o444
    assert sorted(p.name for p in cached.parent.iterdir()) == [cached.name]
    other = cached_workbook(cache, "ab" + "1" * 62)
    for leftover in cached.parent.glob(".*"):
        leftover.unlink()
    left = other.with_name(f".{other.name}.{os.getpid()}-0.tmp")  # another thread's name
    left.write_bytes(b"half")
    mine = other.with_name(f".{other.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    mine.write_bytes(b"half")  # this process's name: a killed build's, with the same id
    keep(other, b"second")
    assert not mine.exists()
    keep(other, b"second")
    assert other.read_bytes() == b"second"
    assert sorted(p.name for p in cached.parent.iterdir()) == sorted(
        [cached.name, other.name, left.name]
    )  # another writer's temporary file is left to the pruning
    assert prune(cache) == 3  # the two unlinked workbooks and the leftover
    keep(cached, b"first")
    staging = Staging(tmp_path / "site")
    assert link_into(staging, "2023/a/b/c.xlsx", cached)
    assert (staging.root / "2023/a/b/c.xlsx").samefile(cached)


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777
