"""``GET /party/{id}``: one party's listings side by side (see :mod:`service.page.party_view`).

Reached from a search result that more than one list names; each column links to the
listing's own page and to its official source. Opened from a search (the searched name in
the query string, as the entity page is), it shows which listings recorded decisions clear
for the searched party (who, when, why) and the decision form, one decision per listing
ticked. It reads the index and the decisions and screens nothing: it leaves no screening
record (``tests/service/test_every_screening_is_audited.py`` lists it so).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from engines.base import EngineUnavailable
from service.audit import AuditError
from service.auth import Scope
from service.decisions import listing_clearances
from service.page.common import StateDep, engine_of, enter, unavailable, unavailable_store
from service.page.party_view import party_view
from service.page.render import messages_of, render
from service.page.search_routes import searched_party
from service.page.views import address_text, date_text
from service.schemas import ClearedOut

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
    searched = searched_party(request)
    cleared: dict[str, ClearedOut] = {}
    if searched is not None:
        try:
            cleared = await listing_clearances(state.store, searched, entities)
        except AuditError as exc:
            return unavailable_store(request, access, state, exc)
    context: dict[str, Any] = {
        "view": party_view(party, entities, info, messages),
        "date_text": lambda date: date_text(date, messages),
        "address_text": address_text,
        "back": request.query_params.get("back", ""),
        "party": searched,
        "cleared": cleared,
        # Ticked: the listings not cleared yet (all of them once every one is).
        "choices": [
            (e.id, e.list_id, e.id not in cleared or len(cleared) == len(entities))
            for e in entities
        ],
    }
    return render(request, access, "party.html", info=info, state=state, **context)
