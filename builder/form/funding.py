"""The funding table (项目资金) as printed: rows by key or as a list, read as one list.

Old files write the five rows of the central template by key (`total`, `fiscal`, `local`,
`superior`, `other`); a form of another layout writes `rows`, a list of named rows one of which
is the total. Read, both are `Funding.rows`, each amount a `money.Money` in the table's unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, PrivateAttr, model_validator

from ..rules.findings import Finding, Severity
from .fields import range_problem
from .money import YUAN_PLACES, Money
from .strict import PointsOrDash, RateOrDash, ShortText, Strict, Text, figure_of
from .values import MAX_INTEGER_DIGITS

AmountUnit = Literal["元", "万元"]


class FundingRow(Strict):
    """One row of the funding table under its own key (total, fiscal, …): three amounts in
    the table's `amount_unit`."""

    initial: Money | None = Field(
        None, title="年初预算数", description="Budget at the start of the year; absent if blank."
    )
    budget: Money = Field(title="全年预算数(A)", description="Full-year (adjusted) budget.")
    executed: Money = Field(title="全年执行数(B)", description="Amount executed in the year.")
    dump_if_given = frozenset({"initial"})


class FundingLine(Strict):
    """One row of the funding table as printed (`funding.rows`): its name, its amounts in the
    table's `amount_unit` (absent: a blank cell) and its own 分值/执行率/得分 where printed: a
    number, or a dash as printed (`—`, `-`, `/`: kept as its text, shown so, never 0)."""

    name: ShortText = Field(min_length=1, title="资金来源", description="e.g. 其中:当年财政拨款.")
    total: bool = Field(False, title="总额行", description="true for the 年度资金总额 row (one).")
    initial: Money | None = Field(None, title="年初预算数", description="Budget at the start.")
    budget: Money | None = Field(
        None, title="全年预算数(A)", description="Full-year (adjusted, 调整后) budget."
    )
    executed: Money | None = Field(None, title="全年执行数(B)", description="Amount executed.")
    weight: PointsOrDash | None = Field(
        None, title="分值", description="The row's own 分值, or a dash as printed."
    )
    rate: RateOrDash | None = Field(
        None, title="执行率", description="The row's own 执行率, in %, or a dash as printed."
    )
    score: PointsOrDash | None = Field(
        None, title="得分", description="The row's own 得分, or a dash as printed."
    )
    dump_if_given = frozenset({"total", "initial", "budget", "executed", "weight", "rate", "score"})
    # The older key the row was written under (total, fiscal, local, superior, other); "" for
    # a row of `funding.rows`.
    _key: str = PrivateAttr("")

    @property
    def key(self) -> str:
        """The older key the row was written under (`total`, `fiscal`, …), "" for `rows`."""
        return self._key

    def figure(self, name: str) -> Decimal | None:
        """The row's own `weight`, `rate` (%) or `score` as a number; None for a blank cell or
        a dash (`strict.figure_of`)."""
        value: Decimal | str | None = getattr(self, name)
        return figure_of(value)


# The older keys of the funding table: (key, 资金来源 as printed on the central template).
FUNDING_KEYS = (
    ("total", "年度资金总额"),
    ("fiscal", "财政拨款"),
    ("local", "本级安排"),
    ("superior", "上级补助"),
    ("other", "其他资金"),
)


