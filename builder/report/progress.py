"""The build's progress as people see it: bars on a terminal, one plain line per stage in a log
(CI), nothing when asked to be quiet."""

from __future__ import annotations

import sys

from ..build import Progress
from ..i18n import say, stage_name


class PlainProgress(Progress):
    """One line per finished stage, `  页面:1.23 秒` (`  render: 1.23s` in English), for logs
    that do not redraw lines."""

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang

    def finish(self, name: str, seconds: float) -> None:
        """Print the stage and its duration in seconds."""
        line = say("progress.line", self.lang, stage=stage_name(name, self.lang), seconds=seconds)
        print(line, flush=True)


class BarProgress(Progress):
    """A bar per running stage (done of total, time elapsed), and a line per finished one."""

    def __init__(self, lang: str = "zh") -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self.bar = Bar(
            TextColumn("{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
        )
        self.task: object = None
        self.lang = lang

    def stage(self, name: str, total: int | None = None) -> None:
        """Show a bar for the stage `name` with `total` steps (None: unknown)."""
        if self.task is None:
            self.bar.start()
        self.task = self.bar.add_task(stage_name(name, self.lang), total=total)

    def advance(self, amount: int = 1) -> None:
        """Move the current bar `amount` steps on."""
        if self.task is not None:
            self.bar.advance(self.task, amount)  # type: ignore[arg-type]

    def finish(self, name: str, seconds: float) -> None:
        """Replace the bar by the stage's line with its duration in seconds."""
        if self.task is not None:
            self.bar.remove_task(self.task)  # type: ignore[arg-type]
        line = say("progress.line", self.lang, stage=stage_name(name, self.lang), seconds=seconds)
        self.bar.console.print(line, highlight=False, markup=False)

    def close(self) -> None:
        """Stop drawing; the terminal is the caller's again."""
        self.bar.stop()


def progress_for(quiet: bool, lang: str = "zh") -> Progress:
    """Bars on a terminal, plain lines when standard output is not one, nothing if `quiet`;
    the stages named in `lang`."""
    if quiet:
        return Progress()
    return BarProgress(lang) if sys.stdout.isatty() else PlainProgress(lang)
