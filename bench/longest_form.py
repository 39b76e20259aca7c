"""The longest forms the bounds allow (builder/form/lengths.py), and what their PDFs cost.

    .venv/bin/python bench/longest_form.py                # every shape and kind of text
    .venv/bin/python bench/longest_form.py rows latin     # some of them

Each form is valid (`jixiao check` finds no error in it) and takes its text to the bounds in
one of three shapes, with one of two kinds of text:

  fields   every text of the form at its own bound, in the order of the file (the goals, the
           执行率说明 and the 自评结论 at MAX_TEXT), then rows of the 绩效指标 table with their
           texts at their bounds, until the texts together reach MAX_FORM_TEXT;
  rows     as many rows as MAX_FORM_TEXT allows, every text of a row at its bound but no
           未完成原因分析: the narrow columns, the most lines for the characters;
  reasons  rows whose 未完成原因分析 is at MAX_TEXT: rows taller than a page, laid out twice
           (builder/pdf/tall.py);

  cjk     Chinese, which may break between any two characters;
  latin   one unbroken run of letters per field, which may break nowhere: laying out such a
          run costs the square of its length (WeasyPrint measures the rest of the run for
          each line).

For each it prints the pages of the form's PDF and the CPU seconds of laying it out and writing
it in one warm process (the build's worker), as docs/performance.md reports them.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.form import lengths  # noqa: E402

SHAPES = ("fields", "rows", "reasons")
KINDS = ("cjk", "latin")
_RUNS = {"cjk": "绩效目标自评表项目支出", "latin": "abcdefghijklmnopqrstuvwxyz"}
# The largest amount a form may hold: 15 digits before the point, 2 after.
LARGEST_AMOUNT = "999999999999999.99"


def _text(kind: str, length: int, seed: int) -> str:
    """`length` characters of `kind`, starting with `seed` so that texts differ."""
    run = _RUNS[kind]
    start = seed % len(run)
    return ((run[start:] + run) * (length // len(run) + 2))[:length]


class _Budget:
    """Texts handed out until their lengths reach MAX_FORM_TEXT."""

    def __init__(self, kind: str) -> None:
        # Less the few characters the texts that may not be empty take when the rest is spent.
        self.kind, self.left, self.seed = kind, lengths.MAX_FORM_TEXT - 1000, 0

    def take(self, bound: int, least: int = 0) -> str:
        length = max(least, min(bound, self.left))
        self.left -= length
        self.seed += 1
        return _text(self.kind, length, self.seed)


def _row(budget: _Budget, levels: list[str], index: int, reason: bool) -> dict[str, Any]:
    level1 = levels[min(index, 2)]
    budget.left -= len(level1)  # printed on every row, counted on every row
    return {
        "level1": level1,
        "level2": budget.take(lengths.MAX_SHORT_TEXT, 1),
        "name": budget.take(lengths.MAX_SHORT_TEXT, 1),
        "target": budget.take(lengths.MAX_SHORT_TEXT),
        "actual": budget.take(lengths.MAX_SHORT_TEXT),
        "weight": 0,
        "score": 0,
        "reason": budget.take(lengths.MAX_TEXT) if reason else "",
        "unit": budget.take(lengths.MAX_SHORT_TEXT),
    }


def longest_form(shape: str, kind: str) -> dict[str, Any]:
    """A valid form of `shape` (SHAPES) with text of `kind` (KINDS), as YAML data; its
    amounts are strings of the largest amount (write it with `form_yaml`)."""
    budget = _Budget(kind)
    full = shape == "fields"  # the texts before the table at their bounds, or nearly empty
    levels = [_text(kind, lengths.MAX_SHORT_TEXT, seed) for seed in range(3)]
    # The three rows every form needs first (one per 一级指标), then the rest of the form.
    rows = [_row(budget, levels, index, reason=False) for index in range(3)]
    head = {
        "name": budget.take(lengths.MAX_SHORT_TEXT if full else 1, 1),
        "department": {"name": budget.take(lengths.MAX_SHORT_TEXT, 1), "code": "601"},
        "unit": budget.take(lengths.MAX_SHORT_TEXT if full else 1, 1),
        "contact": budget.take(lengths.MAX_SHORT_TEXT if full else 0),
    }
    amount = {"initial": LARGEST_AMOUNT, "budget": LARGEST_AMOUNT, "executed": LARGEST_AMOUNT}
    funding = {"total": amount, "reason": budget.take(lengths.MAX_TEXT if full else 0)}
    goals = {"planned": budget.take(lengths.MAX_TEXT if full else 1, 1)}
    goals["achieved"] = budget.take(lengths.MAX_TEXT if full else 1, 1)
    declared_tail = {
        "grade": budget.take(lengths.MAX_SHORT_TEXT if full else 1, 1),
        "conclusion": budget.take(lengths.MAX_TEXT if full else 0),
    }
    while budget.left > 40 and len(rows) < lengths.MAX_INDICATORS:
        rows.append(_row(budget, levels, len(rows), reason=shape != "rows"))
    for index, points in enumerate((50, 30, 10)):
        rows[index]["weight"] = rows[index]["score"] = points
    return {
        "id": f"longest-{shape}-{kind}",
        "year": 2023,
        **head,
        "filled_on": "2023-12-20",
        "funding": funding,
        "goals": goals,
        "weights": {"execution": 10, "levels": dict(zip(levels, (50, 30, 10), strict=True))},
        "indicators": rows,
        "declared": {
            "execution_rate": 100,
            "execution_score": 10,
            "total_weight": 100,
            "total": 100,
            **declared_tail,
        },
    }


def form_yaml(data: dict[str, Any]) -> str:
    """The form as a file writes it, the amounts as numbers."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 30)
    return text.replace(f"'{LARGEST_AMOUNT}'", LARGEST_AMOUNT)


