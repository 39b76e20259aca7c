"""Bad input: each mistake is reported as one exact `file:line:col: severity[code]: field: ...` line.

The exact lines here are the English (`--lang en`, and `message`/`hint` of `check --json`); the
default, Chinese, is held to the same place, code and figures line by line (`said_in_chinese`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import minimal_project, position_of, project_yaml, write_project

FINDING_LINE = re.compile(r"^\S+:\d+:\d+: (error|warning|note|错误|警告|说明)\[")
CHINESE_LABELS = {"error": "错误", "warning": "警告", "note": "说明"}
# Figures of an English message that its Chinese leaves out, by code, and why.
UNSAID = {
    # The policy's threshold and deduction are not among the finding's figures (open data
    # carries them unchanged); the Chinese names the points that result.
    "over-achievement-deducted": {"130", "50"},
}
VALID_YAML = project_yaml(minimal_project())


@pytest.fixture
def content(tiny_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny content folder, as the relative path `content` that the messages will show."""
    monkeypatch.chdir(tiny_content.parent)
    return Path("content")


def check(
    capsys: pytest.CaptureFixture[str], *args: str, lang: str = "en"
) -> tuple[int, list[str]]:
    """Run `jixiao check --lang en` in-process: its exit code and the finding lines it printed;
    with `lang="en"`, also run it in Chinese, the default, and hold each line to its English
    (`said_in_chinese`)."""
    exit_code, lines = _check(capsys, *args, "--lang", lang)
    if lang == "en":
        chinese_code, chinese = _check(capsys, *args)
        assert chinese_code == exit_code
        assert len(chinese) == len(lines), chinese
        for english, said in zip(lines, chinese, strict=True):
            said_in_chinese(english, said)
    return exit_code, lines


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    exit_code = main(["check", "--content", "content", "--jobs", "1", *args])
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    return exit_code, [line for line in printed.out.splitlines() if FINDING_LINE.match(line)]


def said_in_chinese(english: str, chinese: str) -> None:
    """The Chinese line of a finding says what its English line says: the same place, code
    and field, the severity in Chinese, a sentence in Chinese with every figure of the English
    one (numbers), and no English sentence (words of four letters or more come from the form:
    its keys and values)."""
    where, label, code, rest = re.match(
        r"^(\S+:\d+:\d+): (\w+)\[([\w-]+)\]: (.*)$", english
    ).groups()
    assert chinese.startswith(f"{where}: {CHINESE_LABELS[label]}[{code}]: "), chinese
    said = chinese.split(f"[{code}]: ", 1)[1]
    field = rest.split(": ", 1)[0] if ": " in rest and not rest.startswith(("the ", "YAML")) else ""
    message = rest.split(" (", 1)[0]
    assert re.search(r"[\u4e00-\u9fff]", said), chinese
    numbers = {Decimal(n).normalize() for n in re.findall(r"\d+(?:\.\d+)?", said)}
    for figure in set(re.findall(r"\d+(?:\.\d+)?", message)) - UNSAID.get(code, set()):
        assert Decimal(figure).normalize() in numbers, f"{figure} of {english!r}: {chinese!r}"
    paths = r"\S+\.yaml|'[^']*'|\"[^\"]*\"|“[^”]*”"  # files and quoted text from the form
    english_words = set(re.findall(r"[A-Za-z]{4,}", re.sub(paths, "", message))) - set(
        re.findall(r"[A-Za-z_]+", f"{field} {VALID_YAML}")
    )
    sentence = said.removeprefix(f"{field}: ").rsplit(" (", 1)[0]  # the hint may name keys
    sentence = re.sub(paths, "", sentence)
    assert not set(re.findall(r"[A-Za-z]{4,}", sentence)) & english_words, chinese


def edited(old: str, new: str) -> str:
    """The valid project's YAML with one piece of text replaced."""
    assert old in VALID_YAML, f"{old!r} is not in the minimal project"
    return VALID_YAML.replace(old, new, 1)


