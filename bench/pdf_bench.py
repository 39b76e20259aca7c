"""Benchmark of the PDF stage, each figure beside WeasyPrint's own layout time (the floor).

    .venv/bin/python bench/pdf_bench.py                 # every scenario
    .venv/bin/python bench/pdf_bench.py seed booklet    # some of them
    .venv/bin/python bench/pdf_bench.py --projects 200 bulk

Scenarios:
  seed      each seed form (content/) rendered repeatedly in one warm process: median seconds
            per PDF, against the median layout time of the same HTML;
  size      bytes of each one-page seed form (annex off);
  bulk      N synthetic projects (bench/corpus.py) through write_pdfs on every core, cold cache:
            the project PDFs, then the unit booklets, then a rebuild with nothing changed;
  booklet   one unit with 50 synthetic projects: its booklet alone;
  fonttools one seed form with WeasyPrint's fontTools fallback instead of HarfBuzz, as the
            build would be without libharfbuzz-subset0 (slow: about 10 s);
  subset    cutting the regular face to a build's characters, as the build does once per
            cache, and the glyph reordering after it; beside it uharfbuzz's cut of the same
            characters when that package is installed (it is not a dependency: see
            builder/pdf/native.py), in turns with ours, and whether the bytes are the same.

The floor of a write_pdfs run is the layout time summed over its documents, divided by the
number of worker processes: what the run would take if writing PDFs and everything around
WeasyPrint's layout cost nothing.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from builder.pdf.setup import settings_css  # noqa: E402
from builder.pdf.stage import PdfSettings, write_pdfs  # noqa: E402
from builder.pdf.templates import PdfTemplates, form_view  # noqa: E402
from builder.rules.check import check_content  # noqa: E402

OUT = ROOT / "bench" / "out" / "pdf"


def _row(name: str, value: str, floor: str, ratio: float | None, note: str = "") -> str:
    ratio_text = f"{ratio:.2f}×" if ratio is not None else "—"
    return f"| {name} | {value} | {floor} | {ratio_text} | {note} |"


def _load() -> str:
    """The machine's load when the figure was taken: wall times on a shared machine stretch."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def _renderer(config, cache: Path):
    """A renderer set up as a build sets up its workers: same fonts, same stylesheet."""
    from builder.pdf.render import Renderer
    from builder.pdf.setup import render_setup

    return Renderer(render_setup(config, cache))


def seed(rounds: int) -> list[str]:
    """Seconds per seed form in a warm process, PDF against layout alone: tagged (PDF/A-3a,
    the build's default) and untagged (PDF/A-3b), in turns in the same run."""
    from builder.pdf.jobs import EmbeddedFile, RenderJob

    result = check_content(ROOT / "content")
    settings = PdfSettings()
    templates = PdfTemplates("bench")
    checked = [c for c in result.projects if c.project is not None]
    htmls = [templates.form(form_view(c, with_annex=settings.annex)) for c in checked]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        renderers = {}
        for tagged in (True, False):
            pdf = result.config.pdf.model_copy(update={"tagged": tagged})
            renderers[tagged] = _renderer(result.config.model_copy(update={"pdf": pdf}), cache)
            renderers[tagged].layout(htmls[0])  # first use loads the fonts
        times = {tagged: ([], [], []) for tagged in renderers}
        for _ in range(rounds):
            for number, html in enumerate(htmls):
                for tagged, renderer in renderers.items():
                    layout, whole, cpu = times[tagged]
                    start = time.perf_counter()
                    renderer.layout(html)
                    layout.append(time.perf_counter() - start)
                    cpu_start = time.process_time()
                    job = RenderJob(
                        key=str(number),
                        html=html,
                        target=str(cache / f"{number}-{tagged}.pdf"),
                        attachments=(EmbeddedFile("record.json", "record", b"{}"),),
                        date=checked[number].project.filled_on,
                    )
                    whole.append(renderer.render(job).seconds)
                    cpu.append(time.process_time() - cpu_start)
    medians = {tagged: statistics.median(times[tagged][1]) for tagged in times}
    for tagged, (layout, whole, cpu) in times.items():
        pdf, floor = statistics.median(whole), statistics.median(layout)
        kind = "tagged, PDF/A-3a" if tagged else "untagged, PDF/A-3b"
        rows.append(
            _row(
                f"seed form PDF, median of {len(whole)} (annex on, {kind})",
                f"{pdf:.3f} s",
                f"{floor:.3f} s",
                pdf / floor,
                f"one warm process; CPU time {statistics.median(cpu):.3f} s; {_load()}"
                + (f"; {medians[True] / medians[False]:.2f}× untagged" if tagged else ""),
            )
        )
    return rows


