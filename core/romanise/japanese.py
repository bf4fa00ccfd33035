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
from core.romanise._rank import Reading, best_products, merge_readings

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


def _morae(kana: str) -> list[str]:
    """Hiragana split into morae: a digraph (じょ), one kana, ッ, ー or ん."""
    out: list[str] = []
    i = 0
    while i < len(kana):
        if kana[i : i + 2] in _DIGRAPHS:
            out.append(kana[i : i + 2])
            i += 2
        else:
            out.append(kana[i])
            i += 1
    return out


def _romaji(mora: str) -> str:
    return _DIGRAPHS.get(mora) or _BASIC.get(mora, mora)


# How likely each choice is when a foreign name is written in kana. A vowel Japanese adds
# after a consonant (ス in スミス, ム in キム, ト in ロバート) is dropped more often than kept
# at the end of a word, and kept more often inside it; ラ行 is r or l; ン is n, m before
# b/m/p (ムハンマド, Muhammad) and often ng before a vowel or at the end (ジョンウン, Jong
# Un; ワン, Wang); ー lengthens the vowel, which romanisations mostly do not write, or
# stands for an r (カーター, Carter); ッ doubles the next consonant or marks a short vowel.
_DROP_FINAL, _KEEP_FINAL = 1.0, 0.7
_DROP_INSIDE, _KEEP_INSIDE = 1.0, 0.95
_DROP_INITIAL, _KEEP_INITIAL = 0.9, 1.0
_L_FOR_R = 0.85
_NG_BEFORE_VOWEL, _NG_FINAL, _NG_BEFORE_CONSONANT, _N_BEFORE_LABIAL = 0.9, 0.6, 0.6, 0.9
_LONG_DOUBLED, _LONG_AS_R = 0.5, 0.4
_SOKUON_DOUBLED = 0.8
_SI_FOR_SHI, _TI_FOR_CHI = 0.6, 0.5
_FOREIGN_BEAM = 8


def _mora_options(morae: list[str], i: int) -> list[tuple[str, float]]:
    """The ways one mora of a foreign name is written in Latin letters, with likelihoods."""
    mora = morae[i]
    following = _romaji(morae[i + 1]) if i + 1 < len(morae) else ""
    final = all(m == _LONG_MARK for m in morae[i + 1 :])
    if mora == _SOKUON:
        consonant = following[:1] if following[:1] not in ("", *"aeiou") else ""
        return [("", 1.0), (consonant, _SOKUON_DOUBLED)] if consonant else [("", 1.0)]
    if mora == _LONG_MARK:
        vowel = _romaji(morae[i - 1])[-1:] if i else ""
        if vowel not in ("a", "e", "i", "o", "u"):
            return [("", 1.0)]
        options = [("", 1.0), (vowel, _LONG_DOUBLED)]
        return [*options, ("r", _LONG_AS_R)] if vowel in "aeo" else options
    if mora == "ん":
        if not following or final:
            return [("n", 1.0), ("ng", _NG_FINAL)]
        if following[0] in "bmp":
            return [("m", 1.0), ("n", _N_BEFORE_LABIAL)]
        if following[0] in "aeiouy":
            return [("n", 1.0), ("ng", _NG_BEFORE_VOWEL)]
        return [("n", 1.0), ("ng", _NG_BEFORE_CONSONANT)]
    romaji = _romaji(mora)
    vowel = romaji[-1] if romaji[-1:] in ("a", "e", "i", "o", "u") else ""
    consonant = romaji[: len(romaji) - len(vowel)]
    onsets = [(consonant, 1.0)]
    if consonant.startswith("r"):
        onsets.append(("l" + consonant[1:], _L_FOR_R))
    elif consonant == "sh" and vowel == "i":
        onsets.append(("s", _SI_FOR_SHI))
    elif consonant == "ch" and vowel == "i":
        onsets.append(("t", _TI_FOR_CHI))
    lengthened = i + 1 < len(morae) and morae[i + 1] == _LONG_MARK  # プー: a long u, said
    epenthetic = (
        consonant not in ("", "y", "w")
        and not lengthened
        and (vowel == "u" or (vowel == "o" and consonant in ("t", "d")))
    )
    if not epenthetic:
        return [(onset + vowel, weight) for onset, weight in onsets]
    if final:
        drop, keep = _DROP_FINAL, _KEEP_FINAL
    elif i == 0:
        drop, keep = _DROP_INITIAL, _KEEP_INITIAL
    else:
        drop, keep = _DROP_INSIDE, _KEEP_INSIDE
    return [
        option
        for onset, weight in onsets
        for option in ((onset + vowel, weight * keep), (onset, weight * drop))
    ]


@functools.lru_cache(maxsize=16384)
def foreign_word_spellings(word: str, limit: int = _FOREIGN_BEAM) -> tuple[tuple[str, float], ...]:
    """Ranked Latin spellings of one kana word as a foreign name (スミス → smis, sumis)."""
    morae = _morae(to_hiragana(word))
    options = [_mora_options(morae, i) for i in range(len(morae))]
    glued = best_products(options, limit)
    return tuple((text.replace(" ", ""), weight) for text, weight in glued)


def _foreign_readings(words: list[str], limit: int) -> list[Reading]:
    per_word = [list(foreign_word_spellings(word)) for word in words]
    return [
        Reading(text, weight, "kana, as a foreign name")
        for text, weight in best_products(per_word, limit)
        if text
    ]


def _is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff"


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked romaji of a Japanese run (kana, or kanji with kana); empty if unreadable.

    Kana are read two ways: as a foreign name the way Japanese writes one (vowels it adds
    dropped, l for r, ng for ン: キム・ジョンウン → "kim jongun"), and in Hepburn as a
    Japanese name. Katakana, the script of foreign names, ranks the foreign reading first;
    hiragana the Japanese one.
    """
    words = run.split()
    if all(_is_kana(ch) for word in words for ch in word):
        plain = " ".join(kana_to_romaji(word) for word in words)
        doubled = " ".join(kana_to_romaji(word, long_vowels=True) for word in words)
        hepburn = [
            Reading(plain, 1.0, "Japanese kana, Hepburn"),
            Reading(_simplify_long_vowels(plain), 0.9, "Japanese kana, Hepburn"),
            Reading(doubled, 0.8, "Japanese kana, Hepburn with long vowels"),
        ]
        foreign = _foreign_readings(words, limit)
        katakana = sum(map(_is_katakana, run)) * 2 >= len(run.replace(" ", ""))
        if katakana:
            ordered = [*foreign[:2], hepburn[0], *foreign[2:], *hepburn[1:]]
        else:
            ordered = [hepburn[0], *foreign[:1], *hepburn[1:2], *foreign[1:], *hepburn[2:]]
        return merge_readings([ordered], limit)
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
