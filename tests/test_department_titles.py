"""A department's title is shown on every page of its projects and units (the breadcrumb:
年度 › 主管部门 › 实施单位), taken from the first of its forms in the year's listing, and given
its code where another department of the year has the same name (`site/departments.py`). An
incremental build whose forms change that title makes those pages again, although their own
forms did not change: each case is checked against a full build, byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .test_incremental import copy_content, full_build, run_build, tree

FORM = "2023/lps-sbj/chengxiang-yanglao-65-zengfa.yaml"
NAME = "六盘水市人力资源和社会保障局"


def _other_unit(content: Path, slug: str, department: str, code: str = "502") -> Path:
    """A copy of FORM as the only form of the unit `slug`, its department `department`
    (`code`), its id made its own."""
    text = (content / FORM).read_text(encoding="utf-8")
    text = text.replace("id: chengxiang-yanglao-65-zengfa", f"id: {slug}-form")
    text = text.replace(
        f'department: {{name: {NAME}, code: "502"}}',
        f'department: {{name: {department}, code: "{code}"}}',
    )
    text = text.replace("unit: 六盘水市社会保险事业局", f"unit: {slug}单位")
    folder = content / "2023" / slug
    folder.mkdir()
    path = folder / f"{slug}-form.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _first_form_removed(content: Path) -> Callable[[], None]:
    # "aa-first" lists before lps-sbj: its name titles department 502 until it goes
    path = _other_unit(content, "aa-first", "旧名称局")
    return lambda: path.unlink()


def _namesake_added(content: Path) -> Callable[[], None]:
    # another department of the same name (code 503): department 502 is then titled with its code
    return lambda: _other_unit(content, "zz-namesake", NAME, code="503")


def _namesake_removed(content: Path) -> Callable[[], None]:
    path = _other_unit(content, "zz-namesake", NAME, code="503")
    return lambda: path.unlink()


def _first_form_renamed(content: Path) -> Callable[[], None]:
    path = _other_unit(content, "aa-first", "旧名称局")

    def rename() -> None:
        path.write_text(
            path.read_text(encoding="utf-8").replace("name: 旧名称局", "name: 新名称局"), "utf-8"
        )

    return rename


@pytest.mark.parametrize(
    "change",
    [_first_form_removed, _namesake_added, _namesake_removed, _first_form_renamed],
    ids=["first-form-removed", "namesake-added", "namesake-removed", "first-form-renamed"],
)
def test_a_department_retitled_by_an_edit_is_retitled_on_every_page(
    tmp_path: Path, change: Callable[[Path], Callable[[], None]]
) -> None:
    content = copy_content(tmp_path)
    edit = change(content)
    run_build(content, tmp_path)
    edit()
    run_build(content, tmp_path)
    assert tree(tmp_path / "site") == full_build(content, tmp_path / "full")


def test_an_edit_that_keeps_every_title_stays_incremental(tmp_path: Path) -> None:
    """The titles are compared, not merely present: an edit of a department's form that leaves
    every title as it was (here a second unit of the same department and name) re-reads its
    own form only."""
    content = copy_content(tmp_path)
    path = _other_unit(content, "zz-same", NAME)
    run_build(content, tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("contact: 章桃", "contact: 章"), "utf-8"
    )
    report = run_build(content, tmp_path)
    assert report.incremental and report.checked == 1
    assert tree(tmp_path / "site") == full_build(content, tmp_path / "full")
