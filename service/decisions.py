"""Decisions on hits: what ``POST /v1/decisions`` and the lookup page's form record, and how
a screening honours them.

A decision is one record of the audit chain (kind ``decision``) about one party (its
fingerprint, :func:`core.fingerprint.party_fingerprint`) and one listing (its id, list
version and content fingerprint). Records are never edited: a later decision on the same
party, listing and scope supersedes the earlier one. Whether a hit is cleared is decided
by :func:`core.clearance.clearing_decision`, so the API, the page and the re-screening after
a refresh apply one rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.clearance import clearing_decision, scope_key
from core.fingerprint import listing_fingerprint, party_fingerprint
from core.model import Entity
from engines.base import Engine, Hit, IndexInfo
from service.outcomes import Outcome
from service.schemas import MAX_TEXT, ClearedOut, MatchOut, Party, PartyResult, check_text
from service.screening import decision_of
from service.sentences import reason_as
from service.store.access import StoreAccess
from service.store.chain import Entry

DecisionVerdict = Literal["cleared", "confirmed", "escalated"]
MAX_REASON = 2000


class TraderScope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trader: str = Field(min_length=1, max_length=MAX_TEXT, description="the trader's id")

    @field_validator("trader")
    @classmethod
    def _trader(cls, value: str) -> str:
        value = check_text(value, "scope.trader", MAX_TEXT).strip()
        if not value:
            raise ValueError("scope.trader is blank")
        return value


class DecisionRequest(BaseModel):
    """A decision on one hit: the party as it was screened and the listing's id."""

    model_config = ConfigDict(extra="forbid")

    party: Party
    entity_id: str = Field(min_length=1, max_length=200, examples=["us-ofac-sdn:36"])
    decision: DecisionVerdict
    reason: str = Field(min_length=1, max_length=MAX_REASON)
    scope: Literal["agency"] | TraderScope = Field(
        default="agency",
        description='"agency" (every screening of this party) or {"trader": ID} (only '
        "screenings whose document names that trader)",
    )

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        # A reason may run over lines; only the other control characters are refused.
        check_text(value.replace("\n", " ").replace("\r", " ").replace("\t", " "), "reason")
        if not value.strip():
            raise ValueError("reason is blank")
        return value


class ListingOut(BaseModel):
    entity_id: str
    list_id: str
    name: str
    list_version: str
    index_version: str
    fingerprint: str = Field(
        description="of the names, identifiers, programs, dates of "
        "birth and nationalities: a change at a refresh voids the decision"
    )


class DecisionOut(BaseModel):
    decision_id: str
    decision: DecisionVerdict
    reason: str
    scope: dict[str, Any] = Field(description='{"type": "agency"} or {"type": "trader", ...}')
    by: str
    at: str
    party: dict[str, Any] = Field(description="the party as it was given")
    party_fingerprint: dict[str, Any] = Field(
        description="key and the normalised fields it hashes (name, type, country, "
        "date_of_birth, identifiers)"
    )
    entity_id: str
    listing: ListingOut
    superseded_by: str | None = Field(
        default=None, description="the later decision of the same scope, when there is one"
    )


class DecisionsResponse(BaseModel):
    count: int
    decisions: list[DecisionOut]
    next_after: int | None = Field(description="pass as `after` for the next page")


def scope_out(scope: Literal["agency"] | TraderScope) -> dict[str, Any]:
    if isinstance(scope, TraderScope):
        return {"type": "trader", "trader": scope.trader}
    return {"type": "agency"}


def decision_record(
    body: DecisionRequest, entity: Entity, info: IndexInfo, by: str, now: datetime | None = None
) -> dict[str, Any]:
    """The stored form of a decision (what the chain holds and the API answers)."""
    fingerprint = party_fingerprint(body.party.model_dump())
    listed = info.list(entity.list_id)
    return {
        "decision_id": uuid.uuid4().hex,
        "decision": body.decision,
        "reason": body.reason,
        "scope": scope_out(body.scope),
        "by": by,
        "at": (now or datetime.now(UTC)).isoformat(),
        "party": body.party.model_dump(exclude_none=True, exclude_defaults=True),
        "party_fingerprint": fingerprint.to_dict(),
        "entity_id": entity.id,
        "listing": {
            "entity_id": entity.id,
            "list_id": entity.list_id,
            "name": entity.primary_name,
            "list_version": listed.version if listed else "unknown",
            "index_version": info.version,
            "fingerprint": listing_fingerprint(entity),
        },
    }


def decision_entry(record: Mapping[str, Any]) -> Entry:
    return Entry(
        kind="decision",
        record_id=str(record["decision_id"]),
        at=str(record["at"]),
        key_name=str(record["by"]),
        subject=str(record["party_fingerprint"]["key"]),
        entity_id=str(record["entity_id"]),
        body=dict(record),
    )


