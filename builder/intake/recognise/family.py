"""Which layout family a form is (`template`), told by its headers: the Hubei 2020 表 has no
分值 column, its target is the 年初目标值 and its execution is worth points of its own; the
Anhui 衔接资金 layout prints 分值 before the 指标值 and marks core rows with ★; the 四川 form
says 调整后预算数, 预算执行数 and 权重; a form whose 一级指标 are 银川's rubric (项目决策,
项目管理, 项目产出, 项目效益) is 银川's. Anything else is the central template (its local
variants included, the split 指标性质 columns too). A family the user states (`jixiao import
--template`) is taken as stated.
"""

from __future__ import annotations

from .sections import Parts
from .sheet import FormSheet
from .words import key

# Words only the 四川 form prints over its columns: 调整后预算数, 预算执行数, 权重 (its 分值).
SICHUAN = frozenset({"调整后预算数", "预算执行数", "预算执行率", "权重", "年度预算数"})
# The 一级指标 of 银川's rubric (项目决策 / 项目管理 / 项目产出 / 项目效益), which no other
# family's form prints.
YINCHUAN = frozenset({"项目决策", "项目管理", "项目产出", "项目效益"})


def detect(sheet: FormSheet, parts: Parts, kinds: tuple[str, ...]) -> None:
    """Set `template` when the headers name a family other than central."""
    if sheet.has("template"):
        return
    words = {key(cell.text) for name in ("funding", "indicators") for cell in parts.cells(name)}
    hubei = any(word.startswith("年初目标值") for word in words) and "weight" not in kinds
    weight_first = "weight" in kinds and kinds.index("weight") < kinds.index("target")
    level1 = {row.get("level1") for row in sheet.data.get("indicators", [])}
    if hubei:
        sheet.put(("template",), "hubei-2020", None)
    elif weight_first:
        sheet.put(("template",), "anhui-xianjie", None)
    elif level1 and level1 <= YINCHUAN:
        sheet.put(("template",), "yinchuan", None)
    elif {key(cell.text) for cell in parts.cells("funding")} & SICHUAN:
        sheet.put(("template",), "sichuan", None)
    elif kinds and "weight" not in kinds:
        sheet.note(
            "template-guess",
            sheet.origin,
            "指标表没有分值列,表样无法确定,按 central 导入,请核对",
            "the indicator table has no 分值 column: the layout family is not certain (central)",
        )
