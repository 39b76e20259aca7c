"""What changed in `content/` between two revisions: projects added, changed, removed.

A project is who its file says it is, (year, id), not where the file lies: a file moved to
another folder is the same project, and a file whose id changed is one project removed and
another added. "Changed" means the data changed, compared on the parsed forms, so re-indenting a
file or editing its comments changes nothing. A new scoring policy in `site.yaml` changes the
computed score of every project, and every project is reported with it.

Git is reached through `run_git` only; everything else works on blob ids and bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ..config import ScoringPolicy, SiteConfig
from ..form.load import SITE_FILE, LoadedProject, locate, validate_model
from ..form.model import Project
from ..form.source import load_text
from ..rules.check import CheckedProject, project_record
from ..rules.findings import display_width
from ..rules.reconcile import reconcile
from ..rules.score import score_project
from ..rules.validate import validate_project

GIT_TIMEOUT_SECONDS = 120
ChangeKind = Literal["added", "changed", "removed", "moved"]
# The parts of a form that can change, in the order of the form; `id` and `year` are who the
# project is, so a different value there is a different project.
DATA_PARTS: tuple[str, ...] = tuple(
    name for name in Project.model_fields if name not in ("id", "year")
)
POLICY_PART = "policy"  # content/site.yaml's scoring policy
COMPUTED_PART = "computed"  # execution rate, scores and grade computed by the rules
FINDINGS_PART = "findings"  # what the checker reports about the form
PART_TITLES: dict[str, str] = {
    **{name: Project.model_fields[name].title or name for name in DATA_PARTS},
    POLICY_PART: "评分规则",
    COMPUTED_PART: "计算得分",
    FINDINGS_PART: "复核问题",
}


class GitError(Exception):
    """Git is missing, the folder is not in a repository, or a revision does not exist."""


# ---------------------------------------------------------------------------------------------
# Git access


def run_git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run one git command in `repo` and return its output; every failure is a GitError."""
    env = os.environ | {"GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C"}
    try:
        completed = subprocess.run(
            ["git", "-C", str(repo), *args],
            input=stdin,
            capture_output=True,
            env=env,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT_SECONDS}s") from error
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        message = lines[-1].removeprefix("fatal: ") if lines else f"git {args[0]} failed"
        raise GitError(message)
    return completed.stdout


@dataclass(frozen=True)
class ContentTree:
    """`content/` at one revision, as blob ids: site.yaml and every project file."""

    site: str | None
    projects: Mapping[str, str]  # path from the repository root -> blob id


EMPTY_TREE = ContentTree(None, {})


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer date, ISO 8601 with offset (RFC 3339, as Atom wants)
    parents: tuple[str, ...]


