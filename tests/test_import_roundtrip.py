"""Round trips that prove the way in (issue 13, item 3): every form of both example sites goes
out as a file and comes back through `jixiao import` as the same form (`roundtrip.as_printed`:
field by field, `source` aside):

- (a) its workbook from the built site (`<id>.xlsx`);
- (b) its PDF as jixiao renders it, and (e) the unit booklet, several forms in one PDF;
- (c) a Word report holding its printed grid in a table, with paragraphs around it;
- (d) LibreOffice converting that workbook and that report to PDF (one soffice run for all);
- (f) the seed text: into a copy of content/ all six unchanged, into an empty folder the
  models of content/2023/lps-sbj/ (ids aside);
- (g) forms of our own whose figures are typed with trailing zeros (tests/typed_forms.py:
  9.50, 10.0, 100.00): their PDF and workbook read back with the same digits.

The region is stated on import (`--region`), as a user does: no form prints it. The layout
family is told by the form's columns and words.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from builder.intake.outcome import UNCHANGED, WRITTEN
from builder.workbook.form import form_grid

from .roundtrip import (
    FORMS,
    ROOT,
    SEED_FORMS,
    differences,
    imported,
    project_of,
    report_docx,
    soffice_pdf,
    stated,
)
from .typed_forms import FORMS as TYPED_FORMS
from .typed_forms import form_file, site_file, typed_site

# A copy of ../shared/seeds/000_323fd84ef8a1a5d8.txt, so the tests need nothing outside.
SEED_TEXT = ROOT / "tests" / "data" / "intake" / "seed-lps-sbj-2023.txt"
# What does not read back yet from a PDF, by kind (docs/import.md, "Round trips"): (kind,
# form) -> the text layout the PDF reader does not put back together. Marked strict: a form
# that starts reading back makes its test fail until it is taken off the list. Every form
# reads back now (a row or merged cell LibreOffice split at a page break is joined again:
# readers/pdfcut.py).
GAPS: dict[tuple[str, str], str] = {}


def _cases(kind: str) -> list:
    """Every form, those of `GAPS` for `kind` marked as expected to fail (strict)."""
    return [
        pytest.param(
            form,
            id=form.stem,
            marks=[pytest.mark.xfail(strict=True, reason=GAPS[(kind, form.stem)])]
            if (kind, form.stem) in GAPS
            else [],
        )
        for form in FORMS
    ]


def _site_file(site: Path, form: Path, suffix: str) -> Path:
    year, unit = form.parent.parent.name, form.parent.name
    return site / year / unit / form.stem / f"{form.stem}{suffix}"


@pytest.fixture(scope="module")
def sites(example_site: Path, families_site: Path) -> dict[Path, Path]:
    """Each form file -> the built site it is published in."""
    return {form: example_site if form in SEED_FORMS else families_site for form in FORMS}


def _one_back(file: Path, form: Path, tmp_path: Path) -> dict[str, tuple[object, object]]:
    """Import `file` (one form) into an empty folder; the differences from `form`."""
    want = project_of(form)
    report = imported([file], tmp_path / "content", **stated(want))
    assert not report.failures, report.failures
    (outcome,) = report.forms
    assert outcome.status == WRITTEN and outcome.path is not None
    return differences(project_of(outcome.path), want)


@pytest.mark.parametrize("form", _cases("site-xlsx"))
def test_a_workbook_of_the_site_reads_back_as_the_form(form, sites, tmp_path) -> None:
    assert _one_back(_site_file(sites[form], form, ".xlsx"), form, tmp_path) == {}


@pytest.mark.parametrize("form", _cases("pdf"))
def test_a_jixiao_pdf_reads_back_as_the_form(form, sites, tmp_path) -> None:
    assert _one_back(_site_file(sites[form], form, ".pdf"), form, tmp_path) == {}


@pytest.mark.parametrize("form", _cases("word"))
def test_a_word_report_reads_back_as_the_form(form, tmp_path) -> None:
    document = report_docx(form_grid(project_of(form)), tmp_path / f"{form.stem}.docx")
    assert _one_back(document, form, tmp_path) == {}


@pytest.fixture(scope="module")
def libreoffice_pdfs(sites, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(form id, "xlsx" or "docx") -> the PDF LibreOffice made of the form's workbook and of
    its Word report: every file converted in one soffice run."""
    folder = tmp_path_factory.mktemp("libreoffice")
    files = []
    for form in FORMS:
        workbook = folder / f"{form.stem}-xlsx.xlsx"
        shutil.copyfile(_site_file(sites[form], form, ".xlsx"), workbook)
        report = report_docx(form_grid(project_of(form)), folder / f"{form.stem}-docx.docx")
        files += [workbook, report]
    # Two soffice runs side by side (the workbooks, the reports), each with its own profile.
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(soffice_pdf, files[kind::2], folder / "pdf") for kind in (0, 1)]
        pdfs = [pdf for run in runs for pdf in run.result()]
    return {tuple(pdf.stem.rsplit("-", 1)): pdf for pdf in pdfs}  # type: ignore[misc]


