"""Text from a form in what `jixiao check` prints: always shown as text, never obeyed.

A form can hold Rich markup (`[/dim]`), newlines followed by GitHub workflow commands
(`::error ...`, `::stop-commands::`), and terminal escape sequences. The table, the finding lines
and `--format github` show them as written, with controls and newlines escaped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.cli import main
from builder.form.chars import printable
from builder.rules.findings import Finding, LocatedFinding, Severity

from .conftest import minimal_project, write_project

FORGED = "\n::error file=content/site.yaml,line=1::FORGED ANNOTATION\n::stop-commands::tok123\n"
ESCAPES = "\x1b[31m红\x1b]0;TITLE\x07\x1b[2J\r"


def _check(content: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["check", "--content", str(content), "--jobs", "1", "--notes", *args])
    return status, capsys.readouterr().out


def _assert_no_forged_lines(out: str, file: Path) -> None:
    """Every line beginning `::` is a finding of `file`; no ESC, BEL or CR reaches the output."""
    for line in out.splitlines():
        if line.startswith("::"):
            assert line.split(" ", 1)[1].startswith(f"file={file.as_posix()},"), line
    for char in "\x1b\x07\r\x9b":
        assert char not in out, f"{char!r} printed raw"


def test_markup_in_names_is_printed_literally(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = minimal_project(name="[/dim]项目[bold]", unit="[red]单位[/]", contact=":smile:")
    write_project(tiny_content, data, unit="u1")
    status, out = _check(tiny_content, capsys)
    assert status == 0
    assert "[/dim]项目[bold]" in out
    assert "internal error" not in out


def test_forged_workflow_commands_stay_inside_their_finding(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A declared grade that the rules dispute is quoted in the finding: its newlines are
    escaped in the plain line and in the annotation alike."""
    data = minimal_project(name="项目" + FORGED, declared={"grade": "优" + FORGED, "total": 100})
    data["indicators"][0]["reason"] = FORGED
    data["weights"] = {"levels": {"产出指标" + FORGED: 50}}
    path = write_project(tiny_content, data, unit="u1")
    status, out = _check(tiny_content, capsys, "--format", "github")
    assert status in (0, 1)
    _assert_no_forged_lines(out, path)
    assert r"优\n::error file=content/site.yaml,line=1::FORGED ANNOTATION\n" in out
    assert not any(line.startswith("::stop-commands") for line in out.splitlines())


def test_escape_sequences_in_every_field_are_shown_escaped(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = minimal_project(
        name="项目" + ESCAPES,
        unit="单位" + ESCAPES,
        contact=ESCAPES,
        declared={"grade": "优" + ESCAPES, "total": 100, "conclusion": ESCAPES},
    )
    data["goals"] = {"planned": ESCAPES, "achieved": ESCAPES}
    data["indicators"][1]["actual"] = ESCAPES
    path = write_project(tiny_content, data, unit="u1")
    status, out = _check(tiny_content, capsys, "--format", "github")
    assert status in (0, 1)
    _assert_no_forged_lines(out, path)
    assert r"\x1b (ESC)" in out  # named in the invisible-character error


def test_a_finding_line_is_one_line_whatever_its_text() -> None:
    finding = Finding(
        Severity.warning, "x", ("name",), "message\n::error::m\x1b[0m", hint="h\r\n::x"
    )
    text = LocatedFinding(Path("a\nb.yaml"), 2, 8, finding).format("name: '\x1b[2J'")
    first, source, caret = text.split("\n")
    assert first == r"a\nb.yaml:2:8: warning[x]: name: message\n::error::m\x1b[0m (h\r\n::x)"
    assert source == r"    name: '\x1b[2J'"
    assert caret == "    " + " " * 7 + "^"  # under the escape's backslash


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain 中文\tand tab", "plain 中文\tand tab"),
        ("a\nb\rc", r"a\nb\rc"),
        ("\x00\x1b\x7f\x85\x9b", r"\x00\x1b\x7f\x85\x9b"),
        ("\u202e99.47\u2066", r"\u202e99.47\u2066"),
        ("\u2028\ufffe", r"\u2028\ufffe"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
