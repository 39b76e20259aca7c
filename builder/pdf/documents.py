"""The documents of a build: a form per project that could be read, a booklet per unit and
year, each with its HTML, its attachments and its date. The forms are made one at a time, as
the PDF stage sends them to its workers (`FormDocuments`): a build of 100,000 forms never holds
all their HTML."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .. import urls
from ..config import PdfSettings
from ..form.dates import full_date
from ..form.model import Project
from ..rules.check import CheckedProject, CheckResult, project_record
from .cover import BookletCover, BookletRow, booklet_cover, booklet_row
from .jobs import EmbeddedFile
from .templates import CoverForm, PdfTemplates, cover_form, form_view


@dataclass
class Document:
    """One PDF of the site, described before it is made."""

    site_path: str
    html: str  # a booklet's: its cover and contents with the forms' start pages unknown
    attachments: tuple[EmbeddedFile, ...]
    date: dt.date  # 填报日期 (a booklet's: the latest of its forms')
    data_date: dt.date | None = None  # 数据截至 in its foot (a booklet's: its forms' latest)
    booklet: BookletCover | None = None
    members: tuple[str, ...] = ()  # a booklet's forms: their document keys, in order
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


# A checked form -> the date of its data (数据截至), None when none is known.
DataDates = Callable[[CheckedProject], dt.date | None]


@dataclass(frozen=True)
class Member:
    """What a unit's booklet keeps of one of its forms once the form's document is made (for
    a build of 100,000 forms, a few words each: not its project, nor its view)."""

    cover: CoverForm  # what the booklet's cover reads of it
    site_path: str  # the form's PDF in the site (its key is looked up by it)
    record: EmbeddedFile  # attached to the booklet too
    row: BookletRow  # its line in the booklet's table
    date: dt.date  # its attachments' date (`file_date`)
    data_date: dt.date | None


# The forms of each unit and year, in order: what its booklet is made of.
Units = dict[tuple[int, str], list[Member]]


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


class FormDocuments:
    """The forms of a build, made one at a time as they are iterated (in the order of
    `result.projects`), so that a build holds the HTML of a few forms rather than of all of
    them; meanwhile it counts the projects skipped and, with `settings.booklets`, keeps what
    each unit's booklet needs of its forms (`booklets`). Iterate once."""

    def __init__(
        self,
        result: CheckResult,
        settings: PdfSettings,
        templates: PdfTemplates,
        data_dates: DataDates = no_data_date,
    ) -> None:
        self.result = result
        self.settings = settings
        self.templates = templates
        self.data_dates = data_dates
        self.skipped = 0  # projects that could not be read: no PDF
        self.units: Units = {}

    def __iter__(self) -> Iterator[Document]:
        """Each readable project's form (only the figures it prints; the annex has those of
        the policy that scored it; its foot the date of its data from `data_dates`)."""
        for checked in self.result.projects:
            project = checked.project
            if project is None or checked.score is None:
                self.skipped += 1
                continue
            unit = urls.unit_slug(checked.file)
            view = form_view(checked, with_annex=self.settings.annex)
            name, data = _record_file(checked)
            record = EmbeddedFile(
                name, f"{project.name}:申报数据、复核计算结果与复核发现(JSON)", data
            )
            address = page_address(self.templates.base_url, project, unit)
            data_date = self.data_dates(checked)
            site_path = urls.project_pdf(project, unit)
            yield Document(
                site_path=site_path,
                html=self.templates.form(view, address, data_date),
                attachments=(record,),
                date=file_date(project),
                data_date=data_date,
            )
            if self.settings.booklets:
                member = Member(
                    cover_form(view),
                    site_path,
                    record,
                    booklet_row(checked),
                    file_date(project),
                    data_date,
                )
                self.units.setdefault((project.year, unit), []).append(member)

    def booklets(self, keys: Mapping[str, str]) -> list[Document]:
        """A booklet per unit and year of the forms iterated so far, by year and unit, when
        `settings.booklets`; `keys`: each form's site path -> its document key, which its
        booklet's key and job name (`Document.members`)."""
        booklets = []
        for (year, unit), members in sorted(self.units.items()):
            data_date = max((d for m in members if (d := m.data_date)), default=None)
            rows = tuple(m.row for m in members)
            forms = [m.cover for m in members]
            cover = booklet_cover(year, forms, self.templates.site_title, rows, data_date)
            booklets.append(
                Document(
                    site_path=urls.unit_booklet(year, unit),
                    html=self.templates.booklet(cover, [0] * len(members)),
                    attachments=tuple(m.record for m in members),
                    date=max(m.date for m in members),
                    data_date=data_date,
                    booklet=cover,
                    members=tuple(keys[m.site_path] for m in members),
                )
            )
        return booklets


def documents(
    result: CheckResult,
    settings: PdfSettings,
    templates: PdfTemplates,
    data_dates: DataDates = no_data_date,
) -> tuple[list[Document], int]:
    """Every form of the build, in the order of `result.projects` (a list: `FormDocuments`
    makes them one at a time), and how many projects got no PDF because they could not be
    read. Each form's foot prints the date of its own data, `data_dates(checked)` (数据截至;
    none when None)."""
    forms = FormDocuments(result, settings, templates, data_dates)
    made = list(forms)
    return made, forms.skipped
