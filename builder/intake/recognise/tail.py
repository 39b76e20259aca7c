"""The end of a form: its 备注 or 注 as printed, and whether the source cut the form off.

A form the file ends inside (no 总分 row after its indicators, or a 注 that stops in the
middle of a sentence) gets `partial.missing` with the parts it lacks and a note saying where
the text ends, and a `cut-off` review item at that place. Nothing of the missing parts is made
up.
"""

from __future__ import annotations

import re

from ...form.model import PART_LABELS
from ..grid import Cell
from .sections import Parts
from .sheet import FormSheet
from .split import names_project
from .words import PARTIAL_NOTE

_OCR = re.compile(r"(?<![0-9A-Za-z])[2W]X(?![A-Za-z])")
_ENDS = ("。", ".", "!", "!", "?", "?", ")", ")", "」", "”", "；", ";")
_PART_ORDER = ("header", "funding", "goals", "indicators", "declared")


_NOTE = re.compile(r"^本表原件不完整[(（]缺[:：]([^)）]*)[)）](?:[:：](.*?))?。以下照录", re.S)


def read_partial_note(sheet: FormSheet) -> None:
    """The sentence a printed cut form begins with (「本表原件不完整(缺:绩效指标):…。以下照录
    现有内容…」): the parts it lacks and the note, as `partial`. The sentence may run over
    several printed lines (rows); they are joined as one text. The note reads back as the
    sentence it is on paper, with the full stop printed after it (jixiao's PDF prints a note
    without its own final stop and then 「。」: a note is a sentence either way)."""
    labels = {label: part for part, label in PART_LABELS.items()}
    texts: list[str] = []
    first: Cell | None = None
    for row in sheet.rows:
        cells = [cell for cell in row if cell.text.strip()]
        line = " ".join(cell.text.strip() for cell in cells)
        if first is None:
            if names_project(row):
                return  # the note is printed above the form's table
            if not line.startswith(PARTIAL_NOTE):
                continue
            first = cells[0]
        texts.append(line)
        if "以下照录" in line:
            break
    match = _NOTE.match("".join(texts)) if first is not None else None
    if match is None or first is None:
        return
    missing = [labels[word] for word in match.group(1).split("、") if word in labels]
    if missing:
        partial: dict[str, object] = {"missing": missing}
        if match.group(2):
            partial["note"] = match.group(2).strip() + "。"
        sheet.put(("partial",), partial, first)


def read_remarks(sheet: FormSheet, parts: Parts) -> None:
    """The 备注/注 and what follows it to the end of the form, verbatim."""
    pieces = parts.pieces["remarks"]
    if not pieces:
        return
    lines = [" ".join(cell.text.strip() for cell in piece.cells) for piece in pieces]
    text = "\n".join(line for line in lines if line)
    sheet.put(("remarks",), text, pieces[0].cells[0])
    for match in _OCR.finditer(text):
        sheet.note(
            "ocr-suspect",
            pieces[0].cells[0],
            f"备注中的「{match.group()}」可能是识别错误(≥ 识别为 2、≤ 识别为 W),照原样导入",
            f"{match.group()!r} in the remarks looks like an OCR misreading (≥ read as 2, ≤ as "
            "W): kept as printed",
        )


def _last_cell(parts: Parts) -> Cell | None:
    for name in reversed(("head", "funding", "goals", "indicators", "foot", "remarks")):
        cells = parts.cells(name)
        if cells:
            return cells[-1]
    return None


def cut_off(sheet: FormSheet, parts: Parts, last: bool) -> None:
    """`partial` for a form its source cut off (see the module's docstring)."""
    if not last or sheet.has("partial"):
        return
    seen = parts.seen
    missing: list[str] = []
    if "foot" not in seen:
        order = {"funding": "funding", "goals": "goals", "indicators": "indicators"}
        reached = max((list(order).index(p) for p in seen if p in order), default=-1)
        missing = [p for i, p in enumerate(order) if i > reached] + ["declared"]
    remarks = sheet.data.get("remarks", "")
    if remarks and not remarks.rstrip().endswith(_ENDS):
        missing.append("remarks")
    if not missing:
        return
    cell = _last_cell(parts)
    if cell is None:
        return
    tail = cell.text.strip()[-8:]
    where = cell.place.describe()
    note = f"源文件在{where}「…{tail}」处截断,其后的内容未见。"
    sheet.put(("partial",), {"missing": missing, "note": note}, cell)
    sheet.note(
        "cut-off",
        cell,
        f"源文件在此处截断(「…{tail}」),缺:{'、'.join(missing)};缺的部分未补造",
        f"the source ends here (…{tail}); missing: {', '.join(missing)}; nothing was made up",
    )
