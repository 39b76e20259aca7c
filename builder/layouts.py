"""The columns each layout family prints, in its order and in its words: one table, read by the
PDF's form (`templates/pdf/`) and the project page (`templates/project.html`) alike.

A family (`Project.template`) fixes the columns of its funding table (资金来源 and the figures
of each row) and of its indicator table (after 一级/二级/三级指标), the order they come in and
the header words printed over them. Where the words come from:

- `central`, the default: the bundled forms' own words (全年预算数(A), 年度指标值(A),
  未完成原因分析; they were what the seed's PDFs print, kept so that those PDFs do not change);
  with split columns (云南 永德, /work/shared/forms/yunnan-…): 年度指标值 over 指标性质 / 指标值 /
  度量单位.
- `anhui-xianjie`: the 衔接资金 项目绩效自评表 (中江县水利局 2022, published by chacewang.com):
  资金情况 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分; 分值 before 年度指标值, 全年实际值,
  未完成原因及拟采取的改进措施.
- `sichuan`: 部门预算项目支出绩效自评表 (青神县发展和改革局 2023, scqs.gov.cn; 大英县司法局 2023):
  预算执行情况(10分) 年度预算数 | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分;
  指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析, always printed.
- `hubei-2020`: 湖北 2020 项目自评表 (/work/shared/forms/hubei-…): 预算执行情况(万元)(20分)
  预算数(A) | 执行数(B) | 执行率(B/A) | 得分; 年初目标值(A) | 实际完成值(B) | 得分: no 分值 column
  and no reason column (its 偏差大或目标未完成原因分析 is a block of its own, `declared.problems`).
- `yinchuan`: no published form at hand: the central words.

The blocks of text are headed 自评结论 / 存在问题 / 改进措施 / 其他需要说明事项 (`printed.BLOCKS`); 四川's
conclusion is its 评价结论, 湖北 2020's blocks are 偏差大或目标未完成原因分析 and
改进措施及结果应用方案. Real forms of one family vary in such words (the central reason column is
偏差原因分析及改进措施 on the 云南 and 安徽 forms): a project file says the words its form prints
where they differ (`labels:`, `form.labels.PrintedLabels`), and they replace the family's there.

A column marked `PRINTED` is shown only when the form prints something in it (the 指标性质 and
度量单位 of the central template, a 年初预算数 a family does not print as a rule); the others are
the family's own and are always shown, empty where the form leaves them blank. Each label is
data, not template text, for the reason `printed` gives (the PDF's glyph order).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from .form.model import Project
from .printed import BLOCKS, table_lines

ALWAYS = "always"
PRINTED = "printed"  # shown only when some row of the form prints it


@dataclass(frozen=True)
class Column:
    """A column of a table as a family prints it: `key` the field its cells show (funding:
    initial, budget, executed, weight, rate, score; indicators: nature, target, measure_unit,
    actual, weight, score, reason), `label` the words over it, `shown` ALWAYS or PRINTED.
    `group`: words printed over this column and its neighbours of the same group, when the
    form has one of the group's PRINTED columns; the column is then headed `grouped`."""

    key: str
    label: str
    shown: str = ALWAYS
    group: str = ""
    grouped: str = ""


@dataclass(frozen=True)
class Heading:
    """A header cell of a table as laid out: its words, the columns it spans (`span`), the
    header rows it spans (`rows`: 2 beside a group's heading, else 1)."""

    label: str
    span: int = 1
    rows: int = 1


