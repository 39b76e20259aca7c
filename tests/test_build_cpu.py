"""The CPU cuts of a full build give what the plain paths give.

- The per-form records pickle (to and from a worker process) through `pickling.quick_state`:
  the same bytes as Python's own slotted-dataclass pickling, read back equal, either way.
- `values.parse_quantity` memoises its cells: the same Quantity, or the same error every time,
  as the function read afresh.
- `render.compile_pages` compiles every page template before a render forks its workers.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader

from bench.corpus import generate
from builder.form.money import Money
from builder.form.positions import Position
from builder.form.values import Operator, Quantity, UnreadableValue, parse_quantity
from builder.pickling import quick_state
from builder.rules.check import check_content
from builder.rules.findings import Finding, LocatedFinding, Severity
from builder.rules.results import IndicatorScore
from builder.site.render import compile_pages, make_environment

QUICK = [Money, Quantity, Position, IndicatorScore, Finding, LocatedFinding]


def _python_state(obj: object) -> list[object]:
    """What `dataclasses` itself pickles of a slotted dataclass: its fields' values, in order."""
    return [getattr(obj, f.name) for f in dataclasses.fields(obj)]  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", QUICK, ids=lambda c: c.__name__)
def test_records_pickle_quickly(cls: type) -> None:
    assert cls.__getstate__.__module__ == "builder.pickling"
    assert "__slots__" in cls.__dict__


def test_checked_forms_pickle_as_python_would_and_read_back_equal(tmp_path: Path) -> None:
    """Every quick record of checked forms (a generated corpus: findings, scores, money):
    the state Python's own method gives, so the same bytes, and the form read back equal."""
    generate(tmp_path / "content", projects=40, seed=3)
    result = check_content(tmp_path / "content")
    seen: dict[type, int] = {}
    for checked in result.projects:
        data = pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)
        back = pickle.loads(data)
        assert (back.located, back.score, back.project) == (
            checked.located,
            checked.score,
            checked.project,
        )
        for record in _records(checked):
            seen[type(record)] = seen.get(type(record), 0) + 1
            assert type(record).__getstate__(record) == _python_state(record)
            assert pickle.loads(pickle.dumps(record)) == record
    # A form's positions stay behind with its parsed document (`SourceDocument.forget_parsed`).
    assert set(seen) == set(QUICK) - {Position}, seen


class _Collector(pickle.Pickler):
    """A pickler that notes every quick record it meets on the way."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL)
        self.found: list[object] = []

    def persistent_id(self, obj: object) -> None:
        if type(obj) in QUICK:
            self.found.append(obj)
        return None


def _records(checked: object) -> list[object]:
    """The quick records reachable from a checked form."""
    collector = _Collector()
    collector.dump(checked)
    return collector.found


def test_quick_state_reads_what_python_pickled_and_the_other_way() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Plain:
        a: int
        b: str

    @quick_state
    @dataclasses.dataclass(frozen=True, slots=True)
    class Quick:
        a: int
        b: str

    plain_state = Plain.__getstate__(Plain(1, "x"))  # type: ignore[attr-defined]
    made = object.__new__(Quick)
    Quick.__setstate__(made, plain_state)  # type: ignore[attr-defined]
    assert (made.a, made.b) == (1, "x")
    assert Quick.__getstate__(made) == plain_state == [1, "x"]  # type: ignore[attr-defined]
    plain = object.__new__(Plain)
    Plain.__setstate__(plain, Quick.__getstate__(Quick(2, "y")))  # type: ignore[attr-defined]
    assert (plain.a, plain.b) == (2, "y")


def test_quick_state_leaves_a_subclass_to_python() -> None:
    @quick_state
    @dataclasses.dataclass(frozen=True, slots=True)
    class Base:
        a: int

    @dataclasses.dataclass(frozen=True)
    class Wider(Base):
        b: int = 0

    # copy goes through __reduce_ex__, __getstate__ and __setstate__ as pickle does (a class
    # made in a test cannot be pickled by name)
    assert Wider.__getstate__(Wider(1, 2)) == [1, 2]  # type: ignore[attr-defined]
    assert copy.deepcopy(Wider(1, 2)) == Wider(1, 2)
    assert copy.deepcopy(Base(3)) == Base(3)


CELLS = [
    "100%",
    "≥95%",
    "＞＝１０％",
    "不低于95%",
    "95%以上",
    "30万元",
    "≤5%以上",
    "≥≤5",
    "达到国家标准",
    "90%左右",
    "2023年12月底前",
    "",
    "1e999",
    "12.3456789元",
    "≤ 3 天",
]


def _fresh(text: str) -> tuple[str, object]:
    try:
        return "value", parse_quantity.__wrapped__(text)
    except (UnreadableValue, ValueError) as error:
        return type(error).__name__, str(error)


def _memoised(text: str) -> tuple[str, object]:
    try:
        return "value", parse_quantity(text)
    except (UnreadableValue, ValueError) as error:
        return type(error).__name__, str(error)


@pytest.mark.parametrize("cell", CELLS)
def test_a_memoised_cell_reads_as_a_fresh_one(cell: str) -> None:
    for _ in range(3):  # the first read fills the memo, the others come from it
        assert _memoised(cell) == _fresh(cell)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.%≥≤<>=万元天个以上内前约左右-+ 年月日", max_size=12))
def test_memoised_quantities_are_the_fresh_ones(cell: str) -> None:
    assert _memoised(cell) == _fresh(cell)
    assert _memoised(cell) == _fresh(cell)


def test_a_memoised_quantity_is_frozen() -> None:
    quantity = parse_quantity("≥95%")
    assert quantity == Quantity(Operator.GE, Decimal("95"), "%")
    with pytest.raises(dataclasses.FrozenInstanceError):
        quantity.number = Decimal(1)  # type: ignore[misc]


def test_page_templates_are_compiled_before_the_workers_fork() -> None:
    env = make_environment(auto_reload=False)
    compile_pages(env)
    cached = {template.name for template in env.cache.values()}  # type: ignore[union-attr]
    assert {"base.html", "project.html", "_macros.html", "year.html", "sitemap.xml"} <= cached
    assert not any(name.startswith("pdf/") for name in cached)


def test_a_template_that_does_not_compile_is_left_to_the_page_that_uses_it() -> None:
    env = make_environment(auto_reload=False)
    env.loader = DictLoader({"good.html": "{{ 1 }}", "bad.html": "{% if %}"})
    compile_pages(env)
    assert [t.name for t in env.cache.values()] == ["good.html"]  # type: ignore[union-attr]


def test_a_finding_reads_back_with_its_severity_itself() -> None:
    finding = Finding(Severity.error, "code", ("a", 1), "message", data=(("x", "1"),))
    back = pickle.loads(pickle.dumps(LocatedFinding(Path("f.yaml"), 3, 4, finding)))
    assert back.finding == finding and back.finding.severity is Severity.error
    assert pickle.loads(pickle.dumps(Position(3, 4))) == Position(3, 4)
