"""The date of the data: the day the content as built was last changed, when git can say it.

The pages say 数据截至 (the data as of) a day, the feed and the sitemap give the time of the
data: that day has to be one the data itself gives, never made up. Where `content/` is in a git
repository and its forms are on disk as committed, the data is as of the last commit that
changed the content folder (its committer's own day: `2024-03-02T23:30:00+08:00` is 2 March).
Otherwise git cannot say it, and the site falls back on the forms' own dates
(`site.render.build_date`): the latest 填报日期, or no date at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .git import GitError, Repository, run_git


def committed_on(content: Path) -> dt.date | None:
    """The day of the last commit (along the first parents: a merge counts when it was made)
    that changed the folder `content`, when every form and site.yaml in it is as committed.
    None when `content` is not in a git repository, git is missing, no commit touched it,
    a `.yaml` file in it is changed, staged, new, deleted or ignored since that commit, or
    the commit is the cut-off end of a shallow clone (which seems to add every file, so its
    day is not the day the data changed)."""
    try:
        repository = Repository(content)
        spec = ["--", repository.prefix]
        status = run_git(
            repository.root,
            *("-c", "core.quotepath=off", "status", "--porcelain=v1", "-z"),
            *("--untracked-files=all", "--ignored=matching", *spec),
        )
        if any(
            entry[3:].endswith(".yaml")
            for entry in status.decode("utf-8", "surrogateescape").split("\0")
            if len(entry) > 3
        ):
            return None  # what is on disk is not what was committed
        line = run_git(
            repository.root, "log", "-1", "--first-parent", "--format=%H %cI", "HEAD", *spec
        )
    except GitError:
        return None
    fields = line.decode().split()
    if len(fields) != 2 or fields[0] in _shallow_ends(repository):
        return None
    return dt.date.fromisoformat(fields[1][:10])


def _shallow_ends(repository: Repository) -> set[str]:
    """The commits where a shallow clone's history is cut off ({} in a full clone)."""
    path = run_git(repository.root, "rev-parse", "--git-path", "shallow").decode().strip()
    shallow = Path(path) if Path(path).is_absolute() else repository.root / path
    try:
        return set(shallow.read_text(encoding="ascii").split())
    except OSError:
        return set()
