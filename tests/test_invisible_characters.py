"""Invisible characters in a form's text: a located error naming the character and its place.

Control characters make the feed ill-formed XML and reach terminals; an open RIGHT-TO-LEFT
OVERRIDE reverses the figures after it in search results, titles and the feed. A form or
site.yaml holding one is refused when it is read, in every text field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from builder.cli import main
from builder.form.load import load_config, load_project

from .conftest import minimal_project, position_of, write_project
from .formfields import holding_every_field, text_fields


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: str) -> None:
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


FIELDS = text_fields()  # every free-text field of the model
CHARACTERS = [
    ("\x01", r"\x01"),
    ("\x00", r"\x00 (NUL)"),
    ("\x0b", r"\x0b"),
    ("\x1b", r"\x1b (ESC)"),
    ("\x7f", r"\x7f (DEL)"),
    ("\x9b", r"\x9b"),  # C1 (U+0085 is a line break to YAML, never text)
    ("\ufffe", r"\ufffe"),
    ("\u202e", r"\u202e (RIGHT-TO-LEFT OVERRIDE)"),
    ("\u2067", r"\u2067 (RIGHT-TO-LEFT ISOLATE)"),
]


def _invisible(findings: list[Any]) -> list[Any]:
    return [f for f in findings if f.code == "invisible-character"]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: ".".join(map(str, f)))
@pytest.mark.parametrize(("char", "named"), CHARACTERS, ids=lambda c: repr(c))
def test_every_text_field_refuses_invisible_characters(
    tiny_content: Path, field: tuple[str | int, ...], char: str, named: str
) -> None:
    data = holding_every_field(minimal_project())
    data["declared"] = {"conclusion": "结论"}
    _set(data, field, f"复核总分{char}99.47")
    loaded = load_project(write_project(tiny_content, data))
    assert loaded.project is None
    (finding,) = _invisible(loaded.findings)
    assert finding.path == field
    assert finding.message == f"the text holds the invisible character {named} at character 5"
    assert dict(finding.data)["position"] == "5"


def test_the_error_is_at_the_field(tiny_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_project(tiny_content, minimal_project(name="项目\u202e2023年度"))
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    where = position_of(path, "name:")
    line, column = where.rsplit(":", 2)[1:]
    assert (
        f"{path.as_posix()}:{line}:{int(column) + 6}: 错误[invisible-character]: name: 文本的第 3 "
        r"个字符 \u202e (RIGHT-TO-LEFT OVERRIDE) 是看不见的控制字符 (删掉它:它看不见,多半是从网页"
        "或其他程序粘贴带入的)"
    ) in out


def test_tabs_newlines_and_ordinary_marks_are_allowed(tiny_content: Path) -> None:
    data = minimal_project(name="项目\t名称\u200f")
    data["goals"] = {"planned": "第一行\n第二行\n", "achieved": "完成\u3000全角"}
    loaded = load_project(write_project(tiny_content, data))
    assert loaded.project is not None, loaded.findings


def test_a_file_with_crlf_line_ends_is_not_refused(tiny_content: Path) -> None:
    """YAML reads CRLF as a line break: no carriage return reaches a text."""
    data = minimal_project()
    data["goals"] = {"planned": "第一行\n第二行\n", "achieved": "完成"}
    path = write_project(tiny_content, data)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    loaded = load_project(path)
    assert loaded.project is not None, loaded.findings
    assert loaded.project.goals.planned == "第一行\n第二行"


def test_a_key_with_an_invisible_character(tiny_content: Path) -> None:
    data = minimal_project()
    data["weights"] = {"levels": {"产出\x1b指标": 50}}
    (finding,) = _invisible(load_project(write_project(tiny_content, data)).findings)
    assert finding.path == ("weights", "levels", "产出\x1b指标")


def test_several_in_one_text_are_counted(tiny_content: Path) -> None:
    data = minimal_project(name="\u202e项目\u202c\x01")
    (finding,) = _invisible(load_project(write_project(tiny_content, data)).findings)
    assert finding.message.endswith("at character 1 and 2 more")


def test_site_yaml_texts(tiny_content: Path) -> None:
    (tiny_content / "site.yaml").write_text(
        'title: "站点\\u202e"\nbase_url: https://example.org/\npublisher: "局\\x1b"\n'
        'description: "\\x07"\nscoring:\n  grades:\n    - {min: 0, label: "优\\x01"}\n',
        encoding="utf-8",
    )
    config, _, findings = load_config(tiny_content)
    assert config is None
    assert sorted(f.field for f in _invisible(findings)) == [
        "description",
        "publisher",
        "scoring.grades[0].label",
        "title",
    ]


def test_the_build_stops_before_writing_a_feed(tiny_content: Path, tmp_path: Path) -> None:
    write_project(tiny_content, minimal_project(name="项目\x01"))
    site = tmp_path / "site"
    args = ["build", "--content", str(tiny_content), "--output", str(site)]
    assert main([*args, "--cache", str(tmp_path / "cache"), "--no-pdf", "-q"]) == 1
    assert not (site / "feed.xml").exists()
