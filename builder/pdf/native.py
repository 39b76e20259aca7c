"""HarfBuzz, its subsetter and fontconfig, reached through cffi as WeasyPrint reaches them.

Declared by hand, a few functions each, so that a missing library is reported by its Debian
package name (`PdfEnvironmentError`) instead of an `OSError` from deep inside, and so that the
subset is made by the very HarfBuzz WeasyPrint uses for its own per-document subsets.

Why not uharfbuzz, HarfBuzz's own Python binding (measured, see docs/performance.md): its
wheels bundle their own HarfBuzz (0.57.0 carries HarfBuzz 15, the system's is 6.0), whose
subsets are other bytes, so every PDF would change and would then follow the version of a
Python package instead of the system library WeasyPrint lays text out with; it subsets no
faster (0.115 s against our 0.112 s for a build's 7,560 characters: `bench/pdf_bench.py
subset`); it has no fontconfig, so the cffi layer would stay for finding fonts; and it does
not expose `hb_subset_input_old_to_new_glyph_mapping`, which could have replaced the fontTools
glyph reordering (`glyph_order`), a function the system's HarfBuzz 6.0 predates (7.3) anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import cffi

from ..errors import SetupError


class PdfEnvironmentError(SetupError):
    """A font or a native library the PDFs need is missing; the message names the fix (the
    Debian package to install, or the setting to change)."""


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
class NativeLibraries:
    """The loaded libraries and the cffi instance that declares their functions."""

    ffi: Any  # cffi.FFI
    harfbuzz: Any  # libharfbuzz.so.0
    harfbuzz_subset: Any  # libharfbuzz-subset.so.0
    fontconfig: Any  # libfontconfig.so.1


def _dlopen(ffi: Any, names: Iterable[str], package: str, what: str) -> Any:
    for name in names:
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    raise PdfEnvironmentError(
        f"没有安装 {what}:请安装 Debian 软件包 {package} / "
        f"{what} is not installed: install the Debian package {package} "
        f"(apt-get install {package.split()[0]})."
    )


@cache
def native() -> NativeLibraries:
    """The native libraries, loaded once per process.

    Raises PdfEnvironmentError naming the Debian package of the first library missing.
    """
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
    return NativeLibraries(ffi, harfbuzz, subset, fontconfig)


def harfbuzz_version() -> str:
    """The version of the HarfBuzz this process loaded, e.g. "6.0.0" (part of the cache key).

    Raises PdfEnvironmentError when the libraries are missing."""
    lib = native()
    return lib.ffi.string(lib.harfbuzz.hb_version_string()).decode()
