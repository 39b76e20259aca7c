"""What `jixiao import` did with each form and file, and the words it says them in.

A form's `FormOutcome` (written, unchanged, differs, dry-run, no-year) with its review items;
a file's `ImportFailure` (it gave no form); the run's `ImportReport` and its exit status.
`MESSAGES` are the review items the importer makes itself; `REVIEW_HINTS` what to do about
each review code, printed after its message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .draft import ReviewItem

# Review codes that only inform: the form needs no person for them (exit 0).
INFORMATIONAL = frozenset({"id-chosen", "template-stated"})
# Statuses of a form: written, unchanged, differs (not overwritten), dry-run (would be
# written), no-year (cannot be placed: neither the form nor --year gives its year).
WRITTEN, UNCHANGED, DIFFERS, DRY_RUN, NO_YEAR = (
    "written",
    "unchanged",
    "differs",
    "dry-run",
    "no-year",
)


@dataclass(frozen=True)
class ImportOptions:
    """What `jixiao import` was asked: the content folder written into, the year of forms
    that print none, whether only to show (`dry_run`), `debug` (let an unexpected error of a
    reader rise, with its traceback), and what the user states of every form imported: its
    layout family (`template`, taken over the one its columns suggest) and its `region`;
    `jobs`, how many processes read the files and make the forms' files (this one included;
    at most the cores). The output is the same whatever the jobs."""

    into: Path = Path("content")
    year: int | None = None
    dry_run: bool = False
    debug: bool = False
    template: str | None = None  # the layout family the user states (--template)
    region: str | None = None  # the region the user states (--region): no form prints it
    jobs: int = 1  # processes reading the files (--jobs)


@dataclass(frozen=True)
class FormOutcome:
    """One form found: its `path` (None when it could not be placed), `status` (WRITTEN…),
    `id`, `name`, the `source` file as given, its `review` items, the unified `diff` against
    the file there (DIFFERS) and the YAML `text` made for it."""

    path: Path | None
    status: str
    id: str | None
    name: str
    source: str
    review: tuple[ReviewItem, ...]
    diff: str = ""
    text: str = ""

    @property
    def needs_person(self) -> bool:
        """True when the form differs, could not be placed, or has a review item to check; an
        unchanged form was checked when it was written (its items are still listed)."""
        if self.status in (DIFFERS, NO_YEAR):
            return True
        return self.status != UNCHANGED and any(
            item.code not in INFORMATIONAL for item in self.review
        )


@dataclass(frozen=True)
class ImportFailure:
    """A file that gave no form: not readable, not supported, or no form found in it.
    `file` as given; `code` (`unsupported-format`, `damaged`, `no-form`, …); the message and
    hint in Chinese and English."""

    file: str
    code: str
    message_zh: str
    message_en: str
    hint_zh: str = ""
    hint_en: str = ""


@dataclass(frozen=True)
class ImportReport:
    """Everything one run did: the forms in the order found, the files that failed."""

    forms: tuple[FormOutcome, ...] = ()
    failures: tuple[ImportFailure, ...] = ()

    @property
    def exit_status(self) -> int:
        """1 a file failed; else 3 a form needs a person; else 0."""
        if self.failures:
            return 1
        return 3 if any(form.needs_person for form in self.forms) else 0


MESSAGES = MappingProxyType(
    {
        "no-year": (
            "表上没有年度,无法确定“{}”的文件位置,没有写入",
            "the form prints no year, so “{}” has no place to be written; nothing written",
        ),
        "id-chosen": ("新表单,标识取为 {}", "a new form: its id is {}"),
        "differs-from-existing": (
            "{} 已存在且内容不同,没有覆盖",
            "{} exists and differs; it was not overwritten",
        ),
        "template-stated": (
            "表样按 --template 取为 {}(表上的列像是 {})",
            "the layout family is {} as --template states (its columns look like {})",
        ),
        "duplicate-name": (
            "年度、实施单位和项目名称与 {} 相同",
            "the same year, 实施单位 and 项目名称 as {}",
        ),
        "invalid-form": (
            "导入结果不是有效的表单,这些栏需要核对:{}",
            "the form as imported is not valid; check: {}",
        ),
    }
)


def hint_of(item: ReviewItem) -> tuple[str, str]:
    """What to do about `item`, (Chinese, English): its own hint, else its code's."""
    if item.hint_zh or item.hint_en:
        return item.hint_zh, item.hint_en
    return REVIEW_HINTS.get(item.code, ("", ""))


# What to do about each review code, (Chinese, English): printed after the message.
REVIEW_HINTS = MappingProxyType(
    {
        "column-guess": ("对照源文件核对这一列的表头", "check the column's header in the source"),
        "cut-off": ("源文件在此截断:核对是否还有下文", "the source stops here: look for the rest"),
        "unreadable-cell": ("按源文件补上这一格", "type the cell in from the source"),
        "page-break-cell": (
            "对照原件:是上一页单元格的续文就并入该格",
            "check the original: if it goes on from the cell above, join the two",
        ),
        "overflowing-text": ("对照原件填写该格", "type the cell in from the original"),
        "cell-unclear": ("对照原件填写该格", "type the cell in from the original"),
        "no-ruling-lines": (
            "逐项对照原件核对,或改从生成此 PDF 的工作簿或 Word 文件导入",
            "check every value against the original, or import the workbook or document the"
            " PDF was made from",
        ),
        "label-rows": (
            "对照原件核对各行的一级/二级指标",
            "check each row's 一级/二级 against the original",
        ),
        "placeholder-dropped": ("确认这是模板留空的行", "check it is a template row left blank"),
        "ocr-suspect": ("对照原件核对这段文字", "check the text against the original"),
        "id-chosen": ("需要其他标识时,改文件名和 id", "rename the file and its id to change it"),
        "no-year": ("用 --year 指定年度后再导入", "import again with --year"),
        "year-guess": (
            "核对表的年度:不对时改 year 和文件所在的年度目录",
            "check the form's year: if wrong, change year and move the file to its year",
        ),
        "differs-from-existing": (
            "核对差异:以导入为准时先删除或改名原文件再导入",
            "check the difference; to take the import, remove or rename the file first",
        ),
        "template-stated": ("确认 --template 所说的表样", "check the family --template states"),
        "invalid-form": ("用 jixiao check 查看每个错误", "run jixiao check on the file"),
        "duplicate-name": (
            "核对是否同一项目的两个版本或重复导入,只保留应公开的一张",
            "check whether they are two versions of one project; keep the one to publish",
        ),
    }
)
