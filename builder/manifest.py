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
    for path in files:
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


def save_state(
    cache: Path, content: Path, inputs: str, files: dict[str, FileState], tables: dict[str, str]
) -> None:
    """Write both halves: the rows first, then the stamps that make them valid."""
    cache.mkdir(parents=True, exist_ok=True)
    generation = hashlib.sha256(os.urandom(16)).hexdigest()
    _dump(
        cache / STATE_FILE,
        (generation, {rel: (item.summary, item.data) for rel, item in files.items()}, tables),
    )
    stamps = {rel: (item.digest, item.stat) for rel, item in files.items()}
    _dump(
        cache / STAMPS_FILE,
        Stamps(FORMAT, str(content.resolve()), inputs, generation, stamps),
    )


def restamp(cache: Path, stamps: Stamps, stats: dict[str, Stat]) -> None:
    """Save the files' current size and time: they were touched, not changed."""
    files = {rel: (digest, stats.get(rel, stat)) for rel, (digest, stat) in stamps.files.items()}
    _dump(cache / STAMPS_FILE, replace(stamps, files=files))
