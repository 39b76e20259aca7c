"""Hostile YAML: aliases, deep nesting, characters YAML refuses, bytes that are not UTF-8.

Each gives one located error in bounded time and memory, never an internal error, and the
other files of the content folder are still checked.
"""

from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path

import pytest

from builder.cli import main
from builder.form import fastread
from builder.form.compose import MAX_DEPTH
from builder.form.load import load_project
from builder.form.source import load_file, load_text

from .conftest import minimal_project, project_yaml, write_project

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent / "shared" / "cases"
GOOD = "good.yaml"


def _check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["check", "--content", str(content)])
    return status, capsys.readouterr().out


def _with_good_form(content: Path) -> None:
    """A valid form beside the bad one: it must still be checked (and pass)."""
    write_project(content, minimal_project(id="good"), name=GOOD, unit="other")


def _laughs(levels: int) -> str:
    """The "billion laughs": each line repeats the one above nine times."""
    lines = ["x0: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for level in range(1, levels):
        lines.append(f"x{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# Aliases.


def test_the_alias_bomb_case_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES / "yaml-alias-bomb" / "content"
    if not case.exists():
        pytest.skip("the shared cases are not here")
    content = tmp_path / "content"
    shutil.copytree(case, content)
    _with_good_form(content)
    started = time.monotonic()
    status, out = _check(content, capsys)
    assert time.monotonic() - started < 5
    assert status == 1
    assert "demo-project.yaml:9:10: 错误[yaml]: 不允许使用别名 *a0" in out
    assert "未知的键" not in out  # refused before the model sees the expansion
    assert "检查了 2 个项目:1 个错误" in out


@pytest.mark.parametrize(
    ("text", "where", "alias"),
    [
        (_laughs(12), (2, 10), "a0"),  # nine to the twelfth values, if expanded
        ("id: x\nname: &n 名称\nunit: *n\n", (3, 7), "n"),  # harmless, but refused all the same
        ("id: x\nmerge: &m {a: 1}\nother:\n  <<: *m\n", (4, 7), "m"),  # a merge key
        ("id: x\nloop: &l [1, *l]\n", (2, 14), "l"),  # an alias inside its own anchor
        ("id: x\nkey: &k k\n*k : 1\n", (3, 1), "k"),  # an alias as a key
    ],
)
def test_aliases_are_refused_where_they_are(
    tmp_path: Path, text: str, where: tuple[int, int], alias: str
) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_file(path)
    assert time.monotonic() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB
    assert document.data is None
    [problem] = document.problems
    assert (problem.line, problem.column) == where
    assert problem.message.startswith(f"the alias *{alias} is not allowed")


def test_the_fast_reader_never_reads_an_alias() -> None:
    positions: dict = {}
    for text in ("a: &x 1\nb: *x\n", "a: {b: *x}\n", "a:\n  - *x\n"):
        with pytest.raises(fastread.Declined):
            fastread.read(text, positions)
        assert load_text(text, Path("f.yaml")).data is None


def test_an_asterisk_in_text_is_not_an_alias() -> None:
    document = load_text('a: "*x"\nb: 说明 **重点** *x\nc: [a*b]\n', Path("f.yaml"))
    assert document.problems == []
    assert document.data == {"a": "*x", "b": "说明 **重点** *x", "c": ["a*b"]}


# Deep nesting.


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id: x\ndeep: " + "[" * 500 + "]" * 500 + "\n", (2, 7 + MAX_DEPTH)),
        ("id: x\ndeep: " + "{a: " * 300 + "1" + "}" * 300 + "\n", (2, 7 + 4 * MAX_DEPTH)),
        ("id: x\ndeep: " + "[" * 5000 + "]" * 5000 + "\n", None),  # libyaml's own bound
        ("".join(f"{'  ' * i}k{i}:\n" for i in range(400)) + "  " * 400 + "v: 1\n", None),
        ("".join(f"{' ' * i}- \n" for i in range(0, 800, 2)) + " " * 800 + "- 1\n", None),
    ],
)
def test_a_value_nested_too_deep_is_a_located_error(
    tmp_path: Path, text: str, where: tuple[int, int] | None
) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_file(path)
    assert document.data is None
    [problem] = document.problems
    if where is not None:
        assert (problem.line, problem.column) == where
        assert f"nested more than {MAX_DEPTH} levels deep" in problem.message
    else:
        assert problem.line > 1 or problem.column > 1


def test_deep_nesting_leaves_the_other_files_checked(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tiny_content, project_yaml(minimal_project()) + "x: " + "[" * 500 + "]" * 500)
    _with_good_form(tiny_content)
    status, out = _check(tiny_content, capsys)
    assert status == 1
    assert f"错误[yaml]: 这个值嵌套超过了 {MAX_DEPTH} 层" in out
    assert "检查了 2 个项目:1 个错误" in out


