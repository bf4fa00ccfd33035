"""GET /v1/alerts: new alerts found by re-screening past parties after a refresh.

Officers follow up on a party that matches an entity listed (or changed) after it was
screened; the refresh job stores those alerts (:mod:`service.alerts`) and this endpoint
lists them from a moment on, for the admin scope (they name parties and decisions, like
the audit trail).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from service.alerts import AlertStore, AlertStoreError
from service.auth import Scope
from service.problems import problem_responses
from service.routes.errors import invalid
from service.security import SECURED, require
from service.state import service_state

router = APIRouter(tags=["alerts"])

MAX_ALERTS = 1000


def _store(request: Request) -> AlertStore:
    """One alert store per app, on the audit store's SQLite file, opened on first use."""
    store: AlertStore | None = getattr(request.app.state, "alerts", None)
    if store is None:
        store = AlertStore(service_state(request).audit.path)
        request.app.state.alerts = store
    return store


# RFC 3339 date-time or full-date (the two formats the OpenAPI document names).
_SINCE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt](?P<time>\d{2}:\d{2}:(?P<second>\d{2}))(?P<fraction>\.\d+)?"
    r"(?P<offset>[Zz]|[+-]\d{2}:\d{2}))?$"
)


def parse_since(text: str) -> datetime:
    """An RFC 3339 date-time (lower-case ``t``/``z`` and leap seconds included) or date;
    a date is midnight UTC."""
    value = text.strip()
    if " " in value and "T" in value.upper():
        value = value.replace(" ", "+")  # an unencoded "+00:00" arrives as " 00:00"
    match = _SINCE.match(value)
    if match is None:
        raise invalid(("query", "since"), "since must be an RFC 3339 date-time or a date")
    text_value = match["date"]
    if match["time"]:
        second = min(59, int(match["second"]))  # a leap second: the second before it
        time_part = f"{match['time'][:6]}{second:02d}"
        fraction = (match["fraction"] or "")[:7]
        offset = match["offset"].upper().replace("Z", "+00:00")
        text_value = f"{text_value}T{time_part}{fraction}{offset}"
    try:
        moment = datetime.fromisoformat(text_value)
    except ValueError as exc:
        raise invalid(("query", "since"), f"since is not a moment of the calendar: {exc}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
            max_length=64,
            description="RFC 3339 date-time (or date); alerts stored from then on",
            examples=["2026-11-29T00:00:00Z"],
            json_schema_extra={"anyOf": [{"format": "date-time"}, {"format": "date"}]},
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_ALERTS)] = MAX_ALERTS,
    after: Annotated[
        int,
        Query(ge=0, le=2**62, description="the next_after of the previous page; 0 at first"),
    ] = 0,
) -> dict[str, Any]:
    moment = parse_since(since)
    try:
        found = _store(request).page(moment, limit, after)
    except AlertStoreError as exc:
        raise HTTPException(503, str(exc)) from exc
    return {
        "since": moment.isoformat(),
        "count": len(found),
        "alerts": [alert for _seq, alert in found],
        "next_after": found[-1][0] if found else after,
        "more": len(found) == limit,
    }
