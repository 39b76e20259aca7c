"""Findings: what the checker has to say about a form, each located and explained.

A finding's `code` is stable (docs/findings.md lists them all; `explain.py` has each in Chinese
for the site); its `message` and `hint` are English (`jixiao check --lang en`, `check --json`),
its `data` carries the figures; `wording.py` says it in Chinese, as `jixiao check` prints it by
default, from the code and the figures or from the Chinese its maker gave (`message_zh`,
`hint_zh`).

What staff read comes from the gettext catalogues (`builder/i18n.py`), keyed by the code:
`finding.<code>` and its alternatives `finding.<code>.2`, `.3`, … (`templates`: the first whose
every `{figure}` the finding has is said, `fill`), and `hint.<code>` likewise, in both languages
with the same placeholders. A maker whose English is the catalogue's makes its finding with
`catalogued` (message and hint filled from the figures it records); the makers listed in
`wording.ENGLISH_BY_MAKER` write their English themselves (a cell quoted as typed, the rule's
own reasoning), and their Chinese still comes from the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from rich.cells import cell_len

from ..form.chars import printable
from ..form.source import PathKey, format_path
from ..i18n import translations
from ..pickling import quick_state


class Severity(StrEnum):
    """How much a finding matters; an error stops the build."""

    error = "error"  # the file cannot be trusted as data: fix it before publishing
    warning = "warning"  # the submitted figures disagree with the rules or with themselves
    note = "note"  # recorded for the reader, nothing to fix (e.g. an accepted judgement)


SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.note: 2}


def plain(value: Decimal) -> str:
    """A figure as a person writes it: 97.50 -> 97.5, 100.00 -> 100, 2.01 -> 2.01."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def figures(**values: object) -> tuple[tuple[str, str], ...]:
    """The named figures of a finding, as text (Decimals keep their exact digits, written by
    `plain`): figures(declared=Decimal("97.50"), policy="zero") -> (("declared", "97.5"),
    ("policy", "zero"))."""
    return tuple(
        (key, plain(value) if isinstance(value, Decimal) else str(value))
        for key, value in values.items()
    )


def templates(kind: str, code: str, lang: str) -> tuple[str, ...]:
    """The catalogue's templates of a finding `code` in `lang` ("zh" or "en"), in the order
    they are tried: `kind` is "finding" (the sentence) or "hint"; the key `<kind>.<code>`, then
    `<kind>.<code>.2`, `.3`, … while the catalogue has them. `schema-*` codes share `schema`.
    () for a code the catalogue lacks."""
    code = "schema" if code.startswith("schema-") else code
    said = translations(lang)
    found: list[str] = []
    for number in range(1, 100):
        key = f"{kind}.{code}" + (f".{number}" if number > 1 else "")
        text = said.gettext(key)
        if text == key:
            break
        found.append(text)
    return tuple(found)


def fill(choices: tuple[str, ...], values: dict[str, str]) -> str:
    """The first of `choices` whose every `{field}` is among `values` (a value written "None",
    a blank on the form, counts as missing), filled; "" when none can be."""
    known = {key: value for key, value in values.items() if value != "None"}
    for template in choices:
        try:
            return template.format(**known)
        except (KeyError, IndexError, ValueError):
            continue
    return ""


@quick_state
@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the checker says about a form.

    `path` is the field it is about, as keys from the top of the file (("indicators", 2,
    "score")), `()` for the whole file; `field` writes it as text (indicators[2].score).
    `message` and `hint` are English; `data` holds the named figures (`figures`), all text.
    `message_zh` and `hint_zh` are the Chinese its maker words itself where a sentence per
    code cannot say it (a schema error names the field's title); "" leaves the wording to
    `wording.chinese` (the catalogue's `finding.<code>` with `data`, its hint `hint.<code>`).
    """

    severity: Severity
    code: str
    path: PathKey
    message: str
    hint: str = ""
    # The figures behind the message (declared, computed, ...), for renderers in other languages.
    data: tuple[tuple[str, str], ...] = ()
    message_zh: str = ""
    hint_zh: str = ""

    @property
    def field(self) -> str:
        """The path as text, e.g. indicators[2].score; "" for the whole file."""
        return format_path(self.path)


@quick_state
@dataclass(frozen=True, slots=True)
class LocatedFinding:
    """A finding placed in its file: line and column start at 1."""

    file: Path
    line: int
    column: int
    finding: Finding

    def format(
        self, source_line: str | None = None, words: tuple[str, str, str] | None = None
    ) -> str:
        """`file:line:col: severity[code]: field: message (hint)`, as `jixiao check --lang en`
        prints it; `words` (label, message, hint) replace the severity, message and hint (the
        Chinese of `wording.worded`: `错误[code]`). With the source line, that line follows
        with a caret under the column. Text from the form (the path, the field, the message,
        the hint, the line) is `printable`: its controls and newlines are escaped, so each
        part stays on its line of the terminal."""
        f = self.finding
        label, message, hint = words or (str(f.severity), f.message, f.hint)
        where = f"{printable(self.file.as_posix())}:{self.line}:{self.column}"
        text = f"{where}: {label}[{f.code}]: "
        if f.field:
            text += f"{printable(f.field)}: "
        text += printable(message)
        if hint:
            text += f" ({printable(hint)})"
        if source_line is not None and source_line.strip():
            pad = cell_len(printable(source_line[: self.column - 1]))  # Chinese: two columns
            text += f"\n    {printable(source_line.rstrip())}\n    {' ' * pad}^"
        return text

    def as_json(self) -> dict[str, object]:
        """The finding in the stable shape of `jixiao check --json`."""
        f = self.finding
        return {
            "severity": str(f.severity),
            "code": f.code,
            "field": f.field,
            "line": self.line,
            "column": self.column,
            "message": f.message,
            "hint": f.hint,
            "data": dict(f.data),
        }


def catalogued(severity: Severity, code: str, path: PathKey, **values: object) -> Finding:
    """A finding whose English message and hint are the catalogue's (`finding.<code>`,
    `hint.<code>`, in English) filled from its figures `values` (recorded as `data` by
    `figures`): catalogued(Severity.warning, "total-mismatch", ("declared", "total"),
    declared=Decimal("99.5"), computed=Decimal("100")) says "the 总分 row declares 99.5, the rules
    give 100". The Chinese comes from the same keys when it is printed (`wording.chinese`).
    Raises LookupError when the catalogue has no sentence for `code` that the figures fill."""
    data = figures(**values)
    message = fill(templates("finding", code, "en"), dict(data))
    if not message:
        raise LookupError(f"no catalogue sentence finding.{code} for the figures {sorted(values)}")
    return Finding(
        severity, code, path, message, fill(templates("hint", code, "en"), dict(data)), data
    )
