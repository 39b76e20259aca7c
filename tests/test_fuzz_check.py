"""Fuzzing `check`: thousands of mutated forms, each a located error or a checked form.

A seeded corpus mutates the minimal form in the ways files go wrong (truncated, random bytes,
bytes that are not UTF-8, UTF-16, a BOM, NUL, CRLF, deep nesting, very long lines, huge
numbers, NaN and infinity, flipped bytes, lost and doubled lines) and checks them all in one
content folder beside good forms. It proves: no exception escapes `check_content`; a file that
cannot be read as a form has at least one error, and every finding is placed inside its file;
each mutation that is always wrong gives an error; each file is checked within the bounds of
docs/performance.md ("Checking hostile files"); the good forms beside them are still checked
and score as before. Hypothesis adds arbitrary bytes and text, and the real command runs over
the corpus. The whole module runs in well under a minute (20-40 s).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.rules.check import CheckedProject, _locate_all, check_content, check_file
from builder.rules.findings import Severity
from builder.rules.policy import ScoringPolicy

from .conftest import SITE_YAML, minimal_project, project_yaml

ROOT = Path(__file__).resolve().parent.parent

# The bounds stated in docs/performance.md: per file, on one core of the project's machine.
SECONDS_PER_FILE = 2.0
PEAK_BYTES_PER_FILE = 64 * 2**20
# Mutated forms per kind of mutation; with 14 kinds 1,400 files, and 600 from Hypothesis.
PER_KIND = 100
# Of those, the ones the real command is run over (it prints every finding: slower).
PER_KIND_COMMAND = 12
GOOD_FORMS = 20


def _seed(index: int) -> bytes:
    """The minimal form with its own id, so that no two files of the corpus collide."""
    return project_yaml(minimal_project(id=f"fuzz-{index}")).encode("utf-8")


def _at(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    where = _at(rng, data)
    return data[:where] + piece + data[where:]


def _set_field(data: bytes, field: bytes, value: bytes) -> bytes:
    """The form with the first line `<indent>field: ...` given `value` instead."""
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        if line.strip().startswith(field + b":"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[number] = indent + field + b": " + value
            return b"\n".join(lines)
    raise AssertionError(f"the seed form has no {field!r}")


def _deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([33, 40, 100, 500, 5000])
    if rng.random() < 0.5:
        return _set_field(data, b"unit", b"[" * depth + b"]" * depth)
    return _set_field(data, b"unit", b"{a: " * depth + b"1" + b"}" * depth)


def _huge_number(rng: random.Random, data: bytes) -> bytes:
    number = rng.choice(
        [b"1e400", b"-1e400", b"1e10000000", b"9" * 5000, b"1" + b"0" * 15, b"0." + b"1" * 40]
    )
    field = rng.choice([b"weight", b"budget", b"executed", b"initial", b"year"])
    return _set_field(data, field, number)


def _not_finite(rng: random.Random, data: bytes) -> bytes:
    value = rng.choice([b".nan", b".NaN", b".inf", b"-.inf", b".Inf", b"NaN", b"Infinity"])
    field = rng.choice([b"weight", b"budget", b"executed", b"initial"])
    return _set_field(data, field, value)


def _long_line(rng: random.Random, data: bytes) -> bytes:
    length = rng.choice([10_000, 100_000, 400_000])
    text = rng.choice(["很", "a", "9", "≥"]) * length
    return _set_field(data, rng.choice([b"name", b"unit", b"target"]), text.encode())


def _lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    where = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[where]
    else:
        lines.insert(where, lines[where])
    return b"\n".join(lines)


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "truncated": lambda rng, data: data[: _at(rng, data)],
    "random-bytes": lambda rng, data: rng.randbytes(rng.randint(1, 4000)),
    "invalid-utf8": lambda rng, data: _insert(
        rng, data, rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80"])
    ),
    "utf16": lambda rng, data: data.decode().encode(
        rng.choice(["utf-16", "utf-16-le", "utf-16-be"])
    ),
    "bom": lambda rng, data: b"\xef\xbb\xbf" + data,
    "nul": lambda rng, data: _insert(rng, data, b"\x00"),
    "crlf": lambda rng, data: data.replace(b"\n", b"\r\n"),
    "deep": _deep,
    "long-line": _long_line,
    "huge-number": _huge_number,
    "not-finite": _not_finite,
    "flipped-bytes": _flip,
    "lines": _lines,
    "bare-cr": lambda rng, data: data.replace(b"\n", b"\r"),
}
# Mutations after which the file is never a valid form.
ALWAYS_WRONG = frozenset(
    {"invalid-utf8", "utf16", "nul", "deep", "huge-number", "not-finite", "random-bytes"}
)
# Mutations after which the form is still the minimal form, scored as before.
HARMLESS = frozenset({"bom", "crlf"})


def corpus(per_kind: int, seed: int = 11) -> list[tuple[str, str, bytes]]:
    """[(kind, file name, bytes)]: `per_kind` mutated forms of each kind, reproducibly."""
    rng = random.Random(seed)
    out = []
    for kind, mutate in MUTATIONS.items():
        for number in range(per_kind):
            name = f"{kind}-{number}.yaml"
            out.append((kind, name, mutate(rng, _seed(len(out)))))
    return out


def _content(root: Path, forms: list[tuple[str, str, bytes]]) -> Path:
    content = root / "content"
    (content / "2023" / "good").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for kind, name, data in forms:
        folder = content / "2023" / kind
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    for number in range(GOOD_FORMS):
        good = project_yaml(minimal_project(id=f"good-{number}"))
        (content / "2023" / "good" / f"good-{number}.yaml").write_text(good, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str, bytes]]]:
    forms = corpus(PER_KIND)
    return _content(tmp_path_factory.mktemp("fuzz"), forms), forms


def _errors(checked: CheckedProject) -> int:
    return checked.count(Severity.error)


def _assert_placed(checked: CheckedProject, data: bytes) -> None:
    """Every finding of the file on a line of the file (or just past its end), column ≥ 1;
    lines as YAML counts them (NEL, U+2028 and U+2029 break lines too: `\xc2\x85?` is two)."""
    text = data.decode("utf-8", "replace")
    breaks = sum(text.count(mark) for mark in ("\n", "\r", "\x85", "\u2028", "\u2029"))
    last_line = breaks + 2
    for found in checked.located:
        assert 1 <= found.line <= last_line, found.format()
        assert found.column >= 1, found.format()


def test_every_mutated_form_is_checked_and_the_good_ones_beside_them_still_score(
    fuzzed: tuple[Path, list[tuple[str, str, bytes]]],
) -> None:
    content, forms = fuzzed
    result = check_content(content)
    by_name = {c.loaded.file.name: c for c in result.projects}
    assert len(by_name) == len(forms) + GOOD_FORMS
    for kind, name, data in forms:
        checked = by_name[name]
        _assert_placed(checked, data)
        if checked.loaded.project is None or kind in ALWAYS_WRONG:
            assert _errors(checked) >= 1, f"{kind} {name}: no error"
        if kind in HARMLESS:
            assert _errors(checked) == 0, [f.format() for f in checked.located]
    for number in range(GOOD_FORMS):
        good = by_name[f"good-{number}.yaml"]
        assert good.located == []
        assert good.score is not None and good.score.total == Decimal(100)


def _seconds(path: Path, policy: ScoringPolicy) -> float:
    """Seconds of checking and placing one file."""
    start = time.perf_counter()
    _locate_all(check_file(path, policy))
    return time.perf_counter() - start


def _peak_bytes(path: Path, policy: ScoringPolicy) -> int:
    """Peak bytes allocated (tracemalloc) while checking and placing one file."""
    tracemalloc.start()
    try:
        _locate_all(check_file(path, policy))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_each_file_is_checked_in_bounded_time_and_memory(
    fuzzed: tuple[Path, list[tuple[str, str, bytes]]],
) -> None:
    """Time for every file; memory (tracemalloc, which slows the check) for one in ten and
    for every file of the kinds that are large or deep."""
    content, forms = fuzzed
    policy = ScoringPolicy()
    slowest: tuple[float, str] = (0.0, "")
    largest: tuple[int, str] = (0, "")
    for number, (kind, name, _data) in enumerate(forms):
        path = content / "2023" / kind / name
        slowest = max(slowest, (_seconds(path, policy), name))
        if number % 10 == 0 or kind in ("long-line", "deep"):
            largest = max(largest, (_peak_bytes(path, policy), name))
    assert slowest[0] < SECONDS_PER_FILE, slowest
    assert largest[0] < PEAK_BYTES_PER_FILE, largest


def _check_bytes(data: bytes) -> CheckedProject:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.yaml"
        path.write_bytes(data)
        checked = check_file(path, ScoringPolicy())
        _locate_all(checked)
    return checked


# Found by the fuzzing: a file that holds only null (`~`, `null`) was skipped without a word.
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"~",
        b"null",
        b"Null\n",
        b"# only a comment\n",
        b"\n\n",
        b"---\n",
        b"--- ~\n",
        b"~\n# x\n",
    ],
)
def test_a_file_without_keys_is_a_located_error_beside_checked_forms(
    tmp_path: Path, data: bytes
) -> None:
    content = _content(tmp_path, [("empty", "empty.yaml", data)])
    result = check_content(content)
    (empty,) = [c for c in result.projects if c.loaded.file.name == "empty.yaml"]
    assert _errors(empty) >= 1
    _assert_placed(empty, data)
    others = [c for c in result.projects if c is not empty]
    assert len(others) == GOOD_FORMS and all(c.located == [] for c in others)


@pytest.mark.parametrize("data", [b"~", b"null", b"NULL\n", b"--- ~\n", b"~ # x\n"])
def test_a_file_of_null_says_it_holds_no_keys(tmp_path: Path, data: bytes) -> None:
    checked = _check_bytes(data)
    assert [f.finding.code for f in checked.located] == ["yaml"]
    assert "no keys and values" in checked.located[0].finding.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
@example(b"\xc2\x85?")  # a NEL: a line break to YAML, so "?" is on line 2
def test_arbitrary_bytes_are_a_located_error_or_a_form(data: bytes) -> None:
    checked = _check_bytes(data)
    _assert_placed(checked, data)
    assert checked.loaded.project is not None or _errors(checked) >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_text_spliced_into_a_form_is_a_located_error_or_a_form(data: st.DataObject) -> None:
    seed = _seed(0).decode()
    where = data.draw(st.integers(0, len(seed)))
    piece = data.draw(st.text(max_size=60))
    text = seed[:where] + piece + seed[where:]
    encoded = text.encode("utf-8", "surrogatepass")
    checked = _check_bytes(encoded)
    _assert_placed(checked, encoded)
    assert checked.loaded.project is not None or _errors(checked) >= 1


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def command_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A smaller corpus for the real command, which prints every finding."""
    return _content(tmp_path_factory.mktemp("fuzz-command"), corpus(PER_KIND_COMMAND, seed=12))


@pytest.mark.parametrize("extra", [["--json"], ["--format", "github", "--jobs", "2"]])
def test_the_command_reports_the_corpus_without_an_internal_error(
    command_content: Path, extra: list[str]
) -> None:
    run = _run("check", "--content", str(command_content), *extra)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    if "--json" in extra:
        assert json.loads(run.stdout)
