"""The outputs a build makes, in the order it starts them: the declared list.

Each is one module with the interface of `base.Output`: what it needs, what it writes, what it
reuses when nothing it depends on changed, and whether it runs alongside (in other processes,
while the build goes on). Adding an output is one module and one line here.
"""

from __future__ import annotations

from .base import Output
from .links import PDF_LINKS
from .opendata import OPEN_DATA
from .pages import PAGES
from .pdfs import PDFS
from .search import SEARCH
from .workbooks import WORKBOOKS

# Pages first: the search indexes them. The search index and the PDFs are made alongside,
# the open data in this process meanwhile. The search starts before the PDFs: it links the
# unchanged pages of its parts into the staging folder, which nothing else may write then.
# The workbooks start after it for that reason too, alongside (worker processes). The PDF
# links come last: they need the PDFs made, and the search done with the pages they rewrite.
OUTPUTS: tuple[Output, ...] = (PAGES, SEARCH, PDFS, WORKBOOKS, OPEN_DATA, PDF_LINKS)
