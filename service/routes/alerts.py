"""GET /v1/alerts: new alerts found by re-screening past parties after a refresh.

Officers follow up on a party that matches an entity listed (or changed) after it was
screened; the refresh job stores those alerts (in the store, :mod:`service.store`) and this endpoint
lists them from a moment on, for the admin scope (they name parties and decisions, like
the audit trail).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from service.auth import Scope
from service.routes.errors import invalid
from service.security import require
from service.state import service_state
from service.store.base import StoreError

router = APIRouter(tags=["alerts"])

MAX_ALERTS = 1000


@router.get(
    "/v1/alerts",
    summary="New alerts from re-screening after list refreshes",
    dependencies=[Depends(require(Scope.ADMIN))],
    responses={
        401: {"description": "missing or unknown API key"},
        403: {"description": "the key lacks the admin scope"},
        503: {"description": "the alert store cannot be read"},
    },
)
async def alerts(
    request: Request,
    since: Annotated[
        str, Query(max_length=40, description="ISO 8601 date-time; alerts stored from then on")
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_ALERTS)] = MAX_ALERTS,
) -> dict[str, Any]:
    if " " in since.strip() and "T" in since:
        since = since.strip().replace(" ", "+")  # an unencoded "+00:00" arrives as " 00:00"
    try:
        moment = datetime.fromisoformat(since)
    except ValueError as exc:
        raise invalid(("query", "since"), "since must be an ISO 8601 date-time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    store = service_state(request).store
    try:
        found = await store.read(store.store.alerts_since, moment, limit)
    except StoreError as exc:
        raise HTTPException(503, str(exc)) from exc
    return {"since": moment.isoformat(), "count": len(found), "alerts": found}
