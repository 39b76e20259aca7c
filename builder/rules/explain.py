"""Findings in plain Chinese for citizens reading the site (`wording.py` says them to staff).

Every finding code has an entry, in `EXPLANATIONS` (warnings and notes) or `ERROR_EXPLANATIONS`
(a test holds every code made in `builder/` to this): a general sentence, and one with the
finding's own figures (`Finding.data`, by name).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .findings import Finding, Severity

SEVERITY_LABELS: Mapping[Severity, str] = MappingProxyType(
    {
        Severity.error: "错误",
        Severity.warning: "警告",
        Severity.note: "说明",
    }
)

# Warnings and notes, which published pages carry; the methodology page lists them all.
# code -> (what it means in general, a sentence with the finding's own figures)
EXPLANATIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "total-mismatch": (
            "表上的总分与按规则计算的总分不同。",
            "表上“总分”一栏填写 {declared} 分,按评分规则计算为 {computed} 分。",
        ),
        "total-not-sum": (
            "表上的总分不等于各项得分之和。",
            "表上“总分”填写 {declared} 分,但表中各项得分相加为 {sum} 分。",
        ),
        "conclusion-total-mismatch": (
            "自评结论中写的分数与总分栏不一致。",
            "自评结论写的是 {quoted} 分,总分栏为 {declared} 分;按规则计算为 {computed} 分。",
        ),
        "grade-mismatch": (
            "申报的等次与按总分应得的等次不同。",
            "申报等次为“{declared}”,按计算总分应为“{computed}”。",
        ),
        "conclusion-grade-mismatch": (
            "自评结论中的等次与按总分应得的等次不同。",
            "自评结论写的是“{quoted}”,按计算总分应为“{computed}”。",
        ),
        "execution-rate-mismatch": (
            "表上的预算执行率与按全年执行数÷全年预算数计算的不同。",
            "表上执行率为 {declared}%,计算为 {computed}%。",
        ),
        "execution-score-mismatch": (
            "预算执行率得分与按规则计算的不同。",
            "表上得分 {declared},计算为 {computed}。",
        ),
        "execution-unexplained": (
            "预算执行率偏低而未说明原因。",
            "执行率为 {computed}%,低于 {threshold}%,表上没有说明原因。",
        ),
        "placeholder-row": (
            "表样中未填写的占位行(如“指标1:”):照原表录入,不计分,也不在页面上列出。",
            "表样原有的占位行{names}共 {count} 行,未填写内容,不计分(原始数据第 {lines} 行)。",
        ),
        "no-weight": (
            "原表该行没有分值,评分规则无法复核;有申报得分的照录申报得分,没有的不计分。",
            "三级指标“{name}”申报得分 {declared},未经复核。",
        ),
        "execution-unchecked": (
            "原表年度资金总额行没有预算数或执行数,无法计算执行率,照录申报得分。",
            "申报的执行率得分 {declared},未经复核。",
        ),
        "partial-form": (
            "原表来源不完整,复核总分只按现有内容计算。",
            "原表缺少:{parts};按现有内容计算为 {computed} 分,不是完整总分。",
        ),
        "total-unchecked": (
            "原表来源不完整,按现有内容算出的总分不是完整的总分,表上填写的总分和等次无从核对,"
            "照录原表,也不据此评定等次。",
            "原表缺少:{parts};按现有内容算得 {computed} 分,不是完整总分,表上总分 {declared} 分"
            "与等次“{grade}”无法核对,照录原表。",
        ),
        "partial-form-total-whole": (
            "原表来源不完整,但计分用到的资金表和绩效指标表齐全,复核总分是完整的。",
            "原表缺少:{parts};资金表和绩效指标表齐全,复核总分 {computed} 分是完整的。",
        ),
        "zero-budget": (
            "全年预算数为 0,无法计算执行率。",
            "年度资金总额一行的全年预算数为 0,执行率按 0 分计。",
        ),
        "funding-rows-disagree": (
            "资金来源各分项之和与合计行不一致。",
            "分项相加为 {sum} 元,合计行为 {expected} 元。",
        ),
        "cost-vs-executed": (
            "成本指标填写的实际成本(各项成本指标以金额填写的实际完成值之和)与资金表中的全年执行数不一致。",
            "{rows}的实际完成值合计折合 {actual} 元,资金表全年执行数为 {executed} 元。",
        ),
        "total-above-full": (
            "总分超过了满分。任何一张表的总分都不应高于满分,请核对各项分值与得分。",
            "{which}总分为 {total} 分,超过满分 {full} 分。",
        ),
        "actual-missing": (
            "实际完成值为空,评分规则无从核对该项是否完成;保留申报得分(未填得分的按 0 分计),不按满分计。",
            "三级指标的实际完成值为空,未能核验:申报得分 {declared},计入 {computed} 分(满分 {weight})。",
        ),
        "target-missing": (
            "年度指标值为空,实际完成值又不是“达成”“部分达成”“未达成”之类的文字,评分规则无从比较;"
            "保留申报得分(未填得分的按 0 分计)。",
            "实际完成值“{actual}”没有可比较的指标值,未能核验:申报得分 {declared},计入 {computed} 分(满分 {weight})。",
        ),
        "actual-no-band": (
            "实际完成值是文字,但没有说明是“达成”“部分达成”还是“未达成”年度指标,评分规则无法判断"
            "应得的分数档,保留申报得分。",
            "实际完成值“{actual}”没有说明完成档次,未能核验:申报得分 {declared},计入 {computed} 分(满分 {weight})。",
        ),
        "weights-level-sum": (
            "表上某个一级指标下各三级指标的分值之和与该一级指标的分值不符。这是表格自身的数字矛盾,"
            "按表上所印分值计分。",
            "{level}下各三级指标分值合计 {sum} 分,应为 {expected} 分。",
        ),
        "weights-level2-sum": (
            "表上印有某个二级指标的分值(如“数量指标(10分)”),其下各三级指标的分值之和与之不符。"
            "这是表格自身的数字矛盾,按表上所印的各行分值计分。",
            "二级指标“{level}”下各三级指标分值合计 {sum} 分,表上印的是 {expected} 分。",
        ),
        "weights-levels-total": (
            "按本表适用的评分规则,各一级指标的分值不固定,但合计应为规定的分数(如四川:绩效指标 90 分);"
            "表上各三级指标的分值合计与之不符。这是表格自身的数字矛盾,按表上所印分值计分。",
            "各三级指标分值合计 {sum} 分,应为 {expected} 分。",
        ),
        "weights-total": (
            "表上预算执行率分值与各一级指标分值之和不等于满分。这是表格自身的数字矛盾,按表上所印分值计分。",
            "各部分分值合计 {sum} 分,满分为 {expected} 分。",
        ),
        "score-over-weight": (
            "该项申报得分超过了该项的分值;复核时该项最多按分值计。",
            "申报得分 {declared},该项分值为 {weight}。",
        ),
        "executed-over-budget": (
            "表上全年执行数大于全年预算数;执行率最多按 100% 计分。",
            "全年执行数 {executed} 元,全年预算数 {budget} 元。",
        ),
        "value-not-quantitative": (
            "表上标为定量的指标,其指标值或实际完成值却不是数字;按文字判断,无法判断的保留申报得分。",
            "指标值“{target}”,实际完成值“{actual}”:申报得分 {declared},计入 {computed} 分(满分 {weight})。",
        ),
        "score-above-rule": (
            "该项申报得分高于评分规则允许的分数。",
            "申报得分 {declared},规则最多允许 {computed}。",
        ),
        "score-below-rule": (
            "该项申报得分低于按公式计算的分数,且未说明原因。",
            "申报得分 {declared},按公式计算为 {computed}。",
        ),
        "score-below-band": (
            "定性指标的申报得分低于其完成情况对应的分数档。",
            "申报得分 {declared},所述完成情况对应 {low}–{high} 分。",
        ),
        "judgement-accepted": (
            "申报得分低于公式计算值,但填报单位说明了原因,按评价人判断采纳,复核得分计入申报得分。",
            "申报得分 {declared},公式计算为 {computed},已说明原因,计入 {declared} 分。",
        ),
        "over-achievement-deducted": (
            "实际完成值大幅超过指标值(说明指标值定得偏低),按本地规则扣减分值。",
            "实际完成值为指标值的 {ratio}%,按本地规则为 {computed} 分(满分 {weight});"
            "申报得分 {counted} 分更低且说明了原因,计入 {counted} 分。",
        ),
        "over-achievement-unexplained": (
            "实际完成值大幅超过指标值,但未说明原因。",
            "实际完成值为指标值的 {ratio}%。",
        ),
        "reverse-breached": (
            "反向指标(越低越好)的实际值超过了指标值。",
            "该项按本地规则为 {computed} 分(满分 {weight});申报得分 {counted} 分更低且说明了原因,"
            "计入 {counted} 分。",
        ),
        "reverse-target-below-zero": (
            "反向指标的指标值小于 0,实际值又超过了指标值,无法按比例计分,保留申报得分。",
            "该项保留申报得分 {declared} 分(满分 {weight})。",
        ),
        "word-read-as-zero": (
            "指标值或实际完成值写的是“无”“零”等文字,另一栏是数字,按 0 计算。",
            "“{written}”按 {reading} 计算,按公式为 {computed} 分(满分 {weight});"
            "申报得分 {counted} 分更低且说明了原因,计入 {counted} 分。",
        ),
        "word-read-as-not-applicable": (
            "指标值或实际完成值写的是“无”等文字,另一栏不是数字,按不适用处理,该项不计分。",
            "“{written}”按不适用处理,该项得 0 分(满分 {weight})。",
        ),
        "deadline-missed": (
            "指标值是一个日期或时间,实际完成值没有按时达到。评分规则没有为逾期规定计分比例,保留申报得分。",
            "指标值“{target}”,实际完成值“{actual}”,保留申报得分 {declared} 分(满分 {weight})。",
        ),
        "deadline-unchecked": (
            "指标值是一个日期或时间,但从实际完成值判断不了是否按时完成(实际完成值不是日期,"
            "只有一方写了年份,或只写到月份而期限在月中),保留申报得分。",
            "指标值“{target}”,实际完成值“{actual}”,保留申报得分 {declared} 分(满分 {weight})。",
        ),
        "fraction-or-percent": (
            "指标值以百分比填写,实际完成值却是不带单位、不大于 1 的数(如 0.98):可能是小数(即 98%),"
            "也可能是漏写了百分号(即 0.98%)。规则不作推测,不换算,保留申报得分。",
            "指标值“{target}”,实际完成值“{actual}”:{bare} 可能是 {percent}%,也可能是 {bare}%,"
            "保留申报得分 {declared} 分(满分 {weight})。",
        ),
        "number-unquoted": (
            "指标值或实际完成值写成了不带引号的数字,而原始数据中的写法又读不回来(如带有 !!float 标记):"
            "按读到的数字照录,表上所印的写法(如 0.950 与 0.95)可能不同。",
            "读作 {text}。",
        ),
        "stray-file": (
            "内容文件夹中的这个文件不是表单(只读取扩展名为 .yaml 的文件),既不检查也不发布;"
            "隐藏文件和编辑器备份(如 x.yaml~)不在此列。",
            "",
        ),
        "goals-repeated": (
            "年度总体目标的“实际完成情况”一字不差地重复了“预期目标”,没有说明当年实际做了什么、完成了多少;"
            "这不影响计分,但读者无从了解项目的实际完成情况。",
            "“实际完成情况”与“预期目标”逐字相同(共 {length} 个字)。",
        ),
        "units-differ": (
            "指标值与实际完成值的计量单位不同,无法比较,未能核验;保留申报得分(未填得分的按满分计,并在此说明)。",
            "指标值“{target}”,实际完成值“{actual}”:申报得分 {declared},计入 {computed} 分(满分 {weight})。",
        ),
    }
)

# Errors, code -> (general meaning, sentence with the figures). A form with an error is not
# published (the build stops), so these are for `jixiao check` and never reach a page.
ERROR_EXPLANATIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "yaml": (
            "文件不是可读的 YAML(语法错误、重复的键、不允许的标记、别名(*)、嵌套过深、不允许的字符如 NUL 或非 UTF-8 编码等)。",
            "",
        ),
        "file": (
            "该条目不能作为表单读取:它是命名管道、设备或文件夹,无法读取,是指向内容文件夹之外、"
            "指向不存在的目标或循环指向的符号链接,或是扩展名写成了 .yml、.YAML 的表单"
            "(请改为 .yaml);没有读取也没有发布其中的任何内容。",
            "",
        ),
        "schema": (
            "文件中的某个字段缺失、多余、类型不对或格式不对。",
            "",
        ),
        "invisible-character": (
            "文本中有看不见的控制字符或文字方向控制字符(多由网页、Word 或其他系统复制粘贴带入),"
            "会使订阅源无法读取、网页显示错乱或把其后的数字倒序显示,请删除。",
            "文本的第 {position} 个字符是 {char}。",
        ),
        "form-too-long": (
            "表中各栏文字合计过长。每栏有字数上限,整张表的文字合计也有上限,真实的自评表远在其下;"
            "过长的表无法在合理时间内排版打印。",
            "文字合计 {total} 个字,上限 {limit} 个字。",
        ),
        "config-missing": ("缺少站点配置文件 content/site.yaml。", ""),
        "policy-duplicate-name": (
            "站点配置中两条评分规则同名;项目页面以名称标明所用规则,每条规则须有自己的名称。",
            "规则名称“{name}”重复。",
        ),
        "policy-never-applies": (
            "站点配置中的这条评分规则不会用于任何自评表:它没有写明适用的年度、表样或地区,"
            "或者排在它前面的规则已经适用于它所适用的全部自评表(按第一条适用的规则计分)。",
            "规则“{name}”不会被使用。",
        ),
        "duplicate-id": ("同一年度中有两个文件使用了同一个项目标识。", ""),
        "file-name": (
            "单位文件夹名、项目标识或部门代码会成为网站的网址和文件名:只能用小写英文字母、数字和连字符"
            "(部门代码用字母和数字),不超过 80 个字符,不能是 Windows 设备名(con、nul 等),"
            "单位文件夹不能以 dept- 开头,部门代码不能是 none,也不能与同年度另一代码仅大小写不同。",
            "名称是“{name}”。",
        ),
        "unknown-level": (
            "某项指标的一级指标不在本表的一级指标之中。",
            "一级指标“{level}”不是本表的一级指标。",
        ),
        "funding-two-spellings": (
            "项目资金表同时按两种写法填写(逐行列表与按键),无法确定以哪一种为准。",
            "",
        ),
        "funding-total-row": (
            "项目资金表应有且只有一行“年度资金总额”(total: true)。",
            "",
        ),
        "value-unreadable": (
            "指标值或实际完成值以比较符号开头,却不是“数字加单位”的写法,无法读取。",
            "",
        ),
    }
)

FALLBACK = ("需要核对的问题。", "")


def explanation_key(code: str) -> str:
    """The `EXPLANATIONS` key of a finding code: `schema-*` codes share the entry `schema`."""
    return "schema" if code.startswith("schema-") else code


def explain(finding: Finding) -> tuple[str, str]:
    """(general meaning, the sentence with this finding's figures) in Chinese.

    The second is "" when the code has no such sentence or the finding lacks a figure it names;
    a code without an entry gets `FALLBACK`. Raises nothing.
    """
    key = explanation_key(finding.code)
    general, detail = EXPLANATIONS.get(key) or ERROR_EXPLANATIONS.get(key, FALLBACK)
    # A figure the form leaves blank is absent, never the word None on a page.
    data = {name: value for name, value in finding.data if value != "None"}
    for sentence in (detail, _WITHOUT_A_FIGURE.get(key, "")):
        try:
            return general, sentence.format(**data) if sentence else ""
        except (KeyError, IndexError):
            continue
    return general, ""


# The sentence of a code when a figure of its usual one is blank on the form.
_WITHOUT_A_FIGURE: Mapping[str, str] = MappingProxyType(
    {
        "conclusion-total-mismatch": "自评结论写的是 {quoted} 分,表上没有总分栏;按规则计算为 {computed} 分。",
        "no-weight": "三级指标“{name}”没有分值,也没有申报得分,不计分,未经复核。",
        # A row the form prints no 分值 for (湖北2020): no 满分 to state.
        "actual-missing": "三级指标的实际完成值为空,未能核验:申报得分 {declared},计入 {computed} 分"
        "(表上未印分值)。",
        "target-missing": "实际完成值“{actual}”没有可比较的指标值,未能核验:申报得分 {declared},"
        "计入 {computed} 分(表上未印分值)。",
        "actual-no-band": "实际完成值“{actual}”没有说明完成档次,未能核验:申报得分 {declared},"
        "计入 {computed} 分(表上未印分值)。",
        "fraction-or-percent": "指标值“{target}”,实际完成值“{actual}”:{bare} 可能是 {percent}%,"
        "也可能是 {bare}%,保留申报得分 {declared} 分(表上未印分值)。",
        "deadline-missed": "指标值“{target}”,实际完成值“{actual}”,保留申报得分 {declared} 分"
        "(表上未印分值)。",
        "deadline-unchecked": "指标值“{target}”,实际完成值“{actual}”,保留申报得分 {declared} 分"
        "(表上未印分值)。",
        "units-differ": "指标值“{target}”,实际完成值“{actual}”:申报得分 {declared},计入 {computed} 分"
        "(表上未印分值)。",
        "value-not-quantitative": "指标值“{target}”,实际完成值“{actual}”:申报得分 {declared},"
        "计入 {computed} 分(表上未印分值)。",
        # A form cut off that states its total, or its grade, only.
        "total-unchecked": "原表缺少:{parts};按现有内容算得 {computed} 分,不是完整总分,"
        "表上填写的总分与等次无法核对,照录原表。",
        # Without a lower declared 得分 accepted with a reason (`counted`), the row counts the
        # figure the rules give.
        "over-achievement-deducted": "实际完成值为指标值的 {ratio}%,该项得 {computed} 分(满分 {weight})。",
        "reverse-breached": "该项按本地规则得 {computed} 分(满分 {weight})。",
        "word-read-as-zero": "“{written}”按 {reading} 计算,该项得 {computed} 分(满分 {weight})。",
    }
)


# Where on the form a finding points, by the first keys of its path.
_FORM_PLACES: Mapping[tuple[str, ...], str] = MappingProxyType(
    {
        ("funding", "total"): "项目资金·年度资金总额",
        ("funding", "fiscal"): "项目资金·财政拨款",
        ("funding", "local"): "项目资金·本级安排",
        ("funding", "superior"): "项目资金·上级补助",
        ("funding", "other"): "项目资金·其他资金",
        ("funding", "rows"): "项目资金",
        ("funding",): "项目资金",
        ("partial",): "整张表(不完整)",
        ("goals", "planned"): "年度总体目标·预期目标",
        ("goals", "achieved"): "年度总体目标·实际完成情况",
        ("declared", "execution_rate"): "预算执行率",
        ("declared", "execution_score"): "预算执行率得分",
        ("declared", "total"): "总分",
        ("declared", "grade"): "自评等次",
        ("declared", "conclusion"): "自评结论",
    }
)
# Keyed as the files write the cells (a finding's path is a path in the file): `unit` is the
# 度量单位 column, `Indicator.measure_unit`.
_INDICATOR_CELLS: Mapping[str, str] = MappingProxyType(
    {
        "target": "年度指标值",
        "actual": "实际完成值",
        "weight": "分值",
        "score": "得分",
        "reason": "未完成原因分析",
        "unit": "度量单位",
        "nature": "指标性质",
    }
)


def finding_place(finding: Finding, indicator_names: list[str]) -> str:
    """The place on the paper form a finding is about, in Chinese: a row, a cell."""
    path = finding.path
    if len(path) >= 2 and path[0] == "indicators" and isinstance(path[1], int):
        index = path[1]
        name = indicator_names[index] if 0 <= index < len(indicator_names) else f"第 {index + 1} 项"
        cell = _INDICATOR_CELLS.get(str(path[2])) if len(path) > 2 else None
        return f"三级指标“{name}”" + (f"·{cell}" if cell else "")
    for length in (2, 1):
        place = _FORM_PLACES.get(tuple(path[:length]))
        if place:
            return place
    return "整张表"
