"""The state files of the manifest (`manifest.STATE_DIR`, one per unit folder): what the last
build kept of each form, read at the start of every build that changed something.

An edit needs every form's summary (the listings) but, of the open-data shares of the forms
it does not re-read, only their sort keys, digests, row counts and sizes (the tables'
signatures, order and splicing, the data page); their bytes are read for the few projects a
table is spliced around, or for a table made again. So a state file is

    pickle((FORMAT, token, {path: (digest, summary, head, offset, length, check)})) token bodies

the heads pickled first, each project's share (`ProjectData`, pickled on its own) after them:
a build unpickles the heads (about a tenth of the bytes) and hands the open data a `KeptData`
per kept project, which reads its body from the file when something else of it is asked for.
`token` (16 random bytes, written again before the bodies) proves that the file read later
is the one the heads came from; `check` (blake2b of the body) that its bytes are whole.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import SetupError
from ..opendata.records import DIGESTED, ProjectData
from ..opendata.stored import PIECES
from ..site.views import ProjectSummary

SHARD_FORMAT = 1
TOKEN_SIZE = 16
TABLES = (0, 1, 2)  # projects, indicators, findings: `ProjectData.rows`

# What a state file holds of one form: its sha256, its page's summary, its open-data share.
Entry = tuple[str, ProjectSummary, "ProjectData | KeptData"]
# What a share's head holds: sort key, digest, digests, `digest_of` each of `DIGESTED`, `rows`
# of each table, `size` of each of `PIECES`.
Head = tuple[Any, bytes, tuple[bytes, ...], tuple[bytes, ...], tuple[int, ...], tuple[int, ...]]


class StateDamaged(SetupError):
    """A state file changed under a build or lost bytes since its heads were read."""


class KeptData:
    """A kept project's open-data share (`ProjectData`'s interface): `sort_key`, `digest`,
    `digests`, `digest_of`, `rows` and `size` from its head; anything else from the
    `ProjectData` read back from its state file on first use (and kept). Pickled, it is that
    `ProjectData` (its bytes as kept, not unpickled)."""

    __slots__ = ("_head", "_loaded", "_place", "digest", "digests", "sort_key")

    def __init__(self, head: Head, place: tuple[str, int, bytes, int, int, bytes]) -> None:
        self._head = head
        self.sort_key, self.digest, self.digests = head[0], head[1], head[2]
        self._place = place  # (file, start of the bodies, token, offset, length, check)
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

    def body(self) -> bytes:
        """The share as pickled in its state file. Raises `StateDamaged` when the file is no
        longer the one its head was read from, or its bytes are not whole."""
        file, start, token, offset, length, check = self._place
        try:
            descriptor = os.open(file, os.O_RDONLY)
            try:
                found = os.pread(descriptor, TOKEN_SIZE, start)
                data = os.pread(descriptor, length, start + TOKEN_SIZE + offset)
            finally:
                os.close(descriptor)
        except OSError as error:
            raise _damaged(file) from error
        if found != token or _check(data) != check:
            raise _damaged(file)
        return data

    def load(self) -> ProjectData:
        """The `ProjectData` it stands for, read once."""
        if self._loaded is None:
            try:
                self._loaded = pickle.loads(self.body())
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
                raise _damaged(self._place[0]) from error
        return self._loaded

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.load(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (pickle.loads, (self.body(),))


def _damaged(file: str) -> StateDamaged:
    return StateDamaged(
        f"{file}: 构建记录在构建中被改动或已损坏:请加 --full 重新构建 / the build record "
        "changed during the build or is damaged: build again with --full"
    )


def _check(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


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


def read_shard(path: Path, lazy: bool = True) -> dict[str, Entry] | None:
    """A state file's forms: content-relative path -> (sha256, summary, share), each share a
    `KeptData` (`lazy`) or its `ProjectData` read now. None when the file is missing, of
    another format, or not whole."""
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
    for rel, (digest, summary, head, offset, length, check) in heads.items():
        data = KeptData(head, (file, start, token, offset, length, check))
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
            body = data.body()
        else:
            body = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        heads[rel] = (digest, summary, head_of(data), offset, len(body), _check(body))
        bodies.append(body)
        offset += len(body)
    return [pickle.dumps((SHARD_FORMAT, token, heads), protocol=pickle.HIGHEST_PROTOCOL), *bodies]
