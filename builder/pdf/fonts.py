"""Fonts for the PDFs: find the CJK font, check that fast subsetting works, subset once per build.

A CJK font file is 20-27 MB. Handed to WeasyPrint as is, every document copies the whole file
and subsets it again (8 s per PDF when WeasyPrint falls back to fontTools, 0.1 s with
HarfBuzz). So each build cuts the font once, with HarfBuzz, to a fixed repertoire (GB 2312 and
the templates' text, see BASE_REPERTOIRE), with the common characters' glyphs first (see
`glyphs_reordered`), and WeasyPrint subsets that small font again for each document.

The native libraries are reached through cffi, as WeasyPrint itself does, so that a missing
library is reported by its Debian package name instead of an `OSError` from deep inside.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cffi

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

# Printable ASCII and the common full-width forms and symbols are always kept.
ALWAYS_KEPT = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + list("()〔〕《》〈〉【】「」『』、。,:;!?%()·—–…‘’“”≥≤≦≧≠=<>±×÷%‰℃№㎡㎏㎞")
    + [chr(c) for c in range(0x2460, 0x2474)]  # ① to ⑳
)


def _gb2312_rows(first: int, last: int) -> tuple[str, ...]:
    """The characters of GB 2312's rows first to last, in the standard's order."""
    found = []
    for row in range(first, last + 1):
        for cell in range(1, 95):
            try:
                found.append(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return tuple(found)


# GB 2312's punctuation, numerals and full-width forms (rows 1-3), then the 3,755 hanzi of its
# first level (rows 16-55), chosen as the most used: the characters a form is made of.
GB2312_COMMON = _gb2312_rows(1, 3) + _gb2312_rows(16, 55)


def _gb2312() -> frozenset[str]:
    """The 7,445 characters of GB 2312: its 6,763 hanzi (both levels) and its symbols."""
    return frozenset(_gb2312_rows(1, 87))


# The characters every build's subset holds, whatever the forms say. A subset made from the
# corpus's own characters would be smaller, but WeasyPrint keeps the subset's glyph numbers
# in each PDF it embeds it in: a form's bytes would then depend on every other form, an edit
# that brings in a new character would change every PDF, and a build from a warm cache would
# differ from one from a cold cache. A fixed repertoire makes each PDF a function of its own
# form. Characters outside it (rare hanzi in a name) come from the next font of the stack.
BASE_REPERTOIRE = _gb2312() | ALWAYS_KEPT


class PdfEnvironmentError(RuntimeError):
    """A font or a native library the PDFs need is missing; the message names the fix."""


def _package_for(family: str) -> str:
    key = family.casefold()
    for prefix, package in sorted(FONT_PACKAGES.items(), key=lambda kv: -len(kv[0])):
        if key.startswith(prefix):
            return package
    return ""


# ---------------------------------------------------------------------------------------------
# Native libraries


_CDEF_HARFBUZZ = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef uint32_t hb_codepoint_t;
typedef int hb_bool_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
unsigned int hb_face_get_glyph_count (const hb_face_t *face);
void hb_face_collect_unicodes (hb_face_t *face, hb_set_t *out);
hb_set_t *hb_set_create (void);
void hb_set_destroy (hb_set_t *set);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
hb_bool_t hb_set_has (const hb_set_t *set, hb_codepoint_t codepoint);
hb_bool_t hb_version_atleast (unsigned int major, unsigned int minor, unsigned int micro);
const char *hb_version_string (void);
"""