@pytest.mark.parametrize("form", _cases("xlsx"))
def test_libreoffice_pdf_of_the_workbook_reads_back(form, libreoffice_pdfs, tmp_path) -> None:
    assert _one_back(libreoffice_pdfs[(form.stem, "xlsx")], form, tmp_path) == {}


@pytest.mark.parametrize("form", _cases("docx"))
def test_libreoffice_pdf_of_the_report_reads_back(form, libreoffice_pdfs, tmp_path) -> None:
    assert _one_back(libreoffice_pdfs[(form.stem, "docx")], form, tmp_path) == {}


def test_a_booklet_reads_back_as_every_form_in_it(example_site, tmp_path) -> None:
    """The unit booklet of the seed (six forms, a cover and contents, each form's annex)."""
    booklet = example_site / "2023" / "lps-sbj" / "lps-sbj-2023.pdf"
    report = imported([booklet], tmp_path / "content")
    assert not report.failures
    wanted = {project_of(form).name: form for form in SEED_FORMS}
    assert sorted(o.name for o in report.forms) == sorted(wanted)
    for outcome in report.forms:
        assert outcome.path is not None
        got = project_of(outcome.path)
        want = project_of(wanted[outcome.name])
        if ("pdf", wanted[outcome.name].stem) in GAPS:
            continue  # said above, form by form
        assert differences(got, want) == {}, outcome.name


@pytest.fixture(scope="module")
def typed_root(example_site, tmp_path_factory) -> Path:
    """The folder `typed_forms.typed_site` built (content/ and site/)."""
    root = tmp_path_factory.mktemp("typed")
    typed_site(root, example_site)
    return root


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
@pytest.mark.parametrize("name", sorted(TYPED_FORMS))
def test_figures_typed_with_trailing_zeros_read_back_as_typed(name, suffix, typed_root, tmp_path):
    """A form declaring 9.50, 10.0, 100.00 (分值, 得分, the funding block's, 总分): its
    jixiao PDF and its workbook read back with those digits (`differences` compares as typed:
    a 9.50 read back as 9.5 is a difference)."""
    made = site_file(typed_root / "site", name, suffix)
    assert _one_back(made, form_file(typed_root, name), tmp_path) == {}


def test_the_seed_text_into_content_is_unchanged(tmp_path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    report = imported([SEED_TEXT], content)
    assert [o.status for o in report.forms] == [UNCHANGED] * 6
    assert report.exit_status == 0


def test_the_seed_text_into_an_empty_folder_gives_the_hand_files(tmp_path) -> None:
    report = imported([SEED_TEXT], tmp_path / "content")
    wanted = {project_of(form).name: project_of(form) for form in SEED_FORMS}
    assert len(report.forms) == 6
    for outcome in report.forms:
        assert outcome.status == WRITTEN and outcome.path is not None
        got = project_of(outcome.path)
        assert differences(got, wanted[outcome.name]) == {}
        assert got.model_copy(update={"id": "x", "source": None}) == wanted[
            outcome.name
        ].model_copy(update={"id": "x"})


STATED = ("--template", "yinchuan", "--region", "宁夏银川")


def test_the_cli_writes_the_family_and_region_the_user_states(tmp_path) -> None:
    """`jixiao import --template yinchuan --region 宁夏银川` on a seed form's text: both are
    written into the form (no form prints a region), the family stated over the columns'
    central as an informational review item (the exit status is 3 only for the seed text's
    own items that need a person)."""
    source = tmp_path / "form.txt"
    forms = SEED_TEXT.read_text(encoding="utf-8")
    source.write_text(forms, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "builder", "import", str(source), "--into", "c", "--json", *STATED],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    document = json.loads(done.stdout)
    codes = {item["code"] for form in document["forms"] for item in form["review"]}
    needs_person = bool(codes - {"id-chosen", "template-stated"})
    assert done.returncode == (3 if needs_person else 0), done.stderr
    assert len(document["forms"]) == 6
    for form in document["forms"]:
        project = project_of(tmp_path / form["path"])
        assert (project.template, project.region) == ("yinchuan", "宁夏银川")
        assert "template-stated" in {item["code"] for item in form["review"]}
