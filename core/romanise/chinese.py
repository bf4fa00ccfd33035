"""Chinese names into Hanyu Pinyin as names are written: "Xi Jinping", not "xi jin ping".

Pinyin comes from pypinyin (MIT), which picks readings by context. A person's name is
surname + given name; the given name's syllables are written as one word ("Jinping"),
lists also print them spaced or hyphenated ("Jin Ping", "Jin-ping"). Several characters
read differently as surnames than in running text (单 Shan not Dan, 曾 Zeng not Ceng,
解 Xie not Jie); a table of those and of two-character surnames (欧阳, 司马) decides.
Wade-Giles and Cantonese spellings of surnames ("Chang", "Wong") are left to
``core.variants``, which groups them with the pinyin form.
"""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin

from core.romanise._rank import Reading, merge_readings

# Surname readings that differ from the common reading of the character.
_SURNAME_READINGS: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao",
    "查": "zha", "覃": "qin", "盖": "ge", "乐": "yue", "缪": "miao", "尉": "yu", "秘": "bi",
    "种": "chong", "繁": "po", "隗": "wei", "召": "shao", "长": "chang", "参": "can",
    "翟": "zhai", "重": "chong", "折": "she", "燕": "yan", "华": "hua", "宁": "ning",
    "任": "ren", "纪": "ji", "沈": "shen", "贾": "jia", "薄": "bo", "石": "shi", "万": "wan",
    "蔺": "lin", "那": "na", "员": "yun", "车": "che", "句": "gou", "殷": "yin",
}  # fmt: skip
_COMPOUND_SURNAMES: dict[str, str] = {
    "欧阳": "ouyang", "司马": "sima", "诸葛": "zhuge", "上官": "shangguan", "东方": "dongfang",
    "皇甫": "huangfu", "尉迟": "yuchi", "公孙": "gongsun", "慕容": "murong", "令狐": "linghu",
    "长孙": "zhangsun", "夏侯": "xiahou", "司徒": "situ", "端木": "duanmu", "宇文": "yuwen",
    "歐陽": "ouyang", "諸葛": "zhuge", "單于": "chanyu",
}  # fmt: skip


@functools.lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[str, ...]:
    return tuple(
        s for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors="ignore") if s
    )


def _split_surname(word: str) -> tuple[str, str]:
    if len(word) >= 3 and word[:2] in _COMPOUND_SURNAMES:
        return word[:2], word[2:]
    return word[:1], word[1:]


def _surname_pinyin(surname: str) -> str:
    if surname in _COMPOUND_SURNAMES:
        return _COMPOUND_SURNAMES[surname]
    if surname in _SURNAME_READINGS:
        return _SURNAME_READINGS[surname]
    return "".join(_syllables(surname))


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked pinyin forms of a normalised Han run (each space-separated word a name part).

    A word of 2-4 characters is read as a personal name (surname + joined given name);
    longer words (organisations, transcribed foreign names) as running text, joined and
    syllable by syllable.
    """
    words = run.split()
    personal = len(words) == 1 and 2 <= len(words[0]) <= 4
    if personal:
        surname, given = _split_surname(words[0])
        family = _surname_pinyin(surname)
        syllables = _syllables(given)
        forms = [
            Reading(f"{family} {''.join(syllables)}", 1.0, "Chinese, pinyin"),
            Reading(" ".join([family, *syllables]), 0.9, "Chinese, pinyin by syllable"),
            Reading(f"{''.join(syllables)} {family}", 0.6, "Chinese, pinyin, given name first"),
            Reading(family + "".join(syllables), 0.5, "Chinese, pinyin as one word"),
        ]
        return merge_readings([forms], limit)
    joined = " ".join("".join(_syllables(word)) for word in words)
    spaced = " ".join(" ".join(_syllables(word)) for word in words)
    return merge_readings(
        [
            [
                Reading(joined, 1.0, "Chinese, pinyin"),
                Reading(spaced, 0.9, "Chinese, pinyin by syllable"),
            ]
        ],
        limit,
    )