@dataclass(frozen=True)
class Layout:
    """What one family prints: the title of its funding block (`funding_title`; with the
    execution 分值 after it where `points_in_title`, 预算执行情况(20分)), the header over the row
    names (`source_label`), its funding and indicator columns in order, the words before
    the filling unit's name in the form's heading (`unit_label`), and the words over its
    blocks of text (`blocks`: (key, words), `BLOCKS` where the family's are the central's)."""

    family: str
    funding_title: str
    source_label: str
    funding: tuple[Column, ...]
    indicators: tuple[Column, ...]
    unit_label: str = "单位(盖章)"
    points_in_title: bool = False
    blocks: tuple[tuple[str, str], ...] = BLOCKS
    # The header's cells: the words over the 主管部门 and the 实施单位; whether the form has a
    # 年度总体目标 block (shown, when it has none, only where the file gives goals); whether its
    # header prints the 自评得分 (the declared total: 银川).
    department_label: str = "主管部门及代码"
    implementing_label: str = "实施单位"
    goals_block: bool = True
    score_in_header: bool = False

    def words(self) -> str:
        """Every word this layout can print, joined (for the PDF's glyph order)."""
        labels = [self.funding_title, self.source_label, self.unit_label]
        labels += [self.department_label, self.implementing_label]
        for column in (*self.funding, *self.indicators):
            labels += [column.label, column.group, column.grouped]
        return "".join(labels)


_CENTRAL = Layout(
    family="central",
    funding_title="项目资金",
    source_label="资金来源",
    funding=(
        Column("initial", "年初预算数"),
        Column("budget", "全年预算数(A)"),
        Column("executed", "全年执行数(B)"),
        Column("weight", "分值"),
        Column("rate", "执行率"),
        Column("score", "得分"),
    ),
    indicators=(
        Column("nature", "指标性质", PRINTED, "年度指标值"),
        Column("target", "年度指标值(A)", ALWAYS, "年度指标值", "指标值"),
        Column("measure_unit", "度量单位", PRINTED, "年度指标值"),
        Column("actual", "实际完成值(B)"),
        Column("weight", "分值"),
        Column("score", "得分"),
        Column("reason", "未完成原因分析"),
    ),
)

LAYOUTS = MappingProxyType(
    {
        "central": _CENTRAL,
        "anhui-xianjie": Layout(
            family="anhui-xianjie",
            funding_title="资金情况",
            source_label="资金来源",
            funding=(
                Column("initial", "年初预算数", PRINTED),
                Column("budget", "全年预算数(A)"),
                Column("executed", "全年执行数(B)"),
                Column("weight", "分值"),
                Column("rate", "执行率(B/A)"),
                Column("score", "得分"),
            ),
            indicators=(
                Column("weight", "分值"),
                Column("nature", "指标性质", PRINTED),
                Column("target", "年度指标值"),
                Column("measure_unit", "度量单位", PRINTED),
                Column("actual", "全年实际值"),
                Column("score", "得分"),
                Column("reason", "未完成原因及拟采取的改进措施"),
            ),
        ),
        "sichuan": Layout(
            family="sichuan",
            funding_title="预算执行情况",
            source_label="年度预算数",
            funding=(
                Column("initial", "年初预算"),
                Column("budget", "调整后预算数"),
                Column("executed", "预算执行数"),
                Column("rate", "预算执行率"),
                Column("weight", "权重"),
                Column("score", "得分"),
            ),
            indicators=(
                Column("nature", "指标性质"),
                Column("target", "指标值"),
                Column("measure_unit", "度量单位"),
                Column("actual", "完成值"),
                Column("weight", "权重"),
                Column("score", "得分"),
                Column("reason", "未完成原因分析"),
            ),
            points_in_title=True,
            blocks=(("conclusion", "评价结论"), *BLOCKS[1:]),
        ),
        "hubei-2020": Layout(
            family="hubei-2020",
            funding_title="预算执行情况",
            source_label="",
            funding=(
                Column("initial", "年初预算数", PRINTED),
                Column("budget", "预算数(A)"),
                Column("executed", "执行数(B)"),
                Column("rate", "执行率(B/A)"),
                Column("score", "得分"),
            ),
            indicators=(
                Column("nature", "指标性质", PRINTED),
                Column("target", "年初目标值(A)"),
                Column("measure_unit", "度量单位", PRINTED),
                Column("actual", "实际完成值(B)"),
                Column("weight", "分值", PRINTED),
                Column("score", "得分"),
                Column("reason", "偏差原因分析", PRINTED),
            ),
            unit_label="单位名称",
            department_label="主管部门",
            implementing_label="项目实施单位",
            goals_block=False,
            points_in_title=True,
            blocks=(
                ("conclusion", "自评结论"),
                ("problems", "偏差大或目标未完成原因分析"),
                ("improvements", "改进措施及结果应用方案"),
                ("other_notes", "其他需要说明事项"),
            ),
        ),
        "yinchuan": Layout(
            family="yinchuan",
            funding_title=_CENTRAL.funding_title,
            source_label=_CENTRAL.source_label,
            funding=_CENTRAL.funding,
            indicators=_CENTRAL.indicators,
            score_in_header=True,
        ),
    }
)


