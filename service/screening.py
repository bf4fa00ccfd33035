"""From engine hits to the answer of the API and to the audit record of a screening.

Kept apart from the HTTP routes so the rules are in one readable place: matches below
``min_score`` are left out; matches are sorted by score, highest first; a party is
"alert" when any of its matches alerts, the document when any party does; the audit
record holds the parties, their decisions, their matches with scores, and the list and
index versions used.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from core.model import Kind
from core.score import Explanation, Query
from engines.base import Engine, EngineUnavailable, Hit, IndexInfo, ListInfo
from service.outcomes import ended_on
from service.schemas import (
    Decision,
    ListVersionOut,
    MatchOut,
    Party,
    PartyResult,
)
from service.sentences import reason

T = TypeVar("T")

# Screenings of one request against one index version before giving up (503).
SCREEN_ATTEMPTS = 3


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
        name=party.name,
        kind=Kind(party.type) if party.type else None,
        country=party.country,
        birth_date=party.date_of_birth,
    )


def match_out(hit: Hit, query: str) -> MatchOut:
    entity = hit.entity
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
    )


def kept_matches(hits: Sequence[Hit], min_score: float, query: str) -> list[MatchOut]:
    """The hits at or above ``min_score``, highest first, each with its reason for ``query``."""
    kept = sorted(
        (hit for hit in hits if hit.score >= min_score), key=lambda h: (-h.score, h.entity.id)
    )
    return [match_out(hit, query) for hit in kept]


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
