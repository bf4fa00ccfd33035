"""``GET /history`` and ``GET /history/{record_id}``: the signed-in officer's own recent
searches and batches, and one of them reopened as it was answered, with the list versions
of that day (:mod:`service.page.history`: read from the audit trail, nothing stored).

An officer sees only the records of their own key (without keys: the loopback caller's
own); another officer's record id answers 404, as one that does not exist, so the page
does not tell whether it does.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.audit import AuditError
from service.auth import Scope
from service.page.common import StateDep, enter, unavailable_store
from service.page.history import (
    HISTORY_CHANNELS,
    PAGE_SIZE,
    cleared_fingerprints,
    recorded_screening,
    with_decisions,
)
from service.page.render import Access, messages_of, render

router = APIRouter(include_in_schema=False)

_RECORD_ID = re.compile(r"^[0-9a-f]{1,64}$")


def _officer(access: Access) -> str | None:
    """Whose records: the signed-in key's name, or None (the loopback caller, no keys)."""
    return access.key.name if access.key else None


@router.get("/history", response_class=HTMLResponse)
async def history_page(request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    before_text = request.query_params.get("before", "")
    before = int(before_text) if before_text.isdigit() and len(before_text) < 19 else None
    store = state.store
    try:
        found = await store.read(
            store.store.screenings_by, _officer(access), HISTORY_CHANNELS, PAGE_SIZE + 1, before
        )
    except AuditError as exc:
        return unavailable_store(request, access, state, exc)
    entries = [recorded_screening(record, info, seq) for seq, record in found[:PAGE_SIZE]]
    older = entries[-1].seq if len(found) > PAGE_SIZE and entries else None
    return render(
        request, access, "history.html", info=info, state=state,
        entries=entries, older=older, newest=before is None,
        retention_days=state.settings.audit_retention_days,
    )  # fmt: skip


@router.get("/history/{record_id}", response_class=HTMLResponse)
async def reopened_page(record_id: str, request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.READ)
    if refused is not None:
        return refused
    messages = messages_of(request)
    store = state.store
    record = None
    try:
        if _RECORD_ID.match(record_id):
            record = await store.read(store.store.screening, record_id)
        mine = (
            record is not None
            and record.get("channel") in HISTORY_CHANNELS
            and record.get("key_name") == _officer(access)
        )
        if record is None or not mine:
            message = messages.tr("No record “{id}” in your history.", id=record_id[:64])
            return render(
                request, access, "error.html", info=info, state=state, status=404,
                message=message,
            )  # fmt: skip
        screening = recorded_screening(record, info)
        fingerprints = cleared_fingerprints(screening)
        if fingerprints:
            decisions = await store.read(store.store.decisions_about, fingerprints)
            screening = with_decisions(screening, decisions)
    except AuditError as exc:
        return unavailable_store(request, access, state, exc)
    return render(
        request, access, "history_record.html", info=info, state=state, screening=screening
    )
