"""`jixiao build`: load → validate → score → render → search → pdf → export → publish.

Everything is loaded and checked before anything is written; the site is written into a
staging folder and swapped in only when every stage succeeded.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .check import CheckResult, check_content
from .export import write_open_data
from .findings import Severity
from .publish import clean_leftovers, publish, staging_dir
from .render import write_site
from .search import write_search_index
from .views import site_view


class BuildFailed(Exception):
    """The content has errors; nothing was published."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(f"{result.count(Severity.error)} errors")
        self.result = result


@dataclass
class BuildReport:
    result: CheckResult
    pages: int = 0
    indexed: int = 0
    data_files: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class BuildOptions:
    content: Path = Path("content")
    site: Path = Path("site")
    cache: Path = Path(".cache")
    jobs: int = os.cpu_count() or 1
    search: bool = True


def build(options: BuildOptions) -> BuildReport:
    timer = _Timer()
    result = check_content(options.content, jobs=options.jobs)  # load, validate, score
    timer.lap("check")
    if result.config is None or result.count(Severity.error):
        raise BuildFailed(result)
    config = result.config
    report = BuildReport(result)

    clean_leftovers(options.site)
    staged = staging_dir(options.site)
    try:
        site = site_view(result, config)
        report.pages = len(
            write_site(site, config, staged, features={"pdf": False}, jobs=options.jobs)
        )
        timer.lap("render")
        if options.search:
            report.indexed = write_search_index(
                staged, [int(y.key) for y in site.years], jobs=options.jobs
            )
            timer.lap("search")
        report.data_files = len(write_open_data(result, config, staged))
        timer.lap("export")
        publish(staged, options.site)
        timer.lap("publish")
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    report.seconds = timer.laps
    return report


class _Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.start
        self.start = now
