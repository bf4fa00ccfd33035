"""From engine hits to the answer of the API.

Kept apart from the HTTP routes so the rules are in one readable place: matches below
``min_score`` are left out; matches are sorted by score, highest first; grouped (the
default), a listed party is one match, the listing of it that decides its outcome (the
best-scoring one still in force), naming every listing of that party, each with its own
``alert`` (it scored at or above the threshold among this screening's hits and is still in
force); a party is "alert" when any of its matches alerts, the document when any party
does. Recorded decisions then clear listings one by one (:mod:`service.decisions`); the
audit record is :func:`service.audit.audit_record`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from core.model import Kind
from core.parties import Party as ListedParty
from core.parties import single_party
from core.score import Explanation, Query
from engines.base import Engine, EngineUnavailable, Hit, IndexInfo, ListInfo
from service.outcomes import ended_on, hit_outcome, outcome_weight
from service.schemas import (
    Decision,
    ListVersionOut,
    MatchListingOut,
    MatchOut,
    Party,
    PartyResult,
)
from service.sentences import reason

T = TypeVar("T")

# Screenings of one request against one index version before giving up (503).
SCREEN_ATTEMPTS = 3
# Grouped, a request for N parties asks the engine for this many times N listings: the
# engines score the same candidates whatever the limit, so it costs only the grouping.
PARTY_FETCH_FACTOR = 3


def engine_limit(limit: int, group: bool) -> int:
    """How many listings to ask the engine for, to answer ``limit`` matches."""
    return limit * PARTY_FETCH_FACTOR if group else limit


async def on_one_version(
    engine: Engine, run: Callable[[IndexInfo], Awaitable[T]]
) -> tuple[IndexInfo, T]:
    """``run`` on the index as it is, and that index's info, from one and the same version.

    An answer names the index version it was screened against. A server engine notices an
    alias swap (a refresh) during a search, so the version read before may be stale by the
    end: then the request is screened again on the new version.
    """
    for _attempt in range(SCREEN_ATTEMPTS):
        info = await engine.info()
        result = await run(info)
        if (await engine.info()).version == info.version:
            return info, result
    raise EngineUnavailable("the index changed during every attempt to screen")


def plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies: the explanation is frozen and only
    read, and this is the costliest step of answering when asdict does it."""
    fields = getattr(type(value), "__dataclass_fields__", None)
    if fields is not None:
        return {name: plain(getattr(value, name)) for name in fields}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def explanation_dict(explanation: Explanation) -> dict[str, Any]:
    """The same dictionary as ``Explanation.to_dict()``, built faster."""
    result: dict[str, Any] = plain(explanation)
    result["alert"] = explanation.alert
    return result


def query_of(party: Party) -> Query:
    return Query(
        name=party.name or "",
        kind=Kind(party.type) if party.type else None,
        country=party.country,
        birth_date=party.date_of_birth,
        identifiers=party.identifier_keys(),
    )


def party_of(hit: Hit) -> ListedParty:
    """The hit's party; a listing of an engine that knows no links is a party alone."""
    return hit.party if hit.party is not None else single_party(hit.entity)


def match_out(hit: Hit, query: str, listing_hits: Mapping[str, Hit] | None = None) -> MatchOut:
    """The match of ``hit``; ``listing_hits`` (this screening's kept hits by entity id) say
    which of the party's listings alert (a listing without a hit does not)."""
    entity = hit.entity
    party = party_of(hit)
    found = listing_hits if listing_hits is not None else {entity.id: hit}
    return MatchOut(
        entity_id=entity.id,
        list_id=entity.list_id,
        score=hit.score,
        alert=hit.alert,
        name=entity.primary_name,
        matched_name=hit.explanation.name.listed_name,
        kind=entity.kind.value,
        programs=list(entity.programs),
        reason=reason(query, hit.explanation, entity.kind.value, ended_on(hit)),
        explanation=explanation_dict(hit.explanation),
        listing_ends_on=entity.ends_on,
        listing_ended=hit.listing_ended,
        party_id=party.id,
        listings=[
            MatchListingOut(
                list_id=listing.list_id,
                entity_id=listing.entity_id,
                name=listing.name,
                programs=list(listing.programs),
                listed_on=listing.listed_on,
                alert=listing.entity_id in found and found[listing.entity_id].alert,
            )
            for listing in party.listings
        ],
    )


def _kept(hits: Sequence[Hit], min_score: float) -> list[Hit]:
    return sorted(
        (hit for hit in hits if hit.score >= min_score), key=lambda h: (-h.score, h.entity.id)
    )


def kept_hits(
    hits: Sequence[Hit], min_score: float, *, group: bool = True, limit: int | None = None
) -> list[Hit]:
    """Hits scoring ``min_score`` or more, best first; grouped, one hit per party (its
    other listings are named by the match); at most ``limit``.

    A party's hit is the listing that decides its outcome: the strongest outcome first
    (:func:`service.outcomes.hit_outcome`), then the score. A listing the list has ended
    decides nothing while another listing of the party is still in force and close: the
    party alerts on its live listing, or needs review, never on the ended one.
    """
    kept = _kept(hits, min_score)
    if group:
        best: dict[str, Hit] = {}
        for hit in kept:
            pid = party_of(hit).id
            found = best.get(pid)
            if found is None or outcome_weight(hit_outcome(hit)) > outcome_weight(
                hit_outcome(found)
            ):
                best[pid] = hit
        kept = sorted(best.values(), key=lambda h: (-h.score, h.entity.id))
    return kept if limit is None else kept[:limit]


def kept_matches(
    hits: Sequence[Hit],
    min_score: float,
    query: str,
    *,
    group: bool = True,
    limit: int | None = None,
) -> list[MatchOut]:
    """The hits at or above ``min_score``, highest first, one per party unless ``group``
    is false, each with its reason for ``query`` and the alert of each listing."""
    listing_hits = {hit.entity.id: hit for hit in _kept(hits, min_score)}
    return [
        match_out(hit, query, listing_hits)
        for hit in kept_hits(hits, min_score, group=group, limit=limit)
    ]


def decision_of(alerts: Sequence[bool]) -> Decision:
    return "alert" if any(alerts) else "clear"


def lists_used(info: IndexInfo, requested: Sequence[str] | None) -> list[ListInfo]:
    """The loaded lists a request screened against: all when it named none (``None`` or
    ``[]``, which the engines both read as every list), so a record always names the
    versions it was screened against."""
    if not requested:
        return list(info.lists)
    wanted = set(requested)
    return [item for item in info.lists if item.id in wanted]


def list_versions(lists: Sequence[ListInfo]) -> list[ListVersionOut]:
    return [
        ListVersionOut(
            id=item.id,
            version=item.version,
            published=item.published.isoformat() if item.published else None,
        )
        for item in lists
    ]


def party_result(party: Party, matches: list[MatchOut]) -> PartyResult:
    return PartyResult(
        reference=party.reference,
        role=party.role,
        name=party.name,
        decision=decision_of([m.alert for m in matches]),
        matches=matches,
    )
