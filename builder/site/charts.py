"""Small SVG charts drawn at build time: no script, no third-party library in the browser.

Every chart is `role="img"` with a title and a description; the pages put the same figures in a
table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

ROW = 26  # px per bar row
LABEL = 150  # px for the label column
WIDTH = 560


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


def bars(
    title: str,
    rows: Sequence[tuple[str, Decimal | int | None]],
    maximum: Decimal | int,
    unit: str = "",
    css: str = "bar",
) -> Markup:
    """Horizontal bars, one per (label, value); the value is printed at the end of its bar."""
    height = ROW * len(rows) + 8
    span = WIDTH - LABEL - 70
    top = Decimal(maximum) or Decimal(1)
    parts = []
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        shown = "—" if value is None else f"{_number(value)}{unit}"
        length = 0 if value is None else int(min(Decimal(value), top) / top * span)
        parts.append(
            f"<g><title>{escape(label)}: {escape(shown)}</title>"
            f'<text x="{LABEL - 6}" y="{y + 17}" text-anchor="end" class="chart-label">'
            f"{escape(_clip(label))}</text>"
            f'<rect x="{LABEL}" y="{y + 4}" width="{max(length, 1)}" height="{ROW - 8}" '
            f'class="{css}"/>'
            f'<text x="{LABEL + length + 6}" y="{y + 17}" class="chart-value">{escape(shown)}</text>'
            "</g>"
        )
    description = "; ".join(
        f"{label}: {'—' if v is None else f'{_number(v)}{unit}'}" for label, v in rows
    )
    return _svg(title, description, height, "".join(parts))


def paired_bars(
    title: str, rows: Sequence[tuple[str, Decimal, Decimal]], labels: tuple[str, str]
) -> Markup:
    """Two bars per row (e.g. budget and executed), scaled to the largest value."""
    height = ROW * 2 * len(rows) + 34
    span = WIDTH - LABEL - 90
    top = max([max(a, b) for _, a, b in rows] or [Decimal(1)]) or Decimal(1)
    parts = [
        f'<rect x="{LABEL}" y="6" width="12" height="12" class="bar"/>'
        f'<text x="{LABEL + 18}" y="17" class="chart-value">{escape(labels[0])}</text>'
        f'<rect x="{LABEL + 140}" y="6" width="12" height="12" class="bar bar-alt"/>'
        f'<text x="{LABEL + 158}" y="17" class="chart-value">{escape(labels[1])}</text>'
    ]
    for i, (label, first, second) in enumerate(rows):
        y = 28 + i * ROW * 2
        for j, (value, css) in enumerate(((first, "bar"), (second, "bar bar-alt"))):
            length = int(value / top * span)
            yy = y + j * (ROW - 6)
            parts.append(
                f'<rect x="{LABEL}" y="{yy}" width="{max(length, 1)}" height="{ROW - 10}" '
                f'class="{css}"/><text x="{LABEL + length + 6}" y="{yy + 13}" '
                f'class="chart-value">{escape(_wan(value))}</text>'
            )
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + ROW - 4}" text-anchor="end" class="chart-label">'
            f"<title>{escape(label)}</title>{escape(_clip(label))}</text>"
        )
    description = "; ".join(
        f"{label}: {labels[0]} {_wan(a)}, {labels[1]} {_wan(b)}" for label, a, b in rows
    )
    return _svg(title, description, height, "".join(parts))


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
