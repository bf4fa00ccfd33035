"""One typing error in a name, in the name's own script: for measuring typo retrieval.

A clerk's typo is one wrong, missing or extra letter, or two letters swapped, in the
script the clerk types: a Cyrillic letter for a Cyrillic one, an Arabic letter for an
Arabic one. Hangul is typed a letter (jamo) at a time, so a Hangul typo changes one jamo
of a syllable (김정은 → 김정운), drops a final consonant or adds one. The generator is
seeded (``random.Random``) so a measurement can be repeated exactly.
"""

from __future__ import annotations

import random
import unicodedata

from core.scripts import char_script

ALPHABETS: dict[str, str] = {
    "Latn": "abcdefghijklmnopqrstuvwxyz",
    "Cyrl": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "Arab": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "Grek": "αβγδεζηθικλμνξοπρστυφχψω",
}
KINDS = ("wrong", "missing", "extra", "swapped")

_HANGUL_BASE = 0xAC00
_INITIALS, _VOWELS, _FINALS = 19, 21, 28


def _is_syllable(ch: str) -> bool:
    return _HANGUL_BASE <= ord(ch) < _HANGUL_BASE + _INITIALS * _VOWELS * _FINALS


def _hangul_typo(text: str, kind: str, rng: random.Random) -> str | None:
    positions = [i for i, ch in enumerate(text) if _is_syllable(ch)]
    if not positions:
        return None
    i = rng.choice(positions)
    index = ord(text[i]) - _HANGUL_BASE
    initial, vowel, final = index // 588, (index % 588) // 28, index % 28
    if kind == "missing":
        if not final:
            return None
        final = 0
    elif kind == "extra":
        if final:
            return None
        final = rng.randrange(1, _FINALS)
    elif kind == "wrong":
        part = rng.randrange(3)
        if part == 0:
            initial = rng.choice([j for j in range(_INITIALS) if j != initial])
        elif part == 1:
            vowel = rng.choice([j for j in range(_VOWELS) if j != vowel])
        else:
            final = rng.choice([j for j in range(_FINALS) if j != final])
    else:  # swapped: two neighbouring syllables
        if i + 1 >= len(text) or not _is_syllable(text[i + 1]) or text[i] == text[i + 1]:
            return None
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    syllable = chr(_HANGUL_BASE + initial * 588 + vowel * 28 + final)
    return text[:i] + syllable + text[i + 1 :]


def one_typo(text: str, script: str, rng: random.Random, kind: str | None = None) -> str | None:
    """``text`` with one typing error of ``kind`` (or one drawn at random) among the
    letters of ``script``; None when the text offers no place for it."""
    kind = kind or rng.choice(KINDS)
    if script == "Hang":
        return _hangul_typo(text, kind, rng)
    alphabet = ALPHABETS.get(script)
    if alphabet is None:
        return None
    text = unicodedata.normalize("NFC", text)
    positions = [i for i, ch in enumerate(text) if char_script(ch) == script]
    if len(positions) < 2:
        return None
    i = rng.choice(positions)
    letter = rng.choice(alphabet)
    if text[i].isupper():
        letter = letter.upper()
    if kind == "wrong":
        if letter.casefold() == text[i].casefold():
            return None
        return text[:i] + letter + text[i + 1 :]
    if kind == "missing":
        return text[:i] + text[i + 1 :]
    if kind == "extra":
        return text[:i] + letter + text[i:]
    following = i + 1
    if following >= len(text) or char_script(text[following]) != script:
        return None
    if text[i] == text[following]:
        return None
    return text[:i] + text[following] + text[i] + text[following + 1 :]
