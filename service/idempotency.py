"""``Idempotency-Key`` on ``POST /v1/screen``, ``POST /match/{dataset}`` and ``POST
/v1/decisions``: a retry gets the first answer, and the audit trail holds one record.

A customs system that times out and retries must not screen (or decide) twice. The first
request with a key stores its answer in the same transaction as its audit record
(:class:`service.store.base.Claim`), keyed by the caller and the key, so the rule holds
across worker processes and replicas: of two requests racing with one key, one is
recorded and the other gets that one's answer. Within the window (``idempotency_hours``)
a request with the same key and the same body is answered from the store (header
``Idempotent-Replayed: true``); the same key with a different body (or query) is refused
with 422 (problem type ``idempotency-key-reused``); after the window the key is free again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import Request, Response
from pydantic import BaseModel

from service.problems import BAD_REQUEST, IDEMPOTENCY_KEY_REUSED, UNAVAILABLE, ProblemError
from service.security import Caller
from service.store.access import StoreAccess
from service.store.base import Claim, Stored, StoreError

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces


@dataclass(frozen=True, slots=True)
class Idempotency:
    """The key of one request, and what a claim for it needs."""

    scope: str
    key: str
    route: str
    request_hash: str
    window_start: str

    def claim(self, status: int, response: str) -> Claim:
        return Claim(
            scope=self.scope,
            idem_key=self.key,
            route=self.route,
            request_hash=self.request_hash,
            status=status,
            response=response,
            created_at=datetime.now(UTC).isoformat(),
            window_start=self.window_start,
        )


def idempotency_of(
    request: Request, caller: Caller, body: BaseModel, window_hours: int
) -> Idempotency | None:
    """The request's idempotency key (None without the header); 400 when malformed."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.match(key):
        raise ProblemError(
            BAD_REQUEST, "Idempotency-Key must be 1-255 printable ASCII characters without spaces"
        )
    route = request.url.path
    # The query string is part of the request (POST /match takes its options there).
    query = f"?{request.url.query}" if request.url.query else ""
    text = route + query + "\n" + body.model_dump_json()
    start = datetime.now(UTC) - timedelta(hours=window_hours)
    return Idempotency(
        scope=caller.label,
        key=key,
        route=route,
        request_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        window_start=start.isoformat(),
    )


def replay(stored: Stored, idempotency: Idempotency) -> Response:
    """The first answer again, or 422 when the key came with another request."""
    if stored.request_hash != idempotency.request_hash or stored.route != idempotency.route:
        raise ProblemError(
            IDEMPOTENCY_KEY_REUSED,
            f"Idempotency-Key {idempotency.key!r} was used with a different request "
            f"at {stored.created_at}; use a new key for a new request",
        )
    return Response(
        stored.response,
        status_code=stored.status,
        media_type="application/json",
        headers={REPLAYED_HEADER: "true"},
    )


async def earlier_answer(store: StoreAccess, idempotency: Idempotency) -> Stored | None:
    """The stored first answer for this key within the window, if any (503 when the
    store cannot be read: answering anew could record the request twice)."""
    try:
        return await store.read(
            store.store.replay, idempotency.scope, idempotency.key, idempotency.window_start
        )
    except StoreError as exc:
        raise ProblemError(UNAVAILABLE, f"the idempotency store cannot be read: {exc}") from exc
