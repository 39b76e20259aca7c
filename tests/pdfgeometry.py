"""Where a PDF's words and cell borders are, in points from the top left of the page.

Words come from poppler's `pdftotext -bbox` (each word's box); borders from the page's content
stream read with pikepdf: every stroked straight segment, mapped through the current
transformation matrix (WeasyPrint draws a table's collapsed borders as such segments, in CSS
pixels under a flip and a scale). Used by the PDF layout tests to prove that no text crosses
the border of its cell.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf

# A word may touch a border by this much (points): glyph boxes include side bearings, and a
# border is 0.6pt wide.
TOLERANCE = 0.3


@dataclass(frozen=True)
class Word:
    """A word of text on a page (points, origin at the top left)."""

    page: int  # 1-based
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Rule:
    """A vertical border segment at `x`, from `top` to `bottom` (points, from the top left)."""

    page: int
    x: float
    top: float
    bottom: float


def words(pdf: Path) -> list[Word]:
    """Every word of `pdf` with its box, as `pdftotext -bbox` finds them."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    found, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if match:
            x0, top, x1, bottom = (float(v) for v in match.groups()[:4])
            found.append(Word(page, html.unescape(match.group(5)), x0, top, x1, bottom))
    return found


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The product a × b of two PDF matrices [a b c d e f] (a applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def vertical_rules(pdf: Path) -> list[Rule]:
    """Every vertical stroked segment of every page of `pdf`."""
    rules: list[Rule] = []
    with pikepdf.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            height = float(page.mediabox[3])
            ctm, stack, start, path = [1.0, 0, 0, 1.0, 0, 0], [], (0.0, 0.0), []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append(ctm)
                elif op == "Q":
                    ctm = stack.pop() if stack else ctm
                elif op == "cm":
                    ctm = _multiply([float(v) for v in operands], ctm)
                elif op in ("m", "l"):
                    x, y = (float(v) for v in operands)
                    point = (ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5])
                    if op == "l":
                        path.append((start, point))
                    start = point
                elif op == "S":
                    for (x0, y0), (x1, y1) in path:
                        if abs(x0 - x1) < 0.01 and abs(y0 - y1) > 0.01:
                            top, bottom = sorted((height - y0, height - y1))
                            rules.append(Rule(number, x0, top, bottom))
                    path = []
                elif op == "n":
                    path = []
    return rules


def crossings(pdf: Path) -> list[tuple[Word, Rule]]:
    """Each word that a vertical border runs through (beyond TOLERANCE), with that border."""
    rules = vertical_rules(pdf)
    found = []
    for word in words(pdf):
        middle = (word.top + word.bottom) / 2
        for rule in rules:
            if (
                rule.page == word.page
                and rule.top <= middle <= rule.bottom
                and word.x0 + TOLERANCE < rule.x < word.x1 - TOLERANCE
            ):
                found.append((word, rule))
    return found
