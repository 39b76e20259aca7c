"""How long the text of a form may be: a bound for each kind of text, and one for the form.

A form is printed (the PDF), so what it may hold is what a printed 自评表 holds, with room to
spare: every bound is many times what any real form has (names and cells of a few dozen
characters, reasons and goals of a few hundred; the longest reason seen, about 2,600
characters, is accepted). The bounds keep the cost of a form bounded: its printed pages grow
with its text, and a narrow cell (度量单位) costs the square of its text's length to lay out.
docs/findings.md states the bounds and docs/performance.md what the longest forms they allow
cost (`bench/longest_form.py`: seconds).

Every text of a form is at most MAX_TEXT (`strict.Text`); a name, a cell of the indicator
table, a grade, a person or a code at most MAX_SHORT_TEXT (`strict.ShortText`). A text over its
bound is the error `schema-string-too-long` at the field, too many rows `schema-too-long`, and
a form whose printed texts add up to more than MAX_FORM_TEXT is the error `form-too-long`
(`rules.validate`), at the text where the sum passes the bound.
"""

from __future__ import annotations

# Names (项目名称, 主管部门, 实施单位, 联系人, people, codes), the cells of a row (一级/二级/三级指标,
# 年度指标值, 实际完成值, 度量单位), 自评等次, a ticked category.
MAX_SHORT_TEXT = 300
# Prose: 年度总体目标, 执行率说明, 未完成原因分析 (each row), 自评结论, 存在问题, 备注 …
MAX_TEXT = 5000
MAX_INDICATORS = 200  # rows of the 绩效指标 table
MAX_SUBROWS = 20  # 「其中…」 rows under one indicator
# Every printed text of a form together: about 75 printed pages of the narrowest column.
MAX_FORM_TEXT = 30000
