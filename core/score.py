"""How much a query looks like a listed name, in [0, 1], with the reasons why.

The score aligns the tokens of the query with the tokens of a listed name — best
one-to-one assignment, any order ("KIM Jong Un" = "Jong Un Kim"), glued or split runs
("Abdulrahman" = "Abd al Rahman") — and compares the letters of each aligned pair
(Jaro-Winkler and a normalised edit distance that counts a transposition as one typo,
from rapidfuzz). Each token counts by how rare it is on the lists (:class:`Rarity`):
sharing "Zawahiri" is strong evidence, sharing "Mohammed" weak, sharing "Trading" or
"LLC" almost none. Tokens left unaligned count
against the match, query tokens more than listed ones (a list carries full names with
every middle name; a query that adds a name the listing lacks is a different name).
Every romanisation of both sides is tried and the best pair kept; two names in the same
syllabic script (Han, Hangul, kana) must also agree character by character.

Evidence of a *different* person then costs on top: names left unpaired on both sides
(one name swapped among five is another member of the family), a son's name paired with a
father's across bin/ibn or with a patronymic (Oleksandr is not Oleksandrovych), initials
that disagree with each other or with the other side's middle name, legal forms that
disagree. Initials alone never alert. A series number (Fund X / XI, Snow Storm 1 / 2)
counts for less than a name: a sibling fund or ship of a listed one alerts, below the
same one. Token relations besides spelling: nicknames (Ted = Theodore), acronyms (PLA =
People's Liberation Army, JC = Jean-Claude, A.B.C. = ABC), Wade-Giles read as pinyin,
vowel variants of names of Arabic origin (Yehya = Yihya: same consonants, vowels
unwritten), Baltic nominative endings (Lavrovs = Lavrov), doubled letters in short tokens
(uun = un); number words, digits between letters and legal forms glued in capitals are
folded by :mod:`core.names`.

Date of birth, country and kind then move the score a little (:func:`secondary_evidence`).
Phonetic codes are not used here to decide: they raise a pair's similarity a quarter of
the way to one, so Hussein/Hassan (same code, different letters) stays below an alert.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any, NamedTuple

from rapidfuzz.distance import OSA, JaroWinkler

from core.calibration import Calibrated, default_calibration
from core.countries import country_code
from core.folds import (
    FOLD_PENALTY,
    SKELETON_MIN,
    folded_similarity,
    skeleton,
    spelling_folds,
)
from core.identifiers import shared_identifier
from core.keys import phonetic_codes
from core.model import DateKind, DateValue, Entity, Kind, NameRole
from core.names import (
    NameToken,
    TokenRole,
    are_nicknames,
    is_filiation,
    is_particle,
    name_tokens,
    split_cjk_legal_form,
    split_glued_legal_form,
    variant_key,
    wade_giles_to_pinyin,
)
from core.normalise import normalise
from core.scripts import char_script, detect_script
from core.translit import Romanisation, romanisations
from core.variants import known_group

HAND_SET_THRESHOLD = 0.62
"""The alert threshold of the hand-set score (the alignment, not calibrated).

