"""Stage 5, search: Pagefind indexes of the written pages, one per year.

The extended Pagefind binary segments Chinese text into words. Each year gets its own bundle
under `pagefind/<year>/`, indexed from the written folder in one directory pass, and the
search page merges them in the browser (`mergeIndex`): a change to one year re-indexes only that
year, and no single indexer holds the whole site in memory. Only project pages carry
`data-pagefind-body`. Filters (年度, 主管部门, 实施单位, 等次, 项目标识) and sort keys (score,
budget) come from attributes in the project template.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"


class SearchIndexError(RuntimeError):
    pass


def bundle_dir(year: int) -> str:
    return f"{BUNDLE}/{year}"


async def _index_year(site_dir: Path, year: int, limit: asyncio.Semaphore) -> int:
    config = IndexConfig(
        keep_index_url=True,  # links work from file:// and servers without index resolution
        output_path=str(site_dir / bundle_dir(year)),
        force_language="zh-cn",
    )
    async with limit, PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site_dir), glob=f"{year}/**/*.html")
    return int(result.get("page_count", 0))


async def _index_all(site_dir: Path, years: list[int], jobs: int) -> int:
    limit = asyncio.Semaphore(max(1, jobs))
    counts = await asyncio.gather(*(_index_year(site_dir, year, limit) for year in years))
    return sum(counts)


def write_search_index(site_dir: Path, years: list[int], jobs: int = 1) -> int:
    """Index each year's pages into site_dir/pagefind/<year>/; returns the pages indexed."""
    # Its own thread and event loop, so callers that already run one (the preview server,
    # a browser driver) can build too.
    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _index_all(site_dir, years, jobs)).result()
    except Exception as error:  # the Pagefind service reports failures as plain exceptions
        raise SearchIndexError(f"the search index could not be built: {error}") from error
