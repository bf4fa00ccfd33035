"""Korean names in Revised Romanisation, read as the McCune-Reischauer lists print.

South Korea's Revised Romanisation (2000) writes 김정은 "Gim Jeong-eun", the press
"Kim Jong-eun"; North Korean names are listed in McCune-Reischauer without its marks,
"KIM Jong Un". The spellings differ in a few regular places: ㅓ is RR "eo", MR "o"
(Jeong/Jong), ㅡ is RR "eu", MR "u" (eun/un), and a syllable-initial ㄱ ㄷ ㅂ is RR g d b,
MR k t p (Gim/Kim, Bak/Pak). A Latin name whose every word is made of Korean syllables,
with a Korean surname first or last and at least one spelling only RR uses (eo, eu, or an
RR surname: Gim, Bak, Gang), also gets the MR reading (``core.translit``): one more form
for the scorer, never a change to the name as written.
"""

from __future__ import annotations

import functools

from core.romanise.korean import surname_spellings

_ONSETS = ("kk", "tt", "pp", "ss", "jj", "ch", "g", "n", "d", "r", "l", "m", "b", "s", "j",
           "k", "t", "p", "h", "")  # fmt: skip
_VOWELS = ("yeo", "yae", "wae", "eo", "eu", "ae", "ya", "ye", "wa", "oe", "yo", "wo", "we",
           "wi", "yu", "ui", "a", "e", "o", "u", "i")  # fmt: skip
_FINALS = ("ng", "k", "n", "t", "l", "m", "p", "")
# RR → MR, by part of the syllable.
_MR_ONSET = {"g": "k", "d": "t", "b": "p"}
_MR_VOWEL = {"eo": "o", "yeo": "yo", "eu": "u"}
_RR_ONLY_VOWELS = frozenset({"eo", "yeo", "eu"})
_MAX_SYLLABLES = 3


@functools.lru_cache(maxsize=65536)
def _parse(word: str) -> tuple[tuple[str, str, str], ...] | None:
    """The word as RR syllables (onset, vowel, final), fewest syllables; None if none."""
    if not word:
        return ()
    best: tuple[tuple[str, str, str], ...] | None = None
    for onset in _ONSETS:
        if not word.startswith(onset):
            continue
        rest = word[len(onset) :]
        for vowel in _VOWELS:
            if not rest.startswith(vowel):
                continue
            tail = rest[len(vowel) :]
            for final in _FINALS:
                if tail.startswith(final):
                    after = _parse(tail[len(final) :])
                    if after is not None and (best is None or len(after) + 1 < len(best)):
                        best = ((onset, vowel, final), *after)
    return best


def _as_mr(syllables: tuple[tuple[str, str, str], ...]) -> str:
    return "".join(
        _MR_ONSET.get(onset, onset) + _MR_VOWEL.get(vowel, vowel) + final
        for onset, vowel, final in syllables
    )


@functools.cache
def _surnames() -> dict[str, str]:
    """Every listed spelling of a Korean surname → its North Korean (MR) spelling."""
    return {spelling: spellings[0] for spellings in surname_spellings() for spelling in spellings}


def mr_reading(text: str) -> str | None:
    """The McCune-Reischauer reading of a normalised Latin Korean name in RR; None when
    it is not one or would not change."""
    words = text.split()
    if not 2 <= len(words) <= 4:
        return None
    surnames = _surnames()
    first = words[0] in surnames
    if not first and words[-1] not in surnames:
        return None
    surname_at = 0 if first else len(words) - 1
    parsed = [_parse(word) for word in words]
    given = [p for k, p in enumerate(parsed) if k != surname_at]
    if any(not p for p in given) or sum(len(p or ()) for p in given) > _MAX_SYLLABLES:
        return None
    surname = words[surname_at]
    rr_only = surnames[surname] != surname or any(
        vowel in _RR_ONLY_VOWELS for p in given for _, vowel, _ in p or ()
    )
    if not rr_only:
        return None
    out = [surnames[surname] if k == surname_at else _as_mr(p or ()) for k, p in enumerate(parsed)]
    reading = " ".join(out)
    return reading if reading != text else None
