"""Open data: the checked forms as CSV, JSON and a Frictionless Data Package, per site and year.

Everything written here is a pure function of the content, so a rebuild gives the same bytes:
no timestamps, a fixed order (year, unit, id), dictionaries built in a fixed order, and
numbers written from their exact decimals.

Written into the site folder:

- `data/projects.csv`, `data/indicators.csv`, `data/projects.json`, `data/datapackage.json`,
  and the same for each year under `data/<year>/`;
- beside each project page, its JSON record and a copy of its YAML source;
- `data/schema/*.schema.json`, the JSON Schemas of the content files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from .. import urls
from ..config import SiteConfig
from ..form.model import Project
from ..form.schema import SCHEMA_DIR, SCHEMAS, render
from ..publish.staging import write_fresh, write_output
from ..rules.check import CheckedProject, CheckResult, project_record
from ..rules.findings import Severity, plain
from ..rules.reconcile import quoted_grade, quoted_total
from ..rules.score import ProjectScore, Rule

DATA_DIR = "data"
SCHEMA_SUBDIR = "schema"
PROJECTS_CSV = "projects.csv"
INDICATORS_CSV = "indicators.csv"
PROJECTS_JSON = "projects.json"
DATAPACKAGE = "datapackage.json"

# Excel on Chinese Windows reads a CSV without a byte order mark as GBK and garbles it.
CSV_ENCODING = "utf-8-sig"
CSV_LINE_END = "\r\n"  # RFC 4180, and what Frictionless assumes by default

# A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"

NEUTRALISED_NOTE = (
    "CSV 中以 = + - @、制表符或回车开头的文本单元格前加了一个英文单引号('),"
    "以免电子表格软件把它当作公式执行;JSON 文件保留原文。"
)

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Column:
    """One column of a published table, and its Frictionless field descriptor."""

    name: str
    type: str  # Frictionless field type
    title: str
    description: str
    required: bool = False
    format: str | None = None
    enum: tuple[str, ...] | None = None

    def descriptor(self) -> dict[str, Any]:
        field: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.format:
            field["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if constraints:
            field["constraints"] = constraints
        return field


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("year", "integer", "年度", "自评年度。", required=True),
    Column(
        "id",
        "string",
        "项目标识",
        "项目的稳定标识(小写字母、数字、连字符),同一项目各年度相同;与年度一起唯一确定一个项目。",
        required=True,
    ),
    Column("unit_slug", "string", "单位目录", "实施单位在网站地址中的目录名。", required=True),
    Column("unit", "string", "实施单位", "实施单位名称。", required=True),
    Column("department", "string", "主管部门", "主管部门名称。", required=True),
    Column("department_code", "string", "部门代码", "主管部门代码,表上未填时为空。"),
    Column("name", "string", "项目名称", "项目名称。", required=True),
    Column(
        "budget_initial",
        "number",
        "年初预算数(元)",
        "年度资金总额行的年初预算数,单位元,按表上数字原样记录。",
        required=True,
    ),
    Column(
        "budget",
        "number",
        "全年预算数(元)",
        "年度资金总额行的全年预算数(A),单位元。",
        required=True,
    ),
    Column(
        "executed",
        "number",
        "全年执行数(元)",
        "年度资金总额行的全年执行数(B),单位元。",
        required=True,
    ),
    Column(
        "execution_rate",
        "number",
        "执行率(%)",
        "复核计算的执行率:全年执行数 ÷ 全年预算数 × 100,四舍五入保留两位小数;全年预算数为 0 时为空。",
    ),
    Column(
        "computed_execution_score",
        "number",
        "预算执行率得分(复核)",
        "按评分规则复核计算的预算执行率得分。",
        required=True,
    ),
    Column("computed_total", "number", "总分(复核)", "按评分规则复核计算的总分。", required=True),
    Column("computed_grade", "string", "等次(复核)", "由复核总分按等次划分得出。", required=True),
    Column(
        "declared_total",
        "number",
        "总分(申报)",
        "自评表总分行填报的得分;表上无总分行时取自评结论中写明的分数;都没有时为空。",
    ),
    Column(
        "declared_grade",
        "string",
        "等次(申报)",
        "自评表填报的等次;表上无等次栏时取自评结论中写明的等次;都没有时为空。",
    ),
    Column("errors", "integer", "错误数", "复核发现的错误条数(数据不可信,须更正)。", required=True),
    Column(
        "warnings",
        "integer",
        "警告数",
        "复核发现的警告条数(填报数字与规则或自身不一致)。",
        required=True,
    ),
    Column("notes", "integer", "提示数", "复核记录的提示条数(无须更正)。", required=True),
    Column("page_url", "string", "项目页面", "项目公开页面的网址。", required=True, format="uri"),
    Column("pdf_url", "string", "PDF 文件", "项目自评表 PDF 的网址。", required=True, format="uri"),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("year", "integer", "年度", "自评年度。", required=True),
    Column("project_id", "string", "项目标识", "所属项目的标识(见项目表 id)。", required=True),
    Column("row", "integer", "行号", "指标在自评表绩效指标表中的顺序,从 1 起。", required=True),
    Column("level1", "string", "一级指标", "如 产出指标、效益指标、满意度指标。", required=True),
    Column("level2", "string", "二级指标", "如 数量指标、质量指标。", required=True),
    Column("level3", "string", "三级指标", "指标名称。", required=True),
    Column("target", "string", "年度指标值", "年度指标值(A),按表上文字原样记录,如 ≥95%。"),
    Column("actual", "string", "实际完成值", "实际完成值(B),按表上文字原样记录。"),
    Column("weight", "number", "分值", "该指标的分值。", required=True),
    Column("declared_score", "number", "得分(申报)", "自评表填报的得分,未填时为空。"),
    Column("computed_score", "number", "得分(复核)", "按评分规则复核计算的得分。", required=True),
    Column(
        "rule",
        "string",
        "计分规则",
        "复核所用的计分规则:positive 正向、reverse 反向、reverse_breached 反向未达标、"
        "equal_met 等于且达标、over_achieved 超额完成、band 定性档次、unbanded 定性未分档、"
        "units_differ 单位不一致、unreadable 无法识别、not_applicable 不适用。",
        required=True,
        enum=tuple(rule.value for rule in Rule),
    ),
    Column("reason", "string", "未完成原因分析", "自评表填写的原因分析,未填时为空。"),
)


@dataclass(frozen=True)
class ExportedProject:
    """A project that made it into the open data, with what every output needs of it."""

    checked: CheckedProject
    project: Project
    score: ProjectScore
    unit_slug: str

    @property
    def sort_key(self) -> tuple[int, str, str]:
        return (self.project.year, self.unit_slug, self.project.id)


def exported_projects(result: CheckResult) -> list[ExportedProject]:
    """The projects to publish, in (year, unit, id) order.

    A file that did not load is reported by the checker and has no data to publish. A second
    file claiming a (year, id) already taken is left out too, so that (year, id) stays a key.
    """
    exported = []
    for checked in result.projects:
        if checked.project is None or checked.score is None:
            continue
        if any(located.finding.code == "duplicate-id" for located in checked.located):
            continue
        exported.append(
            ExportedProject(checked, checked.project, checked.score, urls.unit_slug(checked.file))
        )
    return sorted(exported, key=lambda item: item.sort_key)


# --- values -------------------------------------------------------------------------------


def json_number(value: Decimal | None) -> int | float | None:
    """A JSON number for an exact decimal, the way `jixiao check --json` writes them.

    A float's shortest repr gives back the decimal digit for digit up to 15 significant
    digits: 10 000 000 000 000.00 元 with its fen, far above any project budget. The CSV
    files carry the exact text whatever its length.
    """
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def json_value(value: Any) -> Any:
    """Model data (Decimals, dates, nested dicts and lists) as plain JSON values."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def csv_text(value: Cell) -> str:
    """A cell as CSV text: exact decimals (`plain`), empty for missing values."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def neutralise_formula(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (OWASP's CSV injection advice)."""
    return FORMULA_GUARD + text if text.startswith(FORMULA_TRIGGERS) else text


