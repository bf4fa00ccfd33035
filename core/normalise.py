"""Normalising text before any comparison: one form for what a person would call the same.

The steps, in order, and why:

1. NFKC: presentation-form Arabic (ﻣﺤﻤﺪ) and full-width Latin (ＰＵＴＩＮ) otherwise differ
   from the ordinary letters, or vanish in later steps.
2. Format characters (category Cf: ZWNJ, ZWJ, bidi marks, soft hyphen) and the Arabic
   tatweel (ـ, a letter-stretching character) are removed: they never change a name.
3. A word mixing Latin with Cyrillic or Greek letters is read in the one script its
   look-alike letters allow ("ВАNК" with Cyrillic В, А, К is the Latin BANK: N has no
   Cyrillic twin; "КАЗАКЕВIЧ" with a Latin I is Cyrillic), by the majority where both
   are possible (:mod:`core.lookalikes`; :func:`alternative_reading` gives the other).
   This comes before case folding: the twins depend on case (Greek Ν is N, ν is v).
4. Case folded (casefold, so ß and final sigma fold too).
5. Marks removed: every combining mark on Latin and Greek letters (é → e, ύ → υ), Arabic
   harakat and shadda, Hebrew points, Cyrillic stress accents (Влади́мир). Marks that make
   a different letter are kept where they do: Cyrillic й and ё stay (NFC recomposes them).
6. Punctuation: an apostrophe-like character *inside* a word is dropped, so the two sides
   of it join ("Qa'ida" = "Qaida", "O'Brien" = "obrien"; apostrophes mark ayn, hamza or a
   soft sign inside one word). A hyphen, dot, comma, slash or any other punctuation is a
   token boundary ("AL-QAIDA" = "al qaida", "Jong-un" = "jong un"). Glued spellings
   ("ALQAIDA" → "alqaida") are *not* split here: normalise stays predictable, and the scorer
   relates glued and split tokens.

7. Chinese characters in one form: traditional and regional forms folded to simplified
   (華信船務 = 华信船务, :mod:`core.han_variants`), except in text with kana: Japanese
   kanji keep the form a Japanese reader knows.

The result: lower-case tokens of letters and digits separated by single spaces.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from core.han_variants import fold_han_variants
from core.lookalikes import word_readings
from core.scripts import char_script

_APOSTROPHES = "'’‘`ʼʻ´ʹʾʿ"
_INNER_APOSTROPHE = re.compile(rf"(?<=\w)[{_APOSTROPHES}](?=\w)")
_TATWEEL = "\u0640"
# Text that normalising leaves unchanged: lower-case ASCII letters/digits, single spaces.
_ALREADY_NORMAL = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
# Combining marks that make a different Cyrillic letter (й, ё, ї, ў) and must survive.
_CYRILLIC_LETTER_MARKS = frozenset("\u0306\u0308")
_SPECIAL_LATIN = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ð": "d", "þ": "th",
                                "ł": "l", "đ": "d", "ı": "i", "ħ": "h", "ŀ": "l"})  # fmt: skip


def _mark_is_dropped(mark: str, base_script: str | None) -> bool:
    """Whether a combining mark after a letter of ``base_script`` is noise for matching."""
    if base_script == "Cyrl":
        return mark not in _CYRILLIC_LETTER_MARKS
    # Latin, Greek, Arabic (harakat, shadda), Hebrew (niqqud), stray marks with no base.
    # Indic and Thai vowel signs are marks too but carry the vowel: keep them.
    return base_script in ("Latn", "Grek", "Arab", "Hebr", "Armn", "Geor", None)


def strip_marks(text: str) -> str:
    """Remove combining marks that do not make a different letter (é → e, مُحَمَّد → محمد)."""
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    base_script: str | None = None
    for ch in decomposed:
        category = unicodedata.category(ch)
        if unicodedata.combining(ch) or category == "Mn":
            if _mark_is_dropped(ch, base_script):
                continue
        elif category[0] != "M":
            # a spacing vowel sign (Devanagari ा, category Mc) leaves the letter it follows
            # the base of the marks after it: गांधी keeps its anusvara
            base_script = char_script(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@functools.lru_cache(maxsize=65536)
def normalise(text: str, han_variants: bool = True) -> str:
    """Lower-case, mark-free tokens separated by single spaces (see the module docstring).

    ``han_variants=False`` keeps traditional Chinese characters as written (step 7), for
    a reader of Japanese kanji.
    """
    if _ALREADY_NORMAL.fullmatch(text):
        return text  # already normal (a romanisation being tokenised): skip the work
    if text.isascii():
        # Most listed names: NFKC, format characters, homoglyphs and marks cannot occur in
        # ASCII and casefold is lower(), so only the apostrophes and separators are left.
        text = _INNER_APOSTROPHE.sub("", text.lower())
        return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())
    return _normalise_mixed(text, alternative=False, han_variants=han_variants)


def _normalise_mixed(text: str, alternative: bool, han_variants: bool = True) -> str:
    """Steps 1-7 for text that is not ASCII; ``alternative`` takes the other reading of
    words whose look-alike letters allow two (:func:`core.lookalikes.word_readings`)."""
    text = unicodedata.normalize("NFKC", text)
    if han_variants:
        folded = fold_han_variants(text)  # one C pass; kana looked for only if it changed
        if folded != text and not any(_is_kana(ch) for ch in text):
            text = folded
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf" and ch != _TATWEEL)
    words = []
    for word in text.split():
        reading, other = word_readings(word)
        words.append(other if alternative and other is not None else reading)
    text = " ".join(words).casefold()
    text = strip_marks(text).translate(_SPECIAL_LATIN)
    text = _INNER_APOSTROPHE.sub("", text)
    return " ".join("".join(ch if _is_word_char(ch) else " " for ch in text).split())


def _is_word_char(ch: str) -> bool:
    """Letters, digits and the marks that remain (Indic vowel signs belong to their word)."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


@functools.lru_cache(maxsize=16384)
def alternative_reading(text: str) -> str | None:
    """The normalised text with the other reading of its two-way look-alike words
    ("САРAН" with a Latin A: Cyrillic first, Latin "CAPAH" here); None when it has none."""
    if text.isascii():
        return None
    other = _normalise_mixed(text, alternative=True)
    return other if other != normalise(text) else None


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff"
