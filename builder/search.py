"""Stage 5, search: the Pagefind index of the written pages, built in one directory pass.

The extended Pagefind binary segments Chinese text into words. Only project pages carry
`data-pagefind-body`, so listings do not crowd the results. Filters (年度, 主管部门, 实施单位, 等次,
项目标识) and sort keys (score, budget) come from attributes in the project template.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"


class SearchIndexError(RuntimeError):
    pass


async def _index(site_dir: Path) -> int:
    config = IndexConfig(
        keep_index_url=True,  # links work from file:// and servers without index resolution
        output_path=str(site_dir / BUNDLE),
        force_language="zh-cn",
    )
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site_dir))
    return int(result.get("page_count", 0))


def write_search_index(site_dir: Path) -> int:
    """Index every HTML page under site_dir into site_dir/pagefind; returns the pages indexed."""
    # Its own thread and event loop, so callers that already run one (the preview server,
    # a browser driver) can build too.
    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _index(site_dir)).result()
    except Exception as error:  # the Pagefind service reports failures as plain exceptions
        raise SearchIndexError(f"the search index could not be built: {error}") from error