How it was chosen: on the screening development set (eval/screening_dev.csv against OFAC
SDN 2023-12-28) it is the lowest threshold that keeps false alerts on the invented
negative names under 2 % (1.3 % there, with 88 % of true variant and cross-script queries
alerting). It was kept when the conflict, filiation, native-script, legal-form, nickname,
acronym and number mechanisms were added, and it is still the best threshold on the
nomenklatura pair benchmark (F1 0.902 at 0.62, measured 2026-11-29). On the development
set 0.927 of the listed names' variants and cross-script forms alert at it, with 1.3 % of
the negatives. Lower it to catch more at the price of more alerts to review.
"""

CALIBRATION = default_calibration()
"""The fitted calibration of the alignment score (:mod:`core.calibration`), or None while
the one in ``core/data/score_calibration.json`` is not adopted (it is adopted only when it
does better than the hand-set score on the checks: see that file's ``adoption``)."""

ALERT_THRESHOLD = HAND_SET_THRESHOLD if CALIBRATION is None else CALIBRATION.threshold
"""Default score at or above which a result is an alert: the hand-set threshold, or with
an adopted calibration the fitted one (the lowest at which at most 1 % of the hard
negatives of the corpus's fit part alert, overall and in every script family)."""

# A given name and its short form (Ted/Theodore): one name, but a short form is shared by
# several names (Ted: Theodore, Edward), so it earns a little less than a variant.
NICKNAME_SIMILARITY = 0.85
# Two spellings of a name of Arabic or Persian origin that differ only in their vowels
# (Yehya/Yihya/Yahiya, Moalla/Maala/Mu'la): short vowels are not written in the Arabic
# script, so each romanisation supplies its own. Same consonants in the same order (at
# least VOWEL_VARIANT_MIN_CONSONANTS of them) and the same first letter make one name,
# nearly as sure as a listed variant, *unless* the variant table knows the two spellings
# as different names (Hussein/Hassan, Said/Saad, Jamal/Jamil, Mahmoud/Mohamed). Both must
# have two syllables or more and end alike (in a vowel or a consonant): in a one-syllable
# token the vowel is the syllable (Chinese Huang/Hong, Korean Song/Sung are other names),
# and a vowel added at the end is another syllable (Song/Songo).
VOWEL_VARIANT_SIMILARITY = 0.9
VOWEL_VARIANT_MIN_CONSONANTS = 2
# Similarity below which two tokens are not paired at all.
MIN_PAIR_SIMILARITY = 0.6
# A fuzzy pair earns ((similarity - CREDIT_FLOOR) / (1 - CREDIT_FLOOR)) ** CREDIT_POWER.
CREDIT_FLOOR = 0.55
CREDIT_POWER = 1.0
# Share of the gap to 1 that a shared phonetic code closes: enough to prefer Yousef/Yusuf
# over an unrelated pair, too little to make Hussein and Hassan one name.
PHONETIC_LIFT = 0.25
# Below this similarity the lift cannot reach MIN_PAIR_SIMILARITY (so it is not tried).
PHONETIC_FLOOR = (MIN_PAIR_SIMILARITY - PHONETIC_LIFT) / (1.0 - PHONETIC_LIFT)
# What each kind of token is worth before rarity; legal forms and generic words are shared
# by unrelated organisations, initials stand for many names.
ROLE_WEIGHT: Mapping[TokenRole, float] = {
    TokenRole.NAME: 1.0,
    TokenRole.INITIAL: 0.3,
    TokenRole.NUMBER: 0.5,
    TokenRole.ORG_WORD: 0.3,
    TokenRole.LEGAL_FORM: 0.08,
}
# Cost of unaligned tokens, per unit of their weight. A token only one side has is a name
# the other side left out (a middle name, a grandfather's name): cheap, cheaper still when
# the listing has it (lists carry full names). Tokens left over on *both* sides are names
# that disagree (Ahmed vs Mohamed in the same chain): expensive.
SURPLUS_QUERY_COST = 0.5
SURPLUS_LISTED_COST = 0.3
CONFLICT_COST = 1.6
# Names left unpaired on *both* sides after alignment are evidence of a different person
# ("... Hasan al-Dulaimi" vs "... Hasan al-Tikriti", "Nessim ben Ali" vs "Nessim ben
# Romdhane"): however many other tokens agree, the score loses CONFLICT_PENALTY per unit
# of conflicting weight (up to one unit). A conflicting name weighs at least
# CONFLICT_MIN_WEIGHT whatever its rarity, as a father's "Ali" or "Mohamed" tells two
# people apart as surely as a rare name does; particles (al, bin, de) never conflict.
CONFLICT_PENALTY = 0.32
CONFLICT_MIN_WEIGHT = 0.8
# Initials conflict with initials: "William G. Frost" and "William W. Frost" have
# different middle names; so does a middle initial with an unpaired name ("Hans O
# Friedrich" / "Hans Joachim Friedrich"). A last initial against a name says too little:
# it may be a name cut short.
# Legal forms on both sides that do not agree ("Deutsche Bank AG" / "Deutsche Bank GmbH":
# a joint-stock company and a limited one) are two registrations, two entities. Equivalent
# spellings fold to one canonical form first (OOO = LLC = GmbH, Ltd = Limited), so only
# a real difference costs this.
LEGAL_FORM_CLASH_PENALTY = 0.2
# "Company" (co) names no registration form: "X Corporation" and "The X Company" agree.
LOOSE_LEGAL_FORMS = frozenset({"co"})
# A pair of names this far apart that do not even begin alike (Ahmed/Mohamed) is paired
# only for want of a better partner: for the conflict it counts as two unpaired names.
# (Transliterations keep the first letter: Nadheera/Nazira is one name.)
WEAK_PAIR_SIMILARITY = 0.66
# Factor for names that pair a son's name with a father's: "Salman bin Muhammad" is the
# father of "Muhammad bin Salman" (the name before bin/ibn/ben is the person's own, the
# one after it the father's).
FILIATION_SWAP_FACTOR = 0.7
# Factor for names whose aligned tokens are in a different order that is not a rotation:
# "Kim Jong Un" = "Jong Un Kim", but "Salman bin Muhammad" ≠ "Muhammad bin Salman".
SHUFFLED_ORDER_FACTOR = 0.85
# Highest score a query can reach by sharing one token with a longer listed name: below
# ALERT_THRESHOLD, so a lone "Mohammed" never alerts whatever the rarities say.
SINGLE_TOKEN_CAP = 0.55
# ... unless that token is a *distinctive* part of the listed name (a person's family name,
# a word of an organisation's name) that is rare on the lists (rarity weight at least
# RARE_LONE_WEIGHT: on four names or fewer) and the query is that one name, closely spelt:
# "KHORRAMABADI" alone is a real hit on "KHORAMABADI, Abdolsamad"; "IGNACE" alone (a given
# name) and "Mohammed" (common) stay capped. Such a match scores at most RARE_LONE_CAP.
RARE_LONE_WEIGHT = 0.95
RARE_LONE_SIMILARITY = 0.9
RARE_LONE_CAP = 0.8
RARE_LONE_MIN_LENGTH = 4
# Rounding slack of the bounds that skip work (score_bound, _alike_bound): a bound within
# this of what it must beat is not trusted.
BOUND_SLACK = 1e-9
# Matched evidence (sum of matched token weights) below which a score is scaled down: a
# lone common given name ("Mohammed") is not enough to alert on anyone.
MIN_EVIDENCE = 0.6


# --- rarity ------------------------------------------------------------------------------


@dataclass(slots=True)
class Rarity:
    """Token document frequencies on the lists, for inverse-document-frequency weights.

    Keys are variant keys, so mohammed/muhammad/mohamed share one frequency.
    """

    documents: int
    frequencies: dict[str, int] = field(default_factory=dict)
    _weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def weight(self, token: str) -> float:
        """From about 0.15 (on every other name) to 1.0 (unseen or unique)."""
        found = self._weights.get(token)
        if found is not None:
            return found
        df = self.frequencies.get(variant_key(token), 0)
        if df <= 1 or self.documents <= 1:
            weight = 1.0
        else:
            idf = math.log(self.documents / df) / math.log(self.documents)
            weight = max(0.15, min(1.0, 0.1 + idf))
        self._weights[token] = weight
        return weight

    @classmethod
    def from_token_lists(cls, names: Iterable[Sequence[NameToken]]) -> Rarity:
        counts: dict[str, int] = {}
        documents = 0
        for tokens in names:
            documents += 1
            for key in {variant_key(t.text) for t in tokens if t.role is not TokenRole.INITIAL}:
                counts[key] = counts.get(key, 0) + 1
        return cls(documents, counts)


@functools.cache
def default_rarity() -> Rarity:
    """Frequencies of common name tokens, for comparing names with no index at hand.

    ``core/data/token_frequencies.tsv`` holds how many names of the OFAC SDN list
    (a public-domain US government work) contain each of its most common tokens.
    """
    text = resources.files("core.data").joinpath("token_frequencies.tsv").read_text("utf-8")
    documents = 0
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        token, _, count = line.partition("\t")
        if token == "*documents*":
            documents = int(count)
        else:
            counts[token] = int(count)
    return Rarity(documents, counts)


def token_weight(token: NameToken, rarity: Rarity) -> float:
    if token.role in (TokenRole.NAME, TokenRole.ORG_WORD):
        return ROLE_WEIGHT[token.role] * rarity.weight(token.text)
    return ROLE_WEIGHT[token.role]


# --- prepared names ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameForm:
    """One romanisation of a name, tokenised."""

    romanisation: Romanisation
    tokens: tuple[NameToken, ...]
    # Runs of 2-3 adjacent name tokens glued into one word, with the positions they cover.
    glued: tuple[tuple[tuple[int, ...], str], ...] = ()
    # An organisation's name (by kind, or by a legal form when the kind is unknown).
    organisation: bool = False


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name as written, with its romanised token forms (most likely first)."""

    text: str
    forms: tuple[NameForm, ...]
    role: NameRole | None = None
    # The name in its own syllabic script, one token per syllable (see _native_form).
    native: NameForm | None = None
    # Normalised tokens that may alone identify the name (see RARE_LONE_WEIGHT).
    distinctive: frozenset[str] = frozenset()


def prepare_name(
    text: str,
    kind: Kind | None = None,
    role: NameRole | None = None,
    limit: int = 4,
    distinctive: frozenset[str] = frozenset(),
) -> PreparedName:
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    text, legal_suffix = split_cjk_legal_form(text)
    if kind is not Kind.PERSON:
        text = split_glued_legal_form(text)
    readings = romanisations(text, limit=limit)
    if kind in (None, Kind.PERSON) and readings and readings[0].method == "as written":
        pinyin = wade_giles_to_pinyin(readings[0].text.split())
        if pinyin is not None:
            readings.append(Romanisation(" ".join(pinyin), "Latn", "Wade-Giles as pinyin"))
    for rom in readings:
        tokens = tuple(name_tokens(rom.text, kind)) + legal_suffix
        organisation = kind in (Kind.ORGANIZATION, Kind.VESSEL, Kind.AIRCRAFT) or (
            kind is None and any(t.role is TokenRole.LEGAL_FORM for t in tokens)
        )
        joined = _join_letters(tokens)
        # In a person's name single letters are initials ("Hans J Friedrich"); in an
        # organisation's, a run of them is one acronym ("A.B.C." is ABC, not C.B.A.).
        variants = (joined,) if organisation and joined != tokens else (tokens, joined)
        for variant in variants:
            # Forms that differ only in spelling variants score alike: keep the likeliest.
            key = tuple(variant_key(t.text) for t in variant)
            if variant and key not in seen:
                seen.add(key)
                forms.append(NameForm(rom, variant, _glued_runs(variant), organisation))
    native = _native_form(text, kind, legal_suffix)
    return PreparedName(text, tuple(forms), role, native, distinctive)


# Scripts whose characters are syllables of a name: Han, Hangul, Japanese (Han + kana).
SYLLABIC_SCRIPTS = frozenset({"Hani", "Hang", "Jpan"})


def _native_form(
    text: str, kind: Kind | None, legal_suffix: tuple[NameToken, ...]
) -> NameForm | None:
    """A CJK or Hangul name as one token per character, for comparing two such names.

    Romanisation collapses distinctions these scripts keep: 김종은 and 김정은 are both
    "Kim Jong Un" in some romanisation, 高市 and 高石 both "Takaichi"-like readings. In a
    name of two to four syllables, one different syllable is a different person, so two
    names in the same syllabic script are also compared character by character.
    """
    script = detect_script(text)
    if script not in SYLLABIC_SCRIPTS:
        return None
    tokens: list[NameToken] = []
    for word in normalise(text).split():
        if all(char_script(ch) in ("Hani", "Hang", "Hira", "Kana") for ch in word):
            tokens.extend(NameToken(ch, TokenRole.NAME, ch) for ch in word)
        else:
            tokens.extend(name_tokens(word, kind))
    tokens.extend(legal_suffix)
    if not tokens:
        return None
    form = Romanisation(" ".join(t.text for t in tokens), script, "native script")
    return NameForm(form, tuple(tokens), ())


def _join_letters(tokens: tuple[NameToken, ...]) -> tuple[NameToken, ...]:
    """Runs of single letters joined into one token: "A.B.C. Company" → "abc company",
    and "H and M" → "hm" as "H&M" is (the tokeniser drops "&")."""
    out: list[NameToken] = []
    run: list[NameToken] = []
    for k, token in enumerate((*tokens, None)):
        if token is not None and len(token.text) == 1 and token.role is not TokenRole.NUMBER:
            run.append(token)
            continue
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if (
            run
            and token is not None
            and token.text == "and"
            and following is not None
            and len(following.text) == 1
            and following.role is not TokenRole.NUMBER
        ):
            continue  # "H and M": the run goes on over the "and"
        if len(run) >= 2:
            text = "".join(t.text for t in run)
            out.append(NameToken(text, TokenRole.NAME, " ".join(t.surface for t in run)))
        else:
            out.extend(run)
        run = []
        if token is not None:
            out.append(token)
    return tuple(out)


# --- token similarity --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenMatch:
    query: str  # the query token(s), space-separated when several were glued
    listed: str
    # exact | variant | fuzzy | phonetic | initial | glued | legal form | nickname | acronym
    # | spelling variant | vowel variant
    how: str
    similarity: float


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
    """_token_similarity with its _credit, as _edges uses them, memoised per query token.

    Two levels, query token then listed token, so the inner loop of _edges looks up the
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


_PAIRS = _PairMemo(PAIR_MEMO_MAX)


def _token_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    if a.role is TokenRole.LEGAL_FORM or b.role is TokenRole.LEGAL_FORM:
        same_role = a.role is b.role
        return (1.0, "legal form") if same_role and a.text == b.text else (0.0, "")
    if a.text == b.text:
        return 1.0, "exact"
    if TokenRole.NUMBER in (a.role, b.role):
        return 0.0, ""  # "II" vs "III", "5" vs "6": different things
    if TokenRole.INITIAL in (a.role, b.role):
        return (0.9, "initial") if a.text[0] == b.text[0] else (0.0, "")
    spelling_a, spelling_b = _spelling(a.text), _spelling(b.text)
    if spelling_a.variant == spelling_b.variant:
        return 0.95, "variant"
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
    """What :func:`_token_similarity` asks of a token before comparing its letters,
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
    """Work out ahead what :func:`_token_similarity` asks of each token (an index does it
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


def _credit(similarity: float, how: str) -> float:
    """How much of a token's weight a pair of this similarity earns.

    Steep below 1: two names differing in a letter or two are often different people
    (Merkel/Merkur is a typo, Scholz/Schulze is another person), so a fuzzy pair earns
    a fraction of an exact one.
    """
    if how in ("exact", "legal form"):
        return 1.0
    if how == "variant":
        return 0.95
    if how in ("initial", "nickname", "acronym"):
        return 0.8
    credit: float = max(0.0, (similarity - CREDIT_FLOOR) / (1.0 - CREDIT_FLOOR)) ** CREDIT_POWER
    return credit


# --- alignment ---------------------------------------------------------------------------


class _Edge(NamedTuple):
    query: tuple[int, ...]
    listed: tuple[int, ...]
    similarity: float
    how: str
    credit: float
    weight: float


def _glued_runs(tokens: Sequence[NameToken]) -> tuple[tuple[tuple[int, ...], str], ...]:
    runs: list[tuple[tuple[int, ...], str]] = []
    for start in range(len(tokens)):
        for length in (2, 3):
            span = tokens[start : start + length]
            if len(span) < length or any(t.role is not TokenRole.NAME for t in span):
                break
            runs.append((tuple(range(start, start + length)), "".join(t.text for t in span)))
    return tuple(runs)


def _may_be_glued(word: str, glued: str) -> bool:
    """Cheap test before comparing a word with a glued run: same first letter, similar length."""
    return word[0] == glued[0] and abs(len(word) - len(glued)) <= max(2, len(glued) // 4)


def _edges(
    query_form: NameForm,
    listed_form: NameForm,
    wq: Sequence[float],
    wl: Sequence[float],
) -> list[_Edge]:
    query, listed = query_form.tokens, listed_form.tokens
    edges: list[_Edge] = []
    best_q = [0.0] * len(query)
    best_l = [0.0] * len(listed)
    name_role = TokenRole.NAME
    for i, q in enumerate(query):
        row = _PAIRS.row(q)
        for j, t in enumerate(listed):
            key = t.text if t.role is name_role else (t.text, t.role)
            found = row.get(key)
            if found is None:
                similarity, how = _token_similarity(q, t)
                found = row[key] = (similarity, how, _credit(similarity, how) if how else 0.0)
                _PAIRS.size += 1
            similarity, how, credit = found
            if how:
                edges.append(_Edge((i,), (j,), similarity, how, credit, (wq[i] + wl[j]) / 2))
                if similarity > best_q[i]:
                    best_q[i] = similarity
                if similarity > best_l[j]:
                    best_l[j] = similarity
    if edges and any(e.similarity >= 1.0 for e in edges):
        # A token paired exactly is taken: its near misses elsewhere ("state" ~ "states"
        # when "state" = "state") do not make the other token look paired.
        best_q, best_l = _best_without_taken(edges, len(query), len(listed))
    # Glued runs on one side against a single token on the other, for tokens that found
    # no close partner on their own.
    loose_q = [
        i
        for i, q in enumerate(query)
        if best_q[i] < 0.9 and q.role is TokenRole.NAME and len(q.text) >= 5
    ]
    loose_l = [
        j
        for j, t in enumerate(listed)
        if best_l[j] < 0.9 and t.role is TokenRole.NAME and len(t.text) >= 5
    ]
    for positions, glued in listed_form.glued if loose_q else ():
        for i in loose_q:
            q = query[i]
            if q.text[0] != glued[0] or not _may_be_glued(q.text, glued):
                continue
            similarity = string_similarity(q.text, glued)
            if similarity >= 0.85 and similarity > max(best_l[j] for j in positions):
                weight = (wq[i] + sum(wl[j] for j in positions)) / 2
                credit = _credit(similarity, "glued")
                edges.append(_Edge((i,), positions, similarity, "glued", credit, weight))
    for positions, glued in query_form.glued if loose_l else ():
        for j in loose_l:
            t = listed[j]
            if t.text[0] != glued[0] or not _may_be_glued(t.text, glued):
                continue
            similarity = string_similarity(glued, t.text)
            if similarity >= 0.85 and similarity > max(best_q[i] for i in positions):
                weight = (sum(wq[i] for i in positions) + wl[j]) / 2
                credit = _credit(similarity, "glued")
                edges.append(_Edge(positions, (j,), similarity, "glued", credit, weight))
    # An acronym is one unpaired token against a run of two or more unpaired words.
    open_q = sum(1 for b in best_q if b < 0.9)
    open_l = sum(1 for b in best_l if b < 0.9)
    organisation = query_form.organisation or listed_form.organisation
    if open_q and open_l >= 2:
        edges.extend(_acronym_edges(query, listed, wq, wl, best_q, best_l, organisation, True))
    if open_l and open_q >= 2:
        edges.extend(_acronym_edges(listed, query, wl, wq, best_l, best_q, organisation, False))
    return edges


def _best_without_taken(
    edges: Sequence[_Edge], queries: int, listed: int
) -> tuple[list[float], list[float]]:
    """Each token's best similarity, not counting near misses with a token that has an
    exact partner (the alignment takes exact pairs first, so those misses never pair)."""
    exact_q = {e.query[0] for e in edges if e.similarity >= 1.0}
    exact_l = {e.listed[0] for e in edges if e.similarity >= 1.0}
    best_q = [0.0] * queries
    best_l = [0.0] * listed
    for e in edges:
        i, j = e.query[0], e.listed[0]
        exact = e.similarity >= 1.0
        if (exact or j not in exact_l) and e.similarity > best_q[i]:
            best_q[i] = e.similarity
        if (exact or i not in exact_q) and e.similarity > best_l[j]:
            best_l[j] = e.similarity
    return best_q, best_l


# Words an acronym leaves out ("PLA" = "People's Liberation Army", "BoE" = "Bank of England").
ACRONYM_SKIPPED = frozenset({"of", "the", "and", "for", "&"})
ACRONYM_SIMILARITY = 0.9


def _acronym_edges(
    short: Sequence[NameToken],
    long: Sequence[NameToken],
    ws: Sequence[float],
    wl: Sequence[float],
    best: Sequence[float],
    best_long: Sequence[float],
    organisation: bool,
    forward: bool,
) -> list[_Edge]:
    """Edges from a token that spells the initials of a run of the other side's tokens.

    "PLA" = "People's Liberation Army" (organisations: 3 to 6 letters, or 2 written as
    initials: "U.S."), "JC" = "Jean Claude" (a person's initials as one word: 2 or 3).
    Only a rare token (a common name like "Li" or "Ali" is a name, not initials) that
    found no close partner is read as an acronym, and only against words that found none
    either: a name followed by its acronym ("Reconnaissance General Bureau (RGB)") pairs
    word by word.
    """
    shortest, longest = (3, 6) if organisation else (2, 3)
    edges: list[_Edge] = []
    for i, token in enumerate(short):
        text = token.text
        if (
            token.role is not TokenRole.NAME
            or not (2 if token.surface != text else shortest) <= len(text) <= longest
            or not text.isalpha()
            or best[i] >= 0.9
            or ws[i] < 0.9
        ):
            continue
        for start in range(len(long)):
            if long[start].text in ACRONYM_SKIPPED:
                continue
            run: list[int] = []
            letters = 0
            for j in range(start, len(long)):
                word = long[j]
                if word.role is TokenRole.LEGAL_FORM or best_long[j] >= 0.9 or len(word.text) < 2:
                    break  # an acronym spells words: not a legal form, a paired word, a letter
                run.append(j)
                if word.text in ACRONYM_SKIPPED:
                    continue
                if word.text[0] != text[letters]:
                    break
                letters += 1
                if letters == len(text):
                    break
            if letters != len(text) or len(run) < 2:
                continue
            weight = (ws[i] + sum(wl[j] for j in run)) / 2
            credit = _credit(ACRONYM_SIMILARITY, "acronym")
            positions = (i,), tuple(run)
            query, listed = positions if forward else positions[::-1]
            edges.append(_Edge(query, listed, ACRONYM_SIMILARITY, "acronym", credit, weight))
    return edges


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The best comparison of a query with one listed name."""

    score: float
    listed_name: str
    listed_role: str | None
    listed_form: Romanisation
    query_form: Romanisation
    tokens: tuple[TokenMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]


class Alignment(NamedTuple):
    """A scored alignment of one query form with one listed form (details built lazily)."""

    score: float
    query_form: NameForm
    listed_form: NameForm
    edges: list[_Edge]
    free_query: list[int]
    free_listed: list[int]


def score_bound(edges: Sequence[_Edge], wq: Sequence[float], wl: Sequence[float]) -> float:
    """A score no alignment of these edges can beat, computed in one pass over them.

    Screening wants the names that may reach the alert threshold, and of an entity's names
    only the best: most of the few hundred alignments a query makes can do neither, and
    this bound, cheaper than the alignment with its penalties and checks, finds them.
    Every step of :func:`_align` after the ratio ``earned / denominator`` only lowers the
    score, so bounding that ratio is enough: each token earns at most its best credit on
    any edge (times half its weight, as an edge weighs the mean of its two sides), and the
    denominator is at least what the tokens cost however they pair (see below).
    """
    credit_q = [-1.0] * len(wq)  # -1: no edge reaches the token, it stays unpaired
    credit_l = [-1.0] * len(wl)
    for edge in edges:
        credit = edge.credit
        for i in edge.query:
            if credit > credit_q[i]:
                credit_q[i] = credit
        for j in edge.listed:
            if credit > credit_l[j]:
                credit_l[j] = credit
    earned_q, total_q, alone_q = _side_sums(credit_q, wq)
    earned_l, total_l, alone_l = _side_sums(credit_l, wl)
    earned = earned_q + earned_l
    # In _denominator, possible is at least the weight of the pairs, (total_q - left_q +
    # total_l - left_l) / 2. What is left unpaired is unknown, but at least what no edge
    # reaches; the denominator is then concave in (left_q, left_l), so its least value is
    # at a corner of their ranges.
    total = total_q + total_l
    denominator = min(
        _denominator((total - alone_q - alone_l) / 2, alone_q, alone_l),
        _denominator((total - alone_q - total_l) / 2, alone_q, total_l),
        _denominator((total - total_q - alone_l) / 2, total_q, alone_l),
        _denominator(0.0, total_q, total_l),
    )
    return earned / denominator if denominator > 0.0 else math.inf


def _side_sums(credits: Sequence[float], weights: Sequence[float]) -> tuple[float, float, float]:
    """Of one side's tokens: what they can earn at most (half their weight times their best
    credit), their total weight, and the weight of those no edge reaches."""
    earned = total = alone = 0.0
    for k in range(len(weights)):
        total += weights[k]
        if credits[k] < 0.0:
            alone += weights[k]
        else:
            earned += credits[k] * weights[k] / 2
    return earned, total, alone


def _denominator(possible: float, left_q: float, left_l: float) -> float:
    """What an alignment's earned weight is divided by: the weight of its pairs with their
    disagreement (``possible``), and the weight left unpaired on each side, at the cost of
    a name one side left out, or of names that conflict when both sides left some."""
    conflict = min(left_q, left_l)
    return (
        possible
        + SURPLUS_QUERY_COST * (left_q - conflict)
        + SURPLUS_LISTED_COST * (left_l - conflict)
        + CONFLICT_COST * conflict
    )


def _align(
    query: NameForm,
    listed: NameForm,
    rarity: Rarity,
    distinctive: frozenset[str] = frozenset(),
    weights: tuple[Sequence[float], Sequence[float]] | None = None,
    floor: float = 0.0,
) -> Alignment | None:
    """The best alignment of two forms, or None when it cannot score ``floor`` or more."""
    qt, lt = query.tokens, listed.tokens
    if weights is None:
        weights = _weights(query, rarity), _weights(listed, rarity)
    wq, wl = weights
    edges = _edges(query, listed, wq, wl)
    if floor > 0.0 and score_bound(edges, wq, wl) < floor - BOUND_SLACK:
        return None
    edges.sort(key=lambda e: (e.similarity >= 1.0, e.credit * e.weight, e.similarity), reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    chosen: list[_Edge] = []
    earned = possible = 0.0
    for edge in edges:
        if used_q.isdisjoint(edge.query) and used_l.isdisjoint(edge.listed):
            chosen.append(edge)
            used_q.update(edge.query)
            used_l.update(edge.listed)
            earned += edge.credit * edge.weight
            # The part of a pair its similarity does not earn counts as disagreement.
            possible += edge.weight * (1.0 + (CONFLICT_COST - 1.0) * (1.0 - edge.credit))
    free_q = [i for i in range(len(qt)) if i not in used_q]
    free_l = [j for j in range(len(lt)) if j not in used_l]
    left_q = sum(wq[i] for i in free_q)
    left_l = sum(wl[j] for j in free_l)
    denominator = _denominator(possible, left_q, left_l)
    score = earned / denominator if denominator > 0 else 0.0
    weak = [
        e
        for e in chosen
        if e.how == "fuzzy"
        and e.similarity < WEAK_PAIR_SIMILARITY
        and qt[e.query[0]].text[0] != lt[e.listed[0]].text[0]
    ]
    clash_q = free_q + [i for e in weak for i in e.query]
    clash_l = free_l + [j for e in weak for j in e.listed]
    clash = min(_conflict_weight(qt, clash_q, wq), _conflict_weight(lt, clash_l, wl))
    clash += CONFLICT_MIN_WEIGHT * min(_initials(qt, free_q), _initials(lt, free_l))
    # Organisations' names are translated word by word ("Public"/"People's Security",
    # "Plant"/"Combine") far more than people's names change: no conflict penalty there.
    organisation = query.organisation or listed.organisation
    if clash > 0 and not organisation:
        score = max(0.0, score - CONFLICT_PENALTY * min(1.0, clash))
    legal_clash = _has_legal_form(qt, free_q) and _has_legal_form(lt, free_l)
    if legal_clash and not any(e.how == "legal form" for e in chosen):
        score = max(0.0, score - LEGAL_FORM_CLASH_PENALTY)
    if _swaps_generations(chosen, qt, lt):
        score *= FILIATION_SWAP_FACTOR
    if len(chosen) > 2 and not _is_rotation([e.listed[0] for e in sorted(chosen)]):
        score *= SHUFFLED_ORDER_FACTOR
    # Name evidence: pairs of names. A person's initials, even run together ("JC", "N.N."),
    # stand for names without showing them; an organisation's acronym ("PLA") is a name.
    not_names = ("legal form", "initial") if organisation else ("legal form", "initial", "acronym")
    named = [e for e in chosen if e.how not in not_names and qt[e.query[0]].role is TokenRole.NAME]
    lone = len(named) <= 1 and free_l and any(lt[j].role is TokenRole.NAME for j in free_l)
    if lone or (not named and any(t.role is TokenRole.NAME for t in lt)):
        # One shared name ("Mohammed") out of a longer listed name is not enough to alert,
        # nor are initials alone ("N.N." for "Nursultan Nazarbayev").
        cap = SINGLE_TOKEN_CAP
        if _is_rare_lone_name(named, free_q, qt, lt, wl, distinctive):
            cap = RARE_LONE_CAP
        score = min(score, cap)
    if earned < MIN_EVIDENCE:
        score *= 0.7 + 0.3 * earned / MIN_EVIDENCE
    return Alignment(score, query, listed, chosen, free_q, free_l)


def _is_rare_lone_name(
    named: Sequence[_Edge],
    free_q: Sequence[int],
    qt: Sequence[NameToken],
    lt: Sequence[NameToken],
    wl: Sequence[float],
    distinctive: frozenset[str],
) -> bool:
    """Whether a one-token match may alert: see RARE_LONE_WEIGHT."""
    if len(named) != 1 or not distinctive:
        return False
    edge = named[0]
    if len(edge.listed) != 1 or edge.similarity < RARE_LONE_SIMILARITY:
        return False
    if any(qt[i].role is TokenRole.NAME for i in free_q):
        return False  # the query says more than the one name
    j = edge.listed[0]
    long_enough = len(lt[j].text) >= RARE_LONE_MIN_LENGTH  # "fo", "ao": not a name alone
    return long_enough and lt[j].text in distinctive and wl[j] >= RARE_LONE_WEIGHT


def _has_legal_form(tokens: Sequence[NameToken], positions: Sequence[int]) -> bool:
    return any(
        tokens[i].role is TokenRole.LEGAL_FORM and tokens[i].text not in LOOSE_LEGAL_FORMS
        for i in positions
    )


def _conflict_weight(
    tokens: Sequence[NameToken], free: Sequence[int], weights: Sequence[float]
) -> float:
    """How much the unpaired names of one side weigh as evidence of a different person."""
    named = sum(
        max(CONFLICT_MIN_WEIGHT, weights[i])
        for i in free
        if tokens[i].role is TokenRole.NAME and not is_particle(tokens[i].text)
    )
    # An unpaired middle initial found no name of its letter on the other side: "Hans O
    # Friedrich" is not "Hans Joachim Friedrich". (A last one may be a name cut short.)
    middle = [i for i in free if i < len(tokens) - 1]
    return named + CONFLICT_MIN_WEIGHT * _initials(tokens, middle)


def _initials(tokens: Sequence[NameToken], free: Sequence[int]) -> int:
    return sum(1 for i in free if tokens[i].role is TokenRole.INITIAL)


def _descent(tokens: Sequence[NameToken]) -> set[tuple[int, int]]:
    """(descendant, ancestor) positions linked by filiation particles, transitively.

    "Noureddine ben Mohamed ben Belkassem": Noureddine descends from Mohamed and
    Belkassem, Mohamed from Belkassem. Only the names next to a particle (particles like
    "al" skipped) are linked, so a list's inverted "AL BEN ALI, Isa ben Tarif" still says
    only that Isa descends from Tarif.
    """
    parent: dict[int, int] = {}
    for k, token in enumerate(tokens):
        if not is_filiation(token.text):
            continue
        before = next((i for i in range(k - 1, -1, -1) if not is_particle(tokens[i].text)), None)
        after = next(
            (i for i in range(k + 1, len(tokens)) if not is_particle(tokens[i].text)), None
        )
        if before is not None and after is not None:
            parent.setdefault(before, after)
    links: set[tuple[int, int]] = set()
    for child in parent:
        ancestor, hops = parent.get(child), 0
        while ancestor is not None and hops < len(tokens):
            links.add((child, ancestor))
            ancestor, hops = parent.get(ancestor), hops + 1
    return links


def _swaps_generations(
    chosen: Sequence[_Edge], query: Sequence[NameToken], listed: Sequence[NameToken]
) -> bool:
    """Whether the query makes a father of someone the listed name makes a son."""
    query_links = _descent(query)
    if not query_links:
        return False
    listed_links = _descent(listed)
    partner = {e.query[0]: e.listed[0] for e in chosen}
    return any(
        (partner[ancestor], partner[child]) in listed_links
        for child, ancestor in query_links
        if child in partner and ancestor in partner
    )


def _is_rotation(positions: Sequence[int]) -> bool:
    """True when ``positions`` increase, or increase after one cyclic shift."""
    drops = sum(1 for a, b in itertools.pairwise(positions) if b < a)
    if drops == 0:
        return True
    return drops == 1 and positions[-1] < positions[0]


FormWeights = tuple[tuple[float, ...], ...]


def _weights(form: NameForm, rarity: Rarity) -> tuple[float, ...]:
    return tuple(token_weight(t, rarity) for t in form.tokens)


def form_weights(name: PreparedName, rarity: Rarity) -> FormWeights:
    """The token weights of each romanised form of a name, for :func:`best_alignment`.

    Weights depend only on the name and the lists' rarities, so an index computes a
    listed name's once, and a query's once per search, instead of once per comparison.
    """
    return tuple(_weights(form, rarity) for form in name.forms)


def best_alignment(
    query: PreparedName,
    listed: PreparedName,
    rarity: Rarity,
    weights: tuple[FormWeights, FormWeights] | None = None,
    floor: float = 0.0,
) -> Alignment | None:
    """Best alignment over every pair of romanisations of the two names.

    Two names in the same syllabic script must also agree as written: the native
    comparison caps the romanised one (romanisations that coincide prove nothing when
    the characters differ). ``weights``: :func:`form_weights` of the query and of the
    listed name, when the caller has them. ``floor``: the caller has no use for a score
    below it, so pairs of forms that cannot reach it (or beat the best so far) are not
    aligned, and the answer is None when no pair can.
    """
    query_weights, listed_weights = weights or (
        form_weights(query, rarity),
        form_weights(listed, rarity),
    )
    best: Alignment | None = None
    for qf, wq in zip(query.forms, query_weights, strict=True):
        for lf, wl in zip(listed.forms, listed_weights, strict=True):
            bound = floor if best is None else max(floor, best.score)
            alignment = _align(qf, lf, rarity, listed.distinctive, (wq, wl), bound)
            if alignment is not None and (best is None or alignment.score > best.score):
                best = alignment
    if best is None and query.forms and listed.forms:
        return None  # no pair of forms could reach the floor
    if (
        query.native is not None
        and listed.native is not None
        and query.native.romanisation.script == listed.native.romanisation.script
    ):
        native = _align(query.native, listed.native, rarity, floor=floor)
        if native is None:
            return None  # the native comparison caps the score below the floor
        if best is None or native.score < best.score:
            best = native
    return best


def describe(alignment: Alignment, listed: PreparedName, factor: float = 1.0) -> NameMatch:
    """The alignment in terms an explanation shows; ``factor`` scales its score."""
    qf, lf = alignment.query_form, alignment.listed_form
    matches = tuple(
        TokenMatch(
            " ".join(qf.tokens[i].surface for i in e.query),
            " ".join(lf.tokens[j].surface for j in e.listed),
            e.how,
            round(e.similarity, 3),
        )
        for e in alignment.edges
    )
    return NameMatch(
        score=alignment.score * factor,
        listed_name=listed.text,
        listed_role=listed.role.value if listed.role else None,
        listed_form=lf.romanisation,
        query_form=qf.romanisation,
        tokens=matches,
        unmatched_query=tuple(qf.tokens[i].surface for i in alignment.free_query),
        unmatched_listed=tuple(lf.tokens[j].surface for j in alignment.free_listed),
    )


# Weak (low-quality) aliases are the publisher's own warning that the name alone is thin.
WEAK_ALIAS_FACTOR = 0.9


def best_name_match(
    query: PreparedName,
    query_weights: FormWeights,
    listed: Iterable[tuple[PreparedName, FormWeights]],
    rarity: Rarity,
    floor: float = 0.0,
) -> NameMatch | None:
    """The best of one entity's listed names for a query (weak aliases discounted).

    Every engine scores its candidates with this, so an entity found through any engine
    gets the same score and explanation. ``floor``: a name score the caller needs; None
    when no name can reach it (then the work of scoring them is mostly saved).
    """
    best: tuple[Alignment, PreparedName, float] | None = None
    best_score = -1.0
    for name, weights in listed:
        factor = WEAK_ALIAS_FACTOR if name.role is NameRole.WEAK else 1.0
        # A name must beat the best so far (after its factor) and reach the floor.
        bound = max(floor, best_score) / factor
        alignment = best_alignment(query, name, rarity, (query_weights, weights), bound)
        if alignment is None:
            continue
        if alignment.score * factor > best_score:
            best, best_score = (alignment, name, factor), alignment.score * factor
    return None if best is None else describe(*best)


def compare_forms(query: PreparedName, listed: PreparedName, rarity: Rarity) -> NameMatch | None:
    """Best comparison over every pair of romanisations of the two names."""
    alignment = best_alignment(query, listed, rarity)
    return None if alignment is None else describe(alignment, listed)


# --- secondary evidence ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """What a screening request says about whom it looks for."""

    name: str
    kind: Kind | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, or a name country_code() knows
    birth_date: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    # Identifiers the party carries, as keys (core.identifiers.identifier_keys).
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    factor: str  # birth_date | country | kind | identifier
    effect: float  # added to the name score
    detail: str


BIRTH_DATE_EXACT = 0.05
BIRTH_YEAR_MATCH = 0.02
BIRTH_DATE_CONFLICT = -0.12
COUNTRY_MATCH = 0.02
COUNTRY_CONFLICT = -0.04
KIND_CONFLICT = -0.2
# A number the list states (IMO, passport, registration...) equal to one the query gives:
# the listing is the party asked about whatever its name, so it alerts on its own.
IDENTIFIER_MATCH = 1.0


def _year_span(date: DateValue) -> tuple[int, int] | None:
    try:
        start = int(date.value[:4])
        end = int(date.end[:4]) if date.end else start
    except ValueError:
        return None
    slack = 2 if date.kind is DateKind.CIRCA else 0
    return start - slack, end + slack


def _birth_date_evidence(query_date: str, entity: Entity) -> Evidence | None:
    if not entity.birth_dates:
        return None
    try:
        year = int(query_date[:4])
    except ValueError:
        return None
    for listed in entity.birth_dates:
        if len(query_date) >= 10 and listed.value == query_date[:10]:
            return Evidence("birth_date", BIRTH_DATE_EXACT, f"born {listed.value}, as listed")
    for listed in entity.birth_dates:
        span = _year_span(listed)
        months_differ = (
            len(query_date) >= 7 and len(listed.value) >= 7 and query_date[:7] != listed.value[:7]
        )
        if span and span[0] <= year <= span[1] and not months_differ:
            text = listed.text or listed.value
            return Evidence("birth_date", BIRTH_YEAR_MATCH, f"birth year fits listed {text}")
    listed_text = ", ".join(d.text or d.value for d in entity.birth_dates)
    return Evidence("birth_date", BIRTH_DATE_CONFLICT, f"born {query_date}; listed {listed_text}")


def entity_countries(entity: Entity) -> set[str]:
    codes = {c.code for c in entity.nationalities + entity.citizenships if c.code}
    codes |= {a.country_code for a in entity.addresses if a.country_code}
    codes |= {p.country_code for p in entity.birth_places if p.country_code}
    return codes


def secondary_evidence(query: Query, entity: Entity) -> list[Evidence]:
    """What date of birth, country, kind and identifiers say beyond the name; absent
    facts say nothing."""
    found: list[Evidence] = []
    if query.birth_date:
        evidence = _birth_date_evidence(query.birth_date, entity)
        if evidence:
            found.append(evidence)
    code = country_code(query.country) if query.country else None
    if code:
        listed = entity_countries(entity)
        if code in listed:
            found.append(Evidence("country", COUNTRY_MATCH, f"{code} is a listed country"))
        elif listed:
            text = ", ".join(sorted(listed))
            found.append(Evidence("country", COUNTRY_CONFLICT, f"{code} not among {text}"))
    if query.kind and query.kind is not entity.kind:
        detail = f"looked for a {query.kind.value}, listed as a {entity.kind.value}"
        found.append(Evidence("kind", KIND_CONFLICT, detail))
    shared = shared_identifier(query.identifiers, entity) if query.identifiers else None
    if shared:
        found.append(Evidence("identifier", IDENTIFIER_MATCH, f"{shared}, as listed"))
    return found


# --- explanation -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a listed entity scored what it did, for the officer reviewing an alert."""

    score: float
    name_score: float
    name: NameMatch
    evidence: tuple[Evidence, ...]
    threshold: float = ALERT_THRESHOLD
    # What calibration made of the alignment's score (name.score) to give name_score.
    calibration: Calibrated | None = None

    @property
    def alert(self) -> bool:
        return self.score >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"alert": self.alert}

    def render(self) -> str:
        """The explanation in plain words."""
        name = self.name
        role = f" ({name.listed_role})" if name.listed_role else ""
        lines = [f"score {self.score:.2f} (alert at {self.threshold:.2f})"]
        lines.append(f"matched listed name {name.listed_name!r}{role}")
        form = name.query_form
        if form.method != "as written":
            lines.append(f"query read as {form.text!r} ({form.script}, {form.method})")
        listed_form = name.listed_form
        if listed_form.method != "as written":
            script, method = listed_form.script, listed_form.method
            lines.append(f"listed name read as {listed_form.text!r} ({script}, {method})")
        for match in name.tokens:
            if match.how in ("exact", "legal form"):
                how = match.how
            else:
                how = f"{match.how}, similarity {match.similarity:.2f}"
            lines.append(f"  {match.query!r} = {match.listed!r} ({how})")
        if name.unmatched_query:
            lines.append("  not in the listed name: " + ", ".join(name.unmatched_query))
        if name.unmatched_listed:
            lines.append("  not in the query: " + ", ".join(name.unmatched_listed))
        if self.calibration is not None:
            lines.append(self.calibration.render())
        lines.append(f"name score {self.name_score:.2f}")
        for evidence in self.evidence:
            lines.append(f"{evidence.factor}: {evidence.effect:+.2f} ({evidence.detail})")
        return "\n".join(lines)


def name_floor(min_score: float, evidence: Sequence[Evidence]) -> float:
    """The least alignment score (a :class:`NameMatch`'s, before calibration) that
    :func:`explain` may turn into ``min_score`` with this evidence (a unit of its rounding
    to four decimals spared), for :func:`best_name_match`'s ``floor``; 0 when every score
    is wanted."""
    if min_score <= 0.0:
        return 0.0
    wanted = max(0.0, min_score - sum(e.effect for e in evidence) - 1e-4)
    if CALIBRATION is None:
        return wanted
    return CALIBRATION.alignment_floor(wanted)  # the alignment that may calibrate to it


def explain(
    name: NameMatch, evidence: Sequence[Evidence], threshold: float = ALERT_THRESHOLD
) -> Explanation:
    calibrated = None if CALIBRATION is None else CALIBRATION.apply(name)
    name_score = name.score if calibrated is None else calibrated.score
    score = min(1.0, max(0.0, name_score + sum(e.effect for e in evidence)))
    return Explanation(
        round(score, 4), round(name_score, 4), name, tuple(evidence), threshold, calibrated
    )


def compare(
    name1: str,
    name2: str,
    kind: Kind | None = None,
    rarity: Rarity | None = None,
) -> Explanation:
    """Score two names against each other (query first, listed second)."""
    query = prepare_name(name1, kind)
    listed = prepare_name(name2, kind)
    if kind is not Kind.PERSON and any(form.organisation for form in listed.forms):
        # As the index does (engines.embedded.distinctive_tokens): any word of an
        # organisation's name may identify it alone when rare ("faberlic").
        words = frozenset(t.text for form in listed.forms for t in form.tokens)
        listed = PreparedName(listed.text, listed.forms, listed.role, listed.native, words)
    match = compare_forms(query, listed, rarity or default_rarity())
    if match is None:
        empty = Romanisation("", None, "as written")
        match = NameMatch(0.0, name2, None, empty, empty, (), (), ())
    return explain(match, [])
