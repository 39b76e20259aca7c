"""Load → validate → score → reconcile, for every project: what `jixiao check` and the build share."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import ScoringPolicy, SiteConfig
from ..executor_local import LocalExecutor
from ..form.load import (
    LoadedProject,
    content_files,
    load_config,
    load_project,
    locate,
    read_project,
)
from ..form.model import Project
from ..form.source import PathKey, SourceDocument, load_read, read_source
from ..memory import collector_paused
from ..opendata.encoding import json_number as _number
from .findings import SEVERITY_ORDER, Finding, LocatedFinding, Severity, catalogued
from .knockon import settle
from .names import name_findings, shared_code_findings
from .policies import SitePolicies, SitePolicy, policy_of_project
from .reconcile import quoted_grade, quoted_total, reconcile
from .results import ProjectScore
from .score import score_project
from .shape import shape_findings
from .spill import FormKey, SpilledForms, SpillStore
from .validate import validate_corpus, validate_project

if TYPE_CHECKING:
    from ..executor import Executor


@dataclass
class CheckedProject:
    """One project file checked: as loaded (the form, or None when unreadable, and its findings),
    its computed score (None when the form could not be read) and its findings placed in the file,
    ordered by line, column and severity; `policy` is the name of the site's policy that
    scored it (`policies.SitePolicy.name`), None when it could not be read."""

    loaded: LoadedProject
    score: ProjectScore | None = None
    located: list[LocatedFinding] = field(default_factory=list)
    policy: str | None = None

    @property
    def file(self) -> Path:
        """The path of the file, as it was given."""
        return self.loaded.file

    @property
    def project(self) -> Project | None:
        """The form as read, or None when the file has errors that stop it being read."""
        return self.loaded.project

    def count(self, severity: Severity) -> int:
        """How many of its findings have this severity."""
        return sum(1 for f in self.located if f.finding.severity is severity)


@dataclass
class CheckResult:
    """A content folder checked: its settings (None when site.yaml is unusable, with the reasons
    in `config_findings`, beside those about the folder itself: its stray files) and every
    project file, in the order of `project_files` (in a build, a `spill.SpilledForms`: read
    back from the cache as they are gone through)."""

    config: SiteConfig | None
    config_findings: list[LocatedFinding]
    projects: Sequence[CheckedProject]

    def all_findings(self) -> list[LocatedFinding]:
        """The findings about site.yaml, then each project's, in file order."""
        found = list(self.config_findings)
        projects = self.projects
        located = (
            projects.located()
            if isinstance(projects, SpilledForms)
            else (checked.located for checked in projects)
        )
        for each in located:
            found.extend(each)
        return found

    def count(self, severity: Severity) -> int:
        """How many findings of this severity, site.yaml's included."""
        return sum(1 for f in self.all_findings() if f.finding.severity is severity)

    @property
    def policy(self) -> ScoringPolicy:
        """The site's default policy (`scoring:`), or the national rules when site.yaml is
        unusable."""
        return self.policies.default.policy

    @functools.cached_property
    def policies(self) -> SitePolicies:
        """Every policy of the site (`scoring:` and `policies:`)."""
        return SitePolicies.of_config(self.config)

    def policy_of(self, checked: CheckedProject) -> SitePolicy:
        """The policy that scored a checked form (the default for one that was not scored)."""
        return self.policies.named(checked.policy)


Policies = ScoringPolicy | SitePolicies


def check_file(path: Path, policies: Policies) -> CheckedProject:
    """Everything that can be said of one file on its own."""
    return check_loaded(load_project(path), policies)


def check_loaded(loaded: LoadedProject, policies: Policies) -> CheckedProject:
    """Validate, score and reconcile one project already read (from a file, or from git by
    `jixiao changes`) under the site's policy for it (`policies.policy_for`; a lone
    `ScoringPolicy` scores every form); its findings are added to `loaded.findings`, not yet
    located. `score` stays None when the file has errors that stop the model being built.
    A finding that only follows from another is dropped or marked so (`knockon.settle`)."""
    checked = CheckedProject(loaded)
    if loaded.project is not None:
        if isinstance(policies, ScoringPolicy):
            policies = SitePolicies.of(policies)
        chosen = policy_of_project(policies, loaded.project)
        policy = chosen.policy
        checked.policy = chosen.name
        loaded.findings.extend(name_findings(loaded.file, loaded.project))
        found = validate_project(loaded.project, policy)
        checked.score = score_project(loaded.project, policy)
        found += reconcile(loaded.project, checked.score, policy)
        source = loaded.source

        def line_of(path: PathKey) -> int:
            return source.position(path).line

        found += shape_findings(loaded.project, checked.score, line_of)
        loaded.findings.extend(settle(loaded.project, found, line_of))
    return checked


