"""The candidate query: built once, from the matching core's keys, for either server.

The embedded index (:meth:`engines.embedded.EmbeddedIndex.candidates`) ranks listed names
by the keys they share with the query: each *group* of keys (the keys of one query token,
or one glued key) adds the weight of its best shared key, ``log((N + 1) / (df + 1))``
where ``df`` is the number of names posted under the key and ``N`` the number of names.
Keys on more than :data:`COMMON_KEY_SHARE` of the names ("mohammed", a legal form) only add
to names that rarer keys found, unless the query has nothing rarer.

The server query reproduces that sum exactly, not approximately: each key is a
``constant_score`` term clause whose boost *is* its weight (computed here from document
frequencies the server counted, not from the server's own BM25 statistics, which differ per
shard and per engine), each group a ``dis_max`` of its keys, the groups a ``bool/should``,
the rare keys a ``filter``, all inside a ``nested`` query with ``score_mode: max`` so an
entity ranks by its best name. The server's scores are float32 sums; :func:`rank_entities`
recomputes the same totals in double precision from the names' keys (in ``_source``),
adding the weights in the embedded index's order (rare keys group by group, then common
keys), so they are equal to the last bit.

Ties, exact ones included, are broken as the embedded index breaks them: entities by their
position on the lists (the documents' ``ordinal``, which the server also sorts on after the
score, so which tied entities fill the fetched window does not depend on shards or on
Lucene's document order), names of one entity by their position in ``entity.names``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.keys import DEFAULT_PHONETIC, glued_keys, token_keys
from core.score import PreparedName
from engines.embedded import COMMON_KEY_SHARE
from engines.mapping import ORDINAL_FIELD

KeyGroup = frozenset[str]


def key_groups(query: PreparedName, phonetic: str = DEFAULT_PHONETIC) -> list[KeyGroup]:
    """The query's key groups, in the embedded index's order (one per token, per glued key)."""
    groups: list[KeyGroup] = []
    for form in query.forms:
        groups.extend(frozenset(token_keys(t, phonetic)) for t in form.tokens)
        groups.extend(frozenset({key}) for key in glued_keys(form.tokens, phonetic))
    return [group for group in groups if group]


@dataclass(frozen=True, slots=True)
class KeyStats:
    """How many names the index holds and how many are posted under each query key."""

    names: int
    frequencies: Mapping[str, int]

    @property
    def common_limit(self) -> int:
        return max(50, int(COMMON_KEY_SHARE * self.names))

    def weight(self, key: str) -> float:
        df = self.frequencies.get(key, 0)
        return math.log((self.names + 1) / (df + 1)) if df else 0.0

    def found(self, key: str) -> bool:
        return self.frequencies.get(key, 0) > 0

    def rare(self, key: str) -> bool:
        return 0 < self.frequencies.get(key, 0) <= self.common_limit


@dataclass(frozen=True, slots=True)
class CandidatePlan:
    """Which keys the query sends, and how a name's total is summed from them."""

    groups: tuple[tuple[str, ...], ...]  # found keys of each group that has any
    rare_keys: tuple[str, ...]  # empty: common-only mode (every found key simply adds)
    keys: frozenset[str] = field(init=False)  # every key sent

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(k for group in self.groups for k in group))

    @property
    def common_only(self) -> bool:
        return not self.rare_keys


def plan(groups: Sequence[KeyGroup], stats: KeyStats) -> CandidatePlan | None:
    """The keys worth sending, or None when no key of the query is in the index."""
    found = tuple(tuple(sorted(k for k in group if stats.found(k))) for group in groups)
    found = tuple(group for group in found if group)
    if not found:
        return None
    rare = tuple(sorted({k for group in found for k in group if stats.rare(k)}))
    return CandidatePlan(found, rare)


