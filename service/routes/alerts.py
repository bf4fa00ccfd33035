"""GET /v1/alerts: new alerts found by re-screening past parties after a refresh.

Officers follow up on a party that matches an entity listed (or changed) after it was
screened; the refresh job stores those alerts (in the store, :mod:`service.store`) and this endpoint
lists them from a moment on, for the admin scope (they name parties and decisions, like
the audit trail).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from service.auth import Scope
from service.problems import problem_responses
from service.routes.moments import MOMENT_MAX_LENGTH, MOMENT_SCHEMA, parse_moment
from service.security import SECURED, require
from service.state import service_state
from service.store.base import StoreError

router = APIRouter(tags=["alerts"])

MAX_ALERTS = 1000


@router.get(
    "/v1/alerts",
    summary="New alerts from re-screening after list refreshes",
    description="Alerts stored from ``since`` on, in the order they were stored, at most "
    "``limit``; to read on, pass the answer's ``next_after`` as ``after``.",
    dependencies=[Depends(require(Scope.ADMIN))],
    openapi_extra=SECURED,
    responses=problem_responses(401, 403, 422, 429, 503),
)
async def alerts(
    request: Request,
    since: Annotated[
        str,
        Query(
            max_length=MOMENT_MAX_LENGTH,
            description="RFC 3339 date-time (or date); alerts stored from then on",
            examples=["2026-11-29T00:00:00Z"],
            json_schema_extra=MOMENT_SCHEMA,
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_ALERTS)] = MAX_ALERTS,
    after: Annotated[
        int,
        Query(ge=0, le=2**62, description="the next_after of the previous page; 0 at first"),
    ] = 0,
) -> dict[str, Any]:
    moment = parse_moment(since, "since")
    try:
        store = service_state(request).store
        found = await store.read(store.store.alerts_page, moment, limit, after)
    except StoreError as exc:
        raise HTTPException(503, str(exc)) from exc
    return {
        "since": moment.isoformat(),
        "count": len(found),
        "alerts": [alert for _seq, alert in found],
        "next_after": found[-1][0] if found else after,
        "more": len(found) == limit,
    }
