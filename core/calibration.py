"""The fitted calibration of a name score: readable features in, a score in [0, 1] out.

The token alignment (:mod:`core.score`) says how much of two names agrees; it does not say
how likely two names that agree *this much* are one party. A cross-script pair whose
readings agree at 0.55 is often the same person, a Latin pair at 0.55 rarely is. Instead
of moving hand-set constants until one evaluation set improves, the alignment's outcome
is described by a few features an officer can read (the alignment score, whether the
names were compared through a reading from another script and which, how many words were
only close, what each side left unmatched, a single shared word), and a logistic model
fitted on the fit part of a labelled corpus made from the lists themselves combines them:

    score = 1 / (1 + exp(-(intercept + sum(weight * feature))))

The weights, the intercept and the alert threshold (chosen on the same fit part for a
stated false-alert rate on hard negatives) are data, ``core/data/score_calibration.json``,
written by ``make fit-score`` (:mod:`indexer.fit_score`), never edited by hand. Every
feature lies in [0, 1] and the alignment score's weight is positive, so a better
alignment never scores lower, and :func:`alignment_floor` can tell a search which
alignments cannot reach a score it needs. A name that aligned nothing (score 0) stays 0:
no name evidence is no evidence.

The model sees only what a :class:`~core.score.NameMatch` carries (this module does not
import :mod:`core.score`, which calls it): any object with the same fields will do.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from core.translit import Romanisation


class TokenPair(Protocol):
    @property
    def query(self) -> str: ...
    @property
    def listed(self) -> str: ...
    @property
    def how(self) -> str: ...


class Compared(Protocol):
    """What the calibration reads of a name comparison (core.score.NameMatch)."""

    @property
    def score(self) -> float: ...
    @property
    def query_form(self) -> Romanisation: ...
    @property
    def listed_form(self) -> Romanisation: ...
    @property
    def tokens(self) -> Sequence[TokenPair]: ...
    @property
    def unmatched_query(self) -> Sequence[str]: ...
    @property
    def unmatched_listed(self) -> Sequence[str]: ...


# Script families the corpus is reported by; any other non-Latin script is "other".
SCRIPT_FAMILIES: Mapping[str, str] = {
    "Arab": "arabic",
    "Cyrl": "cyrillic",
    "Hani": "chinese",
    "Hang": "korean",
    "Jpan": "japanese",
    "Hira": "japanese",
    "Kana": "japanese",
}
# Pairs in the same syllabic script are compared character by character (core.score).
EXACT_HOWS = frozenset({"exact", "legal form", "variant"})


def script_family(match: Compared) -> str:
    """The non-Latin script a comparison went through (the query's first), or latin."""
    for script in (match.query_form.script, match.listed_form.script):
        if script not in (None, "Latn"):
            return SCRIPT_FAMILIES.get(script, "other")
    return "latin"


def cross_script(match: Compared) -> bool:
    """Whether the two names are written in different scripts (compared as readings)."""
    query = match.query_form.script or "Latn"
    listed = match.listed_form.script or "Latn"
    return query != listed


def _words(texts: Sequence[str]) -> int:
    return sum(len(text.split()) or 1 for text in texts)


def _paired_words(match: Compared, side: str) -> int:
    return sum(len(getattr(pair, side).split()) or 1 for pair in match.tokens)


def _unmatched_query_share(match: Compared) -> float:
    left = _words(match.unmatched_query)
    total = left + _paired_words(match, "query")
    return left / total if total else 0.0


def _unmatched_listed_share(match: Compared) -> float:
    left = _words(match.unmatched_listed)
    total = left + _paired_words(match, "listed")
    return left / total if total else 0.0


def _inexact_share(match: Compared) -> float:
    if not match.tokens:
        return 0.0
    return sum(1 for pair in match.tokens if pair.how not in EXACT_HOWS) / len(match.tokens)


def _all_exact(match: Compared) -> float:
    exact = all(pair.how in EXACT_HOWS for pair in match.tokens)
    left = match.unmatched_query or match.unmatched_listed
    return float(bool(match.tokens) and exact and not left)


def _family_is(family: str) -> Callable[[Compared], float]:
    return lambda match: float(script_family(match) == family)


@dataclass(frozen=True, slots=True)
class Feature:
    """One readable feature: its name in the data file, what it measures in words (for the
    explanation), and how it is read off a comparison, in [0, 1]."""

    name: str
    words: str
    read: Callable[[Compared], float]
    # +1: may only raise a score (evidence for), -1: only lower it (evidence against),
    # 0: either, as the fit finds (the script families).
    sign: int = 0


# The non-Latin script families a comparison may go through, in words. Each has its own
# offset and its own slope on the alignment (a reading from Arabic script that agrees at
# 0.6 is not a Latin spelling that agrees at 0.6); a family the fit part holds few pairs
# of keeps weights near zero (the L2 penalty), so it is calibrated as Latin names are.
FAMILY_WORDS: Mapping[str, str] = {
    "arabic": "read from Arabic script",
    "cyrillic": "read from Cyrillic",
    "chinese": "read from Chinese characters",
    "korean": "read from Hangul",
    "japanese": "read from Japanese kana",
    "other": "read from another script",
}


def _alignment_if(family: str) -> Callable[[Compared], float]:
    return lambda match: match.score if script_family(match) == family else 0.0


FEATURES: tuple[Feature, ...] = (
    Feature("alignment", "the name alignment score", lambda m: m.score, +1),
    *(Feature(f"family_{f}", words, _family_is(f)) for f, words in FAMILY_WORDS.items()),
    *(Feature(f"alignment_{f}", words, _alignment_if(f)) for f, words in FAMILY_WORDS.items()),
    Feature("inexact_share", "share of word pairs only alike, not equal", _inexact_share, -1),
    Feature(
        "unmatched_query", "share of query words not in the listed", _unmatched_query_share, -1
    ),
    Feature(
        "unmatched_listed", "share of listed words not in the query", _unmatched_listed_share, -1
    ),
    Feature(
        "both_unmatched",
        "words left over on both sides",
        lambda m: float(bool(m.unmatched_query) and bool(m.unmatched_listed)),
        -1,
    ),
    Feature("single_pair", "one word pair only", lambda m: float(len(m.tokens) == 1), -1),
    Feature("all_exact", "every word equal, none left over", _all_exact, +1),
)
FEATURES_BY_NAME: Mapping[str, Feature] = {f.name: f for f in FEATURES}
# Features of one script family (one at most is not zero), for alignment_floor.
FAMILY_FEATURES = frozenset(
    name for f in FAMILY_WORDS for name in (f"family_{f}", f"alignment_{f}")
)


def feature_values(match: Compared) -> dict[str, float]:
    return {feature.name: feature.read(match) for feature in FEATURES}


@dataclass(frozen=True, slots=True)
class Step:
    """What one feature did to a score: its value and its effect on the log-odds."""

    feature: str
    words: str
    value: float
    effect: float


@dataclass(frozen=True, slots=True)
class Calibrated:
    """A calibrated name score, with the steps that made it from the alignment score."""

    score: float
    alignment: float
    steps: tuple[Step, ...]

    def render(self) -> str:
        """One line of plain words: what calibration made of the alignment, and why."""
        if not self.steps:
            return f"calibration: alignment {self.alignment:.2f} kept (no name evidence)"
        effects: dict[str, float] = {}  # a family's offset and slope say one thing
        for step in self.steps:
            if step.feature != "alignment":
                effects[step.words] = effects.get(step.words, 0.0) + step.effect
        raised = [words for words, effect in effects.items() if effect > 0]
        lowered = [words for words, effect in effects.items() if effect < 0]
        parts = [f"calibration: alignment {self.alignment:.2f} -> {self.score:.2f}"]
        if raised:
            parts.append("raised by " + "; ".join(raised))
        if lowered:
            parts.append("lowered by " + "; ".join(lowered))
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Calibration:
    """A fitted logistic model over :data:`FEATURES`, and the alert threshold with it."""

    intercept: float
    weights: Mapping[str, float]
    threshold: float
    false_alert_target: float
    source: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(FEATURES_BY_NAME)
        if unknown:
            raise ValueError(f"score calibration: unknown features {sorted(unknown)}")
        for name, weight in self.weights.items():
            if weight * FEATURES_BY_NAME[name].sign < 0:
                raise ValueError(f"score calibration: {name} may not count the other way")
        for family in ("", *FAMILY_WORDS):
            if self._slope(family) <= 0.0:
                where = f" read from {family}" if family else ""
                raise ValueError(
                    f"score calibration: the alignment's weight{where} must be positive"
                )

    def _slope(self, family: str) -> float:
        """The weight of the alignment for names of a script family ("": Latin)."""
        extra = self.weights.get(f"alignment_{family}", 0.0) if family else 0.0
        return self.weights.get("alignment", 0.0) + extra

    def log_odds(self, values: Mapping[str, float]) -> float:
        return self.intercept + sum(w * values.get(name, 0.0) for name, w in self.weights.items())

    def apply(self, match: Compared) -> Calibrated:
        alignment = match.score
        if alignment <= 0.0:
            return Calibrated(0.0, alignment, ())
        values = feature_values(match)
        steps = tuple(
            Step(name, FEATURES_BY_NAME[name].words, values[name], weight * values[name])
            for name, weight in self.weights.items()
            if values.get(name, 0.0) != 0.0 and weight != 0.0
        )
        return Calibrated(_sigmoid(self.log_odds(values)), alignment, steps)

    def alignment_floor(self, score_floor: float) -> float:
        """The least alignment score that may calibrate to ``score_floor`` or more, whatever
        the other features say (a search skips alignments that cannot reach it); above 1
        when no alignment can."""
        if score_floor <= 0.0:
            return 0.0
        if score_floor >= 1.0:
            return math.inf
        needed = math.log(score_floor / (1.0 - score_floor)) - self.intercept
        # Every feature outside the families at its most helpful ...
        for name, weight in self.weights.items():
            if name != "alignment" and name not in FAMILY_FEATURES:
                needed -= max(0.0, weight)
        # ... and the family (or Latin) that needs the least alignment.
        least = math.inf
        for family in ("", *FAMILY_WORDS):
            offset = self.weights.get(f"family_{family}", 0.0) if family else 0.0
            least = min(least, (needed - offset) / self._slope(family))
        return max(0.0, least)

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "weights": dict(self.weights),
            "threshold": self.threshold,
            "false_alert_target": self.false_alert_target,
        }


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


DATA_FILE = "score_calibration.json"


def from_dict(data: Mapping[str, Any], source: str = "") -> Calibration:
    return Calibration(
        intercept=float(data["intercept"]),
        weights={str(k): float(v) for k, v in data["weights"].items()},
        threshold=float(data["threshold"]),
        false_alert_target=float(data["false_alert_target"]),
        source=source,
    )


@functools.cache
def calibration_data() -> dict[str, Any]:
    """``core/data/score_calibration.json``: the model, how it was made, how it did."""
    data: dict[str, Any] = json.loads(
        resources.files("core.data").joinpath(DATA_FILE).read_text("utf-8")
    )
    return data


@functools.cache
def fitted_calibration() -> Calibration:
    """The calibration fitted by ``make fit-score``, adopted or not."""
    data = calibration_data()
    return from_dict(data["model"], source=str(data.get("command", "")))


def default_calibration() -> Calibration | None:
    """The fitted calibration when it is adopted (``"adopted": true``, set only after it did
    better than the hand-set score on the checks), else None: the hand-set score."""
    return fitted_calibration() if calibration_data().get("adopted") is True else None
