"""Decisions on a party that several lists name, on both stores: decisions stay per listing,
so a party cleared against one listing still alerts on the others; cleared against every
listing that alerts, it is cleared (score kept, no alert); of an ended and a live listing
the live one decides; the audit record and an idempotent replay keep each listing's state."""

from __future__ import annotations

from typing import Any

import pytest

from core.model import Entity, Identifier, IdType, Kind, Name, ParsedList
from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from tests.linked_parties import KOMID, KOMID_LISTINGS, linked_lists
from tests.service.conftest import MakeClient, MakeStore, TestClient

PARTY = {"name": KOMID, "type": "organization"}
UN = "un-sc:KPe.001"


@pytest.fixture(scope="module")
def linked_engine() -> EmbeddedEngine:
    return build_embedded(linked_lists())


@pytest.fixture
def linked(make_client: MakeClient, make_store: MakeStore, linked_engine: EmbeddedEngine) -> Any:
    return make_client(engine_=linked_engine, store=make_store())


def screen(client: TestClient, party: dict[str, Any] = PARTY, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/screen", json={"parties": [party], **extra})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def party_match(answer: dict[str, Any], listings: tuple[str, ...] = KOMID_LISTINGS) -> Any:
    [found] = [m for m in answer["results"][0]["matches"] if m["entity_id"] in listings]
    return found


def clear(client: TestClient, entity_id: str, party: dict[str, Any] = PARTY) -> dict[str, Any]:
    body = {"party": party, "entity_id": entity_id, "decision": "cleared", "reason": "not it"}
    response = client.post("/v1/decisions", json=body)
    assert response.status_code == 201, response.text
    decided: dict[str, Any] = response.json()
    return decided


def states(match: dict[str, Any]) -> dict[str, tuple[bool, str | None]]:
    """Each listing's (alert, id of the decision that cleared it)."""
    return {
        item["entity_id"]: (
            item["alert"],
            item["cleared"]["decision_id"] if item["cleared"] else None,
        )
        for item in match["listings"]
    }


def test_a_party_cleared_on_one_listing_still_alerts_on_the_others(linked: TestClient) -> None:
    before = party_match(screen(linked))
    assert before["alert"] is True
    assert all(alert and not cleared for alert, cleared in states(before).values())
    decided = clear(linked, UN)

    answer = screen(linked)
    match = party_match(answer)
    assert answer["decision"] == "alert" and answer["results"][0]["decision"] == "alert"
    assert match["alert"] is True and match["cleared"] is None
    assert match["entity_id"] == before["entity_id"] and match["score"] == before["score"]
    assert match["reason"].startswith("Alert.")
    found = states(match)
    assert found[UN] == (False, decided["decision_id"])
    assert all(found[i] == (True, None) for i in KOMID_LISTINGS if i != UN)
    un = next(item for item in match["listings"] if item["entity_id"] == UN)
    assert un["cleared"]["by"] == "anonymous-loopback" and un["cleared"]["reason"] == "not it"

    # Each listing is its own match with group=false: the UN's is cleared, the others alert.
    flat = {m["entity_id"]: m for m in screen(linked, group=False)["results"][0]["matches"]}
    assert (
        flat[UN]["alert"] is False and flat[UN]["cleared"]["decision_id"] == decided["decision_id"]
    )
    assert all(
        flat[i]["alert"] is True and flat[i]["cleared"] is None for i in KOMID_LISTINGS if i != UN
    )


def test_a_party_cleared_on_every_alerting_listing_is_cleared(linked: TestClient) -> None:
    before = party_match(screen(linked))
    decided = {entity_id: clear(linked, entity_id)["decision_id"] for entity_id in KOMID_LISTINGS}

    answer = screen(linked)
    match = party_match(answer)
    assert answer["decision"] == "clear" and answer["results"][0]["decision"] == "clear"
    assert match["alert"] is False and match["score"] == before["score"]
    assert match["reason"].startswith("Cleared by decision.")
    # The match's clearance is that of its own (best-scoring) listing.
    assert match["cleared"]["decision_id"] == decided[match["entity_id"]]
    assert states(match) == {i: (False, decided[i]) for i in KOMID_LISTINGS}

    # The audit record names each listing with its own state and the decision that cleared it.
    record = linked.get(f"/v1/audit/{answer['request_id']}").json()
    [recorded] = [m for m in record["parties"][0]["matches"] if m["entity_id"] in KOMID_LISTINGS]
    assert recorded["alert"] is False and recorded["cleared"] == decided[match["entity_id"]]
    assert {item["entity_id"]: item.get("cleared") for item in recorded["listings"]} == decided
    assert not any(item["alert"] for item in recorded["listings"])


def test_a_clearance_holds_for_that_party_only(linked: TestClient) -> None:
    for entity_id in KOMID_LISTINGS:
        clear(linked, entity_id)
    other = {**PARTY, "country": "KP"}  # other details: another party, not cleared
    match = party_match(screen(linked, other))
    assert match["alert"] is True and match["cleared"] is None
    assert all(alert and not cleared for alert, cleared in states(match).values())


def test_an_idempotent_replay_is_the_grouped_answer_as_first_answered(linked: TestClient) -> None:
    headers = {"Idempotency-Key": "doc-41-try"}
    body = {"parties": [PARTY]}
    first = linked.post("/v1/screen", json=body, headers=headers)
    clear(linked, UN)
    again = linked.post("/v1/screen", json=body, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.content == first.content
    assert states(party_match(again.json()))[UN] == (True, None)  # as answered before
    assert states(party_match(screen(linked)))[UN][0] is False  # a new screening: cleared


def _ended_and_live() -> list[ParsedList]:
    """A company the World Bank debarred until 2020 (the listing ended) and OFAC lists (in
    force), one party by their shared registration number."""
    number = [Identifier(IdType.REGISTRATION, "91310000MA1FL0XX7Q", country_code="CN")]
    debarred = Entity(
        "world-bank-debarred:9001",
        "world-bank-debarred",
        Kind.ORGANIZATION,
        [Name("ZENTRAX HOLDINGS LIMITED")],
        identifiers=number,
        ends_on="2020-01-01",
    )
    sanctioned = Entity(
        "us-ofac-sdn:9002",
        "us-ofac-sdn",
        Kind.ORGANIZATION,
        [Name("ZENTRAX HOLDINGS GROUP LIMITED")],
        identifiers=list(number),
        programs=["IRAN"],
    )
    return [
        ParsedList("world-bank-debarred", None, [debarred]),
        ParsedList("us-ofac-sdn", None, [sanctioned]),
    ]


def test_of_an_ended_and_a_live_listing_the_live_one_decides(
    make_client: MakeClient, make_store: MakeStore
) -> None:
    client = make_client(engine_=build_embedded(_ended_and_live()), store=make_store())
    party = {"name": "Zentrax Holdings Limited", "type": "organization"}
    listings = ("world-bank-debarred:9001", "us-ofac-sdn:9002")
    before = party_match(screen(client, party, min_score=0), listings)
    assert before["entity_id"] == "us-ofac-sdn:9002" and before["alert"] is True
    # The ended listing scores best but does not alert: only the live one needs a decision.
    assert states(before) == {listings[0]: (False, None), listings[1]: (True, None)}
    decided = clear(client, "us-ofac-sdn:9002", party)
    answer = screen(client, party, min_score=0)
    match = party_match(answer, listings)
    assert match["alert"] is False and match["cleared"]["decision_id"] == decided["decision_id"]
    assert match["reason"].startswith("Cleared by decision.")
    assert states(match) == {
        listings[0]: (False, None),
        listings[1]: (False, decided["decision_id"]),
    }
    assert answer["decision"] == "clear"
