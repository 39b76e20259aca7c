"""The text reader: one row a line, cells split by tabs, bars or runs of spaces, each cell with
its line and character column; encodings; files it cannot read say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.intake.readers import ReadError, read_tables
from builder.intake.readers.text import text_table


def _texts(text: str) -> list[list[str]]:
    return [[cell.text for cell in row] for row in text_table(text, "f.txt").rows]


def test_tabs_keep_blank_cells() -> None:
    assert _texts("a\t\tb\t\n") == [["a", "", "b", ""]]


def test_bars_are_borders_and_separators() -> None:
    assert _texts("| 一 |  | 二 |\n|\n") == [["一", "", "二"], [""]]


def test_runs_of_spaces_separate_single_spaces_do_not() -> None:
    assert _texts("    总 分    100   97.5\n") == [["总 分", "100", "97.5"]]


def test_blank_lines_give_no_row_and_places_are_line_and_column() -> None:
    table = text_table("\n项目名称\t\t水旱灾害\n", "f.txt")
    (row,) = table.rows
    assert [(c.place.line, c.place.column) for c in row] == [(2, 1), (2, 6), (2, 7)]
    assert row[2].place.describe() == "第2行第7列"


def test_encodings(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.txt"
    utf8.write_bytes("\ufeff项目名称\t测试".encode())
    gbk = tmp_path / "b.txt"
    gbk.write_bytes("项目名称\t测试".encode("gb18030"))
    for path in (utf8, gbk):
        (table,) = read_tables(path)
        assert [c.text for c in table.rows[0]] == ["项目名称", "测试"]
        assert table.origin.file == path.name


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("form.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("form.doc", b"\xd0\xcf\x11\xe0", ".docx"),
        ("form.png", b"\x89PNG", "不支持"),
        ("form.et", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("form.txt", b"\x00\x01\x02", "二进制"),
    ],
)
def test_files_that_cannot_be_read_say_what_they_are(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as caught:
        read_tables(path)
    error = caught.value
    assert error.file == name
    assert words in error.message_zh + error.hint_zh