class Funding(Strict):
    """项目资金: the funding table as printed. Either the rows by key (`total`, `fiscal`, `local`,
    `superior`, `other`) or `rows`, a list of named rows one of which is the total; read, both
    become `rows` (`FundingLine`), in the table's `amount_unit`."""

    amount_unit: AmountUnit = Field(
        "元", title="金额单位", description="The unit the table prints its amounts in: 元 or 万元."
    )
    rows: list[FundingLine] = Field(
        default_factory=list,
        title="资金来源行",
        description="The rows as printed, in order; exactly one with total: true.",
    )
    total: FundingRow | None = Field(
        None, title="年度资金总额", description="The 年度资金总额 row."
    )
    fiscal: FundingRow | None = Field(None, title="财政拨款", description="财政拨款.")
    local: FundingRow | None = Field(
        None, title="本级安排", description="财政拨款 of which 本级安排."
    )
    superior: FundingRow | None = Field(
        None, title="上级补助", description="财政拨款 of which 上级补助."
    )
    other: FundingRow | None = Field(None, title="其他资金", description="其他 (non-fiscal) funds.")
    reason: Text = Field(
        "",
        title="执行率说明",
        description="Why the execution rate is low, where a reason is required.",
    )
    dump_if_given = frozenset({"amount_unit", "rows"})

    @model_validator(mode="after")
    def _as_rows(self) -> Funding:
        """`rows` in one shape whichever way the file wrote them, each amount in the unit."""
        if self.by_key:
            lines = []
            for key, name in FUNDING_KEYS:
                row = getattr(self, key)
                if row is not None:
                    line = FundingLine(
                        name=name,
                        total=key == "total",
                        initial=row.initial,
                        budget=row.budget,
                        executed=row.executed,
                    )
                    line._key = key
                    lines.append(line)
        else:
            lines = list(self.rows)
        unit = self.amount_unit
        object.__setattr__(self, "rows", [_in_unit(line, unit) for line in lines])
        return self

    @property
    def by_key(self) -> bool:
        """True when the file writes the rows by key (total, fiscal, …), not as `rows`."""
        return "rows" not in self.model_fields_set

    @property
    def total_row(self) -> FundingLine | None:
        """The 年度资金总额 row (the first marked total), None when the table has none."""
        return next((row for row in self.rows if row.total), None)

    def total_yuan(self, column: str) -> Decimal | None:
        """The 年度资金总额 row's amount in `column` (initial, budget or executed), in 元;
        None for a blank cell, a dash, or a table without that row."""
        row = self.total_row
        money = getattr(row, column) if row is not None else None
        return money.yuan if money is not None else None

    @property
    def total_path(self) -> tuple[str | int, ...]:
        """Where the 年度资金总额 row is written: ("funding", "total"), ("funding", "rows", i),
        or ("funding",) when the table has none."""
        index = next((i for i, row in enumerate(self.rows) if row.total), None)
        return ("funding",) if index is None else self.path_of(index)

    def path_of(self, index: int) -> tuple[str | int, ...]:
        """Where the row `rows[index]` is written in the file: ("funding", "total") for a row
        by key, ("funding", "rows", index) for one of the list."""
        key = self.rows[index].key
        return ("funding", key) if key else ("funding", "rows", index)

    def _left_out(self) -> set[str]:
        left = super()._left_out()
        if not self.by_key:  # the list spelling: the older keys it does not use
            left.update(key for key, _ in FUNDING_KEYS if getattr(self, key) is None)
        return left


def _in_unit(line: FundingLine, unit: str) -> FundingLine:
    """The row with each of its amounts read in `unit`, its key kept."""
    update = {
        name: getattr(line, name).in_unit(unit)
        for name in ("initial", "budget", "executed")
        if getattr(line, name) is not None
    }
    if all(getattr(line, name).unit == unit for name in update):
        return line
    copy = line.model_copy(update=update)
    copy._key = line.key
    return copy


def funding_problems(funding: Funding, may_be_empty: bool) -> list[Finding]:
    """What makes a funding table unreadable, as errors located in the file: both spellings at
    once, a list without exactly one total row, no rows at all (unless `may_be_empty`: the
    source cut the table off), an amount in 元 finer than the 分. [] for a readable table."""
    out: list[Finding] = []
    if not funding.by_key and any(getattr(funding, key) is not None for key, _ in FUNDING_KEYS):
        out.append(
            Finding(
                Severity.error,
                "funding-two-spellings",
                ("funding", "rows"),
                "the funding table is written both as rows and by key (total, fiscal, …)",
                "write one of the two: rows (a list) or the keys total, fiscal, local, …",
            )
        )
    totals = [i for i, row in enumerate(funding.rows) if row.total]
    if not funding.rows and not may_be_empty:
        out.append(
            Finding(
                Severity.error,
                "schema-missing",
                ("funding",),
                "this field is required but missing",
                "项目资金: write the funding table, or list funding in partial.missing",
                message_zh="缺少项目资金表",
                hint_zh="填写项目资金表,或在 partial.missing 中列出 funding",
            )
        )
    elif funding.rows and len(totals) != 1:
        where = ("funding", "rows", totals[1], "total") if totals else ("funding", "rows")
        out.append(
            Finding(
                Severity.error,
                "funding-total-row",
                where,
                f"{len(totals)} rows are marked total: true, the table has one 年度资金总额 row",
                "mark the 年度资金总额 row (only it) with total: true",
                message_zh=f"有 {len(totals)} 行标为 total: true,表中应只有一行年度资金总额",
            )
        )
    for index, row in enumerate(funding.rows):
        for name in ("initial", "budget", "executed"):
            money = getattr(row, name)
            problem = money.places_problem() if money is not None else ""
            if problem:
                out.append(
                    Finding(
                        Severity.error,
                        "schema-number-out-of-range",
                        (*funding.path_of(index), name),
                        f"{money.printed} {problem}",
                        f"at most {MAX_INTEGER_DIGITS} digits before the decimal point and "
                        f"{YUAN_PLACES} after it (or set amount_unit: 万元)",
                        message_zh=f"{money.printed} {range_problem(problem)}",
                        hint_zh=f"小数点前最多 {MAX_INTEGER_DIGITS} 位,小数点后最多 {YUAN_PLACES} 位"
                        "(或设 amount_unit: 万元)",
                    )
                )
    return out
