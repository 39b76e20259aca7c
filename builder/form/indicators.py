"""The 绩效指标 table's rows as the form prints them: a row (`Indicator`) and its 「其中…」 rows
(`SubIndicator`), with their 指标性质 as printed and the placeholder rows a template leaves in.

Read through `builder.form.model`, which names them with the rest of the form (its glossary
says what each term is).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, StringConstraints, WithJsonSchema

from . import lengths
from .strict import Points, ShortText, Strict, Text
from .values import OPERATOR_WORDS

__all__ = ["NATURE_PATTERN", "Indicator", "Nature", "SubIndicator"]

# 指标性质 as printed: 定量 / 定性, or the operator of a split 指标性质 column (≥ ≤ = > < ≧ ≦ ═
# and their full-width and ASCII spellings), or that operator in words, as a 年度指标值 may
# write it before its number (不低于, 不超过, 达到: `values.OPERATOR_WORDS`).
NATURE_PATTERN = (
    r"^(定量|定性|[≥≤=><≧≦═⩾⩽＝＞＜]|>=|<=|==|＞＝|＜＝|" + "|".join(OPERATOR_WORDS) + ")$"
)
Nature = Annotated[str, StringConstraints(strip_whitespace=True, pattern=NATURE_PATTERN)]

# A 年度指标值 / 实际完成值 cell: the text as printed. A plain number or a yes/no word written
# there (`actual: 1`, `target: 0.950`, `actual: yes`) is the cell as typed as well: the loader
# takes it back as the characters typed (`typed.cells_as_text`, `load`), so the schema editors
# check files with takes them too. Both refuse a null, a date and a list (quote them).
Cell = Annotated[
    ShortText,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": lengths.MAX_SHORT_TEXT},
                {"type": "number"},
                {"type": "boolean"},
            ]
        }
    ),
]

# A row of a template left as issued: 「指标1:」, 「指标2:」, 「……」 with nothing else in it.
_PLACEHOLDER = re.compile(r"^(指标\s*\d+\s*[:：]?|[.…。·]{2,}|…+)$")


class SubIndicator(Strict):
    """A 「其中…」 row under an indicator: values as printed, no 分值 of its own."""

    name: ShortText = Field(min_length=1, title="三级指标", description="e.g. 其中:脱贫人口.")
    target: Cell = Field("", title="年度指标值(A)", description="Target as written.")
    actual: Cell = Field("", title="实际完成值(B)", description="Actual as written.")
    nature: Nature | None = Field(None, title="指标性质", description="定量/定性 or an operator.")
    measure_unit: ShortText | None = Field(
        None, alias="unit", title="度量单位", description="Unit."
    )
    reason: Text = Field("", title="未完成原因分析", description="Explanation, if any.")
    dump_if_given = frozenset({"target", "actual", "nature", "measure_unit", "reason"})


class Indicator(Strict):
    """One row of the 绩效指标 table."""

    level1: ShortText = Field(min_length=1, title="一级指标", description="e.g. 产出指标.")
    level2: ShortText = Field(min_length=1, title="二级指标", description="e.g. 数量指标.")
    name: ShortText = Field(min_length=1, title="三级指标", description="The indicator itself.")
    target: Cell = Field(
        "",
        title="年度指标值(A)",
        description="Target as written, e.g. ≥95% (a plain number: its digits as typed); "
        "absent if blank.",
    )
    actual: Cell = Field(
        "",
        title="实际完成值(B)",
        description="Actual as written, e.g. 达成年度指标 (a plain number: its digits as typed); "
        "absent if blank.",
    )
    weight: Points | None = Field(
        None, title="分值", description="Points this indicator is worth; absent where not printed."
    )
    score: Points | None = Field(None, title="得分", description="Score declared on the form.")
    reason: Text = Field(
        "", title="未完成原因分析", description="Explanation given on the form, if any."
    )
    nature: Nature | None = Field(
        None,
        title="指标性质",
        description="定量 or 定性, or the operator (≥ ≤ = ≧ ═ …, or 不低于 不超过 …) of a split "
        "指标性质 column.",
    )
    measure_unit: ShortText | None = Field(
        None,
        alias="unit",
        title="度量单位",
        description="Unit column, where the form has it.",
    )
    core: bool = Field(False, title="核心指标", description="true for a ★ core indicator.")
    subrows: list[SubIndicator] = Field(
        default_factory=list,
        max_length=lengths.MAX_SUBROWS,
        title="其中",
        description="「其中…」 rows under this one, no 分值.",
    )
    dump_if_given = frozenset({"target", "actual", "weight", "core", "subrows"})

    @property
    def is_placeholder(self) -> bool:
        """True for a row of the template left as issued: a name such as 「指标1:」 or 「……」
        and nothing else. It is not scored and not shown (a note says so)."""
        return (
            bool(_PLACEHOLDER.match(self.name))
            and not (self.target or self.actual or self.reason or self.subrows)
            and self.weight is None
            and self.score is None
        )
