"""What every document of a build shares: the subset fonts and the complete stylesheet."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..config import PdfSettings, SiteConfig
from .fonts import GENERIC_FAMILIES, FontSetup, check_environment
from .jobs import RenderSetup
from .repertoire import ALWAYS_KEPT, BASE_REPERTOIRE, GB2312_COMMON
from .subset import SubsetFace, subset_faces, subset_family
from .templates import TEMPLATE_DIR, PdfTemplates


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _css_family(family: str) -> str:
    return family if family.casefold() in GENERIC_FAMILIES else _css_string(family)


def settings_css(settings: PdfSettings) -> str:
    """The part of the stylesheet that the settings decide: page size and orientation, and the
    font families (the subset first, then the stack, then `serif` if the stack names no
    generic family)."""
    families = [subset_family(settings.font_stack[0]), *settings.font_stack]
    if not any(f.casefold() in GENERIC_FAMILIES for f in families):
        families.append("serif")
    return (
        f"@page {{ size: A4 {settings.orientation.value}; }}\n"
        f"html {{ font-family: {', '.join(_css_family(f) for f in families)}; }}\n"
    )


def font_face_css(faces: Iterable[SubsetFace]) -> str:
    """An @font-face rule for each subset face, naming its file by `file://` URI."""
    return "".join(
        f"@font-face {{ font-family: {_css_string(face.family)}; "
        f"src: url({_css_string(face.file.resolve().as_uri())}); "
        f"font-weight: {face.css_weight}; font-style: normal; }}\n"
        for face in faces
    )


def pdf_variant(settings: PdfSettings) -> str | None:
    """WeasyPrint's `pdf_variant` for the settings: PDF/A-3a (tagged) or PDF/A-3b, or None
    for a plain PDF."""
    if not settings.pdfa:
        return None
    return "pdf/a-3a" if settings.tagged else "pdf/a-3b"


def build_render_setup(
    settings: PdfSettings, templates: PdfTemplates, font_setup: FontSetup, cache_dir: Path
) -> tuple[RenderSetup, list[SubsetFace]]:
    """The render setup and the subset faces it names, the fonts cut (or found cut) in
    `cache_dir`/fonts. Raises PdfEnvironmentError when a font cannot be subset."""
    # A fixed repertoire and the templates' own text: the same subset for every build.
    template_text = set(templates.source_text())
    characters = BASE_REPERTOIRE | template_text
    leading = sorted((template_text | ALWAYS_KEPT) & characters) + list(GB2312_COMMON)
    faces = subset_faces(font_setup, characters, cache_dir / "fonts", leading)
    setup = RenderSetup(
        stylesheet=font_face_css(faces) + settings_css(settings) + templates.stylesheet(),
        base_url=TEMPLATE_DIR.as_uri() + "/",
        pdf_variant=pdf_variant(settings),
        pdf_tags=settings.tagged,
    )
    return setup, faces


def render_setup(config: SiteConfig, cache_dir: Path) -> RenderSetup:
    """What every document of a build with this configuration shares; known before any
    document is, so that worker processes can get ready early (`pool.warm_workers`).
    Raises PdfEnvironmentError, naming the package to install, when a font is missing."""
    font_setup = check_environment(config.pdf.font_stack, weasyprint=False)
    return build_render_setup(config.pdf, PdfTemplates(config.title), font_setup, cache_dir)[0]
