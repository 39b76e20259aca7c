"""发布日期 and 最近更新 of each form, from the history of the repository that holds `content/`.

A form is published by the commit that adds its file and updated by every commit that changes
its bytes, along the first parents (a merge counts once, when it was merged). The day is the
committer's own (`2024-03-02T23:30:00+08:00` is 2 March). A form that git does not know as it
is on disk (content/ outside a repository, git missing, a file not yet committed or changed
since its last commit) has no dates here: the page then says the date of the site's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .git import GitError, Repository, run_git


@dataclass(frozen=True)
class FormDates:
    """When a form was first published and last changed: days, from commits."""

    published: dt.date
    updated: dt.date


Dates = Mapping[str, FormDates]  # content-relative path of a form -> its days


def form_dates(content: Path) -> dict[str, FormDates]:
    """content-relative path (`2023/lps-sbj/x.yaml`) -> its `FormDates`, for every form in
    the history of `content` whose bytes on disk are those of its last commit. A commit that
    changes the scoring policies of site.yaml updates every form then present, as
    `jixiao changes` and the home page's 最近更新 count it. A few git commands whatever the
    number of forms; {} when `content` is not in a git repository, git is missing, the
    repository has no commit or is a shallow clone (its history cut short)."""
    try:
        repository = Repository(content)
        if run_git(repository.root, "rev-parse", "--is-shallow-repository").strip() == b"true":
            return {}  # a shallow clone's oldest commit seems to add every file
        prefix = "" if repository.prefix == "." else repository.prefix + "/"
        log = run_git(
            repository.root,
            *("-c", "core.quotepath=off", "log", "--first-parent", "--no-renames", "--no-abbrev"),
            *("-z", "--format=%x1e%cI", "--raw", "HEAD", "--", prefix or "."),
        )
        history = _walk(log.decode("utf-8", "surrogateescape"))
        policy_day = _policy_changed(repository, history.versions.get(repository.site_path(), []))
        dirty = _uncommitted(repository.root, prefix)
    except GitError:
        return {}
    found: dict[str, FormDates] = {}
    for path, (published, updated) in history.days.items():
        if path.startswith(prefix) and path.endswith(".yaml") and path not in dirty:
            if path == repository.site_path():
                continue
            if policy_day is not None and published < policy_day:
                updated = max(updated, policy_day)
            found[path[len(prefix) :]] = FormDates(published, updated)
    return found


@dataclass(frozen=True)
class _History:
    """What `git log --raw` says of each path: (published, updated) days, and its blob ids
    with their days, newest first."""

    days: dict[str, tuple[dt.date, dt.date]]
    versions: dict[str, list[tuple[str, dt.date]]]


def _walk(log: str) -> _History:
    """`git log -z --format=%x1e%cI --raw --no-abbrev` (newest first) -> each path's day of
    the commit that added the file as it is now and of its last change, and its versions. A
    file deleted and added again is published when it came back."""
    updated: dict[str, dt.date] = {}
    published: dict[str, dt.date] = {}
    versions: dict[str, list[tuple[str, dt.date]]] = {}
    closed: set[str] = set()
    for record in log.split("\x1e")[1:]:
        stamp, _, rest = record.partition("\0")
        day = dt.date.fromisoformat(stamp.strip()[:10])
        fields = rest.lstrip("\n").split("\0")
        for raw, path in zip(fields[0::2], fields[1::2], strict=False):
            if not path or path in closed:
                continue
            meta = raw.split()  # :old-mode new-mode old-sha new-sha status
            if len(meta) < 5 or meta[4].startswith("D"):
                closed.add(path)  # what came before belongs to an earlier file of that name
                continue
            updated.setdefault(path, day)
            published[path] = day  # older each time: the oldest seen, or its addition
            versions.setdefault(path, []).append((meta[3], day))
            if meta[4].startswith("A"):
                closed.add(path)
    days = {path: (published[path], updated[path]) for path in updated}
    return _History(days, versions)


def _policy_changed(repository: Repository, versions: list[tuple[str, dt.date]]) -> dt.date | None:
    """The day of the last commit that changed the scoring policies of site.yaml (`versions`:
    its blob ids and days, newest first); None when no commit after its first changed them."""
    from .changes import read_policy  # reads and validates site.yaml: only when there is one

    blobs = repository.read_blobs(sha for sha, _ in versions)
    policies = [repr(read_policy(blobs.get(sha))) for sha, _ in versions]
    for index in range(len(versions) - 1):
        if policies[index] != policies[index + 1]:
            return versions[index][1]
    return None


def _uncommitted(root: Path, prefix: str) -> set[str]:
    """Paths (from the repository's root) under `prefix` that differ from HEAD: changed,
    staged, untracked or deleted."""
    output = run_git(
        root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", prefix or "."
    )
    paths: set[str] = set()
    entries = output.decode("utf-8", "surrogateescape").split("\0")
    skip = False
    for entry in entries:
        if skip:  # the source of a rename
            skip = False
            continue
        if len(entry) > 3:
            paths.add(entry[3:])
            skip = entry[0] in "RC"
    return paths
