"""How large and how fine a number on a form may be: finite, at most 15 digits before the
decimal point, 2 after it for amounts in 元 and 6 for points, rates and the numbers in cells.
Outside that, a located error where the number is written; inside it, every figure is computed
and every JSON file is RFC 8259 (no Infinity, no NaN)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main
from builder.form.values import out_of_range
from builder.opendata.export import write_open_data
from builder.rules.check import check_content
from builder.rules.findings import Severity

from .conftest import minimal_project, position_of, project_yaml, write_project

FIVE_THOUSAND_NINES = "9" * 5000


def _strict_json(text: str) -> Any:
    """JSON as RFC 8259 reads it: Infinity, -Infinity and NaN are refused."""

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _form_with(replace: str, by: str) -> str:
    text = project_yaml(minimal_project())
    assert replace in text
    return text.replace(replace, by, 1)


@pytest.mark.parametrize(
    ("replace", "by", "code", "needle"),
    [
        # The probes: 1e400 executed, an exponent past decimal's range, more than 4,300 digits.
        ("executed: 1000", "executed: 1e400", "schema-number-out-of-range", "1e400"),
        ("executed: 1000", "executed: 1e10000000", "schema-number-out-of-range", "1e10000000"),
        ("budget: 1000", f"budget: {FIVE_THOUSAND_NINES}", "schema-number-out-of-range", "999"),
        # Of the same kind: too fine, quoted, in the declared figures, in points, in a cell.
        ("budget: 1000", "budget: 1e-400", "schema-number-out-of-range", "1e-400"),
        ("budget: 1000", "budget: 1000.001", "schema-number-out-of-range", "1000.001"),
        ("executed: 1000", "executed: '1e400'", "schema-number-out-of-range", "'1e400'"),
        (
            "executed: 1000",
            "executed: 1000000000000000",
            "schema-number-out-of-range",
            "1000000000000000",
        ),
        (
            "indicators:",
            "declared:\n  execution_rate: 1e400\nindicators:",
            "schema-number-out-of-range",
            "1e400",
        ),
        ("weight: 50", "weight: 50\n  score: 1e-400", "schema-number-out-of-range", "1e-400"),
        ("target: ≥100人", f"target: ≥{'9' * 20}人", "value-unreadable", "≥999"),
        ("actual: ≥100人", f"actual: {'9' * 150}人", "value-unreadable", "999"),
        # A cell of 5,000 digits is longer than a cell may be (builder/form/lengths.py).
        ("actual: ≥100人", f"actual: {FIVE_THOUSAND_NINES}人", "schema-string-too-long", "999"),
        ("target: ≥95%", "target: ≥0.0000001%", "value-unreadable", "≥0.0000001%"),
    ],
)
def test_a_number_out_of_range_is_a_located_error(
    tiny_content: Path,
    capsys: pytest.CaptureFixture[str],
    replace: str,
    by: str,
    code: str,
    needle: str,
) -> None:
    write_project(tiny_content, minimal_project(id="ceshi-good"), name="good.yaml")
    path = write_project(tiny_content, _form_with(replace, by))
    assert main(["check", "--content", str(tiny_content), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert f"{position_of(path, needle)}: 错误[{code}]" in out
    assert "internal error" not in out and "内部错误" not in out
    assert "检查了 2 个项目:1 个错误" in out  # the other file is still checked


@pytest.mark.parametrize(
    ("value", "places", "problem"),
    [
        ("999999999999999.99", 2, ""),
        ("86870000.00", 2, ""),
        ("1000.000", 2, ""),
        ("0", 2, ""),
        ("-5", 6, ""),
        ("0.000001", 6, ""),
        ("1E+14", 2, ""),
        ("1000000000000000", 2, "digits before"),
        ("1E+15", 2, "digits before"),
        ("1e400", 6, "digits before"),
        ("1e-400", 6, "digits after"),
        ("0.001", 2, "digits after"),
        ("Infinity", 2, "finite"),
        ("-Infinity", 2, "finite"),
        ("NaN", 2, "finite"),
        (FIVE_THOUSAND_NINES, 2, "digits before"),
        ("0." + FIVE_THOUSAND_NINES, 6, "digits after"),
    ],
)
def test_the_bounds(value: str, places: int, problem: str) -> None:
    found = out_of_range(Decimal(value), places)
    assert (problem in found) if problem else found == ""


def test_numbers_at_the_bounds_give_strict_json(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The largest and finest numbers allowed: check --json and the open data are RFC 8259."""
    text = _form_with("budget: 1000", "budget: 0.01")
    text = text.replace("executed: 1000", "executed: 999999999999999.99", 1)
    text = text.replace("initial: 1000", "initial: 999999999999999.99", 1)
    text = text.replace("target: ≥95%", "target: ≥0.000001%", 1)
    text = text.replace("actual: ≥95%", "actual: ≥999999999999999%", 1)
    text = text.replace(
        "indicators:", "declared:\n  execution_rate: 999999999999999.999999\nindicators:"
    )
    write_project(tiny_content, text)
    code = main(["check", "--json", "--content", str(tiny_content), "--jobs", "1"])
    document = _strict_json(capsys.readouterr().out)
    # Executed over budget: the form's own figures disagree, a warning located, not a crash.
    assert code == 0
    codes = {(f["code"], f["severity"]) for p in document["projects"] for f in p["findings"]}
    assert ("executed-over-budget", "warning") in codes

    within = text.replace("executed: 999999999999999.99", "executed: 0.01", 1)
    write_project(tiny_content, within)
    result = check_content(tiny_content)
    assert result.config is not None
    assert result.count(Severity.error) == 0
    site = tmp_path / "site"
    for name in write_open_data(result, result.config, site):
        if name.endswith(".json"):
            _strict_json((site / name).read_text(encoding="utf-8"))
