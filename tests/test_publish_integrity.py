"""Publishing integrity: a refused write (a full disk) is a clear error that leaves the site and
the manifest right; a form replaced during a build is published as one version; a reader sees
the old site or the new one, never a mix; the search index is the same on any file system."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder import faults
from builder.publish.writing import REFUSED, OutputWriteError, write_failure
from builder.search import pagefind as search

from .test_incremental import EDITED, ROOT, build_command, copy_content, run_build, tree

PROJECT = "2023/lps-sbj/shebao-pingtai-yunwei"  # EDITED's page folder
OLD_NAME = "name: 社会保险综合服务平台运维费"


def renamed(content: Path, name: str) -> bytes:
    """Give EDITED the project name `name`; returns the file's new bytes."""
    path = content / EDITED
    text = path.read_text(encoding="utf-8")
    start = text.index("\nname: ") + 1
    end = text.index("\n", start)
    path.write_text(text[:start] + f"name: {name}" + text[end:], encoding="utf-8")
    return path.read_bytes()


def cli(content: Path, work: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """`jixiao build --no-pdf` (quiet unless `flags` say `--progress`)."""
    quiet = () if "--progress" in flags else ("-q",)
    flags = tuple(flag for flag in flags if flag != "--progress")
    return subprocess.run(
        build_command(content, work, "--no-pdf", *quiet, *flags),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- a write the machine refuses ------------------------------------------------------------


@contextlib.contextmanager
def small_disk(where: Path, kilobytes: int, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `kilobytes` mounted at `where`, `read_only` or not (root only: skips where
    mounting is refused)."""
    where.mkdir()
    options = f"ro,size={kilobytes}k" if read_only else f"size={kilobytes}k"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, leave_kilobytes: int) -> None:
    """Fill `disk` up to `leave_kilobytes` of free space."""
    (disk / "filler").unlink(missing_ok=True)
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(disk / "filler", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave_kilobytes * 1024))


@pytest.mark.parametrize("errno_code", sorted(REFUSED))
def test_each_refused_write_is_one_setup_error_naming_the_file(errno_code: int) -> None:
    error = OSError(errno_code, os.strerror(errno_code), "/tmp/x/site/.jixiao-build-site-1/a")
    failure = write_failure(RuntimeError("wrapped"), "site/2023/u/p/index.html")
    assert failure is None  # nothing refused in it
    try:
        raise RuntimeError("the search index could not be built") from error
    except RuntimeError as wrapped:
        failure = write_failure(wrapped, "site/2023/u/p/index.html")
    assert isinstance(failure, OutputWriteError)
    message = str(failure)
    reason, hint = REFUSED[errno_code]
    assert message.startswith("site/2023/u/p/index.html: 错误[write]: 无法写入：")
    assert f"{reason}（{errno.errorcode[errno_code]}，errno {errno_code}）" in message
    assert message.endswith(f"({hint})") and "已发布的网站保持原样" in message
    assert write_failure(OSError(errno.ENOENT, "gone")) is None  # not a refused write


def test_a_full_disk_fails_clearly_keeps_the_site_and_records_nothing_half_written(
    tmp_path: Path,
) -> None:
    """On a full disk every build fails with the write error and leaves the site whole (the
    old one, or past the publish stage the new one); the first build with room equals a clean
    build, and the one after it is up to date with the same files."""
    content = copy_content(tmp_path)
    # the site with its .xlsx and .db files, and the cache with its compiled templates (384 KB)
    with small_disk(tmp_path / "disk", 2500) as disk:
        assert cli(content, disk).returncode == 0
        before = tree(disk / "site")
        renamed(content, "社会保险综合服务平台运行维护费")
        clean = tmp_path / "clean"
        assert cli(content, clean, "--full").returncode == 0
        after = tree(clean / "site")
        named = []
        for leave in range(0, 1000, 75):  # from no room at all to enough: every writer's turn
            fill(disk, leave)
            ran = cli(content, disk)
            site = tree(disk / "site")
            if ran.returncode == 0:
                break
            assert ran.returncode == 1, ran.stderr
            named.append(ran.stderr.split(": 错误[write]")[0])
            assert "错误[write]" in ran.stderr and "ENOSPC" in ran.stderr, ran.stderr
            assert "internal error" not in ran.stderr and "Expecting value" not in ran.stderr
            assert site == before or (site == after and "构建记录未能写入" in ran.stderr)
            assert not list(disk.glob(".jixiao-build-*")), "the staging folder is left behind"
        # Refused in several writers: pages, the search index, the open data, the manifest.
        assert len(named) >= 3, named
        print("\n".join(named))
        (disk / "filler").unlink()
        assert cli(content, disk).returncode == 0
        assert tree(disk / "site") == after
        again = cli(content, disk, "--progress")
        assert "已是最新" in again.stdout and tree(disk / "site") == after


# --- one version of each form per build -----------------------------------------------------


def wait_for(path_glob: str, folder: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not list(folder.glob(path_glob)):
        assert time.monotonic() < deadline, f"{path_glob} never appeared"
        time.sleep(0.02)


def published_version(site: Path) -> tuple[str, str, str]:
    """The project name EDITED's page, JSON record and YAML copy show."""
    page = (site / PROJECT / "index.html").read_text(encoding="utf-8")
    record = (site / PROJECT / "shebao-pingtai-yunwei.json").read_text(encoding="utf-8")
    copy = (site / PROJECT / "shebao-pingtai-yunwei.yaml").read_text(encoding="utf-8")

    def which(text: str) -> str:
        found = {name for name in ("运维费甲", "运维费乙") if name in text}
        assert len(found) == 1, found
        return found.pop()

    return which(page), which(record), which(copy)


def test_a_form_replaced_during_a_build_is_published_as_the_version_checked(
    tmp_path: Path,
) -> None:
    content = copy_content(tmp_path)
    renamed(content, "社会保险综合服务平台运维费甲")
    assert cli(content, tmp_path).returncode == 0
    first = renamed(content, "社会保险综合服务平台运维费乙")  # checked by the next build
    environment = {
        faults.ENVIRONMENT_VARIABLE: "stage:export:sleep",
        faults.SECONDS_VARIABLE: "3",
    }
    process = subprocess.Popen(
        build_command(content, tmp_path, "--no-pdf", "-q"),
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # The pages are written before the open data: once the edited one is, the build sleeps
    # at the start of the export, having checked 乙. The file is replaced then.
    wait_for(f".jixiao-build-site-*/{PROJECT}/index.html", tmp_path)
    renamed(content, "社会保险综合服务平台运维费甲")
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert published_version(tmp_path / "site") == ("运维费乙",) * 3
    copy = (tmp_path / "site" / PROJECT / "shebao-pingtai-yunwei.yaml").read_bytes()
    assert copy == first
    # The next build sees that the file differs from what was published and converges.
    assert cli(content, tmp_path).returncode == 0
    assert published_version(tmp_path / "site") == ("运维费甲",) * 3
    assert cli(content, tmp_path / "full", "--full").returncode == 0
    assert tree(tmp_path / "site") == tree(tmp_path / "full" / "site")


def test_the_copy_is_of_the_bytes_checked_even_with_a_bom(tmp_path: Path) -> None:
    from builder.opendata.export import checked_bytes
    from builder.opendata.records import exported_projects
    from builder.rules.check import check_content

    content = copy_content(tmp_path)
    path = content / EDITED
    checked_text = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(checked_text)
    result = check_content(content, [path])
    path.write_bytes(b"replaced: true\n")  # after the check read it
    (item,) = list(exported_projects(result))
    assert checked_bytes(item) == checked_text


# --- the search index, whatever the file system --------------------------------------------


def shared_memory() -> Path:
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        pytest.skip("no /dev/shm (a tmpfs) here")
    return shm


def test_the_search_index_is_the_same_whatever_the_order_files_are_listed_in(
    tmp_path: Path,
) -> None:
    """On a tmpfs a folder lists its newest entry first: pages written in two orders are
    listed in two orders; the index bytes must not follow."""
    from .test_search_parts import PAGE

    shm = shared_memory()
    bundles = []
    for order in (1, -1):
        site = Path(shm / f"jixiao-test-{os.getpid()}-{order + 1}")
        shutil.rmtree(site, ignore_errors=True)
        try:
            for n in list(range(12))[::order]:
                page = site / "2023" / f"unit{n % 3}" / f"p{n:02d}" / "index.html"
                page.parent.mkdir(parents=True, exist_ok=True)
                grade = "优良中差"[n % 4]
                page.write_text(PAGE.format(name=f"项目{n}", grade=grade, score=80 + n), "utf-8")
            listed = [entry.name for entry in os.scandir(site / "2023" / "unit0")]
            written: dict[str, bytes] = {}
            pages = search.write_search_index(
                site, search.parts_of_tree(site), written.__setitem__, jobs=2
            )
            assert pages == 12
            bundles.append((listed, written))
        finally:
            shutil.rmtree(site, ignore_errors=True)
    (listed_a, index_a), (listed_b, index_b) = bundles
    if listed_a == listed_b:
        pytest.skip("this tmpfs lists both folders alike: nothing to compare")
    assert index_a == index_b


def test_a_site_built_on_disk_and_on_a_tmpfs_is_the_same(tmp_path: Path) -> None:
    shm = shared_memory()
    content = copy_content(tmp_path)
    other = shm / f"jixiao-test-{os.getpid()}-site"
    shutil.rmtree(other, ignore_errors=True)
    try:
        assert cli(content, tmp_path / "disk", "--full").returncode == 0
        assert cli(content, other, "--full").returncode == 0
        assert tree(other / "site") == tree(tmp_path / "disk" / "site")
    finally:
        shutil.rmtree(other, ignore_errors=True)


# --- the old site or the new one, for any reader -------------------------------------------


def test_a_reader_sees_the_old_site_or_the_new_one_never_a_mix(tmp_path: Path) -> None:
    """A reader that opens site/ once and reads two files of one project in it sees one
    version in both, while incremental builds publish one version after the other."""
    content = copy_content(tmp_path)
    renamed(content, "社会保险综合服务平台运维费甲")
    run_build(content, tmp_path)
    site = tmp_path / "site"
    seen: list[tuple[str, ...]] = []
    stop = threading.Event()

    def read_once() -> tuple[str, ...]:
        folder = os.open(site, os.O_RDONLY | os.O_DIRECTORY)  # site/ as it is now

        def opener(path: str, flags: int) -> int:
            return os.open(path, flags, dir_fd=folder)

        try:
            texts = []
            for name in ("index.html", "shebao-pingtai-yunwei.yaml"):
                with open(f"{PROJECT}/{name}", encoding="utf-8", opener=opener) as handle:
                    texts.append(handle.read())
        finally:
            os.close(folder)
        return tuple("甲" if "运维费甲" in text else "乙" for text in texts)

    def read() -> None:
        while not stop.is_set():
            seen.append(read_once())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        for n in range(6):
            renamed(content, "社会保险综合服务平台运维费" + "乙甲"[n % 2])
            run_build(content, tmp_path)
    finally:
        stop.set()
        reader.join()
    versions = set(seen)
    assert versions <= {("甲", "甲"), ("乙", "乙")}, versions
    assert len(versions) == 2  # the reader saw both versions


# --- a site changed by hand -----------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ["year folder removed", "home page removed", "everything removed", "one page removed"],
)
def test_a_site_damaged_by_hand_is_never_called_up_to_date(tmp_path: Path, damage: str) -> None:
    # Found by trying it: after `rm -rf site/2023` the next build said "已是最新" and kept the
    # broken site until --full. The kind: the output folder is not what the last build left.
    content = copy_content(tmp_path)
    work = tmp_path / "work"
    run_build(content, work)
    clean = tree(work / "site")
    site = work / "site"
    if damage == "year folder removed":
        shutil.rmtree(site / "2023")
    elif damage == "home page removed":
        (site / "index.html").unlink()
    elif damage == "everything removed":
        for entry in site.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    else:
        page = next(site.glob("2023/*/*/index.html"))
        page.unlink()
    report = run_build(content, work)
    assert not getattr(report, "unchanged", False)
    assert tree(site) == clean
    assert getattr(run_build(content, work), "unchanged", False)  # and then it is up to date
