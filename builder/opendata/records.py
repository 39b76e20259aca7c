"""Each exported project's rows and JSON record, serialised once and kept between builds."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Container, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from .. import urls
from ..form.model import Project
from ..printed import table_lines
from ..rules.check import CheckedProject, CheckResult, project_record
from ..rules.explain import SEVERITY_LABELS, explain, finding_place
from ..rules.findings import LocatedFinding, Severity
from ..rules.reconcile import quoted_grade, quoted_total
from ..rules.results import ProjectScore
from ..rules.spill import FormKey, SpilledForms
from .cells import csv_rows, rows_xml
from .columns import FINDING_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS, Cell, Column
from .encoding import json_value, record_bytes


@dataclass(frozen=True)
class ExportedProject:
    """A project that made it into the open data, with what every output needs of it."""

    checked: CheckedProject
    project: Project
    score: ProjectScore
    unit_slug: str

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """(year, unit folder, id): the order of every table."""
        return (self.project.year, self.unit_slug, self.project.id)


def exported_projects(
    result: CheckResult, leave: Container[Path] = ()
) -> list[ExportedProject] | Iterator[ExportedProject]:
    """The projects to publish, in (year, unit, id) order, but those whose file
    (`CheckedProject.file`) is in `leave`.

    A file that did not load is reported by the checker and has no data to publish. Files
    claiming one (year, id) are left out too (each has the `duplicate-id` error), so that
    (year, id) stays a key. Forms kept on disk (`rules.spill`) are chosen and ordered by
    their keys, and read back one at a time as the iterator goes on (none of those left).
    """
    if isinstance(result.projects, SpilledForms):
        return _read_back(result.projects, leave)
    exported = []
    for checked in result.projects:
        if checked.project is None or checked.score is None or checked.file in leave:
            continue
        if _duplicate(checked.located):
            continue
        exported.append(
            ExportedProject(checked, checked.project, checked.score, urls.unit_slug(checked.file))
        )
    return sorted(exported, key=lambda item: item.sort_key)


def _duplicate(located: list[LocatedFinding]) -> bool:
    return any(found.finding.code == "duplicate-id" for found in located)


def exported_keys(forms: SpilledForms) -> list[FormKey]:
    """The keys of the forms `exported_projects` gives, in its order, none read back."""
    keys = [key for key in forms.keys if key.scored and not _duplicate(key.located)]
    keys.sort(key=lambda key: (key.ids[0], urls.unit_slug(key.file), key.ids[1]))  # type: ignore[index]
    return keys


def _read_back(forms: SpilledForms, leave: Container[Path] = ()) -> Iterator[ExportedProject]:
    keys = [key for key in exported_keys(forms) if key.file not in leave]
    ordered = forms.subset(keys)
    for checked, key in zip(ordered, keys, strict=True):
        assert checked.project is not None and checked.score is not None
        yield ExportedProject(checked, checked.project, checked.score, urls.unit_slug(key.file))
    ordered.forget()


def absolute_url(base_url: str, site_path: str) -> str:
    """The address of a site path: `https://host/base/` + `2023/unit/id/`."""
    return base_url.rstrip("/") + "/" + site_path.lstrip("/")


def content_relative(file: Path) -> str:
    """`content/<year>/<unit>/<file>.yaml` -> `<year>/<unit>/<file>.yaml`.

    The same on every machine, whatever folder the content was checked out in.
    """
    return PurePosixPath(*file.parts[-3:]).as_posix()


# --- rows ---------------------------------------------------------------------------------


def declared_total(project: Project) -> Decimal | None:
    """The 总分 row; a form without one states its total only in the 自评结论."""
    declared = project.declared
    return declared.total if declared.total is not None else quoted_total(declared.conclusion)


def declared_grade(project: Project) -> str | None:
    """The 自评等次 field; most forms have none and state the grade only in the 自评结论."""
    declared = project.declared
    return declared.grade or quoted_grade(declared.conclusion)


def project_row(item: ExportedProject, base_url: str) -> dict[str, Cell]:
    """The project's row of projects.csv, by column name (`PROJECT_COLUMNS`); amounts in 元."""
    project, score, checked = item.project, item.score, item.checked
    funding = project.funding
    return {
        "year": project.year,
        "id": project.id,
        "unit_slug": item.unit_slug,
        "unit": project.unit,
        "department": project.department.name,
        "department_code": project.department.code or None,
        "name": project.name,
        "budget_initial": funding.total_yuan("initial"),
        "budget": funding.total_yuan("budget"),
        "executed": funding.total_yuan("executed"),
        "execution_rate": score.execution.rate,
        "computed_execution_score": score.execution.score,
        "computed_total": score.total,
        "computed_grade": score.grade,
        "declared_total": declared_total(project),
        "declared_grade": declared_grade(project),
        "errors": checked.count(Severity.error),
        "warnings": checked.count(Severity.warning),
        "notes": checked.count(Severity.note),
        "page_url": absolute_url(base_url, urls.project_dir(project, item.unit_slug)),
        "pdf_url": absolute_url(base_url, urls.project_pdf(project, item.unit_slug)),
        "project_code": project.code,
        "unit_code": project.unit_code,
        "review_score": project.declared.review_score,
        "problems": project.declared.problems,
        "improvements": project.declared.improvements,
        "other_notes": project.declared.other_notes,
        "remarks": project.remarks,
        "incomplete": score.incomplete,
    }


