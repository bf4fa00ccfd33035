"""A labelled corpus of name pairs made from the lists (issue 13): what to fit a score on
and check it with, never the development set it was tuned on.

    python -m indexer.corpus --shared ../shared --output var/corpus [--seed 13]

Over the latest snapshot of each list in ``SHARED/lists`` (one folder per list id, one
folder per snapshot date), the listings are parsed with the registry's parsers and
joined into parties by :mod:`core.links` (UN references, identifiers, names with birth
data). Positives are two names of one party that differ after normalisation: an alias
(two names of one listing, one script family), ``cross_list`` (names two listings of the
party give) and ``cross_script`` (the query in another script family than the listed
name). Each positive says whether its two names read as spellings of one name
(``variant``, :mod:`indexer.corpus_variants`) or are two names of the party ("Stonefly"
and "Jumpy Pisces", a vessel's former name, a translation): a name score is fitted and
checked on the variants. Hard negatives are, for a keyed sample of the positives' query
names, the best-scored names of other parties that the embedded index (all latest lists)
returns, namesakes left out (:mod:`indexer.corpus_pairs`), and kept only where the lists
show the two are different parties (:mod:`indexer.corpus_evidence`: both on one list, a
contradiction, different identifiers of one type or nationalities); two listings the
links did not join are otherwise one party as likely as two, and are dropped. How many
were kept by which evidence and dropped by which reason is ``negative_evidence`` in
``composition.json``.

Large parties and the Latin and Cyrillic families are sampled (:data:`FAMILY_KIND_CAP`,
:data:`NEGATIVE_QUERIES`, ``PER_PARTY_CAP``) so that a build takes about four minutes on
two cores; the Arabic, Chinese, Korean and Japanese families keep every pair.

Each party goes whole to the fit part (about :data:`FIT_SHARE`) or the check part, by a
keyed hash of its id: no name of a checked party is fitted on. Written:
``DIR/fit.jsonl`` and ``DIR/check.jsonl`` (one pair a line, sorted) and
``DIR/composition.json`` (pairs per part x family x kind, and what was read), each to a
temporary name first and then renamed. The same lists and seed give the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.links import PartyGroups, group_parties
from core.model import Entity, ParsedList
from engines.embedded import EmbeddedIndex
from indexer.corpus_evidence import EVIDENCE, UNKNOWN
from indexer.corpus_pairs import (
    FAMILIES,
    PAIR_KINDS,
    RARE_FAMILIES,
    Pair,
    PartyName,
    hard_negatives,
    party_names,
    positive_pairs,
    sort_key,
    stable_fraction,
)
from indexer.corpus_variants import same_name
from indexer.registry import parse_list

DEFAULT_SEED = 13
FIT_SHARE = 0.7
PARTS = ("fit", "check")
# Positives of one family and pair kind kept over all parties, at most, for the families
# the lists print many names in (a keyed sample); the rare families keep all.
FAMILY_KIND_CAP = 15_000
# Query names screened for hard negatives, per family (a keyed sample of the positives'
# query names; the rare families screen all of theirs).
NEGATIVE_QUERIES = 4_000


def latest_snapshots(lists_dir: Path) -> list[tuple[str, Path]]:
    """(list id, its latest snapshot folder) per list folder; snapshot folders are named
    by date ("2026-08-01", "2026-07"), so the greatest name is the latest."""
    out: list[tuple[str, Path]] = []
    for folder in sorted(p for p in lists_dir.iterdir() if p.is_dir()):
        snapshots = sorted(p for p in folder.iterdir() if p.is_dir())
        if snapshots:
            out.append((folder.name, snapshots[-1]))
    return out


def load_latest(shared: Path) -> list[ParsedList]:
    return [parse_list(list_id, path) for list_id, path in latest_snapshots(shared / "lists")]


def part_of(party: str, seed: int, fit_share: float = FIT_SHARE) -> str:
    """The part a party goes to, whole: "fit" or "check"."""
    return "fit" if stable_fraction(seed, "part", party) < fit_share else "check"


@dataclass(slots=True)
class Corpus:
    parts: dict[str, list[Pair]]
    composition: dict[str, Any]


def _capped(pairs: Sequence[Pair], seed: int, cap: int) -> list[Pair]:
    """At most ``cap`` pairs per (family, pair kind) outside the rare families."""
    groups: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[pair.family, pair.pair].append(pair)
    out: list[Pair] = []
    for (family, _kind), group in sorted(groups.items()):
        if family not in RARE_FAMILIES and len(group) > cap:
            group = sorted(
                group, key=lambda p: stable_fraction(seed, "keep", p.party, p.query, p.listed)
            )[:cap]
        out.extend(group)
    return out


def negative_queries(positives: Iterable[Pair], seed: int, per_family: int) -> list[Pair]:
    """One positive per distinct (query name, party, kind), a keyed sample of at most
    ``per_family`` of them per family outside the rare families (all of theirs)."""
    distinct: dict[tuple[str, str, str], Pair] = {}
    for pair in sorted(positives, key=sort_key):
        distinct.setdefault((pair.query, pair.party, pair.kind), pair)
    by_family: dict[str, list[Pair]] = defaultdict(list)
    for pair in distinct.values():
        by_family[pair.family].append(pair)
    out: list[Pair] = []
    for family, pairs in sorted(by_family.items()):
        if family not in RARE_FAMILIES and len(pairs) > per_family:
            pairs = sorted(
                pairs, key=lambda p: stable_fraction(seed, "negative", p.party, p.query)
            )[:per_family]
        out.extend(pairs)
    return out


def composition(parts: Mapping[str, Sequence[Pair]]) -> dict[str, Any]:
    """Pairs per part x family x pair kind, parties per part, and per entity kind."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    variants: dict[str, dict[str, dict[str, int]]] = {}
    for part, pairs in parts.items():
        counts = Counter((p.family, p.pair) for p in pairs)
        alike = Counter((p.family, p.pair) for p in pairs if p.variant)
        families = [f for f in FAMILIES if any(counts[f, kind] for kind in PAIR_KINDS)]
        table[part] = {f: {kind: counts[f, kind] for kind in PAIR_KINDS} for f in families}
        variants[part] = {f: {kind: alike[f, kind] for kind in PAIR_KINDS[:3]} for f in families}
    return {
        "pairs": {part: len(pairs) for part, pairs in parts.items()},
        "variants": {part: sum(p.variant for p in pairs) for part, pairs in parts.items()},
        "parties": {part: len({p.party for p in pairs}) for part, pairs in parts.items()},
        "by_family_and_pair": table,
        # the positives that read as spellings of one name (indexer.corpus_variants)
        "variants_by_family_and_pair": variants,
        "by_entity_kind": {
            part: dict(sorted(Counter(f"{p.kind}:{p.label}" for p in pairs).items()))
            for part, pairs in parts.items()
        },
    }


