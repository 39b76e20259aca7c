"""The sha256 of every file under a folder, and of the whole listing: to show that a change to
the build leaves its output byte for byte the same.

    python bench/tree_digest.py SITE                 # one digest of the tree
    python bench/tree_digest.py SITE --list > a.txt  # a digest per file, to diff two trees
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path


def tree_digests(root: Path) -> list[tuple[str, str]]:
    """(site path with `/`, sha256 hex of the bytes) of every regular file under `root`,
    sorted by path; symbolic links and folders are not listed."""
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            found.append(
                (path.relative_to(root).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
            )
    return sorted(found)


def tree_digest(root: Path) -> str:
    """One sha256 hex of `tree_digests(root)`: equal for two trees of the same paths and bytes."""
    listing = "".join(f"{digest}  {path}\n" for path, digest in tree_digests(root))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--list", action="store_true", help="print a digest per file")
    args = parser.parse_args(argv)
    if args.list:
        sys.stdout.writelines(f"{d}  {p}\n" for p, d in tree_digests(args.root))
    else:
        print(tree_digest(args.root), sum(1 for _ in tree_digests(args.root)), "files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
