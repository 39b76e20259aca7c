"""One mistake, one message: a finding that only follows from another is dropped or marked.

Case `invisible-indent` (its last line): a typo in one row's 一级指标 gave the unknown-level
error and a second, misleading weights error on another row. Of the same kind: a 一级指标
misspelt in `weights.levels` (an error on every row), a 得分 above its 分值 (said again as a
总分 that is not the sum of the 得分), a 分值 typed wrong (said again by every figure computed
from it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_yaml_slips import FORM, check_text, form, where

LEVEL_ROW = "{level1: 产出指标, level2: 质量指标"


def test_a_misspelt_first_level_in_one_row_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: also "weights of 产出指标 add up to 30, expected 50" on the first row.
    text = form(LEVEL_ROW, "{level1: 产出指, level2: 质量指标")
    lines = check_text(tmp_path, text, capsys)
    assert lines == [
        f"{where(text, '产出指,')}: 错误[unknown-level]: indicators[1].level1: “产出指”不是本表的"
        "一级指标 (是否应为“产出指标”?)"
    ]


def test_the_only_row_of_a_level_misspelt_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form("{level1: 效益指标, level2: 社会效益指标", "{level1: 效益指, level2: 社会效益指标")
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and "错误[unknown-level]: indicators[2].level1: “效益指”" in lines[0]


def test_a_misspelt_row_and_a_wrong_weight_are_two_messages_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form(LEVEL_ROW, "{level1: 产出指, level2: 质量指标").replace(
        "weight: 20, score: 20", "weight: 15, score: 15"
    )
    lines = check_text(tmp_path, text, capsys)
    row = where(text, "产出指,").split(":")[0]
    sums = [line for line in lines if "警告[weights-level-sum]" in line]
    assert len(sums) == 1
    assert f"合计 45 分,应为 50 分;按表上所印计分(第 {row} 行的“产出指”按“产出指标”计入)" in sums[0]
    assert sum("错误[unknown-level]" in line for line in lines) == 1


def test_a_first_level_misspelt_in_the_weights_is_one_message_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: "unknown-level" on both 产出指标 rows and "weights of 产出指 add up to 0".
    text = form("levels: {产出指标: 50,", "levels: {产出指: 50,")
    lines = check_text(tmp_path, text, capsys)
    assert lines == [
        f"{where(text, '50', 'levels')}: 错误[unknown-level]: weights.levels.产出指: 一级指标在"
        " weights.levels 里写作“产出指”,在其下 2 行指标里写作“产出指标” (统一写法,如把这里改为“产出指标”)"
    ]


def test_a_score_over_its_weight_is_not_said_again_as_the_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: also "total-not-sum: the 总分 row declares 100, but the form's own scores add up
    # to 102".
    text = form("weight: 20, score: 20", "weight: 20, score: 22")
    lines = check_text(tmp_path, text, capsys)
    assert len(lines) == 1 and "警告[score-over-weight]: indicators[1].score" in lines[0]


def test_a_total_that_is_not_the_sum_for_another_reason_is_still_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = form("weight: 20, score: 20", "weight: 20, score: 22").replace(
        "total: 100\n", "total: 95\n"
    )
    codes = [line.split("[")[1].split("]")[0] for line in check_text(tmp_path, text, capsys)]
    assert "score-over-weight" in codes and "total-not-sum" in codes


def test_figures_computed_under_a_wrong_weight_are_marked_as_following_from_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A 分值 of 200 for 20: the sum is wrong, and so are the formula score of the row and the
    # computed total; these say that they follow from the sum.
    text = form("weight: 20, score: 20", "weight: 200, score: 20")
    lines = check_text(tmp_path, text, capsys)
    first = where(text, "30, score: 30}", "服务人数").split(":")[0]
    assert sum("警告[weights-level-sum]" in line for line in lines) == 1
    following = [line for line in lines if "警告[weights-level-sum]" not in line]
    assert following, lines
    assert all(f"由产出指标的分值合计不符(第 {first} 行)引起" in line for line in following), (
        following
    )


def test_the_form_without_mistakes_has_nothing_to_settle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_text(tmp_path, FORM, capsys) == []


def test_a_level_left_without_rows_by_a_misspelling_is_marked_without_a_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The weights finding of a level that has no row left sits at `indicators` itself (no row
    # number): marking the findings that follow from it must not look for one.
    text = (
        form("{level1: 满意度指标,", "{level1: 其他,")
        .replace("weight: 20, score: 20", "weight: 15, score: 15")
        .replace("  levels: {产出指标: 50, 效益指标: 30, 满意度指标: 10}\n", "")
    )
    lines = check_text(tmp_path, text, capsys)
    assert sum("错误[unknown-level]" in line for line in lines) == 1
    assert sum("警告[weights-level-sum]" in line for line in lines) == 2  # 产出 45, 满意度 0


def test_a_misspelt_row_that_makes_its_sum_right_beside_a_wrong_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: an internal error (IndexError): the sum, dropped, was still looked for in order
    # to mark the 总分 mismatch as following from it.
    text = form(LEVEL_ROW, "{level1: 产出指, level2: 质量指标").replace("total: 100", "total: 90")
    lines = check_text(tmp_path, text, capsys)
    assert sum("错误[unknown-level]" in line for line in lines) == 1
    (total,) = [line for line in lines if "警告[total-mismatch]" in line]
    assert "follows from" not in total
    assert not any("weights-level-sum" in line for line in lines)
