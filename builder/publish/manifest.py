"""The build manifest: hashes of every input, and what the last build kept of each project.

Kept in the cache folder (outside `site/`). When the tool or `content/site.yaml` change, the
whole site is rebuilt; when only the templates changed, every form is re-read and every page
rendered again, but the open data keeps what the last build made of the forms unchanged
(`plan.pages_anew`); otherwise only the projects whose files changed are re-read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__
from ..form.entries import EntryError, read_entry
from ..memory import collector_paused
from ..opendata.records import ProjectData
from ..site.views import ProjectSummary
from .kept import Entry, KeptData, StateFiles, read_shard, shard_bytes
from .sitemark import SiteMark

STAMPS_FILE = "build-files.pickle"
STATE_DIR = "build-state"  # one file per unit folder: an edit rewrites one or two
# 5: the stamps name the forms held back; 6: the site's mark (`sitemark`) for its listing, the
# state files as heads and bodies (`kept`). Stamps of another format are no stamps: the build
# after an upgrade is a full one, and its record replaces every state file. 7: the templates'
# digest apart from the tool's (`Stamps.templates`).
FORMAT = 7
PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE.parent / "templates"

Stat = tuple[int, int]  # size and mtime in ns


@dataclass(frozen=True)
class FileState:
    """What the last build kept of one form file: its sha256, summary, open-data rows, and
    its (size, mtime in ns) when hashed."""

    digest: str
    summary: ProjectSummary
    data: ProjectData | KeptData  # a kept one's rows are read from its state file when used
    stat: Stat = (0, 0)  # when the digest was taken


@dataclass(frozen=True)
class Stamps:
    """The small half of the manifest: each file's hash, size and time. A build with nothing
    changed reads only this; the summaries and table rows are read when something changed."""

    format: int
    content: str
    inputs: str  # digest of everything every output depends on, the templates aside
    files: dict[str, tuple[str, Stat]]  # content-relative path -> (digest, stat)
    tables: dict[str, str]  # open-data table's site path -> its signature
    # The mark of the output folder as this build left it (`sitemark.mark_site`; empty when
    # not taken: the preview, whose folder no one edits by hand and whose tables are written
    # after a pause).
    site: SiteMark = ()
    # The forms the build held back (content-relative paths; never in `files`): a build after
    # one that held a form back is never "nothing changed", even when that form is gone and the
    # other files are as they were, since its held-back.json and data page list it.
    held_back: tuple[str, ...] = ()
    # The digest of the templates (`templates_digest`): the pages, the PDFs and the data page
    # depend on them; the open data's records and tables do not.
    templates: str = ""

    def unchanged(self, digests: dict[str, str], templates: str) -> bool:
        """True when `digests` (content-relative path -> sha256) names the same files with the
        same hashes as the last build, `templates` (`templates_digest`) is its templates' and
        that build held no form back."""
        return (
            not self.held_back
            and templates == self.templates
            and digests.keys() == self.files.keys()
            and all(self.files[rel][0] == digest for rel, digest in digests.items())
        )

    def touched(self, stats: dict[str, Stat]) -> bool:
        """True when any file of `stats` (content-relative path -> (size, mtime in ns), every
        one known to the stamps) has another size or time than when last hashed."""
        return any(self.files[rel][1] != stat for rel, stat in stats.items())


@dataclass(frozen=True)
class BuildState:
    """The large half of the manifest: every form file's state, by content-relative path."""

    inputs: str
    files: dict[str, FileState]  # content-relative path -> its state
    tables: dict[str, str]  # open-data table's site path -> its signature
    templates: str = ""  # the digest of the templates it was built with (`Stamps.templates`)


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_stat(path: Path | str) -> tuple[int, int]:
    """(size in bytes, mtime in ns) of a file; (-1, -1) when it cannot be stat'ed (a broken
    link: reading it gives the located error)."""
    try:
        info = os.stat(path)
    except OSError:
        return -1, -1
    return info.st_size, info.st_mtime_ns


def _entry_digest(path: Path) -> str:
    """The hash of a content file's bytes, read under `read_entry`'s rule; for an entry that
    may not be read, the hash of the reason (the check stage reads it again and reports it)."""
    try:
        return _hash_bytes(read_entry(path))
    except EntryError as error:
        return _hash_bytes(f"unreadable: {error}".encode())


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
        stat = stats[relative] = file_stat(text)
        before = known.get(relative)
        if before is not None and before[1] == stat:
            digests[relative] = before[0]
        else:
            digests[relative] = _entry_digest(path)
    return digests, stats


def _tree_digest(root: Path, suffixes: tuple[str, ...]) -> list[tuple[str, str]]:
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(suffixes):
                path = Path(folder, name)
                found.append((path.relative_to(root).as_posix(), _hash_bytes(path.read_bytes())))
    return sorted(found)


def global_digest(content: Path, outputs: str = "", site_yaml: str | None = None) -> str:
    """What every output depends on, the templates aside (`templates_digest`): the tool
    (version and code), site.yaml, and which outputs the build makes. `site_yaml` is the
    sha256 of site.yaml's bytes as the build read them (read once, for its settings and this
    digest alike); None reads it here. A hex sha256."""
    parts: list[tuple[str, str]] = [("version", __version__), ("outputs", outputs)]
    parts += [("builder/" + k, v) for k, v in _tree_digest(PACKAGE, (".py", ".json"))]
    if site_yaml is None:
        path = content / "site.yaml"
        site_yaml = _entry_digest(path) if path.exists() else ""
    parts.append(("site.yaml", site_yaml))
    return _hash_bytes(repr(parts).encode("utf-8"))


def templates_digest(templates: Path = TEMPLATES) -> str:
    """The sha256 (hex) of every file below `templates` (the pages' and the PDFs' templates,
    the static assets), by path and bytes: what the pages, the PDFs and the data page depend
    on beyond `global_digest`, and the open data's records and tables do not."""
    return _hash_bytes(repr(_tree_digest(templates, ("",))).encode("utf-8"))


def _load(path: Path) -> object:
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def _dump(path: Path, value: object) -> None:
    """Write `value` pickled to `path` whole or not at all (a refused write leaves the last
    one)."""
    _dump_pieces(path, [pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)])


def _dump_pieces(path: Path, pieces: list[bytes]) -> None:
    """Write `pieces` to `path`, whole or not at all."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.writelines(pieces)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def load_stamps(cache: Path, content: Path, inputs: str) -> Stamps | None:
    """The last build's stamps, if it was made from the same content folder and inputs."""
    stamps = _load(cache / STAMPS_FILE)
    if not isinstance(stamps, Stamps) or stamps.format != FORMAT:
        return None
    if stamps.content != str(content.resolve()) or stamps.inputs != inputs:
        return None
    return stamps


def _shard(rel: str) -> str:
    """The state file of a content file: one per unit folder (`2023/lps-sbj`)."""
    folder = rel.rsplit("/", 1)[0] if "/" in rel else "."
    return hashlib.sha256(folder.encode("utf-8")).hexdigest()[:20] + ".pickle"


def load_state(cache: Path, stamps: Stamps, lazy: bool = True) -> BuildState | None:
    """The last build's summaries and table rows for the files the stamps name: each kept
    share a `KeptData` that reads its rows from its state file when they are used (`lazy`),
    else read now. Each state file records the hash of every file it describes; a state that
    disagrees with the stamps (a build killed between writing the two) is no state."""
    with collector_paused():  # unpickling ten thousand summaries: nothing to collect
        return _load_state(cache, stamps, lazy)


