"""A small zip written from parts deflated ahead: the bytes Python's `zipfile` writes for the
same entries (`ZipInfo(name, (1980, 1, 1, 0, 0, 0))`, deflated at zlib's default level, into
a seekable file), without its cost per entry, and with the parts that never change deflated
once (`Entry`, kept by the caller).

Only what an .xlsx of a few parts needs: names in ASCII, no entry or archive near 4 GiB (no
ZIP64), no comments, no extra fields. `tests/test_workbook_packed.py` holds the bytes to
`zipfile`'s.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

# zipfile's values for such an entry: made by version 2.0 on Unix (3), needs version 2.0,
# deflated (8), dated 1980-01-01 00:00 (DOS date 33, time 0), mode rw------- (0o600 << 16).
MADE_BY = (20, 3)
NEEDS = 20
DEFLATED = 8
DOS_TIME, DOS_DATE = 0, 33
EXTERNAL = 0o600 << 16
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
LIMIT = 0x7FFFFFFF  # beyond this zipfile would write ZIP64 records


@dataclass(frozen=True)
class Entry:
    """One part of a zip: its name (ASCII), its bytes deflated as zipfile deflates them
    (raw deflate, zlib's default level), their CRC-32 and length before deflating."""

    name: str
    deflated: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, name: str, data: bytes) -> Entry:
        """The entry of `data` named `name`. Raises ValueError for a non-ASCII name or a
        part too large for a zip without ZIP64."""
        if not name.isascii() or len(data) > LIMIT:
            raise ValueError(f"{name}: not an entry this writer makes")
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush()
        return cls(name, deflated, zlib.crc32(data), len(data))


def zipped(entries: list[Entry]) -> bytes:
    """The zip of `entries`, in their order: local headers and data, then the central
    directory and its end record."""
    body, directory, offset = [], [], 0
    for entry in entries:
        name = entry.name.encode("ascii")
        sizes = (entry.crc, len(entry.deflated), entry.size, len(name))
        local = _LOCAL.pack(b"PK\x03\x04", NEEDS, 0, 0, DEFLATED, DOS_TIME, DOS_DATE, *sizes, 0)
        body += (local, name, entry.deflated)
        central = _CENTRAL.pack(
            b"PK\x01\x02", *MADE_BY, NEEDS, 0, 0, DEFLATED, DOS_TIME, DOS_DATE,
            *sizes, 0, 0, 0, 0, EXTERNAL, offset,
        )  # fmt: skip
        directory += (central, name)
        offset += len(local) + len(name) + len(entry.deflated)
    if offset > LIMIT:
        raise ValueError("the parts are too large for a zip without ZIP64")
    listing = b"".join(directory)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(listing), offset, 0)
    return b"".join(body) + listing + end
