"""One match per party: /v1/screen and /v1/search group listings of one party, name every
listing (in the answer and in the audit record), keep the per-listing answer on
``group=false``, and screen a party by its identifiers with or without a name."""

from __future__ import annotations

from typing import Any

import pytest

from core.model import Entity, Identifier, IdType, Kind, Name, ParsedList
from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from tests.linked_parties import KOMID, KOMID_LISTINGS, VESSEL_IMO, linked_lists
from tests.service.conftest import MakeClient, TestClient

# The contract's fields of a listing, and the state of each listing in this screening.
LISTING_FIELDS = {"list_id", "entity_id", "name", "programs", "listed_on"}
LISTING_STATE = {"alert", "cleared"}


@pytest.fixture(scope="module")
def linked_engine() -> EmbeddedEngine:
    return build_embedded(linked_lists())


@pytest.fixture
def linked(make_client: MakeClient, linked_engine: EmbeddedEngine) -> TestClient:
    return make_client(engine_=linked_engine)


def screen(client: TestClient, *parties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/screen", json={"parties": list(parties), **extra})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_one_match_per_party_naming_every_listing(linked: TestClient) -> None:
    [result] = screen(linked, {"name": KOMID})["results"]
    komid = [m for m in result["matches"] if m["entity_id"] in KOMID_LISTINGS]
    assert len(komid) == 1, "one party, one match"
    [match] = komid
    assert match["alert"] is True and match["score"] == 1.0
    assert match["party_id"].startswith("P")
    assert [listing["entity_id"] for listing in match["listings"]] == list(KOMID_LISTINGS)
    for listing in match["listings"]:
        assert set(listing) == LISTING_FIELDS | LISTING_STATE
    un = next(item for item in match["listings"] if item["list_id"] == "un-sc")
    assert un == {
        "list_id": "un-sc",
        "entity_id": "un-sc:KPe.001",
        "name": KOMID,
        "programs": ["DPRK"],
        "listed_on": "2009-04-24",
        "alert": True,
        "cleared": None,
    }
    # the match keeps the listing that scored best as its entity_id, score and alert
    assert {"entity_id", "score", "alert", "explanation", "list"} <= set(match)


def test_group_false_keeps_the_per_listing_answer(linked: TestClient) -> None:
    [result] = screen(linked, {"name": KOMID}, group=False)["results"]
    komid = [m for m in result["matches"] if m["entity_id"] in KOMID_LISTINGS]
    assert sorted(m["entity_id"] for m in komid) == sorted(KOMID_LISTINGS)
    assert len({m["party_id"] for m in komid}) == 1
    assert all(len(m["listings"]) == len(KOMID_LISTINGS) for m in komid)


def test_limit_counts_parties_when_grouped(linked: TestClient) -> None:
    [result] = screen(linked, {"name": KOMID}, limit=1, min_score=0)["results"]
    assert len(result["matches"]) == 1
    assert len(result["matches"][0]["listings"]) == len(KOMID_LISTINGS)


def test_the_audit_record_names_every_listing(linked: TestClient) -> None:
    answer = screen(linked, {"name": KOMID})
    record = linked.get(f"/v1/audit/{answer['request_id']}").json()
    [party] = record["parties"]
    [match] = [m for m in party["matches"] if m["entity_id"] in KOMID_LISTINGS]
    assert [item["entity_id"] for item in match["listings"]] == list(KOMID_LISTINGS)
    # each listing with its list, its name and its own alert (decisions are per listing)
    assert all(set(item) == {"entity_id", "list", "name", "alert"} for item in match["listings"])
    assert all(item["list"] == item["entity_id"].split(":")[0] for item in match["listings"])
    assert match["party_id"] == answer["results"][0]["matches"][0]["party_id"]
    assert record["group"] is True


def test_a_party_given_only_an_identifier_finds_the_vessel(linked: TestClient) -> None:
    answer = screen(linked, {"identifiers": [{"type": "imo", "value": f"IMO {VESSEL_IMO}"}]})
    assert answer["decision"] == "alert"
    [result] = answer["results"]
    assert result["name"] is None
    [match] = result["matches"]  # two listings of one vessel: one party
    assert match["alert"] is True
    assert {item["entity_id"] for item in match["listings"]} == {
        "au-dfat:8228",
        "ca-sema:russia/1-1/21",
    }
    [evidence] = match["explanation"]["evidence"]
    assert evidence["factor"] == "identifier"
    assert evidence["detail"] == f"IMO number {VESSEL_IMO}, as listed"


def test_an_identifier_alerts_where_the_name_differs(linked: TestClient) -> None:
    party = {"name": "Unrelated Name", "identifiers": [{"type": "imo", "value": "8691702"}]}
    [result] = screen(linked, party)["results"]
    assert result["decision"] == "alert"
    assert {m["entity_id"] for m in result["matches"]} <= {"gb-ofsi:13658", "us-ofac-sdn:23744"}


@pytest.mark.parametrize(
    ("party", "message"),
    [
        ({}, "a party needs a name, or identifiers to screen by"),
        ({"identifiers": [{"type": "imo", "value": "9187628"}]}, "not a valid imo number"),
        ({"identifiers": [{"type": "passport", "value": "000"}]}, "too short"),
        ({"identifiers": [{"type": "email", "value": "a@b.example"}]}, "'swift_bic'"),
        ({"identifiers": [{"type": "passport", "value": "A1234567!"}]}, "5 or more letters"),
        ({"name": "\u200b", "identifiers": [{"type": "imo", "value": "9187629"}]}, "blank"),
        ({"identifiers": [{"type": "fingerprint", "value": "x"}]}, "imo"),
        ({"identifiers": [{"type": "imo", "value": "9187629", "extra": 1}]}, "extra"),
    ],
)
def test_identifiers_are_checked(linked: TestClient, party: dict[str, Any], message: str) -> None:
    response = linked.post("/v1/screen", json={"parties": [party]})
    assert response.status_code == 422
    assert message in response.text


def test_search_groups_by_party_unless_asked_not_to(linked: TestClient) -> None:
    grouped = linked.get("/v1/search", params={"q": KOMID}).json()["matches"]
    komid = [m for m in grouped if m["entity_id"] in KOMID_LISTINGS]
    assert len(komid) == 1 and len(komid[0]["listings"]) == len(KOMID_LISTINGS)
    flat = linked.get("/v1/search", params={"q": KOMID, "group": "false"}).json()["matches"]
    assert len([m for m in flat if m["entity_id"] in KOMID_LISTINGS]) == len(KOMID_LISTINGS)


def test_a_listing_linked_to_no_other_is_a_party_of_its_own(
    client: TestClient,
) -> None:
    [result] = screen(client, {"name": "OCEAN STAR"})["results"]
    for match in result["matches"]:
        assert [item["entity_id"] for item in match["listings"]] == [match["entity_id"]]


def test_a_party_by_its_id_with_every_listing_and_the_evidence(linked: TestClient) -> None:
    [result] = screen(linked, {"name": KOMID})["results"]
    party_id = result["matches"][0]["party_id"]
    answer = linked.get(f"/v1/parties/{party_id}").json()
    assert answer["party_id"] == party_id
    assert [item["entity_id"] for item in answer["listings"]] == list(KOMID_LISTINGS)
    assert [entity["id"] for entity in answer["entities"]] == list(KOMID_LISTINGS)
    assert {"a", "b", "kind", "strength", "evidence"} == set(answer["links"][0])
    assert "UN reference KPe.001 on both listings" in {link["evidence"] for link in answer["links"]}
    assert linked.get("/v1/parties/P0000000000000000").status_code == 404
    assert linked.get("/v1/parties/not-a-party").status_code == 422


def test_a_party_kept_apart_names_the_split(linked: TestClient) -> None:
    [result] = screen(linked, {"name": "Hassan Ali Dhoore"}, min_score=0)["results"]
    dfat = next(m for m in result["matches"] if m["entity_id"] == "au-dfat:1295")
    [split] = linked.get(f"/v1/parties/{dfat['party_id']}").json()["splits"]
    assert split["cause"] == "birth_date" and "au-dfat:1295" in split["entity_ids"]


def _debarred_and_sanctioned() -> list[ParsedList]:
    """A company the World Bank debarred until 2020 (the listing ended) and OFAC lists
    (in force), one party by their shared registration number."""
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
    lonely = Entity(
        "world-bank-debarred:9003",
        "world-bank-debarred",
        Kind.ORGANIZATION,
        [Name("QUORVANT MARINE SERVICES LLC")],
        ends_on="2019-06-30",
    )
    return [
        ParsedList("world-bank-debarred", None, [debarred, lonely]),
        ParsedList("us-ofac-sdn", None, [sanctioned]),
    ]


def test_the_live_listing_of_a_party_decides_not_its_ended_one(make_client: MakeClient) -> None:
    client = make_client(engine_=build_embedded(_debarred_and_sanctioned()))
    party = {"name": "Zentrax Holdings Limited", "type": "organization"}
    flat = screen(client, party, group=False, min_score=0)["results"][0]["matches"]
    scores = {m["entity_id"]: m["score"] for m in flat}
    # The ended listing scores best (its name is the one searched), the live one alerts.
    assert scores["world-bank-debarred:9001"] > scores["us-ofac-sdn:9002"]
    assert {m["entity_id"]: m["alert"] for m in flat}["us-ofac-sdn:9002"] is True
    [result] = screen(client, party, min_score=0)["results"]
    [match] = [m for m in result["matches"] if m["entity_id"].endswith(("9001", "9002"))]
    assert match["entity_id"] == "us-ofac-sdn:9002" and match["alert"] is True
    assert match["listing_ended"] is False and match["reason"].startswith("Alert.")
    assert {item["entity_id"] for item in match["listings"]} == {
        "world-bank-debarred:9001",
        "us-ofac-sdn:9002",
    }
    assert result["decision"] == "alert"


def test_a_party_listed_only_by_an_ended_listing_does_not_alert(make_client: MakeClient) -> None:
    client = make_client(engine_=build_embedded(_debarred_and_sanctioned()))
    [result] = screen(client, {"name": "Quorvant Marine Services LLC"}, min_score=0)["results"]
    top = result["matches"][0]
    assert top["entity_id"] == "world-bank-debarred:9003" and top["score"] >= 0.62
    assert top["alert"] is False and top["listing_ended"] is True
    assert top["reason"].startswith("Listing ended.") and result["decision"] == "clear"
