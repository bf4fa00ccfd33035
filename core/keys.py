"""Keys that find candidate names for a query: what an index stores per listed name.

A key is a short string that two spellings of the same name are likely to share: the
normalised token itself (``n:yusuf``), its name-variant key (``v:``, shared by
mohammed/muhammad/mohamed), its phonetic codes (``p:``, Double Metaphone: Yousef and
Yusuf both give ``ASF``), its spelling folds (``f:``, :mod:`core.folds`: Iwanow and
Ivanov both give ``ivanuv``, Janukowytsch and Yanukovych ``yanukovix``), and the same
for adjacent tokens glued together, so
"Abd al-Rahman" finds "Abdulrahman" and "Al Qa'ida" finds "ALQAIDA".

A token of :data:`TYPO_MIN_LENGTH` letters or more also has its *deletion keys* (``d:``):
itself and each spelling of it with one letter left out (SymSpell's neighbourhood). A
query and a listed name share one whenever their tokens are one typo apart: a wrong letter
(both leave it out), a missing one (the query is one of the listed token's deletions), an
extra one (the listed token is one of the query's), two letters swapped (leave out either).
A long token (:data:`ENDS_MIN_LENGTH` letters or more) also has its *ends key* (``e:``,
its first and last three letters): typing errors fall in the middle of a long word more
often than at its ends, and "Росрбонэкспорт" (three letters off "Рособоронэкспорт", one
lost, one wrong, one more lost) keeps "ros…ort". Both kinds weigh what their rarity says,
like every key: a typo of a rare name is still rare.

Keys only *find* candidates. They never decide a match: Hussein and Hassan share the
phonetic code ``HSN`` and are different names; the scorer (:mod:`core.score`) compares the
letters.

Phonetic algorithm: Double Metaphone (the ``doublemetaphone`` package) by default. The
``jellyfish`` algorithms can be chosen instead (:data:`PHONETICS`); on the screening
development set Double Metaphone gave the best candidate recall (see the report of
``screening eval``), because its two codes per token cover both the Germanic/Slavic and the
Romance/Arabic reading of a spelling.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import jellyfish
from doublemetaphone import doublemetaphone

from core.folds import spelling_folds
from core.names import NameToken, TokenRole, variant_key

PhoneticAlgorithm = Callable[[str], tuple[str, ...]]

# Tokens glued with their neighbours into one key: "abd al rahman" → "abdalrahman".
MAX_GLUED_TOKENS = 3
# Shortest token with deletion keys: shorter ones leave two or three letters, which
# half the names on the lists share.
TYPO_MIN_LENGTH = 4
# Shortest token with an ends key, and how many letters of each end it keeps.
ENDS_MIN_LENGTH = 8
ENDS_LETTERS = 3


def _double_metaphone(token: str) -> tuple[str, ...]:
    primary, secondary = doublemetaphone(token)
    codes = [code for code in (primary, secondary) if code]
    return tuple(dict.fromkeys(codes))


def _single(algorithm: Callable[[str], str]) -> PhoneticAlgorithm:
    def codes(token: str) -> tuple[str, ...]:
        code = algorithm(token)
        return (code,) if code else ()

    return codes


PHONETICS: dict[str, PhoneticAlgorithm] = {
    "doublemetaphone": _double_metaphone,
    "metaphone": _single(jellyfish.metaphone),
    "nysiis": _single(jellyfish.nysiis),
    "soundex": _single(jellyfish.soundex),
    "match_rating": _single(jellyfish.match_rating_codex),
}
DEFAULT_PHONETIC = "doublemetaphone"


def _is_phonetic_material(token: str) -> bool:
    """Phonetic codes only make sense for Latin words of some length."""
    return len(token) >= 3 and token.isascii() and token.isalpha()


@functools.lru_cache(maxsize=200_000)
def phonetic_codes(token: str, algorithm: str = DEFAULT_PHONETIC) -> tuple[str, ...]:
    """Phonetic codes of a normalised token; empty for short or non-Latin tokens."""
    if not _is_phonetic_material(token):
        return ()
    return PHONETICS[algorithm](token)


def token_keys(token: NameToken, algorithm: str = DEFAULT_PHONETIC) -> set[str]:
    """Keys of one token: itself, its variant key and its phonetic codes."""
    # Built afresh in the original order: callers extend it, and set order steers ties.
    return set(_token_keys(token.text, token.role, algorithm))


@functools.lru_cache(maxsize=200_000)
def _token_keys(text: str, role: TokenRole, algorithm: str) -> tuple[str, ...]:
    """Memoised: aliases and queries repeat the same tokens, and keys are pure."""
    if role is TokenRole.INITIAL:
        return ()  # one letter finds everything; initials only confirm
    keys = ["n:" + text]
    if role in (TokenRole.NAME, TokenRole.ORG_WORD):
        keys.append("v:" + variant_key(text))
        keys.extend("p:" + code for code in phonetic_codes(text, algorithm))
        keys.extend("f:" + form for form in spelling_folds(text))
        keys.extend("d:" + spelling for spelling in deletions(text))
        if len(text) >= ENDS_MIN_LENGTH:
            keys.append(f"e:{text[:ENDS_LETTERS]}_{text[-ENDS_LETTERS:]}")
    return tuple(dict.fromkeys(keys))


def deletions(token: str) -> tuple[str, ...]:
    """The token and its spellings with one letter left out; () below TYPO_MIN_LENGTH."""
    if len(token) < TYPO_MIN_LENGTH:
        return ()
    return (token, *dict.fromkeys(token[:i] + token[i + 1 :] for i in range(len(token))))


def glued_keys(tokens: Sequence[NameToken], algorithm: str = DEFAULT_PHONETIC) -> set[str]:
    """Keys of runs of 2..MAX_GLUED_TOKENS adjacent name tokens written as one word."""
    keys: set[str] = set()
    words = [t.text if t.role is TokenRole.NAME else None for t in tokens]
    for start in range(len(words)):
        for length in range(2, MAX_GLUED_TOKENS + 1):
            run = words[start : start + length]
            if len(run) < length or any(w is None for w in run):
                break
            glued = "".join(w for w in run if w is not None)
            keys.add("n:" + glued)
            keys.update("p:" + code for code in phonetic_codes(glued, algorithm))
    return keys


def name_keys(tokens: Sequence[NameToken], algorithm: str = DEFAULT_PHONETIC) -> set[str]:
    """All keys of a name: those of each token and of its glued runs."""
    keys: set[str] = set()
    for token in tokens:
        keys |= token_keys(token, algorithm)
    return keys | glued_keys(tokens, algorithm)
