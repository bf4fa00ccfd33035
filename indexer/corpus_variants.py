"""Whether two names of a party are spellings of one name, judged apart from the scorer.

A party's names are not all one name: an alias may be another name altogether (a vessel's
former name, a company's old name, a nom de guerre, an English translation of a Chinese
name). A name matcher should alert on "Khalid QADDUR" for "Khaled QADDOUR", not on
"Jumpy Pisces" for "Stonefly". The corpus keeps every pair of one party (the lists say
they are one party) and marks which are *variants*, so that a score is fitted and
checked on the pairs a name can decide.

The judge must not be the scorer it is to check, or the check would only count what the
scorer already finds. It is deliberately plain: each name is written in Latin letters
by anyascii (one reading, letter by letter), particles and generic organisation words
(core.names: legal forms, "company", "trading") are dropped, and the two names are
variants when every remaining word of the shorter is like a word (or two or three glued
words) of the other, each used once: close as spelt, or, where one name is in Arabic
script (which writes few vowels: حسین is "hsyn", Hossein is "hssn"), as consonant
skeletons; a one-word name is no spelling of a much longer one. The same judge keeps near-namesakes
out of the hard negatives: "Andrey Anatolievich GURZHIY" and "Andrey Anatolyevich
Gurzhiy" on two listings are a hit by design, whoever they are.
"""

from __future__ import annotations

import functools
import re

from anyascii import anyascii
from rapidfuzz.distance import Indel

from core.names import legal_forms, org_words
from core.normalise import normalise
from core.scripts import detect_script

# Words that say nothing of whom a name names, in any romanisation.
_PARTICLE_TEXT = (
    "al el ul ad ar as at az an ash bin ibn ben bint binti bte abu umm de del la le lo "
    "van der den von da di du dos das the of and y e"
)
PARTICLES = frozenset(_PARTICLE_TEXT.split())
# A word is like another at this normalised similarity, as spelt or as a skeleton.
SPELT_SIMILARITY = 0.7
SKELETON_SIMILARITY = 0.75
# Glued runs of the other name's words tried against a word (Abdurrochim = Abdul Rachim).
MAX_GLUED = 3
_SYLLABIC = frozenset({"Hani", "Hang", "Jpan"})
_ABJADS = frozenset({"Arab", "Hebr", "Syrc"})
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SKELETON_DROPPED = re.compile(r"[aeiouwy`'h]")
_DOUBLED = re.compile(r"(.)\1+")


@functools.cache
def _generic() -> frozenset[str]:
    legal = {token for spelling in legal_forms() for token in spelling}
    return frozenset(legal | org_words() | PARTICLES)


def latin_words(text: str) -> list[str]:
    """The name's words in Latin letters, particles and generic words left out. A
    syllabic script (Chinese characters, Hangul, kana) gives one glued word: its syllables
    are not the words a Latin spelling divides."""
    script = detect_script(text)
    latin = anyascii(normalise(text))
    if script in _SYLLABIC:
        glued = "".join(normalise(_CAMEL.sub(" ", latin)).split())
        return [glued] if glued else []
    words: list[str] = []
    for word in normalise(latin).split():
        if word in _generic() or len(word) < 2:
            continue
        words.append(word)
    return words


def _without_article(word: str) -> str | None:
    """The word without an Arabic article glued on: "alshaer" (al-Shaer), "ldry" (الضاري
    as anyascii writes it, al-Dhari); None when it does not start like one."""
    if word.startswith(("al", "el")) and len(word) >= 5:
        return word[2:]
    if word.startswith("l") and len(word) >= 4 and word[1] not in "aeiou":
        return word[1:]
    return None


# Letters one Arabic letter is written with in Latin (ق: q or k; ض, ظ, ذ: d, dh or, in
# Persian, z).
_SKELETON_FOLDS = str.maketrans({"q": "k", "c": "k", "d": "z"})


def skeleton(word: str) -> str:
    """The consonants other than h, w, y (Arabic script writes them for vowels), undoubled,
    q and c as k, d as z."""
    return _DOUBLED.sub(r"\1", _SKELETON_DROPPED.sub("", word).translate(_SKELETON_FOLDS))


def words_alike(a: str, b: str, skeletons: bool = False) -> bool:
    """Alike as spelt (or, with ``skeletons``, for a name in a script that writes few
    vowels, as consonant skeletons), either also without a glued article."""
    if _alike(a, b, skeletons):
        return True
    bare_a, bare_b = _without_article(a), _without_article(b)
    return bool(
        (bare_a and _alike(bare_a, b, skeletons))
        or (bare_b and _alike(a, bare_b, skeletons))
        or (bare_a and bare_b and _alike(bare_a, bare_b, skeletons))
    )


def _alike(a: str, b: str, skeletons: bool) -> bool:
    if Indel.normalized_similarity(a, b) >= SPELT_SIMILARITY:
        return True
    if not skeletons:
        return False  # Mahmoud and Mohammed share a skeleton: only Arabic script needs it
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return False
    return sa == sb or (
        min(len(sa), len(sb)) >= 3 and Indel.normalized_similarity(sa, sb) >= SKELETON_SIMILARITY
    )


def _runs(words: list[str]) -> list[tuple[str, range]]:
    """Each word, and each run of up to :data:`MAX_GLUED` words glued, with its span."""
    runs: list[tuple[str, range]] = []
    for size in range(1, MAX_GLUED + 1):
        runs += [
            ("".join(words[i : i + size]), range(i, i + size)) for i in range(len(words) - size + 1)
        ]
    if len(words) > MAX_GLUED:
        runs.append(("".join(words), range(len(words))))
    return runs


def same_name(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` read as spellings of one name (see the module docstring):
    each word of the shorter like its own word or glued run of the other, and a name of
    one word is not the spelling of a name of several."""
    wa, wb = latin_words(a), latin_words(b)
    if not wa or not wb:
        return False
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) == 1 and len(long) > 1 and len(short[0]) < len("".join(long)) / 2:
        return False
    abjad = bool({detect_script(a), detect_script(b)} & _ABJADS)
    used: set[int] = set()
    for word in short:
        for run, span in _runs(long):
            if used.isdisjoint(span) and words_alike(word, run, abjad):
                used.update(span)
                break
        else:
            return False
    return True
