"""The command line's help in the language asked for: `HelpParser`, an argparse parser whose
usage line, headings, `-h` and wrapping follow `lang` (the options' help comes from the
catalogues, `help.*` keys, given by builder/cli.py). argparse's own error messages stay English.
"""

from __future__ import annotations

import argparse
from typing import Any

from .i18n import say


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells (a Chinese character takes two): broken
    at spaces where there are any, else between characters (Chinese is written without them)."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for word in " ".join(text.split()).split(" "):
        for piece in [word] if cell_len(word) <= width else list(word):
            joined = f"{line} {piece}" if line and piece == word else line + piece
            if line and cell_len(joined) > width:
                lines.append(line)
                joined = piece
            line = joined
    return [*lines, line] if line else lines


class HelpParser(argparse.ArgumentParser):
    """An argument parser whose help is in `lang`: its usage line, headings and -h, as the
    options' help (argparse's own words are English)."""

    def __init__(self, *args: Any, lang: str = "zh", **kwargs: Any) -> None:
        usage = say("help.usage", lang)

        class Formatter(argparse.HelpFormatter):
            def add_usage(
                self, text: Any, actions: Any, groups: Any, prefix: str | None = None
            ) -> None:
                super().add_usage(text, actions, groups, usage if prefix is None else prefix)

            def _split_lines(self, text: str, width: int) -> list[str]:
                return _wrapped(text, width)

            def _fill_text(self, text: str, width: int, indent: str) -> str:
                return "\n".join(indent + line for line in _wrapped(text, width - len(indent)))

        super().__init__(*args, formatter_class=Formatter, add_help=False, **kwargs)
        self._positionals.title = say("help.positionals", lang)
        self._optionals.title = say("help.optionals", lang)
        self.add_argument("-h", "--help", action="help", help=say("help.help", lang))
