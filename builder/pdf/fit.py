"""How text fits its cell of the printed form: the size of a figure, the breaks of a long word.

A table cell of the form has a fixed width (the paper form's proportions, `pdf.css`), and a
figure in it does not wrap on paper: 12,345,678,901.23 元 is one number. So a figure too long
for its column at the form's size (9pt) is printed smaller, in steps, as a spreadsheet shrinks
a number to fit its cell; only past the last step does it wrap (`overflow-wrap: anywhere` in
`pdf.css`) rather than run into the next column. The template chooses the step from the text
alone (`fit_class`), with each column's width in digits (`_form.html`, for A4 portrait: the
wider landscape columns take the same steps, with room to spare).

Text that may break nowhere for many characters (a URL, a run of digits) is opened up with
invisible breaks (`breakable`), which keeps the cost of laying it out linear in its length.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Runs of this many characters that may not break are opened up (`breakable`).
LONG_RUN = 40
ZERO_WIDTH_SPACE = "\u200b"

# The steps after the form's own size: each class and the share of 9pt it prints at; pdf.css
# gives the classes these sizes (8pt, 7pt, 6pt).
FIT_STEPS: tuple[tuple[str, float], ...] = (
    ("", 1.0),
    ("fit-1", 8 / 9),
    ("fit-2", 7 / 9),
    ("fit-3", 6 / 9),
)

# Widths in the form's fonts (Noto Serif CJK: a digit is 0.56 em), rounded up: a separator or
# a point 0.6 of a digit, a wide Latin letter or % two, a Chinese character two.
_NARROW = frozenset(",.:;'!|")
_WIDE = frozenset("%@MWmw")


def digit_widths(text: str) -> float:
    """How wide `text` is in digits of the same size, an estimate on the safe side:
    "12,345.60" -> 8.2 (seven digits and two separators)."""
    return sum(0.6 if c in _NARROW else 2.0 if c in _WIDE or not c.isascii() else 1.0 for c in text)


def fit_class(text: str, capacity: float) -> str:
    """The class (with a leading space, for a class list) that makes `text` fit a column
    `capacity` digits wide at the form's size: "" when it fits as it is, else the first step
    of `FIT_STEPS` it fits at, else the last, where it wraps. `capacity` > 0."""
    width = digit_widths(text)
    for name, share in FIT_STEPS:
        if width * share <= capacity:
            return f" {name}" if name else ""
    return f" {FIT_STEPS[-1][0]}"


# A run of characters between which a line may not break: Latin letters, digits and most
# punctuation, with no space and no Chinese character (which may break anywhere). `<`, `>`,
# `&` and `;` end a run, so that the tags and character references of HTML are never cut.
_RUN = re.compile(
    r"[^\s<>&;\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
    f"{{{LONG_RUN},}}"
)
_TAG = re.compile(r"(<[^>]*>)")


def _opened(match: re.Match[str]) -> str:
    return ZERO_WIDTH_SPACE.join(match.group())


def breakable(text: str | Markup | None) -> Markup:
    """`text` (escaped, unless it is already Markup) with a zero-width space between the
    characters of each run of LONG_RUN or more characters that may not break (`_RUN`), outside
    HTML tags. Text without such a run is returned as it was.

    `pdf.css` lets such a run break anywhere (`overflow-wrap: anywhere`), which is where these
    spaces let it break: the page looks the same, and text drawn from the PDF has no trace of
    them. But WeasyPrint looks for a break in such a run by laying out the rest of the text for
    every line, so a run of n characters cost n² (a 5,000-letter "word" in a reason: a second
    of a form's layout per field); with the spaces it costs n, like Chinese text."""
    if text is None:
        return Markup("")
    markup = text if isinstance(text, Markup) else escape(text)
    if _RUN.search(markup) is None:
        return markup  # every ordinary text: one search
    parts = _TAG.split(str(markup))
    return Markup(
        "".join(part if part.startswith("<") else _RUN.sub(_opened, part) for part in parts)
    )
