"""Whole-site build timings on the synthetic corpus: full, nothing changed, one project edited.

    .venv/bin/python bench/site_bench.py --projects 10000 --runs 3

The PDFs are left out (`--no-pdf`; bench/pdf_bench.py times them), unless `--pdf` is given:
then the full build runs once, and each edit republishes the form's PDF and its unit's
booklet. Each figure is the median of several runs of `jixiao build` as a whole process, with
its peak memory (the largest single process: the builder or one of its workers or indexers).
The baseline measured in the same run is `jixiao check` on the same corpus (load, validate and
score, nothing written); ratios against it are steadier than seconds on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

JIXIAO = [sys.executable, "-m", "builder"]


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run: os.wait4 reports the largest resident set of
    the process and the descendants it waited for (workers, the search indexers)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    process.stderr.close()
    return wall, usage.ru_maxrss / 1024


def edit_one(content: Path, round_number: int) -> Path:
    """Change one project's contact person: one page, its record, the tables and its search part."""
    target = sorted(content.rglob("*.yaml"))[1]
    text = re.sub(
        r"^contact: .*$",
        f"contact: 编辑{round_number}",
        target.read_text("utf-8"),
        count=1,
        flags=re.MULTILINE,
    )
    target.write_text(text, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="with the PDFs: the full build runs once (it is long; PDFs already in the cache "
        "are reused), then the rounds of nothing changed and one edit, each republishing the "
        "edited form's PDF and booklet",
    )
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-site-bench-"))
    content, site, cache = work / "content", work / "site", work / "cache"
    if not content.exists():
        generate(content, projects=args.projects, seed=0)
    build = [
        *JIXIAO,
        "build",
        "--content",
        str(content),
        "--output",
        str(site),
        "--cache",
        str(cache),
        "--jobs",
        str(args.jobs),
        "--quiet",
        *([] if args.pdf else ["--no-pdf"]),
    ]
    check = [
        *JIXIAO,
        "check",
        "--content",
        str(content),
        "--json",
        "--jobs",
        str(args.jobs),
        str(content),
    ]

    figures: dict[str, list[tuple[float, float]]] = {
        "check": [],
        "full": [],
        "unchanged": [],
        "one edit": [],
    }
    if args.pdf:
        # The PDFs' own cache is kept: with --keep, a corpus whose PDFs were made once is
        # measured again without laying out ten thousand forms anew.
        for entry in cache.glob("*"):
            if entry.name != "pdf":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        figures["full"].append(timed([*build, "--full"]))
    for round_number in range(args.runs):
        figures["check"].append(timed(check))
        if not args.pdf:
            shutil.rmtree(cache, ignore_errors=True)
            figures["full"].append(timed([*build, "--full"]))
        figures["unchanged"].append(timed(build))
        edit_one(content, round_number)
        figures["one edit"].append(timed(build))

    pages = sum(1 for _ in site.rglob("index.html"))
    project_page = next(site.glob("*/*/*/index.html"))
    css = site / "assets" / "site.css"
    baseline = statistics.median(w for w, _ in figures["check"])
    report = {
        "projects": args.projects,
        "pdf": args.pdf,
        "pages": pages,
        "jobs": args.jobs,
        "runs": args.runs,
        "project_page_html_css_kb": round(
            (project_page.stat().st_size + css.stat().st_size) / 1024, 1
        ),
        "site_mb": round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20),
        "figures": {
            name: {
                "median_s": round(statistics.median(w for w, _ in runs), 2),
                "min_s": round(min(w for w, _ in runs), 2),
                "max_s": round(max(w for w, _ in runs), 2),
                "peak_mb": round(max(m for _, m in runs)),
                "ratio_to_check": round(statistics.median(w for w, _ in runs) / baseline, 2),
            }
            for name, runs in figures.items()
        },
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
