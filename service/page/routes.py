"""The lookup page officers use: search any script, see why it matched, open the listing,
screen a batch file, in the officer's language.

Server-rendered HTML forms (every feature works without JavaScript; ``static/page.js``
only adds keyboard and print conveniences) over the same :class:`engines.base.Engine` as
the API. The routes live by concern:

* :mod:`service.page.search_routes`: ``/``, ``/export.csv``, ``/export.xlsx``,
  ``/entity/{id}``, ``/status``, ``/glossary``;
* :mod:`service.page.party_routes`: ``/party/{id}``, a party's listings side by side (with
  the decision form when opened from a search);
* :mod:`service.page.batch_routes`: ``/batch``;
* :mod:`service.page.decide`: ``POST /decision``, the decision form of results, entity and
  party pages;
* :mod:`service.page.history_routes`: ``/history``, ``/history/{record_id}``: the
  officer's own searches and batches, from the audit trail;
* :mod:`service.page.signin_routes`: ``/signin``, ``/signout``, ``/language``;
* here: the page's own static files.

Searching needs a key with the ``read`` scope, batch screening one with ``screen``,
deciding one with ``decide``. Every search, export and batch is recorded in the audit trail
like ``POST /v1/screen`` and honours recorded decisions (:mod:`service.page.recording`).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from service.page import (
    batch_routes,
    decide,
    history_routes,
    party_routes,
    search_routes,
    signin_routes,
)
from service.page.render import STATIC_DIR

router = APIRouter(include_in_schema=False)
router.include_router(search_routes.router)
router.include_router(party_routes.router)
router.include_router(batch_routes.router)
router.include_router(decide.router)
router.include_router(history_routes.router)
router.include_router(signin_routes.router)

STATIC_TYPES = {
    "page.css": "text/css; charset=utf-8",
    "page.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """The page's own CSS, script and icon (a fixed set: no path from the request is read)."""
    media_type = STATIC_TYPES.get(name)
    if media_type is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response((STATIC_DIR / name).read_bytes(), media_type=media_type)
