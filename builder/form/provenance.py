"""Where an imported form was read (`Project.source`, set by `jixiao import`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .strict import ShortText, Strict

# The readers of `jixiao import`, by the kind of file read (`Source.reader`).
Reader = Literal["text", "xlsx", "docx", "pdf"]


class Source(Strict):
    """Where a form was imported from (`jixiao import`): the file, its sha256, the reader, and
    the place each value was read (field path as `jixiao check` names it → place in the file).
    It changes no score and no page; `jixiao check` points a finding back to the place."""

    file: ShortText = Field(min_length=1, title="源文件", description="e.g. 自评表.pdf.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", title="SHA-256", description="Of the file.")
    reader: Reader = Field(title="读取方式", description="text, xlsx, docx or pdf.")
    places: dict[ShortText, ShortText] = Field(
        default_factory=dict,
        title="位置",
        description="Field path -> place read, e.g. indicators[3].target: 第2页 表1 第5行第3列.",
    )
