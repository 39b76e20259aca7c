"""What the paper form prints beyond its scored figures, as the PDF's template writes it.

Every label and every joining word is made here, as data: the font subset's glyph order is
built from the characters of the templates' source (`setup.build_render_setup`), so a label
written in `templates/pdf/` would change the bytes of every PDF, forms without extras too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..form.model import Project
from ..formats import declared_text
from ..layouts import block_labels
from ..printed import TICKED_PDF, Labelled, PersonLine, form_extras


@dataclass(frozen=True)
class PdfExtras:
    """The extras of one form, each ready to print; empty where the form prints none.

    `codes`: 项目编码 / 单位编码 rows; `categories`: a check box each, its text the ticked
    option behind a tick; `people`: one line each (项目负责人:张三 电话:…); `texts`: 存在问题 /
    改进措施 / 其他需要说明事项; `review`: 财政审核评分, its text the points; `remarks`: 备注
    or 注, its label with its colon; `partial`: the sentence saying which parts the source cut;
    `implementation`: 项目实施内容及过程概述.
    """

    codes: tuple[Labelled, ...] = ()
    categories: tuple[Labelled, ...] = ()
    people: tuple[str, ...] = ()
    texts: tuple[Labelled, ...] = ()
    review: Labelled | None = None
    remarks: Labelled | None = None
    partial: str = ""
    implementation: Labelled | None = None  # its text is Markdown: the view renders it


def person_line(person: PersonLine) -> str:
    """项目负责人:张三 电话:0551-1234567 — the parts the form prints, nothing else."""
    parts = [part for part in (person.name, f"电话:{person.phone}" if person.phone else "") if part]
    return f"{person.role}:" + " ".join(parts)


def _remarks_label(remarks: Labelled) -> str:
    """注: before the form's rules, unless the text as printed already begins with its own
    备注 or 注."""
    return "" if remarks.text.lstrip().startswith(("备注", "注")) else f"{remarks.label}:"


def pdf_extras(project: Project, incomplete: bool) -> PdfExtras:
    """The extras `project` prints, as the PDF's template writes them, in its words
    (`layouts.block_labels`); `incomplete`: the computed total is of a part
    (`ProjectScore.incomplete`), which a cut form says."""
    extras = form_extras(project, block_labels(project))
    partial = ""
    if extras.missing:
        note = f":{extras.missing_note}" if extras.missing_note else ""
        partial = (
            f"本表原件不完整(缺:{extras.missing}){note}。以下照录现有内容,缺的部分未作补造"
            + (";复核总分不是完整的总分。" if incomplete else "。")
        )
    remarks = extras.remarks
    return PdfExtras(
        codes=tuple(extras.codes),
        categories=tuple(
            Labelled(box.key, box.label, TICKED_PDF + box.text) for box in extras.categories
        ),
        people=tuple(person_line(person) for person in extras.people),
        texts=tuple(extras.texts),
        review=(
            Labelled("review_score", "财政审核评分", declared_text(extras.review_score))
            if extras.review_score is not None
            else None
        ),
        remarks=Labelled(remarks.key, _remarks_label(remarks), remarks.text) if remarks else None,
        partial=partial,
        implementation=extras.implementation,
    )