def with_supersession(
    found: Sequence[dict[str, Any]], later: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each decision of ``found`` with ``superseded_by``: the next decision (in ``later``,
    every decision on the same parties, oldest first) of the same party, listing and scope."""
    out = []
    for decision in found:
        key = _same(decision)
        successor = next((d for d in later if d["seq"] > decision["seq"] and _same(d) == key), None)
        out.append({**decision, "superseded_by": successor["decision_id"] if successor else None})
    return out


def _same(decision: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(decision["party_fingerprint"]["key"]),
        str(decision["entity_id"]),
        scope_key(decision.get("scope")),
    )


class UnknownListing(LookupError):
    """The decision names a listing that is not in the loaded lists."""


async def build_decision(engine: Engine, body: DecisionRequest, by: str) -> dict[str, Any]:
    """The record of ``body`` by ``by``, against the listing as loaded now (raises
    UnknownListing, or EngineUnavailable)."""
    info = await engine.info()
    entity = await engine.entity(body.entity_id)
    if entity is None:
        raise UnknownListing(f"no listing {body.entity_id[:200]!r} in the loaded lists")
    return decision_record(body, entity, info, by)


async def honour_decisions(
    store: StoreAccess,
    parties: Sequence[Party],
    results: Sequence[PartyResult],
    hits: Sequence[Sequence[Hit]],
    trader: str | None,
    *,
    group: bool = True,
) -> None:
    """Clear the alerting listings that a recorded decision clears (the listing's
    ``cleared`` set, its ``alert`` false), then each match and each party's decision.

    Decisions are per listing. Grouped, a match stands for every listing of its party: it
    alerts while any of them alerts, and is ``cleared`` (alert false, score kept, its
    ``reason`` saying "Cleared by decision") once every listing that alerted is cleared.
    With ``group`` false a match stands for its own listing only. One read of the store,
    and only when some match alerts: a screening without an alert costs nothing here."""
    fingerprints = [party_fingerprint(party.model_dump()).key for party in parties]
    subjects = {
        key
        for key, result in zip(fingerprints, results, strict=True)
        if any(m.alert for m in result.matches)
    }
    if not subjects:
        return
    found = await store.read(store.store.decisions_about, subjects)
    if not found:
        return
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for decision in found:
        by_subject.setdefault(str(decision["party_fingerprint"]["key"]), []).append(decision)
    for key, result, party_hits in zip(fingerprints, results, hits, strict=True):
        decisions = by_subject.get(key)
        if not decisions:
            continue
        entities = {hit.entity.id: hit.entity for hit in party_hits}
        for match in result.matches:
            if match.alert:
                _clear_listings(match, decisions, entities, trader)
                _clear_match(match, group)
        result.decision = decision_of([m.alert for m in result.matches])


def _clear_listings(
    match: MatchOut,
    decisions: Sequence[Mapping[str, Any]],
    entities: Mapping[str, Entity],
    trader: str | None,
) -> None:
    for listing in match.listings:
        entity = entities.get(listing.entity_id)
        if not listing.alert or entity is None:
            continue
        clearing = clearing_decision(
            decisions,
            entity_id=listing.entity_id,
            listing_fingerprint=listing_fingerprint(entity),
            trader=trader,
        )
        if clearing is not None:
            listing.alert = False
            listing.cleared = cleared_out(clearing)


def cleared_out(decision: Mapping[str, Any]) -> ClearedOut:
    return ClearedOut(
        by=str(decision["by"]),
        at=str(decision["at"]),
        reason=str(decision["reason"]),
        decision_id=str(decision["decision_id"]),
    )


async def listing_clearances(
    store: StoreAccess, party: Party, entities: Sequence[Entity], trader: str | None = None
) -> dict[str, ClearedOut]:
    """Which of ``entities`` (a listed party's listings) recorded decisions clear for
    ``party``, by entity id: the rule a screening applies, read without screening (the
    party page shows it beside its decision form)."""
    key = party_fingerprint(party.model_dump()).key
    decisions = await store.read(store.store.decisions_about, {key})
    found = {}
    for entity in entities:
        clearing = clearing_decision(
            decisions,
            entity_id=entity.id,
            listing_fingerprint=listing_fingerprint(entity),
            trader=trader,
        )
        if clearing is not None:
            found[entity.id] = cleared_out(clearing)
    return found


def _clear_match(match: MatchOut, group: bool) -> None:
    """The match's own state from its listings' (they are in the party's order; the
    clearance shown is the match's own listing's when it has one, else the first)."""
    own = [listing for listing in match.listings if listing.entity_id == match.entity_id]
    stands_for = match.listings if group else own
    if any(listing.alert for listing in stands_for):
        return
    cleared = [listing.cleared for listing in own + stands_for if listing.cleared is not None]
    if not cleared:
        return
    match.alert = False
    match.reason = reason_as(match.reason, Outcome.CLEARED_BY_DECISION)
    match.cleared = cleared[0]
