"""Japanese names into Hepburn romaji; kanji only through a Japanese reader, never as Chinese.

Kana are read from a table written here (modified Hepburn, as passports and lists spell
names: long vowels unmarked, "ou" also written "o"). Kanji need a Japanese dictionary:
when the optional ``cutlet`` package (MIT; with ``fugashi`` and ``unidic-lite``) is
installed it reads them; without it a name holding kanji *and* kana yields nothing rather
than Chinese readings, which would be wrong (田中 is Tanaka, not Tian Zhong), or its kana
alone, which would match the wrong people ("san").
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

from core.normalise import normalise
from core.romanise._rank import Reading, merge_readings

_BASIC: dict[str, str] = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
    "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so",
    "た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
    "は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
    "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
    "ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do",
    "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
    "ゔ": "vu", "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
    "ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa",
}  # fmt: skip
# Two-kana sounds: a consonant kana with a small ya/yu/yo, or (in loanwords) a small vowel.
_DIGRAPHS: dict[str, str] = {
    "きゃ": "kya", "きゅ": "kyu", "きょ": "kyo", "しゃ": "sha", "しゅ": "shu", "しょ": "sho",
    "ちゃ": "cha", "ちゅ": "chu", "ちょ": "cho", "にゃ": "nya", "にゅ": "nyu", "にょ": "nyo",
    "ひゃ": "hya", "ひゅ": "hyu", "ひょ": "hyo", "みゃ": "mya", "みゅ": "myu", "みょ": "myo",
    "りゃ": "rya", "りゅ": "ryu", "りょ": "ryo", "ぎゃ": "gya", "ぎゅ": "gyu", "ぎょ": "gyo",
    "じゃ": "ja", "じゅ": "ju", "じょ": "jo", "ぢゃ": "ja", "ぢゅ": "ju", "ぢょ": "jo",
    "びゃ": "bya", "びゅ": "byu", "びょ": "byo", "ぴゃ": "pya", "ぴゅ": "pyu", "ぴょ": "pyo",
    "しぇ": "she", "ちぇ": "che", "じぇ": "je", "てぃ": "ti", "でぃ": "di", "とぅ": "tu",
    "どぅ": "du", "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo", "うぃ": "wi",
    "うぇ": "we", "うぉ": "wo", "ゔぁ": "va", "ゔぃ": "vi", "ゔぇ": "ve", "ゔぉ": "vo",
    "つぁ": "tsa", "つぃ": "tsi", "つぇ": "tse", "つぉ": "tso", "いぇ": "ye",
}  # fmt: skip
_SOKUON = "っ"
_LONG_MARK = "ー"
_KATAKANA_START, _KATAKANA_END, _KANA_SHIFT = 0x30A1, 0x30F6, 0x60


def to_hiragana(text: str) -> str:
    """Katakana folded onto hiragana (the table is written once, for hiragana)."""
    return "".join(
        chr(ord(ch) - _KANA_SHIFT) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch
        for ch in text
    )


@functools.lru_cache(maxsize=16384)
def kana_to_romaji(text: str, long_vowels: bool = False) -> str:
    """Hepburn romaji of kana; a long-vowel mark doubles the vowel only when asked."""
    kana = to_hiragana(text)
    out: list[str] = []
    double_next = False
    i = 0
    while i < len(kana):
        pair, ch = kana[i : i + 2], kana[i]
        if ch == _SOKUON:
            double_next = True
            i += 1
            continue
        if ch == _LONG_MARK:
            if long_vowels and out and out[-1][-1:] in "aeiou":
                out.append(out[-1][-1])
            i += 1
            continue
        if pair in _DIGRAPHS:
            romaji, i = _DIGRAPHS[pair], i + 2
        else:
            romaji, i = _BASIC.get(ch, ch), i + 1
        if double_next and romaji and romaji[0] not in "aeiou":
            romaji = ("t" + romaji) if romaji.startswith("ch") else romaji[0] + romaji
        double_next = False
        out.append(romaji)
    return "".join(out)


def _simplify_long_vowels(text: str) -> str:
    """Passport-style: "Tarou" → "Taro", "Yuuko" → "Yuko", "Shinzou" → "Shinzo"."""
    return re.sub(r"ou|oo|uu", lambda m: m.group(0)[0], text)


@functools.cache
def _cutlet() -> Any | None:
    """The optional kanji reader, loaded once; None when it is not installed."""
    try:
        module = importlib.import_module("cutlet")
        reader = module.Cutlet()
    except Exception:  # not installed, or its dictionary is missing: kana only
        return None
    reader.use_foreign_spelling = False
    return reader


def has_kanji_reader() -> bool:
    """Whether kanji can be read as Japanese here (the optional cutlet is installed)."""
    return _cutlet() is not None


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or ch == _LONG_MARK


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked romaji of a Japanese run (kana, or kanji with kana); empty if unreadable."""
    words = run.split()
    if all(_is_kana(ch) for word in words for ch in word):
        plain = " ".join(kana_to_romaji(word) for word in words)
        doubled = " ".join(kana_to_romaji(word, long_vowels=True) for word in words)
        return merge_readings(
            [
                [
                    Reading(plain, 1.0, "Japanese kana, Hepburn"),
                    Reading(_simplify_long_vowels(plain), 0.9, "Japanese kana, Hepburn"),
                    Reading(doubled, 0.8, "Japanese kana, Hepburn with long vowels"),
                ]
            ],
            limit,
        )
    reader = _cutlet()
    if reader is None:
        return []
    text = normalise(reader.romaji(run))
    return merge_readings(
        [
            [
                Reading(_simplify_long_vowels(text), 1.0, "Japanese, cutlet, Hepburn"),
                Reading(text, 0.8, "Japanese, cutlet, Hepburn with long vowels"),
            ]
        ],
        limit,
    )


def romanise_kanji_name(run: str, limit: int = 8) -> list[Reading]:
    """Japanese readings of an all-kanji name (which may as well be Chinese); [] if no reader."""
    reader = _cutlet()
    if reader is None:
        return []
    text = normalise(reader.romaji(run))
    return merge_readings(
        [
            [
                Reading(_simplify_long_vowels(text), 0.7, "Japanese, cutlet, Hepburn"),
                Reading(text, 0.6, "Japanese, cutlet, Hepburn with long vowels"),
            ]
        ],
        limit,
    )
