"""POST /v1/screen: the parties of a trade document against the loaded lists, recorded.

The answer is only sent once its audit record is stored; if the store refuses, the
request fails with 503 (the caller retries) instead of a screening nobody can later prove.
Matches that a recorded decision clears keep their score, carry ``cleared`` and do not
alert (:func:`service.decisions.honour_decisions`). With an ``Idempotency-Key`` a retry
gets the first answer (:mod:`service.idempotency`). :func:`screen_and_record` is the one
screening-and-audit path of the API: the yente-compatible ``POST /match/{dataset}``
(:mod:`service.routes.yente`) goes through it too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from core.model import Entity
from core.score import ALERT_THRESHOLD
from engines.base import Engine, EngineUnavailable, Hit, IndexInfo
from service.audit import (
    API_SCREEN,
    AuditError,
    Channel,
    audit_record,
    record_answered_screening,
)
from service.auth import Scope
from service.decisions import honour_decisions
from service.idempotency import Idempotency, earlier_answer, idempotency_of, replay
from service.problems import problem_responses
from service.routes.errors import invalid
from service.schemas import PartyResult, ScreenRequest, ScreenResponse
from service.screening import (
    decision_of,
    engine_limit,
    kept_matches,
    list_versions,
    lists_used,
    on_one_version,
    party_result,
    query_of,
)
from service.security import SECURED, Caller, charge, require
from service.state import get_engine, service_state
from service.store.base import Stored

router = APIRouter(tags=["screening"])

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "a retry with the same key and body within the window gets the first "
    "answer (header Idempotent-Replayed: true) and is not recorded again",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]+$"},
}


def check_limits(body: ScreenRequest, max_parties: int, max_name_length: int) -> None:
    if len(body.parties) > max_parties:
        raise invalid(
            ("body", "parties"),
            f"at most {max_parties} parties per request (got {len(body.parties)})",
            "too_long",
        )
    for i, party in enumerate(body.parties):
        if party.name is not None and len(party.name) > max_name_length:
            raise invalid(
                ("body", "parties", i, "name"),
                f"name is longer than {max_name_length} characters",
                "string_too_long",
            )


def check_lists(
    requested: list[str] | None, loaded: set[str], loc: tuple[str, str] = ("body", "lists")
) -> None:
    for i, list_id in enumerate(requested or ()):
        if list_id not in loaded:
            known = ", ".join(sorted(loaded)) or "none"
            raise invalid((*loc, i), f"list {list_id!r} is not loaded (loaded: {known})")


async def screen_and_record(
    request: Request,
    caller: Caller,
    engine: Engine,
    body: ScreenRequest,
    *,
    min_score: float,
    check_party_count: bool = True,
    entities: dict[str, Entity] | None = None,
    idempotency: Idempotency | None = None,
    answer: Callable[[ScreenResponse], str] | None = None,
    channel: Channel = API_SCREEN,
) -> Response:
    """Screen ``body``'s parties on one index version, honour recorded decisions, store the
    audit record, count the decisions; the answer, or a 503 when the engine or the store
    fails. ``answer`` writes the route's JSON from the screening (default: the
    ScreenResponse itself); with ``idempotency`` that text is stored with the record, and
    a retry gets it again without being screened or recorded. ``entities``, when given,
    receives every matched entity by id (the yente answers show them in full)."""
    state = service_state(request)
    settings = state.settings
    if check_party_count:
        check_limits(body, settings.max_parties, settings.max_name_length)
    else:
        check_limits(body, len(body.parties), settings.max_name_length)
    if idempotency is not None:
        earlier = await earlier_answer(state.store, idempotency)
        if earlier is not None:
            return replay(earlier, idempotency)
    charge(request, caller, "parties", len(body.parties))
    lists = body.lists or None  # [] is every list, as None

    async def screen_all(info: IndexInfo) -> tuple[str, list[list[Hit]]]:
        check_lists(lists, {item.id for item in info.lists})
        screened_at = datetime.now(UTC).isoformat()
        found = []
        for party in body.parties:
            hits = await engine.screen(
                query_of(party),
                limit=engine_limit(body.limit, body.group),
                lists=lists,
                min_score=min_score,
            )
            found.append(hits)
        return screened_at, found

    try:
        # The answer and its audit record name the index version the parties were screened
        # against, even when a refresh swaps the index meanwhile.
        info, (screened_at, hits) = await on_one_version(engine, screen_all)
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc
    if entities is not None:
        entities.update((hit.entity.id, hit.entity) for party_hits in hits for hit in party_hits)
    results: list[PartyResult] = [
        party_result(
            party,
            kept_matches(
                party_hits, min_score, party.name or "", group=body.group, limit=body.limit
            ),
        )
        for party, party_hits in zip(body.parties, hits, strict=True)
    ]
    trader = body.document.trader if body.document else None
    try:
        await honour_decisions(state.store, body.parties, results, hits, trader, group=body.group)
    except AuditError as exc:
        raise HTTPException(503, f"recorded decisions cannot be read: {exc}") from exc
    response = ScreenResponse(
        request_id=request.scope["state"]["request_id"],
        screened_at=screened_at,
        decision=decision_of([r.decision == "alert" for r in results]),
        results=results,
        lists=list_versions(lists_used(info, lists)),
        index_version=info.version,
    )
    # Serialised here, once: returning the model would have FastAPI validate it again.
    text = answer(response) if answer is not None else response.model_dump_json()
    record = audit_record(
        body, response, key_name=caller.key_name, min_score=min_score, channel=channel
    )
    claim = idempotency.claim(200, text) if idempotency is not None else None
    try:
        outcome = await record_answered_screening(request, state.store, record, claim)
    except AuditError as exc:
        raise HTTPException(
            503, f"the screening was not answered because it could not be audited: {exc}"
        ) from exc
    if isinstance(outcome, Stored) and idempotency is not None:
        return replay(outcome, idempotency)  # a retry with this key won the race
    state.metrics.observe_decisions(response.decision, [r.decision for r in results])
    if settings.log_screened_names:
        request.scope["state"]["names"] = [party.name for party in body.parties]
    return Response(text, media_type="application/json")


SCREEN_EXAMPLE = {
    "parties": [
        {"name": "Aerocaribbean Airlines", "type": "organization", "country": "CU",
         "role": "carrier", "reference": "P1"},
        {"name": "Мухаммад Юсуф", "type": "person", "date_of_birth": "1970", "role": "consignee"},
    ],
    "document": {"reference": "AWB 123-45678901"},
}  # fmt: skip


@router.post(
    "/v1/screen",
    response_model=ScreenResponse,
    summary="Screen the parties of a document",
    openapi_extra={
        **SECURED,
        "parameters": [IDEMPOTENCY_PARAMETER],
        "requestBody": {"content": {"application/json": {"example": SCREEN_EXAMPLE}}},
    },
    responses=problem_responses(400, 401, 403, 413, 415, 422, 429, 503),
)
async def screen(
    body: ScreenRequest,
    request: Request,
    caller: Annotated[Caller, Depends(require(Scope.SCREEN))],
    engine: Annotated[Engine, Depends(get_engine)],
) -> Response:
    settings = service_state(request).settings
    idempotency = idempotency_of(request, caller, body, settings.idempotency_hours)
    min_score = ALERT_THRESHOLD if body.min_score is None else body.min_score
    return await screen_and_record(
        request, caller, engine, body, min_score=min_score, idempotency=idempotency
    )
