"""A form's own words: where it prints other words than its family's over a column, before the
unit in its heading or over a block of text, the project file says them (`labels:`,
`form.labels.PrintedLabels`), so that the page and the PDF print the form's words again.

The readers of each part keep the cell of the words they found a column or block by
(`FormSheet.word`); once the family is known, each is compared with the words that family
prints there (`layout_words.labelled_words`, the table the PDF and the workbook print from), whatever
the spaces and line breaks a cell's width put in them and the colon after them. The words that
differ are written as printed (a full-width 「（A）」 too); the family's words are not written
(the file stays as a hand-typed one would be).
"""

from __future__ import annotations

import re

from ...layout_words import labelled_words
from ...layouts import LAYOUTS
from .sheet import FormSheet

_SPACES = re.compile(r"\s+")


def put_labels(sheet: FormSheet, kinds: tuple[str, ...]) -> None:
    """`labels:` of the form read into `sheet`: each printed word that is not its family's
    (`template`, central when none was found); `kinds` are the indicator table's columns (a
    split 指标性质/度量单位 puts the 指标值 under the group's heading)."""
    family = sheet.data.get("template", "central")
    if family not in LAYOUTS:
        return  # a family the form names that jixiao does not know: the file says so
    grouped = "nature" in kinds or "unit" in kinds
    expected = labelled_words(family, grouped)
    groups = {c.group for c in LAYOUTS[family].indicators if c.group}
    for name, cell in sheet.words.items():
        printed = _printed(cell.text)
        if not printed or name not in expected:
            continue
        if printed == expected[name] or (name == "target" and grouped and printed in groups):
            continue
        sheet.put(("labels", name), printed, cell)


def _printed(text: str) -> str:
    """A header's words as printed, without the line breaks and spaces a cell's width put in
    them (「执行率(B/\nA)」) and without the colon after them; full-width and half-width
    spellings are kept apart (「单位（盖章）」 is the form's own words)."""
    return _SPACES.sub("", text).rstrip(":：")
