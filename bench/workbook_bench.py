"""The CPU of the form workbooks (`builder.workbook.forms.form_workbook`) over a corpus, and
two sets of them compared as openpyxl reads them.

    python bench/corpus.py /tmp/c1k --projects 1000 --seed 0
    python bench/workbook_bench.py time /tmp/c1k            # CPU s of every form's workbook
    python bench/workbook_bench.py profile /tmp/c1k         # cProfile, the top of it
    python bench/workbook_bench.py dump /tmp/c1k OUT        # every form's workbook into OUT
    python bench/workbook_bench.py compare OUT_A OUT_B      # contents of two dumps compared

The forms are read (and checked) once before the clock starts: only the workbooks are timed
(`time.process_time`, this process). Run it from another checkout with
`PYTHONPATH=/that/checkout` to time that code on the same forms. `compare` reads each pair of
files that differ in bytes with openpyxl and compares every cell's value, type, number format,
font, border, alignment, fill, protection and quote prefix, the merges, data validations,
column widths, row heights, print area, page set-up, margins, print options and document
properties; it prints how many files had the same bytes, the same contents, or differed.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any


def projects(content: Path) -> list[tuple[str, Any]]:
    """(file name for the workbook, Project) of every form under `content`, in path order."""
    from builder.form.load import load_project

    found = []
    for path in sorted(content.glob("20*/*/*.yaml")):
        project = load_project(path).project
        if project is not None:
            found.append(("_".join(path.relative_to(content).parts) + ".xlsx", project))
    return found


def _style(cell: Any) -> tuple[object, ...]:
    return (
        cell.number_format,
        repr(cell.font),
        repr(cell.border),
        repr(cell.alignment),
        repr(cell.fill),
        repr(cell.protection),
        cell.quotePrefix,
    )


def contents(path: Path) -> dict[str, object]:
    """What openpyxl reads from the workbook at `path` (see the module's docstring)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    p = book.properties
    out: dict[str, object] = {"props": (p.title, p.creator, p.created, p.modified)}
    for ws in book.worksheets:
        out[ws.title] = (
            {
                c.coordinate: (c.value, c.data_type, _style(c))
                for row in ws.iter_rows()
                for c in row
            },
            sorted(str(r) for r in ws.merged_cells.ranges),
            sorted(repr(vars(v)) for v in ws.data_validations.dataValidation),
            {k: (d.width, d.customWidth, d.min, d.max) for k, d in ws.column_dimensions.items()},
            {k: (d.height, d.customHeight) for k, d in ws.row_dimensions.items()},
            ws.print_area,
            repr((ws.page_setup, ws.page_margins, ws.print_options)),
            ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage,
            ws.sheet_view.showGridLines,
        )
    return out


def compare(a: Path, b: Path) -> int:
    """Compare the dumps in `a` and `b`; 0 when every file has the same contents."""
    names = sorted(p.name for p in a.glob("*.xlsx"))
    if names != sorted(p.name for p in b.glob("*.xlsx")):
        print("the two folders hold different files")
        return 1
    same_bytes = differ = 0
    for name in names:
        if (a / name).read_bytes() == (b / name).read_bytes():
            same_bytes += 1
        elif contents(a / name) != contents(b / name):
            differ += 1
            print("differs:", name)
    same = len(names) - same_bytes - differ
    print(f"{len(names)} files: {same_bytes} same bytes, {same} same contents, {differ} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("time", "profile", "dump", "compare"))
    parser.add_argument("first", type=Path, help="the corpus (a dump, for compare)")
    parser.add_argument("second", type=Path, nargs="?", help="dump: OUT; compare: the other")
    args = parser.parse_args()
    if args.what == "compare":
        return compare(args.first, args.second)
    from builder.workbook.forms import form_workbook

    forms = projects(args.first)
    if args.what == "time":
        start = time.process_time()
        for _, project in forms:
            form_workbook(project)
        print(f"{len(forms)} workbooks: {time.process_time() - start:.2f} s CPU")
    elif args.what == "profile":
        profile = cProfile.Profile()
        profile.runcall(lambda: [form_workbook(project) for _, project in forms])
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    else:
        args.second.mkdir(parents=True, exist_ok=True)
        for name, project in forms:
            (args.second / name).write_bytes(form_workbook(project))
    return 0


if __name__ == "__main__":
    sys.exit(main())
