"""The spare: the site an incremental build swapped out, kept as the next one's staging
folder (`builder/publish/spare.py`). Nothing in it is trusted: a stray file, a file changed
by hand, what a killed build left, is put right before the build writes; the site published
from it is the one a full build makes, byte for byte."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.tree_digest import tree_digest
from builder.publish import staging
from builder.publish.spare import SPARE_PREFIX, drop_kept, mirror, spare_of
from builder.publish.sparenote import SPARE_NOTE, bring_up_to_date, leave_note, take_note

from .test_incremental import (
    EDITED,
    ROOT,
    build_command,
    copy_content,
    full_build,
    killed_at_every_point,
    run_build,
    tree,
    warm_fonts,  # noqa: F401 (a fixture)
)


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and link under `root` (not folders): site path -> (inode, device)."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            found[os.path.relpath(path, root)] = (info.st_ino, info.st_dev)
    return found


def _folders(root: Path) -> set[str]:
    return {os.path.relpath(f, root) for f, _, _ in os.walk(root)}


def _small_site(root: Path) -> Path:
    for path, text in {
        "index.html": "首页",
        "2023/index.html": "年",
        "2023/u/a/index.html": "甲",
        "2023/u/b/index.html": "乙",
        "data/x.csv": "x",
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    (root / "latest").symlink_to("2023")
    return root


def test_mirror_puts_right_every_kind_of_difference(tmp_path: Path) -> None:
    """Stray files and folders removed; a file replaced by hand (another inode, other bytes)
    linked again; a folder where a file is and the reverse; a missing folder made; a symbolic
    link kept as a link. Afterwards every entry is the source's own inode."""
    site = _small_site(tmp_path / "site")
    spare = tmp_path / "spare"
    spare.mkdir()
    folders = mirror(site, spare)
    assert folders[0] == "" and set(folders) == {
        "",
        "2023",
        "2023/u",
        "2023/u/a",
        "2023/u/b",
        "data",
    }
    assert _files(spare) == _files(site)

    (spare / "stray.html").write_text("多余", encoding="utf-8")
    (spare / "2023/u/c").mkdir()
    (spare / "2023/u/c/index.html").write_text("丙", encoding="utf-8")
    (spare / "2023/u/a/index.html").unlink()
    (spare / "2023/u/a/index.html").write_text("改过", encoding="utf-8")  # by hand
    (spare / "data/x.csv").unlink()
    (spare / "data/x.csv").mkdir()  # a folder where a file is
    (spare / "2023/u/b/index.html").unlink()
    (spare / "2023/u/b").rmdir()
    (spare / "2023/u/b").write_text("文件", encoding="utf-8")  # a file where a folder is
    folders = mirror(site, spare)
    assert _files(spare) == _files(site)
    assert _folders(spare) == _folders(site)
    assert set(folders) == {"", "2023", "2023/u", "2023/u/a", "2023/u/b", "data"}
    assert (spare / "latest").is_symlink() and os.readlink(spare / "latest") == "2023"
    assert (site / "2023/u/a/index.html").read_text(encoding="utf-8") == "甲"  # untouched


def test_drop_kept_removes_the_sites_own_files_only(tmp_path: Path) -> None:
    """Under each deleted path: the published files (same inode) go, what the build wrote
    stays, and folders left empty go, up to the first one that holds something."""
    site = _small_site(tmp_path / "site")
    spare = tmp_path / "spare"
    spare.mkdir()
    mirror(site, spare)
    (spare / "2023/u/b/index.html").unlink()
    (spare / "2023/u/b/index.html").write_text("新乙", encoding="utf-8")  # this build's
    drop_kept(spare, site, ["2023/u/a", "2023/u/b", "data/x.csv", "gone/never"])
    assert not (spare / "2023/u/a").exists()
    assert (spare / "2023/u/b/index.html").read_text(encoding="utf-8") == "新乙"
    assert not (spare / "data").exists()  # left empty
    assert (spare / "2023/index.html").exists() and (spare / "index.html").exists()
    drop_kept(spare, site, ["2023/u"])
    assert (spare / "2023/u/b/index.html").exists() and not (spare / "2023/u/a").exists()


def _edit(content: Path, text: str) -> None:
    edited = content / EDITED
    source = edited.read_text(encoding="utf-8")
    edited.write_text(source.replace("contact:", f"contact: {text}", 1), encoding="utf-8")


def test_edits_build_in_the_spare_and_publish_what_a_full_build_does(tmp_path: Path) -> None:
    """The first edit keeps the site it swaps out as the spare; the next ones build in it,
    even after stray files, a file replaced by hand, and a folder removed in it; each site
    published is byte for byte a full build's (`bench/tree_digest.py`)."""
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    spare = spare_of(tmp_path / "site")
    assert not spare.exists()  # a full build keeps no spare
    for round, text in enumerate(["甲", "乙", "丙"]):
        _edit(content, text)
        report = run_build(content, tmp_path)
        assert report.incremental
        assert spare.is_dir()
        full = tmp_path / f"full-{round}"
        full_build(content, full)
        assert tree_digest(tmp_path / "site") == tree_digest(full / "site")
        assert tree(tmp_path / "site") == tree(full / "site")
        # Changed by hand between builds: the spare is trusted for nothing.
        (spare / "stray.html").write_text("多余", encoding="utf-8")
        page = next(spare.rglob("index.html"))
        page.unlink()
        page.write_text("改过", encoding="utf-8")
        _remove_first_folder(spare / "data")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(SPARE_PREFIX)] == [spare.name]


