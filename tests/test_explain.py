"""Every finding code the builder can make has a Chinese explanation, and is said to staff in
Chinese with its own figures and a Chinese hint wherever it has an English one."""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.rules.explain import (
    ERROR_EXPLANATIONS,
    EXPLANATIONS,
    FALLBACK,
    explain,
    explanation_key,
)
from builder.rules.findings import Finding, Severity, templates
from builder.rules.readings import _UNSCORED
from builder.rules.wording import chinese, worded

BUILDER = Path(__file__).resolve().parent.parent / "builder"


@dataclass(frozen=True)
class Made:
    """One `Finding(severity, code, ...)` call: its code (literal, or the literal head of an
    f-string: `schema-{kind}` counts as `schema-`), whether it passes an English hint and
    Chinese words of its own, and the names of the figures it passes (`figures(name=...)`;
    None when they are not written at the call)."""

    where: str
    code: str
    hint: bool
    message_zh: bool
    hint_zh: bool
    figures: frozenset[str] | None


def _figure_names(node: ast.expr | None) -> frozenset[str] | None:
    if node is None:
        return frozenset()
    if isinstance(node, ast.BinOp):
        parts = [_figure_names(node.left), _figure_names(node.right)]
        return None if None in parts else frozenset().union(*parts)  # type: ignore[arg-type]
    if isinstance(node, ast.IfExp):
        return _figure_names(node.body)
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "figures":
        return frozenset(k.arg for k in node.keywords if k.arg)
    return None


def _made_in(path: Path) -> list[Made]:
    made = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        maker = isinstance(node, ast.Call) and getattr(node.func, "id", None)
        if maker not in ("Finding", "catalogued"):
            continue
        args = list(node.args)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if maker == "catalogued":  # message and hint from the catalogue, figures by name
            said = getattr(args[1], "value", "")  # the hint is the en catalogue's, if any
            args = [*args[:3], ast.Constant(""), ast.Constant(templates("hint", said, "en"))]
            names = {k.arg for k in node.keywords if k.arg}
            keywords = {
                "data": ast.Call(
                    ast.Name("figures"), [], [ast.keyword(n, ast.Constant(0)) for n in names]
                )
            }
        code = args[1] if len(args) > 1 else None
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            name = code.value
        elif isinstance(code, ast.JoinedStr) and isinstance(code.values[0], ast.Constant):
            name = str(code.values[0].value)
        else:
            continue
        hint = args[4] if len(args) > 4 else keywords.get("hint")
        if isinstance(hint, ast.Constant) and hint.value == ():
            hint = None
        starred = any(isinstance(a, ast.Starred) for a in args)  # `*chinese`: (message, hint)
        made.append(
            Made(
                f"{path.relative_to(BUILDER.parent)}:{node.lineno}",
                name,
                hint is not None and not (isinstance(hint, ast.Constant) and hint.value == ""),
                "message_zh" in keywords or starred,
                "hint_zh" in keywords or starred,
                _figure_names(args[5] if len(args) > 5 else keywords.get("data")),
            )
        )
    return made


MADE = [made for path in sorted(BUILDER.rglob("*.py")) for made in _made_in(path)]
CODES = sorted({made.code for made in MADE})


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


# Figures that place a finding rather than describe it, or that only the English needs.
PLACING = {"line", "column"}
# The cells of the row a finding is on (`wording.row_figures`), which a sentence may name.
ROW = {"row", "row_target", "row_actual", "cell", "cell_title"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _sentences(code: str) -> tuple[str, ...]:
    """The Chinese sentences a finding of `code` may be said in: its staff templates, else the
    sentence with figures from explain.py."""
    return tuple(t for t in templates("finding", code, "zh") if _fields(t))


@pytest.mark.parametrize("made", MADE, ids=lambda made: f"{made.code}@{made.where}")
def test_an_english_hint_has_a_chinese_one(made: Made) -> None:
    if made.hint:
        assert made.hint_zh or templates("hint", made.code, "zh"), (
            f"{made.where}: give {made.code!r} a Chinese hint (hint_zh=, or hint.{made.code} in "
            "the catalogues)"
        )


def test_the_hints_of_the_unscored_rows_have_chinese_ones() -> None:
    """Their codes and hints are a table (`readings._UNSCORED`), which the scan cannot see."""
    assert [c for c, hint in _UNSCORED.values() if hint and not templates("hint", c, "zh")] == []


@pytest.mark.parametrize(
    "made",
    [m for m in MADE if not m.message_zh and m.figures],
    ids=lambda made: f"{made.code}@{made.where}",
)
def test_the_chinese_sentence_carries_the_figures_of_the_english(made: Made) -> None:
    """A finding's figures are what its English message says: the Chinese sentence (or its
    hint) shows each, and names no figure the finding lacks (it would never be shown)."""
    assert made.figures is not None
    sentences = _sentences(made.code)
    assert sentences, f"{made.where}: {made.code!r} has no Chinese sentence with its figures"
    first = next((t for t in sentences if _fields(t) <= made.figures | ROW), None)
    assert first is not None, (
        f"{made.where}: every sentence of {made.code!r} needs a figure it lacks"
    )
    hints = templates("hint", made.code, "zh")
    said = set().union(*(_fields(t) for t in (*sentences, *hints)))
    assert made.figures - PLACING <= said, f"{made.where}: figures not said in Chinese"


@pytest.mark.parametrize(
    ("code", "data", "message", "hint"),
    [
        (
            "score-over-weight",
            {"declared": "12", "weight": "10"},
            "申报得分 12 超过该项分值 10,该项最多计 10 分",
            "一项的得分不能超过其分值:对照表上核对这两个数",
        ),
        (
            "conclusion-total-mismatch",
            {"quoted": "90", "declared": "None", "computed": "95"},
            "自评结论写的是 90 分",  # no 总分 row: the sentence without it
            "按规则计算为 95 分",
        ),
        (
            "unknown-level",
            {"level": "产出指表", "suggestion": "产出指标"},
            "“产出指表”不是本表的一级指标",
            "是否应为“产出指标”?",
        ),
        (
            "unknown-level",
            {"level": "产出", "levels": "产出指标、效益指标"},
            "“产出”不是本表的一级指标",
            "应为以下之一:产出指标、效益指标",
        ),
    ],
)
def test_a_finding_is_said_in_chinese_with_its_figures(
    code: str, data: dict[str, str], message: str, hint: str
) -> None:
    finding = Finding(Severity.error, code, (), "English", "hint", tuple(data.items()))
    assert worded(finding) == ("错误", message, hint)
    assert worded(finding, "en") == ("error", "English", "hint")


def test_words_given_by_the_maker_come_first() -> None:
    finding = Finding(
        Severity.warning, "total-mismatch", (), "m", "h", message_zh="自己的话", hint_zh="提示"
    )
    assert chinese(finding) == ("自己的话", "提示")
    assert worded(finding)[0] == "警告"


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


def test_a_figure_left_blank_on_the_form_is_never_the_word_none() -> None:
    # A form without a 总分 row: the conclusion's total is compared with the computed one.
    finding = Finding(
        Severity.warning,
        "conclusion-total-mismatch",
        ("declared", "conclusion"),
        "",
        data=(("quoted", "95"), ("declared", "None"), ("computed", "92.5")),
    )
    assert explain(finding)[1] == "自评结论写的是 95 分,表上没有总分栏;按规则计算为 92.5 分。"
    blank = Finding(Severity.warning, "total-mismatch", (), "", data=(("declared", "None"),))
    assert "None" not in explain(blank)[1]
