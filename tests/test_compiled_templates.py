"""Compiled templates kept in the build's cache (`builder.site.compiled`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.site.compiled import FOLDER
from builder.site.render import TEMPLATES, make_environment


def _templates(tmp_path: Path) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    (copy / "probe.html").write_text("第一版 {{ 1 + 1 }}\n", encoding="utf-8")
    return copy


def test_a_template_is_compiled_once_and_read_back(tmp_path: Path) -> None:
    templates, cache = _templates(tmp_path), tmp_path / "cache"
    first = make_environment(templates, auto_reload=False, compiled=cache)
    assert first.get_template("probe.html").render() == "第一版 2\n"
    kept = sorted((cache / FOLDER).iterdir())
    assert len(kept) == 1 and kept[0].stat().st_size > 0
    # A second build reads the compiled code instead of compiling the source.
    second = make_environment(templates, auto_reload=False, compiled=cache)
    compiled: list[str] = []
    original = second._compile
    second._compile = lambda source, filename: (
        compiled.append(filename) or original(source, filename)
    )  # type: ignore[method-assign]
    assert second.get_template("probe.html").render() == "第一版 2\n"
    assert compiled == []


def test_a_template_changed_on_disk_is_compiled_again(tmp_path: Path) -> None:
    templates, cache = _templates(tmp_path), tmp_path / "cache"
    assert (
        make_environment(templates, False, cache).get_template("probe.html").render()
        == "第一版 2\n"
    )
    (templates / "probe.html").write_text("第二版 {{ 2 + 2 }}\n", encoding="utf-8")
    again = make_environment(templates, False, cache)
    assert again.get_template("probe.html").render() == "第二版 4\n"
    # one file a template: the source's checksum inside it tells the old code from the new
    assert len(list((cache / FOLDER).iterdir())) == 1


def test_a_cache_that_cannot_be_used_only_costs_a_compile(tmp_path: Path) -> None:
    templates = _templates(tmp_path)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    env = make_environment(templates, False, blocked)
    assert env.get_template("probe.html").render() == "第一版 2\n"


def test_a_damaged_compiled_file_is_compiled_again(tmp_path: Path) -> None:
    templates, cache = _templates(tmp_path), tmp_path / "cache"
    make_environment(templates, False, cache).get_template("probe.html")
    (kept,) = (cache / FOLDER).iterdir()
    kept.write_bytes(kept.read_bytes()[:10])
    env = make_environment(templates, False, cache)
    assert env.get_template("probe.html").render() == "第一版 2\n"