_CDEF_HARFBUZZ_SUBSET = """
typedef struct hb_subset_input_t hb_subset_input_t;
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""

_CDEF_FONTCONFIG = """
typedef unsigned char FcChar8;
typedef int FcBool;
typedef struct _FcConfig FcConfig;
typedef struct _FcPattern FcPattern;
typedef enum { FcMatchPattern, FcMatchFont, FcMatchScan } FcMatchKind;
typedef enum {
    FcResultMatch, FcResultNoMatch, FcResultTypeMismatch, FcResultNoId, FcResultOutOfMemory
} FcResult;
FcPattern *FcPatternCreate (void);
void FcPatternDestroy (FcPattern *p);
FcBool FcPatternAddString (FcPattern *p, const char *object, const FcChar8 *s);
FcBool FcPatternAddInteger (FcPattern *p, const char *object, int i);
FcResult FcPatternGetString (const FcPattern *p, const char *object, int n, FcChar8 **s);
FcResult FcPatternGetInteger (const FcPattern *p, const char *object, int n, int *i);
FcBool FcConfigSubstitute (FcConfig *config, FcPattern *p, FcMatchKind kind);
void FcDefaultSubstitute (FcPattern *pattern);
FcPattern *FcFontMatch (FcConfig *config, FcPattern *p, FcResult *result);
"""

HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4


@dataclass(frozen=True)
class _Native:
    ffi: Any
    harfbuzz: Any
    harfbuzz_subset: Any
    fontconfig: Any


def _dlopen(ffi: Any, names: Iterable[str], package: str, what: str) -> Any:
    for name in names:
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    raise PdfEnvironmentError(
        f"{what} is not installed: install the Debian package {package} "
        f"(apt-get install {package.split()[0]})."
    )


@cache
def native() -> _Native:
    ffi = cffi.FFI()
    ffi.cdef(_CDEF_HARFBUZZ)
    ffi.cdef(_CDEF_HARFBUZZ_SUBSET)
    ffi.cdef(_CDEF_FONTCONFIG)
    harfbuzz = _dlopen(
        ffi, ("libharfbuzz.so.0", "libharfbuzz.0.dylib"), "libharfbuzz0b", "HarfBuzz"
    )
    subset = _dlopen(
        ffi,
        ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"),
        "libharfbuzz-subset0",
        "HarfBuzz subsetting (libharfbuzz-subset.so.0)",
    )
    fontconfig = _dlopen(
        ffi, ("libfontconfig.so.1", "libfontconfig.1.dylib"), "libfontconfig1", "Fontconfig"
    )
    return _Native(ffi, harfbuzz, subset, fontconfig)


def harfbuzz_version() -> str:
    lib = native()
    return lib.ffi.string(lib.harfbuzz.hb_version_string()).decode()


# ---------------------------------------------------------------------------------------------
# Finding fonts


@dataclass(frozen=True)
class FontFace:
    """One face of a family as fontconfig resolves it: a file, and the face's index in it."""

    family: str
    css_weight: int
    file: Path
    index: int

    def fingerprint(self) -> str:
        # Path, size and modification time change whenever the package is upgraded; hashing
        # 100 MB of fonts on every build would cost more than the rest of a small build.
        stat = self.file.stat()
        return f"{self.file}#{self.index}:{stat.st_size}:{stat.st_mtime_ns}"


