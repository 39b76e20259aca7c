"""The code stays ruff-clean: lint rules and formatting (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [name for name in ("builder", "tests", "bench") if (ROOT / name).is_dir()]


@pytest.mark.parametrize(
    "command",
    [["check", "--no-cache"], ["format", "--check", "--no-cache"]],
    ids=["lint", "format"],
)
def test_ruff_is_clean(command: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *CHECKED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
