"""The head and foot of a form: 项目名称, 主管部门及代码, 实施单位, 单位(盖章), 填报日期, the
year, 联系人 and the people with their phones, 项目编码 / 单位编码, the category boxes.

Labels are found by their words wherever a row prints them: alone in a cell (the value is the
next cell of the row) or with their value after a colon (「联系人:章桃」), several in one cell
(「项目负责人:张立新 电话:0558-6512001」).
"""

from __future__ import annotations

import datetime as dt
import re

from ...form.model import TEMPLATE_LABELS
from ..grid import Cell, Place
from .sheet import FormSheet
from .split import is_title, tokens
from .words import key

FIELDS = {
    "项目名称": "name",
    "主管部门及代码": "department",
    "主管部门及编码": "department",
    "主管部门": "department",
    "实施单位": "unit",
    "项目实施单位": "unit",
    "单位(盖章)": "stamp",
    "单位名称": "stamp",
    "填报单位": "stamp",
    "部门": "stamp",
    "填报日期": "filled_on",
    "联系人": "contact",
    "项目编码": "code",
    "单位编码": "unit_code",
    "地区": "region",
    "表样": "template",
    "项目负责人": "person",
    "财务负责人": "person",
    "单位负责人": "person",
    "填报人": "person",
    "电话": "phone",
    "联系电话": "phone",
}
CATEGORIES = ("项目类别", "项目属性", "项目类型")
# The header's fields whose printed words are a `labels:` key (`layouts.header_words`).
_HEAD_WORDS = {"department": "department", "unit": "implementing_unit"}
_PAIR = re.compile(
    "("
    + "|".join(sorted((re.escape(label) for label in FIELDS), key=len, reverse=True))
    + r"|单位（盖章）)\s*[:：]"
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年度")
_YEAR_LINE = re.compile(r"^[(（]?\s*20\d\d\s*年度\s*[)）]?$")  # 「(2023年度)」 under a title
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_CODE = re.compile(r"^[\[【〔(（]\s*([0-9A-Za-z]+)\s*[\]】〕)）]\s*(.*)$")


def _pairs(cell: Cell) -> list[tuple[str, str, str]]:
    """(field, value, label as printed) for each 「label:value」 the cell prints, [] when it
    prints none at its start."""
    found = list(_PAIR.finditer(cell.text))
    if not found or cell.text[: found[0].start()].strip():
        return []
    out = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(cell.text)
        value = cell.text[match.end() : end].strip()
        out.append((FIELDS[key(match.group(1))], value, match.group(1)))
    return out


def label_of(cell: Cell) -> str:
    """The field a cell that is only a label names ("" for any other cell)."""
    return FIELDS.get(key(cell.text), "")


def read_header(sheet: FormSheet, rows: list[tuple[Cell, ...]]) -> dict[str, tuple[str, Cell]]:
    """Every labelled value of the head and foot rows: field -> (text as printed, its cell);
    the first of each kind wins; people are collected in `sheet` directly."""
    found: dict[str, tuple[str, Cell]] = {}
    for row in rows:
        cells = tokens(row)
        for index, cell in enumerate(cells):
            for field, value, label in _pairs(cell):
                if field == "stamp":  # the words before the unit: the form's own (部门)?
                    sheet.word("unit", Cell(label, cell.place))
                elif field in _HEAD_WORDS:  # 主管部门 / 项目实施单位: the form's own words?
                    sheet.word(_HEAD_WORDS[field], Cell(label, cell.place), last=True)
                if value:
                    _take(sheet, found, field, value, cell)
            field = label_of(cell)
            if not field:
                continue
            if field == "stamp":
                sheet.word("unit", cell)
            elif field in _HEAD_WORDS:
                sheet.word(_HEAD_WORDS[field], cell, last=True)
            after = cells[index + 1] if index + 1 < len(cells) else None
            value = "" if after is None or label_of(after) or _pairs(after) else after.text
            _take(sheet, found, field, value, after if value and after else cell)
    return found


def _take(
    sheet: FormSheet, found: dict[str, tuple[str, Cell]], field: str, value: str, cell: Cell
) -> None:
    if field == "person":
        role = next((k for k in FIELDS if FIELDS[k] == "person" and cell.text.find(k) >= 0), "")
        person: dict[str, str] = {"role": role} if role else {}
        if value:
            person["name"] = value
        sheet.data.setdefault("people", []).append(person)
        sheet.place(("people", len(sheet.data["people"]) - 1), cell)
    elif field == "phone":
        people = sheet.data.get("people")
        if people and value and "phone" not in people[-1]:
            people[-1]["phone"] = value
    elif field not in found:
        found[field] = (value, cell)


def year_of(rows: list[tuple[Cell, ...]]) -> tuple[int, Cell, int | None] | None:
    """The year the form prints above its table, with its cell and, when the text above the
    table says another year too and the form's own heading does not settle it, that other year
    (else None); None when no year is printed.

    The form's own year is the one in its title (「2023年度项目支出绩效自评表」) or on the line
    after it (「(2023年度)」, as the template prints it); without one, the year nearest the
    table wins: a report around the form may name other years first (「2019年度部门整体支出
    绩效自评报告」)."""
    found: list[tuple[int, Cell, bool]] = []
    titled = False
    for row in rows:
        if any(key(cell.text).startswith("项目名称") for cell in row):
            break
        title = is_title(row)
        for cell in row:
            match = _YEAR.search(cell.text)
            if match:
                own = title or (titled and bool(_YEAR_LINE.match(cell.text.strip())))
                found.append((int(match.group(1)), cell, own))
        titled = title
    if not found:
        return None
    own = [item for item in found if item[2]]
    year, cell, _ = (own or found)[-1]
    settled = bool(own) and len({item[0] for item in own}) == 1
    others = [item[0] for item in found if item[0] != year]
    return year, cell, None if settled or not others else others[-1]


def date_of(text: str) -> dt.date | None:
    """填报日期 as printed (2023/12/25, 2023-12-25, 2023年12月25日), None if not a date."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def department_of(text: str) -> dict[str, str]:
    """主管部门及代码 as printed: 「[502]六盘水市人力资源和社会保障局」 -> code and name."""
    match = _CODE.match(text.strip())
    if match:
        out = {"code": match.group(1)}
        if match.group(2).strip():
            out["name"] = match.group(2).strip()
        return out
    return {"name": text.strip()} if text.strip() else {}


def put_header(sheet: FormSheet, found: dict[str, tuple[str, Cell]], origin: Place) -> None:
    """The header fields into the draft: name, department, unit, date, contact, codes."""
    for field in ("name", "contact", "code", "unit_code", "region"):
        if field in found and found[field][0]:
            sheet.put((field,), found[field][0], found[field][1])
    if found.get("template", ("",))[0]:
        _put_template(sheet, *found["template"])
    if "department" in found:
        text, cell = found["department"]
        for part, value in department_of(text).items():
            sheet.put(("department", part), value, cell)
    unit = found.get("unit") or ("", None)
    if unit[0]:
        sheet.put(("unit",), unit[0], unit[1])
        stamp, cell = found.get("stamp") or ("", None)
        if stamp and key(stamp) != key(unit[0]):  # the heading names another unit (湖北)
            sheet.put(("filing_unit",), stamp, cell)
    elif found.get("stamp", ("",))[0]:
        text, cell = found["stamp"]
        sheet.put(("unit",), text, cell)
        sheet.note(
            "column-guess",
            cell,
            f"表中没有实施单位,取表头的「{text}」为实施单位,请核对",
            f"the form prints no 实施单位; the unit at its head, {text}, is taken as the unit",
            ("核对实施单位,不对时改 unit", "check the 实施单位; change unit if it is not"),
        )
    else:
        sheet.note("no-unit", origin, "表中没有实施单位,请补填", "the form prints no 实施单位")
    if "filled_on" in found and found["filled_on"][0]:
        text, cell = found["filled_on"]
        date = date_of(text)
        if date is None:
            sheet.note(
                "unreadable-cell",
                cell,
                f"填报日期「{text}」不是日期,未导入",
                f"填报日期 {text!r} is no date: left out",
            )
        else:
            sheet.put(("filled_on",), date, cell)


def _put_template(sheet: FormSheet, text: str, cell: Cell) -> None:
    """A 表样 the form prints: its family's key, whether it prints the key (sichuan) or the
    family's name for people (财预〔2020〕10号模板, `form.model.TEMPLATE_LABELS`); any other
    words are no family: left to the columns (`family.detect`), a review item."""
    keys = {key(label): name for name, label in TEMPLATE_LABELS.items()}
    family = text.strip() if text.strip() in TEMPLATE_LABELS else keys.get(key(text))
    if family is not None:
        sheet.put(("template",), family, cell)
        return
    sheet.note(
        "template-guess",
        cell,
        f"表样「{text}」不是已知的表样,按表的列判断",
        f"the 表样 {text!r} names no known layout family: told by the form's columns",
    )
