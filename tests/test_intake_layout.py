"""The recogniser reads the official layout as jixiao prints it (tests/intake_layout.py): every
form of both example sites, laid out as the printed grid a reader gives, comes back as the
same project. This is the round trip the readers will make with real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.form.load import load_project
from builder.form.model import Project
from builder.intake.grid import Cell, Table
from builder.intake.recognise import recognise

from .intake_layout import printed_tables

ROOT = Path(__file__).resolve().parent.parent
FORMS = sorted((ROOT / "content").rglob("*/*/*.yaml")) + sorted(
    (ROOT / "docs/examples/families").rglob("*/*/*.yaml")
)


def _project(path: Path) -> Project:
    project = load_project(path).project
    assert project is not None
    return project


def _one_cell(project: Project) -> Project:
    """The form as one printed cell can hold it: a 执行率 or 得分 given both on the total row
    of a `rows` table and in `declared` (the same figure twice: 大理, 临湘) is printed once, on
    the row, so it reads back from there only."""
    row, declared = project.funding.total_row, project.declared
    if row is None or project.funding.by_key:
        return project
    update = {
        name: None
        for name, own in (("execution_rate", row.rate), ("execution_score", row.score))
        if getattr(declared, name) is not None and getattr(declared, name) == own
    }
    return project.model_copy(update={"declared": declared.model_copy(update=update)})


def _differences(got: Project, want: Project) -> dict[str, tuple]:
    a, b = got.model_dump(), want.model_dump()
    return {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_printed_layout_reads_back_as_the_form(path: Path) -> None:
    want = _one_cell(_project(path))
    (draft,) = recognise(printed_tables(want))
    assert draft.problems() == []
    got = draft.project(want.id)
    assert _differences(got, want) == {}
    assert got == want


def test_several_forms_in_one_file_each_read() -> None:
    forms = [_one_cell(_project(path)) for path in FORMS[:3]]
    tables = [table for form in forms for table in printed_tables(form)]
    drafts = recognise(tables)
    assert [d.project(f.id) for d, f in zip(drafts, forms, strict=True)] == forms


def test_a_table_continued_on_the_next_page_with_its_header_again() -> None:
    """A PDF reader gives a table per page; the second begins with the header printed again
    and the 一级/二级 cells it continues left blank: one form, the rows carried down."""
    want = _project(ROOT / "docs/examples/families/2023/linquan-nyncj/xianjie-shucai-dapeng.yaml")
    before, head, table, after = printed_tables(want)
    header, rows = table.rows[0], table.rows[1:]
    first = Table((header, *rows[:4]), table.origin)
    second = Table((header, *rows[4:]), table.origin)
    (draft,) = recognise([before, head, first, second, after])
    assert draft.project(want.id) == want


def test_blank_cells_stay_blank() -> None:
    """A row whose 年度指标值 is blank reads with no target, never a shifted value or 0."""
    want = _project(FORMS[0])
    indicators = list(want.indicators)
    indicators[0] = indicators[0].model_copy(update={"target": "", "score": None})
    form = want.model_copy(update={"indicators": indicators})
    (draft,) = recognise(printed_tables(form))
    row = draft.data["indicators"][0]
    assert "target" not in row and "score" not in row
    assert row["actual"] == indicators[0].actual


def test_page_footers_and_jixiao_annex_are_not_the_form() -> None:
    """A jixiao PDF prints 「第 1 页 共 2 页」 and, after the form, 附:复核计算结果 with its own
    总分 and 自评等次: neither is read into the form."""
    want = _project(FORMS[0])
    before, head, table, after = printed_tables(want)
    origin = after.origin
    footer = Table(((Cell("第 1 页 共 2 页", origin),),), origin)
    annex = Table(
        (
            (Cell("附:复核计算结果", origin),),
            (Cell("总分", origin), Cell("92.01", origin), Cell("92.01", origin)),
            (Cell("自评等次", origin), Cell("优秀", origin), Cell("优秀", origin)),
        ),
        origin,
    )
    (draft,) = recognise([before, head, footer, table, after, annex])
    assert draft.project(want.id) == want
