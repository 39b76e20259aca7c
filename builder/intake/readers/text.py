"""Extracted text (copied out of a PDF or a web page) as one `Table`: one row per line.

A line's cells are split by tabs when it has any (empty cells kept: the tab count is the
column), else by `|` (the borders of a flattened table), else by runs of two or more spaces;
each cell keeps its line and its character column (1-based) in `Place`. Blank lines give no
row. The text is read as UTF-8 (a BOM is dropped), else as GB 18030, the Chinese encodings'
superset.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..grid import Cell, Place, Row, Table
from .errors import ReadError, Reading

_SPACES = re.compile(r"\s{2,}")


def decode(data: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (BOM dropped), else GB 18030. ReadError when
    neither reads it (a binary file)."""
    if b"\x00" in data[:4096]:
        raise ReadError(
            name,
            "damaged",
            "不是文本文件(含二进制内容)",
            "not a text file (it holds binary data)",
            "导入 .xlsx、.docx、.pdf 或文本文件",
            "import an .xlsx, .docx, .pdf or text file",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        name,
        "damaged",
        "无法识别文件编码(既非 UTF-8 也非 GB 18030)",
        "the text is neither UTF-8 nor GB 18030",
        "请另存为 UTF-8 文本",
        "save the text as UTF-8",
    )


def _pieces(line: str) -> list[tuple[int, str]]:
    """(0-based character column, text) of each cell of one line."""
    if "\t" in line:
        out, column = [], 0
        for piece in line.split("\t"):
            out.append((column + len(piece) - len(piece.lstrip()), piece.strip()))
            column += len(piece) + 1
        return out
    if "|" in line:
        out, column = [], 0
        for piece in line.split("|"):
            out.append((column + len(piece) - len(piece.lstrip()), piece.strip()))
            column += len(piece) + 1
        # the table's borders: the empty pieces before the first and after the last bar
        if out and not out[0][1]:
            out = out[1:]
        if out and not out[-1][1]:
            out = out[:-1]
        return out or [(0, "")]
    stripped = line.strip()
    start = len(line) - len(line.lstrip())
    out, column = [], start
    for piece in _SPACES.split(stripped):
        at = line.index(piece, column) if piece else column
        out.append((at, piece))
        column = at + len(piece)
    return out


def text_table(text: str, name: str) -> Table:
    """The lines of `text` as one `Table` of file `name` (see the module's docstring)."""
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = tuple(
            Cell(piece, Place(file=name, line=number, column=column + 1))
            for column, piece in _pieces(line)
        )
        rows.append(cells)
    return Table(tuple(rows), Place(file=name))


def read(path: Path) -> Reading:
    """The text file at `path` as one `Table` (its rows the non-blank lines). ReadError when
    the file cannot be read or is not text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(
            path.name,
            "unreadable-file",
            f"无法读取文件:{error.strerror or error}",
            f"cannot read the file: {error.strerror or error}",
        ) from error
    return Reading([text_table(decode(data, path.name), path.name)])
