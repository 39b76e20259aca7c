"""A YAML syntax error said where the user has to act, naming the character.

libyaml reports a syntax error where it noticed it, which is often not where the mistake is: a
full-width colon `name： 项目` on line 9 is noticed on line 10, a row indented with U+3000 at a
colon in the middle of the row. `diagnose` looks for the slips of `slips.py` on the lines around
the error, tries the repair of each (reading the repaired text again) and keeps those that make
the error go away or move on: each becomes a problem at its own line and column. What remains
unexplained is said as libyaml says it, translated (`syntax_problem`). This runs only for a text
that cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from .positions import SourceProblem
from .slips import (
    FULL_WIDTH_COLON,
    FULL_WIDTH_COMMA,
    LEADING_SPACES,
    MAX_PARSES,
    ODD_SPACES,
    PARSED_CHARACTERS,
    Loader,
    full_width_problem,
    indentation_problem,
    space_name,
)

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# libyaml's problems in Chinese: the reader of a form is a finance clerk.
_CHINESE = {
    "mapping values are not allowed in this context": (
        "这里不能有“: ”(冒号加空格):一段文字里有“: ”时,请给整段文字加上引号"
    ),
    "mapping values are not allowed here": (
        "这里不能有“: ”(冒号加空格):一段文字里有“: ”时,请给整段文字加上引号"
    ),
    "could not find expected ':'": "找不到键后面的半角冒号“:”",
    "did not find expected ',' or '}'": "一行 {…} 里缺少半角逗号“,”或右花括号“}”",
    "did not find expected ',' or ']'": "一行 […] 里缺少半角逗号“,”或右方括号“]”",
    "did not find expected key": "这里应当是“键: 值”,缩进可能不对",
    "did not find expected node content": "这里缺少值",
    "did not find expected '-' indicator": "列表的这一项缺少开头的“- ”,或缩进不对",
    "found a tab character that violates indentation": "制表符(Tab)不能用来缩进",
    "found character that cannot start any token": "这个字符不能出现在这里",
    "found unexpected end of stream": "文件在引号或括号闭合之前就结束了",
    "found unknown escape character": "双引号里的反斜杠“\\”后面不是可用的转义字符",
}
_GENERAL = "YAML 语法错误"


def syntax_problem(
    text: str, error: yaml.MarkedYAMLError, index: int | None = None
) -> SourceProblem:
    """The syntax error as libyaml reports it, in English and in Chinese, naming the
    character there.

    `index` is where it is in `text` when it differs from the error's mark (a text repaired)."""
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "cannot be read as YAML"
    at = mark.index if index is None and mark is not None else index
    line, column = place(text, at) if at is not None else (1, 1)
    chinese = _CHINESE.get(problem, _GENERAL)
    char = text[at] if at is not None and at < len(text) else ""
    if char and not _BREAK.match(char) and char != " ":
        named = space_name(char)[0] if char in ODD_SPACES else f"“{char}”"
        chinese += f"(此处是 {named})"
    context = f" ({error.context})" if error.context else ""
    return SourceProblem(
        (),
        line,
        column,
        f"YAML syntax: {problem}{context}",
        "check indentation and quoting on this line or the one above",
        message_zh=chinese,
        hint_zh="检查这一行和上一行的缩进与引号",
    )


