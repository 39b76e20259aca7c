"""`jixiao template --xlsx`: the blank official form as a workbook for staff to fill in.

Sheet 自评表: the blank form of the family (`blank.py`), merged as printed, with lists to pick
from (the amount unit 元/万元, the operators and 定量/定性 of a split 指标性质 column, common
units of measure, the grades of the active policy), checks on the figures (amounts at least 0
or a dash, as the prompt asks; 分值 and 得分 from 0 to the full mark; a date for 填报日期) and,
beside the 总分 row and
outside the printed area, a formula that says whether the 分值 add up to the policy's full
mark. Sheet 填表说明: the fill-in rules of the policy that scores forms of that year and family
(site.yaml's `scoring:` and `policies:`, as the methodology page states them).

The same arguments and site.yaml give the same bytes.
"""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from ..rules.findings import plain
from ..rules.policies import SitePolicies, SitePolicy, matches
from ..site.methodology import TEMPLATE_TEXT, policy_table
from . import layout
from .blank import blank_grid
from .grid import Area, Grid, GridBuilder, Role
from .marks import RULES_FIRST, RULES_HEADING, RULES_SHEET, WEIGHTS_CHECK_BLANK
from .xlsx import Book, column_width, write_grid

SHEET = "自评表"
OPERATORS = ("≥", "≤", "=", ">", "<", "定量", "定性")
MEASURE_UNITS = (
    "%", "个", "人", "人次", "户", "家", "所", "项", "次", "件", "台", "套", "座", "辆",
    "册", "万册", "元", "万元", "元/人", "天", "月", "年", "小时", "平方米", "万平方米",
    "公里", "米", "亩", "吨",
)  # fmt: skip
AMOUNT_UNITS = ("元", "万元")


def template_policy(policies: SitePolicies, family: str, year: int | None) -> SitePolicy:
    """The policy that scores a form of `family` and `year` (`policies.policy_for`); without
    a year, the first item of `policies:` that names no year and no region and matches the
    family, else `scoring:`."""
    for candidate in policies.rules:
        match = candidate.rule.match if candidate.rule else None
        if match is None or match.region or (year is None and match.year):
            continue
        if matches(match, year or 0, family, ""):
            return candidate
    return policies.default


def _range(area: Area) -> str:
    first = xl_rowcol_to_cell(area.first_row, area.first_column)
    last = xl_rowcol_to_cell(area.last_row, area.last_column)
    return first if first == last else f"{first}:{last}"


def _prompted(prompt: str, **check: object) -> dict[str, object]:
    """A data validation's options (XlsxWriter's): `check`, blank cells allowed, `prompt`
    shown when the cell is chosen."""
    return {
        "ignore_blank": True,
        "input_title": "填写提示",
        "input_message": prompt,
        "show_input": True,
        **check,
    }


def _list(options: tuple[str, ...], strict: bool, prompt: str) -> dict[str, object]:
    return _prompted(
        prompt,
        validate="list",
        source=list(options),
        error_type="stop" if strict else "information",
        show_error=True,
        error_message="请从列表中选择" + ("" if strict else ",或照表上原样填写"),
        error_title="填写提示",
    )


def _decimal(low: str, high: str | None, prompt: str) -> dict[str, object]:
    bounds = (
        {"criteria": "between", "minimum": low, "maximum": high}
        if high is not None
        else {"criteria": ">=", "value": low}
    )
    return _prompted(
        prompt,
        validate="decimal",
        error_type="warning",
        show_error=True,
        error_message=prompt,
        error_title="请核对",
        **bounds,
    )


def _validations(
    grid: Grid, policy: SitePolicy, family: str
) -> list[tuple[dict[str, object], str]]:
    total = plain(policy.policy.total)
    grades = tuple(grade.label for grade in policy.policy.grades)
    wanted: list[tuple[str, dict[str, object]]] = [
        (
            "amount-unit",
            _list(tuple(f"项目资金({u})" for u in AMOUNT_UNITS), True, "选择金额单位:元或万元"),
        ),
        ("amounts", _amounts("金额照表上原样填写,不小于 0;没有金额填 —")),
        ("execution", _decimal("0", total, f"分值、执行率(%)和得分,0 至 {total}")),
        ("weight", _decimal("0", total, f"分值,0 至 {total}")),
        ("score", _decimal("0", total, f"得分,0 至 {total}")),
        ("total", _decimal("0", total, f"总分,0 至 {total}")),
        ("nature", _list(OPERATORS, True, "选择比较符号(≥ ≤ = > <),或 定量 / 定性")),
        ("unit", _list(MEASURE_UNITS, False, "度量单位,如 %、人次、万元;列表中没有的照原样填写")),
        ("grade", _list(grades, True, "选择自评等次:" + "、".join(grades))),
    ]
    target = "年度指标值:比较符号和数值,如 ≥95%、≤3.5万元/座、=100%;定性指标写文字"
    if "nature" not in layout.blank_sheet(family).columns:
        wanted.append(("target", _prompted(target, validate="any", show_error=False)))
    date = _prompted(
        "填报日期,如 2024/3/20",
        validate="date",
        criteria=">",
        value=36526,  # 2000-01-01
        error_type="warning",
        show_error=True,
        error_message="填报日期请填日期,如 2024/3/20",
    )
    wanted.append(("date", date))
    out = []
    for name, check in wanted:
        area = grid.area(name)
        if area is not None:
            first = xl_rowcol_to_cell(area.first_row, area.first_column)
            out.append(({k: _at(v, first) for k, v in check.items()}, _range(area)))
    return out