def _remove_first_folder(folder: Path) -> None:
    """Remove the first folder found under `folder` (by name), with what it holds."""
    first = sorted(p for p in folder.iterdir() if p.is_dir())[0]
    shutil.rmtree(first)


def test_a_full_build_removes_the_spare(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    _edit(content, "甲")
    run_build(content, tmp_path)
    spare = spare_of(tmp_path / "site")
    assert spare.is_dir()
    run_build(content, tmp_path, incremental=False)
    assert not spare.exists()


@pytest.mark.usefixtures("warm_fonts")
def test_edits_with_pdfs_in_the_spare_publish_what_a_full_build_does(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path, pdf=True)
    for text in ["甲", "乙"]:
        _edit(content, text)
        run_build(content, tmp_path, pdf=True)
    assert spare_of(tmp_path / "site").is_dir()
    assert tree(tmp_path / "site") == full_build(content, tmp_path / "full", pdf=True)


def test_an_edit_killed_at_any_step_in_the_spare_is_put_right_by_the_next(
    tmp_path: Path,
) -> None:
    """With a spare in use, a build killed at every stage, as it commits, right after its
    swap and before its record: the published site is the old one or the new one whole,
    and the next build publishes what a full build does."""
    from bench.corpus import generate

    content = tmp_path / "content"
    generate(content, projects=30, seed=5)
    command = build_command(content, tmp_path, "--no-pdf")
    forms = sorted(content.rglob("*.yaml"))
    for form in forms[:2]:  # a full build, then an edit: the spare is kept
        form.write_text(form.read_text("utf-8").replace("name: ", "name: 旧", 1), "utf-8")
        assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    assert spare_of(tmp_path / "site").is_dir()
    before = tree(tmp_path / "site")
    target = forms[3]
    target.write_text(target.read_text("utf-8").replace("name: ", "name: 新", 1), "utf-8")
    killed_at_every_point(command, tmp_path / "site", before, "新")
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    assert tree(tmp_path / "site") == full_build(content, tmp_path / "full")
    target.write_text(target.read_text("utf-8").replace("name: 新", "name: 又", 1), "utf-8")
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    assert tree(tmp_path / "site") == full_build(content, tmp_path / "full2")


def test_after_a_noted_build_only_the_folders_it_changed_are_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a build has left its note (`sparenote`), the next brings the spare up to date
    through the folders the last one changed alone, the whole walk (`mirror` from the top)
    no more, through edits that add a unit's folders and remove them; each site published is
    a full build's, and each note names every folder of the site published beside the
    spare."""
    walked: list[Path] = []

    def counted(source: Path, target: Path) -> list[str]:
        walked.append(target)
        return mirror(source, target)

    monkeypatch.setattr(staging, "mirror", counted)
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    site, spare = tmp_path / "site", spare_of(tmp_path / "site")
    added = content / "2023" / "xin-danwei" / "xin.yaml"
    steps = [
        lambda: _edit(content, "甲"),  # staged afresh: the spare kept, no note
        lambda: _edit(content, "乙"),  # the spare walked whole: the first note
        lambda: _add_unit(content / EDITED, added),  # a new unit's folders
        lambda: _edit(content, "丙"),
        lambda: shutil.rmtree(added.parent),  # the unit's folders go
        lambda: _edit(content, "丁"),
    ]
    for round, step in enumerate(steps):
        walked.clear()
        step()
        assert run_build(content, tmp_path).incremental  # type: ignore[attr-defined]
        assert walked == ([spare] if round == 1 else [])
        noted = tmp_path / "cache" / SPARE_NOTE
        assert noted.exists() == (round > 0)
        if round:
            assert set(pickle.loads(noted.read_bytes())[1].site) == set(_relative_folders(site))
        assert tree(site) == full_build(content, tmp_path / f"full-{round}")
    assert (site / "2023" / "xin-danwei").exists() is False


def test_a_note_of_another_spare_or_a_spare_changed_since_is_not_trusted(tmp_path: Path) -> None:
    """The note holds only for the spare it was taken of, as it was: a spare changed since
    (a file added), or another folder in its place, is walked whole."""
    site = _small_site(tmp_path / "site")
    spare = tmp_path / "spare"
    spare.mkdir()
    mirror(site, spare)
    cache = tmp_path / "cache"
    cache.mkdir()
    leave_note(cache, spare, 0, _relative_folders(spare), _relative_folders(site))
    assert bring_up_to_date(site, spare, take_note(cache)) is not None
    assert take_note(cache) is None  # taken: a build that stages changes the spare
    leave_note(cache, spare, 0, _relative_folders(spare), _relative_folders(site))
    (spare / "2023" / "stray.html").write_text("多余", encoding="utf-8")
    assert bring_up_to_date(site, spare, take_note(cache)) is None
    leave_note(cache, spare, 0, _relative_folders(spare), _relative_folders(site))
    shutil.rmtree(spare)
    shutil.copytree(site, spare)  # another folder of the same names
    assert bring_up_to_date(site, spare, take_note(cache)) is None


def _add_unit(form: Path, added: Path) -> None:
    """A copy of `form` under an id of its own, in a unit folder of its own."""
    text = form.read_text(encoding="utf-8")
    old = text.split("id: ", 1)[1].split("\n", 1)[0]
    added.parent.mkdir()
    added.write_text(text.replace(f"id: {old}\n", f"id: {old}-xin\n", 1), encoding="utf-8")


def _relative_folders(root: Path) -> list[str]:
    return ["" if f == "." else f for f in sorted(_folders(root))]
