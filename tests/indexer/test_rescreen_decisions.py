"""Re-screening after a refresh honours decisions by the rule the API applies: a hit cleared
for this party and this listing content is no new alert; once the listing changed (another
fingerprint) it is, and a trader's clearance covers that trader's screenings only."""

from __future__ import annotations

import dataclasses
from typing import Any

from core.fingerprint import listing_fingerprint, party_fingerprint
from core.model import Entity
from indexer.registry import parse_list
from indexer.rescreen import full_rarity, past_parties, rescreen
from tests.conftest import FIXTURES

LISTED = "us-ofac-sdn:1001"
PARTY = {"name": "Ahmad Ali Hassan", "type": "person"}


def entities() -> list[Entity]:
    return parse_list("us-ofac-sdn", FIXTURES / "us-ofac-sdn").entities


def record(trader: str | None = None) -> dict[str, Any]:
    return {
        "request_id": "r1",
        "screened_at": "2026-11-01T00:00:00+00:00",
        "document": {"trader": trader} if trader else None,
        "parties": [{**PARTY, "matches": []}],
    }


def cleared(entity: Entity, scope: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "decision_id": "d1",
        "decision": "cleared",
        "scope": scope or {"type": "agency"},
        "at": "2026-11-02T00:00:00+00:00",
        "entity_id": entity.id,
        "party_fingerprint": {"key": party_fingerprint(PARTY).key},
        "listing": {"fingerprint": listing_fingerprint(entity)},
    }


def new_alerts(records: list[dict[str, Any]], entity: Entity, decisions: list[Any]) -> list[str]:
    everything = entities()
    found = rescreen(
        past_parties(records),
        {entity.id: (entity, "changed")},
        full_rarity(everything),
        list_versions={},
        index_version=None,
        decisions={party_fingerprint(PARTY).key: decisions},
    )
    return [a.entity.id for a in found]


def test_a_cleared_hit_is_no_new_alert_until_the_listing_changes() -> None:
    entity = next(e for e in entities() if e.id == LISTED)
    assert new_alerts([record()], entity, []) == [LISTED]
    assert new_alerts([record()], entity, [cleared(entity)]) == []
    changed = dataclasses.replace(entity, programs=[*entity.programs, "NEW-EO"])
    assert listing_fingerprint(changed) != listing_fingerprint(entity)
    assert new_alerts([record()], changed, [cleared(entity)]) == [LISTED]


def test_a_traders_clearance_covers_that_traders_screenings_only() -> None:
    entity = next(e for e in entities() if e.id == LISTED)
    mine = cleared(entity, {"type": "trader", "trader": "T1"})
    assert new_alerts([record("T1")], entity, [mine]) == []
    assert new_alerts([record("T1"), record("T2")], entity, [mine]) == [LISTED]
    assert new_alerts([record()], entity, [mine]) == [LISTED]
