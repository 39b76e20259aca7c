"""Load → validate → score → reconcile, for every project: what `jixiao check` and the build share."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .config import ScoringPolicy, SiteConfig
from .findings import SEVERITY_ORDER, LocatedFinding, Severity
from .load import LoadedProject, load_config, load_project, locate, project_files
from .model import Project
from .reconcile import quoted_grade, quoted_total, reconcile
from .score import ProjectScore, score_project
from .validate import validate_corpus, validate_project


@dataclass
class CheckedProject:
    loaded: LoadedProject
    score: ProjectScore | None = None
    located: list[LocatedFinding] = field(default_factory=list)

    @property
    def file(self) -> Path:
        return self.loaded.file

    @property
    def project(self) -> Project | None:
        return self.loaded.project

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.located if f.finding.severity is severity)


@dataclass
class CheckResult:
    config: SiteConfig | None
    config_findings: list[LocatedFinding]
    projects: list[CheckedProject]

    def all_findings(self) -> list[LocatedFinding]:
        found = list(self.config_findings)
        for checked in self.projects:
            found.extend(checked.located)
        return found

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.all_findings() if f.finding.severity is severity)

    @property
    def policy(self) -> ScoringPolicy:
        return self.config.scoring if self.config else ScoringPolicy()


def check_file(path: Path, policy: ScoringPolicy) -> CheckedProject:
    """Everything that can be said of one file on its own."""
    loaded = load_project(path)
    checked = CheckedProject(loaded)
    if loaded.project is not None:
        loaded.findings.extend(validate_project(loaded.project, policy))
        checked.score = score_project(loaded.project, policy)
        loaded.findings.extend(reconcile(loaded.project, checked.score, policy))
    return checked


def _check_chunk(args: tuple[list[Path], ScoringPolicy]) -> list[CheckedProject]:
    paths, policy = args
    return [check_file(path, policy) for path in paths]


def _locate_all(checked: CheckedProject) -> None:
    source = checked.loaded.source
    checked.located = sorted(
        (locate(source, finding) for finding in checked.loaded.findings),
        key=lambda f: (f.line, f.column, SEVERITY_ORDER[f.finding.severity]),
    )


def check_content(content: Path, paths: list[Path] | None = None, jobs: int = 1) -> CheckResult:
    config, config_source, config_problems = load_config(content)
    policy = config.scoring if config else ScoringPolicy()
    files = project_files(content) if paths is None else paths
    jobs = max(1, min(jobs, os.cpu_count() or 1))
    if jobs == 1 or len(files) < 64:
        checked = [check_file(path, policy) for path in files]
    else:
        size = max(16, len(files) // (jobs * 8))
        chunks = [(files[i : i + size], policy) for i in range(0, len(files), size)]
        with ProcessPoolExecutor(jobs) as pool:
            checked = [c for chunk in pool.map(_check_chunk, chunks) for c in chunk]
    validate_corpus([c.loaded for c in checked])
    for item in checked:
        _locate_all(item)
    config_findings = [
        locate(config_source, f) if config_source else _unplaced(content / "site.yaml", f)
        for f in config_problems
    ]
    return CheckResult(config, config_findings, checked)


def _unplaced(file: Path, finding: Any) -> LocatedFinding:
    return LocatedFinding(file, 1, 1, finding)


def _number(value: Decimal | None) -> float | int | None:
    """JSON numbers: exact for the 2-decimal figures of a form (float repr is the shortest)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def project_record(checked: CheckedProject, relative_to: Path | None = None) -> dict[str, Any]:
    """The stable JSON shape of one checked project (`jixiao check --json`, open data)."""
    file = checked.file
    if relative_to is not None:
        try:
            file = file.relative_to(relative_to)
        except ValueError:
            pass
    project, score = checked.project, checked.score
    record: dict[str, Any] = {
        "file": file.as_posix(),
        "id": project.id if project else None,
        "year": project.year if project else None,
        "name": project.name if project else None,
        "department": project.department.name if project else None,
        "unit": project.unit if project else None,
        "computed": None,
        "declared": None,
        "findings": [f.as_json() for f in checked.located],
    }
    if project is not None and score is not None:
        rate = score.execution.percent
        record["computed"] = {
            "execution_rate": _number(rate),
            "execution_score": _number(score.execution.score),
            "total": _number(score.total),
            "grade": score.grade,
            "levels": {k: _number(v) for k, v in score.levels.items()},
            "indicators": [
                {
                    "score": _number(r.score),
                    "rule": str(r.rule),
                    "kind": str(r.kind),
                    "low": _number(r.low),
                    "high": _number(r.high),
                }
                for r in score.indicators
            ],
        }
        declared = project.declared
        record["declared"] = {
            "execution_rate": _number(declared.execution_rate),
            "execution_score": _number(declared.execution_score),
            "total": _number(declared.total),
            "grade": declared.grade,
            "conclusion_total": _number(quoted_total(declared.conclusion)),
            "conclusion_grade": quoted_grade(declared.conclusion),
            "indicators": [_number(i.score) for i in project.indicators],
        }
    return record
