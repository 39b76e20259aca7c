"""Helpers of the round-trip tests (tests/test_import_roundtrip*.py): a form's printed grid as a
Word report, LibreOffice converting files to PDF, `jixiao import` into a folder, and the
comparison of what came back with the form that went out.

What "equal" means (docs/import.md, "Round trips"): the loaded `Project`s are equal field by
field, `source` aside, with the form taken as its printed page can hold it:

- a 执行率 or 得分 given both as the total row's own and in `declared` (the same figure twice:
  大理, 临湘) is one cell on paper; it reads back as the row's own;
- the template's empty rows (「……」, 「指标2:」 with nothing else) are not printed (issue 12: the
  PDF prints the form's own rows), so they are not in the comparison;
- figures are compared as typed (`as_typed`), not as numbers: a 执行率 of 20.10 that comes
  back as 20.1 is a difference.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

from builder.form.load import load_project
from builder.form.model import Indicator, Project
from builder.intake.importer import run_import
from builder.intake.outcome import ImportOptions, ImportReport
from builder.workbook.grid import Grid

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ROOT / "docs" / "examples" / "families"
SEED_FORMS = sorted((ROOT / "content").glob("20*/*/*.yaml"))
FAMILY_FORMS = sorted(FAMILIES.glob("20*/*/*.yaml"))
FORMS = SEED_FORMS + FAMILY_FORMS


def project_of(path: Path) -> Project:
    """The project in the file at `path` (it loads)."""
    project = load_project(path).project
    assert project is not None, path
    return project


def as_printed(project: Project) -> Project:
    """The form as its printed page holds it (see the module's docstring), `source` and `id`
    left out of the comparison."""
    row, declared = project.funding.total_row, project.declared
    update: dict[str, object] = {"source": None, "id": "x"}
    if row is not None and not project.funding.by_key:
        same = {
            name: None
            for name, own in (("execution_rate", row.rate), ("execution_score", row.score))
            if getattr(declared, name) is not None and getattr(declared, name) == own
        }
        update["declared"] = declared.model_copy(update=same)
    update["indicators"] = [i for i in project.indicators if not i.is_placeholder]
    return project.model_copy(update=update)


def differences(got: Project, want: Project) -> dict[str, tuple[object, object]]:
    """The top-level fields where `got` and `want`, as printed, differ, each figure compared
    as typed (`as_typed`: 20.10 is not 20.1 here, though the Decimals are equal)."""
    a, b = as_typed(as_printed(got).model_dump()), as_typed(as_printed(want).model_dump())
    return {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}


def as_typed(value: object) -> object:
    """A model dump with every Decimal as the text of its digits (`str`: 20.10 stays 20.10,
    100.00 stays 100.00); amounts (`Money`) compare by their printed text already."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: as_typed(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_typed(item) for item in value]
    return value


def imported(files: list[Path], into: Path, **stated: str | None) -> ImportReport:
    """`jixiao import FILES --into INTO` (with `--region`/`--template` as `stated`)."""
    into.mkdir(parents=True, exist_ok=True)
    return run_import(files, ImportOptions(into=into, **stated))  # type: ignore[arg-type]


def stated(project: Project) -> dict[str, str | None]:
    """What a user importing the form states of it: its region (no form prints one)."""
    return {"region": project.region}


def report_docx(grid: Grid, path: Path) -> Path:
    """A Word report holding the form: paragraphs of the report, the lines printed above the
    table, the table (merged cells merged), the lines below it; `grid` is the form's printed
    grid (`builder.workbook`), written cell by cell, then the report going on (a section
    heading and its paragraph), which is not the form's, after its 注 too."""
    document = Document()
    document.styles["Normal"].font.size = Pt(9)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(1.5)
    document.add_heading("项目支出绩效自评报告", level=1)
    document.add_paragraph("一、项目基本情况。本报告附项目支出绩效目标自评表如下。")
    rows = grid.row_texts()
    first, last = grid.table_rows
    for texts in rows[:first]:
        document.add_paragraph("  ".join(text for text in texts if text))
    _table(document, grid)
    for texts in rows[last + 1 :]:
        document.add_paragraph("  ".join(text for text in texts if text))
    document.add_paragraph("二、下一步工作")
    document.add_paragraph("继续加强项目绩效管理。")
    document.save(path)
    return path


def _table(document: object, grid: Grid) -> None:
    first, last = grid.table_rows
    table = document.add_table(rows=last - first + 1, cols=grid.columns)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    # The sheet's column widths, over the page's 18 cm: a report's table, not equal columns.
    per_digit = 18.0 / sum(grid.widths)
    for row in table.rows:
        for cell, width in zip(row.cells, grid.widths, strict=True):
            cell.width = Cm(width * per_digit)
    for cell in grid.cells:
        if not first <= cell.row <= last:
            continue
        top = table.cell(cell.row - first, cell.column)
        if cell.rows > 1 or cell.columns > 1:
            top = top.merge(table.cell(cell.last_row - first, cell.last_column))
        top.text = cell.text


def soffice_pdf(files: list[Path], outdir: Path) -> list[Path]:
    """LibreOffice converts `files` to PDF in one run (its own user profile, so that runs in
    parallel do not clash); the PDFs, in the order of `files`."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    assert program is not None, "LibreOffice (soffice) is not installed"
    profile = Path(f"/tmp/lo-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [outdir / f"{file.stem}.pdf" for file in files]
    assert all(path.exists() for path in out), [p for p in out if not p.exists()]
    return out


def made_indicator(level1: str, level2: str, name: str, target: str, weight: int) -> Indicator:
    """An indicator of a test's own, full marks; a target of digits alone is a figure in %
    (指标性质 ≥), any other is met as words (达成年度指标)."""
    figure = target.isdigit()
    return Indicator.model_validate(
        {
            "level1": level1,
            "level2": level2,
            "name": name,
            "target": target,
            "actual": "90%" if figure else "达成年度指标",
            "weight": weight,
            "score": weight,
            **({"nature": "≥", "unit": "%"} if figure else {}),
        }
    )


def form_with_indicators(stem: str, rows: list[tuple[str, str, str, str, int]]) -> Project:
    """The example form `stem` (of `FORMS`) with `rows` (`made_indicator`'s arguments) as its
    indicators: a table of a test's own shape inside a real form."""
    (path,) = [form for form in FORMS if form.stem == stem]
    return project_of(path).model_copy(update={"indicators": [made_indicator(*r) for r in rows]})
