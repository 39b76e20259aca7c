"""The build manifest: hashes of every input, and what the last build kept of each project.

Kept in the cache folder (outside `site/`). When the tool, the templates or `content/site.yaml`
change, the whole site is rebuilt; otherwise only the projects whose files changed are re-read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .export import ProjectData
from .views import ProjectSummary

STAMPS_FILE = "build-files.pickle"
STATE_FILE = "build-state.pickle"
FORMAT = 3
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates"

Stat = tuple[int, int]  # size and mtime in ns


@dataclass(frozen=True)
class FileState:
    digest: str
    summary: ProjectSummary
    data: ProjectData
    stat: Stat = (0, 0)  # when the digest was taken


@dataclass(frozen=True)
class Stamps:
    """The small half of the manifest: each file's hash, size and time. A build with nothing
    changed reads only this; the summaries and table rows are read when something changed."""

    format: int
    content: str
    inputs: str  # digest of everything that affects every page
    generation: str  # ties the two halves together
    files: dict[str, tuple[str, Stat]]  # content-relative path -> (digest, stat)

    def unchanged(self, digests: dict[str, str]) -> bool:
        return digests.keys() == self.files.keys() and all(
            self.files[rel][0] == digest for rel, digest in digests.items()
        )

    def touched(self, stats: dict[str, Stat]) -> bool:
        return any(self.files[rel][1] != stat for rel, stat in stats.items())


@dataclass(frozen=True)
class BuildState:
    inputs: str
    files: dict[str, FileState]  # content-relative path -> its state
    tables: dict[str, str]  # open-data table's site path -> its signature


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def digest_files(
    content: Path, files: list[Path], previous: Stamps | None = None
) -> tuple[dict[str, str], dict[str, Stat]]:
    """content-relative path -> hash of its bytes, and -> (size, mtime). A file whose size and
    time are those of the last build keeps its hash without being read again."""
    digests: dict[str, str] = {}
    stats: dict[str, Stat] = {}
    known = previous.files if previous is not None else {}
    prefix = str(content) + os.sep
    for path in files:
        text = str(path)
        if text.startswith(prefix):  # the usual case, without pathlib's parsing
            relative = text[len(prefix) :].replace(os.sep, "/")
        else:
            relative = path.relative_to(content).as_posix()
        stat = stats[relative] = file_stat(path)
        before = known.get(relative)
        if before is not None and before[1] == stat:
            digests[relative] = before[0]
        else:
            digests[relative] = _hash_bytes(path.read_bytes())
    return digests, stats


def _tree_digest(root: Path, suffixes: tuple[str, ...]) -> list[tuple[str, str]]:
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(suffixes):
                path = Path(folder, name)
                found.append((path.relative_to(root).as_posix(), _hash_bytes(path.read_bytes())))
    return sorted(found)


def global_digest(content: Path, outputs: str = "") -> str:
    """What every output depends on: the tool (version and code), templates, site.yaml, and
    which outputs the build makes."""
    parts: list[tuple[str, str]] = [("version", __version__), ("outputs", outputs)]
    parts += [("builder/" + k, v) for k, v in _tree_digest(PACKAGE, (".py", ".json"))]
    parts += [("templates/" + k, v) for k, v in _tree_digest(TEMPLATES, ("",))]
    site_yaml = content / "site.yaml"
    parts.append(("site.yaml", _hash_bytes(site_yaml.read_bytes()) if site_yaml.exists() else ""))
    return _hash_bytes(repr(parts).encode("utf-8"))


def _load(path: Path) -> object:
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def _dump(path: Path, value: object) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def load_stamps(cache: Path, content: Path, inputs: str) -> Stamps | None:
    """The last build's stamps, if it was made from the same content folder and inputs."""
    stamps = _load(cache / STAMPS_FILE)
    if not isinstance(stamps, Stamps) or stamps.format != FORMAT:
        return None
    if stamps.content != str(content.resolve()) or stamps.inputs != inputs:
        return None
    return stamps


