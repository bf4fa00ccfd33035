"""Re-screening past parties against what a refresh added or changed.

A party screened clear last week may match an entity designated last night; screening
rules expect the operator to learn that without re-submitting every document. After a
refresh publishes, every party screened in the last N days (from the audit trail) is
screened again — not against the whole index, which would repeat last week's answers,
but against the *added and changed* entities only.

Scores must mean the same as in the service, so the small index over those entities uses
the token rarity of the FULL index (:func:`full_rarity`, computed exactly as
:class:`engines.embedded.EmbeddedIndex` does): a surname that is common across all lists
stays common, even if it is the only name in tonight's additions.

An alert is *new* when the party did not alert on that entity in any of its audit records
and no earlier re-screening reported it (``known``), under the entity's id or, after a
change of source (:mod:`indexer.succession`), under the id the same party had on the
list it replaced. A party that restricted its screening to some lists is re-screened
against those lists only (the replaced list's name counts for its successor). A party
screened by its identifiers (an IMO number, a passport) is re-screened by them too.

By party: the hits on listings of one listed party (``listed_parties``, the links over all
the lists) make one alert, on its best-scoring new listing, naming every listing of the
party and the ones that newly alert. Decisions stay per listing: a hit that a recorded
decision clears (the rule of :mod:`core.clearance`: same party, same listing content, for
every trader the party was screened for) is not an alert; a listing whose names,
identifiers or programs changed at the refresh has another fingerprint, so a clearance
made before does not hold and it alerts again. A listing the party already alerted on (in
a grouped record: each listing whose own ``alert`` was set) is not new.

This module is pure: it reads audit records as plain dicts and returns alerts; the
command line (:mod:`service.cli.refresh_cmd`) wires the audit and alert stores.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from core.clearance import clearing_decision
from core.fingerprint import listing_fingerprint, party_fingerprint
from core.identifiers import IdentifierIndex, identifier_keys
from core.model import Entity, Identifier, IdType, Kind
from core.parties import Party
from core.score import Query, Rarity, prepare_name
from engines.embedded import EmbeddedIndex, Hit
from engines.identifiers import with_identifier_hits
from indexer.diff import ListDiff

Change = Literal["added", "changed"]
RESCREEN_LIMIT = 10


@dataclass(slots=True)
class PastParty:
    """One party as screened (possibly several times) in the window, with what alerted."""

    key: str
    name: str
    type: str | None
    country: str | None
    date_of_birth: str | None
    lists_requested: list[str] | None
    reference: str | None
    role: str | None
    request_id: str
    screened_at: str
    alerted: set[str] = field(default_factory=set)
    identifiers: tuple[str, ...] = ()  # comparable keys (core.identifiers)
    traders: set[str | None] = field(default_factory=set)  # the documents' traders

    def query(self) -> Query:
        return Query(
            name=self.name,
            kind=Kind(self.type) if self.type else None,
            country=self.country,
            birth_date=self.date_of_birth,
            identifiers=self.identifiers,
        )


def identifiers_of(party: dict[str, Any]) -> tuple[str, ...]:
    """The comparable keys of the identifiers an audit record gives for a party."""
    keys: list[str] = []
    for item in party.get("identifiers") or ():
        if not isinstance(item, dict):
            continue
        try:
            kind = IdType(str(item.get("type")))
        except ValueError:
            continue
        identifier = Identifier(
            kind, str(item.get("value") or ""), country_code=item.get("country")
        )
        keys += identifier_keys(identifier)
    return tuple(dict.fromkeys(keys))


def party_key(party: dict[str, Any]) -> str:
    """The identity of a screened party: its fingerprint (normalised name, type, country,
    date of birth, identifiers), as decisions name it. Two documents naming the same
    party share one key."""
    return party_fingerprint(party).key


def past_parties(records: Iterable[dict[str, Any]]) -> list[PastParty]:
    """The distinct parties of audit records (as ``POST /v1/screen`` writes them), each
    with every entity it alerted on in any of them; the latest screening names it."""
    parties: dict[str, PastParty] = {}
    for record in records:
        requested = record.get("lists_requested") or None
        document = record.get("document")
        trader = document.get("trader") if isinstance(document, dict) else None
        for party in record.get("parties", []):
            if not isinstance(party, dict) or not (party.get("name") or identifiers_of(party)):
                continue
            key = party_key(party)
            alerted = alerted_listings(party.get("matches") or [])
            found = parties.get(key)
            if found is None:
                found = parties[key] = PastParty(
                    key=key,
                    name=str(party.get("name") or ""),
                    type=party.get("type"),
                    country=party.get("country"),
                    date_of_birth=party.get("date_of_birth"),
                    lists_requested=list(requested) if requested is not None else None,
                    reference=party.get("reference"),
                    role=party.get("role"),
                    request_id=str(record.get("request_id", "")),
                    screened_at=str(record.get("screened_at", "")),
                    identifiers=identifiers_of(party),
                )
            else:
                found.request_id = str(record.get("request_id", found.request_id))
                found.screened_at = str(record.get("screened_at", found.screened_at))
                if found.lists_requested is not None:
                    # Screened against all lists once: all lists count.
                    found.lists_requested = (
                        None
                        if requested is None
                        else sorted(set(found.lists_requested) | set(requested))
                    )
            found.alerted |= alerted
            found.traders.add(str(trader) if trader else None)
    return list(parties.values())


def alerted_listings(matches: Iterable[Any]) -> set[str]:
    """The listings a recorded party alerted on: each alerting match's own listing, and in
    a grouped record every listing whose own ``alert`` was set (a listing a decision
    cleared that day did not alert)."""
    alerted: set[str] = set()
    for match in matches:
        if not isinstance(match, dict):
            continue
        if match.get("alert") and match.get("entity_id"):
            alerted.add(str(match["entity_id"]))
        for listing in match.get("listings") or ():
            if isinstance(listing, dict) and listing.get("alert") and listing.get("entity_id"):
                alerted.add(str(listing["entity_id"]))
    return alerted


def full_rarity(entities: Iterable[Entity]) -> Rarity:
    """The token rarity of an index over ``entities``, the same as
    ``EmbeddedIndex(entities).rarity`` without building the index's postings."""
    token_lists = []
    for entity in entities:
        for name in entity.names:
            prepared = prepare_name(name.full, entity.kind, name.role)
            if prepared.forms:
                token_lists.append(prepared.forms[0].tokens)
    return Rarity.from_token_lists(token_lists)


