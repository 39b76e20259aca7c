"""How fast `jixiao import` reads forms, by the kind of file they come in.

The forms are those of both example sites (content/: the seed's six; docs/examples/families:
nine of other provinces): each as its workbook (`builder.workbook`, the site's `<id>.xlsx`), as
a Word report (the printed grid in a table with paragraphs around it, as the round-trip tests
write it) and as jixiao's PDF (from a build of each site); the text is the seed's extracted text
(six forms in one file) and the three real forms of tests/data/intake. Then the two sizes
issue 13 names: 1,000 workbooks (the fifteen, copied under other names) and a PDF of 100 pages
or more (jixiao's PDFs of the fifteen forms joined, over and over, with pikepdf).

Each measurement imports every file of its kind into an empty folder (written, as a user's
first import is), with each of `--jobs` (1 and every core unless told: `jixiao import --jobs`),
`--runs` times (3 unless told); reported are the median wall time, its min-max, forms per
second, the median CPU time of this process and its workers (user + system: what the import
cost, whatever else the machine was doing) and the load average (`os.getloadavg`, 1 minute)
before and after the runs, since on a shared machine the wall time is its share. The inputs
are made once under bench/out/import/.

    .venv/bin/python bench/import_bench.py [--runs 3] [--workbooks 1000] [--pages 100] \
        [--jobs 1,2] [--only "xlsx x1000"]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "import"
sys.path.insert(0, str(ROOT))

from builder.build import build  # noqa: E402
from builder.build_options import BuildOptions  # noqa: E402
from builder.form.load import load_project  # noqa: E402
from builder.intake.importer import run_import  # noqa: E402
from builder.intake.outcome import ImportOptions  # noqa: E402
from builder.workbook.form import form_grid  # noqa: E402
from builder.workbook.forms import form_workbook  # noqa: E402
from tests.roundtrip import report_docx  # noqa: E402

SITES = {"seed": ROOT / "content", "families": ROOT / "docs" / "examples" / "families"}


def _forms() -> list[tuple[str, Path]]:
    return [(name, path) for name, c in SITES.items() for path in sorted(c.glob("20*/*/*.yaml"))]


def _project(path: Path):
    project = load_project(path).project
    assert project is not None, path
    return project


def _inputs(workbooks: int, pages: int) -> dict[str, list[Path]]:
    """Every kind's files (made under OUT the first time)."""
    import pikepdf

    kinds: dict[str, list[Path]] = {k: [] for k in ("text", "xlsx", "docx", "pdf")}
    kinds["text"] = [
        ROOT / "tests" / "data" / "intake" / name
        for name in (
            "seed-lps-sbj-2023.txt",
            "anhui-tianchang-2022-central-placeholders.txt",
            "yunnan-yongde-2022-central-split-columns.txt",
            "hubei-2020-execution-20-ocr.txt",
        )
    ]
    for kind in ("xlsx", "docx", "pdf"):
        (OUT / kind).mkdir(parents=True, exist_ok=True)
    for site, content in SITES.items():
        built = OUT / "sites" / site / "site"
        if not built.is_dir():
            build(BuildOptions(content=content, site=built, cache=OUT / "sites" / site / "cache"))
    for site, form in _forms():
        project = _project(form)
        xlsx, docx = OUT / "xlsx" / f"{form.stem}.xlsx", OUT / "docx" / f"{form.stem}.docx"
        if not xlsx.exists():
            xlsx.write_bytes(form_workbook(project))
        if not docx.exists():
            report_docx(form_grid(project), docx)
        pdf = OUT / "sites" / site / "site" / form.parent.parent.name / form.parent.name
        kinds["xlsx"].append(xlsx)
        kinds["docx"].append(docx)
        kinds["pdf"].append(pdf / form.stem / f"{form.stem}.pdf")
    many = OUT / f"xlsx-{workbooks}"
    if not many.is_dir():
        many.mkdir()
        for index in range(workbooks):
            source = kinds["xlsx"][index % len(kinds["xlsx"])]
            os.link(source, many / f"{index:04d}-{source.name}")
    kinds[f"xlsx x{workbooks}"] = sorted(many.iterdir())
    joined = OUT / f"joined-{pages}.pdf"
    if not joined.exists():
        with pikepdf.new() as out:
            while len(out.pages) < pages:
                for path in kinds["pdf"]:
                    with pikepdf.open(path) as one:
                        out.pages.extend(one.pages)
            out.save(joined)
    with pikepdf.open(joined) as pdf:
        kinds[f"pdf of {len(pdf.pages)} pages"] = [joined]
    return kinds


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _once(files: list[Path], jobs: int) -> tuple[float, float, int]:
    """(seconds, CPU seconds, forms) of one import of `files` into an empty folder."""
    with tempfile.TemporaryDirectory() as folder:
        start, cpu = time.perf_counter(), _cpu()
        report = run_import(files, ImportOptions(into=Path(folder) / "content", jobs=jobs))
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    assert not report.failures, report.failures
    return seconds, cpu, len(report.forms)


def main() -> None:
    """Make the inputs, time each kind with each number of jobs, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workbooks", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--jobs", default=f"1,{os.cpu_count() or 1}")
    parser.add_argument("--only", action="append", help="measure only the kinds named")
    parser.add_argument("--fresh", action="store_true", help="make the inputs again")
    args = parser.parse_args()
    if args.fresh:
        shutil.rmtree(OUT, ignore_errors=True)
    kinds = _inputs(args.workbooks, args.pages)
    jobs = sorted({int(n) for n in args.jobs.split(",")})
    print("| files | forms | jobs | median s | min-max s | forms/s | CPU s | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, files in kinds.items():
        if args.only and kind not in args.only:
            continue
        for n in jobs:
            load = os.getloadavg()[0]
            runs = [_once(files, n) for _ in range(args.runs)]
            seconds = [s for s, _, _ in runs]
            cpu = statistics.median(c for _, c, _ in runs)
            forms = runs[0][2]
            median = statistics.median(seconds)
            label = f"{kind} ({len(files)} files)"
            print(
                f"| {label} | {forms} | {n} | {median:.2f} | {min(seconds):.2f}-{max(seconds):.2f} "
                f"| {forms / median:.1f} | {cpu:.2f} | {load:.1f}-{os.getloadavg()[0]:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