def negative_evidence(tally: Mapping[tuple[str, str, str], int], seed: int) -> dict[str, Any]:
    """Per part and query family, the names of other parties retrieval put beside a
    query: how many were kept as hard negatives by each kind of evidence that they are
    another party (:mod:`indexer.corpus_evidence`), and how many were left out and why
    (namesakes, a shared date of birth, a spelling of the query, no evidence: unknown)."""
    table: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for (party, family, cause), count in sorted(tally.items()):
        side = "kept" if cause in EVIDENCE else "dropped"
        row = table.setdefault(part_of(party, seed), {}).setdefault(family, {})
        cell = row.setdefault(side, {})
        cell[cause] = cell.get(cause, 0) + count
    return {
        "rule": (
            "a retrieved name of another party is a hard negative only where the lists "
            "show the two are different parties (indexer.corpus_evidence: same list, a "
            "contradiction of core.contradictions, different identifiers of one type, "
            f"different nationalities); otherwise '{UNKNOWN}' and dropped"
        ),
        "by_part_and_family": {part: table[part] for part in PARTS if part in table},
    }


def build_corpus(
    parsed: Sequence[ParsedList],
    *,
    seed: int = DEFAULT_SEED,
    family_kind_cap: int = FAMILY_KIND_CAP,
    negative_queries_per_family: int = NEGATIVE_QUERIES,
    index: EmbeddedIndex | None = None,
    groups: PartyGroups | None = None,
    log: Any = None,
) -> Corpus:
    """The corpus of these lists: parties, positives, hard negatives, the parts."""
    started = time.perf_counter()

    def say(text: str) -> None:
        if log is not None:
            print(f"[{time.perf_counter() - started:5.0f} s] {text}", file=log, flush=True)

    entities: list[Entity] = [entity for item in parsed for entity in item.entities]
    groups = groups or group_parties(entities)
    say(f"{len(entities)} listings, {len(groups.members)} parties")
    by_id = {entity.id: entity for entity in entities}
    members = {pid: [by_id[i] for i in ids] for pid, ids in groups.members.items()}
    positives: list[Pair] = []
    for pid in sorted(members):
        names: list[PartyName] = party_names(members[pid])
        if len(names) > 1:
            positives.extend(positive_pairs(pid, names, seed))
    found = len(positives)
    positives = [
        replace(p, variant=same_name(p.query, p.listed))
        for p in _capped(positives, seed, family_kind_cap)
    ]
    variants = sum(p.variant for p in positives)
    say(f"{found} positives, {len(positives)} kept, {variants} of them spellings of one name")
    if index is None:
        index = EmbeddedIndex(entities)
        say(f"embedded index: {index.name_count} names")
    queries = negative_queries(positives, seed, negative_queries_per_family)
    tally: Counter[tuple[str, str, str]] = Counter()
    negatives = hard_negatives(index, queries, groups.party_of, members, tally)
    dropped = sum(n for (_p, _f, cause), n in tally.items() if cause not in EVIDENCE)
    say(
        f"{len(queries)} query names screened: {len(negatives)} hard negatives, "
        f"{dropped} names of other parties left out"
    )
    parts: dict[str, list[Pair]] = {part: [] for part in PARTS}
    for pair in positives + negatives:
        parts[part_of(pair.party, seed)].append(pair)
    for pairs in parts.values():
        pairs.sort(key=sort_key)
    summary = composition(parts)
    summary["negative_evidence"] = negative_evidence(tally, seed)
    summary["seed"] = seed
    summary["fit_share"] = FIT_SHARE
    summary["lists"] = {
        item.list_id: {
            "published": item.published.isoformat() if item.published else None,
            "listings": len(item.entities),
        }
        for item in parsed
    }
    summary["listings"] = len(entities)
    summary["parties_on_lists"] = len(groups.members)
    summary["linked_parties"] = sum(1 for ids in groups.members.values() if len(ids) > 1)
    return Corpus(parts, summary)