def absolute_url(base_url: str, site_path: str) -> str:
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
    project, score, checked = item.project, item.score, item.checked
    total_row = project.funding.total
    return {
        "year": project.year,
        "id": project.id,
        "unit_slug": item.unit_slug,
        "unit": project.unit,
        "department": project.department.name,
        "department_code": project.department.code or None,
        "name": project.name,
        "budget_initial": total_row.initial,
        "budget": total_row.budget,
        "executed": total_row.executed,
        "execution_rate": score.execution.percent,
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
    }


def indicator_rows(item: ExportedProject) -> list[dict[str, Cell]]:
    project = item.project
    rows = []
    for number, (indicator, computed) in enumerate(
        zip(project.indicators, item.score.indicators, strict=True), start=1
    ):
        rows.append(
            {
                "year": project.year,
                "project_id": project.id,
                "row": number,
                "level1": indicator.level1,
                "level2": indicator.level2,
                "level3": indicator.name,
                "target": indicator.target,
                "actual": indicator.actual,
                "weight": indicator.weight,
                "declared_score": indicator.score,
                "computed_score": computed.score,
                "rule": computed.rule.value,
                "reason": indicator.reason or None,
            }
        )
    return rows


def full_record(item: ExportedProject, base_url: str) -> dict[str, Any]:
    """A project's JSON record: what was declared, what was computed, and what was found.

    Starts from the record of `jixiao check --json`, so the two never disagree, and adds the
    whole form as submitted (`form`, valid against `project.schema.json`) and the indicator
    rows of `indicators.csv` with their exact values.
    """
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
        {key: json_value(value) for key, value in row.items() if key not in ("year", "project_id")}
        for row in indicator_rows(item)
    ]
    record["form"] = json_value(project.model_dump(mode="python"))
    return record


