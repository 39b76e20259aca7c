"""What a new user's check of `jixiao import` and `jixiao template` found (issue 13), each as a
kind, with inputs of the same kind written into tmp folders:

1. a filled-in template imported as an invalid form (its 填表说明 sheet read as form data, its
   weights check formula unreadable, its unused 「指标N:」 rows kept as placeholders);
2. a Word report's text after the form's 注 read into `remarks`;
3. the site's workbook showed figures without the decimals typed (20.10 as 20.1);
4. a Word report's first 「N年度」 taken as the form's year;
5. two forms of one year, unit and name paired crosswise with their files on re-import;
6. review codes the importer prints missing from docs/import.md's table, and hints that did
   not fit the item;
7. help wrapped inside an ASCII word, an empty or misnamed file called damaged, the template's
   amount check refusing the dash its prompt asks for.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main
from builder.form.load import load_project
from builder.workbook.form import form_grid

from .importing import ROOT, SEED_FORMS
from .roundtrip import FAMILY_FORMS, differences, imported, project_of, report_docx
from .templatefill import fill_template

FAMILIES_SITE = ROOT / "docs" / "examples" / "families"
SEED = ROOT / "tests" / "data" / "intake" / "seed-lps-sbj-2023.txt"
SEED_FORMS_ROOT = SEED_FORMS[0].parent


def _import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    """`jixiao import --json ARGS`: its exit status and its document."""
    capsys.readouterr()
    status = main(["import", "--json", *args])
    return status, json.loads(capsys.readouterr().out)


def _codes(document: dict[str, Any]) -> list[str]:
    return [item["code"] for form in document["forms"] for item in form["review"]]


# --- 1. a filled-in template ------------------------------------------------------------------


@pytest.mark.parametrize(
    "family", ["central", "sichuan", "hubei-2020", "anhui-xianjie", "yinchuan"]
)
def test_a_filled_in_template_imports_as_filled_and_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], family: str
) -> None:
    blank, filled = tmp_path / "blank.xlsx", tmp_path / "填好的表.xlsx"
    args = ["--template", family, "--year", "2023", "--content", str(FAMILIES_SITE)]
    assert main(["template", "--xlsx", "-o", str(blank), *args]) == 0
    typed = fill_template(blank, filled)
    into = tmp_path / "content"
    into.mkdir()
    shutil.copy(FAMILIES_SITE / "site.yaml", into / "site.yaml")
    status, document = _import(capsys, str(filled), "--into", str(into))
    assert _codes(document) == ["id-chosen"], document["forms"][0]["review"]
    assert status == 0
    (form,) = document["forms"]
    capsys.readouterr()
    assert main(["check", "--content", str(into)]) == 0
    assert "错误[" not in capsys.readouterr().out
    project = load_project(Path(form["path"])).project
    assert project is not None
    assert project.template == family
    assert (project.name, project.unit, project.goals.planned) == (
        typed["name"], typed["unit"], typed["goals"],
    )  # fmt: skip
    # No 「指标N:」 row of the template and no row of its 填表说明: the three rows typed.
    rows = [row.model_dump(mode="json") for row in project.indicators]
    got = [
        {k: str(row[k]) for k in want} for row, want in zip(rows, typed["indicators"], strict=False)
    ]
    assert len(rows) == 3 and got == typed["indicators"]
    figures = set(_figures(project.funding.model_dump(mode="json")))
    assert {Decimal(amount) for amount in typed["amounts"]} <= figures


def _figures(value: object) -> list[Decimal]:
    """Every number in a dumped model, as Decimals."""
    if isinstance(value, dict):
        return [f for item in value.values() for f in _figures(item)]
    if isinstance(value, list):
        return [f for item in value for f in _figures(item)]
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            return [Decimal(str(value))]
        except ArithmeticError:
            return []
    return []


def _seed_form(tmp_path: Path, name: str = "one.txt", *extra: str) -> Path:
    """The seed's first form (its lines 1-40) as a text file, with `extra` lines after its
    填报日期 line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()[:40]
    at = next(i for i, line in enumerate(lines) if line.startswith("填报日期")) + 1
    path = tmp_path / name
    path.write_text("\n".join([*lines[:at], *extra, *lines[at:]]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("printed", "family"),
    [("表样:四川部门预算项目支出绩效自评表", "sichuan"), ("表样:sichuan", "sichuan"),
     ("表样:财预〔2020〕10号模板", None)],
)  # fmt: skip
def test_a_printed_template_name_is_the_family_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], printed: str, family: str | None
) -> None:
    source = _seed_form(tmp_path, "one.txt", printed)
    status, document = _import(capsys, str(source), "--into", str(tmp_path / "c"))
    assert "invalid-form" not in _codes(document) and status == 0
    (form,) = document["forms"]
    project = load_project(Path(form["path"])).project
    assert project is not None and project.template == (family or "central")


