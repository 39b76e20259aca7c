"""The bundled example site, built once per test session and shared by every test that reads it."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from builder.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def example_site() -> Path:
    """Build content/ into a temporary folder (removed at interpreter exit) and return it."""
    workdir = Path(tempfile.mkdtemp(prefix="jixiao-example-"))
    import atexit

    atexit.register(shutil.rmtree, workdir, True)
    site = workdir / "site"
    build(BuildOptions(content=ROOT / "content", site=site, cache=workdir / "cache"))
    return site