class Repository:
    """The git repository holding a content folder."""

    def __init__(self, content: Path) -> None:
        content = content.resolve()
        if not content.is_dir():
            raise GitError(f"{content} is not a folder")
        try:
            self.root = Path(run_git(content, "rev-parse", "--show-toplevel").decode().strip())
        except GitError as error:
            if "not a git repository" in str(error):
                raise GitError(f"{content} is not in a git repository") from error
            raise
        # Resolved on both sides so that a symlinked temp folder or checkout still matches.
        try:
            self.prefix = content.relative_to(self.root.resolve()).as_posix()
        except ValueError as error:
            raise GitError(f"{content} is outside the repository at {self.root}") from error
        self.content = content
        self._on_disk: dict[str, bytes] = {}  # working-tree files, by blob id

    def _pathspec(self) -> list[str]:
        return [] if self.prefix == "." else ["--", self.prefix]

    def site_path(self) -> str:
        return str(PurePosixPath(self.prefix) / SITE_FILE)

    def commit(self, revision: str) -> Commit:
        if revision.startswith("-"):
            raise GitError(f"not a revision: {revision!r}")
        try:
            sha = run_git(self.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        except GitError as error:
            raise GitError(f"unknown revision {revision!r}") from error
        return self._commits("-1", sha.decode().strip())[0]

    def log(self) -> list[Commit]:
        """Commits that touched the content folder, newest first, along the first parents: a
        merge counts as one change, made when it was merged."""
        try:
            return self._commits("--first-parent", "HEAD", *self._pathspec())
        except GitError:
            if self._has_commits():
                raise
            return []  # a repository without commits has no history to walk

    def _has_commits(self) -> bool:
        try:
            run_git(self.root, "rev-parse", "--verify", "--quiet", "HEAD")
        except GitError:
            return False
        return True

    def _commits(self, *args: str) -> list[Commit]:
        output = run_git(self.root, "log", "--format=%H %cI %P", *args).decode()
        commits = []
        for line in output.splitlines():
            sha, date, *parents = line.split()
            commits.append(Commit(sha, date, tuple(parents)))
        return commits

    def tree(self, commit: str) -> ContentTree:
        output = run_git(self.root, "ls-tree", "-r", "-z", "--full-name", commit, *self._pathspec())
        entries = {}
        for entry in output.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.decode("utf-8", "surrogateescape").partition("\t")
            mode, kind, sha = meta.split()
            if kind == "blob" and mode != "120000":  # symlinks are not content
                entries[path] = sha
        return _content_tree(entries, self.site_path())

    def working_tree(self) -> ContentTree:
        """The files on disk, committed or not. Their ids are git blob ids (SHA-1), so a file
        that matches the revision it is compared with is recognised without reading it."""
        entries = {}
        for path in sorted(self.content.rglob("*.yaml")):
            if not path.is_file() or path.is_symlink():
                continue
            data = path.read_bytes()
            sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
            self._on_disk[sha] = data
            entries[path.resolve().relative_to(self.root.resolve()).as_posix()] = sha
        return _content_tree(entries, self.site_path())

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(shas))
        found = {sha: self._on_disk[sha] for sha in wanted if sha in self._on_disk}
        from_git = [sha for sha in wanted if sha not in found]
        if from_git:
            request = "\n".join(from_git).encode() + b"\n"
            found.update(_parse_batch(run_git(self.root, "cat-file", "--batch", stdin=request)))
        return found


def _parse_batch(output: bytes) -> dict[str, bytes]:
    """`git cat-file --batch` output: `<sha> <type> <size>\\n<bytes>\\n` per object."""
    blobs, position = {}, 0
    while position < len(output):
        end = output.index(b"\n", position)
        header = output[position:end].decode().split()
        position = end + 1
        if len(header) != 3:  # `<sha> missing`
            continue
        size = int(header[2])
        blobs[header[0]] = output[position : position + size]
        position += size + 1
    return blobs


def _content_tree(entries: Mapping[str, str], site_path: str) -> ContentTree:
    site = entries.get(site_path)
    projects = {
        path: sha
        for path, sha in entries.items()
        if path.endswith(".yaml") and PurePosixPath(path).name != SITE_FILE
    }
    return ContentTree(site, projects)


# ---------------------------------------------------------------------------------------------
# One project file, understood


@dataclass(frozen=True)
class ProjectState:
    """What a project file says and what the rules make of it, in comparable form."""

    file: str
    year: int | None
    id: str | None
    name: str | None
    unit: str | None
    valid: bool
    parts: Mapping[str, Any]  # data part -> value (from the model when valid)
    raw_parts: Mapping[str, Any]  # data part -> value as read, for files that are not valid
    computed: Any = None
    findings: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def known(self) -> bool:
        return self.year is not None and self.id is not None


def read_policy(site_yaml: bytes | None) -> ScoringPolicy:
    """The scoring policy in site.yaml; the national rules when it is missing or unreadable,
    which is what `jixiao check` scores with then."""
    if site_yaml is None:
        return ScoringPolicy()
    source = load_text(site_yaml.decode("utf-8-sig", "replace"), Path(SITE_FILE))
    config, _ = validate_model(source, SiteConfig)
    return config.scoring if config is not None else ScoringPolicy()


