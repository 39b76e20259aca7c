"""The command line's help in the language asked for: `HelpParser`, an argparse parser whose
usage line, headings, `-h` and wrapping follow `lang` (the options' help comes from the
catalogues, `help.*` keys, given by builder/cli.py). argparse's own error messages stay English.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from .i18n import say

# What a line may break before, inside a run without spaces: an ASCII word whole (hubei-2020,
# --year), else one character (Chinese is written without spaces), with the closing marks
# after it (、,。:) kept on its line.
_UNIT = re.compile(r"(?:[!-~]+|[^!-~])[、，。：；）」,:;)]*")


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells (a Chinese character takes two): broken
    at spaces where there are any, else before a character of Chinese or an ASCII word, never
    inside the word (a word longer than the line is cut by characters)."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for word in " ".join(text.split()).split(" "):
        units = [word] if cell_len(word) <= width else _UNIT.findall(word)
        units = [p for u in units for p in ([u] if cell_len(u) <= width else list(u))]
        for index, piece in enumerate(units):
            joined = f"{line} {piece}" if line and index == 0 else line + piece
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