# The first cell of a check's range, in a custom check's formula (relative to each cell).
FIRST = "{first}"
DASHES = ("—", "-", "/")


def _at(value: object, first: str) -> object:
    return value.replace(FIRST, first) if isinstance(value, str) else value


def _amounts(prompt: str) -> dict[str, object]:
    """An amount at least 0, or a dash (—, -, /) as the prompt tells staff to type where
    there is no amount: a custom check, since a decimal check refuses text."""
    dashes = ",".join(f'{FIRST}="{dash}"' for dash in DASHES)
    return _prompted(
        prompt,
        validate="custom",
        value=f"=OR(AND(ISNUMBER({FIRST}),{FIRST}>=0),{dashes})",
        error_type="warning",
        show_error=True,
        error_message=prompt,
        error_title="请核对",
    )


def weights_check(grid: Grid, total: str) -> tuple[str, str, str] | None:
    """(cell, formula, its value on the form as it is) that says whether the 分值 (execution
    row and indicator rows) add up to `total`; None for a form without a 分值 column. The
    value is the formula's, worked out from the figures the grid prints in those cells."""
    weights, execution, row = grid.area("weight"), grid.area("execution-weight"), grid.area("total")
    if weights is None or row is None:
        return None
    areas = [area for area in (execution, weights) if area is not None]
    cells = ",".join(_range(area) for area in areas)
    formula = (
        f'=IF(COUNT({cells})=0,"{WEIGHTS_CHECK_BLANK}",'
        f'IF(SUM({cells})={total},"分值合计正确({total}分)",'
        f'"分值合计应为{total}分,现为"&SUM({cells})&"分"))'
    )
    figures = [
        cell.number
        for cell in grid.cells
        if cell.number is not None and any(_inside(cell.row, cell.column, a) for a in areas)
    ]
    added = sum(figures, Decimal(0))
    if not figures:
        value = WEIGHTS_CHECK_BLANK
    elif added == Decimal(total):
        value = f"分值合计正确({total}分)"
    else:
        value = f"分值合计应为{total}分,现为{plain(added)}分"
    return xl_rowcol_to_cell(row.first_row, grid.columns), formula, value


def _inside(row: int, column: int, area: Area) -> bool:
    return (
        area.first_row <= row <= area.last_row and area.first_column <= column <= area.last_column
    )


def rules_grid(family: str, policy: SitePolicy, year: int | None) -> Grid:
    """The 填表说明 sheet: the family, the year, the policy's settings as the methodology page
    states them (地方规则 where they depart from the national rules), then how to fill in."""
    table = policy_table(policy)
    rows = [
        (RULES_FIRST, TEMPLATE_TEXT.get(family, family)),
        ("年度", f"{year}年度" if year else "未指定(在表头填写年度)"),
        ("评分规则", table.name + (f":{table.note}" if table.note else "")),
        *((row.label, row.value + ("(地方规则)" if row.local else "")) for row in table.rows),
        *FILL_IN,
    ]
    b = GridBuilder((24.0, 76.0))
    for index, (label, text) in enumerate([RULES_HEADING, *rows]):
        b.mark_table()
        b.put(0, label, Role.label, left=index > 0)
        b.put(1, text, Role.label if index == 0 else Role.value, left=index > 0)
        b.next_row()
    return b.grid()


FILL_IN = (
    ("金额", "在“项目资金”格中选择金额单位(元或万元);金额照实填写,小数位照原样,不要四舍五入;没有金额的格填 —。"),
    ("年度指标值、实际完成值", "照表上文字填写,如 ≥95%、≤3.5万元/座、=100%、12月底前;定性指标的完成值写 达成年度指标、部分达成年度指标并具有一定效果 或 未达成年度指标且效果较差。"),
    ("核心指标", "核心指标在三级指标名称前加 ★。"),
    ("「其中」行", "「其中:…」行写在所属指标的下一行,只填指标值和完成值,不填分值和得分。"),
    ("未用的指标行", "没有用到的“指标1:”“指标2:”行可以留空,也可以删除;需要更多行时在同一二级指标内插入行。"),
    ("未完成原因分析", "未完成年度指标的,在“未完成原因分析”中说明原因。"),
    ("分值合计", "自评表右侧(打印范围以外)的公式核对分值合计是否等于满分。"),
    ("导入", "填好后保存为 .xlsx,用 jixiao import 文件名.xlsx 导入。"),
)  # fmt: skip


def template_bytes(family: str, year: int | None, policy: SitePolicy) -> bytes:
    """The blank form of `family` for `year` scored by `policy`, as .xlsx bytes."""
    amount_unit = "元" if family == "central" else "万元"
    grid = blank_grid(family, year, policy.policy, amount_unit)
    book = Book(f"{layout.TITLE}({TEMPLATE_TEXT.get(family, family)})", "jixiao", None)
    ws = book.sheet(SHEET)
    date = grid.area("date")
    dated = {(date.first_row, date.first_column): "yyyy/mm/dd"} if date is not None else {}
    write_grid(book, ws, grid, number_formats=dated)
    for check, cells in _validations(grid, policy, family):
        if ws.data_validation(cells, check) != 0:
            raise ValueError(f"data validation refused at {cells}: {check}")
    if "weight" in layout.blank_sheet(family).columns:
        found = weights_check(grid, plain(policy.policy.total))
        if found is not None:
            cell, formula, value = found
            row, column = xl_cell_to_rowcol(cell)
            ws.write_formula(row, column, formula, None, value)
            column_width(ws, column, column, 30)
    write_grid(book, book.sheet(RULES_SHEET), rules_grid(family, policy, year))
    return book.bytes()
