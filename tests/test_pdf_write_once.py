"""A finished PDF's objects make their bytes once (`render._WrittenOnce`): pydyf serialises
every object twice when it writes a file identifier. The bytes must be those pydyf makes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pydyf

from builder.pdf import render
from builder.pdf.jobs import EmbeddedFile
from builder.pdf.render import Renderer
from builder.pdf.setup import render_setup
from builder.pdf.templates import PdfTemplates, form_view
from builder.rules.check import check_content

ROOT = Path(__file__).resolve().parent.parent


def _as_pydyf_writes_it(document: object, pdf: pydyf.PDF) -> None:
    """Our finisher without `_serialise_once`: every object's bytes made by pydyf each time."""
    render._list_attachments_once(pdf)
    render._compress_streams(pdf)


def test_objects_made_once_give_the_bytes_pydyf_gives(tmp_path: Path) -> None:
    result = check_content(ROOT / "content")
    renderer = Renderer(render_setup(result.config, tmp_path / "cache"))
    try:
        templates = PdfTemplates("测试")
        record = (EmbeddedFile("record.json", "record", b"{}"),)
        for checked in result.projects[:3]:
            document = renderer.layout(templates.form(form_view(checked, with_annex=True)))
            ours = renderer.write(document, record, dt.date(2024, 1, 1))
            theirs = document.write_pdf(
                finisher=_as_pydyf_writes_it,
                pdf_variant=renderer.setup.pdf_variant,
                pdf_tags=renderer.setup.pdf_tags,
                attachments=renderer.attachments(record, dt.date(2024, 1, 1)),
                pdf_identifier=True,
            )
            assert renderer.setup.pdf_tags  # tagged: the structure tree is in the object stream
            assert ours == theirs, checked.file
    finally:
        renderer.close()
