"""Spelling folds: the few forms a name token takes under transcription equivalences.

The same name reaches a list through different transcription conventions: a German clerk
writes Ivanov as "Iwanow" and Yanukovych as "Janukowytsch", a French one writes Shalish as
"Chaliche" and Farouk's "ou" where English has "u", a Pole writes "cz" and "sz". Edit
distance between such spellings is large (janukowytsch/yanukovych share little letter by
letter), phonetic codes disagree, and no variant table can list every name. A *fold* maps
a token onto coarse sound classes so that spellings of one sound coincide:

- ``w``→v, ``ph``→f, ``q``/``ck``/``c`` before a back vowel→k, ``gh``→g, ``dh``→d,
  ``th``→t, ``kh``→h (Arabic/Russian kh, and h, the same class in practice);
- a literal ``x`` is ``ks``; the hushing sibilants ``tsch``/``tch``/``tsh``/``cz``/
  ``sch``/``sh``/``sz``/``ch`` → one class "x" (Yanukovych/Janukowytsch, Shalish/Chaliche);
- affricates ``dzh``/``dj``/``dsch``/``zh`` and English ``j`` → one class "j";
- vowels: ``ou``/``oo``/``u``→u, ``ee``/``ie``/``iy``/``ey``/``ei``/``i``/``y`` (as a vowel)
  →i; doubled letters single; Slavic endings ``-ow``/``-off``/``-ov`` and ``-ev``/``-ef``
  alike (``-itsch``/``-itch``/``-ych`` meet through the sibilant class).

Two letters are ambiguous between conventions, so a token gets up to two folds: the
*English/French* reading (``j``=dzh, ``ch``=sh/tsh) and the *German/Polish/Dutch* one
(``j``=y, ``ch``=kh). Only tokens that contain ``j`` or ``ch`` get the second.

A *consonant skeleton* (:func:`skeleton`) goes further: the fold without vowels, for names
of Arabic origin whose vowels are not written in the original at all (Yehya/Yahia/Yihya,
Moalla/Maala/Mu'la). It says less: the scorer uses it only with further conditions (see
``core.token_similarity.is_vowel_variant``).

Folds find candidates (:mod:`core.keys`) and raise a pair's similarity in the scorer
(:mod:`core.token_similarity`, "spelling variant"); they never merge different consonants
(Hussein/Hassan keep their vowels apart in the fold, and a fold only ever raises a pair to
a fuzzy similarity, never to an exact one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

# What a shared fold leaves a pair short of identical: a transcription variant is strong
# evidence, but less than the same spelling or a known variant of the name (0.95).
FOLD_PENALTY = 0.08
# Similarity of two tokens with the same consonant skeleton of at least SKELETON_MIN
# consonants: a hint, worth a fuzzy pair, not an alert on its own.
SKELETON_SIMILARITY = 0.8
SKELETON_MIN = 99

# Ordered rewrites shared by both readings (applied after the reading-specific ones).
_COMMON: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"x", "ks"),
        (r"(?:tzsch|tsch|dsch|tch|tsh|sch|sh|sz|cz|ch)", "x"),
        (r"(?<=x)e$", ""),  # French silent e: Chaliche, Aiche
        (r"(?:dzh|dj|dzj|zh)", "j"),
        (r"ph", "f"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"dh", "d"),
        (r"th", "t"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"c(?=[aou]|$)", "k"),
        (r"w", "v"),
        (r"(?<=[aeiou])y(?=[aeiou])", ""),  # a glide between vowels: Sergeyevich
        (r"(?<=[aeiou])j(?=[aeiou])", ""),  # German j as a glide: Sergejewitsch
        (r"(?:ou|oo|ue|uo)", "u"),
        (r"(?:ee|ie|iy|ey|ei|ii|ij)", "i"),
        (r"(?<=[^aeiou])y|y(?=[^aeiou]|$)", "i"),  # y as a vowel
        (r"(?<=[a-z]{3})(?:off|ov|ow|of)$", "uv"),
        (r"(?<=[a-z]{3})(?:ev|ef|iev)$", "iv"),
    )
)
_DOUBLED = re.compile(r"([a-z])\1+")
_VOWELS = re.compile(r"[aeiou]+")


def _reading(token: str, german: bool) -> str:
    text = token
    if german:
        # German/Polish/Dutch: j is the y-glide, ch (not after s/t, not cz) is kh.
        text = re.sub(r"(?<![std])ch", "h", text)
        text = re.sub(r"(?<![dz])j", "y", text)
    for pattern, replacement in _COMMON:
        text = pattern.sub(replacement, text)
    return _DOUBLED.sub(r"\1", text)


@functools.lru_cache(maxsize=200_000)
def spelling_folds(token: str) -> tuple[str, ...]:
    """The folded forms of a normalised Latin token: one, or two for j/ch; () if not Latin."""
    if len(token) < 3 or not token.isascii() or not token.isalpha():
        return ()
    forms = [_reading(token, german=False)]
    if "j" in token or "ch" in token:
        german = _reading(token, german=True)
        if german != forms[0]:
            forms.append(german)
    return tuple(forms)


@functools.lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The consonants of the first fold, in order, with an initial vowel kept as "a".

    "yehya", "yahia" and "yihya" all give "yh"; "moalla", "maala" and "mula" give "ml".
    Empty for tokens that have no fold.
    """
    forms = spelling_folds(token)
    if not forms:
        return ""
    folded = forms[0]
    initial = "a" if folded[0] in "aeiou" else ""
    # a final h after a vowel is a written-out ta marbuta or a breath (Yahyah, Fatimah)
    folded = re.sub(r"(?<=[aeiou])h$", "", folded)
    return initial + _DOUBLED.sub(r"\1", _VOWELS.sub("", folded))


def shares_fold(a: str, b: str) -> bool:
    """Whether two tokens have a folded form in common (a transcription variant)."""
    folds_a = spelling_folds(a)
    return bool(folds_a) and not set(folds_a).isdisjoint(spelling_folds(b))


def folded_similarity(a: str, b: str, compare: Callable[[str, str], float]) -> tuple[float, str]:
    """Similarity of two tokens through their folds, and how: (0, "") when they have none.

    ``compare`` is the scorer's letter similarity, applied to every pair of folds; the best
    loses :data:`FOLD_PENALTY`. Equal skeletons give at least :data:`SKELETON_SIMILARITY`.
    """
    folds_a, folds_b = spelling_folds(a), spelling_folds(b)
    if not folds_a or not folds_b:
        return 0.0, ""
    best = -1.0
    for x in folds_a:  # a loop, not max() over a generator: this runs for every fuzzy pair
        for y in folds_b:
            similarity = compare(x, y)
            if similarity > best:
                best = similarity
    best -= FOLD_PENALTY
    how = "spelling variant"
    bones = skeleton(a)
    if len(bones) >= SKELETON_MIN and bones == skeleton(b) and best < SKELETON_SIMILARITY:
        best, how = SKELETON_SIMILARITY, "consonants alike"
    return max(0.0, best), how
