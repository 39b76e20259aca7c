"""Checked forms kept on disk between the check and the outputs, so that a build holds a few
hundred bytes a form rather than every model.

The check stage hands each batch of checked forms to a `SpillStore` (one pickle file a batch,
in a folder of the build's cache) as it comes back from the executor, and keeps in memory
only each form's `FormKey`: its file, its located findings, and the ids the checks across
forms compare. `SpilledForms` is the `Sequence[CheckedProject]` the rest of the build reads
(`CheckResult.projects`): each form is read back from its batch when asked for, a batch at a
time, and dropped again when the next batch is read. An output that goes through the forms in
order reads each batch once.

The folder is removed once nothing refers to the store any more (`weakref.finalize`: when the
build's report is dropped, or at the interpreter's exit), and a folder a killed build left is
removed by the next build (`clean_spills`).
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from ..memory import collector_paused

if TYPE_CHECKING:
    from .findings import LocatedFinding

# `rules.check.CheckedProject`, which imports this module (named, not imported: no cycle).
CheckedProject = Any
_Source = TypeVar("_Source")  # what a `ReadBack` is made from
_Item = TypeVar("_Item")  # what it gives

FOLDER = "spill"  # under the cache folder: one folder per build, named `<pid>-<random>`


class SpillStore:
    """Batches of checked forms, one pickle file each, in a folder of its own under `root`
    (created; removed when the store is dropped). Raises OSError when the folder cannot be
    made or a file written (a full disk: the build's writers say it)."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
        self.batches = 0
        self._finalizer = weakref.finalize(self, _remove, self.folder, os.getpid())

    def dump(self, items: list[CheckedProject]) -> int:
        """Keep a batch; returns its number."""
        number = self.batches
        self.batches += 1
        self.put(number, items)
        return number

    def put(self, number: int, items: list[CheckedProject]) -> None:
        """Write batch `number` (again)."""
        with open(self.folder / f"{number}.pickle", "wb") as handle:
            pickle.dump(items, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def load(self, number: int) -> list[CheckedProject]:
        """Batch `number` as it was last written."""
        return load_batch(self.folder, number)

    def remove(self) -> None:
        """Remove the folder now (the store is unusable after)."""
        self._finalizer()


def _remove(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # never from a worker process forked from the build
        shutil.rmtree(folder, ignore_errors=True)


def load_batch(folder: Path, number: int) -> list[CheckedProject]:
    """Batch `number` of the store in `folder`, as it was last written: for a worker process
    that was handed the folder rather than the store."""
    # Unpickling a batch makes many objects and no garbage: with the collector on, it scanned
    # them, and the build's growing heap, again and again (about half of each read-back's
    # CPU once the open data holds a few thousand forms' rows).
    with open(folder / f"{number}.pickle", "rb") as handle, collector_paused():
        loaded: list[CheckedProject] = pickle.load(handle)
    return loaded


def clean_spills(cache: Path) -> None:
    """Remove the spill folders of builds no longer running (a build killed before its end):
    a folder is named after the process that made it, and one of this process belongs to a
    report still in use (the preview keeps the last one)."""
    root = cache / FOLDER
    if not root.is_dir():
        return
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class FormKey:
    """What the build keeps in memory of a checked form: where it is spilled (`batch`,
    `offset`), its file and located findings (the report and the held-back forms read them),
    and (year, id, department code) when it was read: what the checks across forms compare
    and the outputs sort by."""

    batch: int
    offset: int
    file: Path
    located: list[LocatedFinding]
    ids: tuple[int, str, str] | None
    scored: bool  # read and scored: it has a page, when published

    @staticmethod
    def of(checked: CheckedProject, batch: int, offset: int) -> FormKey:
        """The key of a form spilled at (`batch`, `offset`)."""
        project = checked.project
        ids = None if project is None else (project.year, project.id, project.department.code)
        scored = project is not None and checked.score is not None
        return FormKey(batch, offset, checked.file, checked.located, ids, scored)


class ReadBack(Sequence[_Item], Generic[_Source, _Item]):
    """A sequence of `_item(source)` for each of `sources`, made when indexed or iterated
    (nothing held): the shape of every sequence of forms read back from the spill store."""

    def __init__(self, sources: Sequence[_Source]) -> None:
        self.sources = sources

    def _item(self, source: _Source) -> _Item:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.sources)

    @overload
    def __getitem__(self, index: int) -> _Item: ...

    @overload
    def __getitem__(self, index: slice) -> list[_Item]: ...

    def __getitem__(self, index: int | slice) -> _Item | list[_Item]:
        if isinstance(index, slice):
            return [self._item(source) for source in self.sources[index]]
        return self._item(self.sources[index])

    def __iter__(self) -> Iterator[_Item]:
        for source in self.sources:
            yield self._item(source)


class SpilledForms(ReadBack[FormKey, CheckedProject]):
    """The checked forms of `keys`, in that order, read back from `store` a batch at a time
    (the last `KEPT` batches read are kept: going through them in order, or in an order that
    goes back and forth between neighbouring batches, reads each batch once)."""

    KEPT = 4

    def __init__(self, store: SpillStore, keys: list[FormKey]) -> None:
        super().__init__(keys)
        self.store = store
        self.keys = keys
        self._batches: dict[int, list[CheckedProject]] = {}

    def _item(self, key: FormKey) -> CheckedProject:
        items = self._batches.get(key.batch)
        if items is None:
            while len(self._batches) >= self.KEPT:
                del self._batches[next(iter(self._batches))]  # the batch read first
            items = self._batches[key.batch] = self.store.load(key.batch)
        return items[key.offset]

    def forget(self) -> None:
        """Drop the batches kept."""
        self._batches = {}

    def located(self) -> Iterable[list[LocatedFinding]]:
        """Each form's located findings, in order, from memory (nothing read back)."""
        return (key.located for key in self.keys)

    def subset(self, keys: list[FormKey]) -> SpilledForms:
        """These forms of the same store, in this order."""
        return SpilledForms(self.store, keys)
