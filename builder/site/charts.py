"""Small charts drawn at build time: no script, no third-party library in the browser.

Bar charts are HTML rows (label and value as text, a sliver of SVG for the bar), so their text
wraps on a phone and grows with the reader's text size; the lines over the years are an SVG
drawn in percentages of its box, whose text is the page's and grows with it too.
Every chart is `role="img"` with a title and a description; the pages put the same figures in a
table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 560  # the width of an SVG chart's drawing, in its own units
# Where the lines' chart draws, in percent of its box: the first and last years this far in
# from the sides, the axis's top and floor this far down (text lines above and below).
_EDGE, _TOP, _BOTTOM = 8, 22, 74


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
    the point out. The axis runs from `_axis_floor` to `maximum`: grey lines, their figures
    said in the legend (灰线为 80 分和 100 分), never beside the points.

    Drawn in percentages of the chart's box, with no viewBox: the box is as wide as the page
    column and as tall as a number of text lines (`.chart.lines` in site.css), so its text is
    the page's text size and grows with the reader's (never shrunk with the drawing). The
    legend is HTML above it."""
    step = (100 - 2 * _EDGE) / max(len(points) - 1, 1)
    top = Decimal(maximum) or Decimal(1)
    floor = _axis_floor([v for _, *pair in points for v in pair if v is not None], top)

    def y_of(value: Decimal) -> float:
        share = (min(max(Decimal(value), floor), top) - floor) / (top - floor)
        return _BOTTOM - float(share) * (_BOTTOM - _TOP)

    def x_of(i: int) -> str:
        return f"{_EDGE + i * step:.1f}%"

    def anchor(i: int) -> str:  # the first and last labels kept inside the box
        return (
            "start" if i == 0 and len(points) > 1 else "end" if i == len(points) - 1 else "middle"
        )

    parts = []
    for value in (floor, top):  # the axis's range is said in the legend, not beside the points
        parts.append(
            f'<line x1="0" y1="{y_of(value):.1f}%" x2="100%" y2="{y_of(value):.1f}%" class="grid"/>'
        )
    for series, css in enumerate(("line line-alt", "line")):
        parts += _series(points, series, css, x_of, y_of, anchor)
    for i, (label, _, _) in enumerate(points):
        parts.append(
            f'<text x="{x_of(i)}" y="100%" dy="-.3em" text-anchor="{anchor(i)}" '
            f'class="chart-label">{escape(label.removesuffix("年"))}</text>'  # 2022: room for three years on a phone
        )
    description = "; ".join(
        f"{label}: {labels[0]} {'—' if a is None else _number(a)}, "
        f"{labels[1]} {'—' if b is None else _number(b)}"
        for label, a, b in points
    )
    axis = f"灰线为 {_number(floor)} 分和 {_number(top)} 分"
    return _lines_figure(title, description, labels, "".join(parts), axis)


def _series(
    points: Sequence[tuple[str, Decimal | None, Decimal | None]],
    series: int,
    css: str,
    x_of: Callable[[int], str],
    y_of: Callable[[Decimal], float],
    anchor: Callable[[int], str],
) -> list[str]:
    """One line of `score_lines` (`series` 0 the first, dashed; 1 the second): a segment
    between each two points drawn, each point a dot with its value above it (the higher of a
    pair) or below."""
    parts: list[str] = []
    drawn: list[tuple[str, float]] = []
    for i, point in enumerate(points):
        value, other = point[1 + series], point[2 - series]
        if value is None:
            continue
        x, y = x_of(i), y_of(value)
        above = other is None or value > other or (value == other and series == 1)
        if drawn:
            parts.append(
                f'<line x1="{drawn[-1][0]}" y1="{drawn[-1][1]:.1f}%" x2="{x}" y2="{y:.1f}%" '
                f'class="{css}"/>'
            )
        drawn.append((x, y))
        parts.append(
            f'<circle cx="{x}" cy="{y:.1f}%" r="4" class="dot{" dot-alt" if series == 0 else ""}"/>'
        )
        if series == 0 and value == other:
            continue  # the same figure twice: the second line's label says it
        parts.append(
            f'<text x="{x}" y="{y:.1f}%" dy="{"-.5em" if above else "1.2em"}" '
            f'text-anchor="{anchor(i)}" class="chart-value">{escape(_number(value))}</text>'
        )
    return parts


def _lines_figure(
    title: str, description: str, labels: tuple[str, str], drawing: str, axis: str
) -> Markup:
    """The lines' SVG (`drawing`, in percentages), named by `title` and `description`, with
    its legend of the two `labels` and the `axis` it is drawn on in HTML above it."""
    n = hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:10]
    legend = (
        f'<p class="chart-legend" aria-hidden="true"><span class="item"><span class="key key-alt">'
        f'</span>{escape(labels[0])}</span> <span class="item"><span class="key"></span>'
        f'{escape(labels[1])}</span> <span class="item axis">({escape(axis)})</span></p>'
    )
    return Markup(
        f'<div class="chart-lines">{legend}<svg class="chart lines" width="100%" role="img" '
        f'aria-labelledby="chart-t{n} chart-d{n}"><title id="chart-t{n}">{escape(title)}</title>'
        f'<desc id="chart-d{n}">{escape(description)}</desc>{drawing}</svg></div>'
    )
