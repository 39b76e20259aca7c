"""Drafts for the import tests, made from the hand-written project files: what the recogniser
would give for a form printed as they are (every value with a place in a PDF table)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.form.source import load_text
from builder.intake.draft import Draft, ReviewItem
from builder.intake.emit import iter_paths
from builder.intake.grid import Place

ROOT = Path(__file__).resolve().parent.parent
SEED_FORMS = sorted((ROOT / "content" / "2023" / "lps-sbj").glob("*.yaml"))
FAMILY_FORMS = sorted((ROOT / "docs" / "examples" / "families").glob("*/*/*.yaml"))


def data_of(path: Path) -> dict[str, Any]:
    """The data of a project file as read (numbers as Decimals or ints, dates as dates)."""
    data = load_text(path.read_text(encoding="utf-8"), path).data
    assert isinstance(data, dict)
    return data


def draft_of(path: Path, file: str, review: tuple[ReviewItem, ...] = ()) -> Draft:
    """The draft of the form in `path` as read from the PDF `file`: its data without the id
    (a printed form has none), each value placed in a cell of page 1, table 1, one row each."""
    data = data_of(path)
    data.pop("id", None)
    places = {
        field: Place(file=file, page=1 + row // 40, table=1, row=1 + row % 40, column=3)
        for row, field in enumerate(iter_paths(data))
    }
    return Draft(data, places, review)


def drafting_of(paths: list[Path], review: tuple[ReviewItem, ...] = ()):
    """A drafting function for `run_import`: every file read gives the forms of `paths`."""

    def drafting(file: Path) -> tuple[list[Draft], list[ReviewItem]]:
        return [draft_of(path, file.name, review) for path in paths], []

    return drafting