def find_face(family: str, fc_weight: int = FC_WEIGHT_REGULAR) -> FontFace | None:
    """The face fontconfig picks for family at weight, or None when the family is not installed.

    fontconfig always answers with some font, so the answer only counts when one of the
    matched font's family names is the one asked for.
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
    harfbuzz: str

    def fingerprint(self) -> str:
        parts = [f"harfbuzz {self.harfbuzz}", *self.font_stack]
        parts += [face.fingerprint() for face in self.faces]
        return "\n".join(parts)


def check_weasyprint() -> None:
    """WeasyPrint loads (Pango), and will subset fonts with HarfBuzz rather than fontTools."""
    try:
        import weasyprint.text.ffi as weasy_ffi
    except OSError as error:
        raise PdfEnvironmentError(
            f"WeasyPrint cannot load its native libraries ({error}): install the Debian "
            "packages libpango-1.0-0 and libpangoft2-1.0-0."
        ) from error
    if weasy_ffi.harfbuzz_subset is None or not weasy_ffi.harfbuzz.hb_version_atleast(4, 1, 0):
        message = (
            "WeasyPrint would subset fonts with fontTools instead of HarfBuzz: about 8 s per "
            "PDF with a CJK font instead of 0.2 s. Install the Debian package "
            "libharfbuzz-subset0 (HarfBuzz >= 4.1)."
        )
        if os.environ.get(ALLOW_SLOW_SUBSETTING_ENV) != "1":
            raise PdfEnvironmentError(
                message + f" Set {ALLOW_SLOW_SUBSETTING_ENV}=1 to build slowly anyway."
            )
        LOGGER.warning("SLOW PDF BUILD: %s", message)


def check_environment(font_stack: tuple[str, ...], weasyprint: bool = True) -> FontSetup:
    """Fail early, naming the package to install, when the PDFs cannot be made well.

    Checks that HarfBuzz and fontconfig load, that the first family of the stack is installed
    and (unless `weasyprint` is False: the worker processes check it as they start) that
    WeasyPrint loads and will subset fonts with HarfBuzz.
    """
    if weasyprint:
        check_weasyprint()
    native()  # our own subsetting needs HarfBuzz and fontconfig: fail here, with the package
    families = [f for f in font_stack if f.strip().casefold() not in GENERIC_FAMILIES]
    if not families:
        raise PdfEnvironmentError(
            "pdf.font_stack names no font family, only generic ones: name a CJK family, "
            "e.g. Noto Serif CJK SC (Debian package fonts-noto-cjk)."
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
        raise PdfEnvironmentError(
            f"The PDF font {primary!r} (first in pdf.font_stack) is not installed: {fix}. "
            "Check with: fc-list ':family=" + primary + "'"
        )
    bold = find_face(primary, FC_WEIGHT_BOLD)
    faces = (regular,) if bold is None or bold == regular else (regular, bold)
    return FontSetup(tuple(font_stack), faces, harfbuzz_version())


# ---------------------------------------------------------------------------------------------
# Subsetting


# Part of the subset's cache key: a change to glyphs_reordered makes new files.
GLYPH_ORDER_VERSION = "glyph order 1"


@dataclass(frozen=True)
class SubsetFace:
    """A face cut down to the corpus's characters, registered under its own family name."""

    family: str  # e.g. "Noto Serif CJK SC Subset"
    css_weight: int
    file: Path
    missing: frozenset[str]  # characters of the corpus the face has no glyph for


def subset_family(family: str) -> str:
    return f"{family} Subset"


def _face_unicodes(face: Any) -> Any:
    lib = native()
    unicodes = lib.ffi.gc(lib.harfbuzz.hb_set_create(), lib.harfbuzz.hb_set_destroy)
    lib.harfbuzz.hb_face_collect_unicodes(face, unicodes)
    return unicodes


def subset_face(
    face: FontFace, characters: Iterable[str], folder: Path, leading: Sequence[str] = ()
) -> SubsetFace:
    """Subset face to characters with HarfBuzz, the glyphs of `leading` first and in its
    order, cached in folder by font, character set and order."""
    lib = native()
    ffi, hb, hbs = lib.ffi, lib.harfbuzz, lib.harfbuzz_subset
    wanted = sorted(set(characters) | ALWAYS_KEPT)
    key = "\n".join((GLYPH_ORDER_VERSION, face.fingerprint(), "".join(wanted), "".join(leading)))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    target = folder / f"{digest}.otf"
    missing_file = folder / f"{digest}.missing"
    if target.exists() and missing_file.exists():
        missing = frozenset(missing_file.read_text(encoding="utf-8"))
        return SubsetFace(subset_family(face.family), face.css_weight, target, missing)

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
    font = ffi.buffer(data, length[0])[:]
    if leading:
        font = glyphs_reordered(font, leading)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".tmp{os.getpid()}")
    temporary.write_bytes(font)
    os.replace(temporary, target)
    missing_file.write_text("".join(sorted(missing)), encoding="utf-8")
    return SubsetFace(subset_family(face.family), face.css_weight, target, frozenset(missing))


def subset_faces(
    setup: FontSetup, characters: Iterable[str], folder: Path, leading: Sequence[str] = ()
) -> list[SubsetFace]:
    chars = set(characters)
    return [subset_face(face, chars, folder, leading) for face in setup.faces]