# (replace this, with this, the text the finding points at, what follows `file:line:col: `)
BAD_INPUT = [
    pytest.param(
        "unit: 测试单位",
        "unit: 测试单位: 多余",
        ": 多余",
        "error[yaml]: YAML syntax: mapping values are not allowed in this context"
        " (check indentation and quoting on this line or the one above)",
        id="malformed-yaml",
    ),
    pytest.param(
        "unit: 测试单位",
        "unit: 测试单位\ncontcat: 章桃",
        "章桃",
        "error[schema-extra-forbidden]: contcat: unknown key 'contcat' (did you mean 'contact'?)",
        id="unknown-key",
    ),
    pytest.param(
        "  weight: 50",
        "  weight: 50\n  reson: 无",
        "无",
        "error[schema-extra-forbidden]: indicators[0].reson: unknown key 'reson' "
        "(did you mean 'reason'?)",
        id="unknown-nested-key",
    ),
    # 度量单位 is `measure_unit` in the code and `unit` in the files: only `unit` is read.
    pytest.param(
        "  weight: 50",
        "  weight: 50\n  measure_unit: 人次/年",
        "人次/年",
        "error[schema-extra-forbidden]: indicators[0].measure_unit: unknown key 'measure_unit' "
        "(allowed keys: level1, level2, name, target, actual, weight, score, reason, nature, "
        "unit, core, subrows)",
        id="measure-unit-by-its-code-name",
    ),
    pytest.param(
        "  weight: 50",
        "  weight: 50\n  unit: 98765",
        "98765",
        "error[schema-string-type]: indicators[0].unit: expected text, got int 98765 (quote it: "
        '"98765")',
        id="measure-unit-by-its-file-key",
    ),
    pytest.param(
        "goals:",
        "zzz: 未知\ngoals:",
        "未知",
        "error[schema-extra-forbidden]: zzz: unknown key 'zzz' (allowed keys: id, year, name, "
        "department, unit, filing_unit, filled_on, contact, funding, goals, weights, indicators, "
        "declared, template, region, code, unit_code, people, categories, remarks, partial, source, "
        "labels)",
        id="unknown-key-no-suggestion",
    ),
    pytest.param(
        "name: 测试项目",
        "name: !!python/object:os.system {}",
        "!!python",
        "error[yaml]: name: the tag '!!python/object:os.system' is not allowed "
        "(only plain YAML values are read; remove the tag)",
        id="python-object-tag",
    ),
    pytest.param(
        "name: 测试项目",
        "name: !!python/object/apply:os.system ['true']",
        "!!python",
        "error[yaml]: name: the tag '!!python/object/apply:os.system' is not "
        "allowed (only plain YAML values are read; remove the tag)",
        id="python-apply-tag",
    ),
    pytest.param(
        "year: 2023",
        "year: [2023]",
        "[2023]",
        "error[schema-int-type]: year: expected a number, got [2023] "
        "(write digits only, e.g. 10 or 86870000.00)",
        id="wrong-type-list-for-number",
    ),
    pytest.param(
        "name: 测试项目",
        "name: 123",
        "123",
        'error[schema-string-type]: name: expected text, got int 123 (quote it: "123")',
        id="wrong-type-number-for-text",
    ),
    pytest.param(
        "unit: 测试单位\n",
        "",
        "id: ",
        "error[schema-missing]: unit: this field is required but missing "
        "(实施单位: Implementing unit.)",
        id="missing-field",
    ),
    pytest.param(
        "    executed: 1000\n",
        "",
        "initial: 1000",
        "error[schema-missing]: funding.total.executed: this field is required but missing "
        "(全年执行数(B): Amount executed in the year.)",
        id="missing-nested-field",
    ),
    pytest.param(
        "  weight: 50",
        "  weight: 五十",
        "五十",
        "error[schema-decimal-parsing]: indicators[0].weight: expected a number, got '五十' "
        "(write digits only, e.g. 10 or 86870000.00)",
        id="weight-not-a-number",
    ),
    pytest.param(
        "filled_on: 2023-12-25",
        "filled_on: 2023-13-45",
        "2023-13-45",
        "error[yaml]: filled_on: '2023-13-45' is not a real date (write YYYY-MM-DD)",
        id="impossible-date",
    ),
    pytest.param(
        "filled_on: 2023-12-25",
        "filled_on: 2023/12/25",
        "2023/12/25",
        "error[schema-date-from-datetime-parsing]: filled_on: expected a date, got '2023/12/25' "
        "(write YYYY-MM-DD, e.g. 2023-12-25)",
        id="date-with-slashes",
    ),
    pytest.param(
        "    initial: 1000",
        "    initial: -5",
        "-5",
        "error[schema-greater-than-equal]: funding.total.initial: must be at least 0, got -5 "
        "(amounts and points cannot be negative)",
        id="negative-money",
    ),
    pytest.param(
        "  target: ≥100人",
        "  target: ≥≤5",
        "≥≤5",
        "error[value-unreadable]: indicators[0].target: '≥≤5' starts with a comparison but has no "
        "number after it (write an operator, a number and a unit, e.g. ≥95% or ≤30万元)",
        id="unparseable-operator",
    ),
    pytest.param(
        "id: ceshi-xiangmu",
        "id: Ceshi_Xiangmu",
        "Ceshi_Xiangmu",
        "error[schema-string-pattern-mismatch]: id: 'Ceshi_Xiangmu' does not have the expected "
        "form (项目标识: Stable id (lower-case letters, digits, hyphens): the project's address, "
        "the same across years.)",
        id="id-with-capitals",
    ),
]


