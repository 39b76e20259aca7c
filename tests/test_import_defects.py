"""What a new user's check of `jixiao import` and `jixiao template` found (issue 13), each as a
kind, with inputs of the same kind written into tmp folders:

1. a filled-in template imported as an invalid form (its 填表说明 sheet read as form data, its
   weights check formula unreadable, its unused 「指标N:」 rows kept as placeholders);
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

from .importing import ROOT
from .templatefill import fill_template

FAMILIES_SITE = ROOT / "docs" / "examples" / "families"
SEED = Path("/work/shared/seeds/000_323fd84ef8a1a5d8.txt")


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