def project_state(file: str, data: bytes, policy: ScoringPolicy) -> ProjectState:
    """Load, validate, score and reconcile one file given as bytes (as `check_file` does with a
    file on disk), and keep what a reader of the site would see change."""
    source = load_text(data.decode("utf-8-sig", "replace"), Path(file))
    project, findings = validate_model(source, Project)
    raw = source.data if isinstance(source.data, dict) else {}
    raw_parts = {name: _comparable(raw.get(name)) for name in DATA_PARTS}
    if project is None:
        year, id_ = raw.get("year"), raw.get("id")
        return ProjectState(
            file=file,
            year=year if isinstance(year, int) and not isinstance(year, bool) else None,
            id=id_ if isinstance(id_, str) else None,
            name=_text(raw.get("name")),
            unit=_text(raw.get("unit")),
            valid=False,
            parts=raw_parts,
            raw_parts=raw_parts,
            findings=_finding_keys(findings),
        )
    findings.extend(validate_project(project, policy))
    score = score_project(project, policy)
    findings.extend(reconcile(project, score, policy))
    loaded = LoadedProject(source, project, findings)
    record = project_record(CheckedProject(loaded, score, [locate(source, f) for f in findings]))
    return ProjectState(
        file=file,
        year=project.year,
        id=project.id,
        name=project.name,
        unit=project.unit,
        valid=True,
        parts={name: _comparable(getattr(project, name)) for name in DATA_PARTS},
        raw_parts=raw_parts,
        computed=record["computed"],
        findings=_finding_keys(findings),
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _finding_keys(findings: Iterable[Any]) -> tuple[tuple[str, str, str, str], ...]:
    # Line numbers are left out: a finding that moved down a line is the same finding.
    return tuple(sorted((str(f.severity), f.code, f.field, f.message) for f in findings))


def _comparable(value: Any) -> Any:
    """Plain data where equal means "says the same": models dumped, text stripped, numbers
    exact (100 and 100.00 are the same amount)."""
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return {str(key): _comparable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_comparable(item) for item in value]
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    return value


# ---------------------------------------------------------------------------------------------
# Comparing


@dataclass(frozen=True)
class Change:
    """One project added, changed, removed, or moved to another file with its data unchanged."""

    kind: ChangeKind
    year: int | None
    id: str | None
    name: str | None
    unit: str | None
    file: str  # where the project is now (where it was, when removed)
    old_file: str | None = None  # where it was, when it moved
    fields: tuple[str, ...] = ()  # for "changed": the parts that differ, see PART_TITLES
    date: str | None = None  # committer date of the revision that made the change
    commit: str | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.year or 0, self.id or f"file:{self.file}")

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "year": self.year,
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "file": self.file,
            "old_file": self.old_file,
            "fields": list(self.fields),
            "date": self.date,
            "commit": self.commit,
        }


@dataclass(frozen=True)
class ChangeSet:
    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    moved: tuple[Change, ...] = ()
    policy_changed: bool = False

    def projects(self) -> list[Change]:
        """Every project whose page changes: added, changed and removed, not the moved ones."""
        return sorted([*self.added, *self.changed, *self.removed], key=lambda c: c.key)

    def with_commit(self, commit: Commit | None) -> ChangeSet:
        if commit is None:
            return self

        def stamp(changes: tuple[Change, ...]) -> tuple[Change, ...]:
            return tuple(
                dataclasses.replace(c, date=commit.date, commit=commit.sha) for c in changes
            )

        return dataclasses.replace(
            self,
            added=stamp(self.added),
            changed=stamp(self.changed),
            removed=stamp(self.removed),
            moved=stamp(self.moved),
        )


def changed_parts(old: ProjectState, new: ProjectState, policy_changed: bool) -> tuple[str, ...]:
    """The parts of a project that differ between two states of it, in the form's order."""
    # Two valid forms compare as models (defaults filled in); otherwise compare what was read.
    if old.valid and new.valid:
        before, after = old.parts, new.parts
    else:
        before, after = old.raw_parts, new.raw_parts
    parts = [name for name in DATA_PARTS if before.get(name) != after.get(name)]
    if policy_changed:
        parts.append(POLICY_PART)
    if old.computed != new.computed:
        parts.append(COMPUTED_PART)
    if old.findings != new.findings:
        parts.append(FINDINGS_PART)
    return tuple(parts)


def compare_states(
    old: Iterable[ProjectState], new: Iterable[ProjectState], policy_changed: bool = False
) -> ChangeSet:
    """Match projects by (year, id) and say what happened to each."""
    before, after = _by_identity(old), _by_identity(new)
    added, changed, removed, moved = [], [], [], []
    for key, state in after.items():
        previous = before.get(key)
        if previous is None:
            added.append(_change("added", state))
            continue
        parts = changed_parts(previous, state, policy_changed)
        old_file = previous.file if previous.file != state.file else None
        if parts:
            changed.append(_change("changed", state, old_file, parts))
        elif old_file:
            moved.append(_change("moved", state, old_file))
    removed = [_change("removed", state) for key, state in before.items() if key not in after]
    order = lambda change: change.key  # noqa: E731
    return ChangeSet(
        added=tuple(sorted(added, key=order)),
        changed=tuple(sorted(changed, key=order)),
        removed=tuple(sorted(removed, key=order)),
        moved=tuple(sorted(moved, key=order)),
        policy_changed=policy_changed,
    )


