"""Where a build may write: an output or cache folder that overlaps the sources is refused
before anything is written (exit 1, one line), and the sources stay as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.cli import main
from builder.preview.options import ServeOptions
from builder.preview.server import serve
from builder.publish.folders import UnsafeFolder, check_folders
from tests.conftest import write_project


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tiny_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding content/ (one form), a .git folder and a notes file; cwd."""
    write_project(tiny_content)
    root = tiny_content.parent
    (root / ".git").mkdir()
    (root / "notes.txt").write_text("keep me", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(
    ("output", "cache", "words"),
    [
        ("content", ".cache", "output folder content is the content folder"),
        ("content/2023", ".cache", "is inside the content folder"),
        (".", ".cache", "contains the content folder"),
        ("..", ".cache", "contains the content folder"),
        (".cache", ".cache", "output folder .cache is the cache folder"),
        (".cache/site", ".cache", "is inside the cache folder"),
        ("out", "out/cache", "contains the cache folder"),
        ("site", "content/.cache", "cache folder content/.cache is inside the content folder"),
        ("site", "content", "cache folder content is the content folder"),
    ],
)
def test_build_refuses_an_output_or_cache_over_the_sources(
    project: Path, output: str, cache: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(project)
    status = main(["build", "--content", "content", "-o", output, "--cache", cache, "--no-pdf"])
    err = capsys.readouterr().err
    assert status == 1
    assert words in err and len(err.strip().splitlines()) == 1
    # Chinese first: `构建失败: 输出文件夹 content 就是内容文件夹 ...:... / the output folder ...`
    chinese, english = err.split(" / ", 1)
    assert chinese.startswith("构建失败: ") and "文件夹" in chinese and words in english
    assert _tree(project) == before
    assert sorted(os.listdir(project)) == [".git", "content", "notes.txt"]


def test_the_working_folder_is_never_an_output(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "here"
    elsewhere.mkdir(parents=True)
    content = project / "content"
    for output in (elsewhere, elsewhere.parent):
        with pytest.raises(UnsafeFolder, match="is or contains the working folder"):
            check_folders(content, output, tmp_path / "cache", cwd=elsewhere)
    check_folders(content, elsewhere / "site", tmp_path / "cache", cwd=elsewhere)


def test_a_symlink_to_the_content_is_seen_through(project: Path) -> None:
    (project / "link").symlink_to(project / "content")
    with pytest.raises(UnsafeFolder, match="is the content folder"):
        check_folders(Path("content"), Path("link"), Path(".cache"))


def test_the_usual_folders_are_accepted(project: Path) -> None:
    check_folders(Path("content"), Path("site"), Path(".cache"))
    check_folders(Path("content"), Path(".cache/preview/site"), Path(".cache/preview/build"))
    assert main(["build", "--content", "content", "--no-pdf", "-q"]) == 0
    assert (project / "site" / "index.html").is_file()


def test_serve_refuses_an_output_over_the_content(project: Path) -> None:
    before = _tree(project)
    with pytest.raises(UnsafeFolder, match="is the content folder"):
        serve(ServeOptions(content=Path("content"), output=Path("content"), open_browser=False))
    assert _tree(project) == before


@pytest.mark.parametrize(
    ("output", "words"),
    [
        (".git", "is git's own folder"),
        (".git/site", "is git's own folder"),
        ("docs", "holds files but is no site jixiao built"),
        ("notes.txt", "is a file, not a folder"),
    ],
)
def test_a_build_never_replaces_what_no_build_made(
    project: Path, output: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Probe output-is-content: `--output .git` replaced the repository, `--output docs` a folder
    # of the repository's own, `--output notes.txt` a file, each with exit 0.
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "guide.md").write_text("# guide\n", encoding="utf-8")
    before = _tree(project)
    assert main(["build", "--content", "content", "--output", output, "--no-pdf", "-q"]) == 1
    assert words in capsys.readouterr().err
    assert _tree(project) == before
    with pytest.raises(UnsafeFolder, match=words):
        serve(ServeOptions(content=Path("content"), output=Path(output), open_browser=False))


def test_an_empty_folder_or_a_site_built_before_is_an_output(project: Path) -> None:
    (project / "empty").mkdir()
    assert main(["build", "--content", "content", "--output", "empty", "--no-pdf", "-q"]) == 0
    # The site just built is a site: building over it again is what builds do.
    assert main(["build", "--content", "content", "--output", "empty", "--no-pdf", "-q"]) == 0
    assert (project / "empty" / "index.html").is_file()
