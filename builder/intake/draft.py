"""What the recogniser makes of one form: the project file's data, where each value was read,
and what a person should look at (`Draft`, `ReviewItem`).

A draft holds only what the source prints: a blank cell is an absent key, never 0 or "". Each
value's place is kept under its field path, written as the check findings write paths
(`name`, `funding.total.budget`, `funding.rows[0].budget`, `indicators[3].target`,
`declared.total`), so that `jixiao check` can point back into the original file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..form.model import Project
from .grid import Place

# The review codes the recogniser gives. The command adds its own (`id-chosen`,
# `differs-from-existing`) and passes on the readers' (`unreadable-cell`, `hidden-row`,
# `hidden-column`, `page-break-cell`, and for PDF tables without rules `overflowing-text`,
# `cell-unclear`, `label-rows`, `no-ruling-lines`); docs/import.md lists them all.
REVIEW_CODES = (
    "column-guess",  # which column a cell belongs to was decided from its content
    "cut-off",  # the source stops before the form ends (partial.missing is set)
    "unreadable-cell",  # a cell that could not be read as its column's kind: left out
    "placeholder-dropped",  # a 二级指标 printed with no row under it, left out
    "ocr-suspect",  # a character that looks like an OCR misreading, kept as printed
    "level-moved",  # a merged 一级/二级 label the text prints on a neighbouring row
    "template-guess",  # the layout family could not be told for sure from the headers
    "placeholder-kept",  # template rows left as issued, kept as printed (not scored)
    "no-year",  # the form prints no year: give --year
    "year-guess",  # two years above the table and the form's own heading prints neither
    "no-unit",  # the form prints no 实施单位
    "extra-cell",  # a cell beyond the columns of its row, not read
)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """Something the importer decided, or could not read, with its place in the source.

    `code` is one of `REVIEW_CODES` (or the command's own); `message_zh` / `message_en` say
    what was decided and what to check, in Simplified Chinese and in English; `hint_zh` /
    `hint_en` what to do, where the code's own hint (`outcome.REVIEW_HINTS`) does not fit
    this item ("" for the code's).
    """

    code: str
    place: Place
    message_zh: str
    message_en: str
    hint_zh: str = ""
    hint_en: str = ""


@dataclass(slots=True)
class Draft:
    """One form as read: `data` in the shape of a project file (keys as the files write
    them, amounts and points as `Decimal`, texts as `str`; no `id`: the command chooses it),
    `places` by field path, and the `review` list in the order the form reads."""

    data: dict[str, Any]
    places: dict[str, Place] = field(default_factory=dict)
    review: list[ReviewItem] = field(default_factory=list)

    def project(self, project_id: str = "imported") -> Project:
        """The draft validated as a `Project` (with `project_id` as its id unless the data
        has one). Raises pydantic's ValidationError when the draft is not a valid form."""
        data = {"id": project_id, **self.data}
        return Project.model_validate(data, by_alias=True, by_name=False)

    def problems(self, project_id: str = "imported") -> list[str]:
        """What makes the draft fail validation, one line each ([] when it validates)."""
        try:
            self.project(project_id)
        except ValidationError as error:
            return [
                f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
                for item in error.errors()
            ]
        return []


def field_path(*parts: str | int) -> str:
    """A field path as findings write it: ("indicators", 3, "target") -> indicators[3].target."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