# --- serialisation ------------------------------------------------------------------------


def json_bytes(data: Any, indent: int | None = None) -> bytes:
    """Compact by default: the indenting encoder is pure Python and many times slower, which
    matters for ten thousand records; the small descriptive files are indented for people."""
    separators = (",", ":") if indent is None else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode("utf-8")


def csv_lines(columns: Sequence[Column], rows: Iterable[Mapping[str, Cell]]) -> bytes:
    """Rows as CSV lines in UTF-8, without the header."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END)
    for row in rows:
        cells = []
        for column in columns:
            text = csv_text(row[column.name])
            # Numbers are never negative here, and their leading digit must stay a number.
            cells.append(neutralise_formula(text) if column.type == "string" else text)
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def csv_header(columns: Sequence[Column]) -> bytes:
    """The header line, after the byte order mark."""
    line = ",".join(column.name for column in columns) + CSV_LINE_END
    return line.encode(CSV_ENCODING)


def package_name(base_url: str, year: int | None) -> str:
    """A Frictionless package name (`^[a-z0-9._-]+$`) from the site's address."""
    parts = urlsplit(base_url)
    slug = re.sub(r"[^a-z0-9._-]+", "-", (parts.netloc + parts.path).lower()).strip("-._")
    slug = slug or "jixiao"
    return slug if year is None else f"{slug}-{year}"


def csv_dialect() -> dict[str, Any]:
    return {
        "delimiter": ",",
        "lineTerminator": CSV_LINE_END,
        "quoteChar": '"',
        "doubleQuote": True,
        "header": True,
    }


def datapackage(config: SiteConfig, year: int | None) -> dict[str, Any]:
    """A Data Package (Frictionless v1) describing the two tables beside it."""
    scope = "全部年度" if year is None else f"{year} 年度"
    title = f"{config.title}({scope})"
    description = "项目支出绩效目标自评表及其复核计分结果。" + config.description
    tabular = {
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "dialect": csv_dialect(),
    }
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package_name(config.base_url, year),
        "title": title,
        "description": description,
        "homepage": config.base_url,
        "keywords": ["绩效自评", "项目支出", "预算绩效"],
    }
    if config.publisher:
        package["contributors"] = [{"title": config.publisher, "role": "publisher"}]
    package["resources"] = [
        {
            "name": "projects",
            "path": PROJECTS_CSV,
            "title": "项目",
            "description": "每个项目一行:资金、执行率、复核得分与等次、申报得分与等次、复核发现的"
            "问题数。" + NEUTRALISED_NOTE,
            **tabular,
            "schema": {
                "fields": [column.descriptor() for column in PROJECT_COLUMNS],
                "primaryKey": ["year", "id"],
            },
        },
        {
            "name": "indicators",
            "path": INDICATORS_CSV,
            "title": "绩效指标",
            "description": "每个绩效指标一行:指标值、实际完成值、分值、申报得分与复核得分。"
            + NEUTRALISED_NOTE,
            **tabular,
            "schema": {
                "fields": [column.descriptor() for column in INDICATOR_COLUMNS],
                "primaryKey": ["year", "project_id", "row"],
                "foreignKeys": [
                    {
                        "fields": ["year", "project_id"],
                        "reference": {"resource": "projects", "fields": ["year", "id"]},
                    }
                ],
            },
        },
    ]
    return package


# --- writing ------------------------------------------------------------------------------


