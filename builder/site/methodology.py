"""What the methodology page says of each policy: a table of its settings, each marked 地方规则
where it differs from the national rules (the defaults of `rules/policy.py`).

Plain data for `templates/methodology.html`; no HTML here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from ..config import SiteConfig
from ..form.model import TEMPLATE_LABELS
from ..formats import figure_text
from ..rules.explain import explanation_key
from ..rules.policies import SitePolicies, SitePolicy
from ..rules.policy import (
    BreachedReversePolicy,
    Grade,
    OverAchievement,
    OverAchievementAction,
    PolicyMatch,
    QualitativeBand,
    ScoringPolicy,
)

HUNDRED = Decimal(100)
# The qualitative bands as the 自评表 注 names them, in the page's order.
BAND_TITLES = (
    ("achieved", "达成年度指标"),
    ("partly", "部分达成年度指标并具有一定效果"),
    ("missed", "未达成年度指标且效果较差"),
)
REVERSE_TEXT = {
    BreachedReversePolicy.national: "w × A÷B",
    BreachedReversePolicy.linear: "w × (2 − B÷A),B 达到 2A 时为 0 分",
    BreachedReversePolicy.zero: "0 分",
}
TEMPLATE_TEXT = TEMPLATE_LABELS


@dataclass(frozen=True)
class SettingRow:
    """One setting of a policy as the page shows it: what it is, its value in words, and
    whether it differs from the national rules (`local`, shown as 地方规则), with the
    national rules' value in words (`national`, "" where the setting is national)."""

    label: str
    value: str
    local: bool
    national: str = ""


# The sections of the methodology page that explain a setting, and which settings they are,
# by their labels: each section says which of its settings are national and which local.
SECTION_SETTINGS: Mapping[str, Callable[[str], bool]] = MappingProxyType(
    {
        "weights": lambda label: label == "满分" or label.endswith("分值"),
        "execution": lambda label: label == "执行率须说明原因",
        "quantitative": lambda label: label.startswith(
            ("正向指标", "反向指标", "不适用", "指标值为")
        ),
        "qualitative": lambda label: label.startswith("定性指标"),
        "grades": lambda label: label == "等次",
    }
)


@dataclass(frozen=True)
class PolicyTable:
    """One policy on the methodology page: its name, its section's `anchor` (the project pages
    link to it), the forms it scores in words, its note and its settings."""

    name: str
    anchor: str
    scope: str
    note: str
    rows: tuple[SettingRow, ...]

    @property
    def local_count(self) -> int:
        """How many of its settings differ from the national rules."""
        return sum(row.local for row in self.rows)

    def section(self, name: str) -> tuple[SettingRow, ...]:
        """The settings a section of the methodology page explains (`SECTION_SETTINGS`:
        weights, execution, quantitative, qualitative, grades), in the table's order."""
        belongs = SECTION_SETTINGS[name]
        return tuple(row for row in self.rows if belongs(row.label))


def finding_anchor(code: str) -> str:
    """The anchor of a finding code's explanation on the methodology page: `f-total-mismatch`
    (every `schema-*` code shares `f-schema`). Pages link to `methodology/index.html#` it."""
    return "f-" + explanation_key(code)


def _percent(share: Decimal) -> str:
    return f"{figure_text(share * HUNDRED)}%"


def _band(band: QualitativeBand) -> str:
    return f"{_percent(band.high)}–{_percent(band.low)}"


def _grades(grades: tuple[Grade, ...]) -> str:
    """优 90 分及以上;良 80–90 分;…;差 低于 60 分 (the last grade starts at 0)."""
    parts = []
    for index, grade in enumerate(grades):
        low = figure_text(grade.min)
        if index == 0:
            parts.append(f"{grade.label} {low} 分及以上")
        elif index == len(grades) - 1:
            parts.append(f"{grade.label} 低于 {figure_text(grades[index - 1].min)} 分")
        else:
            parts.append(f"{grade.label} {low}–{figure_text(grades[index - 1].min)} 分")
    return ";".join(parts)


def _over(setting: OverAchievement) -> str:
    if setting.threshold is None or setting.action is OverAchievementAction.none:
        return "不扣分"
    reached = f"达到指标值的 {_percent(setting.threshold)} 及以上时"
    if setting.action is OverAchievementAction.deduct:
        return f"{reached}扣减分值的 {_percent(setting.deduct)}"
    return f"{reached}得满分,须说明原因"