def test_nesting_within_the_bound_is_read() -> None:
    depth = MAX_DEPTH - 1
    document = load_text("a: " + "[" * depth + "1" + "]" * depth + "\n", Path("f.yaml"))
    assert document.problems == []


# Characters YAML refuses, and bytes that are not UTF-8.


@pytest.mark.parametrize(
    ("text", "where", "name"),
    [
        ("id: x\nname: 名称\ncontact: 王\x00某\n", (3, 11), "NUL"),
        ("id: x\nname: 名称名称\x01\n", (2, 11), "U+0001"),
        ("\ufeffid: x\n\x7f: 1\n", (2, 1), "U+007F"),
        ("id: x\ngoals: {planned: 计划\x1b[31m}\n", (2, 20), "U+001B"),
        ("id: x\nnote: >-\n  第一行\n  第二\ufffe行\n", (4, 5), "U+FFFE"),
    ],
)
def test_a_refused_character_is_located_where_it_is(
    tmp_path: Path, text: str, where: tuple[int, int], name: str
) -> None:
    path = tmp_path / "form.yaml"
    path.write_bytes(text.encode("utf-8"))
    [problem] = load_file(path).problems
    assert (problem.line, problem.column) == where
    assert f"the character {name} is not allowed" in problem.message


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"id: x\nname: \xe5\x90\x8d\xff\n", (2, 8)),
        (b"\xef\xbb\xbfid: \xc3\n", (1, 5)),
        (b"id: x\r\nname: \xe4\xb8\xad\xe6\x96\x87 \x80\n", (2, 10)),
    ],
)
def test_bytes_that_are_not_utf8_are_located_where_they_are(
    tmp_path: Path, raw: bytes, where: tuple[int, int]
) -> None:
    path = tmp_path / "form.yaml"
    path.write_bytes(raw)
    [problem] = load_file(path).problems
    assert (problem.line, problem.column) == where
    assert problem.message.startswith("the file is not UTF-8 text (byte 0x")


def test_a_nul_leaves_the_other_files_checked(
    tiny_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_project(tiny_content, project_yaml(minimal_project()) + "note: a\x00b\n")
    _with_good_form(tiny_content)
    status, out = _check(tiny_content, capsys)
    line = path.read_text(encoding="utf-8").count("\n")
    assert status == 1
    assert f"ceshi-xiangmu.yaml:{line}:8: 错误[yaml]: YAML 文本中不允许有字符 NUL" in out
    assert "检查了 2 个项目:1 个错误" in out


# Words YAML 1.1 reads as booleans, and numbers, in text fields.


def test_the_norway_case_keeps_no_as_typed(tmp_path: Path) -> None:
    case = CASES / "norway-bool-hint" / "content"
    if not case.exists():
        pytest.skip("the shared cases are not here")
    content = tmp_path / "content"
    shutil.copytree(case, content)
    loaded = load_project(content / "2023" / "demo-unit" / "demo-project.yaml")
    assert loaded.findings == []
    assert loaded.project is not None and loaded.project.contact == "NO"


def _form(*edits: tuple[str, str]) -> str:
    text = project_yaml(minimal_project())
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    ("edit", "field", "typed"),
    [
        (("unit: 测试单位", "unit: 测试单位\ncontact: no"), "contact", "no"),
        (("unit: 测试单位", "unit: 测试单位\ncontact: Yes  # 是"), "contact", "Yes"),
        (("unit: 测试单位", "unit: ON"), "unit", "ON"),
        (("name: 测试项目", "name: 'off'"), "name", "off"),
        (
            ("department:\n  name: 测试局\n  code: '502'", "department: {name: NO, code: '502'}"),
            "department",
            "NO",
        ),
    ],
)
def test_a_text_field_keeps_the_words_typed(
    tmp_path: Path, edit: tuple[str, str], field: str, typed: str
) -> None:
    loaded = load_project(write_project(tmp_path, _form(edit)))
    assert loaded.findings == []
    assert loaded.project is not None
    value = getattr(loaded.project, field)
    assert (value if isinstance(value, str) else value.name) == typed


def test_a_word_in_a_field_that_is_no_text_is_still_an_error(tmp_path: Path) -> None:
    loaded = load_project(write_project(tmp_path, _form(("year: 2023", "year: no"))))
    assert [f.path for f in loaded.findings] == [("year",)]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("1_000", "int 1_000"),
        ("0x1F", "int 0x1F"),
        ("1.0e+3", "Decimal 1.0e+3"),
        ("12.50", "Decimal 12.50"),
    ],
)
def test_a_number_in_a_text_field_is_quoted_as_typed(
    tmp_path: Path, typed: str, shown: str
) -> None:
    text = _form(("unit: 测试单位", f"unit: 测试单位\ncontact: {typed}"))
    loaded = load_project(write_project(tmp_path, text))
    [finding] = loaded.findings
    assert finding.message == f"expected text, got {shown}"
    assert finding.hint == f'quote it: "{typed}"'
