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
recomputes the same totals in double precision from the keys of the names returned, so
near-ties are broken as the embedded index breaks them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.keys import DEFAULT_PHONETIC, glued_keys, token_keys
from core.score import PreparedName
from engines.embedded import COMMON_KEY_SHARE

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


def name_total(keys: Iterable[str], candidate: CandidatePlan, stats: KeyStats) -> float | None:
    """A name's candidate score from its keys, summed as the embedded index sums it; None
    when the embedded index would not count the name a candidate at all.

    With rare keys, a name is a candidate when one of them has a positive weight (a key on
    every name of a tiny index weighs 0 and finds nothing there either).
    """
    have = set(keys)
    if candidate.common_only:
        found = [stats.weight(k) for group in candidate.groups for k in group if k in have]
        return sum(found) if found else None
    if not any(stats.weight(k) > 0 for k in candidate.rare_keys if k in have):
        return None
    return sum(
        max((stats.weight(k) for k in group if k in have), default=0.0)
        for group in candidate.groups
    )


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
    nested = {
        "nested": {
            "path": "names",
            "score_mode": "max",
            "query": name_query,
            "inner_hits": {
                "size": 100,
                "_source": ["names.position", "names.keys"],
            },
        }
    }
    return {
        "size": size,
        "track_total_hits": False,
        "_source": ["entity"],
        "query": {"bool": {"must": [nested], "filter": filters}},
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


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entity the server returned: its source and matched names, best first."""

    entity_id: str
    source: Mapping[str, Any]
    total: float
    positions: tuple[int, ...]  # positions in entity.names, best total first


def rank_entities(
    hits: Sequence[Mapping[str, Any]], candidate: CandidatePlan, stats: KeyStats
) -> list[Candidate]:
    """Entities by their best name's exact total (server order breaks ties)."""
    ranked: list[Candidate] = []
    for hit in hits:
        scored: list[tuple[float, int]] = []
        for inner in hit["inner_hits"]["names"]["hits"]["hits"]:
            name = inner["_source"]
            total = name_total(name.get("keys", ()), candidate, stats)
            if total is not None:
                scored.append((total, int(name["position"])))
        if not scored:
            continue
        scored.sort(key=lambda item: -item[0])
        ranked.append(
            Candidate(
                entity_id=str(hit["_id"]),
                source=hit["_source"],
                total=scored[0][0],
                positions=tuple(position for _total, position in scored),
            )
        )
    ranked.sort(key=lambda c: -c.total)
    return ranked