def _by_identity(states: Iterable[ProjectState]) -> dict[tuple[Any, ...], ProjectState]:
    found: dict[tuple[Any, ...], ProjectState] = {}
    for state in sorted(states, key=lambda s: s.file):
        key: tuple[Any, ...] = (state.year, state.id) if state.known else ("file", state.file)
        if key in found:  # a duplicate id (an error `jixiao check` reports): keep both apart
            key = ("file", state.file)
        found[key] = state
    return found


def _change(
    kind: ChangeKind,
    state: ProjectState,
    old_file: str | None = None,
    fields: tuple[str, ...] = (),
) -> Change:
    return Change(kind, state.year, state.id, state.name, state.unit, state.file, old_file, fields)


@dataclass
class StateCache:
    """Parsed and scored files by (blob id, policy): walking history reads each version once."""

    states: dict[tuple[str, str], ProjectState] = field(default_factory=dict)

    def state(self, sha: str, file: str, data: bytes, policy: ScoringPolicy) -> ProjectState:
        key = (sha, policy.model_dump_json())
        cached = self.states.get(key)
        if cached is None:
            cached = self.states[key] = project_state(file, data, policy)
        return cached if cached.file == file else dataclasses.replace(cached, file=file)


def compare_trees(
    old: ContentTree,
    new: ContentTree,
    read_blobs: Callable[[Iterable[str]], Mapping[str, bytes]],
    cache: StateCache | None = None,
) -> ChangeSet:
    """Compare two revisions of content/, reading only the files that can have changed."""
    cache = cache or StateCache()
    sites = read_blobs([sha for sha in (old.site, new.site) if sha is not None])
    old_policy = read_policy(sites.get(old.site) if old.site else None)
    new_policy = read_policy(sites.get(new.site) if new.site else None)
    policy_changed = old_policy != new_policy
    if policy_changed:  # every score may move: every file is needed
        old_files, new_files = dict(old.projects), dict(new.projects)
    else:  # a file with the same content at the same place says the same as before
        old_files = {p: s for p, s in old.projects.items() if new.projects.get(p) != s}
        new_files = {p: s for p, s in new.projects.items() if old.projects.get(p) != s}
    blobs = read_blobs([*old_files.values(), *new_files.values()])
    old_states = [cache.state(s, p, blobs[s], old_policy) for p, s in old_files.items()]
    new_states = [cache.state(s, p, blobs[s], new_policy) for p, s in new_files.items()]
    return compare_states(old_states, new_states, policy_changed)


# ---------------------------------------------------------------------------------------------
# Entry points


@dataclass(frozen=True)
class Comparison:
    """`jixiao changes OLD NEW`: the change set and the revisions it lies between."""

    content: str
    old: str
    old_commit: Commit
    new: str | None  # None: the working tree
    new_commit: Commit | None
    changes: ChangeSet


def compare_revisions(content: Path, old: str, new: str | None = None) -> Comparison:
    """Compare content/ at revision `old` with revision `new`, or with the files on disk."""
    repository = Repository(content)
    old_commit = repository.commit(old)
    new_commit = repository.commit(new) if new is not None else None
    old_tree = repository.tree(old_commit.sha)
    new_tree = repository.tree(new_commit.sha) if new_commit else repository.working_tree()
    changes = compare_trees(old_tree, new_tree, repository.read_blobs)
    return Comparison(
        content=repository.prefix,
        old=old,
        old_commit=old_commit,
        new=new,
        new_commit=new_commit,
        changes=changes.with_commit(new_commit),
    )