def test_a_printed_template_name_of_no_family_is_a_review_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _seed_form(tmp_path, "one.txt", "表样:某市自定表样")
    status, document = _import(capsys, str(source), "--into", str(tmp_path / "c"))
    assert "template-guess" in _codes(document) and "invalid-form" not in _codes(document)
    assert status == 3


# --- 2. a Word report's text after the form --------------------------------------------------

_NOTED = [form for form in FAMILY_FORMS if project_of(form).remarks]
_AFTER = {
    "heading": ["二、绩效目标完成情况分析:各项指标基本完成。"],
    "bracketed heading": ["(三)存在的问题", "个别指标完成偏慢。"],
    "plain paragraphs": ["特此报告。", "某县农业农村局 2024年3月"],
}


@pytest.mark.parametrize("form", _NOTED[:4], ids=lambda form: form.stem)
@pytest.mark.parametrize("after", list(_AFTER), ids=str)
def test_a_reports_text_after_the_forms_note_is_not_the_forms(
    tmp_path: Path, form: Path, after: str
) -> None:
    from docx import Document

    want = project_of(form)
    path = report_docx(form_grid(want), tmp_path / "报告.docx")
    document = Document(str(path))
    for text in _AFTER[after]:
        document.add_paragraph(text)
    document.save(str(path))
    (outcome,) = imported([path], tmp_path / "c", region=want.region).forms
    got = project_of(outcome.path)
    assert differences(got, want) == {}
    assert got.remarks == want.remarks


def test_a_notes_own_numbered_paragraphs_stay_the_notes(tmp_path: Path) -> None:
    """A 注 whose items are Word paragraphs of their own (「2.…」, 「(3)…」) is one 注; the
    paragraph after it that is no item is the report's."""
    from docx import Document

    want = project_of(_NOTED[0])
    items = ["注:1.本表金额单位为万元。", "2.定量指标按比例计分。", "(3)定性指标分三档。"]
    want = want.model_copy(update={"remarks": "\n".join(items)})
    path = report_docx(form_grid(want.model_copy(update={"remarks": None})), tmp_path / "r.docx")
    document = Document(str(path))
    for text in [*items, "以上情况特此说明。"]:
        document.add_paragraph(text)
    document.save(str(path))
    (outcome,) = imported([path], tmp_path / "c", region=want.region).forms
    assert project_of(outcome.path).remarks == want.remarks


def test_a_text_files_report_heading_after_the_note_ends_it(tmp_path: Path) -> None:
    """Copied text: a line after the 注 may be a wrapped line of it, a section heading is not."""
    lines = SEED.read_text(encoding="utf-8").splitlines()[:40]
    at = next(i for i, line in enumerate(lines) if line.startswith("联系人")) + 1
    note = ["注:1.预算执行率分值10分,产出指标50分,", "效益指标30分,满意度指标10分。"]
    path = tmp_path / "one.txt"
    text = [*lines[:at], *note, "二、绩效目标完成情况分析", "各项指标基本完成。"]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    (outcome,) = imported([path], tmp_path / "c").forms
    assert project_of(outcome.path).remarks == "\n".join(note)


# --- 3. the workbook shows the figures as typed ----------------------------------------------


@pytest.mark.parametrize(
    ("rate", "score", "total"),
    [("20.10", "2.01", "92.01"), ("100.00", "10.0", "100.00"), ("96.5", "9.50", "97.50")],
)
def test_the_workbook_shows_each_figure_with_its_typed_decimals(
    tmp_path: Path, rate: str, score: str, total: str
) -> None:
    import openpyxl

    from builder.form.model import Project
    from builder.workbook.forms import form_workbook

    from .conftest import minimal_project

    data = minimal_project()
    data["indicators"][0]["score"] = Decimal(score)
    data["declared"] = {
        "execution_rate": Decimal(rate),
        "execution_score": Decimal(score),
        "total_weight": 100,
        "total": Decimal(total),
    }
    want = Project.model_validate(data)
    path = tmp_path / "form.xlsx"
    path.write_bytes(form_workbook(want))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    shown = {
        (cell.value, cell.number_format)
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, (int, float))
    }
    for typed in (rate, score, total):
        decimals = len(typed.partition(".")[2])
        assert (float(typed), "0." + "0" * decimals if decimals else "0") in shown, typed
    (outcome,) = imported([path], tmp_path / "c").forms
    assert differences(project_of(outcome.path), want) == {}


# --- 4. the year of a form inside a report ---------------------------------------------------

