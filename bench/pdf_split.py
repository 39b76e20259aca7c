"""Where one PDF worker's time goes, form by form: WeasyPrint's layout against everything else.

    .venv/bin/python bench/pdf_split.py                       # 60 synthetic forms (bench/corpus.py)
    .venv/bin/python bench/pdf_split.py --content content --forms 36   # the seed forms, in turns

A worker is set up as the build sets up its own (`worker.init_worker`: its renderer, the
collector off, each form's garbage collected after it), renders one form to warm up, then
`--forms` forms of the folder, each through `worker.run_job` as a build's worker does. The CPU
time of each phase is measured by wrapping the function that does it (no profiler: its
overhead falls on Python code, and so distorts the split):

  html parse        WeasyPrint's HTML() (tinyhtml5), part of the layout floor
  layout            HTML.render: styles, boxes, pages; the floor with the parse
  draw              Page.paint, inside write_pdf: boxes drawn into content streams
  fonts             build_fonts_dictionary: each face subset to the document's glyphs
  tags              add_tags: the structure tree of a tagged PDF
  pydyf write       serialising the objects, the file identifier
  ours: ...         the finisher (stream compression), the tall-row pass, writing the file,
                    and the collection of the form's garbage after it (`after_document`)

CPU seconds, not wall: on a shared machine the wall times stretch with the load.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SYNTHETIC = ROOT / "bench" / "out" / "pdf" / "corpus-1000-None-2023"


def _timed(spent: collections.Counter[str], owner: Any, name: str, label: str) -> None:
    """Replace `owner.name` by a wrapper that adds its CPU time to `spent[label]`."""
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    setattr(owner, name, wrapper)


def _wrap(spent: collections.Counter[str]) -> None:
    import pydyf
    import weasyprint
    import weasyprint.document as document
    import weasyprint.pdf as pdf

    from builder.pdf import render

    _timed(spent, weasyprint.HTML, "__init__", "html parse")
    _timed(spent, weasyprint.HTML, "render", "layout (WeasyPrint render)")
    _timed(spent, document.Document, "write_pdf", "write_pdf, all of it")
    _timed(spent, document.Page, "paint", "  draw (Page.paint)")
    _timed(spent, pdf, "build_fonts_dictionary", "  fonts (subsets, widths)")
    _timed(spent, pdf, "add_tags", "  tags (structure tree)")
    _timed(spent, pydyf.PDF, "write", "  pydyf write (with identifier)")
    _timed(spent, render, "_finish", "  ours: finisher (compression)")
    _timed(spent, render, "mark_tall_rows", "ours: tall rows")
    _timed(spent, render, "write_atomically", "ours: writing the file")
    _timed(spent, gc, "collect", "ours: the form's garbage collected")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--content", type=Path, default=None, help="default: 1,000 synthetic")
    parser.add_argument("--forms", type=int, default=60)
    args = parser.parse_args()
    from builder.pdf import worker
    from builder.pdf.documents import documents
    from builder.pdf.jobs import RenderJob
    from builder.pdf.setup import render_setup
    from builder.pdf.templates import PdfTemplates
    from builder.rules.check import check_content

    content = args.content
    if content is None:
        import corpus

        content = SYNTHETIC
        if not (content / "site.yaml").exists():
            corpus.generate(content, projects=1000, seed=0, years=(2023,))
    result = check_content(content)
    config = result.config
    assert config is not None
    templates = PdfTemplates(config.title, base_url=config.base_url)
    settings = config.pdf.model_copy(update={"booklets": False})
    forms, _ = documents(result, settings, templates)
    spent: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        worker.init_worker(render_setup(config, cache / "pdf"))

        def job(number: int) -> RenderJob:
            form = forms[number % len(forms)]
            target = str(cache / f"{number}.pdf")
            return RenderJob(str(number), form.html, target, form.attachments, form.date)

        worker.run_job(job(0))  # the first loads the fonts
        _wrap(spent)
        start, pages = time.process_time(), 0
        for number in range(1, args.forms + 1):
            pages += worker.run_job(job(number)).pages
        total = time.process_time() - start
        worker.close_process()
    floor = spent["html parse"] + spent["layout (WeasyPrint render)"]
    print(
        f"{args.forms} forms of {content.name}, {pages / args.forms:.2f} pages each: "
        f"{total / args.forms * 1000:.1f} ms CPU a form, {total / floor:.2f}× the layout "
        f"({floor / args.forms * 1000:.1f} ms); load average {os.getloadavg()[0]:.1f}"
    )
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"| {label} | {seconds / args.forms * 1000:.1f} ms | {seconds / total:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