def recent_changes(
    repo_root: Path, content_dir: Path | str = "content", limit: int | None = 20
) -> list[Change]:
    """The latest change of each project, newest first, walking the history of content/.

    Each project appears once, with the commit (and its date) that last added, changed or
    removed it; a policy change counts as a change of every project. An empty list outside a
    git repository, without git, or before the first commit.
    """
    content = Path(content_dir)
    if not content.is_absolute():
        content = Path(repo_root) / content
    try:
        repository = Repository(content)
        commits = repository.log()
        latest: dict[tuple[int, str], Change] = {}
        cache = StateCache()
        # In a linear history each commit's parent is the next commit walked: read it once.
        parent_sha, parent_tree = "", EMPTY_TREE
        for commit in commits:
            new_tree = parent_tree if commit.sha == parent_sha else repository.tree(commit.sha)
            parent_sha = commit.parents[0] if commit.parents else ""
            parent_tree = repository.tree(parent_sha) if parent_sha else EMPTY_TREE
            changes = compare_trees(parent_tree, new_tree, repository.read_blobs, cache)
            for change in changes.with_commit(commit).projects():
                latest.setdefault(change.key, change)
            if limit is not None and len(latest) >= limit:
                break
    except GitError:
        return []
    found = list(latest.values())  # in the order met: newest commit first
    return found[:limit] if limit is not None else found


# ---------------------------------------------------------------------------------------------
# Output


def changes_document(comparison: Comparison) -> dict[str, Any]:
    """`jixiao changes --json`. Fields may be added to this shape, none renamed or removed."""
    changes = comparison.changes
    return {
        "version": 1,
        "content": comparison.content,
        "old": comparison.old,
        "old_commit": comparison.old_commit.sha,
        "new": comparison.new,
        "new_commit": comparison.new_commit.sha if comparison.new_commit else None,
        "date": comparison.new_commit.date if comparison.new_commit else None,
        "policy_changed": changes.policy_changed,
        "added": [c.as_json() for c in changes.added],
        "changed": [c.as_json() for c in changes.changed],
        "removed": [c.as_json() for c in changes.removed],
        "moved": [c.as_json() for c in changes.moved],
    }


def format_changes(comparison: Comparison) -> str:
    """The plain-text report: one line per project, columns aligned for Chinese text."""
    changes = comparison.changes
    old = f"{comparison.old} ({comparison.old_commit.sha[:10]})"
    if comparison.new_commit is None:
        new = "the working tree"
    else:
        new = f"{comparison.new} ({comparison.new_commit.sha[:10]}, {comparison.new_commit.date})"
    lines = [f"changes in {comparison.content}/ from {old} to {new}"]
    if changes.policy_changed:
        lines.append(
            f"评分规则 changed ({comparison.content}/{SITE_FILE} scoring): "
            "every project's computed score is recomputed"
        )
    sections: list[tuple[str, str, tuple[Change, ...]]] = [
        ("added 新增", "+", changes.added),
        ("changed 修改", "~", changes.changed),
        ("removed 删除", "-", changes.removed),
        ("moved, data unchanged 移动", ">", changes.moved),
    ]
    rows = [change for _, _, group in sections for change in group]
    widths = [
        max((display_width(cell) for cell in column), default=0)
        for column in zip(*(_cells(change) for change in rows), strict=False)
    ]
    for title, mark, group in sections:
        if not group:
            continue
        lines.append("")
        lines.append(f"{title} ({len(group)})")
        for change in group:
            cells = _cells(change)
            padded = [
                cell + " " * (width - display_width(cell))
                for cell, width in zip(cells, widths, strict=False)
            ]
            lines.append(f"  {mark} " + "  ".join(padded).rstrip())
            if change.kind == "changed":
                lines.append("      " + ", ".join(f"{PART_TITLES[p]} {p}" for p in change.fields))
            if change.old_file:
                lines.append(f"      {change.old_file} -> {change.file}")
    lines.append("")
    lines.append(
        f"{len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed, {len(changes.moved)} moved"
    )
    return "\n".join(lines)


def _cells(change: Change) -> list[str]:
    return [
        "—" if change.year is None else str(change.year),
        change.id or "—",
        change.name or "—",
        change.unit or "—",
        change.file,
    ]


def print_comparison(content: Path, old: str, new: str | None, as_json: bool) -> int:
    """What `jixiao changes` does: the report on stdout, exit 0; a git problem, exit 2."""
    try:
        comparison = compare_revisions(content, old, new)
    except GitError as error:
        print(f"jixiao changes: {error}", file=sys.stderr)
        return 2
    if as_json:
        import json

        json.dump(changes_document(comparison), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_changes(comparison))
    return 0
