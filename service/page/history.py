"""An officer's history on the lookup page, read from the audit trail and nothing else.

Every search and batch of the page is already a record of the audit chain (channel
``page-search`` or ``page-batch``, the officer's key name, the parties, each candidate's
score, alert and the decision that cleared it, the list and index versions screened
against), so the history stores nothing of its own: it lists the officer's records newest
first (:meth:`service.store.base.Store.screenings_by`) and reopens one as it was answered
that day, with the list versions of that day beside the ones loaded now.

A record of a grouped screening (every record since screening by party) keeps each
candidate's party and every listing of it with that listing's own alert and the decision
that cleared it; an older record has one listing per candidate. Both reopen: a candidate's
``listings`` are empty for the old ones.

What the record does not keep is the explanation (it is rebuilt from the lists of that
day, which the service no longer holds): a reopened check shows the outcome, the score
and the name that matched, and offers to search again with today's lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from core.score import ALERT_THRESHOLD
from engines.base import IndexInfo
from service.audit import PAGE_BATCH, PAGE_SEARCH
from service.outcomes import REVIEW_LINE, Outcome, party_outcome
from service.schemas import ClearedOut

HISTORY_CHANNELS = (PAGE_SEARCH, PAGE_BATCH)
PAGE_SIZE = 25  # history entries a page


@dataclass(frozen=True, slots=True)
class RecordedListing:
    """One listing of a candidate's party, as a grouped record keeps it."""

    entity_id: str
    list_id: str
    name: str
    alert: bool
    decision_id: str | None  # the decision that cleared this listing, when one did
    cleared: ClearedOut | None = None  # that decision, read from the trail


@dataclass(frozen=True, slots=True)
class RecordedCandidate:
    """One candidate as the record keeps it."""

    entity_id: str
    list_id: str
    name: str  # the listing's name (records written before it was kept: the matched name)
    matched_name: str
    score: float
    outcome: Outcome
    decision_id: str | None  # the decision that cleared it, when one did
    cleared: ClearedOut | None = None  # that decision, read from the trail
    party_id: str | None = None  # grouped records: the listed party
    listings: tuple[RecordedListing, ...] = ()  # grouped records: every listing of it

    # What the page's score gauge reads (the alert threshold is today's: records keep the
    # alert itself, which the outcome shows).
    threshold: float = ALERT_THRESHOLD

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def cleared_listings(self) -> list[tuple[str, ClearedOut]]:
        """(list id, decision) of each listing a decision cleared (as the search shows)."""
        return [(item.list_id, item.cleared) for item in self.listings if item.cleared]

    @property
    def decision_ids(self) -> set[str]:
        found = {item.decision_id for item in self.listings if item.decision_id}
        return found | ({self.decision_id} if self.decision_id else set())


@dataclass(frozen=True, slots=True)
class RecordedParty:
    name: str
    type: str | None
    country: str | None
    date_of_birth: str | None
    outcome: Outcome
    candidates: tuple[RecordedCandidate, ...]
    fingerprint: str | None

    @property
    def details(self) -> str:
        return " · ".join(v for v in (self.type, self.country, self.date_of_birth) if v)


@dataclass(frozen=True, slots=True)
class RecordedList:
    """A list version screened against, and the version of that list loaded now."""

    id: str
    version: str
    published: str | None
    loaded_now: str | None  # None: the list is not loaded any more

    @property
    def changed(self) -> bool:
        return self.loaded_now != self.version


@dataclass(frozen=True, slots=True)
class RecordedScreening:
    """One search or batch of the page, as its audit record says it was answered."""

    record_id: str
    seq: int | None
    channel: str
    screened_at: datetime
    key_name: str | None
    parties: tuple[RecordedParty, ...]
    lists: tuple[RecordedList, ...]
    index_version: str
    lists_requested: tuple[str, ...] | None

    @property
    def is_batch(self) -> bool:
        return self.channel == PAGE_BATCH

    @property
    def outcome(self) -> Outcome:
        return party_outcome(party.outcome for party in self.parties)

    @property
    def when(self) -> str:
        return self.screened_at.strftime("%Y-%m-%d %H:%M UTC")

    @property
    def alerts(self) -> int:
        return sum(1 for party in self.parties if party.outcome is Outcome.ALERT)

    def search_again(self) -> str | None:
        """The page's search for this record's name with today's lists (searches only)."""
        if self.is_batch or not self.parties:
            return None
        party = self.parties[0]
        pairs = [
            ("q", party.name),
            ("type", party.type or ""),
            ("country", party.country or ""),
            ("dob", party.date_of_birth or ""),
        ]
        pairs += [("list", list_id) for list_id in self.lists_requested or ()]
        return "/?" + urlencode([(k, v) for k, v in pairs if v])