class _SiteWriter:
    """Writes files under the site folder and remembers their site paths."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.written: list[str] = []

    def write(self, site_path: str, data: bytes) -> None:
        if write_output(self.site_dir / site_path, data):
            self.written.append(site_path)


@dataclass(frozen=True)
class ProjectData:
    """One project's share of the open-data tables, already serialised: kept between builds,
    so that an edit rewrites the tables by joining bytes, without re-reading every project."""

    sort_key: tuple[int, str, str]
    project_csv: bytes  # its line of projects.csv
    indicators_csv: bytes  # its lines of indicators.csv
    record: bytes  # the project's JSON record, compact, without the final newline
    digest: bytes = b""  # of the three above


def project_data(item: ExportedProject, base_url: str) -> ProjectData:
    record = json.dumps(
        full_record(item, base_url), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    project_csv = csv_lines(PROJECT_COLUMNS, [project_row(item, base_url)])
    indicators_csv = csv_lines(INDICATOR_COLUMNS, indicator_rows(item))
    digest = hashlib.blake2b(digest_size=16)
    for piece in (project_csv, indicators_csv, record):
        digest.update(len(piece).to_bytes(8, "big") + piece)
    return ProjectData(item.sort_key, project_csv, indicators_csv, record, digest.digest())


def write_project_files(site_dir: Path, item: ExportedProject, data: ProjectData) -> list[str]:
    """The project's JSON record and, byte for byte, the YAML file that was checked."""
    writer = _SiteWriter(site_dir)
    writer.write(urls.project_record(item.project, item.unit_slug), data.record + b"\n")
    writer.write(urls.project_source(item.project, item.unit_slug), item.checked.file.read_bytes())
    return writer.written


class _TableWriter(_SiteWriter):
    """Writes the large tables, each only when its signature (the digests of the projects in
    it, in order) differs from the last build's. Comparing signatures instead of bytes spares
    reading a hundred megabytes of published tables back on every edit."""

    def __init__(self, site_dir: Path, previous: Mapping[str, str], published: Path | None):
        super().__init__(site_dir)
        self.previous = previous
        self.published = published
        self.signatures: dict[str, str] = {}

    def write_table(self, site_path: str, items: Sequence[ProjectData], pieces: list[bytes]):
        digest = hashlib.blake2b(site_path.encode("utf-8"), digest_size=16)
        for item in items:
            digest.update(item.digest)
        signature = self.signatures[site_path] = digest.hexdigest()
        if (
            self.published is not None
            and self.previous.get(site_path) == signature
            and (self.published / site_path).is_file()
        ):
            return
        write_fresh(self.site_dir / site_path, pieces)
        self.written.append(site_path)


def _write_tables(
    writer: _TableWriter,
    folder: str,
    items: Sequence[ProjectData],
    config: SiteConfig,
    year: int | None,
) -> None:
    writer.write_table(
        f"{folder}/{PROJECTS_CSV}",
        items,
        [csv_header(PROJECT_COLUMNS), *(item.project_csv for item in items)],
    )
    writer.write_table(
        f"{folder}/{INDICATORS_CSV}",
        items,
        [csv_header(INDICATOR_COLUMNS), *(item.indicators_csv for item in items)],
    )
    records = [b"["]
    for index, item in enumerate(items):
        records += [b"," if index else b"", item.record]
    writer.write_table(f"{folder}/{PROJECTS_JSON}", items, [*records, b"]\n"])
    writer.write(f"{folder}/{DATAPACKAGE}", json_bytes(datapackage(config, year), indent=2))


def write_tables(
    data: Iterable[ProjectData],
    config: SiteConfig,
    site_dir: Path,
    previous: Mapping[str, str] | None = None,
    published: Path | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The site-wide and per-year tables, data packages and schemas. Returns the site paths
    written and each table's signature; an incremental build passes the last build's
    signatures and the published site, and tables that would come out the same are left."""
    writer = _TableWriter(site_dir, previous or {}, published)
    items = sorted(data, key=lambda item: item.sort_key)
    _write_tables(writer, DATA_DIR, items, config, None)
    for year in sorted({item.sort_key[0] for item in items}):
        in_year = [item for item in items if item.sort_key[0] == year]
        _write_tables(writer, f"{DATA_DIR}/{year}", in_year, config, year)
    for name in sorted(SCHEMAS):
        writer.write(f"{DATA_DIR}/{SCHEMA_SUBDIR}/{name}", schema_bytes(name))
    return writer.written, writer.signatures


def schema_bytes(name: str) -> bytes:
    """The shipped schema file; generated from the model if it is not there."""
    shipped = SCHEMA_DIR / name
    return shipped.read_bytes() if shipped.is_file() else render(name).encode("utf-8")


def write_open_data(result: CheckResult, config: SiteConfig, site_dir: Path) -> list[str]:
    """Write the open data into `site_dir`; returns the site paths written, in writing order."""
    written: list[str] = []
    data = []
    for item in exported_projects(result):
        project = project_data(item, config.base_url)
        written += write_project_files(site_dir, item, project)
        data.append(project)
    return written + write_tables(data, config, site_dir)[0]
