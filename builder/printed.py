"""What a form prints beyond its scored figures, laid out the same for the pages and the PDFs.

Two things live here, each a plain view of the model with nothing invented:

- the indicator table as printed (`table_lines`): each row, then its 「其中…」 sub-rows under it,
  with the 一级/二级 cells merged over both, as the paper form has them (which columns a
  family prints, in which order and words, is `layouts`);
- the form's own extras (`form_extras`): 项目编码 and 单位编码, the unit its heading names
  where it is not the 实施单位, the category check boxes, the people it names, 项目实施内容及
  过程概述, 存在问题 / 改进措施 / 其他需要说明事项, 财政审核评分, its 备注 or 注, and the parts
  a form cut off by its source lacks. Each is there only where the form prints it.

The labels are data, not template text: the PDF's font subset orders its glyphs by the
characters of the templates' source (`pdf.setup`), so a label written in a template would
change every PDF's bytes.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .form.model import Indicator, Person, Project, SubIndicator

CORE_MARK = "★"  # a core indicator, as the Anhui forms mark it
TICKED_PAGE = "☑"  # a ticked check box on the pages
# In the PDF: a character of the embedded subset (GB 2312), so no fallback font is needed.
TICKED_PDF = "√"
IMPLEMENTATION_LABEL = "项目实施内容及过程概述"  # 四川: beside the goals


@dataclass(frozen=True, slots=True)
class TableLine:
    """A line of the indicator table: an indicator row (`subrow` 0) or one of its 「其中…」
    rows (`subrow` 1, 2…: no 分值 or 得分 of its own), with the 一级/二级 cells it begins (rows
    covered; 0 where a cell above covers it). `index` is the parent's place in
    `Project.indicators`; `parent` gives the sub-row its 一级/二级."""

    row: Indicator | SubIndicator
    parent: Indicator
    index: int
    subrow: int = 0
    level1_span: int = 0
    level2_span: int = 0

    @property
    def sub(self) -> bool:
        """True for a 「其中…」 sub-row."""
        return self.subrow > 0

    @property
    def level1(self) -> str:
        """The 一级指标 the line belongs to (its parent's for a sub-row)."""
        return self.parent.level1

    @property
    def level2(self) -> str:
        """The 二级指标 the line belongs to (its parent's for a sub-row)."""
        return self.parent.level2

    @property
    def weight(self) -> Decimal | None:
        """分值 in points; None for a sub-row or a row that prints none."""
        return None if self.sub else self.parent.weight

    @property
    def score(self) -> Decimal | None:
        """The declared 得分 in points; None for a sub-row or a row that prints none."""
        return None if self.sub else self.parent.score

    @property
    def core(self) -> bool:
        """True for a ★ core indicator (never a sub-row)."""
        return not self.sub and self.parent.core


def run_starts(keys: Iterable[Hashable]) -> list[int]:
    """For each position, the length of the run of equal keys it begins, or 0 inside a run."""
    lengths: list[int] = []
    for _, run in itertools.groupby(keys):
        length = sum(1 for _ in run)
        lengths += [length] + [0] * (length - 1)
    return lengths


def table_lines(project: Project) -> list[TableLine]:
    """The indicator table as printed: every row but the placeholders left in the template,
    each followed by its sub-rows, with the merged 一级/二级 cells spanning them too."""
    lines = [
        TableLine(line_row, indicator, index, subrow)
        for index, indicator in project.scored_indicators
        for subrow, line_row in enumerate([indicator, *indicator.subrows])
    ]
    level1 = run_starts(line.level1 for line in lines)
    level2 = run_starts((line.level1, line.level2) for line in lines)
    return [
        TableLine(line.row, line.parent, line.index, line.subrow, span1, span2)
        for line, span1, span2 in zip(lines, level1, level2, strict=True)
    ]


@dataclass(frozen=True)
class Labelled:
    """A label the form prints and its text, as printed (`key`: what it is, for the markup)."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class PersonLine:
    """Someone the form names: the role as printed (人员 where it prints none), the name and
    the phone ("" where not printed)."""

    role: str
    name: str
    phone: str


@dataclass(frozen=True)
class FormExtras:
    """What the form prints beyond the scored figures; each list empty and each value None
    where the form prints nothing of it."""

    codes: list[Labelled]  # 项目编码, 单位编码
    categories: list[Labelled]  # the check boxes: label, option ticked
    people: list[PersonLine]
    texts: list[Labelled]  # 存在问题, 改进措施, 其他需要说明事项, in the form's words
    review_score: Decimal | None  # 财政审核评分, points
    remarks: Labelled | None  # 备注 or 注
    missing: str  # the parts a form cut off lacks, in the form's words ("" when whole)
    # What the form's file says about the cut ("" when it says nothing), as a clause: the
    # banners that quote it end the sentence themselves, so its own full stop is left out.
    missing_note: str
    implementation: Labelled | None = None  # 项目实施内容及过程概述 (四川), Markdown
    filing_unit: str = ""  # the unit its heading names, where the file gives one

    @property
    def any(self) -> bool:
        """True when the form prints any extra at all."""
        return bool(
            self.codes
            or self.categories
            or self.people
            or self.texts
            or self.review_score is not None
            or self.remarks
            or self.implementation
            or self.filing_unit
        )


def _person(person: Person) -> PersonLine:
    return PersonLine(person.role or "人员", person.name or "", person.phone or "")


def remarks_label(project: Project) -> str:
    """What the form calls its rules at the foot: 备注 on the Hubei 2020 form, 注 elsewhere."""
    return "备注" if project.template == "hubei-2020" else "注"


def clause(text: str) -> str:
    """A sentence as a clause of another: its spaces and final full stops (。 ． .) left out,
    so that a banner joining it to its own words never prints 「。。」."""
    return text.strip().rstrip("。．.").rstrip()


# The words over a form's blocks of text, by key: the central template's, which most
# families share (a family's own and a form's own: `layouts.block_labels`).
BLOCKS = (
    ("conclusion", "自评结论"),
    ("problems", "存在问题"),
    ("improvements", "改进措施"),
    ("other_notes", "其他需要说明事项"),
)


def form_extras(project: Project, labels: Mapping[str, str] | None = None) -> FormExtras:
    """The extras `project` prints, in the order the forms print them; `labels` the words over
    its blocks of text by key (problems, improvements, other_notes: pass
    `layouts.block_labels(project)`, the family's or the form's own; None: `BLOCKS`)."""
    labels = dict(BLOCKS) if labels is None else labels
    codes = [
        Labelled(key, label, text)
        for key, label, text in (
            ("code", "项目编码", project.code),
            ("unit_code", "单位编码", project.unit_code),
        )
        if text
    ]
    declared = project.declared
    texts = [
        Labelled(key, label, text)
        for key, label, text in (
            ("problems", labels["problems"], declared.problems),
            ("improvements", labels["improvements"], declared.improvements),
            ("other_notes", labels["other_notes"], declared.other_notes),
        )
        if text
    ]
    remarks = (
        Labelled("remarks", remarks_label(project), project.remarks) if project.remarks else None
    )
    partial = project.partial
    return FormExtras(
        codes=codes,
        categories=[
            Labelled("category", label, option) for label, option in project.categories.items()
        ],
        people=[_person(person) for person in project.people],
        texts=texts,
        review_score=declared.review_score,
        remarks=remarks,
        missing=project.missing_parts,
        missing_note=clause(partial.note) if partial else "",
        implementation=(
            Labelled("implementation", IMPLEMENTATION_LABEL, project.goals.implementation)
            if project.goals.implementation
            else None
        ),
        filing_unit=project.filing_unit or "",
    )


def printed_execution_weight(project: Project) -> Decimal | None:
    """The 分值 of the execution (预算执行率) as the form prints it: `weights.execution`, else
    the 年度资金总额 row's own 分值; None where it prints none (never the policy's)."""
    if project.weights.execution is not None:
        return project.weights.execution
    row = project.funding.total_row
    return row.weight if row is not None else None
