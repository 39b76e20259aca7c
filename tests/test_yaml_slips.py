"""The YAML slips finance staff make, each one located message at the place to act.

Cases `flow-comma` and `invisible-indent` (../shared/cases/): a half-width comma inside a value
of a one-line `{...}` row; a row indented with U+00A0 or U+3000; and, of the same kind, a tab,
a full-width colon or a full-width comma where YAML needs `:` or `,`. Each test writes a form in
the style of the bundled ones (one-line rows) with one kind of slip and expects exactly the
lines it names. Full-width punctuation inside text is no slip and is read as typed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from builder.form.source import load_text

from .conftest import SITE_YAML
from .test_validation_errors import FINDING_LINE

# A form that checks clean: execution 10 + 产出 50 + 效益 30 + 满意度 10, every row full marks.
FORM = """\
id: demo-project
year: 2023
name: 示例社区养老服务补助
department: {name: 示例市民政局, code: "601"}
unit: 示例市养老服务中心
filled_on: 2023-12-20
contact: 王某
funding:
  total:    {initial: 500000.00, budget: 500000.00, executed: 500000.00}
goals:
  planned: 为辖区老年人提供社区养老服务。
  achieved: 已为辖区老年人提供社区养老服务。
weights:
  execution: 10
  levels: {产出指标: 50, 效益指标: 30, 满意度指标: 10}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 服务人数, target: ≥1000人, actual: ≥1000人, weight: 30, score: 30}
  - {level1: 产出指标, level2: 质量指标, name: 服务合格率, target: ≥95%, actual: 96%, weight: 20, score: 20}
  - {level1: 效益指标, level2: 社会效益指标, name: 老年人生活质量, target: 有效提升, actual: 达成年度指标, weight: 30, score: 30}
  - {level1: 满意度指标, level2: 满意度指标, name: 服务对象满意度, target: ≥90%, actual: 95%, weight: 10, score: 10}
declared:
  execution_rate: 100.00
  execution_score: 10
  total_weight: 100
  total: 100
  conclusion: 单位绩效自评分数100分,自评等次为优秀。
