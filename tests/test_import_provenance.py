"""An imported form's `source:` block: valid in a project file, no change to the scores, and
`jixiao check` pointing each finding back to where its value was read in the original file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.report.provenance import english_place

from .importing import ROOT

FORM = "jiguan-yanglao-quekou.yaml"  # its 成本金额 row: warning cost-vs-executed
FIELD = "indicators[5].actual"
SHA = "ab" * 32


def _content(tmp_path: Path, places: dict[str, str] | None, reader: str = "pdf") -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    if places is not None:
        path = content / "2023" / "lps-sbj" / FORM
        block = "".join(f"    {key}: {value}\n" for key, value in places.items())
        source = f"\nsource:\n  file: 自评表.pdf\n  sha256: {SHA}\n  reader: {reader}\n  places:\n"
        path.write_text(path.read_text(encoding="utf-8") + source + block, encoding="utf-8")
    return content


def _check(content: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["check", "--content", str(content), str(content / "2023" / "lps-sbj" / FORM), *args])
    return capsys.readouterr().out


def _finding_line(out: str) -> str:
    return next(line for line in out.splitlines() if "[cost-vs-executed]" in line)


def test_a_finding_names_the_nearest_place_in_the_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = _content(
        tmp_path, {"name": "第1页 表1 第2行第2列", "indicators[5]": "第2页 表1 第9行"}
    )
    out = _check(content, capsys)
    assert _finding_line(out).endswith("（源文件 自评表.pdf 第2页 表1 第9行）")
    english = _check(content, capsys, "--lang", "en")
    assert _finding_line(english).endswith(" (source: 自评表.pdf page 2, table 1, row 9)")
    document = json.loads(_check(content, capsys, "--json"))
    (finding,) = [f for f in document["projects"][0]["findings"] if f["code"] == "cost-vs-executed"]
    assert finding["field"] == FIELD
    assert (finding["source_file"], finding["source_place"]) == ("自评表.pdf", "第2页 表1 第9行")


def test_the_exact_place_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    places = {"indicators[5]": "第2页 表1 第9行", FIELD: "第2页 表1 第9行第6列"}
    out = _check(_content(tmp_path, places), capsys)
    assert _finding_line(out).endswith("（源文件 自评表.pdf 第2页 表1 第9行第6列）")


def test_a_text_source_counts_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path, {FIELD: "第31行第40列"}, reader="text")
    english = _check(content, capsys, "--lang", "en")
    assert _finding_line(english).endswith(" (source: 自评表.pdf line 31, column 40)")


def test_without_a_place_nothing_is_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _check(_content(tmp_path, {"name": "第1页 表1 第2行第2列"}), capsys)
    assert "源文件" not in _finding_line(out)
    plain = json.loads(_check(_content(tmp_path / "b", None), capsys, "--json"))
    finding = plain["projects"][0]["findings"][0]
    assert finding["source_file"] is None and finding["source_place"] is None


def test_the_source_block_changes_no_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_source = json.loads(
        _check(_content(tmp_path, {FIELD: "第2页 表1 第9行第6列"}), capsys, "--json")
    )
    without = json.loads(_check(_content(tmp_path / "b", None), capsys, "--json"))
    assert with_source["summary"] == without["summary"]
    assert with_source["projects"][0]["computed"] == without["projects"][0]["computed"]
    codes = [(f["code"], f["field"]) for f in with_source["projects"][0]["findings"]]
    assert codes == [(f["code"], f["field"]) for f in without["projects"][0]["findings"]]


@pytest.mark.parametrize(
    ("block", "field"),
    [
        ("  file: a.pdf\n  sha256: xyz\n  reader: pdf\n", "source.sha256"),
        (f"  file: a.pdf\n  sha256: {SHA}\n  reader: ocr\n", "source.reader"),
        (f"  file: a.pdf\n  sha256: {SHA}\n  reader: pdf\n  page: 2\n", "source.page"),
    ],
)
def test_a_wrong_source_block_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], block: str, field: str
) -> None:
    content = _content(tmp_path, None)
    path = content / "2023" / "lps-sbj" / FORM
    path.write_text(path.read_text(encoding="utf-8") + "\nsource:\n" + block, encoding="utf-8")
    out = _check(content, capsys, "--lang", "en")
    assert "error[" in out and f"{field}" in out


@pytest.mark.parametrize(
    ("place", "reader", "english"),
    [
        ("第2页 表1 第5行第3列", "pdf", "page 2, table 1, row 5, column 3"),
        ("表1 第5行 第3列", "docx", "table 1, row 5, column 3"),
        ("Sheet1!C7", "xlsx", "Sheet1!C7"),
        ("第12行 第7列", "text", "line 12, column 7"),
        ("整个文件", "pdf", "whole file"),
    ],
)
def test_english_place(place: str, reader: str, english: str) -> None:
    assert english_place(place, reader) == english
