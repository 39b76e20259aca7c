"""The git repository that holds `content/`: its commits, its trees and its files, as blob ids.

Git is reached through `run_git` only, with the real `git` command; every failure is a
`GitError`. Everything above this module works on blob ids and bytes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import SetupError
from ..form.load import SITE_FILE

GIT_TIMEOUT_SECONDS = 120


class GitError(SetupError):
    """Git is missing, the folder is not in a repository, or a revision does not exist.

    `jixiao changes` exits 2 on it (docs/publishing.md), not 1 like other setup problems.
    """

    exit_status = 2


def run_git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run `git -C repo ARGS...` (with `stdin` as its input) and return its standard output.

    Raises GitError when git is missing, takes over GIT_TIMEOUT_SECONDS (seconds) or exits
    non-zero (with git's last line of complaint as the message).
    """
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
        raise GitError("没有安装 git / git is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise GitError(
            f"git {args[0]} 超过 {GIT_TIMEOUT_SECONDS} 秒未完成 / "
            f"git {args[0]} took longer than {GIT_TIMEOUT_SECONDS}s"
        ) from error
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
    """One commit: its full id, its committer date and its parents' ids."""

    sha: str
    date: str  # committer date, ISO 8601 with offset (RFC 3339, as Atom wants)
    parents: tuple[str, ...]


class Repository:
    """The git repository holding a content folder.

    `root` is the repository's top folder, `prefix` the content folder's path in it (posix, "."
    for the top). Raises GitError when `content` is not a folder inside a git repository.
    """

    def __init__(self, content: Path) -> None:
        content = content.resolve()
        if not content.is_dir():
            raise GitError(f"{content} 不是文件夹 / {content} is not a folder")
        try:
            self.root = Path(run_git(content, "rev-parse", "--show-toplevel").decode().strip())
        except GitError as error:
            if "not a git repository" in str(error):
                raise GitError(
                    f"{content} 不在 git 仓库中 / {content} is not in a git repository"
                ) from error
            raise
        # Resolved on both sides so that a symlinked temp folder or checkout still matches.
        try:
            self.prefix = content.relative_to(self.root.resolve()).as_posix()
        except ValueError as error:
            raise GitError(
                f"{content} 在 {self.root} 的仓库之外 / "
                f"{content} is outside the repository at {self.root}"
            ) from error
        self.content = content
        self._on_disk: dict[str, bytes] = {}  # working-tree files, by blob id

    def _pathspec(self) -> list[str]:
        return [] if self.prefix == "." else ["--", self.prefix]

    def site_path(self) -> str:
        """The path of `site.yaml` from the repository's root."""
        return str(PurePosixPath(self.prefix) / SITE_FILE)

    def commit(self, revision: str) -> Commit:
        """The commit `revision` names (a sha, branch, tag, `HEAD~1`); GitError if none."""
        if revision.startswith("-"):
            raise GitError(f"不是一个版本:“{revision}” / not a revision: {revision!r}")
        try:
            sha = run_git(self.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        except GitError as error:
            raise GitError(f"未知的版本“{revision}” / unknown revision {revision!r}") from error
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
        """The content folder at `commit` (a full sha): site.yaml and project files, not links."""
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
        """The bytes of the blobs `shas`, by id: from the working tree when read there, from
        git otherwise (one `cat-file --batch`). Ids git does not have are left out."""
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
