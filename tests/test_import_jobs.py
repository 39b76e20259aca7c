"""`jixiao import --jobs N`: the files read in worker processes, a long PDF in page ranges, and
the output the same bytes as one process's, ids given in the order of the files whatever
finishes first."""

from __future__ import annotations

import json
import time
from pathlib import Path

from builder.intake import reading
from builder.intake.importer import ImportOptions, run_import
from builder.intake.readers import read
from builder.intake.readers.pdf import joined, page_count, read_pages
from builder.report.imports import import_document, import_lines
from builder.workbook.forms import form_workbook

from .importing import draft_of
from .roundtrip import SEED_FORMS, project_of


def _booklet(site: Path) -> Path:
    return site / "2023" / "lps-sbj" / "lps-sbj-2023.pdf"


def _run(files: list[Path], into: Path, jobs: int, drafting=reading.read_drafts):
    report = run_import(files, ImportOptions(into=into, jobs=jobs), drafting)
    written = {p.relative_to(into): p.read_bytes() for p in sorted(into.rglob("*")) if p.is_file()}
    said = json.dumps(import_document(report), ensure_ascii=False).replace(str(into), "INTO")
    lines = [line.replace(str(into), "INTO") for line in import_lines(report)]
    return report, written, said, lines


def test_two_jobs_give_the_bytes_of_one(example_site: Path, tmp_path: Path) -> None:
    """Workbooks, a booklet (read in page ranges), a file that is no form and a damaged one:
    the files written, the review list and --json are those of one process."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    files = []
    for form in SEED_FORMS:
        files.append(inputs / f"{form.stem}.xlsx")
        files[-1].write_bytes(form_workbook(project_of(form)))
    (inputs / "说明.txt").write_text("这不是自评表。\n", encoding="utf-8")
    (inputs / "坏.xlsx").write_bytes(b"PK\x03\x04 not a package")
    files[2:2] = [_booklet(example_site), inputs / "说明.txt", inputs / "坏.xlsx"]
    assert len(reading._ranges(_booklet(example_site), 2, reading.read_drafts)) > 1
    one = _run(files, tmp_path / "one", jobs=1)
    two = _run(files, tmp_path / "two", jobs=2)
    assert one[1:] == two[1:]
    assert len(one[0].forms) == 12 and len(one[0].failures) == 2
    assert {f.status for f in one[0].forms} == {"written"}


def test_a_pdf_cut_inside_a_form_joins_back_into_its_tables(example_site: Path) -> None:
    """Page ranges cut where a form runs on to the next page read back, joined, as the whole
    file reads: a page is read alone and the forms are found after the join."""
    booklet = _booklet(example_site)
    whole = read(booklet)
    pages = page_count(booklet)
    drafts = reading.read_drafts(booklet)[0]
    spanning = sorted(
        {
            min(pages_of)
            for draft in drafts
            if len(pages_of := {p.page for p in draft.places.values() if p.page}) > 1
        }
    )
    assert spanning, "no form of the booklet runs over two pages"
    for cut in spanning[:2]:
        parts = [read_pages(booklet, 1, cut), read_pages(booklet, cut + 1, pages)]
        assert joined(booklet, parts) == whole


def test_ids_follow_the_files_order_whatever_finishes_first(tmp_path: Path) -> None:
    """The first and third files propose the same id; the first takes a second to read and
    the third is read meanwhile (in this process, while the worker reads the first two):
    the first file still gets the id and the third `-2`, as with one job."""
    form = SEED_FORMS[0]
    files = [tmp_path / name for name in ("慢.pdf", "中.pdf", "快.pdf")]
    for file in files:
        file.write_bytes(b"%PDF-1.7\n")

    def drafting(file: Path):
        if file.name == "慢.pdf":
            time.sleep(1.0)
        return [draft_of(SEED_FORMS[1] if file.name == "中.pdf" else form, file.name)], []

    reports = {}
    for jobs in (1, 2):
        report = run_import(files, ImportOptions(into=tmp_path / f"c{jobs}", jobs=jobs), drafting)
        reports[jobs] = [(o.source, o.id) for o in report.forms]
    slug = reports[1][0][1]
    assert [source for source, _ in reports[1]] == [str(file) for file in files]
    assert reports[1][2][1] == f"{slug}-2" and reports[1][1][1] != slug
    assert reports[2] == reports[1]


def test_the_cli_takes_jobs_and_says_the_same(tmp_path: Path) -> None:
    """`jixiao import --jobs 2` prints what `--jobs 1` prints (the review list, --json)."""
    import os
    import subprocess
    import sys

    for form in SEED_FORMS[:3]:
        (tmp_path / f"{form.stem}.xlsx").write_bytes(form_workbook(project_of(form)))
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    said = {}
    for jobs, flag in ((1, "--json"), (2, "--json"), (1, "--lang=zh"), (2, "--lang=zh")):
        into = ["--into", f"c{jobs}{flag}"]
        completed = subprocess.run(
            [sys.executable, "-m", "builder", "import", *names, flag, f"--jobs={jobs}", *into],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
        assert completed.returncode == 0, completed.stderr
        said[(jobs, flag)] = completed.stdout.replace(f"c{jobs}{flag}", "INTO")
    assert (
        said[(1, "--json")] == said[(2, "--json")]
        and said[(1, "--lang=zh")] == said[(2, "--lang=zh")]
    )