def write_content(folder: Path, forms: list[dict[str, Any]]) -> Path:
    """A content folder at `folder` with the bundled site.yaml and `forms` in one unit."""
    content = folder / "content"
    (content / "2023" / "longest").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    for form in forms:
        (content / "2023" / "longest" / f"{form['id']}.yaml").write_text(form_yaml(form), "utf-8")
    return content


def measure(shapes: list[str], kinds: list[str]) -> None:
    """Print pages and CPU seconds of each longest form's PDF."""
    from builder.pdf.render import Renderer
    from builder.pdf.setup import render_setup
    from builder.pdf.templates import PdfTemplates, form_view
    from builder.rules.check import check_content

    with tempfile.TemporaryDirectory() as folder:
        forms = [longest_form(shape, kind) for shape in shapes for kind in kinds]
        result = check_content(write_content(Path(folder), forms))
        assert result.config is not None
        templates = PdfTemplates(result.config.title)
        renderer = Renderer(render_setup(result.config, Path(folder) / "cache"))
        print("| form | characters | rows | pages | CPU seconds |\n| --- | --- | --- | --- | --- |")
        for checked in result.projects:
            assert checked.project is not None, f"{checked.file} is not valid"
            html = templates.form(form_view(checked, result.config.scoring, with_annex=True))
            start = time.process_time()
            document = renderer.layout(html)
            renderer.write(document, (), checked.project.filled_on)
            seconds = time.process_time() - start
            size = sum(len(t) for t in _strings(checked.project.model_dump()))
            print(
                f"| {checked.project.id} | {size:,} | {len(checked.project.indicators)} "
                f"| {len(document.pages)} | {seconds:.1f} |"
            )


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def main() -> None:
    """Measure the shapes and kinds named on the command line (all of them by default)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"shapes {SHAPES} and kinds {KINDS}")
    names = parser.parse_args().names
    shapes = [s for s in SHAPES if s in names] or list(SHAPES)
    kinds = [k for k in KINDS if k in names] or list(KINDS)
    measure(shapes, kinds)


if __name__ == "__main__":
    main()
