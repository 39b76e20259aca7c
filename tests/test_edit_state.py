"""What an edit reads of the last build and notes of the site it published: the state files
as heads and bodies (`publish.kept`: a kept project's rows read only when used), the site's
mark (`publish.sitemark`: folders' times instead of a listing of every name), and the folders
of the new site known from the linking (`staging.commit_overlay`). A cache written by the
format before is no cache: the build after it is a full one."""

from __future__ import annotations

import dataclasses
import os
import pickle
import time
from pathlib import Path

import pytest

from builder.opendata.records import DIGESTED
from builder.opendata.stored import PIECES
from builder.publish.kept import KeptData, StateDamaged, read_shard, shard_bytes
from builder.publish.manifest import FORMAT, STAMPS_FILE, STATE_DIR, Stamps, load_state
from builder.publish.sitemark import RECENT_NS, mark_site, site_changed, site_folders
from builder.publish.staging import commit_overlay

from .test_incremental import EDITED, copy_content, full_build, run_build, tree
from .test_publish_costs import make_site


def edit(content: Path, old: str, new: str) -> None:
    path = content / EDITED
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content built once, its site and cache in `work`."""
    work = tmp_path_factory.mktemp("state")
    content = copy_content(work)
    run_build(content, work)
    return work


def state_of(work: Path):  # type: ignore[no-untyped-def]
    stamps = pickle.loads((work / "cache" / STAMPS_FILE).read_bytes())
    return stamps, load_state(work / "cache", stamps)


# --- the state files: heads read, bodies when used ------------------------------------------


def test_a_kept_share_answers_from_its_head_and_reads_its_body_when_asked(built: Path) -> None:
    stamps, state = state_of(built)
    assert state is not None and len(state.files) >= 5
    eager = load_state(built / "cache", stamps, lazy=False)
    assert eager is not None
    for rel, item in state.files.items():
        kept, data = item.data, eager.files[rel].data
        assert isinstance(kept, KeptData) and not isinstance(data, KeptData)
        assert (kept.sort_key, kept.digest, kept.digests) == (
            data.sort_key,
            data.digest,
            data.digests,
        )
        assert [kept.digest_of(p) for p in DIGESTED] == [data.digest_of(p) for p in DIGESTED]
        assert [kept.rows(t) for t in (0, 1, 2)] == [data.rows(t) for t in (0, 1, 2)]
        assert [kept.size(p) for p in PIECES] == [data.size(p) for p in PIECES]
        assert (kept.record, kept.project_csv) == (data.record, data.project_csv)
        assert [kept.xml(t) for t in (0, 1, 2)] == [data.xml(t) for t in (0, 1, 2)]
        assert kept._loaded is None  # nothing above read more than those lines and sheets
        assert (kept.record, kept.sheets, kept.findings_csv) == (
            data.record,
            data.sheets,
            data.findings_csv,
        )
        assert pickle.loads(pickle.dumps(kept)) == data  # pickled, it is its ProjectData


def test_a_state_file_replaced_or_cut_under_a_build_is_refused_not_misread(
    built: Path, tmp_path: Path
) -> None:
    shard = next((built / "cache" / STATE_DIR).iterdir())
    copy = tmp_path / shard.name
    copy.write_bytes(shard.read_bytes())
    first = next(iter(read_shard(copy).values()))[2]  # type: ignore[union-attr]
    assert isinstance(first, KeptData)
    copy.write_bytes(b"".join(shard_bytes(read_shard(shard, lazy=False))))  # type: ignore[arg-type]
    with pytest.raises(StateDamaged, match="--full"):  # another token: not the file read
        first.load()
    copy.write_bytes(shard.read_bytes()[:-1])
    again = next(iter(read_shard(copy).values()))[2]  # type: ignore[union-attr]
    with pytest.raises(StateDamaged):  # the last body cut short
        list(read_shard(copy).values())[-1][2].load()  # type: ignore[union-attr]
    assert again.sort_key  # its head is still read
    copy.write_bytes(shard.read_bytes()[:40])
    assert read_shard(copy) is None  # the heads cut short: no state


def test_an_edit_writes_its_unit_state_from_kept_bodies_and_matches_a_full_build(
    tmp_path: Path,
) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    for old, new in (("contact: 章桃", "contact: 王五"), ("name: ", "name: 新")):
        edit(content, old, new)  # a contact (one table) then a name (every table)
        report = run_build(content, tmp_path)
        assert report.incremental and report.checked >= 1
        assert tree(tmp_path / "site") == full_build(content, tmp_path / "full")
    _, state = state_of(tmp_path)
    assert state is not None
    _, fresh = state_of(tmp_path / "full")
    assert fresh is not None and state.files.keys() == fresh.files.keys()
    for rel, item in state.files.items():  # the state read back: the full build's rows
        assert item.data.load() == fresh.files[rel].data.load(), rel
        assert item.summary == fresh.files[rel].summary


@pytest.mark.parametrize("old", ["stamps of format 5", "state files of format 5"])
def test_a_cache_of_the_format_before_is_ignored_and_the_build_is_full(
    tmp_path: Path, old: str
) -> None:
    content = copy_content(tmp_path)
    run_build(content, tmp_path)
    stamps, state = state_of(tmp_path)
    assert state is not None
    if old == "stamps of format 5":  # as a build before this format wrote them
        before = dataclasses.replace(stamps, format=5, site="0" * 64)
        (tmp_path / "cache" / STAMPS_FILE).write_bytes(pickle.dumps(before))
    else:  # each state file a dict of (digest, summary, ProjectData), as before
        for shard in (tmp_path / "cache" / STATE_DIR).iterdir():
            kept = read_shard(shard, lazy=False)
            assert kept is not None
            shard.write_bytes(pickle.dumps(kept))
    edit(content, "contact: 章桃", "contact: 王五")
    report = run_build(content, tmp_path)
    assert not report.incremental and not report.unchanged  # a full build, not a misread
    assert tree(tmp_path / "site") == full_build(content, tmp_path / "full")
    assert pickle.loads((tmp_path / "cache" / STAMPS_FILE).read_bytes()).format == FORMAT
    edit(content, "contact: 王五", "contact: 赵六")
    assert run_build(content, tmp_path).incremental  # and the next build builds on it


# --- the site's mark -------------------------------------------------------------------------


def aged(site: Path, seconds: float = 10.0) -> None:
    """Every folder of `site` dated `seconds` back, as a site published a while ago."""
    past = time.time_ns() - int(seconds * 1e9)
    for folder in site_folders(site):
        os.utime(site / folder, ns=(past, past))


@pytest.mark.parametrize(
    "change",
    [
        "file removed",
        "file added",
        "file renamed",
        "file replaced by a rename",
        "folder removed",
        "folder added deep",
        "folder made a file",
        "top file added",
        "site removed",
    ],
)
def test_a_change_by_hand_changes_the_mark(tmp_path: Path, change: str) -> None:
    site = make_site(tmp_path)
    aged(site)
    mark = mark_site(site)
    assert not site_changed(site, mark)
    page = site / "2023/lps-sbj/社保平台/index.html"
    if change == "file removed":
        page.unlink()
    elif change == "file added":
        (site / "2024/empty/new.html").write_text("x", "utf-8")
    elif change == "file renamed":
        page.rename(page.with_name("other.html"))
    elif change == "file replaced by a rename":  # as an editor saves: the same names
        page.with_name("x.tmp").write_text("by hand", "utf-8")
        page.with_name("x.tmp").replace(page)
    elif change == "folder removed":
        for path in (site / "2023/lps-sbj/a/b").iterdir():
            path.unlink()
        (site / "2023/lps-sbj/a/b").rmdir()
    elif change == "folder added deep":
        (site / "2023/lps-sbj/a/b/c").mkdir()
    elif change == "folder made a file":
        for path in (site / "2024/empty").iterdir():
            path.unlink()
        (site / "2024/empty").rmdir()
        (site / "2024/empty").write_text("x", "utf-8")
    elif change == "top file added":
        (site / "new.html").write_text("x", "utf-8")
    else:
        for path in sorted(site.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        site.rmdir()
    assert site_changed(site, mark)


def test_the_mark_compares_names_where_a_time_cannot_tell(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    aged(site)
    (site / "2024/x-y/new.html").write_text("x", "utf-8")  # written just now, as a build does
    mark = mark_site(site)
    recent = {folder for folder, _, names in mark if names}
    assert recent == {"", "2024/x-y"}  # the site's own folder is always compared by names
    # The write probe of every build (created and removed in site/) changes nothing.
    probe = site / ".jixiao-probe-x"
    probe.write_text("", "utf-8")
    probe.unlink()
    assert not site_changed(site, mark)
    # A change within the same tick of the clock as the build's last write: the time stays.
    folder = site / "2024/x-y"
    before = folder.stat().st_mtime_ns
    (folder / "index.html").unlink()
    os.utime(folder, ns=(before, before))
    assert site_changed(site, mark)
    assert time.time_ns() - before < 60 * RECENT_NS  # (the test ran within the window)


def test_the_linking_names_every_folder_of_the_new_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "2022/only/deeper").mkdir(parents=True)  # folders without files of their own
    (site / "2022/only/deeper/page.html").write_text("x", "utf-8")
    staged = tmp_path / "staged"
    for path in ("2023/lps-sbj/index.html", "new/folder/file.html", "a.b/c/d.html"):
        (staged / path).parent.mkdir(parents=True, exist_ok=True)
        (staged / path).write_text("new", "utf-8")
    folders: list[str] = []
    commit_overlay(staged, site, ["2023/lps-sbj/a", "data"], tmp_path / "cache", False, folders)
    assert sorted(folders) == sorted(site_folders(site))  # site/ is now the new site
    assert len(folders) == len(set(folders))
    assert "2024/empty" not in folders and "data" not in folders  # no file to link: not made
    assert {"", "2022", "2022/only", "new/folder", "2023/lps-sbj/社保平台"} <= set(folders)


def test_an_edit_after_a_change_by_hand_is_full_and_then_noted(built: Path) -> None:
    site = built / "site"
    stamps = pickle.loads((built / "cache" / STAMPS_FILE).read_bytes())
    assert isinstance(stamps, Stamps) and {""} <= {folder for folder, _, _ in stamps.site}
    assert sorted(f for f, _, _ in stamps.site) == sorted(site_folders(site))
    page = next(site.glob("2023/*/*/index.html"))
    page.unlink()
    report = run_build(built / "content", built)
    assert not report.unchanged and not report.incremental
    assert page.is_file()
    assert run_build(built / "content", built).unchanged


def test_state_files_are_opened_once_a_few_at_a_time_and_read_as_first_opened(
    tmp_path: Path,
) -> None:
    from builder.publish.kept import OPEN_AT_ONCE, StateFiles

    def open_count() -> int:
        return len(os.listdir("/proc/self/fd"))

    token, files = b"t" * 16, StateFiles()
    paths = []
    for number in range(OPEN_AT_ONCE + 4):
        path = tmp_path / f"{number}.pickle"
        path.write_bytes(b"head" + token + f"body{number}".encode())
        paths.append(os.fspath(path))
    before = open_count()
    for number, path in enumerate(paths):
        assert files.read(path, 4, token, 20, 5) == f"body{number}".encode()[:5]
    assert open_count() - before == OPEN_AT_ONCE
    Path(paths[-1] + ".new").write_bytes(b"head" + b"x" * 16 + b"other")
    os.replace(paths[-1] + ".new", paths[-1])  # replaced, as the record replaces one
    assert files.read(paths[-1], 4, token, 20, 5) == b"body1"  # still the file first opened
    with pytest.raises(StateDamaged):  # reopened after it was closed: another token
        files.read(paths[0], 4, b"y" * 16, 20, 5)
    del files
    assert open_count() == before
