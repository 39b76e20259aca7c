"""Every finding code the builder can make has a Chinese explanation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from builder.rules.explain import (
    ERROR_EXPLANATIONS,
    EXPLANATIONS,
    FALLBACK,
    explain,
    explanation_key,
)
from builder.rules.findings import Finding, Severity

BUILDER = Path(__file__).resolve().parent.parent / "builder"


def _codes_made_in(path: Path) -> set[str]:
    """The codes of `Finding(severity, code, ...)` calls: literal, or the literal head of an
    f-string (`schema-{kind}` counts as `schema-`)."""
    codes: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding"):
            continue
        code = node.args[1] if len(node.args) > 1 else None
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            codes.add(code.value)
        elif isinstance(code, ast.JoinedStr) and isinstance(code.values[0], ast.Constant):
            codes.add(str(code.values[0].value))
    return codes


CODES = sorted(set().union(*(_codes_made_in(path) for path in BUILDER.rglob("*.py"))))


def test_the_scan_finds_the_codes() -> None:
    assert {"total-mismatch", "weights-level-sum", "duplicate-id", "yaml", "schema-"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_code_is_explained(code: str) -> None:
    finding = Finding(Severity.error, code + ("missing" if code.endswith("-") else ""), (), "")
    general, _ = explain(finding)
    assert general != FALLBACK[0], f"add {code!r} to builder/rules/explain.py"


def test_warnings_and_errors_are_explained_apart() -> None:
    assert not set(EXPLANATIONS) & set(ERROR_EXPLANATIONS)


@pytest.mark.parametrize(
    ("code", "data", "detail"),
    [
        (
            "weights-level-sum",
            {"level": "产出指标", "sum": "45", "expected": "50"},
            "产出指标下各三级指标分值合计 45 分,应为 50 分。",
        ),
        ("score-over-weight", {"declared": "12", "weight": "10"}, "申报得分 12,该项分值为 10。"),
        ("total-mismatch", {"declared": "100"}, ""),  # a figure missing: no detail sentence
    ],
)
def test_the_detail_sentence_carries_the_figures(
    code: str, data: dict[str, str], detail: str
) -> None:
    finding = Finding(Severity.error, code, (), "", data=tuple(data.items()))
    assert explain(finding)[1] == detail


def _documented() -> dict[str, str]:
    """code -> severity, from the table of docs/findings.md (`schema-*` as `schema`)."""
    text = (BUILDER.parent / "docs" / "findings.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `([^`]+)` \| (error|warning|note)(?: or (?:warning|note))? \|", text, re.MULTILINE
    )
    return {explanation_key(code.removesuffix("*")): severity for code, severity in rows}


@pytest.mark.parametrize(
    ("code", "severity"),
    [(code, "error") for code in ERROR_EXPLANATIONS]
    + [(code, "warning or note") for code in EXPLANATIONS],
)
def test_every_code_is_documented_with_its_severity(code: str, severity: str) -> None:
    documented = _documented().get(code)
    assert documented is not None, f"add {code!r} to docs/findings.md"
    assert documented in severity.split(" or "), f"{code!r} is documented as {documented}"
