"""Re-screening parties screened by their identifiers, and alerts naming every listing of
the entity's party."""

from __future__ import annotations

from core.fingerprint import party_fingerprint
from core.parties import parties_of
from indexer.rescreen import full_rarity, party_key, past_parties, rescreen
from tests.linked_parties import VESSEL_IMO, linked_lists

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
