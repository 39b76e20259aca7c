"""Fonts for the PDFs: find the CJK font of the stack and check that the PDFs can be made well.

A CJK font file is 20-27 MB. Handed to WeasyPrint as is, every document copies the whole file
and subsets it again (8 s per PDF when WeasyPrint falls back to fontTools, 0.1 s with
HarfBuzz). So each build cuts the font once, with HarfBuzz (`subset`), to a fixed repertoire
(`repertoire`), with the common characters' glyphs first (`glyph_order`), and WeasyPrint
subsets that small font again for each document. This module finds the faces to cut and
refuses, naming the package to install, a machine that would make the PDFs slowly or badly.

Fonts are found with fontconfig, and cut with HarfBuzz, through our own cffi declarations
(`native`). uharfbuzz, HarfBuzz's own binding, was measured in their place and left: it cuts no
faster, its bundled HarfBuzz makes other bytes than the system's that WeasyPrint uses (every
PDF would change), and it has no fontconfig; `native` gives the figures.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .native import PdfEnvironmentError, harfbuzz_version, native

__all__ = [
    "ALLOW_SLOW_SUBSETTING_ENV",
    "GENERIC_FAMILIES",
    "FontFace",
    "FontSetup",
    "PdfEnvironmentError",
    "check_environment",
    "check_weasyprint",
    "find_face",
]

LOGGER = logging.getLogger(__name__)

# Set to 1 to build with WeasyPrint's fontTools fallback anyway (about 8 s per PDF).
ALLOW_SLOW_SUBSETTING_ENV = "JIXIAO_PDF_ALLOW_SLOW_SUBSETTING"

GENERIC_FAMILIES = frozenset(
    {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji"}
)

# Debian packages that provide the CJK families people put in a font stack.
FONT_PACKAGES = {
    "noto serif cjk": "fonts-noto-cjk",
    "noto sans cjk": "fonts-noto-cjk",
    "noto sans mono cjk": "fonts-noto-cjk",
    "noto serif cjk sc": "fonts-noto-cjk",
    "wenquanyi zen hei": "fonts-wqy-zenhei",
    "wenquanyi micro hei": "fonts-wqy-microhei",
    "ar pl uming": "fonts-arphic-uming",
    "ar pl ukai": "fonts-arphic-ukai",
    "droid sans fallback": "fonts-droid-fallback",
    "source han serif": "fonts-adobe-sourcehanserif-cn (or fonts-noto-cjk: Noto Serif CJK SC)",
    "source han sans": "fonts-adobe-sourcehansans-cn (or fonts-noto-cjk: Noto Sans CJK SC)",
}

FC_WEIGHT_REGULAR = 80
FC_WEIGHT_BOLD = 200
CSS_WEIGHTS = {FC_WEIGHT_REGULAR: 400, FC_WEIGHT_BOLD: 700}


def _package_for(family: str) -> str:
    key = family.casefold()
    for prefix, package in sorted(FONT_PACKAGES.items(), key=lambda kv: -len(kv[0])):
        if key.startswith(prefix):
            return package
    return ""


@dataclass(frozen=True)
class FontFace:
    """One face of a family as fontconfig resolves it: a file, and the face's index in it
    (a .ttc collection holds several)."""

    family: str
    css_weight: int  # 400 or 700
    file: Path
    index: int

    def fingerprint(self) -> str:
        """What changes when the font file does: path, index, size and modification time.
        Hashing 100 MB of fonts on every build would cost more than the rest of a small
        build; an upgraded package changes these anyway. Raises OSError when the file is
        gone."""
        stat = self.file.stat()
        return f"{self.file}#{self.index}:{stat.st_size}:{stat.st_mtime_ns}"


def find_face(family: str, fc_weight: int = FC_WEIGHT_REGULAR) -> FontFace | None:
    """The face fontconfig picks for `family` at `fc_weight` (fontconfig's scale: 80 regular,
    200 bold), or None when the family is not installed or has no face of that weight.

    fontconfig always answers with some font, so the answer only counts when one of the
    matched font's family names is the one asked for. Raises PdfEnvironmentError when
    fontconfig itself is missing.
    """
    lib = native()
    ffi, fc = lib.ffi, lib.fontconfig
    pattern = ffi.gc(fc.FcPatternCreate(), fc.FcPatternDestroy)
    fc.FcPatternAddString(pattern, b"family", family.encode())
    fc.FcPatternAddInteger(pattern, b"weight", fc_weight)
    fc.FcConfigSubstitute(ffi.NULL, pattern, fc.FcMatchPattern)
    fc.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    matched = fc.FcFontMatch(ffi.NULL, pattern, result)
    if matched == ffi.NULL:
        return None
    matched = ffi.gc(matched, fc.FcPatternDestroy)
    text = ffi.new("FcChar8 **")
    number = ffi.new("int *")
    names = []
    n = 0
    while fc.FcPatternGetString(matched, b"family", n, text) == fc.FcResultMatch:
        names.append(ffi.string(text[0]).decode())
        n += 1
    if family.casefold() not in {name.casefold() for name in names}:
        return None
    if fc.FcPatternGetString(matched, b"file", 0, text) != fc.FcResultMatch:
        return None
    file = Path(os.fsdecode(ffi.string(text[0])))
    index = number[0] if fc.FcPatternGetInteger(matched, b"index", 0, number) == 0 else 0
    weight = number[0] if fc.FcPatternGetInteger(matched, b"weight", 0, number) == 0 else 0
    css_weight = 700 if weight >= FC_WEIGHT_BOLD else 400
    if fc_weight >= FC_WEIGHT_BOLD and css_weight != 700:
        return None  # no bold face: WeasyPrint will embolden the regular one itself
    return FontFace(family, css_weight, file, index)


@dataclass(frozen=True)
class FontSetup:
    """What the environment check found: the faces to subset and what the cache key needs."""

    font_stack: tuple[str, ...]
    faces: tuple[FontFace, ...]  # the primary family's regular (and bold) faces
    harfbuzz: str  # its version, e.g. "6.0.0"

    def fingerprint(self) -> str:
        """The part of every document's key that the fonts decide: HarfBuzz's version, the
        stack, and each face's `FontFace.fingerprint`, one a line."""
        parts = [f"harfbuzz {self.harfbuzz}", *self.font_stack]
        parts += [face.fingerprint() for face in self.faces]
        return "\n".join(parts)