def _load_state(cache: Path, stamps: Stamps, lazy: bool) -> BuildState | None:
    wanted: dict[str, list[str]] = {}
    for rel in stamps.files:
        wanted.setdefault(_shard(rel), []).append(rel)
    files: dict[str, FileState] = {}
    opened = StateFiles()  # one set of open state files for every kept share
    for name, rels in wanted.items():
        kept = read_shard(cache / STATE_DIR / name, lazy, opened)
        if kept is None:
            return None
        for rel in rels:
            digest, stat = stamps.files[rel]
            item = kept.get(rel)
            if item is None or item[0] != digest:
                return None
            files[rel] = FileState(digest, item[1], item[2], stat)
    return BuildState(stamps.inputs, files, stamps.tables, stamps.templates)


def _write(cache: Path, stamps: Stamps, state: BuildState, shards: set[str] | None) -> None:
    """Write the state files (all, or the `shards` named), then the stamps that make them
    valid. A kept share's rows are copied from the state file they were read from, before it
    is replaced."""
    folder = cache / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    grouped: dict[str, dict[str, Entry]] = {}
    for rel, item in state.files.items():
        grouped.setdefault(_shard(rel), {})[rel] = (item.digest, item.summary, item.data)
    for name in grouped.keys() if shards is None else shards & grouped.keys():
        _dump_pieces(folder / name, shard_bytes(grouped[name]))
    if shards is None:
        for stale in folder.glob("*.pickle"):
            if stale.name not in grouped:
                stale.unlink()
    _dump(cache / STAMPS_FILE, stamps)


def _changed_shards(before: BuildState | None, after: BuildState) -> set[str] | None:
    """The state files that differ between two states; None for all of them."""
    if before is None or before.inputs != after.inputs:
        return None
    changed = {
        _shard(rel)
        for rel, item in after.files.items()
        if rel not in before.files or before.files[rel].digest != item.digest
    }
    changed |= {_shard(rel) for rel in before.files if rel not in after.files}
    return changed


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
        self._loaded: BuildState | None = None  # as read from disk, to write back only changes
        self._dirty: set[str] | None = set()  # state files to write; None for all
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
        # Kept in memory between builds, the rows are read now: the state files are rewritten
        # under them.
        state = load_state(self.cache, stamps, lazy=not self.in_memory)
        self._loaded = state
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
        site: SiteMark = (),
        held_back: tuple[str, ...] = (),
        templates: str = "",
    ) -> None:
        """What a finished build made, for the next one; `site` is the output folder's mark
        as it left it (`sitemark.mark_site`; empty to take none); `held_back` the forms it
        held back (content-relative paths); `templates` the digest of the templates it used
        (`templates_digest`)."""
        stamps = Stamps(
            FORMAT,
            str(content.resolve()),
            inputs,
            {rel: (item.digest, item.stat) for rel, item in files.items()},
            tables,
            site,
            held_back,
            templates,
        )
        state = BuildState(inputs, files, tables, templates)
        if not self.in_memory:
            _write(self.cache, stamps, state, _changed_shards(self._loaded, state))
            return
        changed = _changed_shards(self._state, state)
        self._dirty = None if changed is None or self._dirty is None else self._dirty | changed
        self._stamps, self._state = stamps, state
        self._forget_on_disk()

    def current(self) -> BuildState | None:
        """The state kept in memory, if any."""
        return self._state if self.in_memory else None

    def update_tables(self, tables: dict[str, str]) -> None:
        """Keep the tables' signatures (site path -> digest) written by `refresh_tables`."""
        if self._state is not None and self._stamps is not None:
            self._state = replace(self._state, tables=tables)
            self._stamps = replace(self._stamps, tables=tables)
            self._forget_on_disk()

    def _forget_on_disk(self) -> None:
        if not self._unsaved:
            (self.cache / STAMPS_FILE).unlink(missing_ok=True)
            self._unsaved = True

    def save(self) -> bool:
        """Write the manifest kept in memory; False when there was nothing new to write."""
        if not (self._unsaved and self._stamps is not None and self._state is not None):
            return False
        _write(self.cache, self._stamps, self._state, self._dirty)
        self._dirty = set()
        self._unsaved = False
        return True
