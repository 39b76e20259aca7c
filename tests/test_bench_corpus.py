"""The synthetic corpus of the benchmarks (bench/corpus.py) stays valid and reproducible.

Benchmarks time the normal path, so every generated form must load, validate and score without
errors as the format evolves; and the same seed must write the same files, so figures measured on
different days compare.
"""

from __future__ import annotations

from pathlib import Path

from bench.corpus import generate
from builder.rules.check import check_content
from builder.rules.findings import Severity


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_generated_forms_check_without_errors(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "content", projects=30, seed=7)

    result = check_content(corpus.root)

    assert corpus.projects == len(result.projects) == 30
    assert [f.format() for f in result.all_findings() if f.finding.severity is Severity.error] == []
    assert all(checked.project is not None for checked in result.projects)
    assert result.config is not None
    years_of_id: dict[str, set[int]] = {}
    for checked in result.projects:
        assert checked.project is not None
        years_of_id.setdefault(checked.project.id, set()).add(checked.project.year)
    assert any(len(years) > 1 for years in years_of_id.values()), "ids should recur across years"


def test_generation_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", projects=30, seed=7)
    again = generate(tmp_path / "b", projects=30, seed=7)
    other = generate(tmp_path / "c", projects=30, seed=8)

    assert _files(first.root) == _files(again.root)
    assert _files(first.root) != _files(other.root)
