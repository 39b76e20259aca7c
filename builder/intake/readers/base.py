"""What every reader shares: the error a file that cannot be read gives."""

from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read as a form source: named, with what it is instead.

    `file` is the file's name as given; `message_zh` / `message_en` say what is wrong and
    `hint_zh` / `hint_en` what to do (e.g. save a .xls as .xlsx).
    """

    def __init__(
        self, file: str, message_zh: str, message_en: str, hint_zh: str = "", hint_en: str = ""
    ) -> None:
        super().__init__(f"{file}: {message_en}")
        self.file = file
        self.message_zh = message_zh
        self.message_en = message_en
        self.hint_zh = hint_zh
        self.hint_en = hint_en