def _level_rows(policy: ScoringPolicy, national: ScoringPolicy) -> list[SettingRow]:
    """The 一级指标's 分值, each its own row; or one row where the policy leaves them free and
    fixes their sum (`weights.levels_total`, 四川: 绩效指标 90分)."""
    free = policy.weights.levels_total
    if free is not None:
        return [
            SettingRow(
                "一级指标分值",
                f"{'、'.join(policy.weights.levels)}各项不固定,合计 {figure_text(free)} 分",
                national.weights.levels_total != free,
            )
        ]
    return [
        SettingRow(f"{level}分值", f"{figure_text(w)} 分", national.weights.levels.get(level) != w)
        for level, w in policy.weights.levels.items()
    ]


def _rows(policy: ScoringPolicy, national: ScoringPolicy) -> list[SettingRow]:
    """Every setting of `policy`, each compared with the same setting of `national`."""
    rows = [
        SettingRow("满分", f"{figure_text(policy.total)} 分", policy.total != national.total),
        SettingRow(
            "预算执行率分值",
            f"{figure_text(policy.weights.execution)} 分",
            policy.weights.execution != national.weights.execution,
        ),
    ]
    rows += _level_rows(policy, national)
    rows.append(SettingRow("等次", _grades(policy.grades), policy.grades != national.grades))
    for key, title in BAND_TITLES:
        band = getattr(policy.qualitative_bands, key)
        rows.append(
            SettingRow(
                f"定性指标:{title}",
                f"分值的 {_band(band)}",
                band != getattr(national.qualitative_bands, key),
            )
        )
    rows += [
        SettingRow(
            "正向指标超额完成",
            _over(policy.over_achievement),
            _over(policy.over_achievement) != _over(national.over_achievement),
        ),
        SettingRow(
            "反向指标超标(指标值 A,实际值 B)",
            REVERSE_TEXT[policy.breached_reverse],
            policy.breached_reverse != national.breached_reverse,
        ),
        SettingRow(
            "不适用指标",
            "其余得分按满分折算" if policy.rescale_not_applicable else "不计分,总分不折算",
            policy.rescale_not_applicable != national.rescale_not_applicable,
        ),
        SettingRow(
            "指标值为“—”的指标",
            "按实际完成值的文字评定档次" if policy.dash_target_in_words else "视为不适用,不计分",
            policy.dash_target_in_words != national.dash_target_in_words,
        ),
        SettingRow(
            "执行率须说明原因",
            "无此要求"
            if policy.execution_reason_below is None
            else f"低于 {figure_text(policy.execution_reason_below)}% 时",
            policy.execution_reason_below != national.execution_reason_below,
        ),
    ]
    return rows


def scope_text(match: PolicyMatch | None) -> str:
    """The forms a policy scores, in words: 年度 2020;表样 湖北2020项目自评表;地区 湖北…
    (None: the default, which scores the forms no other policy matches)."""
    if match is None:
        return "其他规则都不适用的自评表"
    parts = []
    if match.year:
        parts.append("年度 " + "、".join(str(year) for year in match.year))
    if match.template:
        parts.append("表样 " + "、".join(TEMPLATE_TEXT.get(t, t) for t in match.template))
    if match.region:
        parts.append("地区 " + "、".join(f"{region}(含下辖地区)" for region in match.region))
    return ";".join(parts)


def policy_table(policy: SitePolicy, national: ScoringPolicy | None = None) -> PolicyTable:
    """The table of one policy of the site, compared with `national` (the national rules)."""
    rule = policy.rule
    national = national or ScoringPolicy()
    said = {row.label: row.value for row in _rows(national, national)}
    rows = [
        dataclasses.replace(row, national=said.get(row.label, "无此项")) if row.local else row
        for row in _rows(policy.policy, national)
    ]
    return PolicyTable(
        name=policy.name,
        anchor=policy.anchor,
        scope=scope_text(rule.match if rule else None),
        note=rule.note if rule else "",
        rows=tuple(rows),
    )


def policy_tables(config: SiteConfig) -> list[PolicyTable]:
    """The table of every policy of the site: `scoring:` first, then `policies:` in order."""
    national = ScoringPolicy()
    policies = SitePolicies.of_config(config)
    tables = [policy_table(p, national) for p in policies.all]
    if not policies.rules:  # the only policy: it scores every form
        tables[0] = dataclasses.replace(tables[0], scope="本站全部自评表")
    return tables
