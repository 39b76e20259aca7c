"""What jixiao says to staff, in Chinese (the default: finance staff read it) or English, from
gettext catalogues: `builder/locale/<lang>/LC_MESSAGES/jixiao.po`, one for each of `LANGUAGES`.

The catalogues are read as they are, with Babel (`babel.messages.pofile.read_po`), compiled in
memory (`babel.messages.mofile.write_mo` into a buffer) and used through the standard library's
`gettext.GNUTranslations`: no compile step, no binary file in git. Each language's is read once
a process (`translations`, a function's `lru_cache`: no module state).

Msgids are stable keys (`check.summary`, `count.warning`, `stage.render`), and both languages are
translations of them. A key outlives any wording: the Chinese is edited by the people who read it
(不一致 became 警告 for a warning) without touching the English or the code, and a test holds
every key to both catalogues with the same `{placeholders}` (tests/test_i18n.py). Sentences are
`str.format` templates filled from named fields; a count printed in a sentence is said by an
`ngettext` entry (`say_n`: Chinese has one form, English two). Babel's extractor, told that
`say` and `say_n` take a key as their first argument, finds every key the code uses, and the test
fails when one is missing from a catalogue.

The language is `--lang` when given, else the environment's as POSIX orders it (`LC_ALL`,
`LC_MESSAGES`, `LANG`): English for `en` or `en_*`, Chinese otherwise (`C`, unset, `zh_*`).
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("zh", "en")
"""The languages staff are spoken to in; the first is the default."""

DOMAIN = "jixiao"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""Where the catalogues are: `LOCALE_DIR/<lang>/LC_MESSAGES/jixiao.po`."""

# The functions whose first argument is a msgid, for Babel's extractor (`extract_from_dir`).
KEYWORDS = {"say": (1,), "say_n": (1,)}


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


def argv_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language a command line asks for before it is parsed (its help is made in it):
    the value of its `--lang X` or `--lang=X` when that is one of `LANGUAGES`, else the
    environment's (`environment_lang`)."""
    for i, word in enumerate(argv):
        asked = word[len("--lang=") :] if word.startswith("--lang=") else None
        if word == "--lang" and i + 1 < len(argv):
            asked = argv[i + 1]
        if asked in LANGUAGES:
            return asked
    return environment_lang(environ)


def catalogue_path(lang: str) -> Path:
    """The `.po` file of `lang` ("zh" or "en")."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str):  # -> babel.messages.catalog.Catalog
    """The catalogue of `lang` as Babel reads it (its header, its messages with their plural
    forms). Raises ValueError for a language jixiao has no catalogue of, OSError when the file
    is missing."""
    from babel.messages.pofile import read_po

    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r}; one of {', '.join(LANGUAGES)}")
    with catalogue_path(lang).open("rb") as file:
        return read_po(file, locale=lang, domain=DOMAIN)


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.GNUTranslations:
    """The catalogue of `lang` compiled in memory, as `gettext` uses it (its plural rule from
    the catalogue's `Plural-Forms`). A key missing from it is said as the key itself."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalogue(lang))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def say(key: str, lang: str, **fields: object) -> str:
    """The sentence `key` in `lang` ("zh" or "en"), its `{fields}` filled."""
    return translations(lang).gettext(key).format(**fields)


def say_n(key: str, count: int, lang: str, **fields: object) -> str:
    """The sentence `key` in the form `count` asks for in `lang` (`1 warning`, `2 warnings`;
    Chinese has one form), its `{count}` and other `{fields}` filled."""
    return translations(lang).ngettext(key, key, count).format(count=count, **fields)


def stage_name(stage: str, lang: str) -> str:
    """What a stage of the build is called in `lang` (`stage.<name>` in the catalogue); a
    stage without an entry by its own name."""
    key = f"stage.{stage}"
    said = translations(lang).gettext(key)
    return stage if said == key else said


__all__ = [
    "KEYWORDS",
    "LANGUAGES",
    "LOCALE_DIR",
    "argv_lang",
    "catalogue",
    "catalogue_path",
    "environment_lang",
    "say",
    "say_n",
    "stage_name",
    "translations",
]
