"""`jixiao changes` written out: a text report for people, a JSON document for programs."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.cells import cell_len

from ..form.chars import printable
from ..form.load import SITE_FILE
from .changes import PART_TITLES, Change, Comparison


def changes_document(comparison: Comparison) -> dict[str, Any]:
    """`jixiao changes --json`. Fields may be added to this shape, none renamed or removed."""
    changes = comparison.changes
    return {
        "version": 1,
        "content": comparison.content,
        "old": comparison.old,
        "old_commit": comparison.old_commit.sha,
        "new": comparison.new,
        "new_commit": comparison.new_commit.sha if comparison.new_commit else None,
        "date": comparison.new_commit.date if comparison.new_commit else None,
        "policy_changed": changes.policy_changed,
        "added": [c.as_json() for c in changes.added],
        "changed": [c.as_json() for c in changes.changed],
        "removed": [c.as_json() for c in changes.removed],
        "moved": [c.as_json() for c in changes.moved],
    }


def format_changes(comparison: Comparison) -> str:
    """The plain-text report: one line per project, columns aligned for Chinese text (which
    takes two terminal columns a character)."""
    changes = comparison.changes
    old = f"{comparison.old} ({comparison.old_commit.sha[:10]})"
    if comparison.new_commit is None:
        new = "the working tree"
    else:
        new = f"{comparison.new} ({comparison.new_commit.sha[:10]}, {comparison.new_commit.date})"
    lines = [f"changes in {comparison.content}/ from {old} to {new}"]
    if changes.policy_changed:
        lines.append(
            f"评分规则 changed ({comparison.content}/{SITE_FILE} scoring): "
            "every project's computed score is recomputed"
        )
    sections: list[tuple[str, str, tuple[Change, ...]]] = [
        ("added 新增", "+", changes.added),
        ("changed 修改", "~", changes.changed),
        ("removed 删除", "-", changes.removed),
        ("moved, data unchanged 移动", ">", changes.moved),
    ]
    rows = [change for _, _, group in sections for change in group]
    widths = [
        max((cell_len(cell) for cell in column), default=0)
        for column in zip(*(_cells(change) for change in rows), strict=False)
    ]
    for title, mark, group in sections:
        if not group:
            continue
        lines.append("")
        lines.append(f"{title} ({len(group)})")
        for change in group:
            cells = _cells(change)
            padded = [
                cell + " " * (width - cell_len(cell))
                for cell, width in zip(cells, widths, strict=False)
            ]
            lines.append(f"  {mark} " + "  ".join(padded).rstrip())
            if change.kind == "changed":
                lines.append("      " + ", ".join(f"{PART_TITLES[p]} {p}" for p in change.fields))
            if change.old_file:
                lines.append(f"      {printable(change.old_file)} -> {printable(change.file)}")
    lines.append("")
    lines.append(
        f"{len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed, {len(changes.moved)} moved"
    )
    return "\n".join(lines)


def _cells(change: Change) -> list[str]:
    """The row's year, id, name, unit and file; text from the forms is `printable`."""
    return [
        "—" if change.year is None else str(change.year),
        printable(change.id or "—"),
        printable(change.name or "—"),
        printable(change.unit or "—"),
        printable(change.file),
    ]


def print_comparison(comparison: Comparison, as_json: bool) -> None:
    """What `jixiao changes` prints: `changes_document` as JSON, or `format_changes`."""
    if as_json:
        json.dump(changes_document(comparison), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_changes(comparison))
