"""Fitting the score calibration (``core/data/score_calibration.json``) on a labelled corpus.

The corpus is made from the lists themselves (names of one party are positives, names of
other parties that retrieval puts side by side are hard negatives), split by party into
a part to fit on and a part to check on: ``DIR/fit.jsonl`` and ``DIR/check.jsonl`` of
:mod:`indexer.corpus`, one :class:`~indexer.corpus_pairs.Pair` a line. Positives that
are not ``variant`` (a party's other names, not spellings of one name) are left out: no
name score can find them::

    python -m indexer.fit_score --corpus ../corpus-out          # make fit-score

Every pair of the fit part is compared as ``screening compare`` does (the alignment of
:mod:`core.score`, before calibration), its readable features
(:data:`core.calibration.FEATURES`) are fitted by an L2 logistic regression
(:mod:`indexer.logistic`, signs held: evidence against a match only counts against it),
each script family's offset is moved so that one threshold gives every family the same
false-alert rate (:func:`equalise_families`), and the alert threshold is the lowest at
which the fitted score alerts on at most ``--false-alerts`` (1 %) of the fit part's hard
negatives, overall and in every script family with at least ``--min-family`` (50) of them.
Namesakes are left out of the hard negatives: two parties with the same normalised name,
or whose names read the same word for word, are a hit by design (dates of birth or
identifiers tell them apart). The check part is never fitted
on: the command reports on it, per family, the hand-set score at its threshold (0.62)
against the fitted one at the fitted threshold (:mod:`indexer.fit_report`).

Screening uses the fitted score only once it is adopted (``--adopt``, with ``--adoption
"why"``): after ``make bench-matching`` with it shows it better on the checks (the dev
set, the pair benchmark) than the hand-set score. Until then the file records the fit
and its figures, and the hand-set score and threshold stay in use.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.calibration import (
    FAMILY_WORDS,
    FEATURES,
    Calibration,
    feature_values,
    from_dict,
    script_family,
)
from core.evaluation import kind_of
from core.normalise import normalise
from core.score import HAND_SET_THRESHOLD, NameMatch, compare
from indexer.corpus import read_part
from indexer.corpus_pairs import Pair
from indexer.fit_report import FamilyFigures, family_figures, render_figures
from indexer.logistic import fit_signed

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "core" / "data" / "score_calibration.json"
COMMAND = "python -m indexer.fit_score --corpus DIR (make fit-score CORPUS=DIR)"


@dataclass(frozen=True, slots=True)
class Scored:
    """A corpus pair with its comparison before calibration and its features."""

    pair: Pair
    match: NameMatch
    values: dict[str, float]


def read_corpus(path: Path) -> list[Pair]:
    """The pairs of one corpus part that a name score can decide: positives that are
    spellings of one name (``variant``), hard negatives that are not namesakes."""
    # A party's other names (a former vessel name, a translation) are positives no name
    # score can find: the corpus marks the spellings of one name "variant".
    return [
        pair
        for pair in read_part(path)
        if (pair.label == 0 or pair.variant) and not is_namesake(pair)
    ]


def is_namesake(pair: Pair) -> bool:
    """A negative pair of two parties with one name: not something a name score can tell."""
    return pair.label == 0 and normalise(pair.query) == normalise(pair.listed)


def score_pairs(pairs: Sequence[Pair]) -> list[Scored]:
    """The pairs compared, namesakes as read left out of the hard negatives: two parties
    whose names read the same word for word (every word equal after reading, none left
    over: "Ali Fadavi" and "علی فدوی", "KIM Jong Un" and "Jong Un KIM") are namesakes to
    a name score, as are two with one normalised name."""
    scored: list[Scored] = []
    for pair in pairs:
        match = compare(pair.query, pair.listed, kind_of(pair.kind)).name
        values = feature_values(match)
        if pair.label == 0 and values["all_exact"]:
            continue
        scored.append(Scored(pair, match, values))
    return scored


def threshold_for(
    negatives: Sequence[tuple[str, float]], false_alerts: float, min_family: int
) -> float:
    """The lowest threshold (4 decimals, as scores are rounded) at which at most
    ``false_alerts`` of the (family, score) negatives score at or above it, overall and
    in every family with ``min_family`` negatives or more."""
    groups: dict[str, list[float]] = {"*": [s for _, s in negatives]}
    for family, score in negatives:
        groups.setdefault(family, []).append(score)
    threshold = 0.0
    for name, scores in groups.items():
        if name != "*" and len(scores) < min_family:
            continue
        ranked = sorted((round(s, 4) for s in scores), reverse=True)
        allowed = int(false_alerts * len(ranked))
        if allowed < len(ranked):
            # Just above the first negative that must not alert.
            threshold = max(threshold, (round(ranked[allowed] * 10_000) + 1) / 10_000)
    return min(threshold, 1.0)


def fit(
    scored: Sequence[Scored], l2: float, false_alerts: float, min_family: int
) -> tuple[Calibration, int]:
    """The calibration fitted on ``scored`` pairs, and the Newton iterations it took."""
    names = [feature.name for feature in FEATURES]
    usable = [s for s in scored if s.match.score > 0.0]  # no alignment: stays 0 anyway
    rows = [[s.values[name] for name in names] for s in usable]
    labels = [s.pair.label for s in usable]
    fitted = fit_signed(rows, labels, [feature.sign for feature in FEATURES], l2=l2)
    weights = {name: w for name, w in zip(names, fitted.weights, strict=True)}
    provisional = Calibration(fitted.intercept, weights, 1.0, false_alerts)
    equalised = equalise_families(provisional, scored, false_alerts, min_family)
    rounded = {name: round(w, 6) for name, w in equalised.weights.items()}
    calibration = Calibration(round(equalised.intercept, 6), rounded, 1.0, false_alerts)
    negatives = [
        (s.pair.family, calibration.apply(s.match).score) for s in scored if s.pair.label == 0
    ]
    threshold = threshold_for(negatives, false_alerts, min_family)
    calibration = Calibration(calibration.intercept, rounded, threshold, false_alerts)
    return calibration, fitted.iterations


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


def equalise_families(
    calibration: Calibration, scored: Sequence[Scored], false_alerts: float, min_family: int
) -> Calibration:
    """The calibration with each script family's offset moved so that one threshold gives
    every family (with ``min_family`` hard negatives or more) the same false-alert rate.

    The likelihood fit says how likely a pair is one party; the stated rate is per family.
    Moving a family's log-odds by a constant keeps the order of its pairs and moves its
    own threshold for the rate onto the overall one, so no family alerts more often than
    stated and none is held to another family's stricter threshold. A family with fewer
    negatives is calibrated as Latin names are (it has no offset of its own to move).
    """
    by_family: dict[str, list[float]] = {}
    for s in scored:
        if s.pair.label == 0:
            family = script_family(s.match)
            by_family.setdefault(family, []).append(calibration.apply(s.match).score)
    every = [("*", score) for scores in by_family.values() for score in scores]
    target = _logit(threshold_for(every, false_alerts, len(every) + 1))
    shifts = {
        family: target - _logit(threshold_for([("*", x) for x in scores], false_alerts, 1))
        for family, scores in by_family.items()
        if len(scores) >= min_family
    }
    latin = shifts.get("latin", 0.0)
    weights = dict(calibration.weights)
    for family in FAMILY_WORDS:
        if family in shifts:
            weights[f"family_{family}"] = (
                weights.get(f"family_{family}", 0.0) + shifts[family] - latin
            )
    return Calibration(calibration.intercept + latin, weights, 1.0, false_alerts)


def hand_set_threshold(scored: Sequence[Scored], false_alerts: float, min_family: int) -> float:
    """The threshold the hand-set score would need for the same false-alert rate: whether
    calibration does more than move the threshold."""
    negatives = [(s.pair.family, s.match.score) for s in scored if s.pair.label == 0]
    return threshold_for(negatives, false_alerts, min_family)


def figures(
    scored: Sequence[Scored], calibration: Calibration, before: float = HAND_SET_THRESHOLD
) -> list[FamilyFigures]:
    """Per family: the hand-set score at ``before`` against the calibrated one."""
    rows = [
        (s.pair.family, s.pair.label, s.match.score, calibration.apply(s.match).score)
        for s in scored
    ]
    return family_figures(rows, before, calibration.threshold)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.fit_score", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True, help="folder of fit/check.jsonl")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights (1.0)")
    parser.add_argument("--false-alerts", type=float, default=0.01, help="on hard negatives")
    parser.add_argument("--min-family", type=int, default=50)
    parser.add_argument(
        "--check-only", action="store_true", help="report the calibration in --output, fit nothing"
    )
    parser.add_argument(
        "--adopt",
        action="store_true",
        help="screening uses the fitted score (only after it did better on the checks)",
    )
    parser.add_argument("--adoption", default="", help="why it is adopted or not, in words")
    args = parser.parse_args(argv)
    fit_path, check_path = args.corpus / "fit.jsonl", args.corpus / "check.jsonl"
    started = time.perf_counter()
    out: dict[str, Any]
    if args.check_only:
        out = json.loads(args.output.read_text("utf-8"))
        calibration = from_dict(out["model"])
    else:
        fit_scored = score_pairs(read_corpus(fit_path))
        scored_at = time.perf_counter()
        calibration, iterations = fit(fit_scored, args.l2, args.false_alerts, args.min_family)
        fit_figures = figures(fit_scored, calibration)
        hand = hand_set_threshold(fit_scored, args.false_alerts, args.min_family)
        seconds = scored_at - started
        print(f"fit part: {len(fit_scored)} pairs scored in {seconds:.0f} s, fitted in "
              f"{iterations} Newton steps; threshold {calibration.threshold:.4f}")  # fmt: skip
        print(render_figures(fit_figures))
        out = {
            "about": "Score calibration (core/calibration.py): a logistic model over readable "
            "features of a name comparison, fitted on a corpus's fit part; the threshold "
            "alerts on at most false_alert_target of its hard negatives, overall and per "
            "script family. Made by the command below: do not edit by hand.",
            "command": COMMAND,
            "made": datetime.date.today().isoformat(),
            "corpus": {
                "fit": {"sha256": _sha256(fit_path), "pairs": len(fit_scored)},
                "l2": args.l2,
                "min_family": args.min_family,
                "namesakes": "left out of the hard negatives (one normalised name, or "
                "every word equal as read)",
            },
            "features": {feature.name: feature.words for feature in FEATURES},
            "model": calibration.to_dict(),
            "hand_set_threshold_at_target": hand,
            "fit_figures": [f.to_dict() for f in fit_figures],
        }
    if args.adopt or args.adoption or "adopted" not in out:
        out["adopted"] = bool(args.adopt)
        out["adoption"] = args.adoption or (
            "not adopted: the hand-set score is used until the fitted one does better on the "
            "checks (make bench-matching with it adopted)"
        )
    if check_path.exists():
        check_scored = score_pairs(read_corpus(check_path))
        check_figures = figures(check_scored, calibration)
        print(f"check part ({len(check_scored)} pairs, never fitted on):")
        print(render_figures(check_figures))
        hand = float(out["hand_set_threshold_at_target"])
        rethresholded = figures(check_scored, calibration, hand)
        print(f"check part, the hand-set score at {hand:.4f} (its threshold for the same rate "
              f"on the fit part) against the fitted one:")  # fmt: skip
        print(render_figures(rethresholded))
        out["check_figures"] = [f.to_dict() for f in check_figures]
        out["check_figures_hand_set_at_target"] = [f.to_dict() for f in rethresholded]
        out["corpus"]["check"] = {"sha256": _sha256(check_path), "pairs": len(check_scored)}
    args.output.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
