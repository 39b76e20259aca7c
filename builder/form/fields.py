"""The fields of a model as the files name them, and pydantic's errors about them said in Chinese.

Keys are read as the files write them (the alias where there is one: `Indicator.measure_unit`
is written `unit`), as pydantic's error locations name them. A field is named to staff by its
`title` in the model (`年度指标值`, `全年预算数`), the key where it has none. Schema errors are
worded like a form's own checks: which field, what it should be, what was written
(`schema_chinese`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .positions import PathKey

# How a message names the kind of a value that was written, by its Python type.
_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "int": "数字",
        "float": "数字",
        "Decimal": "数字",
        "bool": "是/否",
        "str": "文字",
        "list": "列表",
        "dict": "键值表",
        "date": "日期",
        "datetime": "日期时间",
        "NoneType": "空值",
    }
)
# `values.out_of_range` says why a number cannot be read, in English; its Chinese here.
_RANGE_PROBLEMS = (
    (re.compile(r"is not a finite number"), "不是有限的数"),
    (re.compile(r"has more than (\d+) digits before"), "小数点前超过 {0} 位"),
    (re.compile(r"has more than (\d+) digits after"), "小数点后超过 {0} 位"),
)


def fields_by_key(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by their key in the files (the alias where there is one)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def model_in(annotation: Any) -> Any:
    """The model class an annotation holds (`Indicator` in `list[Indicator]`), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = model_in(arg)
        if found is not None:
            return found
    return None


def submodel(model: type[BaseModel], loc: PathKey) -> type[BaseModel] | None:
    """The model of the value at `loc` under `model` (list indexes skipped), or None."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = fields_by_key(current).get(str(part))
        if info is None:
            return None
        current = model_in(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def allowed_keys(model: type[BaseModel], loc: PathKey) -> list[str]:
    """The keys the mapping at `loc` may have, in the model's order; [] when unknown."""
    sub = submodel(model, loc)
    return list(fields_by_key(sub)) if sub else []


def field_info(model: type[BaseModel], loc: PathKey) -> FieldInfo | None:
    """The field at `loc` (its last key in its parent model), or None."""
    parent = submodel(model, loc[:-1])
    if parent is None or not loc:
        return None
    return fields_by_key(parent).get(str(loc[-1]))


def field_help(model: type[BaseModel], loc: PathKey) -> str:
    """`title: description` of the field at `loc`, "" when unknown."""
    info = field_info(model, loc)
    if info is None:
        return ""
    return ": ".join(p for p in (info.title, info.description) if p)


def field_title(model: type[BaseModel], loc: PathKey) -> str:
    """The field at `loc` as a Chinese message names it: its title (`年度指标值`, a trailing
    `(A)` left out), an item of a list as `绩效指标第 2 项`, else its key; "文件" for ()."""
    if not loc:
        return "文件"
    if isinstance(loc[-1], int):
        return f"{field_title(model, loc[:-1])}第 {loc[-1] + 1} 项"
    info = field_info(model, loc)
    title = info.title if info is not None and info.title else ""
    return re.sub(r"\([A-Z]\)$", "", title) or str(loc[-1])


def kind_of(value: Any) -> str:
    """The kind of a value written, in Chinese: `数字`, `文字`, `列表`..."""
    return _KINDS.get(type(value).__name__, type(value).__name__)


def range_problem(problem: str) -> str:
    """`values.out_of_range`'s English reason in Chinese (as it is, when not known)."""
    for pattern, chinese in _RANGE_PROBLEMS:
        match = pattern.search(problem)
        if match:
            return chinese.format(*match.groups())
    return problem


# pydantic's list of the values a literal or an enum allows: 'a', 'b' or 'c' (each repr'd).
_EXPECTED_VALUE = re.compile(r"'((?:[^'\\]|\\.)*)'")


def allowed_values(ctx: Mapping[str, Any], words: Mapping[str, str]) -> str:
    """The values a literal or enum error (`ctx["expected"]`) allows, in Chinese: each as it is
    written in the files, with its meaning where `words` gives one, joined with 、:
    `header(表头)、funding(项目资金)`; the expected text as pydantic gives it when it lists no
    quoted value."""
    expected = str(ctx.get("expected", ""))
    values = _EXPECTED_VALUE.findall(expected)
    if not values:
        return expected
    return "、".join(f"{v}({words[v]})" if words.get(v, v) != v else v for v in values)


