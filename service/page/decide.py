"""``POST /decision``: the lookup page's decision form, under each alerting result and on
a listing or party page opened from a search. Clears, confirms or escalates one candidate
(``decide`` scope), recorded in the audit chain like ``POST /v1/decisions``, then back to
the search, which shows the candidate cleared by decision (or alerting) by the same rule
as the API.

Decisions are per listing: a result is a party, so its form names every listing of the
party that alerts (``entity_id`` repeated; the party page lets the officer tick them) and
one decision is recorded for each, against that listing's version, all in one transaction
(all recorded or none).
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

# Listings one form may decide on (a party has a handful; the cap bounds a forged form).
MAX_LISTINGS = 50


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
    entity_ids = list(dict.fromkeys(str(v) for v in form.getlist("entity_id") if str(v)))
    entity_id = entity_ids[0] if entity_ids else ""
    try:
        if len(entity_ids) > MAX_LISTINGS:
            raise ValueError(f"at most {MAX_LISTINGS} listings in one decision")
        bodies = [
            DecisionRequest(
                party=Party(
                    name=(field(form, "q") or "").strip(),
                    type=field(form, "type") or None,  # type: ignore[arg-type]
                    country=field(form, "country") or None,
                    date_of_birth=field(form, "dob") or None,
                ),
                entity_id=listing,
                decision=field(form, "decision") or "",  # type: ignore[arg-type]
                reason=field(form, "reason") or "",
                scope={"trader": trader} if trader else "agency",  # type: ignore[arg-type]
            )
            for listing in entity_ids or [""]
        ]
    except ValueError as exc:
        message = messages.tr("The decision was not recorded: {reason}", reason=_first_error(exc))
        return render(
            request, access, "error.html", info=info, state=state, status=422, message=message
        )
    try:
        by = Caller(access.key.name if access.key else None).label  # as the API names it
        records = []
        for body in bodies:
            entity_id = body.entity_id
            records.append(await build_decision(engine_of(state), body, by))
        # One decision per listing, each its own record of the chain: all or none.
        await state.store.append_all([decision_entry(record) for record in records])
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