def load_state(cache: Path, stamps: Stamps) -> BuildState | None:
    """The last build's summaries and table rows, with the stamps they were saved with."""
    saved = _load(cache / STATE_FILE)
    if not (isinstance(saved, tuple) and len(saved) == 3 and saved[0] == stamps.generation):
        return None
    kept: dict[str, tuple[ProjectSummary, ProjectData]] = saved[1]
    if kept.keys() != stamps.files.keys():
        return None
    files = {
        rel: FileState(digest, *kept[rel], stat) for rel, (digest, stat) in stamps.files.items()
    }
    return BuildState(stamps.inputs, files, saved[2])


def _write(cache: Path, stamps: Stamps, state: BuildState) -> None:
    """Write both halves: the rows first, then the stamps that make them valid."""
    cache.mkdir(parents=True, exist_ok=True)
    kept = {rel: (item.summary, item.data) for rel, item in state.files.items()}
    _dump(cache / STATE_FILE, (stamps.generation, kept, state.tables))
    _dump(cache / STAMPS_FILE, stamps)


class Manifest:
    """The build manifest of one cache folder.

    `jixiao build` reads it at the start and writes it at the end. A long-running caller (the
    preview server) keeps one in memory between its builds instead (`in_memory`): reading and
    writing ten thousand projects' rows costs most of a second each time. The copy on disk is
    then removed at the first build, so that a crash leaves no stale manifest behind, and
    written again by `save()` when the caller has a quiet moment.
    """

    def __init__(self, cache: Path, in_memory: bool = False) -> None:
        self.cache = cache
        self.in_memory = in_memory
        self._stamps: Stamps | None = None
        self._state: BuildState | None = None
        self._unsaved = False

    def stamps(self, content: Path, inputs: str) -> Stamps | None:
        """The last build's stamps, if it was made from the same content folder and inputs."""
        if self._stamps is None:
            loaded = load_stamps(self.cache, content, inputs)
            if not self.in_memory:
                return loaded
            self._stamps = loaded
        stamps = self._stamps
        if stamps is None or stamps.inputs != inputs or stamps.content != str(content.resolve()):
            return None
        return stamps

    def state(self, stamps: Stamps) -> BuildState | None:
        """The last build's summaries and rows, for the stamps `stamps()` gave."""
        if self.in_memory and self._state is not None and self._stamps is stamps:
            return self._state
        state = load_state(self.cache, stamps)
        if self.in_memory:
            self._state = state
        return state

    def restamp(self, stamps: Stamps, stats: dict[str, Stat]) -> None:
        """Keep the files' current size and time: they were touched, not changed."""
        files = {rel: (d, stats.get(rel, stat)) for rel, (d, stat) in stamps.files.items()}
        restamped = replace(stamps, files=files)
        if not self.in_memory:
            _dump(self.cache / STAMPS_FILE, restamped)
            return
        if self._state is not None and self._stamps is stamps:
            self._state = replace(
                self._state,
                files={
                    rel: replace(item, stat=files[rel][1])
                    for rel, item in self._state.files.items()
                },
            )
        self._stamps = restamped
        self._forget_on_disk()

    def record(
        self,
        content: Path,
        inputs: str,
        files: dict[str, FileState],
        tables: dict[str, str],
    ) -> None:
        """What a finished build made, for the next one."""
        generation = hashlib.sha256(os.urandom(16)).hexdigest()
        stamps = Stamps(
            FORMAT,
            str(content.resolve()),
            inputs,
            generation,
            {rel: (item.digest, item.stat) for rel, item in files.items()},
        )
        state = BuildState(inputs, files, tables)
        if not self.in_memory:
            _write(self.cache, stamps, state)
            return
        self._stamps, self._state = stamps, state
        self._forget_on_disk()

    def current(self) -> BuildState | None:
        """The state kept in memory, if any."""
        return self._state if self.in_memory else None

    def update_tables(self, tables: dict[str, str]) -> None:
        if self._state is not None:
            self._state = replace(self._state, tables=tables)
            self._forget_on_disk()

    def _forget_on_disk(self) -> None:
        if not self._unsaved:
            (self.cache / STAMPS_FILE).unlink(missing_ok=True)
            self._unsaved = True

    def save(self) -> bool:
        """Write the manifest kept in memory; False when there was nothing new to write."""
        if not (self._unsaved and self._stamps is not None and self._state is not None):
            return False
        _write(self.cache, self._stamps, self._state)
        self._unsaved = False
        return True
