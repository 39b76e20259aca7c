"""Staff messages come from gettext catalogues (`builder/locale/<lang>/LC_MESSAGES/jixiao.po`,
read with Babel): every key in every catalogue with the same placeholders, every key the code
says found in them (Babel's extractor over builder/), and the language chosen as POSIX says:
`--lang` over `LC_ALL` over `LC_MESSAGES` over `LANG`, Chinese when none names English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from builder import i18n
from builder.intake import outcome
from builder.rules.findings import Severity

from .conftest import minimal_project, write_project
from .test_cli_words import jixiao as _jixiao

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w+)")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _forms(message) -> list[str]:  # a Babel Message's translation(s), as a list
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _messages(lang: str) -> dict[str, object]:
    return {
        message.id[0] if message.pluralizable else message.id: message
        for message in i18n.catalogue(lang)
        if message.id
    }


def _said_keys() -> set[str]:
    """Every key the code passes to `say`/`say_n` as a literal, found as `pybabel extract`
    finds messages."""
    found = extract_from_dir(
        str(ROOT / "builder"),
        method_map=[("**.py", "python")],
        keywords=i18n.KEYWORDS,
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, *_ in found}


def _dynamic_keys() -> set[str]:
    """The keys the code makes from a name rather than writes out: severities, the check
    table's columns, the import's statuses, the commands' failures."""
    from builder.report.terminal import _TABLE_COLUMNS

    return (
        _finding_keys()
        | {f"severity.{severity}" for severity in Severity}
        | {f"check.column.{name}" for name, _ in _TABLE_COLUMNS}
        | {
            f"import.status.{status}"
            for status in (
                outcome.WRITTEN,
                outcome.UNCHANGED,
                outcome.DIFFERS,
                outcome.DRY_RUN,
                outcome.NO_YEAR,
            )
        }
        | {"cli.failure.build", "cli.failure.import"}
    )


# Codes made where the scan cannot read them (a variable, a reader's problem): their makers
# write the English themselves.
UNSCANNED = {"file", "partial-form", "partial-form-total-whole"}


def _finding_keys() -> set[str]:
    """The findings' keys (`finding.<code>`, `hint.<code>` and their alternatives `.2`, …),
    which `findings.templates` makes from each code the builder makes (tests/test_explain.py's
    scan, `schema-*` as `schema`) and the unscored rows' table."""
    from builder.rules.readings import _UNSCORED

    from .test_explain import CODES

    codes = (
        {code.rstrip("-") for code in CODES} | {code for code, _ in _UNSCORED.values()} | UNSCANNED
    )
    known = _messages("zh").keys()
    return {
        key
        for key in known
        for code in codes
        for kind in ("finding", "hint")
        if key == f"{kind}.{code}"
        or re.fullmatch(rf"{re.escape(kind)}\.{re.escape(code)}\.\d+", key)
    }


def test_every_key_is_in_every_catalogue_with_the_same_placeholders() -> None:
    chinese, english = _messages("zh"), _messages("en")
    assert chinese.keys() == english.keys()
    assert len(chinese) > 40
    for key, zh in chinese.items():
        en = english[key]
        assert zh.pluralizable == en.pluralizable, key
        zh_forms, en_forms = _forms(zh), _forms(en)
        assert all(zh_forms) and all(en_forms), f"{key}: a form left untranslated"
        # Chinese says a count one way; English, singular and plural.
        assert len(zh_forms) == 1 and len(en_forms) == (2 if en.pluralizable else 1), key
        expected = sorted(set(PLACEHOLDER.findall(zh_forms[0])))
        for form in en_forms:
            assert sorted(set(PLACEHOLDER.findall(form))) == expected, (key, form)
            # A finding's English names the form's cells as the form prints them (总分, 实际完成值);
            # help names values typed in Chinese (--region 湖北) and the form (自评表).
            if not key.startswith(("finding.", "hint.", "help.")):
                assert not CHINESE.search(form), f"{key}: Chinese in the English: {form}"
        if zh.pluralizable:
            assert "count" in expected, key


def test_every_key_the_code_says_has_a_translation() -> None:
    said = _said_keys()
    assert {"check.summary", "count.warning", "build.built", "import.summary"} <= said
    known = _messages("zh").keys()
    missing = (said | _dynamic_keys()) - known
    assert not missing, f"say()/say_n() keys missing from the catalogues: {sorted(missing)}"
    stages = {key for key in known if key.startswith("stage.")}
    unused = known - said - _dynamic_keys() - stages
    assert not unused, f"catalogue entries no code says: {sorted(unused)}"