def check_weasyprint() -> None:
    """WeasyPrint loads (Pango), and will subset fonts with HarfBuzz rather than fontTools.

    Raises PdfEnvironmentError naming the Debian packages to install; with
    JIXIAO_PDF_ALLOW_SLOW_SUBSETTING=1, a missing HarfBuzz subsetter is only a warning.
    """
    try:
        import weasyprint.text.ffi as weasy_ffi
    except OSError as error:
        raise PdfEnvironmentError(
            f"WeasyPrint 无法加载它的系统库,请安装 Debian 软件包 libpango-1.0-0 和 "
            f"libpangoft2-1.0-0 / WeasyPrint cannot load its native libraries ({error}): install "
            "the Debian packages libpango-1.0-0 and libpangoft2-1.0-0."
        ) from error
    if weasy_ffi.harfbuzz_subset is None or not weasy_ffi.harfbuzz.hb_version_atleast(4, 1, 0):
        message = (
            "WeasyPrint would subset fonts with fontTools instead of HarfBuzz: about 8 s per "
            "PDF with a CJK font instead of 0.2 s. Install the Debian package "
            "libharfbuzz-subset0 (HarfBuzz >= 4.1)."
        )
        if os.environ.get(ALLOW_SLOW_SUBSETTING_ENV) != "1":
            raise PdfEnvironmentError(
                "缺少 HarfBuzz 字体子集库,生成 PDF 会很慢:请安装 Debian 软件包 libharfbuzz-subset0 / "
                + message
                + f" Set {ALLOW_SLOW_SUBSETTING_ENV}=1 to build slowly anyway."
            )
        LOGGER.warning("SLOW PDF BUILD: %s", message)


def check_environment(font_stack: tuple[str, ...], weasyprint: bool = True) -> FontSetup:
    """Fail early, naming the package to install, when the PDFs cannot be made well.

    Checks that HarfBuzz and fontconfig load, that the first family of the stack is installed
    and (unless `weasyprint` is False: the worker processes check it as they start) that
    WeasyPrint loads and will subset fonts with HarfBuzz. Returns the faces found.

    Raises PdfEnvironmentError with the fix: a Debian package, or a family to name.
    """
    if weasyprint:
        check_weasyprint()
    native()  # our own subsetting needs HarfBuzz and fontconfig: fail here, with the package
    families = [f for f in font_stack if f.strip().casefold() not in GENERIC_FAMILIES]
    if not families:
        raise PdfEnvironmentError(
            "pdf.font_stack 只写了通用字体族,没有具体字体:请写一种中文字体,如 Noto Serif CJK SC"
            "(Debian 软件包 fonts-noto-cjk) / pdf.font_stack names no font family, only generic "
            "ones: name a CJK family, e.g. Noto Serif CJK SC (Debian package fonts-noto-cjk)."
        )
    primary = families[0]
    regular = find_face(primary, FC_WEIGHT_REGULAR)
    if regular is None:
        package = _package_for(primary)
        fix = (
            f"install the Debian package {package}"
            if package
            else "install a package that provides it"
        )
        fix_zh = f"安装 Debian 软件包 {package}" if package else "安装提供它的软件包"
        raise PdfEnvironmentError(
            f"PDF 字体“{primary}”(pdf.font_stack 的第一种)没有安装:请{fix_zh} / "
            f"The PDF font {primary!r} (first in pdf.font_stack) is not installed: {fix}. "
            "Check with: fc-list ':family=" + primary + "'"
        )
    bold = find_face(primary, FC_WEIGHT_BOLD)
    faces = (regular,) if bold is None or bold == regular else (regular, bold)
    return FontSetup(tuple(font_stack), faces, harfbuzz_version())
