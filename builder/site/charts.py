"""Small charts drawn at build time: no script, no third-party library in the browser.

Bar charts are HTML rows (label and value as text, a sliver of SVG for the bar), so their text
wraps on a phone and grows with the reader's text size; the trend over the years is an SVG.
Every chart is `role="img"` with a title and a description; the pages put the same figures in a
table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 560  # the width of an SVG chart's drawing, in its own units


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
        f"{label}: {labels[0]} {_wan(a)}, {labels[1]} {_wan(b)}" for label, a, b in rows
    )
    return _figure(title, description, "".join(parts), "paired")


def trend(title: str, points: Sequence[tuple[str, Decimal | None]], maximum: Decimal) -> Markup:
    """A small line over the years (score or execution rate)."""
    width, height, pad = 240, 80, 22
    values = [(label, v) for label, v in points]
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    coords = []
    parts = []
    for i, (label, value) in enumerate(values):
        x = pad + i * step
        parts.append(
            f'<text x="{x:.0f}" y="{height - 4}" text-anchor="middle" class="chart-label">'
            f"{escape(label)}</text>"
        )
        if value is None:
            continue
        y = pad + (1 - float(min(value, maximum) / maximum)) * (height - 2 * pad - 8)
        coords.append(f"{x:.0f},{y:.0f}")
        parts.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="3" class="dot"/>'
            f'<text x="{x:.0f}" y="{y - 7:.0f}" text-anchor="middle" class="chart-value">'
            f"{escape(_number(value))}</text>"
        )
    line = f'<polyline points="{" ".join(coords)}" class="line"/>' if len(coords) > 1 else ""
    description = "; ".join(f"{label}: {'—' if v is None else _number(v)}" for label, v in values)
    return _svg(title, description, height, line + "".join(parts), width=width)


def _number(value: Decimal | int) -> str:
    text = f"{Decimal(value):.2f}"
    return text.rstrip("0").rstrip(".")


def _wan(value: Decimal) -> str:
    return f"{value / 10000:,.2f}万元"


def _axis_floor(values: Sequence[Decimal], top: Decimal) -> Decimal:
    """Where a score axis starts: 0, or a ten below the lowest value when every value is
    high (97.5 and 100 on an axis from 80 to 100, not two lines on top of each other)."""
    low = min(values, default=top)
    floor = (low // 10) * 10 - 10
    return max(Decimal(0), min(floor, top - 10))


def score_lines(
    title: str,
    points: Sequence[tuple[str, Decimal | None, Decimal | None]],
    maximum: Decimal | int,
    labels: tuple[str, str] = ("申报", "复核"),
) -> Markup:
    """Two lines over the years, the first dashed (e.g. 申报 and 复核 totals), each point
    with its value, the higher of a pair written above it and the lower below; a None leaves
    the point out. The axis runs from `_axis_floor` to `maximum`, both written at its left."""
    width, height, pad, top_y, bottom_y = 400, 170, 48, 40, 140
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    top = Decimal(maximum) or Decimal(1)
    floor = _axis_floor([v for _, *pair in points for v in pair if v is not None], top)

    def y_of(value: Decimal) -> float:
        share = (min(max(Decimal(value), floor), top) - floor) / (top - floor)
        return bottom_y - float(share) * (bottom_y - top_y)

    parts = [
        f'<line x1="{pad}" y1="12" x2="{pad + 24}" y2="12" class="line line-alt"/>'
        f'<text x="{pad + 30}" y="16" class="chart-value">{escape(labels[0])}</text>'
        f'<line x1="{pad + 130}" y1="12" x2="{pad + 154}" y2="12" class="line"/>'
        f'<text x="{pad + 160}" y="16" class="chart-value">{escape(labels[1])}</text>'
    ]
    for value in (floor, top):
        parts.append(
            f'<line x1="{pad - 6}" y1="{y_of(value):.0f}" x2="{width - pad + 6}" '
            f'y2="{y_of(value):.0f}" class="grid"/>'
            f'<text x="{pad - 10}" y="{y_of(value) + 4:.0f}" text-anchor="end" '
            f'class="chart-label">{escape(_number(value))}</text>'
        )
    for series, css in enumerate(("line line-alt", "line")):
        coords = []
        for i, point in enumerate(points):
            value, other = point[1 + series], point[2 - series]
            if value is None:
                continue
            x, y = pad + i * step, y_of(value)
            above = other is None or value > other or (value == other and series == 1)
            coords.append(f"{x:.0f},{y:.0f}")
            parts.append(
                f'<circle cx="{x:.0f}" cy="{y:.0f}" r="3" class="dot{" dot-alt" if series == 0 else ""}"/>'
                f'<text x="{x:.0f}" y="{y - 8 if above else y + 16:.0f}" text-anchor="middle" '
                f'class="chart-value">{escape(_number(value))}</text>'
            )
        if len(coords) > 1:
            parts.append(f'<polyline points="{" ".join(coords)}" class="{css}"/>')
    for i, (label, _, _) in enumerate(points):
        parts.append(
            f'<text x="{pad + i * step:.0f}" y="{height - 6}" text-anchor="middle" '
            f'class="chart-label">{escape(label)}</text>'
        )
    description = "; ".join(
        f"{label}: {labels[0]} {'—' if a is None else _number(a)}, "
        f"{labels[1]} {'—' if b is None else _number(b)}"
        for label, a, b in points
    )
    return _svg(title, description, height, "".join(parts))