def target_index(targets: Sequence[Entity], rarity: Rarity) -> EmbeddedIndex:
    """An index over ``targets`` whose scores use the full index's ``rarity``."""
    index = EmbeddedIndex(targets)
    index.rarity = rarity
    return index


@dataclass(frozen=True, slots=True)
class NewAlert:
    """A past party that alerts on an entity it did not alert on before."""

    party: PastParty
    entity: Entity
    change: Change
    score: float
    matched_name: str
    list_version: str
    index_version: str | None
    alerted_at: str
    listed_party: Party | None = None  # the entity's party over all the lists
    # Every listing of that party that newly alerts in this re-screening (``entity`` first).
    alerting: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "alerted_at": self.alerted_at,
            "party_key": self.party.key,
            "party": {
                "name": self.party.name,
                "type": self.party.type,
                "country": self.party.country,
                "date_of_birth": self.party.date_of_birth,
                "reference": self.party.reference,
                "role": self.party.role,
            },
            "request_id": self.party.request_id,
            "screened_at": self.party.screened_at,
            "entity_id": self.entity.id,
            "list_id": self.entity.list_id,
            "entity_name": self.entity.primary_name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "change": self.change,
            "list_version": self.list_version,
            "index_version": self.index_version,
            "party_id": self.listed_party.id if self.listed_party else None,
            "listings": (
                [listing.to_dict() for listing in self.listed_party.listings]
                if self.listed_party
                else []
            ),
            "alerting_listings": list(self.alerting or (self.entity.id,)),
        }


