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

The parts live in modules by concern, and this one puts them together:
:mod:`core.rarity` (what a token is worth), :mod:`core.prepared` (a name's romanised
forms), :mod:`core.token_similarity` (two tokens alike, by which rule), :mod:`core.edges`
(the pairs two forms could make), :mod:`core.alignment` (the best pairing and its score),
:mod:`core.name_rules` (what tells two people apart), :mod:`core.evidence` (date of
birth, country, kind, identifiers) and :mod:`core.explanation` (why, in words). The names
other layers use are imported from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.alignment import (
    Alignment,
    best_alignment,
    best_name_match,
    compare_forms,
    describe,
    score_bound,
)
from core.calibration import default_calibration
from core.evidence import Evidence, Query, entity_countries, secondary_evidence
from core.explanation import Explanation, NameMatch, TokenMatch
from core.model import Kind
from core.prepared import NameForm, PreparedName, prepare_name
from core.rarity import FormWeights, Rarity, default_rarity, form_weights, token_weight
from core.token_similarity import learn_spellings, string_similarity
from core.translit import Romanisation

__all__ = [
    "ALERT_THRESHOLD",
    "CALIBRATION",
    "HAND_SET_THRESHOLD",
    "Alignment",
    "Evidence",
    "Explanation",
    "FormWeights",
    "NameForm",
    "NameMatch",
    "PreparedName",
    "Query",
    "Rarity",
    "TokenMatch",
    "best_alignment",
    "best_name_match",
    "compare",
    "compare_forms",
    "default_rarity",
    "describe",
    "entity_countries",
    "explain",
    "form_weights",
    "learn_spellings",
    "name_floor",
    "prepare_name",
    "score_bound",
    "secondary_evidence",
    "string_similarity",
    "token_weight",
]

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