_YEARS = [f for f in [SEED_FORMS_ROOT / "jiguan-yanglao-quekou.yaml", *FAMILY_FORMS[:3]]]


def _report_with(tmp_path: Path, want: Any, first: str, keep_heading: bool = True) -> Path:
    """A Word report of `want` that begins with the paragraph `first`; without the form's own
    title and year lines unless `keep_heading`, then with 「本单位2023年度…」 above the table."""
    from docx import Document

    path = report_docx(form_grid(want), tmp_path / "报告.docx")
    document = Document(str(path))
    document.paragraphs[0].insert_paragraph_before(first)
    if not keep_heading:
        for paragraph in document.paragraphs:
            if paragraph.text in ("项目支出绩效目标自评表", f"({want.year}年度)"):
                paragraph._element.getparent().remove(paragraph._element)
        unit = next(p for p in document.paragraphs if p.text.startswith(("单位", "部门")))
        unit.insert_paragraph_before(f"本单位{want.year}年度项目自评情况如下。")
    document.save(str(path))
    return path


@pytest.mark.parametrize("form", _YEARS, ids=lambda form: form.stem)
def test_the_forms_own_year_wins_over_a_reports_title(tmp_path: Path, form: Path) -> None:
    want = project_of(form)
    path = _report_with(tmp_path, want, f"{want.year - 4}年度部门整体支出绩效自评报告")
    (outcome,) = imported([path], tmp_path / "c", region=want.region).forms
    assert project_of(outcome.path).year == want.year
    assert "year-guess" not in [item.code for item in outcome.review]


@pytest.mark.parametrize("form", _YEARS[:2], ids=lambda form: form.stem)
def test_two_years_above_a_form_without_its_own_is_a_review_item(
    tmp_path: Path, form: Path
) -> None:
    want = project_of(form)
    path = _report_with(tmp_path, want, f"{want.year - 4}年度部门整体支出绩效自评报告", False)
    report = imported([path], tmp_path / "c", region=want.region)
    (outcome,) = report.forms
    assert project_of(outcome.path).year == want.year  # the one nearest the table
    (item,) = [item for item in outcome.review if item.code == "year-guess"]
    assert f"{want.year - 4}年度" in item.message_zh and report.exit_status == 3


# --- 5. forms of one name, re-imported -------------------------------------------------------


def _two_versions(tmp_path: Path) -> tuple[Path, Path]:
    """The seed's first form and a copy whose 执行数 was changed: one year, unit and name."""
    one = _seed_form(tmp_path, "one.txt")
    other = tmp_path / "same-unit-diff.txt"
    other.write_text(one.read_text(encoding="utf-8").replace("17461600", "17461700"), "utf-8")
    return one, other


def _statuses(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(Path(f["source"]).name, f["status"], Path(f["path"]).name) for f in document["forms"]]


def test_forms_of_one_name_are_said_and_stay_with_their_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, other = _two_versions(tmp_path)
    into = str(tmp_path / "c")
    status, first = _import(capsys, str(one), str(other), "--into", into)
    assert status == 3 and _codes(first).count("duplicate-name") == 2
    written = {name: path for name, _, path in _statuses(first)}
    assert len(set(written.values())) == 2
    for order in ([one, other], [other, one]):
        status, again = _import(capsys, *map(str, order), "--into", into)
        assert status == 0, again
        assert sorted(_statuses(again)) == sorted(
            (name, "unchanged", path) for name, path in written.items()
        )
        assert _codes(again).count("duplicate-name") == 2  # listed again, seen when written


def test_two_forms_of_one_name_in_one_file_stay_with_their_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, other = _two_versions(tmp_path)
    both = tmp_path / "both.txt"
    both.write_text(other.read_text("utf-8") + one.read_text("utf-8"), "utf-8")
    into = str(tmp_path / "c")
    _import(capsys, str(both), "--into", into)
    status, again = _import(capsys, str(both), "--into", into)
    assert status == 0 and [f["status"] for f in again["forms"]] == ["unchanged"] * 2


def test_a_form_renamed_in_its_file_is_found_by_where_it_was_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, _ = _two_versions(tmp_path)
    into = tmp_path / "c"
    _, first = _import(capsys, str(one), "--into", str(into))
    path = Path(first["forms"][0]["path"])
    path.write_text(path.read_text("utf-8").replace("缺口资金补助", "缺口补助资金", 1), "utf-8")
    status, again = _import(capsys, str(one), "--into", str(into))
    (form,) = again["forms"]
    assert (form["status"], form["path"]) == ("differs", str(path)) and status == 3
    assert "缺口补助资金" in form["diff"] and len(list(path.parent.iterdir())) == 1


# --- 6. every review code in the docs --------------------------------------------------------


