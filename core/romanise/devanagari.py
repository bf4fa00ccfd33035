"""Devanagari names (Hindi, Marathi, Nepali) in the spellings Indian names are written in.

Letter-by-letter tools drop or keep every inherent vowel alike ("nrendr modi", "msud
ajhr"). A Devanagari consonant carries an "a" unless a vowel sign or the virama (्)
follows it; Hindi does not say that "a" at the end of a word (नरेन्द्र is Narendra, but
मसूद is Masood, not Masooda) nor, often, between a vowel-bearing syllable and a following
consonant with a vowel (अज़हर Azhar). Names are written without long-vowel marks (आ a, ई i,
ऊ u), the nukta letters in their Urdu values (फ़ f, ज़ z, क़ q, ख़ kh, ग़ gh), the anusvara
as n (m before b, p, m). Forms are ranked: the inherent vowels dropped as Hindi says
them, then every one written, then the word-final one kept.
"""

from __future__ import annotations

import functools

from core.romanise._rank import Reading, best_products

_CONSONANTS: dict[str, str] = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s",
    "ह": "h", "ळ": "l", "क़": "q", "ख़": "kh", "ग़": "gh", "ज़": "z", "ड़": "r", "ढ़": "rh",
    "फ़": "f", "य़": "y",
}  # fmt: skip
_NUKTA_FORMS = {"क": "क़", "ख": "ख़", "ग": "ग़", "ज": "ज़", "ड": "ड़", "ढ": "ढ़", "फ": "फ़", "य": "य़"}
_NUKTA = "\u093c"
_VIRAMA = "\u094d"
_VOWELS: dict[str, str] = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e",
}  # fmt: skip
_VOWEL_SIGNS: dict[str, str] = {
    "\u093e": "a", "\u093f": "i", "\u0940": "i", "\u0941": "u", "\u0942": "u", "\u0943": "ri",
    "\u0947": "e", "\u0948": "ai", "\u094b": "o", "\u094c": "au", "\u0949": "o", "\u0945": "e",
}  # fmt: skip
_ANUSVARA, _CHANDRABINDU, _VISARGA = "\u0902", "\u0901", "\u0903"
_NASAL = "\u0000n"  # the anusvara's place in a unit's vowel

# One unit of a word: (consonant letters, vowel, whether the vowel is the inherent "a").
_Unit = tuple[str, str, bool]


def _units(word: str) -> list[_Unit]:
    chars = list(word)
    # a consonant + nukta is one letter
    merged: list[str] = []
    for ch in chars:
        if ch == _NUKTA and merged and merged[-1] in _NUKTA_FORMS:
            merged[-1] = _NUKTA_FORMS[merged[-1]]
        elif ch != _NUKTA:
            merged.append(ch)
    units: list[_Unit] = []
    i = 0
    while i < len(merged):
        ch = merged[i]
        following = merged[i + 1] if i + 1 < len(merged) else ""
        if ch in _CONSONANTS:
            if following == _VIRAMA:
                units.append((_CONSONANTS[ch], "", False))
                i += 2
                continue
            if following in _VOWEL_SIGNS:
                units.append((_CONSONANTS[ch], _VOWEL_SIGNS[following], False))
                i += 2
                continue
            units.append((_CONSONANTS[ch], "a", True))
        elif ch in _VOWELS:
            units.append(("", _VOWELS[ch], False))
        elif ch in (_ANUSVARA, _CHANDRABINDU):
            units.append(("", _NASAL, False))  # n or m: resolved by what follows
        elif ch == _VISARGA:
            units.append(("h", "", False))
        i += 1
    return units


def _spell(units: list[_Unit], drop_medial: bool, drop_final: bool) -> str:
    """The word's letters; inherent vowels dropped right to left as Hindi drops them."""
    vowels = [vowel for _, vowel, _ in units]
    last = len(units) - 1
    for k in range(last, 0, -1):
        consonant, vowel, inherent = units[k]
        if not inherent:
            continue
        if k == last:
            cluster = units[k - 1][1] == ""  # a conjunct ends the word: Narendra, Indra
            if drop_final and not cluster:
                vowels[k] = ""
        elif drop_medial and vowels[k - 1] and units[k + 1][0] and vowels[k + 1]:
            vowels[k] = ""  # V C(a) C V: अज़हर Azhar, कमला Kamla
    out: list[str] = []
    for k, (consonant, _, _) in enumerate(units):
        vowel = vowels[k]
        if vowel == _NASAL:
            following = units[k + 1][0] if k + 1 < len(units) else ""
            out.append("m" if following[:1] in ("b", "p", "m") else "n")
        else:
            out.append(consonant + vowel)
    return "".join(out)


@functools.lru_cache(maxsize=16384)
def word_options(word: str) -> tuple[tuple[str, float], ...]:
    """Ranked spellings of one Devanagari word (see the module docstring)."""
    units = _units(word)
    if not units:
        return ()
    return _distinct(
        (
            (_spell(units, drop_medial=True, drop_final=True), 1.0),
            (_spell(units, drop_medial=False, drop_final=True), 0.7),
            (_spell(units, drop_medial=False, drop_final=False), 0.4),
        )
    )


def _distinct(forms: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    seen: dict[str, float] = {}
    for text, weight in forms:
        if text and text not in seen:
            seen[text] = weight
    return tuple(seen.items())


@functools.lru_cache(maxsize=16384)
def romanise(run: str, limit: int = 8) -> list[Reading]:
    """Ranked Latin forms of a normalised Devanagari run."""
    options = [list(word_options(word)) for word in run.split()]
    return [
        Reading(text, weight, "Devanagari, names as written in India")
        for text, weight in best_products([o for o in options if o], limit)
    ]
