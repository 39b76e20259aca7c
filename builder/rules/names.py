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
from types import MappingProxyType

from ..form.load import LoadedProject
from ..form.model import Project
from .findings import Finding, Severity, figures

MAX_NAME = 80  # characters (ASCII: bytes) of a unit folder, an id or a 部门代码
DEPARTMENT_PREFIX = "dept-"
NO_CODE = "none"  # the folder of a department without a code: dept-none
_SEGMENT = re.compile(r"[a-z0-9][a-z0-9-]*")
_CODE = re.compile(r"[0-9A-Za-z]*")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])", re.IGNORECASE)


def name_problem(name: str, pattern: re.Pattern[str] = _SEGMENT) -> tuple[str, str] | None:
    """Why `name` cannot be a path segment of the site, (in English, in Chinese), or None when
    it can.

    `pattern` is the characters allowed (default: lowercase letters, digits, hyphens)."""
    if pattern is _SEGMENT and name != name.lower() and pattern.fullmatch(name.lower()):
        return (
            "has capital letters: one differing only in case would be the same folder on a "
            "case-insensitive file system or web host",
            "含有大写字母:在不区分大小写的文件系统或网站主机上,仅大小写不同的两个名称是同一个文件夹",
        )
    if not pattern.fullmatch(name):
        return (
            "has characters a file name or web address cannot carry as they are",
            "含有文件名或网址不能原样使用的字符",
        )
    if len(name) > MAX_NAME:
        return (
            f"is {len(name)} characters long, more than {MAX_NAME}",
            f"长 {len(name)} 个字符,超过 {MAX_NAME} 个",
        )
    if _RESERVED.fullmatch(name):
        return (
            "is a device name that Windows cannot use as a file or folder",
            "是 Windows 的设备名,不能用作文件或文件夹名",
        )
    return None


def unit_folder(file: Path) -> str:
    """The unit folder of a project file: the folder that holds it (content/<year>/<unit>/)."""
    return file.parent.name


# What each name is, in Chinese; and the advice for each, (English, Chinese).
_WHAT = MappingProxyType({"unit folder": "单位文件夹名", "id": "项目标识", "部门代码": "部门代码"})
_ADVICE = (
    "lowercase ASCII letters, digits and hyphens, e.g. lps-sbj; Chinese names go inside the file",
    "小写英文字母、数字和连字符,如 lps-sbj;中文名称写在文件里",
)


def _finding(
    path: tuple[str, ...],
    what: str,
    name: str,
    problem: tuple[str, str],
    hint: tuple[str, str],
) -> Finding:
    return Finding(
        Severity.error,
        "file-name",
        path,
        f"{what} {name!r} {problem[0]}",
        hint[0],
        figures(name=name),
        message_zh=f"{_WHAT[what]}“{name}”{problem[1]}",
        hint_zh=hint[1],
    )


def name_findings(file: Path, project: Project) -> list[Finding]:
    """The rule above for one form: its unit folder (placed on the whole file), its id and its
    部门代码. One finding per name at most. Pure; raises nothing."""
    found: list[Finding] = []
    folder = unit_folder(file)
    problem = name_problem(folder)
    if problem is None and folder.startswith(DEPARTMENT_PREFIX):
        problem = (
            f"starts with {DEPARTMENT_PREFIX!r}, as the department listings beside it do",
            f"以 {DEPARTMENT_PREFIX} 开头,与旁边的部门列表文件夹相同",
        )
    if problem is not None:
        hint = ("rename the folder with " + _ADVICE[0], "文件夹改名,只用" + _ADVICE[1])
        found.append(_finding((), "unit folder", folder, problem, hint))
    problem = name_problem(project.id)
    if problem is not None:
        hint = ("write it with " + _ADVICE[0], "只用" + _ADVICE[1])
        found.append(_finding(("id",), "id", project.id, problem, hint))
    code = project.department.code
    problem = name_problem(code, _CODE) if code else None
    if problem is None and code.lower() == NO_CODE:
        problem = (
            f"names the page of the departments without a code (dept-{NO_CODE})",
            f"与没有代码的部门的页面(dept-{NO_CODE})同名",
        )
    if problem is not None:
        hint = (
            "write the department's own code (letters and digits), or leave it empty",
            "写部门自己的代码(字母和数字),或留空",
        )
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
                    (
                        f"differs only in letter case from {seen[0]!r} in {seen[1].as_posix()}: "
                        "both would have one listing page",
                        f"与 {seen[1].as_posix()} 中的“{seen[0]}”仅大小写不同:两者会共用一个部门列表页",
                    ),
                    (
                        f"write it as {seen[0]!r} if it is the same department",
                        f"若是同一部门,写作“{seen[0]}”",
                    ),
                )
            )
