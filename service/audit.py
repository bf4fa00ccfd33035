"""The audit trail: every screening, whatever path it came by, recorded before its answer
leaves the service.

An agency must later prove which lists a decision used, so each screening (``POST
/v1/screen``, ``GET /v1/search``, the lookup page's search, its CSV export and batches) is
stored with its parties, their decisions, the top matches, the list versions and the index
version, as one record of the store's tamper-evident chain (:mod:`service.store.chain`).
Writing is part of answering: if the record cannot be written, :class:`AuditError`
propagates and the request fails (503) rather than going unrecorded.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from core.fingerprint import party_fingerprint
from service.schemas import MatchOut, ScreenRequest, ScreenResponse
from service.store.access import StoreAccess
from service.store.base import Claim, Outcome, StoreError
from service.store.chain import Entry

AuditError = StoreError

# How a screening reached the service, as its record says.
Channel = str
API_SCREEN: Channel = "api-screen"
API_MATCH: Channel = "api-match"  # yente's POST /match/{dataset}
API_SEARCH: Channel = "api-search"
PAGE_SEARCH: Channel = "page-search"
PAGE_EXPORT: Channel = "page-export"
PAGE_BATCH: Channel = "page-batch"


def audit_record(
    request: ScreenRequest,
    response: ScreenResponse,
    *,
    key_name: str | None,
    min_score: float,
    channel: Channel = API_SCREEN,
) -> dict[str, Any]:
    """What the audit trail keeps of one screening (explanations are left out: the list
    and index versions plus the scores let anyone re-run it)."""
    parties = []
    for party, result in zip(request.parties, response.results, strict=True):
        dumped = party.model_dump()
        parties.append(
            {
                **dumped,
                "fingerprint": party_fingerprint(dumped).key,
                "decision": result.decision,
                "matches": [_match(m) for m in result.matches],
            }
        )
    return {
        "request_id": response.request_id,
        "screened_at": response.screened_at,
        "channel": channel,
        "key_name": key_name,
        "decision": response.decision,
        "document": _document(request),
        "limit": request.limit,
        "min_score": min_score,
        "group": request.group,
        "lists_requested": request.lists or None,
        "parties": parties,
        "lists": [item.model_dump() for item in response.lists],
        "index_version": response.index_version,
    }


def _match(match: MatchOut) -> dict[str, Any]:
    """A match as the record keeps it: its best listing's score and outcome, and every
    listing of its party with that listing's own alert and the decision that cleared it
    (decisions are per listing: the record says which listing each one cleared)."""
    return {
        "entity_id": match.entity_id,
        "list": match.list_id,
        "score": match.score,
        "alert": match.alert,
        "name": match.name,
        "matched_name": match.matched_name,
        **({"cleared": match.cleared.decision_id} if match.cleared else {}),
        "party_id": match.party_id,
        "listings": [
            {
                "entity_id": listing.entity_id,
                "list": listing.list_id,
                "name": listing.name,
                "alert": listing.alert,
                **({"cleared": listing.cleared.decision_id} if listing.cleared else {}),
            }
            for listing in match.listings
        ],
    }


def _document(request: ScreenRequest) -> dict[str, Any] | None:
    if request.document is None:
        return None
    document = request.document.model_dump()
    if document.get("trader") is None:
        document.pop("trader", None)  # as given: a document without a trader has none
    return document


def screening_entry(record: dict[str, Any]) -> Entry:
    try:
        return Entry(
            kind="screening",
            record_id=str(record["request_id"]),
            at=str(record["screened_at"]),
            key_name=record.get("key_name"),
            body=record,
        )
    except KeyError as exc:
        raise AuditError(f"an audit record needs {exc}") from exc


async def record_screening(
    store: StoreAccess, record: dict[str, Any], claim: Claim | None = None
) -> Outcome:
    """Store the record (raises AuditError when it cannot be); with ``claim``, the outcome
    may be the first answer of an earlier request with the same idempotency key."""
    return await store.append(screening_entry(record), claim)


async def record_answered_screening(
    request: Request, store: StoreAccess, record: dict[str, Any], claim: Claim | None = None
) -> Outcome:
    """:func:`record_screening` for a request being answered: the record keeps the caller's
    own ``X-Request-ID`` (``caller_request_id``) when it sent one, and the request's access
    log line names the record, its decision and how many parties it screened."""
    state = request.scope["state"]
    correlation = state.get("correlation_id")
    if correlation and correlation != record["request_id"]:
        record["caller_request_id"] = correlation
    outcome = await record_screening(store, record, claim)
    state["audit_id"] = record["request_id"]
    state["decision"] = record["decision"]
    state["parties"] = len(record["parties"])
    return outcome
