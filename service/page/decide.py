"""``POST /decision``: the lookup page's decision form, under each alerting result and on
a listing opened from a search. Clears, confirms or escalates one candidate (``decide``
scope), recorded in the audit chain like ``POST /v1/decisions``, then back to the search,
which shows the candidate cleared by decision (or alerting) by the same rule as the API.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from engines.base import EngineUnavailable
from service.audit import AuditError
from service.auth import Scope
from service.decisions import DecisionRequest, UnknownListing, build_decision, decision_entry
from service.page.common import (
    StateDep,
    csrf_ok,
    csrf_refused,
    engine_of,
    enter,
    field,
    unavailable,
    unrecorded,
)
from service.page.render import messages_of, render
from service.page.signin_routes import safe_next
from service.schemas import Party
from service.security import Caller

router = APIRouter(include_in_schema=False)


@router.post("/decision", response_class=HTMLResponse)
async def decision_submit(request: Request, state: StateDep) -> Response:
    """The decision form of a search result or an entity page: recorded in the audit chain
    (like POST /v1/decisions), then back to where the officer came from."""
    access, info, refused = await enter(request, state, Scope.DECIDE)
    if refused is not None:
        return refused
    form = await request.form()
    if not csrf_ok(request, access, form):
        return csrf_refused(request, access, state, info)
    messages = messages_of(request)
    trader = (field(form, "trader") or "").strip()
    entity_id = field(form, "entity_id") or ""
    try:
        body = DecisionRequest(
            party=Party(
                name=(field(form, "q") or "").strip(),
                type=field(form, "type") or None,  # type: ignore[arg-type]
                country=field(form, "country") or None,
                date_of_birth=field(form, "dob") or None,
            ),
            entity_id=entity_id,
            decision=field(form, "decision") or "",  # type: ignore[arg-type]
            reason=field(form, "reason") or "",
            scope={"trader": trader} if trader else "agency",  # type: ignore[arg-type]
        )
    except ValueError as exc:
        message = messages.tr("The decision was not recorded: {reason}", reason=_first_error(exc))
        return render(
            request, access, "error.html", info=info, state=state, status=422, message=message
        )
    try:
        by = Caller(access.key.name if access.key else None).label  # as the API names it
        record = await build_decision(engine_of(state), body, by)
        await state.store.append(decision_entry(record))
    except EngineUnavailable as exc:
        return unavailable(request, access, state, exc)
    except UnknownListing:
        message = messages.tr("No listed entity “{id}” in the loaded lists.", id=entity_id[:200])
        return render(
            request, access, "error.html", info=info, state=state, status=404, message=message
        )
    except AuditError as exc:
        return unrecorded(request, access, state, exc)
    return RedirectResponse(safe_next(field(form, "back")), status_code=303)


def _first_error(exc: ValueError) -> str:
    """The first failing field of a form that does not make a decision, in a few words."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        return f"{where}: {message}" if where else message
    return str(exc)