def size() -> list[str]:
    result = check_content(ROOT / "content")
    with tempfile.TemporaryDirectory() as folder:
        site, cache = Path(folder) / "site", Path(folder) / "cache"
        settings = PdfSettings(annex=False, booklets=False)
        report = write_pdfs(result, result.config, settings, site, cache, 1)
        from pypdf import PdfReader

        sizes = []
        for path in report.written:
            file = site / path
            if len(PdfReader(file).pages) == 1:
                sizes.append(file.stat().st_size)
    return [
        _row(
            f"one-page seed form, largest of {len(sizes)}",
            f"{max(sizes) / 1024:.0f} KB",
            "—",
            None,
            f"smallest {min(sizes) / 1024:.0f} KB",
        )
    ]


def _corpus(projects: int, units: int | None, years: tuple[int, ...]) -> Path:
    import corpus

    folder = OUT / f"corpus-{projects}-{units}-{'-'.join(map(str, years))}"
    if not (folder / "site.yaml").exists():
        shutil.rmtree(folder, ignore_errors=True)
        corpus.generate(folder, projects=projects, seed=0, years=years, units=units)
    return folder


def _floor(layout_seconds: float, workers: int) -> float:
    return layout_seconds / max(1, workers)


def _cpu() -> float:
    """CPU seconds of this process and of its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _worker_peak_mb() -> float:
    """The peak resident memory of the largest finished worker process."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bulk(projects: int, jobs: int, tagged: bool = True) -> list[str]:
    content = _corpus(projects, None, (2023,))
    result = check_content(content, jobs=jobs)
    config = result.config
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        site, cache = Path(folder) / "site", Path(folder) / "cache"
        cpu = _cpu()
        settings = PdfSettings(booklets=False, tagged=tagged)
        forms = write_pdfs(result, config, settings, site, cache, jobs)
        cpu, forms_cpu = _cpu(), _cpu() - cpu
        workers = min(jobs, os.cpu_count() or 1)
        floor = _floor(forms.layout_seconds, workers)
        rows.append(
            _row(
                f"{forms.rendered} synthetic project PDFs ({'tagged' if tagged else 'untagged'}), "
                f"{workers} workers, cold cache",
                f"{forms.seconds:.1f} s",
                f"{floor:.1f} s",
                forms.seconds / floor,
                f"{forms.seconds / forms.rendered * workers:.3f} s per PDF per core; "
                f"CPU time {forms_cpu:.0f} s; largest worker {_worker_peak_mb():.0f} MB; {_load()}",
            )
        )
        booklets = write_pdfs(result, config, PdfSettings(tagged=tagged), site, cache, jobs)
        booklets_cpu = _cpu() - cpu
        floor = _floor(booklets.layout_seconds, workers)
        rows.append(
            _row(
                f"then their {booklets.booklets_rendered} unit booklets (forms reused)",
                f"{booklets.seconds:.1f} s",
                f"{floor:.1f} s",
                booklets.seconds / floor,
                f"{booklets.reused} project PDFs reused; CPU time {booklets_cpu:.0f} s; {_load()}",
            )
        )
        again = write_pdfs(result, config, PdfSettings(tagged=tagged), site, cache, jobs)
        rows.append(
            _row(
                "rebuild with nothing changed",
                f"{again.seconds:.1f} s",
                "0 s",
                None,
                f"{again.reused} + {again.booklets_reused} PDFs reused, "
                f"{again.rendered + again.booklets_rendered} rendered",
            )
        )
    return rows


def booklet(projects: int) -> list[str]:
    content = _corpus(projects, 1, (2023,))
    result = check_content(content)
    with tempfile.TemporaryDirectory() as folder:
        site, cache = Path(folder) / "site", Path(folder) / "cache"
        # Project PDFs first, so that the measured run lays out the booklet alone.
        write_pdfs(result, result.config, PdfSettings(booklets=False), site, cache, 2)
        cpu_start = time.process_time()
        report = write_pdfs(result, result.config, PdfSettings(), site, cache, 1)
        cpu = time.process_time() - cpu_start
        from pypdf import PdfReader

        (path,) = [p for p in report.written if p.count("/") == 2]
        pages = len(PdfReader(site / path).pages)
    return [
        _row(
            f"booklet of {projects} projects ({pages} pages), one process",
            f"{report.seconds:.1f} s",
            f"{report.layout_seconds:.1f} s",
            report.seconds / report.layout_seconds,
            f"CPU time {cpu:.1f} s; {_load()}",
        )
    ]


