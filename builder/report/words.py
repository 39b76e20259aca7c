"""The command line's own words in Chinese (the default: finance staff read them) and English,
beside each other, as `rules/wording.py` keeps the findings' words.

A table in the code rather than gettext catalogues: there are two languages and a few dozen
sentences, every one with both, next to the findings' tables that already work this way; a
catalogue would add a compile step and binary files to the build for no reader's gain, and a
test (tests/test_cli_words.py) holds every entry to both languages.

The language is `--lang` when given, else the environment's as POSIX orders it (`LC_ALL`,
`LC_MESSAGES`, `LANG`): English for `en` or `en_*`, Chinese otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType

# key -> (Chinese, English); `{name}` fields are filled by `say`.
WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "schema.wrote": ("已写入 {path}", "wrote {path}"),
        "schema.stale": (
            "{path}:已过期(运行 `jixiao schema --write` 重新生成)",
            "{path}: stale (run `jixiao schema --write`)",
        ),
        "progress.line": ("  {stage}:{seconds:.2f} 秒", "  {stage}: {seconds:.2f}s"),
        "build.warnings": (
            "重新读取的文件中的不一致({count} 处):",
            "warnings in the files re-read ({count}):",
        ),
        "check.title": ("jixiao check:复核结果", "jixiao check"),
        "check.problems": ("{errors}错 {warnings}不一致", "{errors}E {warnings}W"),
        # A form cut off: the total of the parts there (`ProjectScore.incomplete`).
        "check.incomplete": ("{total}(不完整)", "{total} (incomplete)"),
    }
)

# The build's stages as `jixiao build` names them while it runs (`builder.timing`).
STAGES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "hash": ("读取文件", "hash"),
        "plan": ("计划", "plan"),
        "check": ("检查", "check"),
        "render": ("页面", "render"),
        "search": ("搜索索引", "search"),
        "pdf": ("PDF", "pdf"),
        "xlsx": ("Excel 文件", "xlsx"),
        "export": ("开放数据", "export"),
        "links": ("PDF 链接", "links"),
        "publish": ("发布", "publish"),
        "record": ("记录", "record"),
    }
)


def environment_lang(environ: Mapping[str, str] | None = None) -> str:
    """ "en" when the locale the environment asks for is English (`en`, `en_US.UTF-8`, …),
    else "zh". `LC_ALL` overrides `LC_MESSAGES`, which overrides `LANG`; an empty variable
    counts as unset, as POSIX says."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "en" if value.split(".")[0].split("_")[0].lower() == "en" else "zh"
    return "zh"


def say(key: str, lang: str, **fields: object) -> str:
    """The sentence `key` of `WORDS` in `lang` ("zh" or "en"), its fields filled."""
    chinese, english = WORDS[key]
    return (english if lang == "en" else chinese).format(**fields)


def stage_name(stage: str, lang: str) -> str:
    """What a stage is called in `lang`; a stage without an entry by its own name."""
    chinese, english = STAGES.get(stage, (stage, stage))
    return english if lang == "en" else chinese
