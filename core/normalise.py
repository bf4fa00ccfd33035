"""Normalising text before any comparison: one form for what a person would call the same.

NFKC first (presentation-form Arabic and full-width Latin otherwise vanish or differ),
then format characters (ZWNJ, bidi marks) removed, case folded, look-alike letters of other
scripts inside Latin words folded to Latin ("Рutin" with a Cyrillic Р), diacritics stripped
from Latin letters, and punctuation turned into token boundaries — except apostrophes and
hyphens *inside* a word, which are dropped so "Qa'ida" = "Qaida".
"""

from __future__ import annotations

import re
import unicodedata

from core.scripts import char_script

# Cyrillic and Greek letters that look like Latin ones, used to disguise Latin names.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ɡ": "g", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    }
)  # fmt: skip

_INNER_JOINERS = re.compile(r"(?<=\w)['’‘`ʼʻ\-‐‑](?=\w)")
_NON_WORD = re.compile(r"[^\w]+|_")


def _fold_homoglyphs(word: str) -> str:
    """Fold Cyrillic/Greek look-alikes to Latin only inside words that are mostly Latin."""
    latin = other = 0
    for ch in word:
        script = char_script(ch)
        if script == "Latn":
            latin += 1
        elif script in ("Cyrl", "Grek"):
            other += 1
    if latin and other and latin >= other:
        return word.translate(_HOMOGLYPHS)
    return word


def strip_marks(text: str) -> str:
    """Remove combining marks from Latin letters (é → e); other scripts keep theirs."""
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    previous = ""
    for ch in decomposed:
        if unicodedata.combining(ch) and char_script(previous) in ("Latn", None):
            continue
        out.append(ch)
        if not unicodedata.combining(ch):
            previous = ch
    return unicodedata.normalize("NFC", "".join(out))


_SPECIAL_LATIN = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ð": "d", "þ": "th",
                                "ł": "l", "đ": "d", "ı": "i", "ħ": "h"})  # fmt: skip


def normalise(text: str) -> str:
    """Lower-case, mark-free tokens separated by single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.casefold()
    text = " ".join(_fold_homoglyphs(word) for word in text.split())
    text = strip_marks(text).translate(_SPECIAL_LATIN)
    text = _INNER_JOINERS.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())
