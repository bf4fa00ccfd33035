"""How alike two name tokens are, and by which rule, in [0, 1].

Letters first (Jaro-Winkler and a normalised edit distance that counts a transposition as
one typo, from rapidfuzz), then the relations spelling misses: listed variants, nicknames
(Ted = Theodore), transcription folds (Iwanow = Ivanov, :mod:`core.folds`), doubled
letters, Baltic nominative endings (Lavrovs = Lavrov), a shared phonetic code (a quarter
of the way to one, so Hussein/Hassan stays apart), vowel variants of names of Arabic
origin (Yehya = Yihya); a patronymic is never its father's given name. Most pairs a query
meets share nothing, so a bound on the letters they share rejects them before any
comparison; the results are memoised per process.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final

from rapidfuzz.distance import OSA, JaroWinkler

from core.folds import (
    FOLD_PENALTY,
    SKELETON_MIN,
    folded_similarity,
    skeleton,
    spelling_folds,
)
from core.keys import phonetic_codes
from core.names import NameToken, TokenRole, are_nicknames, variant_key
from core.score_params import SCORE_PARAMS
from core.variants import known_group

# A listed variant pair (Mohammed/Muhammad) and an initial against a name of its letter.
VARIANT_SIMILARITY: Final = SCORE_PARAMS.variant_similarity
INITIAL_SIMILARITY: Final = SCORE_PARAMS.initial_similarity
# A given name and its short form (Ted/Theodore): one name, but a short form is shared by
# several names (Ted: Theodore, Edward), so it earns a little less than a variant.
NICKNAME_SIMILARITY: Final = SCORE_PARAMS.nickname_similarity
# Two spellings of a name of Arabic or Persian origin that differ only in their vowels
# (Yehya/Yihya/Yahiya, Moalla/Maala/Mu'la): short vowels are not written in the Arabic
# script, so each romanisation supplies its own. Same consonants in the same order (at
# least VOWEL_VARIANT_MIN_CONSONANTS of them) and the same first letter make one name,
# nearly as sure as a listed variant, *unless* the variant table knows the two spellings
# as different names (Hussein/Hassan, Said/Saad, Jamal/Jamil, Mahmoud/Mohamed). Both must
# have two syllables or more and end alike (in a vowel or a consonant): in a one-syllable
# token the vowel is the syllable (Chinese Huang/Hong, Korean Song/Sung are other names),
# and a vowel added at the end is another syllable (Song/Songo).
VOWEL_VARIANT_SIMILARITY: Final = SCORE_PARAMS.vowel_variant_similarity
VOWEL_VARIANT_MIN_CONSONANTS: Final = SCORE_PARAMS.vowel_variant_min_consonants
# Similarity below which two tokens are not paired at all.
MIN_PAIR_SIMILARITY: Final = SCORE_PARAMS.min_pair_similarity
# A fuzzy pair earns ((similarity - CREDIT_FLOOR) / (1 - CREDIT_FLOOR)) ** CREDIT_POWER.
CREDIT_FLOOR: Final = SCORE_PARAMS.credit_floor
CREDIT_POWER: Final = SCORE_PARAMS.credit_power
# What a listed variant pair earns, and an initial, nickname or acronym pair (a name
# stood for, not spelt).
VARIANT_CREDIT: Final = SCORE_PARAMS.variant_credit
RULE_CREDIT: Final = SCORE_PARAMS.rule_credit
# Share of the gap to 1 that a shared phonetic code closes: enough to prefer Yousef/Yusuf
# over an unrelated pair, too little to make Hussein and Hassan one name.
PHONETIC_LIFT: Final = SCORE_PARAMS.phonetic_lift
# Below this similarity the lift cannot reach MIN_PAIR_SIMILARITY (so it is not tried).
PHONETIC_FLOOR: Final = (MIN_PAIR_SIMILARITY - PHONETIC_LIFT) / (1.0 - PHONETIC_LIFT)
# Rounding slack of the bounds that skip work (score_bound, _alike_bound): a bound within
# this of what it must beat is not trusted.
BOUND_SLACK: Final = 1e-9


# Memory of the per-process caches of token comparisons, which make repeated names cheap.
# Measured on OFAC SDN (the dev set, compiled core): about 205 bytes a memoised token pair
# and 195 bytes a cached string comparison, so these caps hold them near 250 MB a worker
# process. A full memo starts over: the next names are slower for a while, the process
# never bigger. (The dev set's 3,085 names make 720k pairs.)
PAIR_MEMO_MAX = 1_000_000
STRING_SIMILARITY_CACHE = 250_000


@functools.lru_cache(maxsize=STRING_SIMILARITY_CACHE)
def string_similarity(a: str, b: str) -> float:
    """Letters alike, in [0, 1]: mean of Jaro-Winkler and normalised Levenshtein.

    Jaro-Winkler alone rewards a shared prefix too much (Yusuf/Yusufzai 0.93);
    Levenshtein alone punishes vowel changes in short names (Yousef/Yusuf 0.67).
    """
    if a == b:
        return 1.0
    lev = OSA.normalized_similarity(a, b)
    if min(len(a), len(b)) <= 4:
        return lev
    return (JaroWinkler.normalized_similarity(a, b) + lev) / 2


_Pair = tuple[float, str, float]  # similarity, how, credit


class _PairMemo:
    """token_similarity with its pair_credit, as token_edges uses them, memoised per query token.

    Two levels, query token then listed token, so the inner loop of token_edges looks up the
    listed token's text (a string, whose hash Python caches; a (text, role) pair for the
    few tokens that are not names) instead of building and hashing a 4-tuple per pair.
    Holds at most ``limit`` pairs (give or take one query token's row): when full, it
    starts over.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows: dict[tuple[str, TokenRole], dict[str | tuple[str, TokenRole], _Pair]] = {}
        self.size = 0

    def row(self, token: NameToken) -> dict[str | tuple[str, TokenRole], _Pair]:
        row = self.rows.get((token.text, token.role))
        if row is None:
            if self.size >= self.limit:
                self.rows.clear()
                self.size = 0
            row = self.rows[(token.text, token.role)] = {}
        return row


PAIRS = _PairMemo(PAIR_MEMO_MAX)


def token_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    if a.role is TokenRole.LEGAL_FORM or b.role is TokenRole.LEGAL_FORM:
        same_role = a.role is b.role
        return (1.0, "legal form") if same_role and a.text == b.text else (0.0, "")
    if a.text == b.text:
        return 1.0, "exact"
    if TokenRole.NUMBER in (a.role, b.role):
        return 0.0, ""  # "II" vs "III", "5" vs "6": different things
    if TokenRole.INITIAL in (a.role, b.role):
        return (INITIAL_SIMILARITY, "initial") if a.text[0] == b.text[0] else (0.0, "")
    spelling_a, spelling_b = _spelling(a.text), _spelling(b.text)
    if spelling_a.variant == spelling_b.variant:
        return VARIANT_SIMILARITY, "variant"
    if are_nicknames(a.text, b.text):
        return NICKNAME_SIMILARITY, "nickname"
    if _surely_apart(a.text, spelling_a, b.text, spelling_b):
        return 0.0, ""
    similarity = string_similarity(a.text, b.text)
    how = "fuzzy"
    # Transcription variants (Iwanow/Ivanov, Chaliche/Shalish): see core.folds.
    folded, folded_how = folded_similarity(a.text, b.text, string_similarity)
    if folded > similarity:
        similarity, how = folded, folded_how
    elif not folded_how and _undoubled(a.text) == _undoubled(b.text):
        # Short tokens have no folds; a doubled letter is still one letter (Jong-uun/un).
        similarity, how = 1.0 - FOLD_PENALTY, "spelling variant"
    baltic = _baltic_stem(a.text), _baltic_stem(b.text)
    if baltic != (a.text, b.text):
        # Latvian and Lithuanian add a nominative ending to foreign names (Sergejs
        # Lavrovs, Vladimiras Putinas): compared without it, as a transcription.
        stem, _ = folded_similarity(*baltic, string_similarity)
        stem = max(stem, string_similarity(*baltic) - FOLD_PENALTY)
        if stem > similarity:
            similarity, how = stem, "spelling variant"
    # A shared phonetic code lifts a pair, but never from below PHONETIC_FLOOR to a pair.
    if similarity >= PHONETIC_FLOOR:
        codes_a = phonetic_codes(a.text)
        if codes_a and not set(codes_a).isdisjoint(phonetic_codes(b.text)):
            raised = similarity + PHONETIC_LIFT * (1.0 - similarity)
            if raised > similarity:
                similarity, how = raised, "phonetic"
    if similarity < VOWEL_VARIANT_SIMILARITY and is_vowel_variant(a.text, b.text):
        similarity, how = VOWEL_VARIANT_SIMILARITY, "vowel variant"
    if similarity < MIN_PAIR_SIMILARITY:
        return 0.0, ""
    if _is_patronymic_of(a.text, b.text) or _is_patronymic_of(b.text, a.text):
        return 0.0, ""  # Oleksandr is the father of an Oleksandrovych, not the person
    return similarity, how


def _surely_apart(a: str, sa: _Spelling, b: str, sb: _Spelling) -> bool:
    """Whether no rule below can pair two tokens, known without comparing their letters.

    Most pairs a query meets share next to nothing (Kozhin/Petrov), yet comparing their
    letters and folds (rapidfuzz, a few µs a call from Python) was most of the time a
    name seen for the first time took. A bound on each letter similarity the rules would
    compute (:func:`_alike_bound`) that stays below PHONETIC_FLOOR, with none of the rules
    that do not go by letter similarity applying, proves the pair is no pair at all.
    """
    if sa.mask < 0 or sb.mask < 0:
        return False
    if _alike_bound(a, sa.mask, b, sb.mask) >= PHONETIC_FLOOR - BOUND_SLACK:
        return False
    if sa.folds and sb.folds:
        for x, mx in sa.folds:
            for y, my in sb.folds:
                if mx < 0 or my < 0:
                    return False
                if _alike_bound(x, mx, y, my) - FOLD_PENALTY >= PHONETIC_FLOOR - BOUND_SLACK:
                    return False
    elif sa.undoubled == sb.undoubled:
        return False  # the doubled-letter rule
    if sa.baltic or sb.baltic:
        return False  # the Baltic ending rule compares stems
    bones = sa.bones
    return not bones or (bones != sb.bones and len(bones) < SKELETON_MIN)  # vowel variants


class _Spelling:
    """What :func:`token_similarity` asks of a token before comparing its letters,
    worked out once per token."""

    def __init__(self, token: str) -> None:
        self.variant = variant_key(token)
        self.mask = _letter_mask(token)
        self.folds = tuple((fold, _letter_mask(fold)) for fold in spelling_folds(token))
        self.undoubled = _undoubled(token)
        self.baltic = _baltic_stem(token) != token
        self.bones = skeleton(token)


# Tokens whose _Spelling is kept: about 360 bytes each (measured on the dev set's pairs),
# so at most about 36 MB a worker; when full it starts over.
_SPELLINGS: dict[str, _Spelling] = {}
SPELLING_CACHE = 100_000


def _spelling(token: str) -> _Spelling:
    found = _SPELLINGS.get(token)
    if found is None:
        if len(_SPELLINGS) >= SPELLING_CACHE:
            _SPELLINGS.clear()
        found = _SPELLINGS[token] = _Spelling(token)
    return found


def learn_spellings(tokens: Iterable[str]) -> None:
    """Work out ahead what :func:`token_similarity` asks of each token (an index does it
    for its listed tokens when built, so that no query pays for it), up to the cache's
    size."""
    for token in tokens:
        if len(_SPELLINGS) >= SPELLING_CACHE:
            return
        _spelling(token)


def _letter_mask(text: str) -> int:
    """The multiset of a string's characters as bits: bit 8c+k is the (k+1)-th occurrence
    of character class c (its code point modulo 32: classes that mix characters only make
    more seem shared, which a bound allows). -1 for a class occurring over 8 times."""
    mask = 0
    for ch in text:
        shift = (ord(ch) & 31) * 8
        seen = ((mask >> shift) & 0xFF).bit_count()
        if seen >= 8:
            return -1
        mask |= 1 << (shift + seen)
    return mask


def _alike_bound(a: str, mask_a: int, b: str, mask_b: int) -> float:
    """At least :func:`string_similarity` of two strings, from the letters they share
    (their :func:`_letter_mask`).

    Edits (transpositions too) change the multiset of letters by at most one letter each,
    so the edit distance is at least the longer length less the letters shared; Jaro
    matches are shared letters, and its transposition term is at most 1; the
    Jaro-Winkler prefix bonus is taken as the common prefix gives it (over 0.7 only).
    """
    if a == b:
        return 1.0
    shared = (mask_a & mask_b).bit_count()
    la, lb = len(a), len(b)
    lev = shared / max(la, lb)
    if min(la, lb) <= 4:
        return lev
    jaro = (shared / la + shared / lb + 1.0) / 3.0 if shared else 0.0
    if jaro > 0.7:
        prefix = 0
        while prefix < min(la, lb, 4) and a[prefix] == b[prefix]:
            prefix += 1
        jaro += prefix * 0.1 * (1.0 - jaro)
    return (jaro + lev) / 2


# East Slavic patronymics: the father's given name with -ovich/-evich/-ovna... added.
_PATRONYMIC_ENDING = re.compile(r"(?:[oe]vi?t?ch|[oe]vych|[oe]vna|ivna|ichna|ich)$")


def _is_patronymic_of(given: str, patronymic: str) -> bool:
    """Whether ``patronymic`` is formed from ``given`` (Ivan → Ivanovich, Sergei →
    Sergeevich): it starts with the given name but for its last letter or two."""
    if len(patronymic) <= len(given) + 2:
        return False
    ending = _PATRONYMIC_ENDING.search(patronymic)
    if ending is None:
        return False
    stem = patronymic[: ending.start()]
    shared = next(
        (k for k, (a, b) in enumerate(zip(given, stem, strict=False)) if a != b),
        min(len(given), len(stem)),
    )
    return shared >= 3 and shared >= min(len(given), len(stem)) - 1


def is_vowel_variant(a: str, b: str) -> bool:
    """Whether two name tokens are one name romanised with other vowels (see
    VOWEL_VARIANT_SIMILARITY): same consonant skeleton, same first letter (or both a
    vowel), and not two different names of the variant table."""
    if a[0] != b[0] and not (a[0] in "aeiou" and b[0] in "aeiou"):
        return False
    bones = skeleton(a)
    consonants = len(bones) - bones.startswith("a")
    if consonants < VOWEL_VARIANT_MIN_CONSONANTS or bones != skeleton(b):
        return False
    if _vowel_shape(a) != _vowel_shape(b) or _vowel_shape(a)[0] < 2:
        return False
    group_a, group_b = known_group(a), known_group(b)
    return group_a is None or group_b is None or group_a == group_b


_DOUBLED_LETTER = re.compile(r"([a-z])\1+")


@functools.lru_cache(maxsize=200_000)  # per token, not per pair
def _undoubled(token: str) -> str:
    return _DOUBLED_LETTER.sub(r"\1", token)


_BALTIC_ENDING = re.compile(r"(?<=[a-z]{3}[^aeiou])(?:as|is|us|s)$")


@functools.lru_cache(maxsize=200_000)  # per token, not per pair
def _baltic_stem(token: str) -> str:
    """A name without a Baltic nominative ending after a consonant (lavrovs, putinas)."""
    return _BALTIC_ENDING.sub("", token)


_VOWEL_RUN = re.compile(r"[aeiouy]+")


@functools.lru_cache(maxsize=200_000)  # per token, not per pair
def _vowel_shape(token: str) -> tuple[int, bool]:
    """(syllables, ends in a vowel) of a token, up to two syllables; a final h after a
    vowel (Fatimah, Yahyah) is a breath, not a consonant. y counts as a vowel."""
    bare = re.sub(r"(?<=[aeiouy])h$", "", token)
    return min(2, len(_VOWEL_RUN.findall(bare))), bare[-1] in "aeiouy"


def pair_credit(similarity: float, how: str) -> float:
    """How much of a token's weight a pair of this similarity earns.

    Steep below 1: two names differing in a letter or two are often different people
    (Merkel/Merkur is a typo, Scholz/Schulze is another person), so a fuzzy pair earns
    a fraction of an exact one.
    """
    if how in ("exact", "legal form"):
        return 1.0
    if how == "variant":
        return VARIANT_CREDIT
    if how in ("initial", "nickname", "acronym"):
        return RULE_CREDIT
    credit: float = max(0.0, (similarity - CREDIT_FLOOR) / (1.0 - CREDIT_FLOOR)) ** CREDIT_POWER
    return credit
