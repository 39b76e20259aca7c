"""The words of the form: labels matched whatever the spacing, full-width spelling or colon,
numbers as printed, and the 一级/二级指标 names the templates issue.

Matching never changes a value: `key(text)` is only for comparing a cell with a label.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation


def _family_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The titles of the funding blocks and the headers over their row names that the layout
    families print (`builder.layouts`, the table the PDF and the workbook print from)."""
    from ...layouts import LAYOUTS

    titles = {layout.funding_title for layout in LAYOUTS.values()} | {"项目资金", "预算执行情况"}
    sources = {layout.source_label for layout in LAYOUTS.values() if layout.source_label}
    return tuple(sorted(titles)), tuple(sorted(sources | {"资金来源"}))


# Each family's funding title (项目资金, 资金情况, 预算执行情况) and the header over the row
# names (资金来源, 年度预算数).
FUNDING_TITLES, SOURCE_LABELS = _family_words()
# The words a printed cut form's note begins with (「本表原件不完整(缺:备注):…」).
PARTIAL_NOTE = "本表原件不完整"
# A dash printed in a cell that holds no figure.
DASHES = frozenset({"-", "—", "——", "－", "–", "/", "／", "--", "---"})
_NUMBER = re.compile(r"^[+]?(\d+(\.\d+)?|\.\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_CJK = r"[\u3400-\u9fff\uf900-\ufaff、,,:：()（）]"
_CJK_SPACE = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
# Operators of a split 指标性质 column (the model's pattern), and 定量/定性.
OPERATORS = frozenset(
    {
        "≥",
        "≤",
        "=",
        ">",
        "<",
        "≧",
        "≦",
        "═",
        "⩾",
        "⩽",
        "＝",
        "＞",
        "＜",
        ">=",
        "<=",
        "==",
        "＞＝",
        "＜＝",
    }
)
NATURES = frozenset({"定量", "定性"})
# 一级指标 of the templates and the 二级指标 each issues under it.
LEVEL1_CHILDREN: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("满意度指标", "服务对象满意度指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
# 二级指标 some templates print without the word 指标 (湖北 2020: 服务对象满意度).
OTHER_LEVEL2 = frozenset({"服务对象满意度"})
# What a 二级指标 is about, in words an indicator's name uses (for a label the text prints
# a row away from its rows; see indicators.py).
LEVEL2_STEMS: dict[str, tuple[str, ...]] = {
    "数量指标": ("数量", "人数", "个数", "次数", "户数", "套"),
    "质量指标": ("质量", "合格", "达标", "规范", "覆盖", "准确"),
    "时效指标": ("时效", "及时", "时限", "时间", "按时"),
    "成本指标": ("成本", "金额", "费用", "标准"),
}


def key(text: str) -> str:
    """`text` for comparison with a label: NFKC (full-width to ASCII), no spaces, no colon
    at the end, no leading dashes (「-----本级安排:」)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\s+", "", folded)
    return folded.strip(":").lstrip("-")


def joined(text: str) -> str:
    """A label or name as printed, without the spaces a line break left between two Chinese
    characters (「经济效益 指标」 -> 「经济效益指标」); other spaces kept."""
    return _CJK_SPACE.sub("", text.strip())


def is_dash(text: str) -> bool:
    """True for a dash printed in place of a figure."""
    return text.strip() in DASHES


def number(text: str) -> Decimal | None:
    """The number a cell prints (`10`, `2.01`, `100.00`, `950,500.00` without its commas),
    None when the cell is not a plain number."""
    text = text.strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def percent(text: str) -> tuple[Decimal | None, bool]:
    """A rate cell: (the number, True when printed with %). (None, False) if not a rate."""
    text = text.strip()
    if text.endswith(("%", "％")):
        return number(text[:-1]), True
    return number(text), False


def level_points(text: str) -> Decimal | None:
    """The points a 一级/二级 label prints with it, 「产出指标 (50分)」 -> 50; None if none."""
    found = _POINTS.search(text)
    return Decimal(found.group(1)) if found else None


def without_points(text: str) -> str:
    """A label without its printed points: 「产出指标 (50分)」 -> 「产出指标」."""
    return joined(_POINTS.sub("", text))


def is_level(text: str) -> bool:
    """True for a cell that can be a 一级/二级指标 label: it names an 指标 (or is only its
    points, 「(50分)」)."""
    bare = key(without_points(text))
    return (
        (bare.endswith(("指标", "指标等")) and len(bare) <= 16)
        or bare in OTHER_LEVEL2
        or (not bare and level_points(text) is not None)
    )


def is_level1_word(text: str) -> bool:
    """True for a 一级指标 the templates issue, or a label printed with its points."""
    return key(without_points(text)) in LEVEL1_CHILDREN or level_points(text) is not None


def is_operator(text: str) -> bool:
    """True for a split 指标性质 cell: an operator or 定量/定性."""
    return text.strip() in OPERATORS or text.strip() in NATURES