def _pattern_hint(loc: PathKey, ctx: Mapping[str, Any]) -> str:
    """What a text refused by its pattern should be: in words for 指标性质, else the pattern."""
    if loc[-1:] == ("nature",):
        return "写 定量 或 定性,或比较符号(≥ ≤ = > <),或文字(不低于、不超过、达到……)"
    return f"应符合 {ctx.get('pattern', '')}"


def schema_chinese(
    error: dict[str, Any],
    model: type[BaseModel],
    shown: Any,
    typed: str | None,
    words: Mapping[str, str] = MappingProxyType({}),
) -> tuple[str, str]:
    """(message, hint) in Chinese of a pydantic error about a form: the field by its title, what
    it should be, what was written (`shown`, the value as the message shows it; `typed`, the
    scalar as the file writes it, when known). A value a literal or an enum does not allow is
    answered with the values it does, each with its meaning where `words` (value -> words)
    gives one. An unknown key is `unknown_key_chinese`'s."""
    kind, loc, ctx = error["type"], tuple(error["loc"]), error.get("ctx", {})
    title, given = field_title(model, loc), error.get("input")
    written = typed if typed is not None else shown
    if kind == "missing":
        return f"缺少必填的{title}", f"请填写{title}"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "int_parsing", "int_type"):
        return f"{title}应为数字,写的是“{written}”", "只写数字,如 10 或 86870000.00"
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        bound = "不能小于" if kind == "greater_than_equal" else "应大于"
        return (
            f"{title}{bound} {limit},写的是 {written}",
            "金额和分值不能为负数" if limit == 0 else "",
        )
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        bound = "不能大于" if kind == "less_than_equal" else "应小于"
        return f"{title}{bound} {limit},写的是 {written}", ""
    if kind == "number_out_of_range":
        places = ctx.get("places")
        problem = range_problem(str(ctx.get("problem", "")))
        return f"{title} {written} {problem}", f"小数点前最多 15 位,小数点后最多 {places} 位"
    if kind.startswith("date_"):  # date_type, date_parsing, date_from_datetime_inexact …
        month = ";表上只印年月的照印写,如 2021年12月" if loc[-1:] == ("filled_on",) else ""
        return f"{title}应为日期,写的是“{written}”", f"写成 年-月-日,如 2023-12-25{month}"
    if kind == "string_type":
        quoted = f'加上引号:"{written}"' if written is not None else ""
        return f"{title}应为文字,写的是{kind_of(given)} {written}", quoted
    if kind == "string_pattern_mismatch":
        return f"{title}“{written}”的写法不符合要求", _pattern_hint(loc, ctx)
    if kind in ("dict_type", "model_type"):
        return f"{title}应为若干行“键: 值”,写的是{kind_of(given)}", ""
    if kind == "list_type":
        return f"{title}应为列表,写的是{kind_of(given)}", "每一项以“- ”开头"
    if kind == "too_short":
        return f"{title}不能为空", ""
    if kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        unit = "个字符" if kind == "string_too_long" else "项"
        size = f",写了 {len(given)} {unit}" if isinstance(given, str | list) else ""
        return f"{title}最多 {limit} {unit}{size}", f"缩短到 {limit} {unit}以内"
    if kind in ("enum", "literal_error"):
        return f"{title}不能是“{written}”", f"应为以下之一:{allowed_values(ctx, words)}"
    if kind == "bool_parsing":
        return f"{title}应为 true 或 false,写的是“{written}”", ""
    return f"{title}不符合要求:{error['msg']}", ""


def unknown_key_chinese(key: str, close: str | None, allowed: list[str]) -> tuple[str, str]:
    """(message, hint) in Chinese of a key the model does not have: the nearest it has, or all."""
    hint = f"是否应为“{close}”?" if close else f"允许的键:{'、'.join(allowed)}"
    return f"未知的键“{key}”", hint


__all__ = [
    "allowed_keys",
    "allowed_values",
    "field_help",
    "field_info",
    "field_title",
    "fields_by_key",
    "kind_of",
    "model_in",
    "range_problem",
    "schema_chinese",
    "submodel",
    "unknown_key_chinese",
]
