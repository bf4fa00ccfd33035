"""``GET /party/{id}``: one party's listings side by side (see :mod:`service.page.party_view`).

Reached from a search result that more than one list names; each column links to the
listing's own page and to its official source.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from engines.base import EngineUnavailable
from service.auth import Scope
from service.page.common import StateDep, engine_of, enter, unavailable
from service.page.party_view import party_view
from service.page.render import messages_of, render
from service.page.views import address_text, date_text

router = APIRouter(include_in_schema=False)


@router.get("/party/{party_id}", response_class=HTMLResponse)
async def party_page(party_id: str, request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    messages = messages_of(request)
    try:
        found = await engine_of(state).party(party_id[:40])
    except EngineUnavailable as exc:
        return unavailable(request, access, state, exc)
    if found is None:
        message = messages.tr(
            "No party “{id}” in the loaded lists: party ids change when the lists change, "
            "search for the name again.",
            id=party_id[:40],
        )
        return render(
            request, access, "error.html", info=info, state=state, status=404, message=message
        )
    party, entities = found
    context: dict[str, Any] = {
        "view": party_view(party, entities, info, messages),
        "date_text": lambda date: date_text(date, messages),
        "address_text": address_text,
        "back": request.query_params.get("back", ""),
    }
    return render(request, access, "party.html", info=info, state=state, **context)
