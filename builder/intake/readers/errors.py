"""What a reader gives besides the tables: the cells it could not read (`ReadIssue`), and the
one error that stops it for a whole file (`ReadError`).

A `ReadIssue` is the reader's part of the review list: it has the shape of the recogniser's
review items (code, place, Chinese and English message), so the importer passes it on as
one. Codes: `unreadable-cell` (a formula without a cached value, a formula giving an error
value such as #DIV/0!: the cell's text is "" in the table), `hidden-row` / `hidden-column` (a
workbook's hidden rows or columns are read, as they hold what was typed, and named so that a
person looks at them); `overflowing-text`, `cell-unclear` and `label-rows` (a PDF table printed
without ruling lines: a cell that cannot be told is "" in the table, `pdfgrid`), and
`no-ruling-lines` on every such table (its values placed by position: all to be checked).

A `ReadError` is a file that cannot be read at all: a format no reader takes (.xls, .doc,
.et, .wps, .ods), a password-protected or damaged file, a PDF without a text layer. Its
`describe()` is one located line in the house format, Chinese first:
`名称.xls: 错误[unsupported-format]: 不能直接读取 .xls 文件 (请在 Excel 或 WPS 中另存为 .xlsx 后再导入)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..grid import Place, Table


@dataclass(frozen=True, slots=True)
class ReadIssue:
    """A cell or part of a file a reader could not take as it stands, with its place.

    `code` is one of the codes in this module's docstring; `message_zh` / `message_en` say
    what was seen (the same fact in both languages).
    """

    code: str
    place: Place
    message_zh: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader read from one file: its `tables` in the file's order (sheets, pages and
    the text around tables as they come) and the `issues` found on the way. `issued`: the
    file is jixiao's blank template filled in (its fill-in rules sheet was found), so the
    「指标N:」 rows the template printed and nobody filled in are the template's, not the
    form's (`recognise.table.unused`)."""

    tables: list[Table]
    issues: list[ReadIssue] = field(default_factory=list)
    issued: bool = False


class ReadError(Exception):
    """A file that cannot be read: `file` (its name as given), a stable `code`
    (`unsupported-format`, `encrypted`, `damaged`, `no-text-layer`, `unreadable-file`,
    `empty-file`, `misnamed`),
    the message and a hint saying what to do, in Chinese and English."""

    def __init__(
        self,
        file: str | Path,
        code: str,
        message_zh: str,
        message_en: str,
        hint_zh: str = "",
        hint_en: str = "",
    ) -> None:
        self.file = Path(file).name if isinstance(file, Path) else file
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.hint_zh = hint_zh
        self.hint_en = hint_en
        super().__init__(self.describe("en"))

    def describe(self, lang: str = "zh") -> str:
        """The error as one line: `file: 错误[code]: message (hint)` ("zh", the default) or
        `file: error[code]: message (hint)` ("en")."""
        zh = lang == "zh"
        label = "错误" if zh else "error"
        message = self.message_zh if zh else self.message_en
        hint = self.hint_zh if zh else self.hint_en
        tail = f" ({hint})" if hint else ""
        return f"{self.file}: {label}[{self.code}]: {message}{tail}"

    def as_dict(self) -> dict[str, str]:
        """Plain JSON-ready data: file, code, message (English), hint, message_zh, hint_zh."""
        return {
            "file": self.file,
            "code": self.code,
            "message": self.message_en,
            "hint": self.hint_en,
            "message_zh": self.message_zh,
            "hint_zh": self.hint_zh,
        }


# The magic bytes of an OLE2 compound file: an old .xls/.doc, or an Office file with a password.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def office_container_error(path: Path, save_as: str) -> ReadError | None:
    """The error for an .xlsx/.docx `path` that is not the zip package it should be: a
    password-protected file (an OLE2 container holding `EncryptionInfo`), an old binary file
    renamed, or something else; None when the file starts as a zip package does.

    `save_as` is the suffix to suggest (".xlsx" or ".docx"). Reads the file's first bytes
    (all of it for an OLE2 file, to find the stream name)."""
    with path.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(b"PK"):
            return None
        rest = handle.read() if head == OLE2_MAGIC else b""
    if head == OLE2_MAGIC and "EncryptionInfo".encode("utf-16-le") in rest:
        return encrypted(path, save_as)
    if head == OLE2_MAGIC:
        return ReadError(
            path,
            "unsupported-format",
            f"这是旧版二进制格式的文件，只是扩展名为 {path.suffix}",
            f"an old binary-format file named {path.suffix}",
            f"请在 Excel 或 WPS 中打开后另存为 {save_as} 再导入",
            f"open it in Excel or WPS and save it as {save_as}",
        )
    return damaged(path, f"不是 {save_as} 文件包", f"not a {save_as} package")


def encrypted(path: Path, save_as: str) -> ReadError:
    """The error for a password-protected file."""
    return ReadError(
        path,
        "encrypted",
        "文件设有打开密码，无法读取",
        "the file is password-protected",
        f"请打开文件后取消密码，另存为 {save_as} 再导入",
        f"open it, remove the password and save it as {save_as}",
    )


def damaged(path: Path, detail_zh: str, detail_en: str) -> ReadError:
    """The error for a file that is damaged or is not what its name says (`detail_*`: what
    the library found, in a few words)."""
    return ReadError(
        path,
        "damaged",
        f"文件已损坏或不是所称的格式：{detail_zh}",
        f"the file is damaged or not what its name says: {detail_en}",
        "请用原程序重新打开并另存，或重新下载",
        "open it in the program that made it and save it again, or download it again",
    )
