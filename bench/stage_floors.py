"""Each stage of a full build beside its floor, on the same corpus, in one run.

    .venv/bin/python bench/stage_floors.py --projects 10000 --rounds 3 [--keep DIR]

A round is: a full build without PDFs (`build()` in this process, as `jixiao build --full
--no-pdf` runs it), then the floors measured on what it made:

- render: the same build with every write thrown away (`Staging.write` discards the bytes)
  and no search index: the render stage is then Jinja2 making the pages from the views, with
  nothing written;
- export: writing the open-data files of that build (`data/` and every project's record and
  source) from memory into an empty folder, one `open` and `write` a file;
- search: one Pagefind extended process over the written site (the build runs one per part);
- pages: writing the pages from memory the same way.

Reported: each stage's wall seconds (medians of the rounds; the stages that run alongside
overlap), each floor, the ratio stage/floor, CPU seconds of the whole build, and the load
average. The machine is shared: compare ratios measured in the same round.
"""

from __future__ import annotations

import argparse
import json
import os
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
from builder.build import build  # noqa: E402
from builder.build_options import BuildOptions  # noqa: E402
from builder.publish import staging as staging_module  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and the children it waited for."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def full_build(content: Path, work: Path, jobs: int, search: bool = True) -> dict[str, float]:
    """One full build without PDFs into `work`: its stage laps, wall and CPU seconds."""
    shutil.rmtree(work, ignore_errors=True)
    options = BuildOptions(
        content=content,
        site=work / "site",
        cache=work / "cache",
        jobs=jobs,
        pdf=False,
        search=search,
        incremental=False,
    )
    start, start_cpu = time.perf_counter(), cpu()
    report = build(options)
    return {
        **report.seconds,
        "wall": time.perf_counter() - start,
        "cpu": cpu() - start_cpu,
    }


def render_floor(content: Path, work: Path, jobs: int) -> float:
    """The render stage of a build whose writes are all thrown away (no search index)."""
    write = staging_module.Staging.write
    staging_module.Staging.write = lambda self, site_path, data: True  # type: ignore[method-assign]
    try:
        return full_build(content, work, jobs, search=False)["render"]
    finally:
        staging_module.Staging.write = write  # type: ignore[method-assign]


def write_floor(site: Path, files: list[Path], work: Path) -> float:
    """Seconds to write `files` (paths under `site`) from memory into an empty folder."""
    held = [(path.relative_to(site).as_posix(), path.read_bytes()) for path in files]
    target = work / "floor"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    start = time.perf_counter()
    for relative, data in held:
        path = target / relative
        try:
            handle = open(path, "xb")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "xb")
        with handle:
            handle.write(data)
    seconds = time.perf_counter() - start
    shutil.rmtree(target, ignore_errors=True)
    return seconds


def open_data_files(site: Path) -> list[Path]:
    """The open data's files: `data/` and each project's record and source."""
    files = [p for p in (site / "data").rglob("*") if p.is_file()]
    for page in site.glob("[0-9]*/*/*/index.html"):
        files += [p for p in page.parent.iterdir() if p.suffix in (".json", ".yaml")]
    return sorted(files)


def pagefind_floor(site: Path, work: Path) -> float:
    """One Pagefind extended process over the whole written site."""
    binary = os.environ.get("JIXIAO_PAGEFIND") or str(
        Path(sys.prefix) / "bin" / "pagefind_extended"
    )
    output = work / "pagefind-floor"
    start = time.perf_counter()
    subprocess.run(
        [binary, "--site", str(site), "--output-path", str(output), "--silent"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    shutil.rmtree(output, ignore_errors=True)
    return seconds


def one_round(content: Path, work: Path, jobs: int) -> dict[str, float]:
    figures = full_build(content, work / "build", jobs)
    site = work / "build" / "site"
    figures["export_floor"] = write_floor(site, open_data_files(site), work)
    pages = sorted(site.rglob("*.html"))
    figures["pages_write_floor"] = write_floor(site, pages, work)
    figures["search_floor"] = pagefind_floor(site, work)
    figures["render_floor"] = render_floor(content, work / "floor-build", jobs)
    figures["load"] = os.getloadavg()[0]
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}), file=sys.stderr)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--content", type=Path, help="an existing corpus instead of a new one")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-floors-"))
    content = args.content or work / "content"
    if not content.exists():
        generate(content, projects=args.projects, seed=0)
    rounds = [one_round(content, work, args.jobs) for _ in range(args.rounds)]
    medians = {k: statistics.median(r[k] for r in rounds if k in r) for k in rounds[0]}
    for stage in ("render", "search"):
        medians[f"{stage}_ratio"] = medians[stage] / medians[f"{stage}_floor"]
    medians["export_ratio"] = medians["export"] / medians["export_floor"]
    print(json.dumps({k: round(v, 2) for k, v in medians.items()}, indent=1))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