def indicator_rows(item: ExportedProject) -> list[dict[str, Cell]]:
    """The project's rows of indicators.csv, by column name (`INDICATOR_COLUMNS`): one per
    indicator in form order (`subrow` 0), each followed by its 「其中…」 rows (`subrow` 1, 2…,
    the same `row`, no 分值 or score of their own)."""
    project = item.project
    rows = []
    for line in table_lines(project):  # placeholder rows left out
        row, computed = line.row, None if line.sub else item.score.indicators[line.index]
        rows.append(
            {
                "year": project.year,
                "project_id": project.id,
                "row": line.index + 1,
                "level1": line.level1,
                "level2": line.level2,
                "level3": row.name,
                "target": row.target,
                "actual": row.actual,
                "weight": line.weight,
                "declared_score": line.score,
                "computed_score": computed.score if computed else None,
                "rule": computed.rule.value if computed else None,
                "reason": row.reason or None,
                "nature": row.nature,
                "measure_unit": row.measure_unit,
                "core": line.core,
                "subrow": line.subrow,
            }
        )
    return rows


def finding_rows(item: ExportedProject) -> list[dict[str, Cell]]:
    """The project's findings, one row each by column name (`FINDING_COLUMNS`), in the order
    of the check, each said in Chinese as the project's page says it."""
    project = item.project
    names = [indicator.name for indicator in project.indicators]
    rows: list[dict[str, Cell]] = []
    for located in item.checked.located:
        finding = located.finding
        general, detail = explain(finding)
        rows.append(
            {
                "year": project.year,
                "project_id": project.id,
                "severity": SEVERITY_LABELS[finding.severity],
                "code": finding.code,
                "field": finding.field,
                "place": finding_place(finding, names),
                "line": located.line,
                "column": located.column,
                "message": general + detail,
            }
        )
    return rows


SheetRow = tuple[Cell, ...]


def _in_order(columns: tuple[Column, ...], rows: list[dict[str, Cell]]) -> tuple[SheetRow, ...]:
    return tuple(tuple(row[column.name] for column in columns) for row in rows)


def full_record(
    item: ExportedProject, base_url: str, indicators: list[dict[str, Cell]] | None = None
) -> dict[str, Any]:
    """A project's JSON record: what was declared, what was computed, and what was found.

    Starts from the record of `jixiao check --json`, so the two never disagree, and adds the
    whole form as submitted (`form`, valid against `project.schema.json`) and the indicator
    rows of `indicators.csv` with their exact values (`indicators`, the project's
    `indicator_rows` when the caller has them already). Plain JSON values throughout.
    """
    return json_value(_model_record(item, base_url, indicators))  # type: ignore[no-any-return]


def _model_record(
    item: ExportedProject, base_url: str, indicators: list[dict[str, Cell]] | None
) -> dict[str, Any]:
    """`full_record` with the model's values as they are (Decimals, dates): `record_bytes`
    writes them as `json_value` would, in the JSON encoder."""
    project, unit = item.project, item.unit_slug
    record = project_record(item.checked)
    record["file"] = content_relative(item.checked.file)
    record["department_code"] = project.department.code
    record["unit_slug"] = unit
    record["links"] = {
        "page": absolute_url(base_url, urls.project_dir(project, unit)),
        "pdf": absolute_url(base_url, urls.project_pdf(project, unit)),
        "record": absolute_url(base_url, urls.project_record(project, unit)),
        "source": absolute_url(base_url, urls.project_source(project, unit)),
    }
    record["indicators"] = [
        {key: value for key, value in row.items() if key not in ("year", "project_id")}
        for row in (indicator_rows(item) if indicators is None else indicators)
    ]
    record["form"] = project.model_dump(mode="python")
    return record