def fonttools() -> list[str]:
    """One seed form with the fontTools fallback and the whole system font, as WeasyPrint
    does when libharfbuzz-subset0 is missing."""
    import weasyprint.pdf.fonts as weasy_fonts
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    result = check_content(ROOT / "content")
    checked = next(c for c in result.projects if c.project is not None)
    templates = PdfTemplates("bench")
    html = templates.form(form_view(checked, result.policy, True))
    settings = PdfSettings()
    fonts = FontConfiguration()
    css = CSS(string=settings_css(settings) + templates.stylesheet(), font_config=fonts)
    saved = weasy_fonts.harfbuzz_subset
    timings = {}
    try:
        for name, library in (("harfbuzz", saved), ("fonttools", None)):
            weasy_fonts.harfbuzz_subset = library
            start = time.perf_counter()
            document = HTML(string=html).render(stylesheets=[css], font_config=fonts)
            laid_out = time.perf_counter()
            document.write_pdf(pdf_variant="pdf/a-3b")
            timings[name] = (time.perf_counter() - start, laid_out - start)
    finally:
        weasy_fonts.harfbuzz_subset = saved
    rows = []
    for name, (whole, layout) in timings.items():
        rows.append(
            _row(
                f"seed form, whole system font subset per PDF by {name}",
                f"{whole:.2f} s",
                f"{layout:.2f} s",
                whole / layout,
                "what a build without the corpus subset would pay",
            )
        )
    return rows


def _uharfbuzz_cut(face, wanted: list[str]) -> bytes:
    import uharfbuzz

    source = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(face.file)), face.index)
    covered = source.unicodes
    request = uharfbuzz.SubsetInput()
    request.unicode_set.update(ord(c) for c in wanted if ord(c) in covered)
    request.flags = uharfbuzz.SubsetFlags.DESUBROUTINIZE
    return uharfbuzz.subset(source, request).blob.data


def subset(rounds: int) -> list[str]:
    """Seconds to cut the regular face to a build's characters (median of `rounds`)."""
    import importlib.util

    from builder.pdf.fonts import check_environment
    from builder.pdf.glyph_order import glyphs_reordered
    from builder.pdf.repertoire import ALWAYS_KEPT, BASE_REPERTOIRE, GB2312_COMMON
    from builder.pdf.subset import _harfbuzz_subset

    face = check_environment(PdfSettings().font_stack, weasyprint=False).faces[0]
    template_text = set(PdfTemplates("bench").source_text())
    wanted = sorted(BASE_REPERTOIRE | template_text | ALWAYS_KEPT)
    cuts: dict[str, Callable[[], bytes]] = {"ours": lambda: _harfbuzz_subset(face, wanted)[0]}
    if importlib.util.find_spec("uharfbuzz") is not None:
        cuts["uharfbuzz"] = lambda: _uharfbuzz_cut(face, wanted)
    times: dict[str, list[float]] = {name: [] for name in cuts}
    fonts: dict[str, bytes] = {}
    for _ in range(rounds):
        for name, cut in cuts.items():  # in turns, so that the machine's load hits both
            start = time.perf_counter()
            fonts[name] = cut()
            times[name].append(time.perf_counter() - start)
    leading = sorted((template_text | ALWAYS_KEPT) & set(wanted)) + list(GB2312_COMMON)
    start = time.perf_counter()
    glyphs_reordered(fonts["ours"], leading)
    reorder = time.perf_counter() - start
    rows = [
        _row(
            f"HarfBuzz cut of one face to {len(wanted)} characters, {name}, median of {rounds}",
            f"{statistics.median(times[name]):.3f} s",
            "—",
            None,
            ("then fontTools glyph order " + f"{reorder:.2f} s; " if name == "ours" else "")
            + ("" if name == "ours" else f"same bytes as ours: {fonts[name] == fonts['ours']}; ")
            + _load(),
        )
        for name in cuts
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "scenarios",
        nargs="*",
        default=["seed", "size", "booklet", "bulk", "fonttools", "subset"],
        choices=["seed", "size", "booklet", "bulk", "fonttools", "subset"],
    )
    parser.add_argument("--projects", type=int, default=1000, help="bulk: synthetic projects")
    parser.add_argument(
        "--untagged", action="store_true", help="bulk: untagged PDFs (PDF/A-3b), to compare"
    )
    parser.add_argument("--booklet-projects", type=int, default=50)
    parser.add_argument(
        "--rounds", type=int, default=5, help="seed: renders of each form; subset: cuts"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    print("| measure | time or size | WeasyPrint layout (floor) | ratio | note |")
    print("| --- | --- | --- | --- | --- |")
    for scenario in args.scenarios:
        match scenario:
            case "seed":
                rows = seed(args.rounds)
            case "size":
                rows = size()
            case "bulk":
                rows = bulk(args.projects, args.jobs, not args.untagged)
            case "booklet":
                rows = booklet(args.booklet_projects)
            case "fonttools":
                rows = fonttools()
            case "subset":
                rows = subset(args.rounds)
        for row in rows:
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
