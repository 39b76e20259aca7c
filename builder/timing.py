"""How a build tells what it is doing (`Progress`) and times its stages (`Timer`)."""

from __future__ import annotations

import time


class Progress:
    """Told what the build is doing; the command line shows it, a library caller may not care."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A stage begins; `total` is how many steps it has, if known."""

    def advance(self, amount: int = 1) -> None:
        """`amount` more steps of the current stage are done."""

    def finish(self, name: str, seconds: float) -> None:
        """A stage ended after `seconds` of wall time."""


class Timer:
    """Times the stages of one build and tells `progress`; `laps` are seconds by stage."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.start = time.perf_counter()
        self.laps: dict[str, float] = {}

    def begin(self, name: str, total: int | None = None) -> None:
        self.start = time.perf_counter()
        self.progress.stage(name, total)

    def record(self, name: str, seconds: float) -> None:
        """A stage that ran alongside the others, taking `seconds`."""
        self.progress.stage(name)
        self.laps[name] = seconds
        self.progress.finish(name, seconds)
        self.start = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.start
        self.progress.finish(name, self.laps[name])
        self.start = now
