"""POST /v1/screen: the parties of a trade document against the loaded lists, recorded.

The answer is only sent once its audit record is stored; if the store refuses, the
request fails with 503 (the caller retries) instead of a screening nobody can later prove.
:func:`screen_and_record` is the one screening-and-audit path: the yente-compatible
``POST /match/{dataset}`` (:mod:`service.routes.yente`) goes through it too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from core.model import Entity
from core.score import ALERT_THRESHOLD
from engines.base import Engine, EngineUnavailable, IndexInfo
from service.audit import AuditError
from service.auth import Scope
from service.problems import problem_responses
from service.routes.errors import invalid
from service.schemas import PartyResult, ScreenRequest, ScreenResponse
from service.screening import (
    audit_record,
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

router = APIRouter(tags=["screening"])


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
) -> ScreenResponse:
    """Screen ``body``'s parties on one index version, store the audit record, count the
    decisions; the answer, or a 503 when the engine or the audit store fails.
    ``entities``, when given, receives every matched entity by id (the yente answers show
    them in full)."""
    state = service_state(request)
    settings = state.settings
    if check_party_count:
        check_limits(body, settings.max_parties, settings.max_name_length)
    else:
        check_limits(body, len(body.parties), settings.max_name_length)
    charge(request, caller, "parties", len(body.parties))

    async def screen_all(info: IndexInfo) -> tuple[str, list[PartyResult]]:
        check_lists(body.lists, {item.id for item in info.lists})
        screened_at = datetime.now(UTC).isoformat()
        results = []
        for party in body.parties:
            query = query_of(party)
            hits = await engine.screen(
                query,
                limit=engine_limit(body.limit, body.group),
                lists=body.lists,
                min_score=min_score,
            )
            if entities is not None:
                entities.update((hit.entity.id, hit.entity) for hit in hits)
            matches = kept_matches(
                hits, min_score, party.name or "", group=body.group, limit=body.limit
            )
            results.append(party_result(party, matches))
        return screened_at, results

    try:
        # The answer and its audit record name the index version the parties were screened
        # against, even when a refresh swaps the index meanwhile.
        info, (screened_at, results) = await on_one_version(engine, screen_all)
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc
    scope_state = request.scope["state"]
    response = ScreenResponse(
        request_id=scope_state["request_id"],
        screened_at=screened_at,
        decision=decision_of([r.decision == "alert" for r in results]),
        results=results,
        lists=list_versions(lists_used(info, body.lists)),
        index_version=info.version,
    )
    record = audit_record(body, response, key_name=caller.key_name, min_score=min_score)
    if scope_state["correlation_id"] != response.request_id:
        record["caller_request_id"] = scope_state["correlation_id"]
    try:
        # Inline, not in a thread: an insert in WAL mode without fsync takes ~0.1 ms, less
        # than the thread hop would cost.
        state.audit.record(record)
    except AuditError as exc:
        raise HTTPException(
            503, f"the screening was not answered because it could not be audited: {exc}"
        ) from exc
    state.metrics.observe_decisions(response.decision, [r.decision for r in results])
    scope_state["audit_id"] = response.request_id
    scope_state["decision"] = response.decision
    scope_state["parties"] = len(results)
    if settings.log_screened_names:
        scope_state["names"] = [party.name for party in body.parties]
    return response


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
    min_score = ALERT_THRESHOLD if body.min_score is None else body.min_score
    response = await screen_and_record(request, caller, engine, body, min_score=min_score)
    # Serialised here, once: returning the model would have FastAPI validate it again.
    return Response(response.model_dump_json(), media_type="application/json")
