"""The words a form prints over its columns and blocks, where they are not its family's.

Forms of one layout family print the same table in slightly different words: the central
template's reason column is 未完成原因分析 on one form and 偏差原因分析及改进措施 on another,
its heading names the unit after 单位(盖章) or after 部门. The family's words are the defaults
(`builder.layouts`); `labels:` in a project file says the words its form prints where they
differ, and only those. Nothing here changes what is read or scored: the words are shown on
the page and in the PDF.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .strict import ShortText, Strict


def _words(title: str, example: str) -> Any:
    """A label field: absent (the family's words) or the words as printed, not empty."""
    return Field(None, min_length=1, title=title, description=f"As printed, e.g. {example}.")


class PrintedLabels(Strict):
    """The words the form prints where its family's differ (`builder.layouts`); a key left out
    keeps the family's. The heading: `unit`; the header's cells: `department` (主管部门),
    `implementing_unit` (实施单位); the funding table: `source` (over the rows' names),
    `initial`, `budget`, `executed`, `rate`, `funding_weight` (its 分值), `funding_score` (its
    得分); the indicator columns: `nature`, `target`, `measure_unit` (度量单位), `actual`,
    `weight`, `score`, `reason`; the blocks of text: `conclusion`, `problems`, `improvements`,
    `other_notes`."""

    unit: ShortText | None = _words("表头单位前的文字", "部门 (云南 永德; the family: 单位(盖章))")
    department: ShortText | None = _words("主管部门栏", "主管部门 (the family: 主管部门及代码)")
    implementing_unit: ShortText | None = _words("实施单位栏", "项目实施单位 (湖北 2020)")
    initial: ShortText | None = _words("年初预算数列", "年初预算")
    budget: ShortText | None = _words("全年预算数列", "全年预算数 (no (A))")
    executed: ShortText | None = _words("全年执行数列", "全年执行数 (no (B))")
    rate: ShortText | None = _words("执行率列", "执行率(B/A)")
    source: ShortText | None = _words("资金行名称列", "资金来源 (the family: 年度预算数)")
    funding_weight: ShortText | None = _words("资金表分值列", "分值(10分)")
    funding_score: ShortText | None = _words("资金表得分列", "得分(20分*执行率) (湖北 2020)")
    nature: ShortText | None = _words("指标性质列", "指标性质 (定量/定性)")
    target: ShortText | None = _words("年度指标值列", "年度指标值 (no (A))")
    measure_unit: ShortText | None = _words("度量单位列", "计量单位")
    actual: ShortText | None = _words("实际完成值列", "实际完成值 (no (B))")
    weight: ShortText | None = _words("指标分值列", "权重")
    score: ShortText | None = _words("指标得分列", "自评得分")
    reason: ShortText | None = _words("原因分析列", "偏差原因分析及改进措施")
    conclusion: ShortText | None = _words("自评结论栏", "评价结论")
    problems: ShortText | None = _words("存在问题栏", "偏差大或目标未完成原因分析")
    improvements: ShortText | None = _words("改进措施栏", "改进措施及结果应用方案")
    other_notes: ShortText | None = _words("其他说明栏", "其他需要说明的问题")
    dump_if_given = frozenset(
        {
            "unit",
            "department",
            "implementing_unit",
            "initial",
            "budget",
            "executed",
            "rate",
            "source",
            "funding_weight",
            "funding_score",
            "nature",
            "target",
            "measure_unit",
            "actual",
            "weight",
            "score",
            "reason",
            "conclusion",
            "problems",
            "improvements",
            "other_notes",
        }
    )

    def given(self) -> dict[str, str]:
        """The words the file gives, by key (a key it leaves out is not in it)."""
        return {key: value for key, value in self if value is not None}
