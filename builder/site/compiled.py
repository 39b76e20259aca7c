"""Compiled templates kept in the build's cache between builds (Jinja2's bytecode cache).

A build compiles each template it renders once; an edit renders a page or two, and compiling
the twenty templates the pages use was most of its render stage (0.75 s of 0.9 s at 1,000
forms). Jinja2 keys each compiled template by its name and a checksum of its source, so a
template changed on disk is compiled again; the files are written to a temporary name and
renamed, so a build never reads half of one.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2.bccache import Bucket, FileSystemBytecodeCache

FOLDER = "templates"  # under the build's cache folder


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja2's `FileSystemBytecodeCache` in `<cache>/templates/`, which a build can do
    without: a file that cannot be read or written (a full disk, a folder not writable) is
    compiled again, never an error."""

    def __init__(self, cache: Path) -> None:
        folder = cache / FOLDER
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        super().__init__(os.fspath(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass
