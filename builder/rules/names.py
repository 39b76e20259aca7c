"""Names that become parts of the site's paths: a unit folder, a project id, a 部门代码.

Each is a URL path segment and a file or folder name on every system the site is copied to, so
one rule holds for all three (error `file-name`):

- a unit folder and a project id: lowercase ASCII letters, digits and hyphens, starting with a
  letter or a digit (`lps-sbj`), so they need no percent-encoding, and two of them never differ
  only in letter case (they would collide on a case-insensitive file system or host);
- a 部门代码: ASCII letters and digits (the form's own pattern); two codes of one year that
  differ only in case, or the code `none` (the folder of a department without a code), would
  share one listing page `<year>/dept-<code>/`;
- at most `MAX_NAME` characters, so the longest file name (`<unit>-<year>.pdf`, 89 bytes) and the
  longest site path (`<year>/<unit>/<id>/<id>.yaml`, 252 bytes) fit in 255 bytes;
- not a Windows device name (con, prn, aux, nul, com1-9, lpt1-9, in any case);
- a unit folder does not start with `dept-`, the prefix of the department listings beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..form.load import LoadedProject
from ..form.model import Project
from .findings import Finding, Severity, figures

MAX_NAME = 80  # characters (ASCII: bytes) of a unit folder, an id or a 部门代码
DEPARTMENT_PREFIX = "dept-"
NO_CODE = "none"  # the folder of a department without a code: dept-none
_SEGMENT = re.compile(r"[a-z0-9][a-z0-9-]*")
_CODE = re.compile(r"[0-9A-Za-z]*")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])", re.IGNORECASE)
_HINT = (
    "lowercase ASCII letters, digits and hyphens, e.g. lps-sbj; Chinese names go inside the file"
)


def name_problem(name: str, pattern: re.Pattern[str] = _SEGMENT) -> str | None:
    """Why `name` cannot be a path segment of the site, in English, or None when it can.

    `pattern` is the characters allowed (default: lowercase letters, digits, hyphens)."""
    if pattern is _SEGMENT and name != name.lower() and pattern.fullmatch(name.lower()):
        return (
            "has capital letters: one differing only in case would be the same folder on a "
            "case-insensitive file system or web host"
        )
    if not pattern.fullmatch(name):
        return "has characters a file name or web address cannot carry as they are"
    if len(name) > MAX_NAME:
        return f"is {len(name)} characters long, more than {MAX_NAME}"
    if _RESERVED.fullmatch(name):
        return "is a device name that Windows cannot use as a file or folder"
    return None


def unit_folder(file: Path) -> str:
    """The unit folder of a project file: the folder that holds it (content/<year>/<unit>/)."""
    return file.parent.name


def _finding(path: tuple[str, ...], what: str, name: str, problem: str, hint: str) -> Finding:
    return Finding(
        Severity.error,
        "file-name",
        path,
        f"{what} {name!r} {problem}",
        hint,
        figures(name=name),
    )


def name_findings(file: Path, project: Project) -> list[Finding]:
    """The rule above for one form: its unit folder (placed on the whole file), its id and its
    部门代码. One finding per name at most. Pure; raises nothing."""
    found: list[Finding] = []
    folder = unit_folder(file)
    problem = name_problem(folder)
    if problem is None and folder.startswith(DEPARTMENT_PREFIX):
        problem = f"starts with {DEPARTMENT_PREFIX!r}, as the department listings beside it do"
    if problem is not None:
        found.append(
            _finding((), "unit folder", folder, problem, "rename the folder with " + _HINT)
        )
    problem = name_problem(project.id)
    if problem is not None:
        found.append(_finding(("id",), "id", project.id, problem, "write it with " + _HINT))
    code = project.department.code
    problem = name_problem(code, _CODE) if code else None
    if problem is None and code.lower() == NO_CODE:
        problem = f"names the page of the departments without a code (dept-{NO_CODE})"
    if problem is not None:
        hint = "write the department's own code (letters and digits), or leave it empty"
        found.append(_finding(("department", "code"), "部门代码", code, problem, hint))
    return found


def shared_code_findings(projects: list[LoadedProject]) -> None:
    """Across forms: two 部门代码 of one year that differ only in letter case would share one
    listing page. Each form whose code was first written otherwise in its year gets one
    `file-name` error on `department.code`, appended to its findings."""
    first: dict[tuple[int, str], tuple[str, Path]] = {}
    for loaded in projects:
        project = loaded.project
        if project is None or not project.department.code:
            continue
        code = project.department.code
        key = (project.year, code.lower())
        seen = first.setdefault(key, (code, loaded.file))
        if seen[0] != code:
            loaded.findings.append(
                _finding(
                    ("department", "code"),
                    "部门代码",
                    code,
                    f"differs only in letter case from {seen[0]!r} in {seen[1].as_posix()}: "
                    "both would have one listing page",
                    f"write it as {seen[0]!r} if it is the same department",
                )
            )