def place(text: str, index: int) -> tuple[int, int]:
    """(line, column), both from 1, of the character at `index`, lines broken as libyaml
    breaks them."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


@dataclass(frozen=True)
class _Edit:
    """A repair: `length` characters at `start` replaced by `replacement`; the problem it names
    is made at the original place by `kind` (the run of spaces, or the character)."""

    start: int
    length: int
    replacement: str
    kind: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.start + self.length :]

    def back(self, index: int) -> int:
        """An index of the repaired text, in the text before the repair."""
        end = self.start + len(self.replacement)
        if index >= end:
            return index - len(self.replacement) + self.length
        return min(index, self.start + self.length)


def _failure(text: str) -> yaml.MarkedYAMLError | None:
    try:
        yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        return error
    except yaml.YAMLError:
        return None  # not a syntax error: the caller's reading says what it is
    return None


def _index(error: yaml.MarkedYAMLError) -> int:
    mark = error.problem_mark or error.context_mark
    return mark.index if mark is not None else 0


@dataclass
class Diagnosis:
    """The slips behind a syntax error: a problem each (and the error that remains, if one
    does); the text with them repaired, when it can be read (`repaired`), and where a place in
    that text is in the text as written (`place_back`)."""

    text: str
    problems: list[SourceProblem]
    repaired: str | None
    edits: list[_Edit]

    def place_back(self, problem: SourceProblem) -> SourceProblem:
        """A problem found in the repaired text, placed in the text as written."""
        assert self.repaired is not None
        starts = [0, *(m.end() for m in _BREAK.finditer(self.repaired))]
        index = starts[min(problem.line, len(starts)) - 1] + problem.column - 1
        problem.line, problem.column = place(self.text, _original(self.edits, index))
        return problem


def diagnose(text: str, error: yaml.MarkedYAMLError) -> Diagnosis:
    """The slips behind a syntax error, each a problem at its own place (and the error that
    remains, if one does); no problems when no slip explains it."""
    budget = min(MAX_PARSES, max(8, PARSED_CHARACTERS // max(1, len(text))))
    edits: list[_Edit] = []
    current, failure = text, error
    while failure is not None and budget > 0:
        best: tuple[_Edit, str, yaml.MarkedYAMLError | None] | None = None
        for edit in _candidates(current, failure):
            budget -= 1
            repaired = edit.apply(current)
            after = _failure(repaired)
            moved = after is None or edit.back(_index(after)) > _index(failure)
            if moved and (
                after is None or _line_end(current, edit.start) < edit.back(_index(after))
            ):
                best = (edit, repaired, after)  # gone, or on to a later line: take it
                break
            if moved and best is None:
                best = (edit, repaired, after)  # on along the line: unless a better one comes
            if budget <= 0:
                break
        if best is None:
            break  # no slip explains what remains
        edits.append(best[0])
        current, failure = best[1], best[2]
    problems = [_slip_problem(text, edits, n) for n in range(len(edits))]
    if edits and failure is not None:
        problems.append(syntax_problem(text, failure, _original(edits, _index(failure))))
    return Diagnosis(text, problems, current if edits and failure is None else None, edits)


def _line_end(text: str, index: int) -> int:
    found = _BREAK.search(text, index)
    return found.start() if found else len(text)


def _original(edits: list[_Edit], index: int) -> int:
    for edit in reversed(edits):
        index = edit.back(index)
    return index


def _slip_problem(text: str, edits: list[_Edit], number: int) -> SourceProblem:
    edit = edits[number]
    start = _original(edits[:number], edit.start)
    if edit.kind == "indent":
        run = text[start : start + edit.length]
        first = start + next(i for i, c in enumerate(run) if c != " ")
        return indentation_problem(*place(text, first), run)
    return full_width_problem((), *place(text, start), edit.kind)


def _lines(text: str, error: yaml.MarkedYAMLError) -> list[tuple[int, int]]:
    """(start, end) of the lines where a slip may have caused `error`: the error's line, the
    line of its context, and the two before and one after the error's."""
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    ends = [*(m.start() for m in _BREAK.finditer(text)), len(text)]
    marks = [m for m in (error.problem_mark, error.context_mark) if m is not None]
    if not marks:
        return []
    at = marks[0].line
    order = [at, *(m.line for m in marks[1:]), at - 1, at - 2, at + 1]
    return [(starts[n], ends[n]) for n in dict.fromkeys(order) if 0 <= n < len(starts)]


def _candidates(text: str, error: yaml.MarkedYAMLError) -> Iterator[_Edit]:
    """The repairs worth trying, nearest the error first."""
    lines = _lines(text, error)
    for start, end in lines:
        line = text[start:end]
        run = LEADING_SPACES.match(line).group()  # type: ignore[union-attr]
        if run.strip(" "):
            for variant in _indentations(text, lines, run):
                yield _Edit(start, len(run), variant, "indent")
        for found in list(re.finditer(f"[{FULL_WIDTH_COLON}{FULL_WIDTH_COMMA}]", line))[:6]:
            at = start + found.start()
            if found.group() == FULL_WIDTH_COMMA:
                yield _Edit(at, 1, ",", FULL_WIDTH_COMMA)
            else:
                spaced = text[at + 1 : at + 2] in ("", " ", "\n", "\r")
                yield _Edit(at, 1, ":" if spaced else ": ", FULL_WIDTH_COLON)


def _indentations(text: str, lines: list[tuple[int, int]], run: str) -> list[str]:
    """What a run of indentation holding other characters than spaces may have meant: each a
    space; a 全角空格 or a tab two; as deep as a line near it."""
    variants = [
        "".join(" " for _ in run),
        "".join("  " if c in "\u3000\t" else " " for c in run),
    ]
    for start, end in lines:
        near = LEADING_SPACES.match(text, start, end).group()  # type: ignore[union-attr]
        if near and not near.strip(" "):
            variants.append(near)
    return list(dict.fromkeys(variants))