# The pieces of a project's share with a digest each (`ProjectData.digests`): its lines of
# projects.csv and indicators.csv, its JSON record, its findings' rows, all its rows (the
# workbook's sheets, the SQLite tables).
DIGESTED = ("project_csv", "indicators_csv", "record", "findings_csv", "sheets")


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class ProjectData:
    """One project's share of the open-data tables, already serialised: kept between builds,
    so that an edit rewrites the tables by joining bytes, without re-reading every project."""

    sort_key: tuple[int, str, str]
    project_csv: bytes  # its line of projects.csv
    indicators_csv: bytes  # its lines of indicators.csv
    record: bytes  # the project's JSON record, compact, without the final newline
    digest: bytes = b""  # of the three above
    # Its rows of the year's workbook, as values in column order: projects (one row),
    # indicators, findings (`PROJECT_COLUMNS`, `INDICATOR_COLUMNS`, `FINDING_COLUMNS`).
    sheets: tuple[tuple[SheetRow, ...], ...] = ((), (), ())
    # The same rows as the workbook's sheet XML (`sheetxml.rows_xml`), in the same order.
    sheet_xml: tuple[bytes, ...] = (b"", b"", b"")
    # A digest of each piece a table is made of, in the order of `DIGESTED`: a table's
    # signature is made of its own pieces' (an edited contact changes projects.json alone).
    digests: tuple[bytes, ...] = ()

    def digest_of(self, piece: str) -> bytes:
        """The digest of `piece` (one of `DIGESTED`); `digest` when none were taken."""
        return self.digests[DIGESTED.index(piece)] if self.digests else self.digest

    @property
    def findings_csv(self) -> bytes:
        """Its lines of findings.csv, from its rows of the workbook's 核查结果."""
        return csv_rows(FINDING_COLUMNS, self.sheets[2])

    def rows(self, table: int) -> int:
        """How many rows it has in table `table` (0 projects, 1 indicators, 2 findings)."""
        return len(self.sheets[table])

    def xml(self, table: int) -> bytes:
        """Its rows of table `table` as the year workbook's sheet XML."""
        return self.sheet_xml[table]

    def size(self, piece: str) -> int:
        """The length in bytes of `piece`: `project_csv`, `indicators_csv`, `record` or
        `findings_csv`."""
        return len(getattr(self, piece))


def project_data(item: ExportedProject, base_url: str) -> ProjectData:
    """The project's rows and record, serialised, with their digest."""
    return project_share(item, base_url)[0]


def project_share(item: ExportedProject, base_url: str) -> tuple[ProjectData, tuple[bytes, ...]]:
    """`project_data`, and its three tables of rows pickled (`ProjectData.sheets`, each
    table on its own: what `stored.DataStore.put` keeps, and what their digests are of)."""
    indicators = indicator_rows(item)
    record = record_bytes(_model_record(item, base_url, indicators))
    sheets = (
        _in_order(PROJECT_COLUMNS, [project_row(item, base_url)]),
        _in_order(INDICATOR_COLUMNS, indicators),
        _in_order(FINDING_COLUMNS, finding_rows(item)),
    )
    project_csv = csv_rows(PROJECT_COLUMNS, sheets[0])
    indicators_csv = csv_rows(INDICATOR_COLUMNS, sheets[1])
    digest = hashlib.blake2b(digest_size=16)
    for piece in (project_csv, indicators_csv, record):
        digest.update(len(piece).to_bytes(8, "big") + piece)
    xml = tuple(rows_xml(table) for table in sheets)
    tables = tuple(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL) for table in sheets)
    rows = b"".join(len(table).to_bytes(8, "big") + table for table in tables)
    digests = tuple(
        _digest(piece) for piece in (project_csv, indicators_csv, record, tables[2], rows)
    )
    data = ProjectData(
        item.sort_key, project_csv, indicators_csv, record, digest.digest(), sheets, xml, digests
    )
    return data, tables
