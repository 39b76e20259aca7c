"""One edit in a built corpus, timed: a form's `contact:` (or top-level `name:`) line changed,
then an incremental `build()` (jobs=2, no PDFs unless asked).

    python bench/export_edit_bench.py COPY TAG [--field contact|name] [--pdf] [--profile]

COPY is a built corpus (`bench/corpus.py`, built once: content/, site/, cache/ beside each
other); TAG is written into the edited line, so each run changes it. Prints one JSON line:
wall and CPU seconds of the whole process tree, the load average before and after, and the
build's seconds by stage (`BuildReport.seconds`). `--profile` runs the build under cProfile
timed by `time.process_time` and adds the CPU seconds of the open-data export's parts.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import resource
import time
from pathlib import Path

from builder.build import build
from builder.build_options import BuildOptions

PARTS = (
    "_export", "write_tables", "write_table", "unchanged", "splice", "year_workbook",
    "assemble", "update_sqlite", "write_sqlite", "_write_data_page", "project_data",
)  # fmt: skip


def edit(root: Path, tag: str, field: str) -> None:
    """Change the second form's `contact:` or top-level `name:` line to carry `tag`."""
    form = sorted((root / "content").glob("*/*/*.yaml"))[1]
    text = form.read_text("utf-8")
    if field == "contact":
        text = re.sub(r"^contact: .*$", f"contact: 编辑{tag}", text, count=1, flags=re.M)
    else:
        pattern = r"^name: (.*?)(（改[0-9A-Za-z]*）)?$"
        text = re.sub(
            pattern, lambda m: f"name: {m.group(1)}（改{tag}）", text, count=1, flags=re.M
        )
    form.write_text(text, "utf-8")


def cpu() -> float:
    """CPU seconds of this process and its children."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    """Parse the arguments, edit, build, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("tag")
    parser.add_argument("--field", choices=("contact", "name"), default="contact")
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    root = args.root
    edit(root, args.tag, args.field)
    options = BuildOptions(
        content=root / "content", site=root / "site", cache=root / "cache",
        pdf=args.pdf, incremental=True, jobs=2,
    )  # fmt: skip
    profile = cProfile.Profile(time.process_time) if args.profile else None
    used, started, load = cpu(), time.perf_counter(), os.getloadavg()[0]
    if profile is not None:
        profile.enable()
    report = build(options)
    if profile is not None:
        profile.disable()
    figures: dict[str, object] = {
        "tag": args.tag,
        "wall": round(time.perf_counter() - started, 2),
        "cpu": round(cpu() - used, 2),
        "load": [round(load, 1), round(os.getloadavg()[0], 1)],
        "incremental": report.incremental,
        "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
    }
    if profile is not None:
        parts: dict[str, float] = {}
        for (file, _, name), (_, _, _, cumulative, _) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
            if name in PARTS and "opendata" in file:
                parts[name] = round(parts.get(name, 0.0) + cumulative, 3)
        figures["export_cpu_profiled"] = parts
    print(json.dumps(figures, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
