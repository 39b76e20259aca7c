"""Each project's open-data share (`records.ProjectData`) kept in a file of the build's spill
folder rather than in memory: a build holds about 100 bytes a project of it, and the tables
read each share back as they are written.

A `StoredData` is the handle: the project's sort key and digest (what the tables' signatures
and order need), where its pieces lie in the file, and its row counts. Its CSV lines and JSON
record are read back as bytes, its workbook rows unpickled (or as sheet XML), when asked for; pickled (the
build's manifest keeps every project's data between builds), it is read back and pickled as
the `ProjectData` it stands for.
"""

from __future__ import annotations

import os
import pickle
import weakref
from pathlib import Path
from typing import Any

from .records import DIGESTED, ProjectData, SheetRow

FILE = "opendata.bin"
# The share's byte pieces in the order they are kept (then its three tables pickled, then
# their sheet XML).
PIECES = ("project_csv", "indicators_csv", "record", "findings_csv")


class DataStore:
    """The projects' shares, appended to one file in `folder` (the spill folder of the build,
    `rules.spill`, whose removal takes it along; `keep` is what keeps that folder, held for
    as long as a handle may be read). Raises OSError when the file cannot be written."""

    def __init__(self, folder: Path, keep: object = None) -> None:
        self.keep = keep
        self._fd = os.open(folder / FILE, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        self._end = 0
        weakref.finalize(self, os.close, self._fd)

    def put(self, data: ProjectData, tables: tuple[bytes, ...] = ()) -> StoredData:
        """Keep one project's share; returns its handle. `tables`: its three tables of rows
        already pickled (`records.project_share`), else they are pickled here."""
        pickled = tables or tuple(
            pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL) for table in data.sheets
        )
        pieces = (
            data.project_csv,
            data.indicators_csv,
            data.record,
            data.findings_csv,
            *pickled,
            *data.sheet_xml,
        )
        places = []
        for piece in pieces:
            places.append((self._end, len(piece)))
            self._end += len(piece)
        blob = b"".join(pieces)
        written = os.pwrite(self._fd, blob, self._end - len(blob))
        if written != len(blob):
            raise OSError(f"short write to {FILE}")
        rows = (len(data.sheets[0]), len(data.sheets[1]), len(data.sheets[2]))
        return StoredData(self, data.sort_key, (data.digest, data.digests), tuple(places), rows)

    def read(self, place: tuple[int, int]) -> bytes:
        """The bytes at (offset, length)."""
        return os.pread(self._fd, place[1], place[0])


class StoredData:
    """A project's open-data share kept by a `DataStore`: `sort_key`, `digest` and `digests`
    as the `ProjectData`'s (`digests` given with `digest`, as a pair); the rest read back
    when asked for."""

    __slots__ = ("_places", "_rows", "_store", "digest", "digests", "sort_key")

    def __init__(
        self,
        store: DataStore,
        sort_key: tuple[int, str, str],
        digests: tuple[bytes, tuple[bytes, ...]],
        places: tuple[tuple[int, int], ...],
        rows: tuple[int, int, int],
    ) -> None:
        self._store = store
        self.sort_key = sort_key
        self.digest, self.digests = digests
        self._places = places
        self._rows = rows

    @property
    def project_csv(self) -> bytes:
        """Its line of projects.csv."""
        return self._store.read(self._places[0])

    @property
    def indicators_csv(self) -> bytes:
        """Its lines of indicators.csv."""
        return self._store.read(self._places[1])

    @property
    def record(self) -> bytes:
        """Its JSON record."""
        return self._store.read(self._places[2])

    @property
    def findings_csv(self) -> bytes:
        """Its lines of findings.csv."""
        return self._store.read(self._places[3])

    @property
    def sheets(self) -> _Tables:
        """Its rows of the year's workbook (`ProjectData.sheets`), each table read back when
        indexed: a pass over one table reads that table alone."""
        return _Tables(self)

    def table(self, index: int) -> tuple[SheetRow, ...]:
        """Its rows of table `index` (0 projects, 1 indicators, 2 findings)."""
        rows: tuple[SheetRow, ...] = pickle.loads(self._store.read(self._places[4 + index]))
        return rows

    def digest_of(self, piece: str) -> bytes:
        """The digest of `piece` (`ProjectData.digest_of`)."""
        return self.digests[DIGESTED.index(piece)] if self.digests else self.digest

    def size(self, piece: str) -> int:
        """The length in bytes of `piece` (`ProjectData.size`), without reading it."""
        return self._places[PIECES.index(piece)][1]

    def xml(self, table: int) -> bytes:
        """Its rows of table `table` as the year workbook's sheet XML (`ProjectData.xml`)."""
        return self._store.read(self._places[7 + table])

    def rows(self, table: int) -> int:
        """How many rows it has in table `table` (0 projects, 1 indicators, 2 findings)."""
        return self._rows[table]

    def load(self) -> ProjectData:
        """The `ProjectData` it stands for."""
        make, fields = self.__reduce__()
        loaded: ProjectData = make(*fields)
        return loaded

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            ProjectData,
            (
                self.sort_key,
                self.project_csv,
                self.indicators_csv,
                self.record,
                self.digest,
                (self.table(0), self.table(1), self.table(2)),
                (self.xml(0), self.xml(1), self.xml(2)),
                self.digests,
            ),
        )


class _Tables:
    """A project's three tables of workbook rows (`ProjectData.sheets`), read when indexed."""

    __slots__ = ("_data",)

    def __init__(self, data: StoredData) -> None:
        self._data = data

    def __getitem__(self, index: int) -> tuple[SheetRow, ...]:
        return self._data.table(index)

    def __len__(self) -> int:
        return 3
