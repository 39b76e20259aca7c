"""What `jixiao build` is asked (`BuildOptions`) and what it answers (`BuildReport`, or
`BuildFailed` when nothing could be published). `builder.build` runs the stages."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from .errors import ContentError
from .publish.manifest import Manifest
from .rules.check import CheckResult
from .rules.findings import Severity
from .rules.holdback import HELD_BACK_STATUS, HeldBack
from .timing import Progress


class BuildFailed(ContentError):
    """Nothing was published: the content has an error that is not about one form (site.yaml
    unusable, the content folder missing), every form was held back, or a strict build met an
    error. `result` holds the located findings."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(f"{result.count(Severity.error)} errors")
        self.result = result


@dataclass
class BuildOptions:
    """What to build from where: `content` folder, `site` folder to publish, `cache` folder
    (manifest, PDF cache), `jobs` processes. `strict`: any error stops the build and nothing
    is published (else a form with errors is held back and the others are published)."""

    content: Path = Path("content")
    site: Path = Path("site")
    cache: Path = Path(".cache")
    jobs: int = os.cpu_count() or 1
    search: bool = True
    pdf: bool = True  # False defers the PDFs (the preview server), whatever site.yaml says
    # or dask://HOST:PORT: where check, pages, search parts and PDFs run (`builder.executor`)
    executor: str = "local"
    incremental: bool = True
    strict: bool = False
    progress: Progress = field(default_factory=Progress)
    # Kept by a caller that builds again and again (the preview server); else read from and
    # written to `cache` by each build.
    manifest: Manifest | None = None
    # False leaves the open-data tables of an incremental build for `refresh_tables()`: a
    # preview shows the page it rebuilt sooner.
    tables: bool = True
    # Compiled templates kept by a caller that builds again and again (the preview compiles
    # each template once; Jinja2 still reloads a template file that changed). None: the build
    # makes its own.
    templates: Environment | None = None
    # From this many forms to check on, the checked forms are kept on disk in the cache rather
    # than in memory (`rules.spill`): about 2 ms a form more CPU for a flat memory.
    spill_from: int = 2_000


@dataclass
class BuildReport:
    """What a build did: counts of projects, files re-read, pages, pages indexed, PDFs
    rendered and reused, open-data files written (in an incremental build, those that
    differ), and each stage's wall time in seconds by stage name. `result` is the check of
    the files re-read, the held-back forms' included; `held_back` the forms not published
    (`rules.holdback`), in file order."""

    result: CheckResult
    projects: int = 0
    checked: int = 0
    pages: int = 0
    indexed: int = 0
    pdfs_rendered: int = 0
    pdfs_reused: int = 0
    missing_glyphs: str = ""
    data_files: int = 0
    workbooks: int = 0  # the forms' .xlsx written
    links_again: int = 0  # pages rendered again for their PDF links' facts (`outputs.links`)
    facts_read: int = 0  # PDFs opened for their links' facts (the others' known to the cache)
    removed: int = 0
    incremental: bool = False
    unchanged: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    held_back: list[HeldBack] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0 when every form was published, `HELD_BACK_STATUS` (3) when some were held back."""
        return HELD_BACK_STATUS if self.held_back else 0