def _emitted_codes() -> set[str]:
    """Every review code the importer's code can give: the first argument, a string, of each
    call that makes a review item or a reader's issue (`note`, `_item`, `ReviewItem`,
    `ReadIssue`), and the codes it declares (`REVIEW_CODES`, `MESSAGES`)."""
    import ast

    from builder.intake.draft import REVIEW_CODES
    from builder.intake.outcome import MESSAGES

    makers = {"note", "_item", "ReviewItem", "ReadIssue"}
    codes = set(REVIEW_CODES) | set(MESSAGES)
    for path in (ROOT / "builder" / "intake").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0]
            if name in makers and isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes.add(first.value)
    return codes


def test_every_review_code_the_importer_gives_is_in_the_docs_table() -> None:
    import re

    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    table = text[text.index("## The review list") :].split("\n## ", 1)[0]
    documented = {
        code for line in table.splitlines() if line.startswith("| `")
        for code in re.findall(r"`([a-z-]+)`", line.split("|")[1])
    }  # fmt: skip
    emitted = _emitted_codes()
    assert {"placeholder-kept", "extra-cell", "hidden-row", "no-year"} <= emitted
    assert emitted - documented == set()


def test_a_word_paragraphs_place_is_its_paragraph(tmp_path: Path) -> None:
    """The 单位/填报日期 line above a Word report's table is a paragraph: 第N段, not 第N行."""
    from builder.report.provenance import english_place

    want = project_of(SEED_FORMS_ROOT / "jiguan-yanglao-quekou.yaml")
    path = report_docx(form_grid(want), tmp_path / "报告.docx")
    (outcome,) = imported([path], tmp_path / "c").forms
    places = project_of(outcome.path).source.places
    assert places["filled_on"] == "第5段" and places["name"].startswith("表1 ")
    assert english_place(places["filled_on"], "docx") == "paragraph 5"


def test_a_guess_that_is_no_columns_header_has_its_own_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """column-guess says what to check about a column; a funding table without its unit, a
    unit taken from the form's head, are other things to check."""
    source = _seed_form(tmp_path, "one.txt")
    text = (
        source.read_text("utf-8").replace("项目资金 (元)", "项目资金").replace("实施单位\t", "\t")
    )
    source.write_text(text, "utf-8")
    _, document = _import(capsys, str(source), "--into", str(tmp_path / "c"))
    guesses = [i for f in document["forms"] for i in f["review"] if i["code"] == "column-guess"]
    hints = {item["message_zh"][:6]: item["hint_zh"] for item in guesses}
    assert set(hints) == {"项目资金未注", "表中没有实施"}, hints
    assert "表头" not in "".join(hints.values()) and all(hints.values())


# --- 7. small things -------------------------------------------------------------------------


@pytest.mark.parametrize("columns", range(56, 104, 3))
def test_help_never_breaks_inside_an_ascii_word(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    for command in ("import", "template"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        # Lines joined as a reader reads them: a word broken over two lines is two words.
        words = " ".join(line.strip() for line in capsys.readouterr().out.splitlines())
        for name in ("anhui-xianjie", "sichuan", "hubei-2020", "yinchuan", "--template"):
            assert name in words, (columns, words)


@pytest.mark.parametrize(
    ("name", "content", "code", "says"),
    [
        ("空文件.xlsx", b"", "empty-file", "空"),
        ("空.docx", b"", "empty-file", "空"),
        ("空.pdf", b"", "empty-file", "空"),
        ("改名.xlsx", b"%PDF-1.7\n%\xe2\xe3\n", "misnamed", "PDF"),
        ("改名.docx", b"%PDF-1.4\n", "misnamed", "PDF"),
    ],
)
def test_an_empty_or_misnamed_file_is_said_as_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, code: str,
    says: str,
) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_bytes(content)
    status, document = _import(capsys, str(path), "--into", str(tmp_path / "c"))
    (error,) = document["errors"]
    assert status == 1 and error["code"] == code and says in error["message_zh"]
    assert "损坏" not in error["message_zh"]


def test_the_templates_amount_check_takes_the_dash_it_asks_for(tmp_path: Path) -> None:
    import openpyxl

    blank = tmp_path / "blank.xlsx"
    assert main(["template", "--xlsx", "-o", str(blank), "--content", str(FAMILIES_SITE)]) == 0
    sheet = openpyxl.load_workbook(blank)["自评表"]
    (check,) = [c for c in sheet.data_validations.dataValidation if "没有金额填 —" in c.prompt]
    first = str(check.sqref).split(":")[0]
    assert check.type == "custom" and check.errorStyle == "warning"
    assert f'{first}="—"' in check.formula1 and f"ISNUMBER({first})" in check.formula1
    assert f"{first}>=0" in check.formula1
