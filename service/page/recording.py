"""What the lookup page's screenings share with the API's: decisions honoured, and the
audit record written before the page is shown (search, CSV export and batch alike).

Each page route makes one call here, so the rule "no screening without its record" is in
one place for the page (the routes stay easy to read and to merge).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import Request

from engines.base import Hit, IndexInfo
from service.audit import Channel, audit_record, record_screening
from service.decisions import honour_decisions
from service.page.render import Access
from service.schemas import (
    DocumentInfo,
    MatchOut,
    Party,
    PartyResult,
    ScreenRequest,
    ScreenResponse,
)
from service.screening import decision_of, kept_matches, list_versions, lists_used, party_result
from service.state import ServiceState


async def record_page_screening(
    request: Request,
    state: ServiceState,
    access: Access,
    info: IndexInfo,
    parties: Sequence[Party],
    hits: Sequence[Sequence[Hit]],
    *,
    lists: Sequence[str] | None,
    limit: int,
    channel: Channel,
    min_score: float = 0.0,
) -> tuple[list[PartyResult], ScreenResponse]:
    """Honour decisions on ``hits`` (the candidates the engine returned, every listing of
    them: grouped one match per party as the page shows them, at most ``limit``, each
    listing alerting at the threshold) and record the screening; raises AuditError when it
    cannot be recorded."""
    results = [
        party_result(party, kept_matches(party_hits, min_score, party.name or "", limit=limit))
        for party, party_hits in zip(parties, hits, strict=True)
    ]
    await honour_decisions(state.store, parties, results, hits, None)
    response = ScreenResponse(
        request_id=request.scope["state"]["request_id"],
        screened_at=datetime.now(UTC).isoformat(),
        decision=decision_of([r.decision == "alert" for r in results]),
        results=results,
        lists=list_versions(lists_used(info, lists)),
        index_version=info.version,
    )
    body = ScreenRequest(
        parties=list(parties),
        limit=limit,
        min_score=min_score,
        lists=list(lists) if lists else None,
        document=DocumentInfo(reference=f"lookup page ({channel})"),
    )
    key_name = access.key.name if access.key else None
    record = audit_record(body, response, key_name=key_name, min_score=min_score, channel=channel)
    await record_screening(state.store, record)
    state.metrics.observe_decisions(response.decision, [r.decision for r in results])
    return results, response


def matches_of(result: PartyResult) -> dict[str, MatchOut]:
    """The matches of one party's result by the entity id of each (the listing the page
    shows for the party): each says its listings' alerts and clearances."""
    return {m.entity_id: m for m in result.matches}
