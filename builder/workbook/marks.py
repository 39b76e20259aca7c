"""What jixiao's blank template (`jixiao template --xlsx`, `template.py`) prints that is the
template's own and not a form's, declared once for the template and for `jixiao import`,
which reads a filled-in template back (`builder.intake.readers.xlsx`):

- the fill-in rules sheet, told by its first rows (项目 | 说明, then 表样 | the family's name
  for people): not form data, its 表样 no `template:` key;
- the weights check beside the 总分 row, told by the words of its formula: a check for the
  person filling in, computed by the spreadsheet program (a file saved by a script has no
  value for it), not a figure of the form.
"""

from __future__ import annotations

RULES_SHEET = "填表说明"
RULES_HEADING = ("项目", "说明")
RULES_FIRST = "表样"
# The words the weights check shows before any 分值 is filled in; they are in its formula.
WEIGHTS_CHECK_BLANK = "填写分值后此处核对合计"


def is_rules_sheet(rows: list[list[str]]) -> bool:
    """True for the template's fill-in rules sheet, given its first rows' texts (at least two
    rows, blank cells as ""): 项目 | 说明, then 表样 | …, whatever the sheet is called."""
    if len(rows) < 2 or len(rows[0]) < 2 or not rows[1]:
        return False
    return tuple(rows[0][:2]) == RULES_HEADING and rows[1][0] == RULES_FIRST


def is_weights_check(formula: str) -> bool:
    """True for the formula of the template's weights check (`template.weights_check`)."""
    return WEIGHTS_CHECK_BLANK in formula
