"""Re-screening parties screened by their identifiers, alerts by party naming every listing
of the entity's party and the ones that newly alert, and decisions honoured per listing."""

from __future__ import annotations

from typing import Any

from core.fingerprint import listing_fingerprint, party_fingerprint
from core.model import Entity
from core.parties import parties_of
from indexer.rescreen import Change, full_rarity, party_key, past_parties, rescreen
from tests.linked_parties import KOMID, KOMID_LISTINGS, VESSEL_IMO, linked_lists

RECORD = {
    "request_id": "r1",
    "screened_at": "2026-01-01T00:00:00+00:00",
    "lists_requested": None,
    "parties": [
        {"name": None, "identifiers": [{"type": "imo", "value": VESSEL_IMO, "country": None}]},
        {"name": "Someone Else", "type": None, "country": None, "date_of_birth": None},
    ],
}


def test_a_party_screened_by_its_identifiers_is_re_screened_by_them() -> None:
    entities = [e for p in linked_lists() for e in p.entities]
    by_id = {e.id: e for e in entities}
    parties = past_parties([RECORD])
    assert [p.identifiers for p in parties] == [(f"imo:{VESSEL_IMO}",), ()]
    targets = {"ca-sema:russia/1-1/21": (by_id["ca-sema:russia/1-1/21"], "added")}
    [alert] = rescreen(
        parties,
        {k: (v[0], "added") for k, v in targets.items()},
        full_rarity(entities),
        list_versions={},
        index_version="x",
        listed_parties=parties_of(entities),
    )
    record = alert.to_dict()
    assert record["entity_id"] == "ca-sema:russia/1-1/21" and record["score"] == 1.0
    assert [item["entity_id"] for item in record["listings"]] == [
        "au-dfat:8228",
        "ca-sema:russia/1-1/21",
    ]
    assert record["party_id"].startswith("P")


def test_a_party_s_key_is_its_fingerprint_and_its_identifiers_count() -> None:
    """The re-screening's party key is the fingerprint decisions name (core.fingerprint), so
    a decision and an alert speak of the same party; an identifier makes another party."""
    party = {"name": " Ivan  Petrov ", "type": "person", "country": "ru", "date_of_birth": None}
    assert party_key(party) == party_fingerprint(party).key
    assert party_key(party) == party_key({**party, "name": "IVAN PETROV", "country": "RU"})
    with_id = {**party, "identifiers": [{"type": "passport", "value": "710000001"}]}
    assert party_key(with_id) != party_key(party)


def _komid_rescreen(
    record: dict[str, Any], decisions: dict[str, list[dict[str, Any]]] | None = None
) -> list[dict[str, Any]]:
    """Re-screen ``record``'s parties against three of KOMID's listings, as added."""
    entities = [e for p in linked_lists() for e in p.entities]
    by_id = {e.id: e for e in entities}
    ids = ("un-sc:KPe.001", "gb-ofsi:10892", "au-dfat:1113")
    targets: dict[str, tuple[Entity, Change]] = {i: (by_id[i], "added") for i in ids}
    alerts = rescreen(
        past_parties([record]),
        targets,
        full_rarity(entities),
        list_versions={},
        index_version="x",
        decisions=decisions,
        listed_parties=parties_of(entities),
    )
    return [alert.to_dict() for alert in alerts]


def _grouped(alerted: set[str]) -> dict[str, Any]:
    """A grouped record of KOMID screened, its listings in ``alerted`` alerting that day."""
    listings = [
        {"entity_id": i, "list": i.split(":")[0], "name": KOMID, "alert": i in alerted}
        for i in ("un-sc:KPe.001", "gb-ofsi:10892", "au-dfat:1113")
    ]
    matches = [{"entity_id": "un-sc:KPe.001", "alert": bool(alerted), "listings": listings}]
    return {
        "request_id": "r2",
        "screened_at": "2026-01-01T00:00:00+00:00",
        "parties": [{"name": KOMID, "type": "organization", "matches": matches}],
    }


def test_re_screening_alerts_once_per_listed_party_naming_the_listings_that_alert() -> None:
    [alert] = _komid_rescreen(_grouped(set()))
    assert sorted(alert["alerting_listings"]) == ["au-dfat:1113", "gb-ofsi:10892", "un-sc:KPe.001"]
    assert alert["entity_id"] == alert["alerting_listings"][0]
    assert len(alert["listings"]) == len(KOMID_LISTINGS)


def test_a_listing_that_alerted_before_in_a_grouped_record_is_not_new() -> None:
    [alert] = _komid_rescreen(_grouped({"un-sc:KPe.001"}))
    assert sorted(alert["alerting_listings"]) == ["au-dfat:1113", "gb-ofsi:10892"]
    assert _komid_rescreen(_grouped({"un-sc:KPe.001", "gb-ofsi:10892", "au-dfat:1113"})) == []


def test_re_screening_honours_decisions_per_listing() -> None:
    entities = {e.id: e for p in linked_lists() for e in p.entities}
    party = {"name": KOMID, "type": "organization"}
    key = party_fingerprint(party).key
    cleared = [
        {
            "decision_id": f"d-{entity_id}",
            "decision": "cleared",
            "scope": {"type": "agency"},
            "at": "2026-01-02T00:00:00+00:00",
            "entity_id": entity_id,
            "party_fingerprint": {"key": key},
            "listing": {"fingerprint": listing_fingerprint(entities[entity_id])},
        }
        for entity_id in ("un-sc:KPe.001", "gb-ofsi:10892")
    ]
    [alert] = _komid_rescreen(_grouped(set()), {key: cleared})
    assert alert["alerting_listings"] == ["au-dfat:1113"] and alert["entity_id"] == "au-dfat:1113"
    everything = [*cleared, {**cleared[0], "entity_id": "au-dfat:1113", "listing": {
        "fingerprint": listing_fingerprint(entities["au-dfat:1113"])}}]  # fmt: skip
    assert _komid_rescreen(_grouped(set()), {key: everything}) == []