def layout_of(project: Project) -> Layout:
    """The layout of `project`'s family (`Project.template`)."""
    return LAYOUTS[project.template]


def leading_words() -> str:
    """The words of the default family (`central`): the PDF's glyph order puts their glyphs
    first (`pdf.setup`), as it did when they were written in the template. The other
    families' words are in the fixed repertoire all the same; placing them first too would
    reorder the glyphs of every PDF, and so change the bytes of every form already published."""
    return LAYOUTS["central"].words()


def _printed_indicator_keys(project: Project) -> set[str]:
    """The indicator fields some row or sub-row of the table prints (placeholders left out)."""
    lines = table_lines(project)
    rows = [line.row for line in lines]
    keys = {
        key
        for key in ("nature", "target", "measure_unit", "actual", "reason")
        if any(getattr(row, key) for row in rows)
    }
    parents = [line.parent for line in lines]
    keys |= {
        key for key in ("weight", "score") if any(getattr(r, key) is not None for r in parents)
    }
    return keys


def _printed_funding_keys(project: Project) -> set[str]:
    """The funding fields some row of the table prints."""
    keys = ("initial", "budget", "executed", "weight", "rate", "score")
    return {k for k in keys if any(getattr(row, k) is not None for row in project.funding.rows)}


def _shown(columns: Iterable[Column], printed: set[str]) -> tuple[Column, ...]:
    """The columns shown: the family's own, and the PRINTED ones the form prints. A column
    under a group heading takes its `grouped` words when one of the group's PRINTED columns is
    shown."""
    shown = [c for c in columns if c.shown == ALWAYS or c.key in printed]
    groups = {c.group for c in shown if c.group and c.shown == PRINTED}
    return tuple(
        Column(c.key, c.grouped or c.label, c.shown, c.group)
        if c.group in groups
        else Column(c.key, c.label, c.shown)
        for c in shown
    )


# The key of `labels` (`form.labels.PrintedLabels`) that words each column, by the column's
# key: the funding table's 分值 and 得分 are `funding_weight` and `funding_score`, beside the
# indicator table's `weight` and `score`.
FUNDING_LABEL_KEYS = MappingProxyType(
    {
        "initial": "initial",
        "budget": "budget",
        "executed": "executed",
        "weight": "funding_weight",
        "rate": "rate",
        "score": "funding_score",
    }
)
INDICATOR_LABEL_KEYS = MappingProxyType(
    {
        key: key
        for key in ("nature", "target", "measure_unit", "actual", "weight", "score", "reason")
    }
)


def _worded(
    columns: tuple[Column, ...], project: Project, label_keys: MappingProxyType[str, str]
) -> tuple[Column, ...]:
    """`columns` headed with the words the form prints where its file gives them (`labels`,
    under the key `label_keys` names for each column)."""
    words = project.labels.given()
    return tuple(
        Column(c.key, words[label_keys[c.key]], c.shown, c.group)
        if label_keys[c.key] in words
        else c
        for c in columns
    )


