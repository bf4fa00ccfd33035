"""POST /v1/decisions and GET /v1/decisions: decisions on hits, recorded in the chain.

Making a decision needs the ``decide`` scope (a gateway that screens cannot clear its own
alerts); listing them ``decide`` or ``admin``. ``POST`` answers 201 with the stored
decision once it is in the audit chain; an ``Idempotency-Key`` makes a retry return the
first answer without recording a second decision.
"""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from core.fingerprint import party_fingerprint
from engines.base import Engine, EngineUnavailable
from service.audit import AuditError
from service.auth import Scope
from service.decisions import (
    DecisionOut,
    DecisionRequest,
    DecisionsResponse,
    UnknownListing,
    build_decision,
    decision_entry,
    with_supersession,
)
from service.idempotency import earlier_answer, idempotency_of, replay
from service.problems import problem_responses
from service.routes.errors import invalid
from service.routes.moments import MOMENT_MAX_LENGTH, MOMENT_SCHEMA, parse_moment
from service.routes.screen import IDEMPOTENCY_PARAMETER
from service.schemas import NAME_PATTERN, TEXT_PATTERN, Party
from service.security import SECURED, Caller, authorise, require
from service.state import get_engine, service_state
from service.store.base import DecisionQuery, Stored

router = APIRouter(tags=["decisions"])

MAX_PAGE = 500
PARTY_KEY_PATTERN = r"^[0-9a-f]{32}$"


async def make_decision(
    request: Request, engine: Engine, body: DecisionRequest, caller: Caller
) -> Response:
    """Record ``body`` by ``caller`` (the page's form calls this too); 201 and the record."""
    state = service_state(request)
    idempotency = idempotency_of(request, caller, body, state.settings.idempotency_hours)
    if idempotency is not None:
        earlier = await earlier_answer(state.store, idempotency)
        if earlier is not None:
            return replay(earlier, idempotency)
    try:
        record = await build_decision(engine, body, caller.label)
    except EngineUnavailable as exc:
        raise HTTPException(503, f"the screening engine is unavailable: {exc.reason}") from exc
    except UnknownListing as exc:
        raise invalid(("body", "entity_id"), str(exc)) from exc
    text = DecisionOut.model_validate(record).model_dump_json()
    claim = idempotency.claim(201, text) if idempotency is not None else None
    try:
        outcome = await state.store.append(decision_entry(record), claim)
    except AuditError as exc:
        raise HTTPException(503, f"the decision was not recorded: {exc}") from exc
    if isinstance(outcome, Stored) and idempotency is not None:
        return replay(outcome, idempotency)
    return Response(text, status_code=201, media_type="application/json")


@router.post(
    "/v1/decisions",
    status_code=201,
    response_model=DecisionOut,
    summary="Record a decision on a hit: cleared, confirmed or escalated",
    openapi_extra={**SECURED, "parameters": [IDEMPOTENCY_PARAMETER]},
    responses=problem_responses(400, 401, 403, 413, 415, 422, 429, 503),
)
async def post_decision(
    body: DecisionRequest,
    request: Request,
    caller: Annotated[Caller, Depends(require(Scope.DECIDE))],
    engine: Annotated[Engine, Depends(get_engine)],
) -> Response:
    return await make_decision(request, engine, body, caller)


@router.get(
    "/v1/decisions",
    response_model=DecisionsResponse,
    summary="Decisions on hits, oldest first, with what superseded them",
    openapi_extra=SECURED,
    responses=problem_responses(401, 403, 422, 429, 503),
)
async def list_decisions(
    request: Request,
    entity_id: Annotated[
        str | None, Query(max_length=200, pattern=TEXT_PATTERN, examples=["us-ofac-sdn:36"])
    ] = None,
    party_key: Annotated[
        str | None,
        Query(pattern=PARTY_KEY_PATTERN, description="a party fingerprint key"),
    ] = None,
    name: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=1000,
            pattern=NAME_PATTERN,
            description="the party's name (its fingerprint, with no other detail)",
        ),
    ] = None,
    by: Annotated[
        str | None,
        Query(max_length=100, pattern=TEXT_PATTERN, description="who decided (a key name)"),
    ] = None,
    since: Annotated[
        str | None,
        Query(
            max_length=MOMENT_MAX_LENGTH,
            description="RFC 3339 date-time (or date): decided at or after",
            json_schema_extra=MOMENT_SCHEMA,
        ),
    ] = None,
    until: Annotated[
        str | None,
        Query(
            max_length=MOMENT_MAX_LENGTH,
            description="RFC 3339 date-time (or date): decided before",
            json_schema_extra=MOMENT_SCHEMA,
        ),
    ] = None,
    after: Annotated[
        int, Query(ge=0, le=2**62, description="the next_after of the page before")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> DecisionsResponse:
    _may_list(request)
    state = service_state(request)
    if name is not None and party_key is None:
        try:
            party_key = party_fingerprint(Party(name=name).model_dump()).key
        except ValueError as exc:
            raise invalid(("query", "name"), "not a party name") from exc
    bounds = {
        field: parse_moment(value, field).astimezone(UTC).isoformat()
        for field, value in (("since", since), ("until", until))
        if value is not None
    }
    query = DecisionQuery(
        entity_id=entity_id,
        subject=party_key,
        by=by,
        since=bounds.get("since"),
        until=bounds.get("until"),
        after_seq=after,
        limit=limit,
    )
    store = state.store
    try:
        found = await store.read(store.store.decisions, query)
        subjects = {str(d["party_fingerprint"]["key"]) for d in found}
        later = await store.read(store.store.decisions_about, subjects)
    except AuditError as exc:
        raise HTTPException(503, str(exc)) from exc
    decisions = [DecisionOut.model_validate(d) for d in with_supersession(found, later)]
    return DecisionsResponse(
        count=len(decisions),
        decisions=decisions,
        next_after=found[-1]["seq"] if len(found) == limit else None,
    )


def _may_list(request: Request) -> None:
    """The decide or the admin scope (401/403 as for any scoped endpoint)."""
    try:
        authorise(request, Scope.DECIDE)
    except HTTPException as refused:
        if refused.status_code != 403:
            raise
        authorise(request, Scope.ADMIN)