# Below this many files, sending them to other processes costs more than it saves: one batch.
_PARALLEL_FROM = 64

FormRead = tuple[Path, bytes | str]  # a form's file and `read_source`'s bytes (or refusal)


def _check_chunk(policy: Policies, forms: list[FormRead]) -> list[CheckedProject]:
    """A task of the check stage (`Executor.map`): check a batch of forms from their bytes,
    here or on a machine without the content folder; the findings placed."""
    with collector_paused():
        checked = [
            check_loaded(read_project(load_read(path, read)), policy) for path, read in forms
        ]
        # Placed here, where the positions are at hand: a document sent to another process
        # leaves them behind (see SourceDocument.__reduce_ex__).
        for item in checked:
            _locate_all(item)
            # Placed: the parsed document is not needed again (read again if it is), here as
            # in a process that sends the form back as its text.
            item.loaded.source.forget_parsed()
    return checked


def _locate_all(checked: CheckedProject) -> None:
    source = checked.loaded.source
    checked.located = sorted(
        (locate(source, finding) for finding in checked.loaded.findings),
        key=lambda f: (f.line, f.column, SEVERITY_ORDER[f.finding.severity]),
    )


def _batches(files: list[Path], workers: int) -> Iterator[list[FormRead]]:
    """The files in batches, each read when it is handed out. Sending a checked file back
    from another process costs about half as much as checking it: batches of 8 to 64 files,
    about 16 for each worker, keep the workers busy without many small messages."""
    if len(files) < _PARALLEL_FROM:
        size = max(1, len(files))
    else:
        size = max(8, min(64, len(files) // (workers * 16)))
    for first in range(0, len(files), size):
        yield [(path, read_source(path)) for path in files[first : first + size]]


def check_content(
    content: Path,
    paths: list[Path] | None = None,
    jobs: int = 1,
    known_ids: Mapping[tuple[int, str], str] | None = None,
    site: tuple[SiteConfig | None, SourceDocument | None, list[Finding]] | None = None,
    executor: Executor | None = None,
    spill: SpillStore | None = None,
    seen: Callable[[CheckedProject], None] | None = None,
) -> CheckResult:
    """Check the project files `paths` (default: every one under `content`) and site.yaml;
    `jobs` processes share the work, this one included, or `executor` runs it (a Dask
    cluster: the forms' bytes are read here and sent).

    `known_ids` are the forms not re-read this time (an incremental build): (year, id) ->
    their content-relative file (`2023/unit/file.yaml`). A file checked here that claims one
    of them is reported as a duplicate of that file. `site` is site.yaml as `load_config`
    read it, when the caller did (a build reads it once); else it is read here. With `spill`
    (a build), each batch of checked forms goes to that store as it comes back, and the
    result's `projects` is a `spill.SpilledForms` reading them back: only each form's key
    and findings stay in memory. `seen` is called with every form once its own checks are
    done, before the checks across forms (an id used twice: such a form gets an error).
    Findings, never exceptions, report a problem in the content.
    """
    config, config_source, config_problems = site if site is not None else load_config(content)
    policy = SitePolicies.of_config(config)
    files, strays = content_files(content) if paths is None else (paths, [])
    runner = executor if executor is not None else LocalExecutor(jobs)
    known = {key: content / rel for key, rel in (known_ids or {}).items()}
    with collector_paused():
        batches = runner.map(_check_chunk, policy, _batches(files, runner.workers))
        if spill is None:
            checked: Sequence[CheckedProject] = _across(
                [item for batch in batches for item in batch], known, seen
            )
        else:
            checked = _spilled(batches, known, spill, seen)
    config_findings = [
        locate(config_source, f) if config_source else _unplaced(content / "site.yaml", f)
        for f in config_problems
    ]
    config_findings += [stray_finding(content, stray) for stray in strays]
    return CheckResult(config, config_findings, checked)


def _across(
    checked: list[CheckedProject],
    known: Mapping[tuple[int, str], Path],
    seen: Callable[[CheckedProject], None] | None,
) -> list[CheckedProject]:
    """The checks across forms, on forms in memory."""
    if seen is not None:
        for item in checked:
            seen(item)
    found_alone = [len(c.loaded.findings) for c in checked]
    validate_corpus([c.loaded for c in checked], known)
    shared_code_findings([c.loaded for c in checked])
    for item, count in zip(checked, found_alone, strict=True):
        if len(item.loaded.findings) != count:
            _locate_all(item)  # an id used twice: placed again with the new finding
            item.loaded.source.forget_parsed()
    return checked


def _spilled(
    batches: Iterable[list[CheckedProject]],
    known: Mapping[tuple[int, str], Path],
    store: SpillStore,
    seen: Callable[[CheckedProject], None] | None,
) -> SpilledForms:
    """The checks across forms, on forms spilled to `store` batch by batch: they compare the
    forms' keys; a form that gets a finding is read back, placed again and written back."""
    keys: list[FormKey] = []
    for batch in batches:
        number = store.dump(batch)
        for offset, item in enumerate(batch):
            if seen is not None:
                seen(item)
            keys.append(FormKey.of(item, number, offset))
    claims = [_Claim.of(key) for key in keys]
    validate_corpus(claims, known)  # type: ignore[arg-type]  # reads what a _Claim has
    shared_code_findings(claims)  # type: ignore[arg-type]
    grown: dict[int, list[tuple[int, list[Finding]]]] = {}
    for index, claim in enumerate(claims):
        if claim.findings:
            grown.setdefault(keys[index].batch, []).append((index, claim.findings))
    for number, found in grown.items():
        items = store.load(number)
        for index, findings in found:
            item = items[keys[index].offset]
            item.loaded.findings.extend(findings)
            _locate_all(item)  # an id used twice: placed again with the new finding
            item.loaded.source.forget_parsed()
            keys[index] = FormKey.of(item, number, keys[index].offset)
        store.put(number, items)
    return SpilledForms(store, keys)


@dataclass(slots=True)
class _Claim:
    """What `validate_corpus` and `shared_code_findings` read of a form kept on disk (its
    file, its year, id and department code), and the findings they add to it."""

    file: Path
    project: _Ids | None
    findings: list[Finding]

    @staticmethod
    def of(key: FormKey) -> _Claim:
        ids = key.ids
        return _Claim(key.file, None if ids is None else _Ids(ids[0], ids[1], _Code(ids[2])), [])


@dataclass(frozen=True, slots=True)
class _Code:
    code: str


@dataclass(frozen=True, slots=True)
class _Ids:
    year: int
    id: str
    department: _Code


def stray_finding(content: Path, stray: Path) -> LocatedFinding:
    """What the checker says of a file under `content` that is neither a form nor ignored
    (`form.entries.scan_content`): a warning under a year folder, where forms are put and a
    `.docx` or `.xlsx` is likely a form someone expects to see published; elsewhere (a
    README.md beside site.yaml) a note."""
    first = stray.relative_to(content).parts[0] if stray.is_relative_to(content) else ""
    severity = Severity.warning if first.isdigit() else Severity.note
    finding = catalogued(severity, "stray-file", ())
    return LocatedFinding(stray, 1, 1, finding)


def _unplaced(file: Path, finding: Any) -> LocatedFinding:
    return LocatedFinding(file, 1, 1, finding)


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
        "policy": checked.policy,
        "computed": None,
        "declared": None,
        "findings": [f.as_json() for f in checked.located],
    }
    if project is not None and score is not None:
        rate = score.execution.rate
        record["computed"] = {
            "execution_rate": _number(rate),
            "execution_score": _number(score.execution.score),
            "total": _number(score.total),
            "grade": score.grade,  # null for a form cut off (`incomplete`)
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
        if score.incomplete:  # the source cut the funding or indicator table: a part's total
            record["computed"]["incomplete"] = True
        declared = project.declared
        record["declared"] = {  # as printed: a ratio (1) in percent, or the 年度资金总额 row's
            "execution_rate": _number(project.execution_rate_printed),
            "execution_score": _number(project.execution_score_printed),
            "total": _number(declared.total),
            "grade": declared.grade,
            "conclusion_total": _number(quoted_total(declared.conclusion)),
            "conclusion_grade": quoted_grade(declared.conclusion),
            "indicators": [_number(i.score) for i in project.indicators],
        }
    return record
