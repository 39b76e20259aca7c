"""Findings said to staff in Chinese: what `jixiao check`, `jixiao build`, the preview and GitHub
annotations print by default (`--lang zh`); `--lang en` prints each finding's English.

A finding's Chinese is, in order: what its maker worded itself (`Finding.message_zh`,
`hint_zh`: a schema error naming the field's title, a slip in the YAML); else the code's
sentence in the zh catalogue (`finding.<code>`, then its alternatives `finding.<code>.2`, …:
`findings.templates`), and its hint (`hint.<code>`, …). Templates are filled from
`Finding.data` and, for a finding on an indicator row of a form at hand, the row
(`row_figures`). A figure that is missing or written `None` leaves a template out: the next one
is used. The English is the finding's own `message` and `hint`, which the maker fills from the
same keys of the en catalogue (`findings.catalogued`) unless its code is in `ENGLISH_BY_MAKER`.
The site's sentences for citizens stay in `explain.py` (Chinese only: pages, the PDF annex, open
data). A new code needs an entry in `explain.py` and its keys in both catalogues
(tests/test_explain.py, tests/test_i18n.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..i18n import say
from .explain import explain
from .findings import Finding, fill, templates

if TYPE_CHECKING:
    from ..form.model import Project

LANGUAGES = ("zh", "en")
"""The languages findings are printed in: Chinese (the default, for staff) or English."""

# The codes whose English sentence its maker writes itself, from more than the figures it records
# (a cell quoted as typed, the rule's threshold or setting, a sentence that depends on the form):
# that English is the `check --json` contract, kept as it was. Their Chinese, and every other
# code's sentence in both languages, come from the catalogues (`findings.catalogued`).
# tests/test_i18n.py holds every maker to this list.
ENGLISH_BY_MAKER = frozenset(
    {
        "actual-missing", "actual-no-band", "conclusion-total-mismatch", "cost-vs-executed",
        "deadline-missed", "deadline-unchecked", "duplicate-id", "executed-over-budget",
        "execution-unchecked", "file", "file-name", "form-too-long", "fraction-or-percent",
        "funding-rows-disagree", "funding-total-row", "funding-two-spellings", "goals-repeated",
        "invisible-character", "no-weight", "number-unquoted", "over-achievement-deducted",
        "over-achievement-unexplained",
        "partial-form", "partial-form-total-whole", "placeholder-row", "policy-duplicate-name",
        "policy-never-applies", "reverse-breached", "reverse-target-below-zero", "schema-",
        "score-above-rule", "score-below-band", "target-missing", "total-above-full",
        "total-unchecked", "units-differ", "unknown-level", "value-not-quantitative",
        "value-unreadable", "word-read-as-not-applicable", "word-read-as-zero", "yaml",
        "config-missing",
    }
)  # fmt: skip

_COMPLETE = re.compile(r"[。.]$")


def _short_title(title: str) -> str:
    """A field's title as a sentence names it: `年度指标值(A)` -> `年度指标值`."""
    return re.sub(r"\([A-Z]\)$", "", title)


def row_figures(finding: Finding, project: Project | None) -> dict[str, str]:
    """The cells of the indicator row a finding is on, for the templates: `row` (the 三级指标),
    `row_target`, `row_actual`, and where it points at one cell, `cell` (its text) and
    `cell_title` (the field's title in the model, e.g. 年度指标值). {} off a row or without
    the form."""
    path = finding.path
    if project is None or len(path) < 2 or path[0] != "indicators":
        return {}
    index = path[1]
    if not isinstance(index, int) or not 0 <= index < len(project.indicators):
        return {}
    row = project.indicators[index]
    found = {"row": row.name, "row_target": row.target, "row_actual": row.actual}
    key = str(path[2]) if len(path) > 2 else None
    for name, info in type(row).model_fields.items():
        if key is not None and (info.alias or name) == key:
            value = getattr(row, name)
            found["cell"] = "" if value is None else str(value)
            found["cell_title"] = _short_title(info.title or key)
    return found


def chinese(finding: Finding, project: Project | None = None) -> tuple[str, str]:
    """(sentence, hint) of a finding in Chinese, as the module says; `project` is the form it
    is about, when at hand (its row's cells fill the templates). Raises nothing; the hint may
    be ""."""
    figures = {**row_figures(finding, project), **dict(finding.data)}
    message = finding.message_zh or fill(templates("finding", finding.code, "zh"), figures)
    # A code the catalogue lacks: the site's general sentence (explain's `FALLBACK` at worst).
    message = message or explain(finding)[0]
    hint = finding.hint_zh or fill(templates("hint", finding.code, "zh"), figures)
    return message, hint


def worded(
    finding: Finding, lang: str = "zh", project: Project | None = None
) -> tuple[str, str, str]:
    """(severity label, sentence, hint) of a finding in `lang` ("zh" or "en"): the label is
    the catalogue's `severity.<severity>` (`错误`, `警告`, `说明`; `error`, `warning`, `note`:
    a warning is not called 不一致, which the site keeps for figures that disagree), then
    `chinese`, or the English message and hint. The sentence's last full stop is left out:
    the hint follows it in brackets."""
    label = say(f"severity.{finding.severity}", lang)
    if lang == "en":
        return label, finding.message, finding.hint
    message, hint = chinese(finding, project)
    return label, _COMPLETE.sub("", message), hint


__all__ = ["ENGLISH_BY_MAKER", "LANGUAGES", "chinese", "row_figures", "worded"]