def test_a_key_added_to_the_code_without_a_translation_is_found(tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "new.py").write_text(
        'from builder.i18n import say\nprint(say("check.a_new_sentence", "zh"))\n',
        encoding="utf-8",
    )
    found = extract_from_dir(str(package), method_map=[("**.py", "python")], keywords=i18n.KEYWORDS)
    keys = {message for _, _, message, *_ in found}
    assert keys == {"check.a_new_sentence"}
    assert keys - _messages("en").keys() == keys


def test_counts_take_their_english_plural_and_one_chinese_form() -> None:
    assert i18n.say_n("count.warning", 1, "en") == "1 warning"
    assert i18n.say_n("count.warning", 2, "en") == "2 warnings"
    assert i18n.say_n("count.warning", 0, "en") == "0 warnings"
    assert i18n.say_n("count.warning", 1, "zh") == "1 条警告"
    assert i18n.say_n("count.warning", 2, "zh") == "2 条警告"
    assert i18n.translations("en") is i18n.translations("en")  # read once a process


def test_a_language_without_a_catalogue_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        i18n.catalogue("fr")


@pytest.fixture
def one_warning(tiny_content: Path) -> Path:
    """A content folder of one form with a wrong total: one warning."""
    wrong = minimal_project(id="zongfen-cuowu", name="总分填错的项目")
    wrong["declared"] = {"total": 99.5}
    write_project(tiny_content, wrong, name="zongfen-cuowu.yaml")
    return tiny_content


CHINESE_SUMMARY = "检查了 1 个项目:0 个错误,1 条警告,0 条说明(加 --notes 显示说明)"
ENGLISH_SUMMARY = "1 project checked: 0 errors, 1 warning, 0 notes (--notes shows the notes)"


