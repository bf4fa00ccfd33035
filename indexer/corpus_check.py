"""The matcher checked on a part of the corpus (:mod:`indexer.corpus`), per script family.

    python -m indexer.corpus_check --corpus var/corpus --part check [--shared ../shared]

Three figures, each with the pairs it is over, on every positive and on the positives
that are spellings of one name (``variant``, :mod:`indexer.corpus_variants`: a name
matcher is not asked to alert on a party's other names, "Stonefly" for "Jumpy Pisces"):

- *alert recall*: the share of positives whose query, scored against the listed name by
  the core scorer (:func:`core.score.compare`, with the rarities of all latest lists),
  reaches the alert threshold the core uses;
- *false alerts*: the same share over the hard negatives (namesakes are not in the
  corpus: two parties of one name are a hit by design);
- *candidate recall*: the share of positives whose listed party the embedded index over
  all latest lists puts among the candidates it scores (the first ``MAX_CANDIDATES``
  listings), before any scoring, and the same for the query with one typing error in
  Latin, Cyrillic, Arabic and Hangul (:func:`core.typos.one_typo`, seeded, as
  :mod:`indexer.candidate_recall` does), plus North Korean persons of the part's parties
  with their names written back in Hangul (:func:`indexer.candidate_recall.hangul_of`).

A query of the corpus is itself a name the party is listed under, so the index would
find it by that name alone. Candidate recall therefore ranks every listed *name* on its
own and leaves out the names equal to the query after normalisation: the party counts as
found when another of its names brings it among the first listings, as it would for an
officer who typed the query while the lists knew the party only by its other names.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from core.links import group_parties
from core.model import Entity, Kind
from core.normalise import normalise
from core.score import ALERT_THRESHOLD, compare, prepare_name
from core.typos import one_typo
from engines.embedded import EmbeddedIndex
from indexer.candidate_recall import TYPO_SCRIPTS, hangul_of
from indexer.corpus import DEFAULT_SEED, load_latest, read_part
from indexer.corpus_pairs import FAMILIES, FAMILY_OF_SCRIPT, KINDS_BY_NAME, Pair, stable_fraction

# Queries with one typo per family, at most (a keyed sample of the part's query names).
TYPOS_PER_FAMILY = 1000
TYPO_FAMILIES = {FAMILY_OF_SCRIPT[script]: script for script in TYPO_SCRIPTS}
WRITTEN_BACK = "korean (Hangul written back)"


class NameIndex:
    """Every listed name as an entry of its own in an :class:`EmbeddedIndex`, so that a
    party's rank can be read without some of its names."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        single: list[Entity] = []
        self.origin: list[str] = []  # entry -> the listing's entity id
        self.normal: list[str] = []  # entry -> its name, normalised
        for entity in entities:
            for name in entity.names:
                single.append(replace(entity, names=[name]))
                self.origin.append(entity.id)
                self.normal.append(normalise(name.full))
        self.index = EmbeddedIndex(single)

    def finds(
        self, query: str, kind: Kind, party: str, party_of: Mapping[str, str], left_out: str
    ) -> bool:
        """Whether a listing of ``party`` is among the first ``max_candidates`` listings
        the index's keys find for ``query``, its names normalised to ``left_out`` unseen."""
        prepared = prepare_name(query, kind)
        if not prepared.forms:
            return False
        seen: set[str] = set()
        for candidate in self.index.candidates(prepared):
            if self.normal[candidate.entity] == left_out:
                continue
            listing = self.origin[candidate.entity]
            if listing in seen:
                continue
            seen.add(listing)
            if len(seen) > self.index.max_candidates:
                return False
            if party_of[listing] == party:
                return True
        return False


@dataclass(slots=True)
class Share:
    count: int = 0
    hits: int = 0

    def add(self, hit: bool) -> None:
        self.count += 1
        self.hits += hit

    def value(self) -> float | None:
        return round(self.hits / self.count, 4) if self.count else None


@dataclass(slots=True)
class FamilyFigures:
    alert_recall: Share
    false_alerts: Share
    candidate_recall: Share
    typo_candidate_recall: Share
    # over the positives that are spellings of one name (Pair.variant)
    variant_alert_recall: Share
    variant_candidate_recall: Share

    @classmethod
    def empty(cls) -> FamilyFigures:
        return cls(Share(), Share(), Share(), Share(), Share(), Share())

    def to_dict(self) -> dict[str, object]:
        return {
            "variants": self.variant_alert_recall.count,
            "variant_alert_recall": self.variant_alert_recall.value(),
            "variant_candidate_recall": self.variant_candidate_recall.value(),
            "positives": self.alert_recall.count,
            "alert_recall": self.alert_recall.value(),
            "negatives": self.false_alerts.count,
            "false_alert_rate": self.false_alerts.value(),
            "candidate_recall": self.candidate_recall.value(),
            "typo_queries": self.typo_candidate_recall.count,
            "typo_candidate_recall": self.typo_candidate_recall.value(),
        }


def _typo(text: str, script: str, rng: random.Random, tries: int = 4) -> str | None:
    """One typo in ``text``; a draw that finds no place for its kind (a Hangul syllable
    with no final to drop) is drawn again, a few times."""
    for _ in range(tries):
        typo = one_typo(text, script, rng)
        if typo is not None and normalise(typo) != normalise(text):
            return typo
    return None


