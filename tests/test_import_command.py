"""`jixiao import` around the recogniser: naming, writing, comparing, the review list, --json
and the exit status. The forms come from drafts of the hand-written files (`importing.py`),
as the recogniser gives them for a printed form."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builder.form.load import load_project
from builder.intake.draft import Draft, ReviewItem
from builder.intake.grid import Place
from builder.intake.importer import ImportOptions, run_import, write_new
from builder.report.imports import import_document, import_lines

from .importing import ROOT, SEED_FORMS, draft_of, drafting_of

SOURCE = "自评表.pdf"
GUESS = ReviewItem(
    "column-guess",
    Place(file=SOURCE, page=2, table=1, row=5, column=3),
    "第3列按位置取为分值(表头不清)",
    "column 3 taken as 分值 by its position (its header is unclear)",
)


def _source(tmp_path: Path, name: str = SOURCE) -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7 the form as published\n")
    return path


def _hand_content(tmp_path: Path) -> Path:
    into = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "2023", into / "2023")
    return into


def _model(path: Path):
    project = load_project(path).project
    assert project is not None, path
    return project.model_copy(update={"id": "x", "source": None})


def test_into_an_empty_folder_writes_every_form(tmp_path: Path) -> None:
    file, into = _source(tmp_path), tmp_path / "content"
    report = run_import([file], ImportOptions(into=into), drafting_of(SEED_FORMS))
    assert [form.status for form in report.forms] == ["written"] * 6
    assert report.exit_status == 0  # only id-chosen items: nothing for a person
    assert {item.code for form in report.forms for item in form.review} == {"id-chosen"}
    for form, hand in zip(report.forms, SEED_FORMS, strict=True):
        assert form.path is not None and form.path.parent == into / "2023" / form.path.parent.name
        assert _model(form.path) == _model(hand)
        written = load_project(form.path).project
        assert written is not None and written.source is not None
        assert written.source.file == SOURCE and written.source.reader == "pdf"
        assert written.source.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
        assert written.source.places["name"] == "第1页 表1 第2行第3列"
    assert not list(into.rglob(".*"))  # no temporary file left


def test_the_same_file_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    file, into = _source(tmp_path), tmp_path / "content"
    first = run_import([file], ImportOptions(into=into), drafting_of(SEED_FORMS))
    before = {p: p.read_bytes() for p in into.rglob("*.yaml")}
    again = run_import([file], ImportOptions(into=into), drafting_of(SEED_FORMS))
    assert [form.status for form in again.forms] == ["unchanged"] * 6
    assert [f.path for f in again.forms] == [f.path for f in first.forms]
    assert {p: p.read_bytes() for p in into.rglob("*.yaml")} == before
    assert again.exit_status == 0 and not any(form.review for form in again.forms)


def test_forms_typed_by_hand_are_found_and_unchanged(tmp_path: Path) -> None:
    into = _hand_content(tmp_path)
    before = {p: p.read_bytes() for p in into.rglob("*.yaml")}
    report = run_import([_source(tmp_path)], ImportOptions(into=into), drafting_of(SEED_FORMS))
    assert [form.status for form in report.forms] == ["unchanged"] * 6
    assert [form.path for form in report.forms] == [
        into / "2023" / "lps-sbj" / hand.name for hand in SEED_FORMS
    ]
    assert {p: p.read_bytes() for p in into.rglob("*.yaml")} == before
    assert report.exit_status == 0


def test_an_edited_file_is_never_overwritten(tmp_path: Path) -> None:
    into = _hand_content(tmp_path)
    edited = into / "2023" / "lps-sbj" / SEED_FORMS[3].name
    text = edited.read_text(encoding="utf-8").replace("total: 92.01", "total: 93")
    edited.write_text(text, encoding="utf-8")
    report = run_import([_source(tmp_path)], ImportOptions(into=into), drafting_of(SEED_FORMS))
    form = report.forms[3]
    assert form.status == "differs" and edited.read_text(encoding="utf-8") == text
    assert "-  total: 93\n+  total: 92.01\n" in form.diff
    assert [item.code for item in form.review] == ["differs-from-existing"]
    assert report.exit_status == 3
    lines = import_lines(report)
    assert f"有差异,未覆盖: {edited.as_posix()} (来自 {tmp_path / SOURCE})" in lines
    assert "-  total: 93" in lines


def test_dry_run_writes_nothing_and_shows_the_file(tmp_path: Path) -> None:
    into = tmp_path / "content"
    options = ImportOptions(into=into, dry_run=True)
    report = run_import([_source(tmp_path)], options, drafting_of(SEED_FORMS[:1]))
    assert [form.status for form in report.forms] == ["dry-run"] and not into.exists()
    lines = import_lines(report, "en")
    assert lines[0].startswith("would write (--dry-run): ")
    assert "    funding:  # 元" in lines
    assert import_document(report)["forms"][0]["text"].startswith("# yaml-language-server:")


def test_review_items_are_located_in_the_source(tmp_path: Path) -> None:
    into = tmp_path / "content"
    report = run_import(
        [_source(tmp_path)], ImportOptions(into=into), drafting_of(SEED_FORMS[:1], (GUESS,))
    )
    assert report.exit_status == 3
    assert (
        "自评表.pdf:第2页 表1 第5行第3列: 复核[column-guess]: 第3列按位置取为分值(表头不清)"
        " (对照源文件核对这一列的表头)"
    ) in import_lines(report)
    english = import_lines(report, "en")
    assert (
        "自评表.pdf:page 2, table 1, row 5, column 3: review[column-guess]: column 3 taken as "
        "分值 by its position (its header is unclear) (check the column's header in the source)"
    ) in english
    assert english[-1] == "imported 1 form: wrote 1; 0 files not read; 1 review item"


def test_review_items_of_an_unchanged_form_were_seen_when_written(tmp_path: Path) -> None:
    into, file = tmp_path / "content", _source(tmp_path)
    drafting = drafting_of(SEED_FORMS[:1], (GUESS,))
    assert run_import([file], ImportOptions(into=into), drafting).exit_status == 3
    again = run_import([file], ImportOptions(into=into), drafting)
    assert again.forms[0].status == "unchanged" and again.exit_status == 0
    assert [item.code for item in again.forms[0].review] == ["column-guess"]


def test_json_document(tmp_path: Path) -> None:
    into = tmp_path / "content"
    report = run_import(
        [_source(tmp_path)], ImportOptions(into=into), drafting_of(SEED_FORMS[:1], (GUESS,))
    )
    document = json.loads(json.dumps(import_document(report), ensure_ascii=False))
    assert set(document) == {"version", "tool", "forms", "errors", "summary", "exit_status"}
    (form,) = document["forms"]
    assert {"path", "status", "id", "source", "review"} <= set(form)
    assert form["status"] == "written" and form["source"] == str(tmp_path / SOURCE)
    assert form["review"][0] == {
        "code": "column-guess",
        "file": SOURCE,
        "place": "第2页 表1 第5行第3列",
        "place_en": "page 2, table 1, row 5, column 3",
        "message_zh": GUESS.message_zh,
        "message": GUESS.message_en,
        "hint_zh": "对照源文件核对这一列的表头",
        "hint": "check the column's header in the source",
        "needs_person": True,
    }
    assert form["review"][1]["code"] == "id-chosen" and not form["review"][1]["needs_person"]
    assert document["exit_status"] == 3


def test_a_form_without_a_year(tmp_path: Path) -> None:
    draft = draft_of(SEED_FORMS[0], SOURCE)
    del draft.data["year"]
    into = tmp_path / "content"
    report = run_import([_source(tmp_path)], ImportOptions(into=into), lambda _: ([draft], []))
    assert report.forms[0].status == "no-year" and report.exit_status == 3
    assert not into.exists()
    given = run_import(
        [_source(tmp_path)], ImportOptions(into=into, year=2022), lambda _: ([draft], [])
    )
    path = given.forms[0].path
    assert path is not None and path.parts[-3] == "2022" and _model(path).year == 2022


class _Refused(Exception):
    """What a reader raises for a file it cannot read: code, messages and hints."""

    def __init__(self) -> None:
        super().__init__("encrypted")
        self.code, self.message_zh, self.message_en = "encrypted", "文件设有打开密码", "locked"
        self.hint_zh, self.hint_en = "取消密码后再导入", "remove the password"


def test_a_bad_file_is_one_located_line_and_the_others_are_imported(tmp_path: Path) -> None:
    good, locked = _source(tmp_path), _source(tmp_path, "加密.xlsx")
    broken, empty = _source(tmp_path, "坏.docx"), _source(tmp_path, "决算表.pdf")

    def drafting(file: Path) -> tuple[list[Draft], list[ReviewItem]]:
        if file == broken:
            raise zipfile.BadZipFile("File is not a zip file")
        if file == empty:
            return [], []
        return drafting_of(SEED_FORMS[:1])(file)

    def refusing(file: Path) -> tuple[list[Draft], list[ReviewItem]]:
        if file == locked:
            raise _Refused()
        return drafting(file)

    into = tmp_path / "content"
    files = [locked, broken, good, empty, tmp_path / "没有.pdf"]
    report = run_import(files, ImportOptions(into=into), refusing)
    assert [form.status for form in report.forms] == ["written"]
    assert [f.code for f in report.failures] == [
        "encrypted",
        "unreadable-file",
        "no-form",
        "unreadable-file",
    ]
    assert report.exit_status == 1
    lines = import_lines(report)
    assert f"{locked}: 错误[encrypted]: 文件设有打开密码 (取消密码后再导入)" in lines
    assert any(line.startswith(f"{broken}: 错误[unreadable-file]: ") for line in lines)
    assert any("BadZipFile" in line for line in lines)
    with pytest.raises(zipfile.BadZipFile):
        run_import([broken], ImportOptions(into=into, debug=True), drafting)


def test_an_invalid_form_is_written_with_a_review_item(tmp_path: Path) -> None:
    draft = draft_of(SEED_FORMS[0], SOURCE)
    draft.data["indicators"][0]["weight"] = "十"
    report = run_import(
        [_source(tmp_path)], ImportOptions(into=tmp_path / "c"), lambda _: ([draft], [])
    )
    (form,) = report.forms
    assert form.status == "written" and report.exit_status == 3
    assert [i.code for i in form.review][-1] == "invalid-form"
    assert "indicators[0].weight" in form.review[-1].message_zh


def test_write_new_never_replaces_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b.yaml"
    write_new(path, "one\n")
    with pytest.raises(FileExistsError):
        write_new(path, "two\n")
    assert path.read_text() == "one\n" and sorted(p.name for p in path.parent.iterdir()) == [
        "b.yaml"
    ]


def test_cli_missing_file_is_a_located_error(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "builder", "import", "没有.xlsx", "--into", "content"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
    assert completed.stdout.splitlines()[0].startswith("没有.xlsx: 错误[unreadable-file]: ")
    assert not (tmp_path / "content").exists()


def test_cli_json_missing_file(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "builder", "import", "x.pdf", "--json", "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    document = json.loads(completed.stdout)
    assert completed.returncode == 1 and document["exit_status"] == 1
    assert document["forms"] == [] and document["errors"][0]["file"] == "x.pdf"
