"""Scalars as the file types them: what YAML read as a number or a yes/no where the form has
text, taken back as the characters written.

YAML 1.1 reads `yes`/`no`/`on`/`off` as booleans and `1`, `0.95`, `1_000` as numbers. A text
field keeps the words as typed; a 年度指标值 or 实际完成值 cell written as an unquoted number
(`actual: 1`, `actual: 0.950`) is the cell as printed, and is read as its digits as typed
(`cells_as_text`), never as a number YAML rewrote.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..rules.findings import Finding, Severity, figures
from .compose import STR_TAG, TIMESTAMP_TAG, Loader, scalar_value
from .source import PathKey, SourceDocument, format_path

# The cells of a row that are text as printed, where a plain number is the cell as written.
_CELLS = frozenset({"target", "actual"})


def typed_scalar(source: SourceDocument, path: PathKey, value: Any) -> str | None:
    """The plain scalar at `path` as the file writes it (`NO`, `1_000`), or None when the text
    there does not read back as `value` (a quoted or multi-line scalar, a collection, a
    scalar with a tag such as `!!float`).

    YAML 1.1 reads `yes`/`no`/`on`/`off` as booleans and `1_000` as 1000: a text field keeps
    the words as typed, and a message quotes the number as typed.
    """
    where = source.positions.get(path)
    if where is None or isinstance(value, dict | list) or not 0 < where.line <= len(source.lines):
        return None
    rest = source.lines[where.line - 1][where.column - 1 :]
    end = min((i for i in (rest.find(" #"), *map(rest.find, ",]}")) if i >= 0), default=len(rest))
    text = rest[:end].strip(" ")
    if not text or text[0] in "'\"[{":
        return None
    resolvers = Loader.yaml_implicit_resolvers.get(text[0], [])
    tag = next((tag for tag, pattern in resolvers if pattern.match(text)), STR_TAG)
    if tag == TIMESTAMP_TAG:
        return text if str(value) == text else None
    read = scalar_value(tag, text)
    return text if type(read) is type(value) and read == value else None


def is_cell(path: PathKey) -> bool:
    """True for the path of a 年度指标值 or 实际完成值 cell: `indicators[i].target`,
    `indicators[i].subrows[j].actual`."""
    return (
        len(path) in (3, 5)
        and path[0] == "indicators"
        and path[-1] in _CELLS
        and (len(path) == 3 or path[2] == "subrows")
    )


def cells_as_text(
    source: SourceDocument, data: Any, errors: list[dict[str, Any]]
) -> tuple[dict[PathKey, str], list[Finding]]:
    """The cells (`is_cell`) that pydantic refused as text because YAML read them as numbers,
    each with its text: the characters typed (`typed_scalar`: `0.950`, `1_000`, `+5`), or,
    where the file's text does not give them back (a `!!float` tag), the number's own digits
    with a warning `number-unquoted` that says to quote it. `errors` are pydantic's, `data`
    what was validated."""
    texts: dict[PathKey, str] = {}
    warnings: list[Finding] = []
    for error in errors:
        path = tuple(error["loc"])
        value = error.get("input")
        if error["type"] != "string_type" or not is_cell(path):
            continue
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            continue
        typed = typed_scalar(source, path, value)
        texts[path] = typed if typed is not None else str(value)
        if typed is None:
            warnings.append(_unquoted(path, str(value)))
    return texts, warnings


def _unquoted(path: PathKey, text: str) -> Finding:
    """`number-unquoted`: a cell written as a number whose characters cannot be read back."""
    return Finding(
        Severity.warning,
        "number-unquoted",
        path,
        f"written as a number, read as {text}: the digits as printed may differ (0.950 and 0.95, "
        "1_000 and 1000)",
        f'quote it to keep the digits as printed: "{text}"',
        figures(text=text, field=format_path(path)),
        message_zh=f"这一栏写成了数字,读作 {text};表上所印的数字写法可能与此不同(如 0.950 与 0.95)",
        hint_zh=f'加上引号照表上所印写,如 "{text}",才能保留原样的数字',
    )


def value_at(data: Any, path: PathKey) -> Any:
    """The value at `path` in nested mappings and lists."""
    for part in path:
        data = data[part]
    return data


def replaced(data: Any, path: PathKey, value: Any) -> Any:
    """`data` with the value at `path` replaced; the containers on the way copied, not changed."""
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(data[path[0]], path[1:], value)  # type: ignore[index]
    return copy
