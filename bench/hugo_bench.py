"""jixiao against Hugo + Pagefind on the same synthetic forms, side by side, in turns.

    .venv/bin/python bench/hugo_bench.py --projects 10000 --rounds 3
    .venv/bin/python bench/hugo_bench.py --projects 1000 --rounds 3 --pdf --keep /tmp/hb

One command: it writes the corpus (`bench/corpus.py`, seed 0), writes the same forms as a Hugo
site (one page per form with its funding table and its three-level indicator table, the
goals as Markdown; a listing per year and per unit; a home page: templates and config in
`bench/hugo/`, each form's data as JSON front matter), then runs rounds in which each scenario
is timed for both, one after the other (the order alternating by round):

- full: Hugo and then Pagefind extended over Hugo's output, from nothing (`public/` and
  Hugo's resources removed), against `jixiao build --full --no-pdf` with an empty cache and no
  site (pages, open data, workbooks, the search index);
- unchanged: the same again with nothing changed (Hugo has no incremental build from the
  command line: it renders everything and Pagefind indexes everything; jixiao builds from its
  cache);
- edit: one form's 项目负责人 changed (in both sites) and built again;
- template: one line added to the page frame (`base.html`, `baseof.html`) and built again.

With `--pdf`, jixiao's unchanged, edit and template builds are those of a site with its PDFs
(laid out once before the first round, untimed: about 0.25 s a form per core), so an edit
republishes its PDF and booklet; the full builds stay without PDFs.

jixiao is run from a copy of `builder/` and `templates/` in the work folder, so the template
change never touches the checkout. Hugo is Debian's `hugo` (0.111.3 on bookworm): if it is not
on the PATH the bench runs `apt-get install -y hugo` (as root; the test suite never needs
it). Pagefind is `pagefind_extended` beside the interpreter (`JIXIAO_PAGEFIND` names another).

Reported per scenario: the median of the rounds for each side, the median of the per-round
ratios jixiao/Hugo, the load average before and after, and the page sizes. Times are wall
seconds of whole processes; peak memory is the largest resident set among each command's
processes.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
HUGO_FILES = Path(__file__).resolve().parent / "hugo"
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

SCENARIOS = ("full", "unchanged", "edit", "template")
FUNDING_LABELS = {
    "total": "年度资金总额",
    "fiscal": "财政拨款",
    "local": "其中:本级安排",
    "superior": "其中:上级补助",
    "other": "其他资金",
}


def ensure_hugo() -> str:
    """The path of `hugo`, installing Debian's package with apt-get when it is missing."""
    found = shutil.which("hugo")
    if found:
        return found
    print("hugo is missing: apt-get update, apt-get install -y hugo", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-q"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "hugo"], check=True)
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("apt-get installed no hugo")
    return found


def pagefind_binary() -> str:
    """Pagefind extended: JIXIAO_PAGEFIND, else the binary beside the interpreter."""
    chosen = os.environ.get("JIXIAO_PAGEFIND") or str(
        Path(sys.prefix) / "bin" / "pagefind_extended"
    )
    if not Path(chosen).exists():
        raise SystemExit(f"no Pagefind at {chosen} (run .ci/setup, or set JIXIAO_PAGEFIND)")
    return chosen


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _levels(indicators: list[dict[str, Any]], weights: dict[str, Any]) -> list[dict[str, Any]]:
    """The indicator rows as the three-level table nests them: 一级 › 二级 › rows."""
    levels: list[dict[str, Any]] = []
    for row in indicators:
        level1, level2 = _text(row.get("level1")), _text(row.get("level2"))
        if not levels or levels[-1]["name"] != level1:
            weight = _text((weights.get("levels") or {}).get(level1))
            levels.append({"name": level1, "weight": weight, "rowspan": 0, "groups": []})
        level = levels[-1]
        if not level["groups"] or level["groups"][-1]["name"] != level2:
            level["groups"].append({"name": level2, "rows": []})
        fields = ("name", "nature", "target", "unit", "actual", "weight", "score", "reason")
        level["groups"][-1]["rows"].append({key: _text(row.get(key)) for key in fields})
        level["rowspan"] += 1
    return levels


def hugo_page(form: dict[str, Any]) -> str:
    """A Hugo content file for one form: its data as JSON front matter, its goals as the
    Markdown body. Values are passed as typed: Hugo prints them and checks nothing."""
    funding = form.get("funding") or {}
    rows = [
        {"label": FUNDING_LABELS.get(key, key), **{k: _text(v) for k, v in amounts.items()}}
        for key, amounts in funding.items()
        if isinstance(amounts, dict)
    ]
    total = (funding.get("total") or {}) if isinstance(funding, dict) else {}
    weights = form.get("weights") or {}
    declared = form.get("declared") or {}
    department = form.get("department") or {}
    matter = {
        "title": _text(form.get("name")),
        "project_id": _text(form.get("id")),
        "year": _text(form.get("year")),
        "unit": _text(form.get("unit")),
        "department": _text(department.get("name")),
        "department_code": _text(department.get("code")),
        "contact": _text(form.get("contact")),
        "filled_on": _text(form.get("filled_on")),
        "budget": _text(total.get("budget")),
        "executed": _text(total.get("executed")),
        "funding": rows,
        "funding_reason": _text(funding.get("reason")),
        "execution_weight": _text(weights.get("execution")),
        "execution_rate": _text(declared.get("execution_rate")),
        "execution_score": _text(declared.get("execution_score")),
        "levels": _levels(form.get("indicators") or [], weights),
        "total_weight": _text(declared.get("total_weight")),
        "declared_total": _text(declared.get("total")),
        "conclusion": _text(declared.get("conclusion")),
    }
    goals = form.get("goals") or {}
    body = f"### 预期目标\n\n{_text(goals.get('planned'))}\n\n### 实际完成情况\n\n{_text(goals.get('achieved'))}\n"
    return json.dumps(matter, ensure_ascii=False, indent=1) + "\n\n" + body


def write_hugo_content(content: Path, site: Path, forms: Iterable[Path] | None = None) -> None:
    """Write (or, given `forms`, rewrite) the Hugo site's content from jixiao's `content`:
    `content/<year>/<unit>/<id>.md`, and an `_index.md` per year and unit (their listings)."""
    target = site / "content"
    for path in sorted(forms if forms is not None else content.glob("*/*/*.yaml")):
        form = yaml.safe_load(path.read_text("utf-8"))
        unit_folder = target / path.parent.parent.name / path.parent.name
        if not unit_folder.exists():
            unit_folder.mkdir(parents=True)
            year_index = unit_folder.parent / "_index.md"
            if not year_index.exists():
                year_index.write_text(
                    json.dumps({"title": f"{form['year']}年度"}, ensure_ascii=False) + "\n",
                    encoding="utf-8",
                )
            department = (form.get("department") or {}).get("name", "")
            matter = {"title": _text(form.get("unit")), "department": _text(department)}
            (unit_folder / "_index.md").write_text(
                json.dumps(matter, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        (unit_folder / f"{path.stem}.md").write_text(hugo_page(form), encoding="utf-8")
    (target / "_index.md").write_text('{"title": "首页"}\n', encoding="utf-8")


Timing = tuple[float, float, float]  # wall seconds, peak resident MB, CPU seconds


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timing:
    """(wall seconds, peak resident MB, CPU seconds) of the process and the children it
    waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


class Hugo:
    """The Hugo side: `site/` (config, layouts, content) and its output `site/public/`."""

    def __init__(self, work: Path, content: Path) -> None:
        self.site = work / "hugo"
        self.content = content
        if not (self.site / "content").exists():
            shutil.copytree(HUGO_FILES, self.site)
            write_hugo_content(content, self.site)
        self.hugo, self.pagefind = ensure_hugo(), pagefind_binary()

    def build(self, cold: bool) -> Timing:
        """Hugo, then Pagefind over its output: seconds of both, the larger peak memory."""
        if cold:
            for name in ("public", "resources"):
                shutil.rmtree(self.site / name, ignore_errors=True)
        wall_h, peak_h, cpu_h = timed([self.hugo, "--quiet", "--destination", "public"], self.site)
        wall_p, peak_p, cpu_p = timed([self.pagefind, "--site", "public", "--silent"], self.site)
        return wall_h + wall_p, max(peak_h, peak_p), cpu_h + cpu_p

    def edited(self, form: Path) -> None:
        write_hugo_content(self.content, self.site, [form])

    def template_changed(self, round_number: int) -> None:
        _mark_frame(self.site / "layouts" / "_default" / "baseof.html", round_number)


class Jixiao:
    """The jixiao side: a copy of the code, and one site and cache per kind of build."""

    def __init__(self, work: Path, content: Path, jobs: int, pdf: bool) -> None:
        self.code = work / "jixiao"
        if not self.code.exists():
            ignore = shutil.ignore_patterns("__pycache__")
            for name in ("builder", "templates"):
                shutil.copytree(ROOT / name, self.code / name, ignore=ignore)
        self.work, self.content, self.jobs, self.pdf = work, content, jobs, pdf
        self.env = {**os.environ, "PYTHONPATH": str(self.code)}

    def command(self, kind: str, *extra: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "builder",
            "build",
            "--content",
            str(self.content),
            "--output",
            str(self.work / f"site-{kind}"),
            "--cache",
            str(self.work / f"cache-{kind}"),
            "--jobs",
            str(self.jobs),
            "--quiet",
            *extra,
        ]

    def warm_kind(self) -> tuple[str, tuple[str, ...]]:
        return ("pdf", ()) if self.pdf else ("nopdf", ("--no-pdf",))

    def prepare(self) -> None:
        """With PDFs: lay out every form's PDF once, before the rounds (untimed)."""
        if self.pdf:
            kind, extra = self.warm_kind()
            print("laying out the PDFs once (untimed) ...", file=sys.stderr)
            timed(self.command(kind, *extra), self.code, self.env)

    def full(self) -> Timing:
        for name in ("site-cold", "cache-cold"):
            shutil.rmtree(self.work / name, ignore_errors=True)
        result = timed(self.command("cold", "--full", "--no-pdf"), self.code, self.env)
        if not self.pdf:  # the incremental scenarios go on from this build
            for name in ("nopdf",):
                shutil.rmtree(self.work / f"site-{name}", ignore_errors=True)
                shutil.rmtree(self.work / f"cache-{name}", ignore_errors=True)
                os.rename(self.work / "site-cold", self.work / f"site-{name}")
                os.rename(self.work / "cache-cold", self.work / f"cache-{name}")
        return result

    def incremental(self) -> Timing:
        kind, extra = self.warm_kind()
        return timed(self.command(kind, *extra), self.code, self.env)

    def template_changed(self, round_number: int) -> None:
        _mark_frame(self.code / "templates" / "base.html", round_number)


def _mark_frame(template: Path, round_number: int) -> None:
    """One visible line more in a page frame: every page's bytes change."""
    text = template.read_text("utf-8")
    text = re.sub(r"<!-- bench round \d+ -->\n", "", text)
    text = text.replace("</body>", f"<!-- bench round {round_number} -->\n</body>", 1)
    template.write_text(text, encoding="utf-8")


def edit_form(content: Path, round_number: int) -> Path:
    """Change one form's 项目负责人 (the second form in path order)."""
    target = sorted(content.glob("*/*/*.yaml"))[1]
    text = target.read_text("utf-8")
    line = f"contact: 编辑{round_number}"
    if re.search(r"^contact: .*$", text, flags=re.MULTILINE):
        text = re.sub(r"^contact: .*$", line, text, count=1, flags=re.MULTILINE)
    else:
        text = text.replace("\nfunding:", f"\n{line}\nfunding:", 1)
    target.write_text(text, encoding="utf-8")
    return target


def page_sizes(hugo_public: Path, jixiao_site: Path, sample: Path) -> dict[str, float]:
    """The edited form's page on both sites, HTML only, in KB."""
    year, unit, stem = sample.parent.parent.name, sample.parent.name, sample.stem
    hugo_page_file = hugo_public / year / unit / stem / "index.html"
    jixiao_page = jixiao_site / year / unit / stem / "index.html"
    return {
        "hugo_project_page_kb": round(hugo_page_file.stat().st_size / 1024, 1),
        "jixiao_project_page_kb": round(jixiao_page.stat().st_size / 1024, 1),
        "hugo_files": sum(1 for p in hugo_public.rglob("*") if p.is_file()),
        "jixiao_files": sum(1 for p in jixiao_site.rglob("*") if p.is_file()),
    }


def run_round(
    number: int, hugo: Hugo, jixiao: Jixiao, content: Path
) -> dict[str, dict[str, Timing]]:
    """One round: each scenario for both sides, Hugo first in even rounds."""
    figures: dict[str, dict[str, Timing]] = {}
    for scenario in SCENARIOS:
        if scenario == "edit":
            form = edit_form(content, number)
            hugo.edited(form)
        elif scenario == "template":
            hugo.template_changed(number)
            jixiao.template_changed(number)
        sides = {
            "hugo": functools.partial(hugo.build, cold=scenario == "full"),
            "jixiao": jixiao.full if scenario == "full" else jixiao.incremental,
        }
        order = ["hugo", "jixiao"] if number % 2 == 0 else ["jixiao", "hugo"]
        figures[scenario] = {side: sides[side]() for side in order}
        print(f"round {number} {scenario}: {figures[scenario]}", file=sys.stderr)
    return figures


def summary(rounds: list[dict[str, dict[str, Timing]]]) -> dict[str, Any]:
    """Per scenario: medians of each side, the median and range of the per-round ratios."""
    report = {}
    for scenario in SCENARIOS:
        runs = [r[scenario] for r in rounds]
        ratios = [r["jixiao"][0] / r["hugo"][0] for r in runs]
        report[scenario] = {
            "hugo_median_s": round(statistics.median(r["hugo"][0] for r in runs), 2),
            "jixiao_median_s": round(statistics.median(r["jixiao"][0] for r in runs), 2),
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
            "hugo_peak_mb": round(max(r["hugo"][1] for r in runs)),
            "jixiao_peak_mb": round(max(r["jixiao"][1] for r in runs)),
            "hugo_cpu_median_s": round(statistics.median(r["hugo"][2] for r in runs), 2),
            "jixiao_cpu_median_s": round(statistics.median(r["jixiao"][2] for r in runs), 2),
            "cpu_ratio_median": round(
                statistics.median(r["jixiao"][2] / max(r["hugo"][2], 1e-6) for r in runs), 3
            ),
            "hugo_s": [round(r["hugo"][0], 2) for r in runs],
            "jixiao_s": [round(r["jixiao"][0], 2) for r in runs],
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pdf", action="store_true", help="jixiao's incremental builds with PDFs")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-hugo-bench-"))
    content = work / "content"
    if not content.exists():
        generate(content, projects=args.projects, seed=0)
    hugo, jixiao = Hugo(work, content), Jixiao(work, content, args.jobs, args.pdf)
    jixiao.prepare()
    load_before = os.getloadavg()
    rounds = [run_round(number, hugo, jixiao, content) for number in range(args.rounds)]
    sample = sorted(content.glob("*/*/*.yaml"))[1]
    warm = jixiao.warm_kind()[0]
    report = {
        "projects": args.projects,
        "rounds": args.rounds,
        "jobs": args.jobs,
        "pdf": args.pdf,
        "load_average_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        "scenarios": summary(rounds),
        "sizes": page_sizes(hugo.site / "public", work / f"site-{warm}", sample),
        "work": str(work),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
