"""Small charts drawn at build time: no script, no third-party library in the browser.

Bar charts are HTML rows (label and value as text, a sliver of SVG for the bar), so their text
wraps on a phone and grows with the reader's text size; the lines over the years are an SVG
drawn in percentages of its box, whose text is the page's and grows with it too.
Every chart is `role="img"` with a title and a description; the pages put the same figures in a
table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 560  # the width of an SVG chart's drawing, in its own units
# Where the lines' chart draws, in percent of its box: the first and last years this far in
# from the sides, the axis's top and floor this far down (text lines above and below).
_EDGE, _TOP, _BOTTOM = 6, 28, 74


def _svg(title: str, description: str, height: int, body: str, width: int = WIDTH) -> Markup:
    # Ids from the content, so a page's markup is the same on every build.
    n = hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:10]
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-t{n} chart-d{n}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-t{n}">{escape(title)}</title>'
        f'<desc id="chart-d{n}">{escape(description)}</desc>{body}</svg>'
    )


def _clip(text: str, limit: int = 9) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _figure(title: str, description: str, rows: str, css: str) -> Markup:
    """A chart as HTML: its title and description name it (`role="img"`), its rows are text
    that wraps and grows with the reader's text size, each bar a sliver of SVG."""
    n = hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:10]
    return Markup(
        f'<div class="chart hbars {css}" role="img" aria-labelledby="chart-t{n} chart-d{n}">'
        f'<span id="chart-t{n}" hidden>{escape(title)}</span>'
        f'<span id="chart-d{n}" hidden>{escape(description)}</span>{rows}</div>'
    )


def _bar(length: Decimal, css: str) -> str:
    """A bar `length` percent of its track long (at least a hairline, so a 0 shows)."""
    width = max(min(length, Decimal(100)), Decimal("0.4"))
    return (
        '<svg class="track" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false"><rect width="{width:.2f}" height="1" class="{css}"/></svg>'
    )


def bars(
    title: str,
    rows: Sequence[tuple[str, Decimal | int | None]],
    maximum: Decimal | int,
    unit: str = "",
    css: str = "bar",
) -> Markup:
    """Horizontal bars, one per (label, value), as a share of `maximum`; each row says its
    label and value in words beside its bar."""
    top = Decimal(maximum) or Decimal(1)
    parts = []
    for label, value in rows:
        shown = "—" if value is None else f"{_number(value)}{unit}"
        length = Decimal(0) if value is None else min(Decimal(value), top) / top * 100
        parts.append(
            f'<div class="row"><span class="label">{escape(label)}</span>{_bar(length, css)}'
            f'<span class="value">{escape(shown)}</span></div>'
        )
    description = "; ".join(
        f"{label}: {'—' if v is None else f'{_number(v)}{unit}'}" for label, v in rows
    )
    return _figure(title, description, "".join(parts), "single")


def paired_bars(
    title: str, rows: Sequence[tuple[str, Decimal, Decimal]], labels: tuple[str, str]
) -> Markup:
    """Two bars per row (e.g. budget and executed), scaled to the largest value, each named."""
    top = max([max(a, b) for _, a, b in rows] or [Decimal(1)]) or Decimal(1)
    parts = []
    for label, first, second in rows:
        pair = "".join(
            f'<span class="pair"><span class="series">{escape(name)}</span>'
            f'{_bar(v / top * 100, css)}<span class="value">{escape(_wan(v))}</span></span>'
            for name, v, css in ((labels[0], first, "bar"), (labels[1], second, "bar bar-alt"))
        )
        parts.append(f'<div class="row"><span class="label">{escape(label)}</span>{pair}</div>')
    description = "; ".join(
        f"{label}: {labels[0]} {'—' if a is None else _number(a)}, "
        f"{labels[1]} {'—' if b is None else _number(b)}"
        for label, a, b in points
    )
    return _lines_figure(title, description, labels, "".join(parts))


def _lines_figure(title: str, description: str, labels: tuple[str, str], drawing: str) -> Markup:
    """The lines' SVG (`drawing`, in percentages), named by `title` and `description`, with
    its legend of the two `labels` in HTML above it."""
    n = hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:10]
    legend = (
        f'<p class="chart-legend" aria-hidden="true"><span class="item"><span class="key key-alt">'
        f'</span>{escape(labels[0])}</span> <span class="item"><span class="key"></span>'
        f"{escape(labels[1])}</span></p>"
    )
    return Markup(
        f'<div class="chart-lines">{legend}<svg class="chart lines" width="100%" role="img" '
        f'aria-labelledby="chart-t{n} chart-d{n}"><title id="chart-t{n}">{escape(title)}</title>'
        f'<desc id="chart-d{n}">{escape(description)}</desc>{drawing}</svg></div>'
    )
