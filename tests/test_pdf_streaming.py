"""The PDF stage and the PDF links at scale: the forms' documents are made as the workers get
free, never all at once, and a build whose forms are kept on disk makes the same PDFs and
the same pages, links included, as one that keeps them in memory (docs/performance.md, "The
PDF build against its floor")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from builder.build import BuildOptions, build
from builder.pdf.jobs import RenderJob
from builder.pdf.pool import IN_FLIGHT_PER_WORKER, render_local
from builder.pdf.setup import render_setup
from builder.rules.check import check_content

from .sitebuild import FAMILIES_CONTENT, ROOT, link_example_fonts


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_workers_take_each_form_as_one_gets_free(example_site: Path, tmp_path: Path) -> None:
    """Forms given as a generator are taken a few ahead of the PDFs made, however many
    there are: a pool keeps every job sent to it, its HTML included, until it is done."""
    cache = tmp_path / "pdf"
    link_example_fonts(example_site, cache)
    config = check_content(ROOT / "content").config
    assert config is not None
    setup = render_setup(config, cache)
    forms, workers = 14, 2
    taken: list[int] = []

    def jobs() -> Iterator[RenderJob]:
        for number in range(forms):
            taken.append(number)
            yield RenderJob(
                key=str(number),
                html=f"<p>第 {number} 张</p>",
                target=str(tmp_path / f"{number}.pdf"),
                attachments=(),
                date=dt.date(2024, 1, 31),
            )

    ahead = []
    for made, result in enumerate(render_local(jobs(), setup, workers), start=1):
        assert result.pages == 1
        ahead.append(len(taken) - made)
    assert len(ahead) == forms
    assert max(ahead) <= workers * IN_FLIGHT_PER_WORKER
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(f"{n}.pdf" for n in taken)


def test_a_build_with_its_forms_on_disk_makes_the_same_pdfs_and_links(
    families_site: Path, tmp_path: Path
) -> None:
    """Every layout family, its forms kept on disk (read back a batch at a time by the PDF
    stage and by the links, which render the project pages again): the same files, byte for
    byte, as the build that kept them in memory, PDFs and their links included."""
    cache = tmp_path / "cache"
    link_example_fonts(families_site, cache / "pdf")
    site = tmp_path / "site"
    report = build(BuildOptions(content=FAMILIES_CONTENT, site=site, cache=cache, spill_from=0))
    assert report.pdfs_rendered > 0
    made_here, kept = _files(site), _files(families_site)
    assert sorted(made_here) == sorted(kept)
    assert [path for path in kept if made_here[path] != kept[path]] == []
    pages = [path for path in kept if path.endswith("index.html")]
    assert any(" 页" in kept[path].decode() for path in pages)  # the links give pages
