"""The state files of the manifest (`manifest.STATE_DIR`, one per unit folder): what the last
build kept of each form, read at the start of every build that changed something.

An edit needs every form's summary (the listings) but, of the open-data shares of the forms
it does not re-read, mostly their sort keys, digests, row counts and sizes (the tables'
signatures, order and splicing, the data page); the bytes of some (the projects between two
changed ones in a table that is spliced) and, for a table made again, everything. So a
state file is

    pickle((SHARD_FORMAT, token, {path: (digest, summary, head, offset, layout)})) token bodies

the heads pickled first, each project's share after them (its bytes fields as they are, its
other fields pickled: `Layout`): a build unpickles the heads (about a tenth of the bytes) and
hands the open data a `KeptData` per kept project, which reads one bytes field, or its whole
body, from the file when asked for. `token` (16 random bytes, written again before the
bodies) proves that the file read later is the one the heads came from.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import SetupError
from ..opendata.records import DIGESTED, ProjectData
from ..opendata.stored import PIECES
from ..site.views import ProjectSummary

SHARD_FORMAT = 2
TOKEN_SIZE = 16
TABLES = (0, 1, 2)  # projects, indicators, findings: `ProjectData.rows`

# What a state file holds of one form: its sha256, its page's summary, its open-data share.
Entry = tuple[str, ProjectSummary, "ProjectData | KeptData"]
# What a share's head holds: sort key, digest, digests, `digest_of` each of `DIGESTED`, `rows`
# of each table, `size` of each of `PIECES`.
Head = tuple[Any, bytes, tuple[bytes, ...], tuple[bytes, ...], tuple[int, ...], tuple[int, ...]]
# Where a share's body lies: each bytes field by name and length, each bytes of a tuple of
# them (`sheet_xml`) as `<name>.<n>`, then the other fields pickled (named `REST`), one after
# the other.
Layout = tuple[tuple[str, int], ...]
REST = ""
# A body's place: (the files read, state file, where its bodies start, its token, offset,
# layout).
Place = tuple["StateFiles", str, int, bytes, int, Layout]
# State files a build keeps open for its `KeptData` (those of one table's run are read in
# the order of their units, a file after another).
OPEN_AT_ONCE = 8


class StateDamaged(SetupError):
    """A state file changed under a build or lost bytes since its heads were read."""


class StateFiles:
    """The state files the `KeptData` of one load read from: each opened once, when first
    read, and its token checked then (an open file is the one the heads came from, whatever
    replaces its name later); at most `OPEN_AT_ONCE` open at a time, all closed when this is
    dropped. Read by any thread."""

    def __init__(self) -> None:
        self._open: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()
        weakref.finalize(self, _close_all, self._open)

    def read(self, file: str, start: int, token: bytes, offset: int, length: int) -> bytes:
        """`length` bytes at `offset` of `file`, whose bodies begin at `start` with `token`.
        Raises `StateDamaged` when `file` is missing or has another token."""
        with self._lock:
            descriptor = self._open.get(file)
            try:
                if descriptor is None:
                    descriptor = os.open(file, os.O_RDONLY | os.O_CLOEXEC)
                    self._open[file] = descriptor
                    if os.pread(descriptor, TOKEN_SIZE, start) != token:
                        raise _damaged(file)
                    while len(self._open) > OPEN_AT_ONCE:
                        os.close(self._open.popitem(last=False)[1])
                else:
                    self._open.move_to_end(file)
                return os.pread(descriptor, length, offset)
            except OSError as error:
                raise _damaged(file) from error


def _close_all(descriptors: dict[str, int]) -> None:
    for descriptor in descriptors.values():
        os.close(descriptor)
    descriptors.clear()


class KeptData:
    """A kept project's open-data share (`ProjectData`'s interface): `sort_key`, `digest`,
    `digests`, `digest_of`, `rows` and `size` from its head; a bytes field (its CSV lines, its
    JSON record) or a table's sheet XML (`xml`) read from its state file alone when asked
    for; anything else from the `ProjectData` read back whole on first use (and kept).
    Pickled, it is that `ProjectData`."""

    __slots__ = ("_head", "_loaded", "_place", "digest", "digests", "sort_key")

    def __init__(self, head: Head, place: Place) -> None:
        self._head = head
        self.sort_key, self.digest, self.digests = head[0], head[1], head[2]
        self._place = place  # (files, file, start of the bodies, token, offset, layout)
        self._loaded: ProjectData | None = None

    def digest_of(self, piece: str) -> bytes:
        """The digest of `piece` (one of `records.DIGESTED`), as `ProjectData.digest_of`."""
        return self._head[3][DIGESTED.index(piece)]

    def rows(self, table: int) -> int:
        """How many rows it has in table `table` (0 projects, 1 indicators, 2 findings)."""
        return self._head[4][table]

    def size(self, piece: str) -> int:
        """The length in bytes of `piece` (one of `stored.PIECES`), without reading it."""
        return self._head[5][PIECES.index(piece)]

    def xml(self, table: int) -> bytes:
        """Its rows of table `table` as the year workbook's sheet XML (`ProjectData.xml`),
        read alone."""
        name = f"sheet_xml.{table}"
        if self._loaded is None and any(field == name for field, _ in self._place[5]):
            return self.body(name)
        return self.load().xml(table)

    def body(self, field: str | None = None) -> bytes:
        """The share's bytes as kept in its state file: all of them, or those of one of its
        bytes `field`s. Raises `StateDamaged` when the file is no longer the one its head was
        read from, or holds fewer bytes."""
        files, file, start, token, offset, layout = self._place
        length = sum(size for _, size in layout)
        for name, size in layout if field is not None else ():
            if name == field:
                length = size
                break
            offset += size
        data = files.read(file, start, token, start + TOKEN_SIZE + offset, length)
        if len(data) != length:
            raise _damaged(file)
        return data

    def load(self) -> ProjectData:
        """The `ProjectData` it stands for, read once."""
        if self._loaded is None:
            fields: dict[str, Any] = {}
            data, at = self.body(), 0
            try:
                for name, size in self._place[5]:
                    part, at = data[at : at + size], at + size
                    if name == REST:
                        fields.update(pickle.loads(part))
                    elif "." in name:  # one of a tuple of bytes
                        field = name.partition(".")[0]
                        fields[field] = (*fields.get(field, ()), part)
                    else:
                        fields[name] = part
                self._loaded = ProjectData(**fields)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
                raise _damaged(self._place[1]) from error
        return self._loaded

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._loaded is None and any(field == name for field, _ in self._place[5]):
            return self.body(name)  # a table spliced around it wants its line alone
        return getattr(self.load(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_itself, (self.load(),))


def _itself(value: object) -> object:
    return value


def _damaged(file: str) -> StateDamaged:
    return StateDamaged(
        f"{file}: 构建记录在构建中被改动或已损坏:请加 --full 重新构建 / the build record "
        "changed during the build or is damaged: build again with --full"
    )


def _split(data: ProjectData) -> tuple[Layout, list[bytes]]:
    """A share's body: each of its bytes fields as it is, then the others pickled."""
    layout, pieces, rest = [], [], {}
    for field in dataclasses.fields(data):
        value = getattr(data, field.name)
        if type(value) is bytes:
            layout.append((field.name, len(value)))
            pieces.append(value)
        elif field.name == "sheet_xml":  # read a table alone (`KeptData.xml`)
            layout += [(f"{field.name}.{n}", len(part)) for n, part in enumerate(value)]
            pieces += value
        else:
            rest[field.name] = value
    pieces.append(pickle.dumps(rest, protocol=pickle.HIGHEST_PROTOCOL))
    layout.append((REST, len(pieces[-1])))
    return tuple(layout), pieces


