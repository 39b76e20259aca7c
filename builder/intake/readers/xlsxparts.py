"""What a workbook's sheet parts say beyond the cells' values, read once as XML.

openpyxl's `read_only` mode reads values and number formats quickly but does not give merged
ranges, hidden rows and columns, or which formula cells have no saved value; its full mode
gives the first two but spends most of a form's reading time laying borders over every merged
cell (measured: 148 of 160 ms a workbook, docs/performance.md). So each worksheet part is read
here, once, with the standard library's `iterparse`, for exactly those facts (`SheetFacts`),
as openpyxl's full mode would have read them; the cells' values come from openpyxl.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from ...workbook.marks import is_weights_check

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL, _ROW, _COL = f"{{{_MAIN}}}c", f"{{{_MAIN}}}row", f"{{{_MAIN}}}col"
_MERGE, _FORMULA, _VALUE = f"{{{_MAIN}}}mergeCell", f"{{{_MAIN}}}f", f"{{{_MAIN}}}v"


@dataclass
class SheetFacts:
    """One worksheet's facts: `formulas`, the formula cells without a saved value by (row,
    column), each with its formula ("=…"; "" for a cell sharing another cell's formula);
    `merged`, the merged ranges as (min_row, min_col, max_row, max_col); `hidden_rows`, the
    hidden rows' numbers in order; `hidden_columns`, (first, last) column of each hidden
    `<col>` run, in the order openpyxl's `column_dimensions` sorts them (by the first
    column's letters); `own_checks`, the cells of jixiao's template's weights check
    (`workbook.marks`), saved value or not."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    own_checks: set[tuple[int, int]] = field(default_factory=set)


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """The package part of each worksheet, by sheet title (from xl/workbook.xml and its
    relationships). Raises KeyError or ElementTree.ParseError for a damaged package."""
    relations = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in relations.iter(f"{{{_PACKAGE_RELS}}}Relationship")
    }
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    names = set(package.namelist())
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_RELS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in names and "worksheets/" in part:
            parts[sheet.get("name", "")] = part
    return parts


def sheet_facts(package: zipfile.ZipFile, part: str) -> SheetFacts:
    """The facts of the worksheet `part` of `package` (see SheetFacts), in one pass over its
    XML. Raises ElementTree.ParseError or ValueError for a damaged part."""
    from openpyxl.utils.cell import range_boundaries

    facts = SheetFacts()
    columns: dict[str, tuple[int, int]] = {}
    row = 0
    with package.open(part) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _ROW:
                    row = int(element.get("r")) if element.get("r") else row + 1
                    if _hidden(element):
                        facts.hidden_rows.append(row)
                continue
            if tag == _CELL:
                formula = element.find(_FORMULA)
                if formula is not None:
                    _formula(facts, element, formula.text or "")
                element.clear()
            elif tag == _MERGE and element.get("ref"):
                first_col, first_row, last_col, last_row = range_boundaries(element.get("ref"))
                facts.merged.append((first_row, first_col, last_row, last_col))
            elif tag == _COL:
                _column(element, columns)
            elif tag == _ROW:
                element.clear()
    facts.hidden_rows = sorted(set(facts.hidden_rows))
    facts.hidden_columns = [columns[letters] for letters in sorted(columns)]
    return facts


def _formula(facts: SheetFacts, cell: ElementTree.Element, text: str) -> None:
    """A formula cell into `facts`: the template's own check, or one without a saved value."""
    from openpyxl.utils.cell import coordinate_to_tuple

    position = coordinate_to_tuple(cell.get("r", "A1"))
    if is_weights_check(text):
        facts.own_checks.add(position)
    elif not _has_value(cell):
        facts.formulas[position] = f"={text}" if text else ""


def _column(element: ElementTree.Element, columns: dict[str, tuple[int, int]]) -> None:
    """A `<col min max hidden>` run into `columns` (by its first column's letters, a later
    run of the same first column replacing it, as openpyxl keys them), hidden ones only."""
    from openpyxl.utils import get_column_letter

    first = int(element.get("min", "0"))
    letters = get_column_letter(first)
    columns.pop(letters, None)
    if _hidden(element):
        columns[letters] = (first, max(first, int(element.get("max") or first)))


def _hidden(element: ElementTree.Element) -> bool:
    """openpyxl's reading of a `hidden` attribute: absent, "", "0", "f" or "false" is not."""
    return element.get("hidden", "") not in ("", "0", "f", "false")


def _has_value(cell: ElementTree.Element) -> bool:
    """Whether a cell element holds a saved value: a `<v>` with text, or an empty one in a
    cell of string type (a formula whose result is "")."""
    value = cell.find(_VALUE)
    if value is None:
        return False
    return bool(value.text) or cell.get("t") in {"str", "s", "inlineStr"}
