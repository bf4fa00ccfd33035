"""Labelled name pairs made from the lists themselves: the pieces of :mod:`indexer.corpus`.

The lists say which of their names belong to one party: every listing gives several
names (aliases, original-script names, the UK's non-Latin columns, DFAT's original-script
rows), and :mod:`core.links` joins the listings different lists publish for one party.
Two names of one party that differ after normalisation are a *positive* pair, the kind
a matcher must alert on. A *hard negative* is a name of another party that retrieval puts
beside a query name, the kind a matcher must not alert on; namesakes (the same normalised
name, however ordered) are left out, as dates of birth and identifiers decide those by
design, and so is any name of another party the lists give no evidence is another party
(:mod:`indexer.corpus_evidence`).

Every choice here (which pairs a large party keeps, which parties go to the fit part) is
made by a keyed hash, never by set or dictionary order, so one input gives one corpus.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.contradictions import full_birth_dates
from core.model import Entity, Kind, NameRole
from core.normalise import normalise
from core.score import Query
from core.scripts import detect_script
from engines.embedded import EmbeddedIndex
from indexer.corpus_evidence import UNKNOWN, different_parties
from indexer.corpus_variants import same_name

# ISO 15924 code (core.scripts.detect_script) -> the script family a pair is counted in.
FAMILY_OF_SCRIPT: dict[str, str] = {
    "Latn": "latin",
    "Cyrl": "cyrillic",
    "Arab": "arabic",
    "Hani": "chinese",
    "Hang": "korean",
    "Jpan": "japanese",
    "Hira": "japanese",
    "Kana": "japanese",
}
FAMILIES = ("latin", "cyrillic", "arabic", "chinese", "korean", "japanese", "other")
# Families the lists print few names in: every pair of theirs is kept, never sampled.
RARE_FAMILIES = frozenset({"arabic", "chinese", "korean", "japanese"})
PAIR_KINDS = ("alias", "cross_list", "cross_script", "hard_negative")
# The entity kinds as the corpus writes them (the model spells "organization").
KIND_NAMES: dict[Kind, str] = {
    Kind.PERSON: "person",
    Kind.ORGANIZATION: "organisation",
    Kind.VESSEL: "vessel",
    Kind.AIRCRAFT: "aircraft",
}
KINDS_BY_NAME = {name: kind for kind, name in KIND_NAMES.items()}

# One party's positives of one pair kind and one query family, at most (Al-Qaida's
# hundreds of spellings would otherwise outweigh a thousand parties of two names each).
# Rare families keep every pair.
PER_PARTY_CAP = 12
# Hard negatives per query name: the best-scored few of another party.
NEGATIVES_PER_QUERY = 3
# Screened results scanned per query for those negatives.
NEGATIVE_SCAN = 12


def script_family(text: str) -> str:
    """The script family of a name: latin, cyrillic, arabic, chinese, korean, japanese
    (any kana), or other."""
    script = detect_script(text)
    return FAMILY_OF_SCRIPT.get(script or "", "other")


def stable_fraction(seed: int, *parts: str) -> float:
    """A number in [0, 1) fixed by ``seed`` and ``parts``, the same in every process."""
    text = "\x1f".join((str(seed), *parts))
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def namesake_key(text: str) -> str:
    """A name as its sorted normalised tokens: two names with one key are namesakes."""
    return " ".join(sorted(normalise(text).split()))


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled pair, as a line of the corpus."""

    query: str
    listed: str
    kind: str  # the entity kind: person | organisation | vessel | aircraft
    label: int  # 1: one party; 0: two parties
    pair: str  # alias | cross_list | cross_script | hard_negative
    family: str  # the query name's script family
    party: str  # the party of the query name
    listing: str  # the listed name's listing, "list_id:entity_id"
    # The two names read as spellings of one name (indexer.corpus_variants), not as two
    # names of one party ("Stonefly", "Jumpy Pisces"); always False for a negative.
    variant: bool = False
    # A negative's evidence that its two sides are two parties (indexer.corpus_evidence:
    # "same_list", "birth_date", ...); "" for a positive.
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "listed": self.listed,
            "kind": self.kind,
            "label": self.label,
            "pair": self.pair,
            "family": self.family,
            "party": self.party,
            "listing": self.listing,
            "variant": self.variant,
            "evidence": self.evidence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pair:
        return cls(
            str(data["query"]),
            str(data["listed"]),
            str(data["kind"]),
            int(data["label"]),
            str(data["pair"]),
            str(data["family"]),
            str(data["party"]),
            str(data["listing"]),
            bool(data.get("variant", False)),
            str(data.get("evidence", "")),
        )


@dataclass(frozen=True, slots=True)
class PartyName:
    """A name one listing of a party gives."""

    text: str
    normal: str
    family: str
    listing: str
    kind: str


def party_names(entities: Iterable[Entity]) -> list[PartyName]:
    """The names of the listings worth pairing: not the lists' weak aliases (OFAC's
    "weak", the UN's "low quality": short nicknames the lists themselves do not screen
    on), and at most one of each normalised spelling per listing."""
    out: list[PartyName] = []
    for entity in entities:
        seen: set[str] = set()
        for name in entity.names:
            if name.role is NameRole.WEAK:
                continue
            normal = normalise(name.full)
            if not any(ch.isalpha() for ch in normal) or normal in seen:
                continue
            seen.add(normal)
            family = script_family(name.full)
            out.append(PartyName(name.full, normal, family, entity.id, KIND_NAMES[entity.kind]))
    return out


