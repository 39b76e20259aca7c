"""Which policy scores a form: `scoring:` and the `policies:` of `content/site.yaml`.

A site that publishes several years, templates and regions uses several policies. `scoring:`
is the site's default (the national rules where it is silent); each item of `policies:`
(`policy.PolicyRule`) names the forms it matches by year, template family and region and the
settings where it departs from `scoring:`. The first item that matches a form scores it
(`policy_for`); a form none matches is scored by `scoring:`. Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import SiteConfig
from .findings import Finding, Severity, figures
from .policy import (
    DefaultWeights,
    PolicyMatch,
    PolicyRule,
    ScoringPolicy,
    TemplateFamily,
)

# The name the pages and `check --json` give the policy of `scoring:`.
DEFAULT_POLICY_NAME = "默认规则"
# The template family of a form that names none.
DEFAULT_TEMPLATE = TemplateFamily.central.value
# The keys of a `policies:` item that are settings of `ScoringPolicy` (the others say which
# forms it matches and why).
SETTINGS = tuple(name for name in PolicyRule.model_fields if name in ScoringPolicy.model_fields)


@dataclass(frozen=True)
class SitePolicy:
    """One policy of the site, ready to score: its `name`, its place (`index` 0 for `scoring:`,
    then 1, 2, … for the items of `policies:` in order), the `rule` as written (None for
    `scoring:`) and the whole `policy`, every setting filled in."""

    name: str
    index: int
    rule: PolicyRule | None
    policy: ScoringPolicy

    @property
    def anchor(self) -> str:
        """The id of its section on the methodology page: `policy-0`, `policy-1`, …"""
        return f"policy-{self.index}"


@dataclass(frozen=True)
class SitePolicies:
    """The site's policies: the default (`scoring:`) and the `policies:` items, in order."""

    default: SitePolicy
    rules: tuple[SitePolicy, ...] = ()

    @classmethod
    def of(cls, scoring: ScoringPolicy, rules: Sequence[PolicyRule] = ()) -> SitePolicies:
        """The policies of a site: `rules` each merged over `scoring` (see `merged`)."""
        return cls(
            SitePolicy(DEFAULT_POLICY_NAME, 0, None, scoring),
            tuple(
                SitePolicy(rule.name, index, rule, merged(scoring, rule))
                for index, rule in enumerate(rules, start=1)
            ),
        )

    @classmethod
    def of_config(cls, config: SiteConfig | None) -> SitePolicies:
        """The policies of site.yaml; the national rules alone when it is missing or unusable."""
        if config is None:
            return cls.of(ScoringPolicy())
        return cls.of(config.scoring, config.policies)

    @property
    def all(self) -> tuple[SitePolicy, ...]:
        """The default first, then each item of `policies:`."""
        return (self.default, *self.rules)

    @property
    def grade_labels(self) -> list[str]:
        """Every grade label of every policy once, the default's first, each in its order:
        a site may grade 优秀 and 优 side by side."""
        return list(dict.fromkeys(g.label for p in self.all for g in p.policy.grades))

    def named(self, name: str | None) -> SitePolicy:
        """The policy of this name; the default for None or a name the site does not have."""
        return next((p for p in self.all if p.name == name), self.default)


def merged(scoring: ScoringPolicy, rule: PolicyRule) -> ScoringPolicy:
    """`scoring` with the settings `rule` gives: each replaces that setting wholly, except
    `weights`, whose `execution`, `levels` and `levels_total` are taken one by one (a policy
    that gives only `weights.execution: 20` keeps the 一级指标 of `scoring`). Pure; raises nothing for a
    validated rule."""
    given = {name: getattr(rule, name) for name in SETTINGS if name in rule.model_fields_set}
    if rule.weights is not None:
        weights = rule.weights
        given["weights"] = DefaultWeights(
            execution=scoring.weights.execution if weights.execution is None else weights.execution,
            levels=scoring.weights.levels if weights.levels is None else weights.levels,
            levels_total=weights.levels_total
            if "levels_total" in weights.model_fields_set
            else scoring.weights.levels_total,
        )
    return ScoringPolicy.model_validate(dict(scoring) | given)


def matches(match: PolicyMatch, year: int, template: str, region: str) -> bool:
    """Whether a form of this year, template family and region (its `region` text, "" when it
    names none) is one that `match` names: every key given matches (a year or template equal
    to one listed, a region beginning with one listed)."""
    return (
        (not match.year or year in match.year)
        and (not match.template or template in match.template)
        and (not match.region or any(region.startswith(r) for r in match.region))
    )


