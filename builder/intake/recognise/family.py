"""Which layout family a form is (`template`), told by its headers: the Hubei 2020 表 has no
分值 column, its target is the 年初目标值 and its execution is worth points of its own; the
Anhui 衔接资金 layout prints 分值 before the 指标值 and marks core rows with ★. Anything else
is the central template (its local variants included, the split 指标性质 columns too).
"""

from __future__ import annotations

from .sections import Parts
from .sheet import FormSheet
from .words import key


def detect(sheet: FormSheet, parts: Parts, kinds: tuple[str, ...]) -> None:
    """Set `template` when the headers name a family other than central."""
    if sheet.has("template"):
        return
    words = {key(cell.text) for name in ("funding", "indicators") for cell in parts.cells(name)}
    hubei = any(word.startswith("年初目标值") for word in words) and "weight" not in kinds
    weight_first = "weight" in kinds and kinds.index("weight") < kinds.index("target")
    if hubei:
        sheet.put(("template",), "hubei-2020", None)
    elif weight_first:
        sheet.put(("template",), "anhui-xianjie", None)
    elif kinds and "weight" not in kinds:
        sheet.note(
            "template-guess",
            sheet.origin,
            "指标表没有分值列,表样无法确定,按 central 导入,请核对",
            "the indicator table has no 分值 column: the layout family is not certain (central)",
        )
