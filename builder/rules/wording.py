"""Findings said to staff in Chinese: what `jixiao check`, `jixiao build`, the preview and GitHub
annotations print by default (`--lang zh`); `--lang en` prints each finding's English.

A finding's Chinese is, in order: what its maker worded itself (`Finding.message_zh`,
`hint_zh`: a schema error naming the field's title, a slip in the YAML); else the code's
sentence for staff here (`STAFF_MESSAGES`), or the sentence with the finding's figures that
`explain.py` writes for the site, or that entry's general sentence; and the code's hint in
`HINTS`. Templates are filled from `Finding.data` and, for a finding on an indicator row of a
form at hand, the row (`row_figures`). A figure that is missing or written `None` leaves a
template out: the next one is used. A new code needs an entry in `explain.py` and, where its
English has a hint, one in `HINTS` (tests/test_explain.py holds every code to both).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..i18n import say
from .explain import explain
from .findings import Finding

if TYPE_CHECKING:
    from ..form.model import Project

LANGUAGES = ("zh", "en")
"""The languages findings are printed in: Chinese (the default, for staff) or English."""

# code -> templates of the located line's sentence, the first that can be filled is used: for
# codes whose sentence on the site (`explain.py`) does not say what staff must look at.
STAFF_MESSAGES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "execution-score-mismatch": ("表上预算执行率得分 {declared},按规则计算为 {computed}。",),
        "conclusion-total-mismatch": (
            "自评结论写的是 {quoted} 分,总分栏为 {declared} 分。",
            "自评结论写的是 {quoted} 分。",
        ),
        "grade-mismatch": (
            "申报等次为“{declared}”,计算总分 {total} 分应为“{computed}”。",
            "申报等次为“{declared}”,按计算总分应为“{computed}”。",
        ),
        "conclusion-grade-mismatch": (
            "自评结论写的等次是“{quoted}”,计算总分 {total} 分应为“{computed}”。",
            "自评结论写的等次是“{quoted}”,按计算总分应为“{computed}”。",
        ),
        "over-achievement-deducted": (
            "实际完成值为指标值的 {ratio}%,超过本地规则的阈值,扣减分值后为 {computed} 分(满分 {weight});"
            "申报得分 {counted} 分更低且说明了原因,计入 {counted} 分。",
            "实际完成值为指标值的 {ratio}%,超过本地规则的阈值,扣减分值后该项得 {computed} 分(满分 {weight})。",
        ),
        "over-achievement-unexplained": (
            "实际完成值为指标值的 {ratio}%,未完成原因分析一栏没有说明原因。",
        ),
        "reverse-breached": (
            "实际完成值 {row_actual} 超过反向指标(越低越好)的指标值 {row_target},"
            "按本地规则为 {computed} 分(满分 {weight};breached_reverse: {policy});"
            "申报得分 {counted} 分更低且说明了原因,计入 {counted} 分。",
            "实际完成值 {row_actual} 超过反向指标(越低越好)的指标值 {row_target},"
            "按本地规则该项得 {computed} 分(满分 {weight};breached_reverse: {policy})。",
            "反向指标(越低越好)的实际值超过了指标值,"
            "按本地规则该项得 {computed} 分(满分 {weight};breached_reverse: {policy})。",
        ),
        "reverse-target-below-zero": (
            "实际完成值 {row_actual} 超过反向指标值 {row_target},而指标值小于 0,无法按比例计分,"
            "保留申报得分 {declared} 分(满分 {weight})。",
        ),
        "score-below-band": (
            "申报得分 {declared},低于实际完成值“{row_actual}”对应的 {low}–{high} 分。",
        ),
        "score-below-rule": ("申报得分 {declared},按公式计算为 {computed},且没有说明原因。",),
        "judgement-accepted": (
            "申报得分 {declared},按公式计算为 {computed};分数较低且说明了原因,按评价人判断采纳,"
            "该项计入申报得分 {declared} 分。",
        ),
        "word-read-as-zero": (
            "“{written}”按 {reading} 计算:按公式为 {computed} 分(满分 {weight});"
            "申报得分 {counted} 分更低且说明了原因,计入 {counted} 分。",
            "“{written}”按 {reading} 计算:该项得 {computed} 分(满分 {weight})。",
        ),
        "word-read-as-not-applicable": (
            "“{written}”按不适用处理:另一栏不是数字,该项计 0 分(满分 {weight})。",
        ),
        "deadline-missed": (
            "指标值“{target}”是一个期限,实际完成值“{actual}”没有按时达到;"
            "规则没有规定逾期的计分比例,保留申报得分 {declared} 分(满分 {weight})。",
            "指标值“{target}”是一个期限,实际完成值“{actual}”没有按时达到;"
            "规则没有规定逾期的计分比例,保留申报得分 {declared} 分(表上未印分值)。",
        ),
        "deadline-unchecked": (
            "指标值“{target}”是一个期限,从实际完成值“{actual}”判断不了是否按时完成,"
            "保留申报得分 {declared} 分(满分 {weight})。",
            "指标值“{target}”是一个期限,从实际完成值“{actual}”判断不了是否按时完成,"
            "保留申报得分 {declared} 分(表上未印分值)。",
        ),
        # Rows a form prints no 分值 for (湖北2020): the same sentences, without 满分.
        "actual-missing": (
            "三级指标的实际完成值为空,未能核验:申报得分 {declared},计入 {computed} 分(满分 {weight})。",
            "三级指标的实际完成值为空,未能核验:申报得分 {declared},计入 {computed} 分(表上未印分值)。",
        ),
        "target-missing": (
            "实际完成值“{actual}”没有可比较的指标值,未能核验:申报得分 {declared},"
            "计入 {computed} 分(满分 {weight})。",
            "实际完成值“{actual}”没有可比较的指标值,未能核验:申报得分 {declared},"
            "计入 {computed} 分(表上未印分值)。",
        ),
        "actual-no-band": (
            "实际完成值“{actual}”没有说明完成档次,未能核验:申报得分 {declared},"
            "计入 {computed} 分(满分 {weight})。",
            "实际完成值“{actual}”没有说明完成档次,未能核验:申报得分 {declared},"
            "计入 {computed} 分(表上未印分值)。",
        ),
        "fraction-or-percent": (
            "指标值“{target}”与实际完成值“{actual}”一栏是百分比、一栏是不大于 1 的数:{bare} 可能是小数"
            "(即 {percent}%),也可能漏写了百分号(即 {bare}%);规则不作推测,"
            "保留申报得分 {declared} 分(满分 {weight})。",
            "指标值“{target}”与实际完成值“{actual}”一栏是百分比、一栏是不大于 1 的数:{bare} 可能是小数"
            "(即 {percent}%),也可能漏写了百分号(即 {bare}%);规则不作推测,保留申报得分 {declared} 分"
            "(表上未印分值)。",
        ),
        "units-differ": (
            "指标值“{target}”与实际完成值“{actual}”的计量单位不同,无法比较,未能核验:"
            "申报得分 {declared},计入 {computed} 分(满分 {weight})。",
            "指标值“{target}”与实际完成值“{actual}”的计量单位不同,无法比较,未能核验:"
            "申报得分 {declared},计入 {computed} 分(表上未印分值)。",
            "指标值“{target}”与实际完成值“{actual}”的计量单位不同,无法比较,保留申报得分。",
        ),
        "value-unreadable": (
            "{cell_title}“{cell}”以比较符号开头,却读不出“比较符号、数字、单位”,无法计分。",
        ),
        "value-not-quantitative": (
            "这一行的指标性质为“{nature}”,但指标值“{target}”与实际完成值“{actual}”不是一对数字:"
            "按文字判断,无法判断的保留申报得分;申报得分 {declared},计入 {computed} 分(满分 {weight})。",
            "这一行标为定量,但指标值“{target}”与实际完成值“{actual}”不是一对数字:"
            "按文字判断,无法判断的保留申报得分;申报得分 {declared},计入 {computed} 分(满分 {weight})。",
            "这一行的指标性质为“{nature}”,但指标值“{target}”与实际完成值“{actual}”不是一对数字;"
            "表上未印分值,保留申报得分 {declared},计入 {computed} 分。",
            "这一行标为定量,但指标值“{target}”与实际完成值“{actual}”不是一对数字:"
            "按文字判断,无法判断的保留申报得分。",
        ),
        "score-over-weight": (
            "申报得分 {declared} 超过该项分值 {weight},该项最多计 {weight} 分。",
        ),
        "weights-level-sum": (
            "{level}下各三级指标分值合计 {sum} 分,应为 {expected} 分;按表上所印计分。",
        ),
        "total-unchecked": (
            "原表缺少{parts},按现有内容只算得 {computed} 分(不完整):表上总分 {declared} 分、"
            "等次“{grade}”无法核对,不作比较,也不评定等次。",
            "原表缺少{parts},按现有内容只算得 {computed} 分(不完整):表上总分 {declared} 分无法核对,"
            "不作比较,也不评定等次。",
            "原表缺少{parts},按现有内容只算得 {computed} 分(不完整):表上等次“{grade}”无法核对,"
            "不作比较,也不评定等次。",
        ),
        "placeholder-row": (
            "表样原有的占位行{names}共 {count} 行,未填写内容(第 {lines} 行):不计分,也不在页面上列出。",
        ),
        "weights-level2-sum": (
            "二级指标“{level}”下各三级指标分值合计 {sum} 分,表上印的是 {expected} 分;按各行所印分值计分。",
        ),
        "stray-file": ("这不是表单:只读取扩展名为 .yaml 的文件,这个文件既不检查也不发布。",),
        "duplicate-id": ("项目标识“{id}”在 {year} 年度已被 {first} 使用。",),
        "invisible-character": ("文本的第 {position} 个字符 {char} 是看不见的控制字符。",),
        "executed-over-budget": (
            "全年执行数 {executed} 元大于全年预算数 {budget} 元,执行率最多按 100% 计。",
        ),
        "cost-vs-executed": (
            "{rows}的实际完成值合计折合 {actual} 元,与资金表的全年执行数 {executed} 元不一致。",
        ),
        "unknown-level": ("“{level}”不是本表的一级指标。",),
        "weights-total": (
            "预算执行率分值与各一级指标分值合计 {sum} 分,应为 {expected} 分;按表上所印计分。",
        ),
        "weights-levels-total": (
            "绩效指标各行分值合计 {sum} 分,应为 {expected} 分(各一级指标分值不固定,合计固定);"
            "按表上所印计分。",
        ),
    }
)

# code -> the Chinese hint: what to do about it (the English `Finding.hint`), from its figures.
HINTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "total-mismatch": ("总分 = 预算执行率得分 + 各三级指标得分",),
        "total-not-sum": ("总分应等于“得分”一栏之和",),
        "conclusion-total-mismatch": ("按规则计算为 {computed} 分",),
        "grade-mismatch": ("等次按 content/site.yaml 中的分数线划分",),
        "execution-rate-mismatch": ("执行率 = 年度资金总额一行的全年执行数 ÷ 全年预算数",),
        "execution-score-mismatch": ("得分 = 分值 × min(执行率, 100%)",),
        "execution-unexplained": ("在 funding.reason(执行率说明)中写明原因",),
        "zero-budget": ("检查年度资金总额一行(金额可能只填在了分项行里)",),
        "cost-vs-executed": ("成本指标与资金表说的应是同一笔钱",),
        "score-above-rule": (
            "正向指标:分值 × 实际值 ÷ 指标值;反向指标:分值 × 指标值 ÷ 实际值;"
            "定性指标:按实际完成值所在的分数档",
        ),
        "score-below-band": ("实际完成值或得分有一处写错了",),
        "score-below-rule": ("在未完成原因分析中写明原因,或更正得分",),
        "over-achievement-deducted": ("指标值可能定得偏低",),
        "over-achievement-unexplained": ("说明实际完成值为何远超指标值",),
        "reverse-target-below-zero": (
            "指标值写成 0 或以上(如“下降至少 5%”写作 ≥5%),或核对申报得分",
        ),
        "word-read-as-zero": ("若该行不适用,写 / 或“不适用”",),
        "word-read-as-not-applicable": ("若没有发生,按指标值的单位写 0(如 0起);若该行不适用,写 /",),
        "deadline-missed": ("逾期在规则中没有计分比例:请核对申报得分",),
        "deadline-unchecked": (
            "把实际完成值写成与指标值同样的日期或时间,如 2023年12月20日 或 8:20",
        ),
        "fraction-or-percent": (
            "照表上所印写明单位:是 {percent}% 就写 {percent}%,而不是 {bare}",
            "按指标值的单位写实际完成值,如写 98% 而不是 0.98",
        ),
        "units-differ": ("按指标值的计量单位写实际完成值",),
        "value-unreadable": ("写成比较符号、数字和单位,如 ≥95% 或 ≤30万元;数字小数点前最多 15 位",),
        "value-not-quantitative": ("两栏按表上所印填写;以文字表述的行是定性",),
        "score-over-weight": ("一项的得分不能超过其分值:对照表上核对这两个数",),
        "executed-over-budget": ("对照表上核对这两个数",),
        "weights-level-sum": ("一级指标下各三级指标的分值之和应等于该一级指标的分值",),
        "weights-total": ("对照表上核对各一级指标的(N分)和预算执行率一行的分值",),
        "weights-level2-sum": ("二级指标下各三级指标的分值之和应等于表上所印该二级指标的分值",),
        "weights-levels-total": ("绩效指标各行的分值之和应等于评分规则给绩效指标的分数",),
        "total-above-full": ("任何一张表的总分都不能超过满分:请核对分值与得分两栏",),
        "actual-missing": ("按表上所印填写实际完成值;该行不适用的写 /",),
        "target-missing": ("按表上所印填写年度指标值;该行不适用的写 /",),
        "actual-no-band": ("在实际完成值中写明是“达成”“部分达成”还是“未达成”",),
        "goals-repeated": ("写明当年实际完成了什么、完成了多少,照原表填写",),
        "stray-file": ("隐藏文件和编辑器备份(如 x.yaml~)不予理会",),
        "funding-two-spellings": ("两种写法选一种:rows(列表),或 total、fiscal、local 等键",),
        "funding-total-row": ("只在年度资金总额一行写 total: true",),
        "placeholder-row": (
            "原表印的就是这一空行的,照录即可,不计分也不显示;原表该行若填有内容,请照表填写",
        ),
        "unknown-level": ("是否应为“{suggestion}”?", "应为以下之一:{levels}"),
        "duplicate-id": ("同一年度中每个项目要有自己的项目标识",),
        "invisible-character": ("删掉它:它看不见,多半是从网页或其他程序粘贴带入的",),
        "policy-duplicate-name": ("每条规则取一个自己的名称:项目页面会标明计分所用的规则",),
        "config-missing": ("新建该文件,至少写上 title: 和 base_url:",),
    }
)

_COMPLETE = re.compile(r"[。.]$")


def _fill(templates: tuple[str, ...], figures: Mapping[str, str]) -> str:
    """The first template whose every field is among `figures` (and not `None`), filled; ""."""
    known = {key: value for key, value in figures.items() if value != "None"}
    for template in templates:
        try:
            return template.format(**known)
        except (KeyError, IndexError, ValueError):
            continue
    return ""


def _short_title(title: str) -> str:
    """A field's title as a sentence names it: `年度指标值(A)` -> `年度指标值`."""
    return re.sub(r"\([A-Z]\)$", "", title)


