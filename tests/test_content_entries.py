"""What a content entry may be: a regular file (or folder) whose real path stays inside the
content folder. Links inside are followed; links leaving it, FIFOs, loops and unreadable files
are located errors of code `file`, in `check` and `build` alike, and nothing of them is read,
printed or published."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from builder.build import BuildFailed, BuildOptions, build
from builder.cli import main
from builder.form import entries
from builder.rules.check import check_content
from tests.conftest import minimal_project, write_project

SECRET = "root:x:0:0:SECRET-FIRST-LINE"


def _errors(content: Path) -> list[str]:
    result = check_content(content, jobs=1)
    return [
        f"{f.file.as_posix()}:{f.line}:{f.column}: {f.finding.code}: {f.finding.message}"
        for f in result.all_findings()
        if f.finding.severity == "error"
    ]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside content/ holding a valid form and a secret text."""
    folder = tmp_path / "outside"
    write_project(folder, minimal_project(id="waimian"), name="waimian.yaml", unit="u")
    (folder / "passwd").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def test_links_leaving_the_content_are_located_errors_that_print_nothing(
    tiny_content: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tiny_content)
    unit = tiny_content / "2023" / "ceshi"
    (unit / "passwd.yaml").symlink_to(outside / "passwd")
    (unit / "waimian.yaml").symlink_to(outside / "2023" / "u" / "waimian.yaml")
    (tiny_content / "2023" / "linked-unit").symlink_to(outside / "2023" / "u")
    errors = _errors(tiny_content)
    reason = "file: a symbolic link leading outside the content folder"
    assert f"{tiny_content.as_posix()}/2023/linked-unit:1:1: {reason}" in "\n".join(errors)
    assert f"{unit.as_posix()}/passwd.yaml:1:1: {reason}" in "\n".join(errors)
    assert f"{unit.as_posix()}/waimian.yaml:1:1: {reason}" in "\n".join(errors)
    assert len(errors) == 3
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 1
    site = tiny_content.parent / "site"
    with pytest.raises(BuildFailed):
        build(BuildOptions(content=tiny_content, site=site, cache=site.parent / "c", pdf=False))
    assert not site.exists()
    printed = capsys.readouterr()
    assert "SECRET" not in printed.out + printed.err


def test_links_inside_the_content_are_followed(tiny_content: Path) -> None:
    form = write_project(tiny_content, minimal_project(id="shared-form"), unit="real")
    drafts = tiny_content / "drafts"
    drafts.mkdir()
    form.rename(drafts / "form.txt")  # not a form by its name: read only through the link
    (tiny_content / "2023" / "real" / "linked.yaml").symlink_to("../../drafts/form.txt")
    site = tiny_content.parent / "site"
    build(BuildOptions(content=tiny_content, site=site, cache=site.parent / "c", pdf=False))
    assert (site / "2023" / "real" / "shared-form" / "index.html").is_file()
    (tiny_content / "2023" / "alias").symlink_to("real")  # the unit under a second name
    (tiny_content / "2023" / "real" / "loop").symlink_to("..")
    errors = _errors(tiny_content)
    assert any("duplicate-id" in e and "/2023/alias/linked.yaml" in e for e in errors)
    loop = f"{tiny_content.as_posix()}/2023/real/loop:1:1: file: a symbolic link to a folder"
    assert any(e.startswith(loop) for e in errors)


def test_a_fifo_is_refused_at_once_in_check_and_build(tiny_content: Path) -> None:
    write_project(tiny_content)
    fifo = tiny_content / "2023" / "ceshi" / "fifo.yaml"
    os.mkfifo(fifo)
    done: list[list[str]] = []
    reader = threading.Thread(target=lambda: done.append(_errors(tiny_content)), daemon=True)
    reader.start()
    reader.join(20)
    assert done, "check blocked on a FIFO"
    assert done[0] == [
        f"{fifo.as_posix()}:1:1: file: a FIFO (named pipe), not a file: it is not read"
    ]
    site = tiny_content.parent / "site"
    failed: list[BaseException] = []

    def run() -> None:
        try:
            build(BuildOptions(content=tiny_content, site=site, cache=site.parent / "c", pdf=False))
        except BuildFailed as error:
            failed.append(error)

    builder = threading.Thread(target=run, daemon=True)
    builder.start()
    builder.join(60)
    assert failed, "build blocked on a FIFO or did not fail"


def test_an_unreadable_file_is_the_same_located_error_in_check_and_build(
    tiny_content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    form = write_project(tiny_content)
    real_open = os.open

    def denied(path: object, flags: int, *args: object) -> int:
        if str(path).endswith("ceshi-xiangmu.yaml"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(entries.os, "open", denied)
    expected = f"{form.as_posix()}:1:1: file: cannot read the file: Permission denied"
    assert _errors(tiny_content) == [expected]
    site = tiny_content.parent / "site"
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(content=tiny_content, site=site, cache=site.parent / "c", pdf=False))
    messages = [f.finding.message for f in failed.value.result.all_findings()]
    assert messages == ["cannot read the file: Permission denied"]