# The substitutions HarfBuzz makes by default in horizontal text, and the OpenType language
# of the documents' zh-CN: Noto CJK's 'locl' gives Simplified Chinese its own digits.
DEFAULT_SUBSTITUTIONS = frozenset({"ccmp", "locl", "rlig", "rclt", "calt", "clig", "liga"})
DOCUMENT_LANGUAGE = "ZHS "


def shaping_substitutes(font: Any, glyphs: set[str]) -> list[str]:
    """The glyphs that shaping text in the document language may put in place of `glyphs`,
    sorted by glyph number."""
    if "GSUB" not in font:
        return []
    table = font["GSUB"].table
    if table.ScriptList is None or table.FeatureList is None or table.LookupList is None:
        return []
    features = set()
    for script in table.ScriptList.ScriptRecord:
        systems = [script.Script.DefaultLangSys] + [
            record.LangSys
            for record in script.Script.LangSysRecord
            if record.LangSysTag == DOCUMENT_LANGUAGE
        ]
        for system in systems:
            if system is not None:
                features.update(system.FeatureIndex)
    lookups = {
        index
        for number in features
        if table.FeatureList.FeatureRecord[number].FeatureTag in DEFAULT_SUBSTITUTIONS
        for index in table.FeatureList.FeatureRecord[number].Feature.LookupListIndex
    }
    reached: set[str] = set()
    pending = set(glyphs)
    while pending:  # until no lookup reaches a glyph not reached before
        found = set()
        for index in sorted(lookups):
            for subtable in table.LookupList.Lookup[index].SubTable:
                found.update(
                    _substitution_outputs(getattr(subtable, "ExtSubTable", subtable), pending)
                )
        pending = found - reached - glyphs
        reached |= pending
    order = {name: number for number, name in enumerate(font.getGlyphOrder())}
    return sorted(reached, key=order.__getitem__)


def _substitution_outputs(subtable: Any, inputs: set[str]) -> set[str]:
    """What a substitution subtable may output for a run containing `inputs`: single,
    multiple and ligature substitutions. Contextual ones are not followed: the default
    features of the Noto CJK fonts have none, and a glyph missed here only comes later in the
    order, it is not lost."""
    found: set[str] = set()
    mapping = getattr(subtable, "mapping", None)
    if mapping:
        for source, target in mapping.items():
            if source in inputs:
                found.update([target] if isinstance(target, str) else target)
    ligatures = getattr(subtable, "ligatures", None)
    if ligatures:
        for first, options in ligatures.items():
            if first in inputs:
                found.update(ligature.LigGlyph for ligature in options)
    return found


def glyphs_reordered(font_data: bytes, leading: Sequence[str]) -> bytes:
    """The font with the glyphs of `leading` first, in that order, and the others after them in
    their own order.

    WeasyPrint subsets the font again for each PDF but keeps glyph numbers, so the embedded
    font has a slot, with its metrics, for every glyph number below the highest one used: in
    the font's own order the forms' characters lie all over the 13,000 glyphs of the subset,
    and each PDF would carry, subset and compress 13,000 slots. With the common characters
    first a form's highest glyph number is a third of that.
    """
    # Imported here: only a build that makes a new subset needs fontTools.
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    font = TTFont(io.BytesIO(font_data), recalcBBoxes=False, recalcTimestamp=False)
    font.ensureDecompiled()
    old_order = font.getGlyphOrder()
    cmap = font.getBestCmap()
    new_order = [old_order[0]]  # .notdef stays glyph 0
    for char in leading:
        name = cmap.get(ord(char))
        if name is not None:
            new_order.append(name)
    new_order += shaping_substitutes(font, set(new_order))
    new_order = list(dict.fromkeys(new_order))
    placed = set(new_order)
    new_order += [name for name in old_order if name not in placed]
    # A CID-keyed CFF font says which of its font dicts each glyph uses, by glyph number;
    # fontTools' reordering leaves that list alone.
    top = font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
    font_dicts = None
    if top is not None and hasattr(top, "FDSelect"):
        number = {name: index for index, name in enumerate(old_order)}
        font_dicts = [top.FDSelect[number[name]] for name in new_order]
    reorderGlyphs(font, new_order)
    if font_dicts is not None:
        top.FDSelect.gidArray = font_dicts
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()
