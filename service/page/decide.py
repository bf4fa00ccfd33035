"""``POST /decision``: the lookup page's decision form, under each alerting result and on
a listing opened from a search. Clears, confirms or escalates one hit (``decide`` scope),
recorded in the audit chain like ``POST /v1/decisions``, then back to the search, which
shows the hit cleared (or alerting) by the same rule as the API.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from engines.base import EngineUnavailable
from service.audit import AuditError
from service.auth import Scope
from service.decisions import DecisionRequest, UnknownListing, build_decision, decision_entry
from service.page.render import render
from service.page.routes import (
    StateDep,
    _csrf_refused,
    _engine,
    _enter,
    _field,
    _safe_next,
    _unavailable,
    _unrecorded,
)
from service.page.session import CSRF_FIELD
from service.schemas import Party

router = APIRouter(include_in_schema=False)


@router.post("/decision", response_class=HTMLResponse)
async def decision_submit(request: Request, state: StateDep) -> Response:
    """The decision form of a search result or an entity page: recorded in the audit chain
    (like POST /v1/decisions), then back to where the officer came from."""
    access, info, refused = await _enter(request, state, Scope.DECIDE)
    if refused is not None:
        return refused
    form = await request.form()
    if not access.signer.csrf_ok(request.cookies.get("screening_csrf"), _field(form, CSRF_FIELD)):
        return _csrf_refused(request, access, state, info)
    trader = (_field(form, "trader") or "").strip()
    try:
        body = DecisionRequest(
            party=Party(
                name=(_field(form, "q") or "").strip(),
                type=_field(form, "type") or None,  # type: ignore[arg-type]
                country=_field(form, "country") or None,
                date_of_birth=_field(form, "dob") or None,
            ),
            entity_id=_field(form, "entity_id") or "",
            decision=_field(form, "decision") or "",  # type: ignore[arg-type]
            reason=_field(form, "reason") or "",
            scope={"trader": trader} if trader else "agency",  # type: ignore[arg-type]
        )
    except ValueError as exc:
        message = "The decision was not recorded: " + _first_error(exc)
        return render(
            request, access, "error.html", info=info, state=state, status=422, message=message
        )
    by = access.key.name if access.key else "anonymous-loopback"
    try:
        record = await build_decision(_engine(state), body, by)
        await state.store.append(decision_entry(record))
    except EngineUnavailable as exc:
        return _unavailable(request, access, state, exc)
    except UnknownListing as exc:
        return render(
            request, access, "error.html", info=info, state=state, status=404, message=str(exc)
        )
    except AuditError as exc:
        return _unrecorded(request, access, state, exc)
    return RedirectResponse(_safe_next(_field(form, "back")), status_code=303)


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        return f"{where}: {message}" if where else message
    return str(exc)