def typo_sample(pairs: Sequence[Pair], seed: int, per_family: int) -> list[tuple[Pair, str]]:
    """(positive, its query with one typo) for a keyed sample of distinct query names in
    the typo families, of the positives that are spellings of one name."""
    distinct: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        if pair.label == 1 and pair.variant and pair.family in TYPO_FAMILIES:
            distinct.setdefault((pair.query, pair.party), pair)
    by_family: dict[str, list[Pair]] = defaultdict(list)
    for pair in distinct.values():
        by_family[pair.family].append(pair)
    out: list[tuple[Pair, str]] = []
    for family, group in sorted(by_family.items()):
        group.sort(key=lambda p: stable_fraction(seed, "typo", p.party, p.query))
        script = TYPO_FAMILIES[family]
        chosen = 0
        for pair in group:
            typo = _typo(pair.query, script, random.Random(f"{seed}:{pair.query}"))
            if typo is None:
                continue
            out.append((pair, typo))
            chosen += 1
            if chosen >= per_family:
                break
    return out


def check(
    pairs: Sequence[Pair],
    entities: Sequence[Entity],
    *,
    seed: int = DEFAULT_SEED,
    typos_per_family: int = TYPOS_PER_FAMILY,
    names: NameIndex | None = None,
) -> dict[str, FamilyFigures]:
    """The figures per family (and "all") over ``pairs``, against ``entities``."""
    party_of = group_parties(entities).party_of
    names = names or NameIndex(entities)
    rarity = names.index.rarity
    figures: dict[str, FamilyFigures] = defaultdict(FamilyFigures.empty)
    for pair in pairs:
        kind = KINDS_BY_NAME[pair.kind]
        alert = compare(pair.query, pair.listed, kind, rarity).alert
        rows = (figures[pair.family], figures["all"])
        for row in rows:
            (row.alert_recall if pair.label else row.false_alerts).add(alert)
        if pair.label:
            found = names.finds(pair.query, kind, pair.party, party_of, normalise(pair.query))
            for row in rows:
                row.candidate_recall.add(found)
                if pair.variant:
                    row.variant_alert_recall.add(alert)
                    row.variant_candidate_recall.add(found)
    for pair, typo in typo_sample(pairs, seed, typos_per_family):
        kind = KINDS_BY_NAME[pair.kind]
        found = names.finds(typo, kind, pair.party, party_of, normalise(pair.query))
        figures[pair.family].typo_candidate_recall.add(found)
        figures["all"].typo_candidate_recall.add(found)
    parties = {pair.party for pair in pairs}
    rng = random.Random(seed)
    for entity in entities:
        if party_of[entity.id] not in parties or "DPRK" not in " ".join(entity.programs):
            continue
        hangul = hangul_of(entity)
        typed = _typo(hangul, "Hang", rng) if hangul else None
        if typed:
            found = names.finds(typed, entity.kind, party_of[entity.id], party_of, "")
            figures[WRITTEN_BACK].typo_candidate_recall.add(found)
    return dict(figures)


def render(figures: Mapping[str, FamilyFigures], threshold: float) -> str:
    order = [*FAMILIES, WRITTEN_BACK, "all"]
    header = (
        f"{'family':<30}{'variants':>9}{'alert rec':>10}{'cand rec':>9}"
        f"{'positives':>10}{'alert rec':>10}{'cand rec':>9}"
        f"{'negatives':>10}{'false al':>9}{'typo q':>7}{'cand rec':>9}"
    )
    lines = [
        f"alert at score >= {threshold:.2f}; variants: positives that are spellings of one "
        "name; cand rec: the party among the candidates scored, without the query's own name",
        header,
    ]

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    for family in sorted(figures, key=order.index):
        row = figures[family]
        lines.append(
            f"{family:<30}{row.variant_alert_recall.count:>9}"
            f"{cell(row.variant_alert_recall.value()):>10}"
            f"{cell(row.variant_candidate_recall.value()):>9}"
            f"{row.alert_recall.count:>10}{cell(row.alert_recall.value()):>10}"
            f"{cell(row.candidate_recall.value()):>9}"
            f"{row.false_alerts.count:>10}{cell(row.false_alerts.value()):>9}"
            f"{row.typo_candidate_recall.count:>7}{cell(row.typo_candidate_recall.value()):>9}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.corpus_check", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--part", choices=("fit", "check"), default="check")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--typos-per-family", type=int, default=TYPOS_PER_FAMILY)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pairs = read_part(args.corpus / f"{args.part}.jsonl")
    entities = [entity for item in load_latest(args.shared) for entity in item.entities]
    figures = check(pairs, entities, seed=args.seed, typos_per_family=args.typos_per_family)
    threshold = ALERT_THRESHOLD
    took = time.perf_counter() - started
    print(f"{args.part} part of {args.corpus}: {len(pairs)} pairs, {took:.0f} s", file=sys.stderr)
    if args.json:
        data = {family: row.to_dict() for family, row in figures.items()}
        print(json.dumps({"threshold": threshold, "families": data}, indent=2))
    else:
        print(render(figures, threshold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
