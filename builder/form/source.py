"""Safe YAML loading that remembers where every value came from.

A form's text is read by the fast reader (`fastread.py`) when it stays within the part of YAML
that forms use, and otherwise by the full path (`compose.py`: libyaml's composer, values built
by us). Either way every value keeps its line and column, duplicate keys and tags are problems,
and numbers never pass through binary floats.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fastread
from .compose import compose
from .entries import EntryError, read_entry, reason_chinese
from .positions import PathKey, Position, SourceProblem, format_path


@dataclass
class SourceDocument:
    """A loaded YAML document: plain data plus the position of every value and key.

    `data` is the document's value (a dict for a form; None when the text could not be read),
    `positions` maps each value's path to where it starts, `problems` lists what the reader
    found wrong, and `lines` are the file's lines (for quoting a line in a finding).
    """

    file: Path
    data: Any
    positions: dict[PathKey, Position] = field(default_factory=dict)
    problems: list[SourceProblem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def position(self, path: PathKey) -> Position:
        """The position of the value at `path`, or of its nearest ancestor that exists."""
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.positions.get((), Position(1, 1))

    # A document read from text (`load_text`) keeps that text, outside the fields. Its `lines`
    # are split from it when first asked for (most files are never quoted in a finding). Sent to
    # another process it travels as the text alone: pickling hundreds of paths and positions
    # costs more than reading the text again, and the receiving side rarely needs them (findings
    # are placed where the document was read); there `data` and `positions` are read again
    # from the text, the same way, the first time they are asked for.

    def __reduce_ex__(self, protocol: Any) -> Any:
        text = self.__dict__.get("_text")
        if text is None:
            return object.__reduce_ex__(self, protocol)
        read = self.__dict__.get("_read")
        return (_document_from_text, (self.file, text, self.problems, read))

    def read(self) -> tuple[bytes, str] | None:
        """The bytes of the file as they were read, once, for this document, and their
        sha256 (hex): what a build hashes, checks and copies is one version of the file, even
        if it is replaced meanwhile. None for a document not read from a file."""
        read = self.__dict__.get("_read")
        if read is None:
            return None
        bom, digest = read
        data = (codecs.BOM_UTF8 if bom else b"") + self.__dict__["_text"].encode("utf-8")
        return data, digest

    def forget_parsed(self) -> None:
        """Drop `data`, `positions` and `lines` of a document read from text, once its form is
        checked and its findings placed: they are read again from the text, the same way, if
        asked for (as a document sent to another process is). A checked form's model holds
        what the later stages need; the parsed document would otherwise stay with the form to
        the end of a build (tens of KB a form). Nothing is dropped from a document without its
        text."""
        if self.__dict__.get("_text") is not None:
            for name in ("data", "positions", "lines"):
                self.__dict__.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set: the fields of a document not yet read again.
        text = self.__dict__.get("_text")
        if text is None or name not in ("data", "positions", "lines"):
            raise AttributeError(name)
        if name == "lines":
            self.lines = text.splitlines()
        else:
            again = load_text(text, self.file)
            self.data, self.positions = again.data, again.positions
        return self.__dict__[name]


def _document_from_text(
    file: Path,
    text: str,
    problems: list[SourceProblem],
    read: tuple[bool, str] | None = None,  # (a BOM before the text, sha256 of the bytes)
) -> SourceDocument:
    document = SourceDocument.__new__(SourceDocument)
    document.__dict__.update(file=file, problems=problems, _text=text, _read=read)
    return document


def load_text(text: str, file: Path, *, fast: bool = True) -> SourceDocument:
    """Parse YAML text read from `file`; syntax errors become problems, never exceptions.

    `fast=False` always takes the full path (for comparing the two readers).
    """
    doc = _document_from_text(file, text, [])  # see SourceDocument.__reduce_ex__
    doc.data, doc.positions = None, {}
    if fast and fastread.USABLE:
        try:
            doc.data = fastread.read(text, doc.positions)
            return doc
        except fastread.Declined:
            doc.positions.clear()
    doc.data = compose(text, doc.positions, doc.problems)
    return doc


def load_file(file: Path) -> SourceDocument:
    """Read and parse a UTF-8 YAML file (a BOM is allowed).

    A file that cannot be read, or is not UTF-8, gives a document with `data` None and one
    problem; never an exception. What may be read is `entries.read_entry`'s rule: an entry
    that is not a regular file inside its content folder is refused unopened (problem code
    "file").
    """
    return load_read(file, read_source(file))


def read_source(file: Path) -> bytes | str:
    """The bytes of a content file under `entries.read_entry`'s rule, or, for an entry that
    may not be read, the reason (a str): what `load_read` is given, here or on another
    machine that has no content folder."""
    try:
        return read_entry(file)
    except EntryError as error:
        return str(error)


def load_read(file: Path, read: bytes | str) -> SourceDocument:
    """Parse what `read_source` read of `file` (its bytes, or the reason it was refused) as
    `load_file` does; never an exception."""
    if isinstance(read, str):
        doc = SourceDocument(file=file, data=None)
        doc.problems.append(
            SourceProblem((), 1, 1, read, code="file", message_zh=reason_chinese(read))
        )
        return doc
    raw = read
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        doc = SourceDocument(file=file, data=None)
        body = error.object  # the bytes after a BOM: what error.start counts in
        start = body.rfind(b"\n", 0, error.start) + 1
        line = body.count(b"\n", 0, error.start) + 1
        column = len(body[start : error.start].decode("utf-8", "replace")) + 1
        doc.problems.append(
            SourceProblem(
                (),
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{body[error.start]:02X} here)",
                "save it as UTF-8",
                message_zh=f"文件不是 UTF-8 编码的文本(此处的字节是 0x{body[error.start]:02X})",
                hint_zh="另存为 UTF-8 编码",
            )
        )
        return doc
    doc = load_text(text, file)
    # The text is the bytes after a BOM, decoded: with the BOM they are the bytes again.
    doc.__dict__["_read"] = (raw.startswith(codecs.BOM_UTF8), hashlib.sha256(raw).hexdigest())
    return doc


__all__ = [
    "PathKey",
    "Position",
    "SourceDocument",
    "SourceProblem",
    "format_path",
    "load_file",
    "load_read",
    "load_text",
    "read_source",
]