"""


def form(old: str, new: str) -> str:
    """FORM with one piece of it replaced."""
    assert old in FORM, old
    return FORM.replace(old, new, 1)


def check_text(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """`jixiao check` of a content folder holding the form `text`: its finding lines, each
    `line:column: rest` (the file's path left out)."""
    content = tmp_path / "content"
    (content / "2023" / "demo").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    path = content / "2023" / "demo" / "demo-project.yaml"
    path.write_text(text, encoding="utf-8")
    main(["check", "--content", str(content), "--jobs", "1"])
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    prefix = f"{path.as_posix()}:"
    return [
        line.removeprefix(prefix) for line in printed.out.splitlines() if FINDING_LINE.match(line)
    ]


def where(text: str, needle: str, line_with: str = "") -> str:
    """`line:column` of the first `needle` in `text` (on a line holding `line_with`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line_with in line and needle in line:
            return f"{number}:{line.find(needle) + 1}"
    raise AssertionError(needle)


def test_the_form_checks_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_text(tmp_path, FORM, capsys) == []


# --- flow-comma: a half-width comma inside a value of a one-line row --------------------------


def test_amounts_with_thousands_separators_are_one_message_at_the_comma(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The case: before, two identical "duplicate key '000.00'" errors, at a column of neither.
    text = form(
        "{initial: 500000.00, budget: 500000.00, executed: 500000.00}",
        "{initial: 500,000.00, budget: 500,000.00, executed: 500,000.00}",
    )
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{where(text, ',000.00')}: 错误[yaml]: funding.total.initial: ")
    assert "500,000.00" in lines[0] and "budget、executed" in lines[0]
    assert "写成 500000.00" in lines[0] and '加引号写成 "500,000.00"' in lines[0]
    assert "照常读取" in lines[0] and "不能当作金额读" not in lines[0]


@pytest.mark.parametrize(
    "amounts",
    [
        '{initial: "500,000.00", budget: "500,000.00", executed: "500,000.00"}',
        '{initial: "500,000", budget: 500000.00, executed: "500,000.0"}',
    ],
)
def test_the_quoting_the_hint_advises_for_an_amount_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], amounts: str
) -> None:
    """The hint says a quoted "500,000.00" is read as an amount: it is (the form checks clean,
    as with 500000.00)."""
    text = form("{initial: 500000.00, budget: 500000.00, executed: 500000.00}", amounts)
    assert check_text(tmp_path, text, capsys) == []


def test_a_split_number_that_is_no_amount_is_not_advised_to_be_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form("weight: 30, score: 30}", "weight: 30, score: 1,000}")
    (line,) = [line for line in check_text(tmp_path, text, capsys) if "逗号" in line]
    assert "score 的数字 1,000 被半角逗号拆开了" in line and "写成 1000" in line
    assert "引号" not in line


def test_text_with_half_width_commas_is_one_message_at_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The case: before, "unknown key '人数下降'" and "unknown key '已调整方案'".
    text = form(
        "weight: 30, score: 30}", "weight: 30, score: 30, reason: 部分对象迁出,人数下降,已调整方案}"
    )
    lines = check_text(tmp_path, text, capsys)
    assert lines == [
        f"{where(text, '部分对象迁出')}: 错误[yaml]: indicators[0].reason: reason 的文字"
        "“部分对象迁出,人数下降,已调整方案”被半角逗号拆开了:在一行 {…} 里,逗号分隔各项"
        ' (给整段文字加上引号:reason: "部分对象迁出,人数下降,已调整方案",'
        "引号里的逗号(含数字中的千分位逗号)照常读取;或改用全角逗号“，”)"
    ]


def test_a_long_text_split_many_times_is_still_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reason = ",".join(f"第{n}条原因" for n in range(60)) + ",详见: 附件"
    text = form("weight: 30, score: 30}", f"weight: 30, score: 30, reason: {reason}}}")
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and "indicators[0].reason: reason 的文字“第0条原因" in lines[0]


def test_separators_in_a_quoted_indicator_value_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What the hint says: quoted, the value with its thousands separator is read as 1000.
    unquoted = form("target: ≥1000人, actual: ≥1000人", "target: ≥1,000人, actual: ≥1,000人")
    lines = check_text(tmp_path, unquoted, capsys)
    assert len(lines) == 1 and "target 的文字“≥1,000人”" in lines[0] and "还有 actual" in lines[0]
    quoted = form("target: ≥1000人, actual: ≥1000人", 'target: "≥1,000人", actual: "≥1,000人"')
    assert check_text(tmp_path / "q", quoted, capsys) == []


def test_a_weight_typed_with_a_comma_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form("weight: 20, score: 20", "weight: 20,0, score: 20")
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and lines[0].startswith(f"{where(text, '20,0')}: 错误[yaml]: ")
    assert "weight 的数字 20,0 被半角逗号拆开了" in lines[0]


# --- invisible-indent and the same kind: characters that are not what YAML needs -------------

INDENTED_ROW = "  - {level1: 满意度指标"


@pytest.mark.parametrize(
    ("indentation", "named"),
    [
        ("\u00a0 \u00a0 ", "U+00A0 不间断空格"),  # the case: pasted from Word
        ("\u3000", "U+3000 全角空格"),  # the case: a Chinese input method
        ("\u3000\u3000", "U+3000 全角空格"),
        ("\t", "U+0009 制表符(Tab)"),
        (" \u2003", "U+2003 特殊空白字符"),
    ],
)
def test_a_row_indented_with_a_character_that_is_no_space(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], indentation: str, named: str
) -> None:
    # Before: "mapping values are not allowed in this context" at a colon mid-row, or a tab
    # error naming nothing; now at the character itself, naming it.
    text = form(INDENTED_ROW, indentation + "- {level1: 满意度指标")
    lines = check_text(tmp_path, text, capsys)
    line = where(text, "{level1: 满意度指标").split(":")[0]
    column = next(i for i, c in enumerate(indentation) if c != " ") + 1
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{line}:{column}: 错误[yaml]: 这一行用 {named} 缩进"), lines[0]
    assert "改用普通的半角空格缩进" in lines[0]


def test_a_key_indented_with_full_width_spaces_is_named_not_read_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # YAML reads `　　contact: 王某` as a key "　　contact" of the document: no syntax error,
    # but an unknown key and a missing one before.
    text = form("contact: 王某\n", "\u3000\u3000contact: 王某\n")
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and lines[0].startswith(
        f"{where(text, '　')}: 错误[yaml]: 这一行用 U+3000"
    )


def test_a_full_width_colon_after_a_key_is_reported_on_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: "could not find expected ':'" on the next line, column 1.
    text = form("unit: 示例市养老服务中心", "unit： 示例市养老服务中心")
    lines = check_text(tmp_path, text, capsys)
    assert lines == [
        f"{where(text, '：')}: 错误[yaml]: 这里的冒号是全角冒号“：”(U+FF1A),YAML 只认半角冒号“:”,"
        "所以这一项没有键 (改成半角冒号加一个空格,如 name: 项目)"
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("funding:\n", "funding：\n"),  # a key over a nested mapping
        ("contact: 王某", "contact：王某"),  # no space after it
        ("  planned: 为辖区", "  planned： 为辖区"),  # in a nested mapping
    ],
)
def test_a_full_width_colon_in_block_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    text = form(old, new)
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and lines[0].startswith(
        f"{where(text, '：')}: 错误[yaml]: 这里的冒号是全角冒号"
    )


def test_a_full_width_colon_in_a_row_is_one_message_and_the_row_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: "unknown key 'level1： 产出指标'" and "level1: this field is required".
    text = form("{level1: 产出指标, level2: 质量指标", "{level1： 产出指标, level2: 质量指标")
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        f"{where(text, '：')}: 错误[yaml]: indicators[1].level1: 这里的冒号是全角冒号"
    )


def test_full_width_commas_between_the_entries_of_a_row_one_message_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form(
        "{level1: 效益指标, level2: 社会效益指标, name",
        "{level1: 效益指标，level2: 社会效益指标，name",
    )
    lines = check_text(tmp_path, text, capsys)
    row = where(text, "，").split(":")[0]
    columns = [i + 1 for i, c in enumerate(text.splitlines()[int(row) - 1]) if c == "，"]
    assert [line.split(": 错误")[0] for line in lines] == [f"{row}:{c}" for c in columns]
    assert all("全角逗号“，”(U+FF0C)" in line for line in lines)


def test_full_width_punctuation_inside_text_is_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form("contact: 王某", "contact: 王某：科员，电话另告").replace(
        "weight: 30, score: 30}", "weight: 30, score: 30, reason: 原因：资金未到位，已整改}", 1
    )
    assert check_text(tmp_path, text, capsys) == []


def test_several_slips_in_one_file_one_message_each_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form("contact: 王某", "contact： 王某")
    text = text.replace(INDENTED_ROW, "\u3000- {level1: 满意度指标").replace(
        "  achieved:", "\u00a0 achieved:"
    )
    lines = check_text(tmp_path, text, capsys)
    assert [line.split(": 错误")[0] for line in lines] == [
        where(text, "："),
        where(text, "\u00a0"),
        where(text, "\u3000"),
    ]


def test_a_syntax_error_of_another_kind_names_the_character_chinese_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form("{level1: 产出指标, level2: 质量指标", "{level1: 产出指标, level2 质量指标: [x")
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and "错误[yaml]: " in lines[0]
    message = lines[0].split("错误[yaml]: ")[1]
    assert "此处是" in message and "YAML syntax" not in message


# --- the reader alone, on inputs of each kind -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: {x: 1,000, y: 2}\n", [(2, 9, "x 的数字 1,000")]),
        ("b: {x: 1,000,000.5}\n", [(1, 9, "x 的数字 1,000,000.5")]),
        ("b: {r: 甲,乙,丙, y: 2}\n", [(1, 8, "r 的文字“甲,乙,丙”")]),
        ("b: {r: 甲,说明: 乙, y: 2}\n", [(1, 8, "r 的文字“甲,说明: 乙”")]),
        ("b: {y: 2,3}\n", [(1, 8, "y 的数字 2,3")]),
        ("b: {k： v, y: 2}\n", [(1, 6, "全角冒号")]),
        ("b: {y: 2, k：v}\n", [(1, 12, "全角冒号")]),
        ("a: 1\nb： 2\nc: 3\n", [(2, 2, "全角冒号")]),
        ("b: {x: 1，y: 2}\n", [(1, 9, "全角逗号")]),
        ("a:\n  b: 1\n\tc: 2\n", [(3, 1, "U+0009")]),
        ("a:\n  - x: 1\n\u3000\u3000y: 2\n", [(3, 1, "U+3000")]),
        ("a:\n\u00a0 b: 1\n", [(2, 1, "U+00A0")]),
        ("\t", [(1, 1, "U+0009")]),  # the text is nothing but the slip (was an internal error)
    ],
)
def test_each_slip_is_one_problem_where_it_is(
    text: str, expected: list[tuple[int, int, str]]
) -> None:
    document = load_text(text, Path("f.yaml"))
    found = [(p.line, p.column) for p in document.problems]
    assert found == [(line, column) for line, column, _ in expected], document.problems
    for problem, (_, _, words) in zip(document.problems, expected, strict=True):
        assert words in problem.message_zh and problem.hint_zh and problem.hint


@pytest.mark.parametrize(
    "text",
    [
        "reason: 原因：资金未到位，已整改\n",
        "b: {r: 甲，乙：丙, c: 1}\n",
        "b: {r: '甲,乙', c: \"1,000\"}\n",
        "levels: {产出指标: 50,效益指标: 30}\n",
        "b: {x: 1,y: 2}\n",
        "g: |\n  第一段\n  \u3000\u3000第二段\n",
        "a: 甲\u3000乙\n",
    ],
)
def test_what_is_no_slip_is_read_as_written(text: str) -> None:
    fast = load_text(text, Path("f.yaml"))
    full = load_text(text, Path("f.yaml"), fast=False)
    assert fast.problems == full.problems == []
    assert fast.data == full.data == yaml.safe_load(text)


def test_a_split_value_is_joined_back_for_the_rest_of_the_check() -> None:
    document = load_text("t: {a: 5,000.50, r: 甲,乙, n: 1}\n", Path("f.yaml"))
    assert document.data == {"t": {"a": Decimal("5000.50"), "r": "甲,乙", "n": 1}}
    assert [p.covers for p in document.problems] == [(("t", "a"), ("t", "r"))]


def test_a_text_split_after_a_comma_and_a_space_is_named_in_the_unknown_key_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form(
        "weight: 30, score: 30}", "weight: 30, score: 30, reason: 一是资金, 二是人员: 不足}"
    )
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and "未知的键“二是人员”" in lines[0]
    assert "是半角逗号把文字拆开了:请给整段文字加上引号" in lines[0]


def test_after_the_slips_of_a_syntax_error_the_rest_of_the_text_is_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The full-width colon breaks the syntax; the comma in the amount does not, and is said in
    # the same run, at its own place.
    text = form("unit: 示例市养老服务中心", "unit： 示例市养老服务中心").replace(
        "{initial: 500000.00,", "{initial: 500,000.00,"
    )
    lines = check_text(tmp_path, text, capsys)
    assert [line.split(": 错误")[0] for line in lines] == [where(text, "："), where(text, ",000")]