def indicator_columns(project: Project) -> tuple[Column, ...]:
    """The columns of `project`'s indicator table after 三级指标, in its family's order and
    words, or the form's own where its file gives them (`labels`: nature, target, measure_unit,
    actual, weight, score, reason)."""
    shown = _shown(layout_of(project).indicators, _printed_indicator_keys(project))
    return _worded(shown, project, INDICATOR_LABEL_KEYS)


def funding_columns(project: Project) -> tuple[Column, ...]:
    """The columns of `project`'s funding table after the row names, in its family's order and
    words, or the form's own where its file gives them (`labels`: initial, budget, executed,
    funding_weight, rate, funding_score)."""
    shown = _shown(layout_of(project).funding, _printed_funding_keys(project))
    return _worded(shown, project, FUNDING_LABEL_KEYS)


def source_label(project: Project) -> str:
    """The words over the funding rows' names: the form's own where its file gives them
    (`labels.source`), else its family's (资金来源, 年度预算数; 湖北 2020 prints none)."""
    return project.labels.source or layout_of(project).source_label


def unit_label(project: Project) -> str:
    """The words before the filling unit's name in the form's heading: the form's own where
    its file gives them (`labels.unit`, 部门), else its family's (单位(盖章), 单位名称)."""
    return project.labels.unit or layout_of(project).unit_label


@dataclass(frozen=True)
class HeaderWords:
    """The form's header as printed: the words over the 主管部门 (`department`) and the
    实施单位 (`implementing`), whether the 年度总体目标 rows are shown (`goals`), and the
    自评得分 the header prints ("" where it prints none)."""

    department: str
    implementing: str
    goals: bool
    score: str


def header_words(project: Project) -> HeaderWords:
    """The header of `project`'s form: its own words where its file gives them (`labels`:
    department, implementing_unit), else its family's (主管部门及代码, 实施单位; 湖北 2020:
    主管部门, 项目实施单位); the 年度总体目标 rows where its family prints them or the file
    gives goals (湖北 2020 prints none); the 自评得分 of a family that prints it in the header
    (银川: the declared total), as printed."""
    layout, words = layout_of(project), project.labels.given()
    goals = project.goals
    score = project.declared.total if layout.score_in_header else None
    return HeaderWords(
        department=words.get("department", layout.department_label),
        implementing=words.get("implementing_unit", layout.implementing_label),
        goals=layout.goals_block or bool(goals.planned or goals.achieved or goals.implementation),
        score="" if score is None else f"{score:f}",
    )


def block_labels(project: Project) -> dict[str, str]:
    """The words over the form's blocks of text, by key (conclusion, problems, improvements,
    other_notes): the form's own where its file gives them (`labels`), else its family's."""
    words = project.labels.given()
    return {key: words.get(key, label) for key, label in layout_of(project).blocks}


def header_rows(columns: Iterable[Column]) -> tuple[list[Heading], list[Heading]]:
    """The header of `columns` as one or two rows: a group's words over its columns in the
    first row (their own words in the second), every other column's words over both rows.
    The second row is empty when no column has a group."""
    columns = list(columns)
    grouped = any(c.group for c in columns)
    top: list[Heading] = []
    below: list[Heading] = []
    previous = ""  # the group of the column before
    for column in columns:
        if not column.group:
            top.append(Heading(column.label, 1, 2 if grouped else 1))
        elif column.group == previous:
            top[-1] = Heading(column.group, top[-1].span + 1, 1)
            below.append(Heading(column.label))
        else:
            top.append(Heading(column.group, 1, 1))
            below.append(Heading(column.label))
        previous = column.group
    return top, below


def columns_before_figures(columns: Iterable[Column]) -> int:
    """How many of `columns` come before the first that has a figure in the 总分 row (分值 or
    得分): the 总分 label spans them."""
    keys = [c.key for c in columns]
    return min((keys.index(k) for k in ("weight", "score") if k in keys), default=len(keys))