def row_figures(finding: Finding, project: Project | None) -> dict[str, str]:
    """The cells of the indicator row a finding is on, for the templates: `row` (the 三级指标),
    `row_target`, `row_actual`, and where it points at one cell, `cell` (its text) and
    `cell_title` (the field's title in the model, e.g. 年度指标值). {} off a row or without
    the form."""
    path = finding.path
    if project is None or len(path) < 2 or path[0] != "indicators":
        return {}
    index = path[1]
    if not isinstance(index, int) or not 0 <= index < len(project.indicators):
        return {}
    row = project.indicators[index]
    found = {"row": row.name, "row_target": row.target, "row_actual": row.actual}
    key = str(path[2]) if len(path) > 2 else None
    for name, info in type(row).model_fields.items():
        if key is not None and (info.alias or name) == key:
            value = getattr(row, name)
            found["cell"] = "" if value is None else str(value)
            found["cell_title"] = _short_title(info.title or key)
    return found


def chinese(finding: Finding, project: Project | None = None) -> tuple[str, str]:
    """(sentence, hint) of a finding in Chinese, as the module says; `project` is the form it
    is about, when at hand (its row's cells fill the templates). Raises nothing; the hint may
    be ""."""
    figures = {**row_figures(finding, project), **dict(finding.data)}
    message = finding.message_zh or _fill(STAFF_MESSAGES.get(finding.code, ()), figures)
    if not message:
        general, detail = explain(finding)
        message = detail or general
    hint = finding.hint_zh or _fill(HINTS.get(finding.code, ()), figures)
    return message, hint


def worded(
    finding: Finding, lang: str = "zh", project: Project | None = None
) -> tuple[str, str, str]:
    """(severity label, sentence, hint) of a finding in `lang` ("zh" or "en"): the label is
    the catalogue's `severity.<severity>` (`错误`, `警告`, `说明`; `error`, `warning`, `note`:
    a warning is not called 不一致, which the site keeps for figures that disagree), then
    `chinese`, or the English message and hint. The sentence's last full stop is left out:
    the hint follows it in brackets."""
    label = say(f"severity.{finding.severity}", lang)
    if lang == "en":
        return label, finding.message, finding.hint
    message, hint = chinese(finding, project)
    return label, _COMPLETE.sub("", message), hint


__all__ = ["HINTS", "LANGUAGES", "STAFF_MESSAGES", "chinese", "row_figures", "worded"]
