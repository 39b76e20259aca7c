"""The bundled example site, built once per test session and shared by the tests that read it.

The `example_site` fixture (tests/conftest.py) builds content/ as `jixiao build` does, with
PDFs and the search index. Tests only read it. Its cache holds the CJK font subset that every
build of the bundled site.yaml needs (a second or so of work per cold build): a test about
something else than fonts can start its PDF cache with it, `link_example_fonts`. The links are
safe to share: a build replaces a cache or output file, it never writes through one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from builder.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
FAMILIES_CONTENT = ROOT / "docs" / "examples" / "families"


def build_example_site(workdir: Path, content: Path = ROOT / "content") -> Path:
    """Build `content` (content/ unless told) into workdir/site, its cache in workdir/cache;
    returns the site folder."""
    site = workdir / "site"
    build(BuildOptions(content=content, site=site, cache=workdir / "cache"))
    return site


def link_example_fonts(example_site: Path, pdf_cache: Path) -> None:
    """Start the PDF cache folder `pdf_cache` (a build's `cache/pdf`) with the example build's
    subset fonts, hard-linked: the build then finds them as a warm cache would."""
    fonts = example_site.parent / "cache" / "pdf" / "fonts"
    shutil.copytree(fonts, pdf_cache / "fonts", copy_function=os.link, dirs_exist_ok=True)
