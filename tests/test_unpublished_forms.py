"""A form that stops being published leaves nothing behind in an incremental build: every
output's files of it go (its page and PDF, its unit's booklet and listings, its search
entries), so that the published tree is, file for file and byte for byte, the one a full
build of the same content makes. And a form published again after that comes back whole.

Found by trying it: after a unit's only form was held back, the search bundle still held its
old fragment, index and filter files (the part was no longer re-indexed: the unit was in no
part's list of units any more); fixed again, the build stopped on the unit's folder, which the
published site no longer had.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import minimal_project, write_project
from .test_incremental import run_build, tree, warm_fonts  # noqa: F401 (a fixture)

Step = Callable[[Path], object]


def _content(content: Path) -> dict[str, Path]:
    """Three units: ceshi with two forms, dandu and qita with one each."""
    return {
        "e": write_project(content, minimal_project(id="qi-ta"), "e.yaml", unit="qita"),
        "a": write_project(content, minimal_project(id="jia-xiangmu"), "a.yaml", unit="ceshi"),
        "b": write_project(
            content, minimal_project(id="yi-xiangmu", name="乙项目"), "b.yaml", unit="ceshi"
        ),
        "d": write_project(content, minimal_project(id="du-yi"), "d.yaml", unit="dandu"),
    }


def _break(path: Path) -> None:
    path.write_text(path.read_text("utf-8").replace("weight: 50", "weight: 五十"), "utf-8")


def _mend(path: Path) -> None:
    path.write_text(path.read_text("utf-8").replace("weight: 五十", "weight: 50"), "utf-8")


def _differences(incremental: dict[str, str], full: dict[str, str]) -> dict[str, list[str]]:
    return {
        "only in the incremental build": sorted(incremental.keys() - full.keys()),
        "only in the full build": sorted(full.keys() - incremental.keys()),
        "different bytes": sorted(
            p for p in incremental.keys() & full.keys() if incremental[p] != full[p]
        ),
    }


@pytest.mark.parametrize("pdf", [False, True], ids=["no-pdf", "pdf"])
@pytest.mark.usefixtures("warm_fonts")
def test_what_stops_being_published_leaves_no_file_behind(
    tiny_content: Path, tmp_path: Path, pdf: bool
) -> None:
    forms = _content(tiny_content)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("a unit's only form held back", lambda: _break(forms["d"])),
        ("the form fixed again", lambda: _mend(forms["d"])),
        ("one of two forms held back", lambda: _break(forms["b"])),
        ("that form deleted", lambda: forms["b"].unlink()),
        ("the unit's only form deleted", lambda: forms["d"].unlink()),
        ("a unit emptied, its folder removed", lambda: shutil.rmtree(forms["a"].parent)),
        ("a form added again", lambda: _content(tiny_content)),
    ]
    run_build(tiny_content, tmp_path, pdf=pdf)
    for number, (step, change) in enumerate(steps):
        change()
        report = run_build(tiny_content, tmp_path, pdf=pdf)
        assert report.incremental or report.unchanged, step
        full = tmp_path / f"full-{number}"
        run_build(tiny_content, full, incremental=False, pdf=pdf)
        differences = _differences(tree(tmp_path / "site"), tree(full / "site"))
        assert differences == {key: [] for key in differences}, step
