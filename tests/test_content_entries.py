"""What a content entry may be: a regular file (or folder) whose real path stays inside the
content folder. Links inside are followed; links leaving it, FIFOs, loops and unreadable files
are located errors of code `file`, in `check` and `build` alike (a build holds them back and
publishes the rest), and nothing of them is read, printed or published."""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from builder.build import BuildFailed, BuildOptions, build
from builder.cli import main
from builder.form import entries
from builder.rules.check import check_content
from builder.rules.findings import Severity
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
    options = BuildOptions(content=tiny_content, site=site, cache=site.parent / "c", pdf=False)
    with pytest.raises(BuildFailed):
        build(replace(options, strict=True))
    assert not site.exists()
    report = build(options)  # the links held back, the form beside them published
    held = ["2023/ceshi/passwd.yaml", "2023/ceshi/waimian.yaml", "2023/linked-unit"]
    assert sorted(item.file for item in report.held_back) == held
    assert (site / "2023" / "ceshi" / "ceshi-xiangmu" / "index.html").is_file()
    listed = json.loads((site / "held-back.json").read_text(encoding="utf-8"))
    assert sorted(item["file"] for item in listed["held_back"]) == held
    printed = capsys.readouterr()
    assert "SECRET" not in printed.out + printed.err
    for path in site.rglob("*"):
        assert path.is_dir() or b"SECRET" not in path.read_bytes(), path


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
    held: list[list[str]] = []

    def run() -> None:
        options = BuildOptions(content=tiny_content, site=site, cache=site.parent / "c", pdf=False)
        held.append([item.file for item in build(options).held_back])

    builder = threading.Thread(target=run, daemon=True)
    builder.start()
    builder.join(60)
    assert held == [["2023/ceshi/fifo.yaml"]], "build blocked on a FIFO or did not hold it back"


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


CASE = Path(__file__).resolve().parent.parent.parent / "shared" / "cases" / "symlinked-unit"


def _case_repository(repository: Path) -> None:
    """The case's tree (content/ with other-unit, shared-units/demo-unit beside it), copied
    from the shared cases when they are here, else written the same way."""
    if CASE.is_dir():
        shutil.copytree(CASE, repository, symlinks=True)
        for path in repository.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        return
    content = repository / "content"
    content.mkdir(parents=True)
    shutil.copy(Path(__file__).resolve().parent.parent / "content" / "site.yaml", content)
    write_project(content, minimal_project(id="other-project"), "demo-project.yaml", "other-unit")
    shared = repository / "shared-units" / "demo-unit"
    write_project(repository / "x", minimal_project(id="demo-project"), "demo-project.yaml", "u")
    shared.parent.mkdir()
    (repository / "x" / "2023" / "u").rename(shared)
    (content / "2023" / "demo-unit").write_text("../../shared-units/demo-unit")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main([*args, "--jobs", "1"] if args[0] == "check" else list(args))
    printed = capsys.readouterr()
    return status, printed.out + printed.err


def test_the_symlinked_unit_case_is_named_and_nothing_of_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The case: content/2023/demo-unit links to shared-units/demo-unit, beside content/ in the
    repository. It leaves the content folder, so it is a located error naming the link; the old
    code said "1 projects checked" and published the other unit alone."""
    repository = tmp_path / "repo"
    _case_repository(repository)
    unit = repository / "content" / "2023" / "demo-unit"
    unit.unlink()  # the shared copy holds the link's target as text: make the link itself
    unit.symlink_to(Path("../../shared-units/demo-unit"), target_is_directory=True)
    content = repository / "content"
    status, out = _run(capsys, "check", "--content", str(content))
    assert status == 1
    assert (
        f"{unit.as_posix()}:1:1: 错误[file]: 这是指向内容文件夹之外的符号链接:它指向的内容一概不读取"
    ) in out
    assert "检查了 2 个项目:1 个错误" in out
    assert "demo-unit/demo-project" not in out  # the linked form: neither read nor named
    site = tmp_path / "site"
    args = ["build", "--content", str(content), "--output", str(site), "--no-pdf"]
    status, out = _run(capsys, *args, "--cache", str(tmp_path / "cache"), "--strict")
    assert status == 1 and "demo-unit" in out and not site.exists()
    # Without --strict: the other unit published, the link held back and said to be (exit 3).
    status, out = _run(capsys, *args, "--cache", str(tmp_path / "cache"))
    assert status == 3 and f"{unit.as_posix()}:1:1: 错误[file]" in out
    assert "  2023/demo-unit  错误[file]" in out
    listed = json.loads((site / "held-back.json").read_text(encoding="utf-8"))
    assert [item["file"] for item in listed["held_back"]] == ["2023/demo-unit"]
    assert not (site / "2023" / "demo-unit").exists()
    assert len(list(site.glob("2023/*/*/index.html"))) == 1  # the unit inside the content


def test_linked_year_folder_and_content_folder_inside_are_read(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A year folder linking to a (hidden, so not walked itself) folder inside the content is
    read once and published; so is the whole content folder given through a link."""
    archive = tiny_content / ".archive"
    write_project(archive, minimal_project(id="guidang"), name="guidang.yaml", unit="u")
    (tiny_content / "2023").symlink_to(Path(".archive/2023"), target_is_directory=True)
    linked = tmp_path / "linked-content"
    linked.symlink_to(tiny_content, target_is_directory=True)
    status, out = _run(capsys, "check", "--content", str(linked))
    assert status == 0 and "检查了 1 个项目:0 个错误" in out, out
    site = tmp_path / "site"
    args = ["build", "--content", str(linked), "--output", str(site), "--no-pdf"]
    assert _run(capsys, *args, "--cache", str(tmp_path / "cache"))[0] == 0
    assert (site / "2023" / "u" / "guidang" / "index.html").is_file()
    assert not (site / ".archive").exists()