# The form's own arithmetic contradicting itself: a warning, the form scored as printed and
# published (exit 0), never an error (replace this, with this, where, the line).
CONTRADICTIONS = [
    pytest.param(
        "    executed: 1000",
        "    executed: 1200",
        "1200",
        "warning[executed-over-budget]: funding.total.executed: 全年执行数 1200 is greater than "
        "全年预算数 1000; the execution rate counts at most 100% (check both figures against the "
        "form)",
        id="executed-over-budget",
    ),
    pytest.param(
        "  weight: 50",
        "  weight: 45",
        "45",
        "warning[weights-level-sum]: indicators[0].weight: weights of 产出指标 add up to 45, "
        "expected 50; the form is scored as printed (the 分值 of the 三级指标 under a 一级指标 "
        "should add up to its points)",
        id="level-weights-do-not-add-up",
    ),
    pytest.param(
        "  weight: 50",
        "  weight: 50\n  score: 60",
        "60",
        "warning[score-over-weight]: indicators[0].score: declared score 60 is more than the "
        "weight 50; the row counts at most 50 (an indicator cannot score more than its 分值: "
        "check both against the form)",
        id="score-over-weight",
    ),
]


@pytest.mark.parametrize(("old", "new", "points_at", "message"), CONTRADICTIONS)
def test_a_form_contradicting_itself_is_a_warning(
    content: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    points_at: str,
    message: str,
) -> None:
    path = write_project(content, edited(old, new))
    exit_code, lines = check(capsys)
    assert lines == [f"{position_of(path, points_at)}: {message}"]
    assert exit_code == 0


@pytest.mark.parametrize(("old", "new", "points_at", "message"), BAD_INPUT)
def test_bad_input_gives_one_exact_line(
    content: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    points_at: str,
    message: str,
) -> None:
    path = write_project(content, edited(old, new))
    exit_code, lines = check(capsys)
    assert lines == [f"{position_of(path, points_at)}: {message}"]
    assert exit_code == 1


