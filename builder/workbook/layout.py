"""The sheet a form is laid out on: its columns, words and widths, and what each template
family's blank form has.

The columns, their order and their words are those of the form's family as
`builder.layouts` declares them, the one table the PDF (`templates/pdf/_form.html`) and the
project page read too: the workbook of a form prints the same rows, labels and columns as the
form's PDF. What only a sheet needs is kept here: each column's width, how the head of the form
(项目名称 … 年度总体目标, eight columns in the PDF) lies over the indicator columns, and a blank
form's rows (its funding rows, the people it asks for, the 二级指标 it lists).

The sheet's columns are the indicator table's (绩效指标, 一级/二级/三级指标, then the family's).
The head's columns (the section, 资金来源, then each funding column) are laid over them in
order, merged, as the official Excel template lays them: 资金来源 over 一级 and 二级指标 (over
一级 alone when the funding columns need the room), the funding columns over the rest, the
first ones taking two sheet columns each when there are more sheet columns than funding ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from ..form.model import Project
from ..layouts import (
    ALWAYS,
    LAYOUTS,
    Column,
    Heading,
    Layout,
    columns_before_figures,
    funding_columns,
    header_rows,
    indicator_columns,
    layout_of,
    unit_label,
)

# Each sheet column's width, in digits, by the key of the column (`layouts.Column.key`).
WIDTHS = MappingProxyType(
    {
        "section": 9.0,
        "level1": 9.0,
        "level2": 10.0,
        "name": 17.0,
        "nature": 7.0,
        "target": 14.0,
        "measure_unit": 7.0,
        "actual": 14.0,
        "weight": 7.0,
        "score": 7.0,
        "reason": 15.0,
    }
)
# The four columns every indicator table begins with, and their words.
LEAD = (
    ("section", "绩效指标"),
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
)
AMOUNTS = ("initial", "budget", "executed")
FIGURES = ("weight", "rate", "score")

# Labels of the form, as the PDF prints them.
TITLE = "项目支出绩效目标自评表"
DATE_LABEL = "填报日期:"
CONTACT_LABEL = "联系人:"


@dataclass(frozen=True)
class Sheet:
    """The columns of one form's sheet: its family's `layout`, the indicator columns after
    三级指标 (`indicators`) and the funding columns after the row names (`funding`), each in
    the family's order and words. Its columns, widths and head spans are worked out once, the
    first time they are asked for (a form's grid asks for them about fifty times)."""

    layout: Layout
    indicators: tuple[Column, ...]
    funding: tuple[Column, ...]
    unit_words: str = ""  # before the unit in the heading, where the form's own (labels.unit)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The sheet's column keys, left to right."""
        return (*(key for key, _ in LEAD), *(c.key for c in self.indicators))

    @cached_property
    def widths(self) -> tuple[float, ...]:
        """Each sheet column's width in digits."""
        return tuple(WIDTHS[key] for key in self.columns)

    @property
    def unit_label(self) -> str:
        """The words before the filling unit above the table, with their colon: the form's
        own where its file gives them (`layouts.unit_label`), else its family's."""
        return (self.unit_words or self.layout.unit_label) + ":"

    def head(self) -> tuple[tuple[int, int], ...]:
        """(first sheet column, how many) of each head column: the section, 资金来源, then
        each funding column (see the module's docstring)."""
        return self._head

    @cached_property
    def _head(self) -> tuple[tuple[int, int], ...]:
        width, count = len(self.columns), len(self.funding)
        source = 2 if width - 3 >= count else 1
        start = 1 + source
        spans = [1] * count
        for index in range(width - start - count):
            spans[index % count] += 1
        out = [(0, 1), (1, source)]
        for span in spans:
            out.append((start, span))
            start += span
        return tuple(out)

    def span(self, index: int) -> tuple[int, int]:
        """(first sheet column, how many) of head column `index` (0 the section, 1 资金来源,
        2… the funding columns; negative from the end)."""
        return self._head[index]

    def range(self, first: int, last: int) -> tuple[int, int]:
        """(first sheet column, how many) of head columns `first` to `last`, inclusive."""
        start = self.span(first)[0]
        end, count = self.span(last)
        return start, end + count - start

    def funding_at(self, key: str) -> tuple[int, int] | None:
        """The sheet columns of the funding column `key`, None when the form has none."""
        keys = [c.key for c in self.funding]
        return self.span(2 + keys.index(key)) if key in keys else None

    def heading(self) -> tuple[list[Heading], list[Heading]]:
        """The indicator header's rows after 三级指标 (`layouts.header_rows`)."""
        return header_rows(self.indicators)

    @property
    def total_span(self) -> int:
        """Sheet columns the 总分 label spans: up to the first with a figure in that row."""
        return 4 + columns_before_figures(self.indicators)


def form_sheet(project: Project) -> Sheet:
    """The sheet of `project`'s form: the columns its PDF prints."""
    return Sheet(
        layout_of(project),
        indicator_columns(project),
        funding_columns(project),
        unit_label(project),
    )


def _always(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The columns a family always prints, in their own words (no group heading: the group's
    optional columns are not there)."""
    return tuple(Column(c.key, c.label, c.shown) for c in columns if c.shown == ALWAYS)


def blank_sheet(family: str) -> Sheet:
    """The sheet of `family`'s blank form: the columns the family always prints."""
    layout = LAYOUTS[family]
    return Sheet(layout, _always(layout.indicators), _always(layout.funding))


@dataclass(frozen=True)
class FamilyBlank:
    """What a family's blank form has beyond its columns: the funding rows it prints (the
    total first), the people it asks for, the codes printed before the name and the texts
    after 自评结论."""

    funding_rows: tuple[str, ...]
    people: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


BLANKS = MappingProxyType(
    {
        "central": FamilyBlank(
            ("年度资金总额:", "财政拨款:", "其中:本级安排:", "上级补助:", "其他:")
        ),
        "anhui-xianjie": FamilyBlank(
            ("年度资金总额", "其中:中央衔接资金", "省级衔接资金", "市县衔接资金"),
            ("项目负责人",),
            texts=("存在问题", "改进措施"),
        ),
        "sichuan": FamilyBlank(
            ("总额", "其中:财政拨款", "财政专户管理资金", "单位资金", "其他资金"),
            ("项目负责人", "财务负责人"),
            codes=("项目编码",),
            texts=("存在问题", "改进措施"),
        ),
        "hubei-2020": FamilyBlank(("年度财政资金总额",), texts=("存在问题", "改进措施")),
        "yinchuan": FamilyBlank(("年度资金总额", "其中:财政拨款", "其他资金")),
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