def _write_atomically(path: Path, lines: Iterable[str]) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
    os.replace(temporary, path)


def write_corpus(corpus: Corpus, output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for part, pairs in corpus.parts.items():
        rows = (json.dumps(p.to_dict(), ensure_ascii=False, sort_keys=True) for p in pairs)
        _write_atomically(output / f"{part}.jsonl", rows)
    text = json.dumps(corpus.composition, ensure_ascii=False, indent=2, sort_keys=True)
    _write_atomically(output / "composition.json", [text])


def read_part(path: Path) -> list[Pair]:
    """The pairs of a part file; a line that is not a corpus pair stops the command with
    its file and line number."""
    pairs: list[Pair] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                pair = Pair.from_dict(json.loads(line))
            except (ValueError, KeyError, TypeError) as error:
                raise SystemExit(f"{path}:{number}: not a corpus pair ({error!r})") from None
            if pair.label not in (0, 1):
                raise SystemExit(f"{path}:{number}: label must be 1 or 0")
            pairs.append(pair)
    return pairs


def render_composition(summary: Mapping[str, Any]) -> str:
    lines = [
        f"{summary['listings']} listings, {summary['parties_on_lists']} parties "
        f"({summary['linked_parties']} on more than one list), seed {summary['seed']}",
    ]
    kinds = PAIR_KINDS
    header = f"{'part':<7}{'family':<10}" + "".join(f"{k:>15}" for k in kinds) + f"{'all':>9}"
    lines += ["", "positives: all (of them spellings of one name)", header]
    for part, table in summary["by_family_and_pair"].items():
        for family, counts in table.items():
            alike = summary["variants_by_family_and_pair"][part][family]
            cells = "".join(
                f"{counts[k]:>7} ({alike[k]:>5})" if k in alike else f"{counts[k]:>15}"
                for k in kinds
            )
            lines.append(f"{part:<7}{family:<10}{cells}{sum(counts.values()):>9}")
        lines.append(
            f"{part:<7}{'all':<10}" + " " * 15 * len(kinds) + f"{summary['pairs'][part]:>9}"
            f"  ({summary['parties'][part]} parties)"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.corpus", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    parsed = load_latest(args.shared)
    print(f"parsed {len(parsed)} lists in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    corpus = build_corpus(parsed, seed=args.seed, log=sys.stderr)
    write_corpus(corpus, args.output)
    print(render_composition(corpus.composition))
    print(f"written to {args.output} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
