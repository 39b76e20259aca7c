"""Files to `Table`s: the reader for a file is chosen by its suffix (`READERS`).

Every reader module has `read(path) -> Reading` (the tables in the file's order and the
issues met, `errors.Reading`); `read_tables(path)` gives the tables alone. The grid they
give (`..grid`): rows of cells with their places; a merged cell once, at its top-left, with
`span`/`rows`, the cells it covers left out of their rows (a cell's column is
`cell.place.column`). Text outside a Word or PDF table (title, 单位, 填报日期, 联系人 lines)
comes as a Table of its own of one row per paragraph or printed line, between the tables in
the file's order.

A file no reader takes (.xls, .doc, .et, .wps, .ods, anything else), an empty file, a file of
one format named as another (a PDF saved as .xlsx), a password-protected or damaged file and a
PDF without a text layer raise `ReadError`: one located line, Chinese first, with what to do
(save as .xlsx/.docx, rename it, remove the password, OCR first).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import MappingProxyType

from ..grid import Table
from .errors import ReadError, Reading, ReadIssue

__all__ = ["READERS", "ReadError", "ReadIssue", "Reading", "read", "read_tables"]

# Suffix (lower case) → reader module of this package; each has `read(path) -> Reading`.
READERS = MappingProxyType(
    {
        ".xlsx": "xlsx",
        ".xlsm": "xlsx",
        ".docx": "docx",
        ".pdf": "pdf",
        ".txt": "text",
        ".text": "text",
        ".md": "text",
        ".csv": "text",
        ".tsv": "text",
    }
)

# Formats people have that no reader takes, and what to save them as.
_SAVE_AS = MappingProxyType(
    {
        ".xls": ("Excel 97-2003 工作簿", ".xlsx"),
        ".et": ("WPS 表格", ".xlsx"),
        ".ods": ("OpenDocument 表格", ".xlsx"),
        ".doc": ("Word 97-2003 文档", ".docx"),
        ".wps": ("WPS 文字", ".docx"),
        ".odt": ("OpenDocument 文档", ".docx"),
    }
)


def read(path: str | Path) -> Reading:
    """The tables and issues of the file at `path`, by the reader for its suffix.

    Raises ReadError (never another exception for a bad file) for an unsupported format, a
    missing, password-protected or damaged file, or a PDF without a text layer."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise _unsupported(path)
    if not path.is_file():
        raise ReadError(
            path, "unreadable-file", "找不到文件或无法打开", "no such file or it cannot be opened"
        )
    error = _sniffed(path, suffix)
    if error is not None:
        raise error
    reader = importlib.import_module(f".{READERS[suffix]}", __name__)
    return reader.read(path)


# What a file is by its first bytes, for the formats a reader takes: a file of one named as
# another is said to be what it is (a PDF saved as .xlsx), not "damaged".
_KINDS = ((b"%PDF", ".pdf", "PDF 文件", "a PDF"),)


def _sniffed(path: Path, suffix: str) -> ReadError | None:
    """The error for an empty file, or a file whose first bytes say it is a format other than
    its suffix's (`_KINDS`); None otherwise."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        return ReadError(
            path,
            "empty-file",
            "文件是空的(0 字节)",
            "the file is empty (0 bytes)",
            "确认下载或复制是否完整,再导入原文件",
            "check the download or copy was complete and import the original",
        )
    for magic, kind, zh, en in _KINDS:
        if head.startswith(magic) and READERS.get(suffix) != READERS[kind]:
            return ReadError(
                path,
                "misnamed",
                f"这是 {zh},扩展名却是 {suffix}",
                f"this is {en} file named {suffix}",
                f"把扩展名改为 {kind} 后再导入",
                f"rename it to {kind} and import it",
            )
    return None


def read_tables(path: str | Path) -> list[Table]:
    """The tables of the file at `path` (`read(path).tables`); raises ReadError as `read`."""
    return read(path).tables


def _unsupported(path: Path) -> ReadError:
    """The error for a suffix no reader takes: how to save such a file when it is a known
    office format, the formats read otherwise."""
    suffix = path.suffix.lower()
    if suffix in _SAVE_AS:
        kind, target = _SAVE_AS[suffix]
        return ReadError(
            path,
            "unsupported-format",
            f"不能直接读取{kind}（{suffix}）",
            f"{suffix} files cannot be read directly",
            f"请在 Excel、WPS 或 LibreOffice 中打开，另存为 {target} 后再导入",
            f"open it in Excel, WPS or LibreOffice and save it as {target}",
        )
    readable = "、".join(sorted(READERS))
    return ReadError(
        path,
        "unsupported-format",
        f"不支持的文件类型（{suffix or '无扩展名'}）",
        f"unsupported file type ({suffix or 'no suffix'})",
        f"可导入的文件类型：{readable}",
        f"files that can be imported: {', '.join(sorted(READERS))}",
    )
