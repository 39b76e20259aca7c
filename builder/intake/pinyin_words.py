"""A name cut into words and each word spelt in pinyin: what the id of an imported form is made of.

The words are jieba's (`rjieba`, the Python binding of jieba-rs: jieba's dictionary of 350,000
words, cut without its HMM guesses so that a cut depends on the dictionary only), with four
changes for ids a reader can parse:

- characters the dictionary leaves one by one are one word (调待 diaodai, 运维费 yunweifei: jieba
  without its HMM guesses leaves a word it does not know in single characters);
- a place name of `place_readings` is one word wherever a name begins (天长市, 单县), as the
  reading of `names.syllables` takes it;
- a word of four or more characters that the dictionary tiles with words of two or three
  (社会保险 → 社会 保险, 养老保险费 → 养老 保险费, 威宁彝族回族苗族自治县 → 威宁 彝族 回族 苗族
  自治县) is cut into them: pinyin words longer than three syllables are hard to read;
- a word of three or more characters ending in an administrative unit (省 市 县 区 州 盟 旗 镇 乡)
  is the place and the unit (六盘水市 → 六盘水 市, 临泉县 → 临泉 县), as GB/T 16159-2012 writes
  place names (专名与通名分写: Liùpánshuǐ Shì), so that a place is spelt alike with or without
  its unit and whether or not the dictionary lists it with one. Not where the last two
  characters are themselves a word (大城市, 浦东新区, 小城镇 stay whole) unless the one before
  the unit is a unit too (杭州市 → 杭州 市); a one-character place stays one word (单县 shanxian).

pypinyin's own segmenter (`pypinyin.seg`) was measured on the same names and left: its phrase
dictionary holds the words whose reading differs from their characters' (to read them), not the
words of the language, so it leaves most of a name in single characters (城/乡/居/民/养/老/保/险).
docs/import.md has the table.
"""

from __future__ import annotations

import re

import rjieba

from .place_readings import READINGS

UNITS = "省市县区州盟旗镇乡"
# A place name of `READINGS`, where a name begins: at the start of a run of Chinese or after an
# administrative unit (安徽省天长市…), never inside a word (清单县级 is not 单县).
PLACE = re.compile(
    r"(?:(?<![\u3400-\u9fff])|(?<=[省市县区州旗盟镇乡]))(?:"
    + "|".join(re.escape(name) for name in sorted(READINGS, key=lambda n: (-len(n), n)))
    + ")"
)


def han_words(run: str) -> list[str]:
    """The words of `run`, a run of Chinese characters, in order; joined they are `run`."""
    words: list[str] = []
    at = 0
    for match in PLACE.finditer(run):
        words += [*_cut(run[at : match.start()]), match.group()]
        at = match.end()
    words += _cut(run[at:])
    return [piece for word in words for tiled in _tiled(word) for piece in _place_and_unit(tiled)]


def _cut(text: str) -> list[str]:
    """jieba's words of `text`, a run of characters it leaves one by one (words its dictionary
    does not hold: 调待, 运维费) joined into one word, an administrative unit left alone."""
    words: list[str] = []
    single = False
    for word in rjieba.cut(text, False) if text else ():
        alone = len(word) == 1 and word not in UNITS
        if alone and single:
            words[-1] += word
        else:
            words.append(word)
        single = alone
    return words


def _tiled(word: str) -> list[str]:
    """`word` as the fewest words of two or three characters of the dictionary that make it
    (the first such found, shorter pieces first), or [word] when it is shorter than four or
    has no such tiling."""
    if len(word) < 4:
        return [word]
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for size in (2, 3):
            before = best[end - size] if end >= size else None
            piece = word[end - size : end]
            if before is None or not rjieba.has_word(piece):
                continue
            current = best[end]
            if current is None or len(before) + 1 < len(current):
                best[end] = [*before, piece]
    return best[-1] or [word]


def _place_and_unit(word: str) -> list[str]:
    """`word` cut before an administrative unit it ends in (六盘水市 → 六盘水 市), or [word]."""
    if len(word) < 3 or word[-1] not in UNITS:
        return [word]
    if rjieba.has_word(word[-2:]) and word[-2] not in UNITS:
        return [word]
    return [word[:-1], word[-1]]
