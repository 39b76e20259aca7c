"""The three kinds of failure, so that every command says the right thing about each.

- `ContentError`: the user's to fix, in `content/`. It carries located findings or names the
  file; the command prints them like `jixiao check` and exits 1.
- `SetupError`: this machine lacks something (a package, a font, a reachable scheduler, git).
  The message says what and how to get it; exit 1, no traceback.

Messages are Chinese first, then English (`中文 / English`): staff read the first half, a
developer or a bug report the second.
- anything else is an internal error: a bug in jixiao. The command says so, how to report it,
  and shows the traceback only with `--debug`; exit 2.
"""

from __future__ import annotations


class JixiaoError(Exception):
    """Base of the failures jixiao expects and explains (never a bug).

    The message is a whole sentence for the user; `exit_status` is what the command exits with
    (1, unless a kind documents another).
    """

    exit_status: int = 1


class ContentError(JixiaoError):
    """The content cannot be used as it is: the user fixes a file and runs again."""


class SetupError(JixiaoError):
    """The machine is missing something jixiao needs; the message names it and the fix."""


INTERNAL_ERROR_HINT = (
    "这是 jixiao 的缺陷:请加 --debug 再运行一次,把错误回溯(traceback)和所运行的命令一起报告"
    " / this is a bug in jixiao: run again with --debug and report the traceback with the "
    "command you ran"
)


class ExecutorError(SetupError):
    """The executor (`--executor`) cannot be used: an address not understood, the
    `distributed` package missing, a scheduler that cannot be reached or that went away
    during the build. The message is located at the option, as a finding is at its file:
    `--executor ADDRESS: 错误[executor]: what, in Chinese / in English (提示:what to do)`."""

    def __init__(self, address: str, reason_zh: str, reason_en: str, hint_zh: str) -> None:
        super().__init__(
            f"--executor {address}: 错误[executor]: {reason_zh} / {reason_en} (提示:{hint_zh})"
        )
        self.address = address
