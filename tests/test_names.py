"""Names that become parts of the site's paths (a unit folder, a project id, a 部门代码) are held
to one rule by `jixiao check`: error `file-name`, located on the id, on department.code, or at
the top of the file for its folder; a form that breaks it is held back from the site."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from builder.build import BuildFailed, BuildOptions, build
from builder.cli import main
from builder.rules.check import check_content
from tests.conftest import minimal_project, position_of, write_project


def _named(content: Path) -> list[str]:
    """The `file-name` findings: `file:line:col: field: message`."""
    return [
        f"{f.file.as_posix()}:{f.line}:{f.column}: {f.finding.field}: {f.finding.message}"
        for f in check_content(content, jobs=1).all_findings()
        if f.finding.code == "file-name"
    ]


def _department(code: str, name: str = "测试部门") -> dict[str, str]:
    return {"name": name, "code": code}


@pytest.mark.parametrize(
    "folder",
    ["民政 局", "my unit", "a#b", "a?b", "a%2e%2e", "LPS", "Lps-sbj", "a_b", "-ab", "dept-502",
     "con", "NUL", "lpt9", "a" * 81],
)  # fmt: skip
def test_a_unit_folder_outside_the_rule_is_a_located_error(tiny_content: Path, folder: str) -> None:
    path = write_project(tiny_content, unit=folder)
    found = _named(tiny_content)
    assert len(found) == 1
    assert found[0].startswith(f"{path.as_posix()}:1:1: : unit folder {folder!r} ")
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 1


@pytest.mark.parametrize("folder", ["lps-sbj", "u1", "a" * 80, "console", "com10", "dept"])
def test_a_unit_folder_within_the_rule_passes(tiny_content: Path, folder: str) -> None:
    write_project(tiny_content, unit=folder)
    assert _named(tiny_content) == []


@pytest.mark.parametrize("ident", ["con", "nul", "aux", "prn", "com1", "lpt3"])
def test_a_windows_device_name_as_id_is_refused_on_the_id(tiny_content: Path, ident: str) -> None:
    path = write_project(tiny_content, minimal_project(id=ident))
    assert _named(tiny_content) == [
        f"{position_of(path, ident, 'id:')}: id: id {ident!r} is a device name that Windows "
        "cannot use as a file or folder"
    ]


@pytest.mark.parametrize("code", ["none", "NONE", "None", "A" * 81])
def test_a_department_code_that_cannot_have_its_own_page_is_refused(
    tiny_content: Path, code: str
) -> None:
    path = write_project(tiny_content, minimal_project(department=_department(code)))
    found = _named(tiny_content)
    assert len(found) == 1
    assert found[0].startswith(f"{position_of(path, code, 'code:')}: department.code: 部门代码 ")


def test_codes_of_one_year_differing_only_in_case_are_refused(tiny_content: Path) -> None:
    first = write_project(
        tiny_content, minimal_project(id="xiangmu-a", department=_department("a502")), "a.yaml"
    )
    second = write_project(
        tiny_content, minimal_project(id="xiangmu-b", department=_department("A502")), "b.yaml"
    )
    write_project(  # another year: its own listing pages
        tiny_content,
        minimal_project(id="xiangmu-c", year=2024, department=_department("A502")),
        "c.yaml",
    )
    assert _named(tiny_content) == [
        f"{position_of(second, 'A502')}: department.code: 部门代码 'A502' differs only in letter "
        f"case from 'a502' in {first.as_posix()}: both would have one listing page"
    ]


def test_a_department_without_code_keeps_its_own_page(tmp_path: Path, tiny_content: Path) -> None:
    """Probe dept-code-none-collision: code "" and code "none" in one year. The second is refused,
    so dept-none/ is only ever the page of the departments without a code."""
    write_project(tiny_content, minimal_project(id="jia", department=_department("", "部门甲")))
    write_project(
        tiny_content, minimal_project(id="yi", department=_department("none", "部门乙")), "yi.yaml"
    )
    assert [line.split(": ", 2)[1] for line in _named(tiny_content)] == ["department.code"]
    site = tmp_path / "site"
    options = BuildOptions(content=tiny_content, site=site, cache=tmp_path / "c", pdf=False)
    with pytest.raises(BuildFailed):
        build(replace(options, strict=True))
    assert not site.exists()
    # Held back, the refused form leaves the department pages to the one without a code.
    report = build(options)
    assert [held.file for held in report.held_back] == ["2023/ceshi/yi.yaml"]
    [department] = (site / "2023").glob("dept-*/index.html")
    assert "部门甲" in department.read_text(encoding="utf-8")
    assert not (site / "2023" / "ceshi" / "yi").exists()


def test_a_unit_folder_cannot_take_a_department_page(tmp_path: Path, tiny_content: Path) -> None:
    """Probe unit-folder-dept-collision: folder dept-502 beside department 502's listing."""
    write_project(tiny_content, minimal_project(department=_department("502")))
    path = write_project(
        tiny_content, minimal_project(id="qita", department=_department("502")), unit="dept-502"
    )
    assert _named(tiny_content) == [
        f"{path.as_posix()}:1:1: : unit folder 'dept-502' starts with 'dept-', as the department "
        "listings beside it do"
    ]


def test_a_chinese_folder_with_a_space_stops_the_build(tmp_path: Path, tiny_content: Path) -> None:
    """`content/2023/民政 局/`: refused, located, before any URL (sitemap, feed, open data) is
    written with it."""
    path = write_project(tiny_content, unit="民政 局")
    assert _named(tiny_content) == [
        f"{path.as_posix()}:1:1: : unit folder '民政 局' has characters a file name or web "
        "address cannot carry as they are"
    ]
    site = tmp_path / "site"
    with pytest.raises(BuildFailed):
        build(BuildOptions(content=tiny_content, site=site, cache=tmp_path / "c", pdf=False))
    assert not site.exists()


def test_capitals_in_a_unit_folder_are_named_as_such(tiny_content: Path) -> None:
    """Probe windows-reserved-id: folders LPS and lps would be one folder on Windows or macOS."""
    path = write_project(tiny_content, unit="LPS")
    write_project(tiny_content, minimal_project(id="qita"), unit="lps")
    assert _named(tiny_content) == [
        f"{path.as_posix()}:1:1: : unit folder 'LPS' has capital letters: one differing only in "
        "case would be the same folder on a case-insensitive file system or web host"
    ]