class NameTotals:
    """A name's candidate score from its keys, summed as the embedded index sums it, for
    one query: the keys' weights are computed once, not once per name (a query ranks
    hundreds of names)."""

    def __init__(self, candidate: CandidatePlan, stats: KeyStats) -> None:
        self.keys = candidate.keys
        self.common_only = candidate.common_only
        weights = {key: stats.weight(key) for key in candidate.keys}
        rare = set(candidate.rare_keys)
        self.positive_rare = frozenset(k for k in candidate.rare_keys if weights[k] > 0)
        # Per group, (key, weight) of its rare and of its common keys, each sorted by key.
        self.groups = tuple(
            (
                tuple((k, weights[k]) for k in group if k in rare),
                tuple((k, weights[k]) for k in group if k not in rare),
            )
            for group in candidate.groups
        )
        # The groups each key is in: a name visits only the groups it shares keys with
        # (the others add 0.0, which changes no sum).
        self.key_groups: dict[str, list[int]] = {}
        for number, group in enumerate(candidate.groups):
            for key in group:
                self.key_groups.setdefault(key, []).append(number)

    def __call__(self, keys: Iterable[str]) -> float | None:
        """None when the embedded index would not count the name a candidate at all.

        With rare keys, a name is a candidate when one of them has a positive weight (a key
        on every name of a tiny index weighs 0 and finds nothing there either).
        """
        have = self.keys.intersection(keys)
        if not have:
            return None  # most names of an entity with many (only one of them matched)
        touched = sorted({number for key in have for number in self.key_groups[key]})
        if self.common_only:
            found = [w for g in touched for k, w in self.groups[g][1] if k in have]
            return sum(found) if found else None
        if self.positive_rare.isdisjoint(have):
            return None
        # The embedded index's order of additions (float sums depend on it): each group's
        # best rare key first, group by group; then, group by group, a common key better
        # than the group's best so far adds the difference.
        total = 0.0
        bests: list[float] = []
        for g in touched:
            best = max((w for k, w in self.groups[g][0] if k in have), default=0.0)
            total += best
            bests.append(best)
        for g, best in zip(touched, bests, strict=True):
            for key, weight in self.groups[g][1]:  # sorted, as the embedded index walks them
                if key in have and best < weight:
                    total += weight - best
                    best = weight
        return total


def name_total(keys: Iterable[str], candidate: CandidatePlan, stats: KeyStats) -> float | None:
    """One name's total (:class:`NameTotals`; build that once to rank many names)."""
    return NameTotals(candidate, stats)(keys)


def _key_clause(key: str, weight: float) -> dict[str, Any]:
    return {"constant_score": {"filter": {"term": {"names.keys": key}}, "boost": weight}}


