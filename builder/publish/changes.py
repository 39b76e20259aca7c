"""What changed in `content/` between two revisions: projects added, changed, removed.

A project is who its file says it is, (year, id), not where the file lies: a file moved to
another folder is the same project, and a file whose id changed is one project removed and
another added. "Changed" means the data changed, compared on the parsed forms, so re-indenting a
file or editing its comments changes nothing. A new scoring policy in `site.yaml` changes the
computed score of every project, and every project is reported with it.

Git is reached through `git.py`; this module compares what the files say, and
`changes_report.py` writes the result for people and for programs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..config import ScoringPolicy, SiteConfig
from ..form.load import SITE_FILE, read_project, validate_model
from ..form.model import Project
from ..form.source import load_text
from ..rules.check import check_loaded, project_record
from ..rules.policies import SitePolicies
from .git import EMPTY_TREE, Commit, ContentTree, GitError, Repository

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
        """True when the file says who the project is: a year and an id."""
        return self.year is not None and self.id is not None


def read_policy(site_yaml: bytes | None) -> SitePolicies:
    """The scoring policies in site.yaml (`scoring:` and `policies:`); the national rules when
    it is missing or unreadable, which is what `jixiao check` scores with then."""
    if site_yaml is None:
        return SitePolicies.of_config(None)
    source = load_text(site_yaml.decode("utf-8-sig", "replace"), Path(SITE_FILE))
    config, _ = validate_model(source, SiteConfig)
    return SitePolicies.of_config(config)


def project_state(file: str, data: bytes, policy: ScoringPolicy | SitePolicies) -> ProjectState:
    """One file given as bytes (UTF-8; `file` its path from the repository's root), checked as
    `jixiao check` checks a file on disk, keeping what a reader of the site would see change."""
    source = load_text(data.decode("utf-8-sig", "replace"), Path(file))
    checked = check_loaded(read_project(source), policy)
    project, findings = checked.project, checked.loaded.findings
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
    return ProjectState(
        file=file,
        year=project.year,
        id=project.id,
        name=project.name,
        unit=project.unit,
        valid=True,
        parts={name: _comparable(getattr(project, name)) for name in DATA_PARTS},
        raw_parts=raw_parts,
        computed=project_record(checked)["computed"],
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
        """(year, id) to sort by; (0, "file:PATH") for a file that does not say."""
        return (self.year or 0, self.id or f"file:{self.file}")

    def as_json(self) -> dict[str, Any]:
        """One entry of `jixiao changes --json`; every field, always the same keys."""
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
    """What happened between two states of content/, each kind sorted by (year, id), and
    whether the scoring policy changed (then every project present on both sides changed)."""

    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    moved: tuple[Change, ...] = ()
    policy_changed: bool = False

    def projects(self) -> list[Change]:
        """Every project whose page changes: added, changed and removed, not the moved ones."""
        return sorted([*self.added, *self.changed, *self.removed], key=lambda c: c.key)

    def with_commit(self, commit: Commit | None) -> ChangeSet:
        """Every change dated and attributed to `commit` (unchanged when None: the files on
        disk have no commit)."""
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

    def state(self, sha: str, file: str, data: bytes, policy: SitePolicies) -> ProjectState:
        """`project_state` of the blob `sha` (its bytes `data`) at path `file`, read once per
        site policies."""
        key = (sha, repr(policy))
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


def latest_by_project(content: Path, limit: int) -> dict[tuple[int, str], tuple[str, str]]:
    """(year, id) -> (kind, date) of the latest change of each of the `limit` projects changed
    last in the repository's history of `content` (removed ones left out)."""
    return {
        change.key: (str(change.kind), change.date)
        for change in recent_changes(content.resolve(), content.resolve(), limit=limit)
        if change.year is not None
        and change.id is not None
        and change.date
        and change.kind != "removed"
    }
