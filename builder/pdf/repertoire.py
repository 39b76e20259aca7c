"""The characters every build's subset font holds, and which of them come first.

A subset made from the corpus's own characters would be smaller, but WeasyPrint keeps the
subset's glyph numbers in each PDF it embeds it in: a form's bytes would then depend on every
other form, an edit that brings in a new character would change every PDF, and a build from a
warm cache would differ from one from a cold cache. A fixed repertoire (`BASE_REPERTOIRE`)
makes each PDF a function of its own form. Characters outside it (rare hanzi in a name) come
from the next font of the stack.
"""

from __future__ import annotations

# Printable ASCII and the common full-width forms and symbols are always kept.
ALWAYS_KEPT = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + list("()〔〕《》〈〉【】「」『』、。,:;!?%()·—–…‘’“”≥≤≦≧≠=<>±×÷%‰℃№㎡㎏㎞")
    + [chr(c) for c in range(0x2460, 0x2474)]  # ① to ⑳
)


def gb2312_rows(first: int, last: int) -> tuple[str, ...]:
    """The characters of GB 2312's rows `first` to `last` (1-94), in the standard's order;
    empty cells skipped."""
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
GB2312_COMMON = gb2312_rows(1, 3) + gb2312_rows(16, 55)

# The 7,445 characters of GB 2312 (its 6,763 hanzi of both levels and its symbols) and
# `ALWAYS_KEPT`: what every build's subset holds, whatever the forms say.
BASE_REPERTOIRE = frozenset(gb2312_rows(1, 87)) | ALWAYS_KEPT
