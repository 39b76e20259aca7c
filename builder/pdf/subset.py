"""Cutting the CJK font down once per build, with HarfBuzz, to the fixed repertoire.

The subset is cached in the PDF cache's `fonts/` folder under a key made of the font file's
fingerprint, the characters and their order, so that a build only pays for it (about 2 s: the
HarfBuzz cut, then the fontTools reordering) when one of those changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fonts import FontFace, FontSetup
from .glyph_order import glyphs_reordered
from .native import HB_SUBSET_FLAGS_DESUBROUTINIZE, PdfEnvironmentError, native
from .repertoire import ALWAYS_KEPT

# Part of the subset's cache key: a change to glyphs_reordered makes new files.
GLYPH_ORDER_VERSION = "glyph order 1"


@dataclass(frozen=True)
class SubsetFace:
    """A face cut down to the build's characters, registered under its own family name."""

    family: str  # e.g. "Noto Serif CJK SC Subset"
    css_weight: int  # 400 or 700
    file: Path  # the subset font (OpenType), in the cache
    missing: frozenset[str]  # characters asked for that the face has no glyph for


def subset_family(family: str) -> str:
    """The family name the subset of `family` is registered under in the stylesheet."""
    return f"{family} Subset"


def _face_unicodes(face: Any) -> Any:
    lib = native()
    unicodes = lib.ffi.gc(lib.harfbuzz.hb_set_create(), lib.harfbuzz.hb_set_destroy)
    lib.harfbuzz.hb_face_collect_unicodes(face, unicodes)
    return unicodes


def _harfbuzz_subset(face: FontFace, wanted: Sequence[str]) -> tuple[bytes, set[str]]:
    """The face cut to the `wanted` characters it has, glyphs in the font's own order, and the
    printable characters it lacks."""
    lib = native()
    ffi, hb, hbs = lib.ffi, lib.harfbuzz, lib.harfbuzz_subset
    blob = hb.hb_blob_create_from_file_or_fail(os.fsencode(face.file))
    if blob == ffi.NULL:
        raise PdfEnvironmentError(f"Cannot read the font file {face.file}.")
    blob = ffi.gc(blob, hb.hb_blob_destroy)
    source = ffi.gc(hb.hb_face_create(blob, face.index), hb.hb_face_destroy)
    covered = _face_unicodes(source)
    request = ffi.gc(hbs.hb_subset_input_create_or_fail(), hbs.hb_subset_input_destroy)
    if request == ffi.NULL:
        raise PdfEnvironmentError("HarfBuzz could not start a subset (out of memory?).")
    unicode_set = hbs.hb_subset_input_unicode_set(request)
    missing = set()
    for char in wanted:
        codepoint = ord(char)
        if hb.hb_set_has(covered, codepoint):
            hb.hb_set_add(unicode_set, codepoint)
        elif char.isprintable() and not char.isspace():
            missing.add(char)
    # Desubroutinized CFF is what WeasyPrint asks for too; it subsets this font again per
    # document, and flat charstrings make that second pass cheap.
    hbs.hb_subset_input_set_flags(request, HB_SUBSET_FLAGS_DESUBROUTINIZE)
    result = hbs.hb_subset_or_fail(source, request)
    if result == ffi.NULL:
        raise PdfEnvironmentError(f"HarfBuzz could not subset {face.file}.")
    result = ffi.gc(result, hb.hb_face_destroy)
    data_blob = ffi.gc(hb.hb_face_reference_blob(result), hb.hb_blob_destroy)
    length = ffi.new("unsigned int *")
    data = hb.hb_blob_get_data(data_blob, length)
    return ffi.buffer(data, length[0])[:], missing


def subset_face(
    face: FontFace, characters: Iterable[str], folder: Path, leading: Sequence[str] = ()
) -> SubsetFace:
    """Subset `face` to `characters` (and `ALWAYS_KEPT`) with HarfBuzz, the glyphs of
    `leading` first and in its order, cached in `folder` by font, character set and order.

    Raises PdfEnvironmentError when the font file cannot be read or HarfBuzz fails.
    """
    wanted = sorted(set(characters) | ALWAYS_KEPT)
    key = "\n".join((GLYPH_ORDER_VERSION, face.fingerprint(), "".join(wanted), "".join(leading)))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    target = folder / f"{digest}.otf"
    missing_file = folder / f"{digest}.missing"
    if target.exists() and missing_file.exists():
        missing = frozenset(missing_file.read_text(encoding="utf-8"))
        return SubsetFace(subset_family(face.family), face.css_weight, target, missing)

    font, missing_set = _harfbuzz_subset(face, wanted)
    if leading:
        font = glyphs_reordered(font, leading)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".tmp{os.getpid()}")
    temporary.write_bytes(font)
    os.replace(temporary, target)
    missing_file.write_text("".join(sorted(missing_set)), encoding="utf-8")
    return SubsetFace(subset_family(face.family), face.css_weight, target, frozenset(missing_set))


def subset_faces(
    setup: FontSetup, characters: Iterable[str], folder: Path, leading: Sequence[str] = ()
) -> list[SubsetFace]:
    """`subset_face` for each face of the setup (regular, then bold if there is one)."""
    chars = set(characters)
    return [subset_face(face, chars, folder, leading) for face in setup.faces]