def targets_of(diffs: Sequence[ListDiff], entities: dict[str, Entity]) -> dict[str, Change]:
    """The added and changed entity ids of ``diffs`` (present in ``entities``)."""
    targets: dict[str, Change] = {}
    for diff in diffs:
        for entity_id in diff.added:
            if entity_id in entities:
                targets[entity_id] = "added"
        for change in diff.changed:
            if change.id in entities:
                targets[change.id] = "changed"
    return targets


def rescreen(
    parties: Sequence[PastParty],
    targets: dict[str, tuple[Entity, Change]],
    rarity: Rarity,
    *,
    list_versions: dict[str, str],
    index_version: str | None,
    known: Collection[tuple[str, str]] = (),
    decisions: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    now: datetime | None = None,
    listed_parties: Mapping[str, Party] | None = None,
    previous_ids: Mapping[str, Sequence[str]] | None = None,
    replaced_lists: Mapping[str, str] | None = None,
) -> list[NewAlert]:
    """Screen each party against the target entities; the alerts that are new.

    ``known``: (party key, entity id) pairs already reported by an earlier re-screening.
    ``listed_parties``: each entity id's party over all the lists, named in the alert.
    ``previous_ids``: new entity id -> its ids on a list it replaced;
    ``replaced_lists``: retired list id -> the list that replaced it.
    ``decisions``: the recorded decisions by party key, oldest first.
    """
    previous_ids = previous_ids or {}
    replaced_lists = replaced_lists or {}
    if not targets or not parties:
        return []
    listed = [entity for entity, _ in targets.values()]
    index = target_index(listed, rarity)
    by_identifier = IdentifierIndex(listed)
    alerted_at = (now or datetime.now(UTC)).isoformat()
    alerts: list[NewAlert] = []
    for party in parties:
        query = party.query()
        wanted = party.lists_requested
        if wanted is not None:
            wanted = sorted(
                {replaced_lists.get(list_id, list_id) for list_id in wanted} | set(wanted)
            )
        hits = index.screen(query, limit=RESCREEN_LIMIT, lists=wanted)
        if query.identifiers:
            found = [listed[p] for p in by_identifier.find(query.identifiers)]
            found = [e for e in found if not wanted or e.list_id in wanted]
            hits = with_identifier_hits(
                hits, found, query, threshold=index.threshold, limit=RESCREEN_LIMIT
            )
        # One alert per listed party: its best-scoring new listing (hits come best first).
        by_party: dict[str, tuple[Hit, list[str]]] = {}
        for hit in sorted(hits, key=lambda h: (-h.score, h.entity.id)):
            entity = hit.entity
            ids = [entity.id, *previous_ids.get(entity.id, ())]
            if not hit.alert or any(i in party.alerted or (party.key, i) in known for i in ids):
                continue
            if cleared(party, entity, (decisions or {}).get(party.key, ())):
                continue
            listed_party = (listed_parties or {}).get(entity.id)
            _best, alerting = by_party.setdefault(
                listed_party.id if listed_party else entity.id, (hit, [])
            )
            alerting.append(entity.id)
        for hit, alerting in by_party.values():
            entity = hit.entity
            alerts.append(
                NewAlert(
                    party=party,
                    entity=entity,
                    change=targets[entity.id][1],
                    score=hit.score,
                    matched_name=hit.explanation.name.listed_name,
                    list_version=list_versions.get(entity.list_id, ""),
                    index_version=index_version,
                    alerted_at=alerted_at,
                    listed_party=(listed_parties or {}).get(entity.id),
                    alerting=tuple(alerting),
                )
            )
    alerts.sort(key=lambda a: (-a.score, a.party.name, a.entity.id))
    return alerts


def cleared(party: PastParty, entity: Entity, decisions: Sequence[Mapping[str, Any]]) -> bool:
    """Whether recorded decisions clear ``party``'s hit on ``entity`` as it is now, for
    every trader it was screened for (the agency's clearance covers them all)."""
    if not decisions:
        return False
    fingerprint = listing_fingerprint(entity)
    return all(
        clearing_decision(
            decisions, entity_id=entity.id, listing_fingerprint=fingerprint, trader=trader
        )
        is not None
        for trader in (party.traders or {None})
    )