def test_duplicate_key_points_at_the_second(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_project(content, VALID_YAML + "name: 重复\n")
    second = len(VALID_YAML.splitlines()) + 1
    first = position_of(path, "name: 测试项目").split(":")[1]
    _, lines = check(capsys)
    assert lines == [
        f"{path.as_posix()}:{second}:1: error[yaml]: name: duplicate key 'name' (first given on "
        f"line {first}) (keep one of them; YAML would silently keep only the last)"
    ]


def test_file_that_is_not_a_mapping(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_project(content, "- 一\n- 二\n")
    _, lines = check(capsys)
    assert lines == [
        f"{path.as_posix()}:1:1: error[yaml]: the file must be a mapping of keys and values"
    ]


def test_file_that_is_not_utf8(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_project(content)
    path.write_bytes("id: ceshi\n\nname: 测试项目\n".encode("gbk"))
    _, lines = check(capsys)
    assert lines == [
        f"{path.as_posix()}:3:7: error[yaml]: the file is not UTF-8 text (byte 0x{'测'.encode('gbk')[0]:02X} here)"
        " (save it as UTF-8)"
    ]


def test_unknown_first_level_suggests_the_nearest(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_project(content, edited("level1: 产出指标", "level1: 产出指表"))
    _, lines = check(capsys)
    assert (
        f"{position_of(path, '产出指表')}: error[unknown-level]: indicators[0].level1: '产出指表' "
        "is not a first-level indicator of this form (did you mean '产出指标'?)"
    ) in lines


def test_duplicate_project_id_within_a_year(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write_project(content, name="a.yaml")
    second = write_project(content, name="b.yaml", unit="other")
    # The same id in another year is the same project a year on: no finding for it.
    write_project(content, minimal_project(year=2024), name="c.yaml", unit="zzz")
    exit_code, lines = check(capsys)
    # Both files: neither can be published as the project at that address, whichever is first.
    assert lines == [
        f"{position_of(first, 'ceshi-xiangmu')}: error[duplicate-id]: id: id 'ceshi-xiangmu' is "
        f"also used for 2023 by {second.as_posix()} (each project needs its own id within a year)",
        f"{position_of(second, 'ceshi-xiangmu')}: error[duplicate-id]: id: id 'ceshi-xiangmu' is "
        f"already used for 2023 by {first.as_posix()} (each project needs its own id within a year)",
    ]
    assert exit_code == 1


def test_broken_file_does_not_stop_the_others(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(content, "id: [\n", name="a-broken.yaml")
    write_project(content, edited("year: 2023", "year: 二〇二三"), name="b-wrong-type.yaml")
    write_project(content, name="c-valid.yaml")
    exit_code = main(["check", "--content", "content", "--jobs", "1", "--json"])
    document = json.loads(capsys.readouterr().out)
    by_file = {Path(p["file"]).name: p for p in document["projects"]}
    assert exit_code == 1
    assert by_file["a-broken.yaml"]["computed"] is None
    assert [f["code"] for f in by_file["a-broken.yaml"]["findings"]] == ["yaml"]
    assert by_file["b-wrong-type.yaml"]["computed"] is None
    assert [f["code"] for f in by_file["b-wrong-type.yaml"]["findings"]] == ["schema-int-parsing"]
    assert by_file["c-valid.yaml"]["computed"]["total"] == 100
    assert by_file["c-valid.yaml"]["findings"] == []
    assert document["summary"] == {"projects": 3, "errors": 2, "warnings": 0, "notes": 0}


def test_misspelt_site_setting(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("base_url:", "base_ulr:"), "utf-8")
    write_project(content)
    exit_code, lines = check(capsys)
    assert (
        f"{position_of(site, 'https')}: error[schema-extra-forbidden]: base_ulr: unknown key "
        "'base_ulr' (did you mean 'base_url'?)"
    ) in lines
    assert exit_code == 1


def test_missing_site_yaml(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "site.yaml").unlink()
    write_project(content)
    exit_code, lines = check(capsys)
    assert lines == [
        "content/site.yaml:1:1: error[config-missing]: content/site.yaml is missing "
        "(create it with at least `title:` and `base_url:`)"
    ]
    assert exit_code == 1


def test_warnings_fail_only_under_strict(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_project(content, minimal_project(declared={"total": 97}))
    exit_code, lines = check(capsys)
    assert lines == [
        f"{position_of(path, '97')}: warning[total-mismatch]: declared.total: the 总分 row "
        "declares 97, the rules give 100 (total = execution score + every indicator score)"
    ]
    assert exit_code == 0
    assert check(capsys, "--strict")[0] == 1


def test_notes_do_not_fail_strict(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = minimal_project()
    data["indicators"][0].update(target="≤100人", actual="≤120人")
    path = write_project(content, data)
    exit_code, lines = check(capsys, "--strict", "--notes")
    assert lines == [
        f"{position_of(path, '≤120人')}: note[reverse-breached]: indicators[0].actual: actual "
        "≤120人 exceeds the 反向 target ≤100人: 41.67 of 50 under the 'national' policy"
    ]
    assert exit_code == 0


def test_every_bad_input_at_once_as_a_real_process(tiny_content: Path) -> None:
    """All the broken files together: exit 1, every file reported, and never a traceback."""
    for number, case in enumerate(BAD_INPUT):
        old, new, _, _ = case.values
        write_project(tiny_content, edited(str(old), str(new)), name=f"case-{number:02}.yaml")
    write_project(tiny_content, VALID_YAML + "name: 重复\n", name="duplicate-key.yaml")
    write_project(tiny_content, "- 一\n", name="not-a-mapping.yaml")
    completed = subprocess.run(
        [sys.executable, "-m", "builder", "check", "--content", str(tiny_content), "--notes"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tiny_content.parent,
        timeout=60,
    )
    assert completed.returncode == 1
    assert completed.stderr == ""
    assert "Traceback" not in completed.stdout
    reported = {
        Path(line.split(":", 1)[0]).name
        for line in completed.stdout.splitlines()
        if FINDING_LINE.match(line)
    }
    assert reported == {p.name for p in tiny_content.rglob("*.yaml") if p.name != "site.yaml"}


EXPLAIN_OVER_130 = "  over_achievement: {threshold: 1.3, action: explain}\n"
REASON_BELOW_90 = "  execution_reason_below: 90\n"

# Figures that disagree with the rules or with each other: (row to change, its changes, other
# top-level changes, extra scoring settings, [(text pointed at, on the line with, message)]).
DISAGREEING_FIGURES = [
    pytest.param(
        0,
        {"actual": "≥90人", "score": 40},
        {},
        "",
        [
            (
                "40",
                "score: 40",
                "warning[score-below-rule]: indicators[0].score: declared 40, the formula gives "
                "45, and no reason is given (give the reason in 未完成原因分析, or correct the score)",
            )
        ],
        id="score-below-rule",
    ),
    pytest.param(
        0,
        {"actual": "≥90人", "score": 40, "reason": "年中调整"},
        {},
        "",
        [
            (
                "40",
                "score: 40",
                "note[judgement-accepted]: indicators[0].score: declared 40, the formula gives 45: "
                "lower score with a reason, accepted as the evaluator's judgement",
            )
        ],
        id="judgement-accepted",
    ),
    pytest.param(
        0,
        {"actual": "≥90人", "score": 50},
        {},
        "",
        [
            (
                "50",
                "score: 50",
                "warning[score-above-rule]: indicators[0].score: declared 50, the rules allow at "
                "most 45 (正向: weight × actual/target)",
            )
        ],
        id="score-above-rule",
    ),
    pytest.param(
        1,
        {"score": 20},
        {},
        "",
        [
            (
                "20",
                "score: 20",
                "warning[score-below-band]: indicators[1].score: declared 20 is below the band "
                "24–30 that '达成年度指标' names (either the 实际完成值 or the score is wrong)",
            )
        ],
        id="score-below-band",
    ),
    pytest.param(
        0,
        {"actual": "≥100元"},
        {},
        "",
        [
            (
                "≥100元",
                "",
                "warning[units-differ]: indicators[0].actual: cannot compare: target in 人, actual "
                "in 元; no score is declared: 50 counted (write the actual value in the target's unit)",
            )
        ],
        id="units-differ",
    ),
    pytest.param(
        0,
        {"target": "足额发放", "nature": "定量"},
        {},
        "",
        [
            (
                "足额发放",
                "",
                "warning[value-not-quantitative]: indicators[0].target: marked 定量 but '足额发放' / "
                "'≥100人' is not a pair of numbers: no score is declared: 50 counted (write both cells as "
                "the form prints them; a row in words is 定性)",
            )
        ],
        id="value-not-quantitative",
    ),
    pytest.param(
        0,
        {},
        {"declared": {"execution_rate": 99, "execution_score": 9.9}},
        "",
        [
            (
                "99",
                "execution_rate",
                "warning[execution-rate-mismatch]: declared.execution_rate: declared 执行率 99%, "
                "computed 100% (执行率 = 全年执行数 / 全年预算数 of the 年度资金总额 row)",
            ),
            (
                "9.9",
                "execution_score",
                "warning[execution-score-mismatch]: declared.execution_score: declared 9.9, "
                "computed 10 (score = weight × min(执行率, 100%))",
            ),
        ],
        id="execution-mismatch",
    ),
    pytest.param(
        0,
        {},
        {"declared": {"grade": "良好", "conclusion": "自评分数90分,自评等次为良好。"}},
        "",
        [
            (
                "良好",
                "grade",
                "warning[grade-mismatch]: declared.grade: declared grade 良好, the total 100 earns "
                "优秀 (grades follow the cut-offs in content/site.yaml)",
            ),
            (
                "自评分数",
                "",
                "warning[conclusion-total-mismatch]: declared.conclusion: the 自评结论 quotes 90, "
                "the rules give 100",
            ),
            (
                "自评分数",
                "",
                "warning[conclusion-grade-mismatch]: declared.conclusion: the 自评结论 names the "
                "grade 良好, the total 100 earns 优秀",
            ),
        ],
        id="grade-and-conclusion",
    ),
    pytest.param(
        0,
        {"actual": "200人"},
        {},
        EXPLAIN_OVER_130,
        [
            (
                "level1: 产出指标",
                "",
                "warning[over-achievement-unexplained]: indicators[0].reason: actual is 200.00% of "
                "the target but 未完成原因分析 gives no explanation (explain why the target was "
                "exceeded so far)",
            )
        ],
        id="over-achievement-unexplained",
    ),
    pytest.param(
        0,
        {},
        {"funding": {"total": {"initial": 1000, "budget": 1000, "executed": 500}}},
        REASON_BELOW_90,
        [
            (
                "500",
                "",
                "warning[execution-unexplained]: funding.total.executed: 执行率 50% is below 90% "
                "and no reason is given (give the reason in funding.reason)",
            )
        ],
        id="execution-unexplained",
    ),
    pytest.param(
        0,
        {},
        {
            "funding": {
                "total": {"initial": 1000, "budget": 1000, "executed": 1000},
                "fiscal": {"initial": 1000, "budget": 900, "executed": 900},
            }
        },
        "",
        [
            (
                "1000",
                "    budget: 1000",
                "warning[funding-rows-disagree]: funding.total.budget: 全年预算数: the rows under "
                "total add up to 900, but total says 1000 (total should equal fiscal + other)",
            ),
            (
                "1000",
                "    executed: 1000",
                "warning[funding-rows-disagree]: funding.total.executed: 全年执行数: the rows "
                "under total add up to 900, but total says 1000 (total should equal fiscal + other)",
            ),
        ],
        id="funding-rows-disagree",
    ),
    pytest.param(
        0,
        {},
        {"weights": {"execution": 20}},
        "",
        [
            (
                "execution: 20",
                "",
                "warning[weights-total]: weights: execution and first-level weights add up to 110, "
                "expected 100; the form is scored as printed (check the (N分) of each 一级指标 and "
                "the 分值 of the execution row against the form)",
            ),
            (
                "execution: 20",
                "",
                "warning[total-above-full]: weights: the rules give 110, above the full mark of "
                "100 (no form can score more than the full mark: check the 分值 and the 得分 "
                "columns)",
            ),
        ],
        id="weights-total",
    ),
]


@pytest.mark.parametrize(
    ("row", "row_changes", "changes", "scoring", "expected"), DISAGREEING_FIGURES
)
def test_figures_that_disagree(
    content: Path,
    capsys: pytest.CaptureFixture[str],
    row: int,
    row_changes: dict[str, object],
    changes: dict[str, object],
    scoring: str,
    expected: list[tuple[str, str, str]],
) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + scoring, encoding="utf-8")
    data = minimal_project(**changes)
    data["indicators"][row].update(row_changes)
    path = write_project(content, data)
    exit_code, lines = check(capsys, "--notes")
    assert lines == [
        f"{position_of(path, needle, line_with)}: {message}"
        for needle, line_with, message in expected
    ]
    assert exit_code == (1 if any(message.startswith("error") for *_, message in expected) else 0)
