"""The words each family's form prints, as the importer reads them back: the words common to
every family, each family's own (`family_words`) and the words a `labels:` key stands for
(`labelled_words`). Made from the one table of layouts (`builder.layouts`) the page, the PDF
and the workbook print from, so that what is printed and what is read never drift apart.
"""

from __future__ import annotations

from .layouts import FUNDING_LABEL_KEYS, INDICATOR_LABEL_KEYS, LAYOUTS

# The words every family's form prints over its parts, whatever its columns: the heading's
# fields, the indicator table's lead columns and the 二级指标 the templates issue, 总分, 备注.
# With each family's own words (`family_words`) they are the one table of a form's words: the
# PDF and the workbook print them, and the importer reads a form back by them (a text that lost
# its cell separators is cut before each of them: `intake.recognise.glue`).
COMMON_WORDS = (
    "项目名称",
    "主管部门",
    "项目实施单位",
    "单位名称",
    "填报日期",
    "项目类别",
    "项目属性",
    "项目类型",
    "年度财政资金总额",
    "年度资金总额",
    "二级指标",
    "三级指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "服务对象满意度",
    "总分",
    "备注",
)
# Of those words, the ones that begin a row of their own: a part of the form, its first
# funding row, a 二级指标, 总分, the texts after the table.
ROW_STARTS = (
    "项目名称",
    "预算执行情况",
    "年度财政资金总额",
    "年度资金总额",
    "二级指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "服务对象满意度",
    "总分",
    "偏差大或目标未完成原因分析",
    "改进措施及结果应用方案",
    "备注",
)
# Words real forms print where their family prints its own (a `labels:` value seen): the 湖北
# 2020 form's 得分 column, /work/shared/forms/hubei-….
SEEN_WORDS = ("得分(20分*执行率)",)


def family_words(family: str) -> tuple[str, ...]:
    """Every word `family`'s form prints over its parts beyond `COMMON_WORDS`: the funding
    block's title and row-name header, each column's words (a group's and the grouped words
    too), the words before the unit in its heading and over its blocks of text; in the order
    the layout declares them, each once. Raises KeyError for an unknown family."""
    layout = LAYOUTS[family]
    words = [layout.funding_title, layout.source_label]
    for column in (*layout.funding, *layout.indicators):
        words += [column.label, column.group, column.grouped]
    words += [layout.unit_label, *(label for _, label in layout.blocks)]
    return tuple(dict.fromkeys(word for word in words if word))


def labelled_words(family: str, grouped: bool) -> dict[str, str]:
    """`labels:` key -> the words `family`'s form prints there when its file gives none: the
    heading's `unit`, each funding column by its key in `FUNDING_LABEL_KEYS` (its 分值 and 得分
    `funding_weight`/`funding_score`), each indicator column by `INDICATOR_LABEL_KEYS` (a column under a group heading, when `grouped`: the
    group's optional columns are printed, in its grouped words) and the blocks of text. What
    the importer compares a form's printed words with: a word that differs is the form's own
    (`labels:`), as `_worded` prints it back. Raises KeyError for an unknown family."""
    layout = LAYOUTS[family]
    words = {
        "unit": layout.unit_label,
        "department": layout.department_label,
        "implementing_unit": layout.implementing_label,
    }
    for column in layout.funding:
        if column.key in FUNDING_LABEL_KEYS:
            words[FUNDING_LABEL_KEYS[column.key]] = column.label
    for column in layout.indicators:
        if column.key in INDICATOR_LABEL_KEYS:
            label = column.grouped if grouped and column.grouped else column.label
            words[INDICATOR_LABEL_KEYS[column.key]] = label
    words.update(layout.blocks)
    return words
