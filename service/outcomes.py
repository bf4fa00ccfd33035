"""The glossary of outcomes: the only words the service uses to say what a screening found.

An officer reads the same word on the search page, in a batch row, in an exported record
and in the API's ``reason`` text, and it means the same thing everywhere. The outcome of a
screened name (a search, a batch row, a party of ``POST /v1/screen``) is the outcome of its
strongest candidate, and a candidate's outcome is read off its score:

* **Alert** — at or above the alert threshold: very likely the listed party. Stop and
  review before the goods or the payment go on.
* **Needs review** — below the alert threshold but at or above the review line: the name is
  close in part (some of its words, or a near spelling), not an alert by itself. Look at
  it when the document gives a reason to.
* **Clear** — below the review line: no listed name is close.
* **Cleared by decision** — an alert an officer reviewed and decided is not the listed
  party (the decision record says who and why).
* **Listing ended** — the name is close, but the list itself ended the listing (a
  debarment period that has run out): shown for the record, not an alert.

The API's ``decision`` field keeps its two values (``alert``, and ``clear`` for a party with
no alert, whose strongest candidate may need review): customs systems code against them.

Words here are English; the lookup page shows them through its message catalogues
(``N_`` marks them for extraction, see :mod:`service.i18n`). Nothing else may invent an
outcome word: ``tests/service/test_outcome_words.py`` scans templates, exports and reasons.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from core.score import ALERT_THRESHOLD
from engines.base import Hit

# Below the alert threshold, a candidate at or above this score needs review: a partial
# name or a near spelling an officer may want to look at. Below it, a candidate is clear.
REVIEW_LINE = 0.4


def N_(message: str) -> str:
    """Marks a message for the catalogues without translating it (translated when shown)."""
    return message


class Outcome(enum.StrEnum):
    ALERT = "alert"
    NEEDS_REVIEW = "needs review"
    CLEAR = "clear"
    CLEARED_BY_DECISION = "cleared by decision"
    LISTING_ENDED = "listing ended"


@dataclass(frozen=True, slots=True)
class Term:
    outcome: Outcome
    label: str  # the word as shown, capitalised ("Needs review")
    meaning: str  # one sentence an officer reads in the glossary panel


GLOSSARY: dict[Outcome, Term] = {
    Outcome.ALERT: Term(
        Outcome.ALERT,
        N_("Alert"),
        N_(
            "At or above the alert threshold: very likely the listed party. Review it "
            "before the goods or the payment go on."
        ),
    ),
    Outcome.NEEDS_REVIEW: Term(
        Outcome.NEEDS_REVIEW,
        N_("Needs review"),
        N_(
            "Below the alert threshold but above the review line: the name is close in part "
            "(some of its words, or a near spelling). Not an alert by itself; look at it "
            "when the document gives a reason to."
        ),
    ),
    Outcome.CLEAR: Term(
        Outcome.CLEAR,
        N_("Clear"),
        N_("Below the review line: no listed name is close."),
    ),
    Outcome.CLEARED_BY_DECISION: Term(
        Outcome.CLEARED_BY_DECISION,
        N_("Cleared by decision"),
        N_(
            "An alert an officer reviewed and decided is not the listed party; the "
            "decision record says who decided and why."
        ),
    ),
    Outcome.LISTING_ENDED: Term(
        Outcome.LISTING_ENDED,
        N_("Listing ended"),
        N_(
            "The name is close, but the list itself ended this listing (for example a "
            "debarment period that has run out). Shown for the record; not an alert."
        ),
    ),
}

# The outcomes in the order of their weight: the strongest decides a party's outcome. An
# alert an officer cleared outweighs a near miss (the officer should see that a decision
# was applied) but not an alert still open; an ended listing only outweighs a clear.
_WEIGHT = {
    Outcome.CLEAR: 0,
    Outcome.LISTING_ENDED: 1,
    Outcome.NEEDS_REVIEW: 2,
    Outcome.CLEARED_BY_DECISION: 3,
    Outcome.ALERT: 4,
}


def outcome_weight(outcome: Outcome) -> int:
    """How strongly an outcome speaks: alert, needs review, listing ended, clear."""
    return _WEIGHT[outcome]


def label(outcome: Outcome) -> str:
    return GLOSSARY[outcome].label


def candidate_outcome(
    score: float, threshold: float = ALERT_THRESHOLD, *, ended_on: str | None = None
) -> Outcome:
    """Alert, needs review or clear, from one candidate's score; listing ended instead of
    alert or needs review when the list ended the listing on ``ended_on``."""
    if ended_on is not None and score >= REVIEW_LINE:
        return Outcome.LISTING_ENDED
    if score >= threshold:
        return Outcome.ALERT
    return Outcome.NEEDS_REVIEW if score >= REVIEW_LINE else Outcome.CLEAR


def party_outcome(candidates: Iterable[Outcome], cleared_by_decision: bool = False) -> Outcome:
    """The outcome of a screened name: its strongest candidate's, or cleared by decision
    when an officer decided that its alert is not the listed party."""
    strongest = max(candidates, key=_WEIGHT.__getitem__, default=Outcome.CLEAR)
    if strongest is Outcome.ALERT and cleared_by_decision:
        return Outcome.CLEARED_BY_DECISION
    return strongest


def ended_on(hit: Hit) -> str | None:
    """The day the list ended ``hit``'s listing, when it has (else None)."""
    return hit.entity.ends_on if hit.listing_ended else None


def hit_outcome(hit: Hit, cleared: bool = False) -> Outcome:
    """A candidate's outcome from its score, whether its listing is still in force, and
    whether a recorded decision cleared it (``cleared``)."""
    if cleared:
        return Outcome.CLEARED_BY_DECISION
    return candidate_outcome(hit.score, hit.explanation.threshold, ended_on=ended_on(hit))
