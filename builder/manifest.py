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

STATE_FILE = "build-state.pickle"
FORMAT = 2
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates"


@dataclass(frozen=True)
class FileState:
    digest: str
    summary: ProjectSummary
    data: ProjectData
    stat: tuple[int, int] = (0, 0)  # size and mtime in ns when the digest was taken


@dataclass(frozen=True)
class BuildState:
    format: int
    content: str
    inputs: str  # digest of everything that affects every page
    files: dict[str, FileState]  # content-relative path -> its state

    @classmethod
    def create(cls, content: Path, inputs: str, files: dict[str, FileState]) -> BuildState:
        return cls(FORMAT, str(content.resolve()), inputs, files)

    def restamped(self, stats: dict[str, tuple[int, int]]) -> BuildState:
        """The same state, with the files' current size and time (they were touched only)."""
        files = {
            rel: replace(item, stat=stats.get(rel, item.stat)) for rel, item in self.files.items()
        }
        return BuildState(self.format, self.content, self.inputs, files)

    def unchanged(self, digests: dict[str, str]) -> bool:
        return digests.keys() == self.files.keys() and all(
            self.files[rel].digest == digest for rel, digest in digests.items()
        )


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def digest_files(
    content: Path, files: list[Path], previous: BuildState | None = None
) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """content-relative path -> hash of its bytes, and -> (size, mtime). A file whose size and
    time are those of the last build keeps its hash without being read again."""
    root = content.resolve()
    digests: dict[str, str] = {}
    stats: dict[str, tuple[int, int]] = {}
    known = previous.files if previous is not None else {}
    for path in files:
        relative = path.resolve().relative_to(root).as_posix()
        stat = stats[relative] = file_stat(path)
        before = known.get(relative)
        if before is not None and before.stat == stat:
            digests[relative] = before.digest
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


def global_digest(content: Path) -> str:
    """What every output depends on: the tool (version and code), templates, site.yaml."""
    parts: list[tuple[str, str]] = [("version", __version__)]
    parts += [("builder/" + k, v) for k, v in _tree_digest(PACKAGE, (".py", ".json"))]
    parts += [("templates/" + k, v) for k, v in _tree_digest(TEMPLATES, ("",))]
    site_yaml = content / "site.yaml"
    parts.append(("site.yaml", _hash_bytes(site_yaml.read_bytes()) if site_yaml.exists() else ""))
    return _hash_bytes(repr(parts).encode("utf-8"))


def load_state(cache: Path, content: Path, inputs: str) -> BuildState | None:
    """The last build's state, if it was made from the same content folder and inputs."""
    try:
        with open(cache / STATE_FILE, "rb") as handle:
            state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(state, BuildState) or state.format != FORMAT:
        return None
    if state.content != str(content.resolve()) or state.inputs != inputs:
        return None
    return state


def save_state(cache: Path, state: BuildState) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / (STATE_FILE + ".tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, cache / STATE_FILE)
