"""What a form's texts say beside its figures: a 实际完成情况 that only repeats the 预期目标.

A 年度总体目标 block has two cells, 预期目标 (what the year was to achieve) and 实际完成情况
(what it did achieve). A form that copies the first into the second, word for word, reports
nothing about the year: no figure disagrees, yet the reader learns nothing of what was done.
The rules say so, as a warning on 实际完成情况; the score is not touched.

Pure; raises nothing.
"""

from __future__ import annotations

import re

from ..form.model import Project
from .findings import Finding, Severity, figures

# Spaces, line breaks and full-width spaces: how a YAML block (`>-` or `|`) or a paste lays
# the text out, not what it says.
_LAYOUT = re.compile(r"\s+")


def same_words(first: str, second: str) -> bool:
    """True when two texts are the same word for word: equal once their spaces and line
    breaks are taken out ("根据……补助。" and "根据……\\n补助。" are; a text and the same text
    with one character changed are not). Two empty texts are not: there are no words."""
    one, other = _LAYOUT.sub("", first), _LAYOUT.sub("", second)
    return bool(one) and one == other


def goals_findings(project: Project) -> list[Finding]:
    """`goals-repeated` (a warning, on `goals.achieved`) when 实际完成情况 repeats 预期目标
    word for word (`same_words`); [] otherwise, and when either is absent."""
    planned, achieved = project.goals.planned or "", project.goals.achieved or ""
    if not same_words(planned, achieved):
        return []
    return [
        Finding(
            Severity.warning,
            "goals-repeated",
            ("goals", "achieved"),
            "实际完成情况 repeats 预期目标 word for word: it does not say what the year achieved",
            "write what was done and achieved this year, with its figures",
            figures(length=len(_LAYOUT.sub("", achieved))),
        )
    ]