def head_of(data: ProjectData | KeptData) -> Head:
    """What a share's `KeptData` answers without reading its body."""
    if isinstance(data, KeptData):
        return data._head
    return (
        data.sort_key,
        data.digest,
        data.digests,
        tuple(data.digest_of(piece) for piece in DIGESTED),
        tuple(data.rows(table) for table in TABLES),
        tuple(data.size(piece) for piece in PIECES),
    )


def read_shard(
    path: Path, lazy: bool = True, files: StateFiles | None = None
) -> dict[str, Entry] | None:
    """A state file's forms: content-relative path -> (sha256, summary, share), each share a
    `KeptData` reading through `files` (a new one when None) (`lazy`), or its `ProjectData`
    read now. None when the file is missing, of another format, or not whole."""
    try:
        with open(path, "rb") as handle:
            kept = pickle.load(handle)
            start = handle.tell()
            if not (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == SHARD_FORMAT):
                return None
            _, token, heads = kept
            if handle.read(TOKEN_SIZE) != token:
                return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    file = os.fspath(path)
    entries: dict[str, Entry] = {}
    files = StateFiles() if files is None else files
    for rel, (digest, summary, head, offset, layout) in heads.items():
        data = KeptData(head, (files, file, start, token, offset, layout))
        entries[rel] = (digest, summary, data if lazy else data.load())
    return entries


def shard_bytes(entries: Mapping[str, Entry]) -> list[bytes]:
    """A state file's bytes, in pieces, for `entries` (content-relative path -> (sha256,
    summary, share)). A `KeptData`'s body is copied as it is: call this before its file is
    replaced."""
    token = os.urandom(TOKEN_SIZE)
    heads, bodies, offset = {}, [token], 0
    for rel, (digest, summary, data) in entries.items():
        if isinstance(data, KeptData):
            layout, pieces = data._place[5], [data.body()]
        else:  # a `ProjectData`, or a share kept on disk by the build (`stored.StoredData`)
            layout, pieces = _split(data if isinstance(data, ProjectData) else data.load())
        heads[rel] = (digest, summary, head_of(data), offset, layout)
        bodies += pieces
        offset += sum(size for _, size in layout)
    return [pickle.dumps((SHARD_FORMAT, token, heads), protocol=pickle.HIGHEST_PROTOCOL), *bodies]