def candidate_outcome_of(match: Mapping[str, Any]) -> Outcome:
    """The glossary's word for a recorded candidate: what the answer said that day (the
    record's ``alert``, not today's threshold)."""
    if match.get("cleared"):
        return Outcome.CLEARED_BY_DECISION
    if match.get("alert"):
        return Outcome.ALERT
    return Outcome.NEEDS_REVIEW if float(match.get("score", 0.0)) >= REVIEW_LINE else Outcome.CLEAR


def _candidate(match: Mapping[str, Any]) -> RecordedCandidate:
    matched = str(match.get("matched_name") or "")
    return RecordedCandidate(
        entity_id=str(match["entity_id"]),
        list_id=str(match.get("list") or ""),
        name=str(match.get("name") or matched),
        matched_name=matched,
        score=float(match.get("score", 0.0)),
        outcome=candidate_outcome_of(match),
        decision_id=str(match["cleared"]) if match.get("cleared") else None,
        party_id=str(match["party_id"]) if match.get("party_id") else None,
        listings=tuple(_listing(item) for item in match.get("listings") or ()),
    )


def _listing(item: Any) -> RecordedListing:
    if not isinstance(item, Mapping):  # a record written between parties and decisions
        return RecordedListing(str(item), str(item).split(":", 1)[0], "", False, None)
    return RecordedListing(
        entity_id=str(item.get("entity_id") or ""),
        list_id=str(item.get("list") or ""),
        name=str(item.get("name") or ""),
        alert=bool(item.get("alert")),
        decision_id=str(item["cleared"]) if item.get("cleared") else None,
    )


def _party(party: Mapping[str, Any]) -> RecordedParty:
    candidates = tuple(_candidate(m) for m in party.get("matches") or ())
    return RecordedParty(
        name=str(party.get("name") or ""),
        type=party.get("type"),
        country=party.get("country"),
        date_of_birth=party.get("date_of_birth"),
        outcome=party_outcome(c.outcome for c in candidates),
        candidates=candidates,
        fingerprint=party.get("fingerprint"),
    )


def recorded_screening(
    record: Mapping[str, Any], info: IndexInfo | None, seq: int | None = None
) -> RecordedScreening:
    """The record as the history shows it; ``info`` (what is loaded now) gives each list's
    current version beside the recorded one."""
    loaded = {item.id: item.version for item in info.lists} if info else {}
    lists = tuple(
        RecordedList(
            id=str(item["id"]),
            version=str(item["version"]),
            published=item.get("published"),
            loaded_now=loaded.get(str(item["id"])),
        )
        for item in record.get("lists") or ()
    )
    requested = record.get("lists_requested")
    return RecordedScreening(
        record_id=str(record["request_id"]),
        seq=seq,
        channel=str(record.get("channel") or ""),
        screened_at=datetime.fromisoformat(str(record["screened_at"])),
        key_name=record.get("key_name"),
        parties=tuple(_party(p) for p in record.get("parties") or ()),
        lists=lists,
        index_version=str(record.get("index_version") or ""),
        lists_requested=tuple(requested) if requested else None,
    )


def with_decisions(
    screening: RecordedScreening, decisions: Sequence[Mapping[str, Any]]
) -> RecordedScreening:
    """The screening with each cleared candidate's decision (who, when, why) filled in
    from the decisions of the trail (``decisions_about`` the parties' fingerprints)."""
    by_id = {str(d["decision_id"]): d for d in decisions}

    def cleared(decision_id: str | None) -> ClearedOut | None:
        found = by_id.get(decision_id or "")
        if found is None:
            return None
        return ClearedOut(
            by=str(found["by"]),
            at=str(found["at"]),
            reason=str(found["reason"]),
            decision_id=str(found["decision_id"]),
        )

    def filled(candidate: RecordedCandidate) -> RecordedCandidate:
        listings = tuple(
            replace(item, cleared=cleared(item.decision_id)) for item in candidate.listings
        )
        return replace(candidate, cleared=cleared(candidate.decision_id), listings=listings)

    parties = tuple(
        replace(p, candidates=tuple(filled(c) for c in p.candidates)) for p in screening.parties
    )
    return replace(screening, parties=parties)


def cleared_fingerprints(screening: RecordedScreening) -> set[str]:
    """The fingerprints of the parties some decision cleared a candidate of."""
    return {
        p.fingerprint
        for p in screening.parties
        if p.fingerprint and any(c.decision_ids for c in p.candidates)
    }
