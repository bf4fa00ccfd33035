"""Candidate recall, measured apart from ranking: is the right party among the candidates
the scorer is given (the first ``MAX_CANDIDATES`` entities the index's keys find)?

Two sets, both over real list snapshots:

- the screening development set (``eval/screening_dev.csv``) against OFAC SDN, per
  category: a miss here is a party the scorer never saw;
- names of the lists themselves with one typing error each (:mod:`core.typos`: a wrong,
  missing or extra letter, or two swapped, in the name's own script), drawn with a fixed
  seed from OFAC SDN, the UN list and the UK list (the lists ``make run`` serves), per
  script: Latin, Cyrillic, Arabic, Hangul (the lists print few Hangul names: North
  Korean persons' listed names are also written back in Hangul, :func:`hangul_of`).

    python -m indexer.candidate_recall --shared ../shared [--seed 13] [--per-script 400]

Prints, per set: queries, the share whose party is among the scored candidates
("candidates"), among every entity the keys found ("found"), and among the first ten
screened results ("top 10").
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.evaluation import category_group, kind_of
from core.model import Entity, Kind
from core.romanise import korean
from core.score import Query, prepare_name
from core.scripts import detect_script
from core.typos import one_typo
from engines.embedded import EmbeddedIndex
from indexer.registry import parse_list

DEV_LISTS = (("us-ofac-sdn", "us-ofac-sdn/2023-12-28"),)
TYPO_LISTS = (
    ("us-ofac-sdn", "us-ofac-sdn/2023-12-28"),
    ("un-sc", "un-sc/2026-08-01"),
    ("gb-ofsi", "gb-ofsi/2025-04-14"),
)
TYPO_SCRIPTS = ("Latn", "Cyrl", "Arab", "Hang")


@dataclass(slots=True)
class Recall:
    queries: int = 0
    scored: int = 0  # among the first max_candidates candidates
    found: int = 0  # among all candidates
    top10: int = 0  # among the first ten screened results

    def add(self, index: EmbeddedIndex, query: str, kind: Kind | None, expected: str) -> None:
        self.queries += 1
        ids = [index.entities[c.entity].id for c in index.candidates(prepare_name(query, kind))]
        self.found += expected in ids
        self.scored += expected in ids[: index.max_candidates]
        hits = index.screen(Query(query, kind), limit=10)
        self.top10 += any(hit.entity.id == expected for hit in hits)

    def row(self, name: str) -> dict[str, object]:
        def share(n: int) -> float:
            return round(n / self.queries, 4) if self.queries else 0.0

        return {
            "set": name,
            "queries": self.queries,
            "candidates": share(self.scored),
            "found": share(self.found),
            "top10": share(self.top10),
        }


def load(shared: Path, specs: Iterable[tuple[str, str]]) -> list[Entity]:
    entities: list[Entity] = []
    for list_id, folder in specs:
        entities.extend(parse_list(list_id, shared / "lists" / folder).entities)
    return entities


def dev_set_recall(index: EmbeddedIndex, rows: Sequence[dict[str, str]]) -> dict[str, Recall]:
    out: dict[str, Recall] = {}
    for row in rows:
        expected = (row.get("expected") or "").strip()
        if not expected:
            continue
        category = category_group(row.get("category") or "")
        recall = out.setdefault(category, Recall())
        recall.add(index, row["query"], kind_of(row.get("type")), expected)
    total = Recall()
    for recall in out.values():
        total.queries += recall.queries
        total.scored += recall.scored
        total.found += recall.found
        total.top10 += recall.top10
    out["all positives"] = total
    return out


@functools.cache
def _mr_syllables() -> dict[str, str]:
    """McCune-Reischauer spelling → the first Hangul syllable (in code order) spelt so,
    among those with a simple final."""
    out: dict[str, str] = {}
    for code in range(0xAC00, 0xD7A4):
        if (code - 0xAC00) % 28 in _SIMPLE_FINALS:
            out.setdefault(korean.syllable(chr(code), "MR"), chr(code))
    return out


# No final, or one of ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ: the finals names are written with.
_SIMPLE_FINALS = frozenset({0, 1, 4, 8, 16, 17, 21})


def hangul_of(entity: Entity) -> str | None:
    """A North Korean person's listed name ("KIM Jong Un") written back in Hangul (김정은),
    one syllable per given-name token; None when a token is not one MR syllable.

    The lists print few Korean names in Hangul; these stand in for a clerk typing one."""
    if entity.kind is not Kind.PERSON or not entity.names:
        return None
    tokens = entity.names[0].full.replace(",", " ").replace("-", " ").lower().split()
    syllables = _mr_syllables()
    if not 2 <= len(tokens) <= 4 or any(t not in syllables for t in tokens):
        return None
    family = entity.names[0].family
    if family and family.lower() == tokens[0]:
        tokens = tokens[1:] + tokens[:1]  # "KIM, Jong Un": the surname goes first in Hangul
    surname = tokens[-1] if family else tokens[0]
    given = tokens[:-1] if family else tokens[1:]
    return syllables[surname] + "".join(syllables[t] for t in given)


def typo_queries(
    entities: Sequence[Entity], per_script: int, seed: int
) -> dict[str, list[tuple[str, Kind, str, str]]]:
    """Per script, (typo'd name, kind, entity id, name as listed), drawn with ``seed``."""
    rng = random.Random(seed)
    pools: dict[str, list[tuple[str, Kind, str]]] = {script: [] for script in TYPO_SCRIPTS}
    for entity in entities:
        for name in entity.names:
            script = detect_script(name.full)
            if script in pools:
                pools[script].append((name.full, entity.kind, entity.id))
        if "DPRK" in " ".join(entity.programs):
            hangul = hangul_of(entity)
            if hangul is not None:
                pools["Hang"].append((hangul, entity.kind, entity.id))
    out: dict[str, list[tuple[str, Kind, str, str]]] = {}
    for script, pool in pools.items():
        rng.shuffle(pool)
        chosen: list[tuple[str, Kind, str, str]] = []
        for text, kind, entity_id in pool:
            typo = one_typo(text, script, rng)
            if typo is not None and typo != text:
                chosen.append((typo, kind, entity_id, text))
            if len(chosen) >= per_script:
                break
        out[script] = chosen
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.candidate_recall")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--per-script", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--typos-only", action="store_true", help="skip the dev set")
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    if not args.typos_only:
        started = time.perf_counter()
        index = EmbeddedIndex(load(args.shared, DEV_LISTS))
        with (args.shared / "eval" / "screening_dev.csv").open(encoding="utf-8") as handle:
            dev = list(csv.DictReader(handle))
        for name, recall in sorted(dev_set_recall(index, dev).items()):
            rows.append(recall.row(f"dev set: {name}"))
        print(f"dev set over OFAC SDN: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    index = EmbeddedIndex(load(args.shared, TYPO_LISTS))
    for script, queries in typo_queries(index.entities, args.per_script, args.seed).items():
        recall = Recall()
        for typo, kind, entity_id, _listed in queries:
            recall.add(index, typo, kind, entity_id)
        rows.append(recall.row(f"one typo: {script}"))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"candidates = among the first {index.max_candidates} scored; seed {args.seed}")
    print(f"{'set':<36}{'queries':>8}{'candidates':>12}{'found':>8}{'top 10':>8}")
    for row in rows:
        print(
            f"{row['set']!s:<36}{row['queries']!s:>8}{row['candidates']!s:>12}"
            f"{row['found']!s:>8}{row['top10']!s:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