@pytest.mark.parametrize("kind", ["loop", "dangling", "to-itself"])
def test_a_link_that_leads_nowhere_is_a_located_error(
    tiny_content: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """a -> b -> a, a link to a missing folder, a link to itself: meant as unit folders
    perhaps, so never skipped in silence (the old code said nothing)."""
    write_project(tiny_content)
    year = tiny_content / "2023"
    if kind == "loop":
        (year / "unit-a").symlink_to("unit-b")
        (year / "unit-b").symlink_to("unit-a")
        links = ["unit-a", "unit-b"]
    elif kind == "dangling":
        (year / "unit-a").symlink_to("../moved-away/unit-a")
        links = ["unit-a"]
    else:
        (year / "unit-a").symlink_to("unit-a")
        links = ["unit-a"]
    status, out = _run(capsys, "check", "--content", str(tiny_content))
    assert status == 1
    for name in links:
        assert (
            f"{(year / name).as_posix()}:1:1: 错误[file]: {entries.reason_chinese(entries.NOWHERE)}"
            in out
        ), out
    assert f"{len(links)} 个错误" in out
    options = BuildOptions(
        content=tiny_content,
        site=tiny_content.parent / "s",
        pdf=False,
        cache=tiny_content.parent / "c",
    )
    with pytest.raises(BuildFailed):
        build(replace(options, strict=True))
    report = build(options)
    assert [item.file for item in report.held_back] == [f"2023/{name}" for name in links]


STRAYS = ["notes.txt", "自评表.docx", "data.json"]
IGNORED = [".DS_Store", "ceshi-xiangmu.yaml~", ".#ceshi-xiangmu.yaml", "#ceshi-xiangmu.yaml#"]


def test_files_that_are_not_forms_are_named_or_ignored(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Beside the forms: other files are a warning under a year folder, a note beside
    site.yaml; hidden files and editor backups are ignored; a form named .yml or .YAML is an
    error that says to rename it. The old code said nothing of any of them."""
    form = write_project(tiny_content)
    unit = form.parent
    for name in STRAYS + IGNORED:
        (unit / name).write_text("id: [broken\n", encoding="utf-8")
    (tiny_content / "README.md").write_text("# 内容\n", encoding="utf-8")
    hidden = tiny_content / ".git"
    hidden.mkdir()
    (hidden / "HEAD.yaml").write_text("not: a form\n", encoding="utf-8")
    status, out = _run(capsys, "check", "--content", str(tiny_content), "--notes")
    assert status == 0, out
    stray = "[stray-file]: 这不是表单:只读取扩展名为 .yaml 的文件"
    lines = [line for line in out.splitlines() if "stray-file" in line]
    expected = [f"{(unit / n).as_posix()}:1:1: 警告{stray}" for n in STRAYS]
    expected.append(f"{(tiny_content / 'README.md').as_posix()}:1:1: 说明{stray}")
    assert sorted(line.split(",这个文件")[0] for line in lines) == sorted(expected)
    assert "检查了 1 个项目:0 个错误,3 条警告,1 条说明" in out
    for name in [*IGNORED, "HEAD.yaml"]:
        assert name not in out
    (unit / "misnamed.yml").write_text("id: x\n", encoding="utf-8")
    (unit / "SHOUTED.YAML").write_text("id: x\n", encoding="utf-8")
    status, out = _run(capsys, "check", "--content", str(tiny_content))
    assert status == 1
    for stem, name in (("misnamed", "misnamed.yml"), ("SHOUTED", "SHOUTED.YAML")):
        assert (
            f"{(unit / name).as_posix()}:1:1: 错误[file]: 表单的文件名应以 .yaml 结尾:"
            f"请改名为 {stem}.yaml;不读取"
        ) in out


def test_a_misnamed_form_added_after_a_build_is_held_back_by_the_next_build(
    tiny_content: Path, tmp_path: Path
) -> None:
    form = write_project(tiny_content)
    site, cache = tmp_path / "site", tmp_path / "cache"
    options = BuildOptions(content=tiny_content, site=site, cache=cache, pdf=False)
    build(options)
    (form.parent / "notes.txt").write_text("备忘\n", encoding="utf-8")
    assert not build(options).result.count(Severity.error)  # a stray warns, never blocks
    (form.parent / "second.yml").write_text(form.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(replace(options, strict=True))
    (finding,) = failed.value.result.all_findings()
    assert finding.file.name == "second.yml" and finding.finding.code == "file"
    report = build(options)  # held back and listed; the form beside it stays published
    assert [(h.file, [f.finding.code for f in h.errors]) for h in report.held_back] == [
        ("2023/ceshi/second.yml", ["file"])
    ]
    assert (site / "2023" / "ceshi" / "ceshi-xiangmu" / "index.html").is_file()
    assert not any(p.name in ("notes.txt", "second.yml") for p in site.rglob("*"))