@pytest.mark.parametrize(
    ("arguments", "environment", "english"),
    [
        ((), {}, False),  # nothing set: Chinese
        ((), {"LANG": "C"}, False),
        ((), {"LANG": "C.UTF-8"}, False),
        ((), {"LANG": "en_US.UTF-8"}, True),
        ((), {"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, False),  # LC_ALL over LANG
        ((), {"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, True),
        (("--lang", "zh"), {"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}, False),  # --lang first
        (("--lang", "en"), {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, True),
    ],
)
def test_check_speaks_the_language_asked_for(
    one_warning: Path, arguments: tuple[str, ...], environment: dict[str, str], english: bool
) -> None:
    ran = _jixiao(
        "check", "--content", "content", *arguments, cwd=one_warning.parent, **environment
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    located = next(line for line in lines if "[total-mismatch]" in line)
    if english:
        assert lines[-1] == ENGLISH_SUMMARY
        assert ": warning[total-mismatch]: " in located
        assert not CHINESE.search(lines[-1])
    else:
        assert lines[-1] == CHINESE_SUMMARY
        # A warning is 警告; 不一致 is kept for the figures that disagree.
        assert ": 警告[total-mismatch]: " in located and "不一致[" not in ran.stdout


def test_build_help_explains_lang(tmp_path: Path) -> None:
    ran = _jixiao("build", "--help", cwd=tmp_path)
    assert ran.returncode == 0
    said = " ".join(ran.stdout.split())
    assert "--lang {zh,en}" in said and "LC_ALL" in said and "LANG" in said


def _makers() -> dict[str, set[str]]:
    """code -> how its makers word the English ("catalogue" through `catalogued`, "maker" by
    `Finding(...)`), from tests/test_explain.py's scan of builder/."""
    from builder.rules.readings import _UNSCORED

    from .test_explain import MADE

    found: dict[str, set[str]] = {code: {"maker"} for code in UNSCANNED}
    for code, _ in _UNSCORED.values():  # a table the scan cannot read: `Finding(.., code, ..)`
        found[code] = {"maker"}
    for made in MADE:
        by = "catalogue" if _called_catalogued(made) else "maker"
        code = "schema-" if made.code.startswith("schema-") else made.code
        found.setdefault(code, set()).add(by)
    return found


def _called_catalogued(made) -> bool:  # the scan records a catalogued maker's hint as its own
    import ast

    path, line = made.where.rsplit(":", 1)
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "catalogued"
        and node.lineno == int(line)
        for node in ast.walk(tree)
    )


def test_the_english_a_maker_writes_itself_is_the_listed_exceptions_only() -> None:
    """Every code is either made through the catalogue (`catalogued`) or listed in
    `wording.ENGLISH_BY_MAKER`; never both, never a listed code no maker writes."""
    from builder.rules.wording import ENGLISH_BY_MAKER

    makers = _makers()
    by_maker = {code for code, ways in makers.items() if "maker" in ways}
    by_catalogue = {code for code, ways in makers.items() if "catalogue" in ways}
    assert by_catalogue, "no finding is made through the catalogue"
    assert not by_maker & by_catalogue, sorted(by_maker & by_catalogue)
    assert by_maker == set(ENGLISH_BY_MAKER), (
        sorted(by_maker - ENGLISH_BY_MAKER),
        sorted(ENGLISH_BY_MAKER - by_maker),
    )


def test_every_code_has_a_sentence_in_both_catalogues() -> None:
    from builder.rules.findings import templates

    for code in _makers():
        for lang in i18n.LANGUAGES:
            assert templates("finding", code, lang), f"finding.{code} missing in {lang}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_catalogued_finding_is_said_from_the_catalogue(lang: str) -> None:
    """A finding made through the catalogue says the en catalogue's words as its English (the
    `check --json` contract) and the zh catalogue's in Chinese, both filled from its figures,
    the alternative without a blank figure when one is blank."""
    from decimal import Decimal

    from builder.rules.findings import catalogued, templates
    from builder.rules.wording import worded

    made = catalogued(
        Severity.warning,
        "total-mismatch",
        ("declared", "total"),
        declared=Decimal("99.50"),
        computed=Decimal("100.00"),
    )
    assert made.message == "the 总分 row declares 99.5, the rules give 100"
    assert made.hint == "total = execution score + every indicator score"
    assert made.data == (("declared", "99.5"), ("computed", "100"))
    _, message, hint = worded(made, lang)
    first = templates("finding", "total-mismatch", lang)[0]
    assert message == first.format(declared="99.5", computed="100").rstrip("。")
    assert hint == templates("hint", "total-mismatch", lang)[0]
    blank = catalogued(
        Severity.warning, "grade-mismatch", (), declared="良", computed="优", total=None
    )
    said = worded(blank, lang)[1]
    assert "None" not in said and "良" in said and "优" in said


def test_a_code_the_catalogue_cannot_say_is_refused() -> None:
    from builder.rules.findings import catalogued

    with pytest.raises(LookupError, match=r"finding\.no-such-code"):
        catalogued(Severity.warning, "no-such-code", ())


def _cells(line: str) -> int:
    """Terminal cells a line takes: a Chinese character two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize(
    ("args", "environment", "said", "not_said"),
    [
        (
            ("build", "--help"),
            {},
            ("用法:", "选项:", "不生成 PDF", "显示本帮助并退出"),
            ("usage:", "skip the PDFs"),
        ),
        (
            ("build", "--help"),
            {"LANG": "en_US.UTF-8"},
            ("usage:", "options:", "skip the PDFs"),
            ("用法",),
        ),
        (("build", "--lang", "en", "--help"), {}, ("usage:", "skip the PDFs"), ("用法",)),
        (("build", "--lang=en", "--help"), {"LANG": "zh_CN.UTF-8"}, ("usage:",), ("用法",)),
        (
            ("import", "--help"),
            {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"},
            ("files to import",),
            ("要导入",),
        ),
        (("template", "--help"), {}, ("生成 Excel 工作簿", "覆盖已有文件"), ("overwrite",)),
        (("--help",), {}, ("校验、计分并核对自评表", "位置参数"), ("validate",)),
    ],
)
def test_help_is_in_the_language_asked_for_and_fits_80_columns(
    tmp_path: Path,
    args: tuple[str, ...],
    environment: dict[str, str],
    said: tuple[str, ...],
    not_said: tuple[str, ...],
) -> None:
    ran = _jixiao(*args, cwd=tmp_path, COLUMNS="80", **environment)
    assert ran.returncode == 0, ran.stderr
    for words in said:
        assert words in ran.stdout, (words, ran.stdout)
    for words in not_said:
        assert words not in ran.stdout, (words, ran.stdout)
    assert max(_cells(line) for line in ran.stdout.splitlines()) <= 80, ran.stdout


def test_the_language_of_a_command_line_is_known_before_it_is_parsed() -> None:
    assert i18n.argv_lang(["build", "--lang", "en"], {}) == "en"
    assert i18n.argv_lang(["build", "--lang=en"], {"LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.argv_lang(["build", "--lang", "fr"], {"LANG": "en_US"}) == "en"  # refused later
    assert i18n.argv_lang(["build", "--lang"], {}) == "zh"
    assert i18n.argv_lang(["check"], {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN"}) == "en"
    assert i18n.argv_lang([], {}) == "zh"