def candidate_query(
    candidate: CandidatePlan,
    stats: KeyStats,
    *,
    size: int,
    lists: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    countries: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The search body: entities ranked by their best name's total, with the matched names.

    A pure function of the plan and the statistics, sent as is to Elasticsearch or
    OpenSearch (both accept every clause used here).
    """
    name_query: dict[str, Any]
    if candidate.common_only:
        clauses = [_key_clause(k, stats.weight(k)) for group in candidate.groups for k in group]
        name_query = {"bool": {"should": clauses, "minimum_should_match": 1}}
    else:
        should = [
            {"dis_max": {"queries": [_key_clause(k, stats.weight(k)) for k in group]}}
            for group in candidate.groups
        ]
        name_query = {
            "bool": {
                "filter": [{"terms": {"names.keys": list(candidate.rare_keys)}}],
                "should": should,
            }
        }
    filters: list[dict[str, Any]] = []
    if lists:
        filters.append({"terms": {"list_id": list(lists)}})
    if kinds:
        filters.append({"terms": {"kind": list(kinds)}})
    if countries:
        filters.append({"terms": {"countries": list(countries)}})
    nested = {"nested": {"path": "names", "score_mode": "max", "query": name_query}}
    return {
        "size": size,
        "track_total_hits": False,
        # The names' keys come with the entity: :func:`rank_entities` finds the names that
        # matched from them. ``inner_hits`` would say the same at the price of one nested
        # search per hit: two thirds of the server's time (deploy/cluster.md).
        "_source": ["entity", "names", "party"],
        "query": {"bool": {"must": [nested], "filter": filters}},
        # Equal scores by list position; an index built before the field sorts them last,
        # in server order.
        "sort": [
            {"_score": {"order": "desc"}},
            {ORDINAL_FIELD: {"order": "asc", "unmapped_type": "integer"}},
        ],
    }


def identifier_query(
    terms: Sequence[str], *, size: int, lists: Sequence[str] | None = None
) -> dict[str, Any]:
    """The entities carrying one of ``terms`` (``identifiers`` values), in list order."""
    filters: list[dict[str, Any]] = [{"terms": {"identifiers": list(terms)}}]
    if lists:
        filters.append({"terms": {"list_id": list(lists)}})
    return {
        "size": size,
        "track_total_hits": False,
        "_source": ["entity", "party"],
        "query": {"bool": {"filter": filters}},
        "sort": [{ORDINAL_FIELD: {"order": "asc", "unmapped_type": "integer"}}],
    }


def party_query(party_id: str, *, size: int) -> dict[str, Any]:
    """The documents of one party's listings."""
    return {
        "size": size,
        "track_total_hits": False,
        "_source": ["entity", "party"],
        "query": {"bool": {"filter": [{"term": {"party_id": party_id}}]}},
        "sort": [{ORDINAL_FIELD: {"order": "asc", "unmapped_type": "integer"}}],
    }


def frequency_query(keys: Sequence[str]) -> dict[str, Any]:
    """A body counting the names posted under each key (``filters`` inside ``nested``)."""
    return {
        "size": 0,
        "track_total_hits": False,
        "aggs": {
            "names": {
                "nested": {"path": "names"},
                "aggs": {
                    "keys": {
                        "filters": {
                            "filters": {
                                str(i): {"term": {"names.keys": key}} for i, key in enumerate(keys)
                            }
                        }
                    }
                },
            }
        },
    }


def read_frequencies(keys: Sequence[str], answer: Mapping[str, Any]) -> dict[str, int]:
    buckets = answer["aggregations"]["names"]["keys"]["buckets"]
    return {key: int(buckets[str(i)]["doc_count"]) for i, key in enumerate(keys)}


# The ordinal of a document without one (an index built before the field): after all others.
NO_ORDINAL = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entity the server returned: its source and matched names, best first."""

    entity_id: str
    source: Mapping[str, Any]
    total: float
    positions: tuple[int, ...]  # positions in entity.names, best total first
    ordinal: int = NO_ORDINAL  # position on the lists, for ties


def _ordinal(hit: Mapping[str, Any]) -> int:
    """The hit's list position, from the sort values the query asked for."""
    values: Sequence[Any] = hit.get("sort") or ()
    value = values[1] if len(values) > 1 else None
    return int(value) if isinstance(value, int | float) and value < NO_ORDINAL else NO_ORDINAL


def rank_entities(
    hits: Sequence[Mapping[str, Any]], candidate: CandidatePlan, stats: KeyStats
) -> list[Candidate]:
    """Entities by their best name's exact total, ties by list position (then server
    order, for documents without one); each entity's names likewise, ties by position.

    An entity's matching names are those with a total: exactly the names the nested query
    matched (:func:`name_total` applies its conditions), which the embedded index scores.
    """
    name_total = NameTotals(candidate, stats)
    ranked: list[Candidate] = []
    for hit in hits:
        scored: list[tuple[float, int]] = []
        for name in hit["_source"].get("names", ()):
            total = name_total(name.get("keys", ()))
            if total is not None:
                scored.append((total, int(name["position"])))
        if not scored:
            continue
        scored.sort(key=lambda item: (-item[0], item[1]))
        ranked.append(
            Candidate(
                entity_id=str(hit["_id"]),
                source=hit["_source"],
                total=scored[0][0],
                positions=tuple(position for _total, position in scored),
                ordinal=_ordinal(hit),
            )
        )
    ranked.sort(key=lambda c: (-c.total, c.ordinal))
    return ranked