def _pair_kind(query: PartyName, listed: PartyName) -> str:
    if query.family != listed.family:
        return "cross_script"
    return "alias" if query.listing == listed.listing else "cross_list"


# When one pair of spellings occurs several ways, the kind it is counted as.
_KIND_ORDER = {"cross_script": 0, "alias": 1, "cross_list": 2}


def positive_pairs(party: str, names: Sequence[PartyName], seed: int) -> list[Pair]:
    """Every ordered pair of one party's names that differ after normalisation, one per
    pair of spellings; where a kind of pair in a family (latin, cyrillic, other) holds more
    than :data:`PER_PARTY_CAP`, a keyed sample of them."""
    best: dict[tuple[str, str], tuple[int, str, str, PartyName, PartyName]] = {}
    for query in names:
        for listed in names:
            if query.normal == listed.normal:
                continue
            kind = _pair_kind(query, listed)
            rank = (_KIND_ORDER[kind], query.listing, listed.listing, query, listed)
            held = best.get((query.normal, listed.normal))
            if held is None or rank[:3] < held[:3]:
                best[query.normal, listed.normal] = rank
    groups: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for _order, _q, _l, query, listed in best.values():
        kind = _pair_kind(query, listed)
        pair = Pair(
            query.text, listed.text, listed.kind, 1, kind, query.family, party, listed.listing
        )
        groups[query.family, kind].append(pair)
    out: list[Pair] = []
    for (family, _kind), pairs in groups.items():
        if family not in RARE_FAMILIES and len(pairs) > PER_PARTY_CAP:
            pairs.sort(key=lambda p: stable_fraction(seed, "cap", party, p.query, p.listed))
            pairs = pairs[:PER_PARTY_CAP]
        out.extend(pairs)
    return sorted(out, key=sort_key)


def sort_key(pair: Pair) -> tuple[str, str, str, str, str]:
    return (pair.party, pair.pair, pair.query, pair.listed, pair.listing)


def _birth_dates(entities: Iterable[Entity]) -> frozenset[str]:
    return frozenset(date for entity in entities for date in full_birth_dates(entity))


# Why a retrieved name of another party is not a hard negative (besides lacking evidence).
NAMESAKE = "namesake"  # the same sorted normalised tokens as a name of the query's party
SAME_BIRTH_DATE = "same_birth_date"  # a person born on a full date the query's party gives
SPELLING = "spelling"  # the listed name reads as a spelling of the query's


def hard_negatives(
    index: EmbeddedIndex,
    queries: Sequence[Pair],
    party_of: Mapping[str, str],
    members: Mapping[str, Sequence[Entity]],
    tally: Counter[tuple[str, str, str]] | None = None,
) -> list[Pair]:
    """For each query (a positive's query name, its party and kind), the best-scored
    names of other parties among what the index retrieves for it, same kind only, that
    the lists show to be another party (:func:`indexer.corpus_evidence.different_parties`;
    the cause is the pair's ``evidence``).

    Left out: namesakes (a candidate with a name of the same sorted normalised tokens as
    the query or as any name of the query's party, or a listed name that reads as a
    spelling of the query's, :func:`indexer.corpus_variants.same_name`: two parties so
    named are a hit by design), persons born on a full date a listing of the query's
    party gives (one person the links did not join, most likely, not a negative), and
    any other party without evidence that it is another party ("unknown"). ``tally``
    counts, per (query party, query family, cause), the negatives kept by each kind of evidence and
    the names left out by each reason, among the names scanned."""
    out: list[Pair] = []
    tally = Counter() if tally is None else tally
    party_keys: dict[str, frozenset[str]] = {}
    for query in queries:
        kind = KINDS_BY_NAME[query.kind]
        if query.party not in party_keys:
            party_keys[query.party] = frozenset(
                namesake_key(name.full) for entity in members[query.party] for name in entity.names
            )
        keys = party_keys[query.party] | {namesake_key(query.query)}
        born = _birth_dates(members[query.party]) if kind is Kind.PERSON else frozenset()
        found = 0
        for hit in index.screen(Query(query.query, kind), limit=NEGATIVE_SCAN, kinds=[kind]):
            entity = hit.entity
            other = party_of[entity.id]
            if other == query.party:
                continue
            if any(namesake_key(name.full) in keys for name in entity.names):
                tally[query.party, query.family, NAMESAKE] += 1
                continue
            if born and born & full_birth_dates(entity):
                tally[query.party, query.family, SAME_BIRTH_DATE] += 1
                continue
            listed = hit.explanation.name.listed_name
            if same_name(query.query, listed):
                tally[query.party, query.family, SPELLING] += 1
                continue
            evidence = different_parties(members[query.party], members[other])
            tally[query.party, query.family, evidence] += 1
            if evidence == UNKNOWN:
                continue
            out.append(
                Pair(
                    query.query,
                    listed,
                    query.kind,
                    0,
                    "hard_negative",
                    query.family,
                    query.party,
                    entity.id,
                    evidence=evidence,
                )
            )
            found += 1
            if found >= NEGATIVES_PER_QUERY:
                break
    return out
