"""The columns of the printed form, their words and widths, and what each template family's
blank form has: declared once here, as data.

The order and words are those of jixiao's PDF (`templates/pdf/_form.html`): one layout for
every family today. A family that prints its columns in another order or words gets its own
entry in `FAMILIES` (its `indicator_columns`), and both the workbook of a form and the blank
template follow it.

The sheet's columns are the indicator table's. The head of the form (项目名称 … 年度总体目标)
has eight columns of its own in the PDF; each is laid over one or more indicator columns
(`HEAD_SPANS`), merged, as the official Excel template lays them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

# The indicator table's columns: key -> (heading as printed, width in digits).
INDICATOR_WORDS = MappingProxyType(
    {
        "section": ("绩效指标", 9.0),
        "level1": ("一级指标", 9.0),
        "level2": ("二级指标", 10.0),
        "name": ("三级指标", 17.0),
        "nature": ("指标性质", 7.0),
        "target": ("年度指标值(A)", 14.0),
        "unit": ("度量单位", 7.0),
        "actual": ("实际完成值(B)", 14.0),
        "weight": ("分值", 7.0),
        "score": ("得分", 7.0),
        "reason": ("未完成原因分析", 15.0),
    }
)
# Columns a form has only where it prints them (`printed.TableColumns`).
OPTIONAL = ("nature", "unit")

# The funding block's eight columns, in order: key -> heading as printed ("" for the merged
# 项目资金 cell, whose text says the amount unit).
FUNDING_WORDS = MappingProxyType(
    {
        "section": "",
        "source": "资金来源",
        "initial": "年初预算数",
        "budget": "全年预算数(A)",
        "executed": "全年执行数(B)",
        "weight": "分值",
        "rate": "执行率",
        "score": "得分",
    }
)
# Each head column laid over indicator columns (those the form has, in order).
HEAD_SPANS = MappingProxyType(
    {
        "section": ("section",),
        "source": ("level1", "level2"),
        "initial": ("name", "nature"),
        "budget": ("target", "unit"),
        "executed": ("actual",),
        "weight": ("weight",),
        "rate": ("score",),
        "score": ("reason",),
    }
)

# Labels of the form, as the PDF prints them.
TITLE = "项目支出绩效目标自评表"
UNIT_LABEL = "单位(盖章):"
DATE_LABEL = "填报日期:"
CONTACT_LABEL = "联系人:"


@dataclass(frozen=True)
class FamilyLayout:
    """What a family's blank form has: the indicator columns in order (the optional ones it
    prints included), the funding rows it prints (the total first), the people it asks for,
    and whether it prints 分值 at all (湖北 2020 prints 得分 only)."""

    indicator_columns: tuple[str, ...]
    funding_rows: tuple[str, ...]
    people: tuple[str, ...] = ()
    prints_weights: bool = True
    codes: tuple[str, ...] = ()  # 项目编码 … printed before the name
    texts: tuple[str, ...] = ()  # 存在问题 … printed after 自评结论


_PLAIN = ("section", "level1", "level2", "name", "target", "actual", "weight", "score", "reason")
_SPLIT = (
    "section",
    "level1",
    "level2",
    "name",
    "nature",
    "target",
    "unit",
    "actual",
    "weight",
    "score",
    "reason",
)

FAMILIES = MappingProxyType(
    {
        "central": FamilyLayout(
            _PLAIN, ("年度资金总额:", "财政拨款:", "其中:本级安排:", "上级补助:", "其他:")
        ),
        "anhui-xianjie": FamilyLayout(
            _PLAIN,
            ("年度资金总额", "其中:中央衔接资金", "省级衔接资金", "市县衔接资金"),
            ("项目负责人",),
            texts=("存在问题", "改进措施"),
        ),
        "sichuan": FamilyLayout(
            _SPLIT,
            ("总额", "其中:财政拨款", "财政专户管理资金", "单位资金", "其他资金"),
            ("项目负责人", "财务负责人"),
            codes=("项目编码",),
            texts=("存在问题", "改进措施"),
        ),
        "hubei-2020": FamilyLayout(
            _PLAIN, ("年度财政资金总额",), prints_weights=False, texts=("存在问题", "改进措施")
        ),
        "yinchuan": FamilyLayout(_PLAIN, ("年度资金总额", "其中:财政拨款", "其他资金")),
    }
)


# The 二级指标 a blank form lists under each 一级指标 of the policy (财预〔2020〕10号's
# template; 银川's rubric); a 一级指标 not listed gets one blank 二级 cell.
LEVEL2 = MappingProxyType(
    {
        "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
        "项目决策": ("项目立项", "绩效目标"),
        "项目管理": ("资金管理", "组织实施"),
        "项目产出": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "项目效益": ("社会效益", "生态效益", "可持续影响", "满意度"),
    }
)
# Rows a blank form leaves under each 二级指标, named as the template names them.
BLANK_ROWS = ("指标1:", "指标2:")


def indicator_columns(family: str, nature: bool, unit: bool) -> tuple[str, ...]:
    """The indicator columns of a form of `family` in order, with 指标性质 and 度量单位 only
    where the form prints them (`nature`, `unit`)."""
    order = FAMILIES.get(family, FAMILIES["central"]).indicator_columns
    wanted = {"nature": nature, "unit": unit}
    base = [key for key in order if key not in OPTIONAL]
    # An optional column the family's order does not place goes where the PDF puts it.
    full = order if all(key in order for key in OPTIONAL) else _SPLIT
    keep = set(base) | {key for key in OPTIONAL if wanted[key]}
    return tuple(key for key in full if key in keep)


def widths(columns: tuple[str, ...]) -> tuple[float, ...]:
    """Each column's width in digits."""
    return tuple(INDICATOR_WORDS[key][1] for key in columns)


def head_span(columns: tuple[str, ...], head: str) -> tuple[int, int]:
    """(first sheet column, how many) that the head column `head` covers."""
    places = [columns.index(key) for key in HEAD_SPANS[head] if key in columns]
    return places[0], len(places)


def head_range(columns: tuple[str, ...], first: str, last: str) -> tuple[int, int]:
    """(first sheet column, how many) from head column `first` to `last`, inclusive."""
    start = head_span(columns, first)[0]
    end_first, end_count = head_span(columns, last)
    return start, end_first + end_count - start
