"""The documents of a build: a form per project that could be read, a booklet per unit and
year, each with its HTML, its attachments and its date."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from .. import urls
from ..config import PdfSettings
from ..form.dates import full_date
from ..form.model import Project
from ..rules.check import CheckedProject, CheckResult, project_record
from .cover import BookletCover, BookletRow, booklet_cover, booklet_row
from .jobs import EmbeddedFile
from .templates import FormView, PdfTemplates, form_view


@dataclass
class Document:
    """One PDF of the site, described before it is made."""

    site_path: str
    html: str  # a booklet's: its cover and contents with the forms' start pages unknown
    attachments: tuple[EmbeddedFile, ...]
    date: dt.date  # 填报日期 (a booklet's: the latest of its forms')
    data_date: dt.date | None = None  # 数据截至 in its foot (a booklet's: its forms' latest)
    booklet: BookletCover | None = None
    members: tuple[Document, ...] = ()  # a booklet's forms
    key: str = ""  # set once the build's shared part of the key is known (`cache`)

    @property
    def is_booklet(self) -> bool:
        """Whether this is a unit booklet rather than a project's form."""
        return self.booklet is not None


def file_date(project: Project) -> dt.date:
    """The date a form's PDF stamps on its attachments (so that its bytes are reproducible):
    its 填报日期, or, for a form that prints none, the last day of its year. A file's stamp
    only: the form and its metadata show no date the form does not print."""
    return full_date(project.filled_on) or dt.date(project.year, 12, 31)


# The forms of each unit and year, with their records and summary lines: what its booklet is
# made of.
Units = dict[tuple[int, str], list[tuple[FormView, EmbeddedFile, BookletRow]]]

# A checked form -> the date of its data (数据截至), None when none is known.
DataDates = Callable[[CheckedProject], dt.date | None]


def no_data_date(checked: CheckedProject) -> dt.date | None:
    """The `DataDates` of a build that prints no date of the data."""
    return None


def page_address(base_url: str, project: Project, unit: str) -> str:
    """The address of the project's page on the site, printed on its form."""
    return base_url.rstrip("/") + "/" + urls.project_dir(project, unit)


def _record_file(checked: CheckedProject) -> tuple[str, bytes]:
    project = checked.project
    assert project is not None
    record = project_record(checked)
    # The path inside content/, never the path of the machine that built it.
    record["file"] = "/".join(checked.file.parts[-3:])
    data = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False).encode() + b"\n"
    return f"{project.id}.json", data


def _forms(
    result: CheckResult, settings: PdfSettings, templates: PdfTemplates, data_dates: DataDates
) -> tuple[list[Document], Units, int]:
    """Each readable project's form (only the figures it prints; the annex has those of the
    policy that scored it; its foot the date of its data from `data_dates`), the forms by unit
    and year, and the projects skipped."""
    documents: list[Document] = []
    skipped = 0
    units: Units = {}
    for checked in result.projects:
        project = checked.project
        if project is None or checked.score is None:
            skipped += 1
            continue
        unit = urls.unit_slug(checked.file)
        view = form_view(checked, with_annex=settings.annex)
        name, data = _record_file(checked)
        record = EmbeddedFile(name, f"{project.name}:申报数据、复核计算结果与复核发现(JSON)", data)
        address = page_address(templates.base_url, project, unit)
        data_date = data_dates(checked)
        documents.append(
            Document(
                site_path=urls.project_pdf(project, unit),
                html=templates.form(view, address, data_date),
                attachments=(record,),
                date=file_date(project),
                data_date=data_date,
            )
        )
        units.setdefault((project.year, unit), []).append((view, record, booklet_row(checked)))
    return documents, units, skipped


def _booklets(forms: list[Document], units: Units, templates: PdfTemplates) -> list[Document]:
    by_path = {d.site_path: d for d in forms}
    booklets = []
    for (year, unit), members in sorted(units.items()):
        views = [view for view, _, _ in members]
        rows = tuple(row for _, _, row in members)
        forms_of = tuple(by_path[urls.project_pdf(view.project, unit)] for view in views)
        data_date = max((d for form in forms_of if (d := form.data_date)), default=None)
        cover = booklet_cover(year, views, templates.site_title, rows, data_date)
        booklets.append(
            Document(
                site_path=urls.unit_booklet(year, unit),
                html=templates.booklet(cover, [0] * len(views)),
                attachments=tuple(record for _, record, _ in members),
                date=max(file_date(view.project) for view in views),
                data_date=data_date,
                booklet=cover,
                members=forms_of,
            )
        )
    return booklets


def documents(
    result: CheckResult,
    settings: PdfSettings,
    templates: PdfTemplates,
    data_dates: DataDates = no_data_date,
) -> tuple[list[Document], int]:
    """Every document of the build, forms first (in the order of `result.projects`), then
    the booklets by year and unit when `settings.booklets`; and how many projects got no PDF
    because they could not be read. Each form's foot prints the date of its own data,
    `data_dates(checked)` (数据截至; none when None), a booklet's cover the latest of its
    forms': an edit on a new day changes that form's and its booklet's PDFs only."""
    forms, units, skipped = _forms(result, settings, templates, data_dates)
    if not settings.booklets:
        return forms, skipped
    return forms + _booklets(forms, units, templates), skipped