def policy_for(
    site_policies: SitePolicies, year: int, template: str = DEFAULT_TEMPLATE, region: str = ""
) -> SitePolicy:
    """The policy that scores a form of this year, template family and region: the first item
    of `policies:` whose match names it, else the default (`scoring:`). Pure."""
    for candidate in site_policies.rules:
        assert candidate.rule is not None
        if matches(candidate.rule.match, year, template, region):
            return candidate
    return site_policies.default


def project_key(project: Any) -> tuple[int, str, str]:
    """(year, template family, region) of a form, as `policy_for` takes them: a form that names
    no template is `central`, one that names no region has region ""."""
    template = getattr(project, "template", None) or DEFAULT_TEMPLATE
    region = getattr(project, "region", None) or ""
    return project.year, str(getattr(template, "value", template)), str(region)


def policy_of_project(site_policies: SitePolicies, project: Any) -> SitePolicy:
    """The policy that scores this form (`policy_for` of its `project_key`)."""
    return policy_for(site_policies, *project_key(project))


def _covers(earlier: PolicyMatch, later: PolicyMatch) -> bool:
    """Whether every form `later` matches is matched by `earlier` already."""

    def within(mine: Iterable[Any], theirs: Iterable[Any], same: Any) -> bool:
        mine, theirs = tuple(mine), tuple(theirs)
        return not mine or (bool(theirs) and all(any(same(t, m) for m in mine) for t in theirs))

    return (
        within(earlier.year, later.year, lambda t, m: t == m)
        and within(earlier.template, later.template, lambda t, m: t == m)
        and within(earlier.region, later.region, lambda t, m: t.startswith(m))
    )


def policy_findings(rules: Sequence[PolicyRule]) -> list[Finding]:
    """The errors in `policies:` that its schema cannot see, each at its item's key: a name
    used twice (or the default's name), a match that names nothing (it would take every form
    from `scoring:`), a match no form can reach because an earlier item takes all its forms."""
    findings: list[Finding] = []
    first_named: dict[str, int] = {DEFAULT_POLICY_NAME: -1}
    for index, rule in enumerate(rules):
        earlier = first_named.setdefault(rule.name, index)
        if earlier != index:
            findings.append(
                Finding(
                    Severity.error,
                    "policy-duplicate-name",
                    ("policies", index, "name"),
                    f"policy name {rule.name!r} is already used"
                    + (f" by policies[{earlier}]" if earlier >= 0 else " by scoring:"),
                    "give each policy its own name: the pages name the policy that scored a form",
                    figures(name=rule.name),
                    message_zh=f"规则名称“{rule.name}”已被"
                    + (f" policies[{earlier}] " if earlier >= 0 else " scoring: ")
                    + "使用",
                )
            )
        findings.extend(_reach(rules, index))
    return findings


def _reach(rules: Sequence[PolicyRule], index: int) -> list[Finding]:
    """A finding when `rules[index]` can never be the first match of a form."""
    match = rules[index].match
    if not (match.year or match.template or match.region):
        message = "match names no year, template or region: it would score every form"
        hint = "name the forms it is for, or put these settings under scoring:"
        chinese = (
            "match 没有写明年度、表样或地区:这条规则会用于每一张自评表",
            "写明它适用的自评表,或把这些设置放到 scoring: 之下",
        )
    else:
        shadow = next((i for i in range(index) if _covers(rules[i].match, match)), None)
        if shadow is None:
            return []
        message = (
            f"policy {rules[index].name!r} can never apply: policies[{shadow}] "
            f"({rules[shadow].name!r}) comes first and matches every form it matches"
        )
        hint = "the first policy that matches a form scores it: move this one above, or narrow the earlier one"
        chinese = (
            f"规则“{rules[index].name}”不会被使用:排在前面的 policies[{shadow}]"
            f"(“{rules[shadow].name}”)已适用于它所适用的全部自评表",
            "按第一条适用的规则计分:把这一条移到前面,或缩小前一条的适用范围",
        )
    return [
        Finding(
            Severity.error,
            "policy-never-applies",
            ("policies", index, "match"),
            message,
            hint,
            figures(name=rules[index].name),
            *chinese,
        )
    ]
