"""The yente-compatible endpoints: request bodies as yente's documentation writes them and
as the ``followthemoney`` package builds them, answered in yente's shape and audited like
POST /v1/screen."""

from __future__ import annotations

import csv
import functools
from typing import Any

import pytest
from followthemoney import model

from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from indexer.registry import parse_list
from tests.conftest import SHARED, shared_list
from tests.service.conftest import Keys, MakeClient, TestClient

# From yente's own example client (examples/match_api.py): two queries, one with names in
# two scripts, one with a jurisdiction written as a country name.
YENTE_DOCS_BODY: dict[str, Any] = {
    "queries": {
        "q1": {
            "schema": "Person",
            "properties": {
                "name": ["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"],
                "birthDate": ["1951"],
            },
        },
        "q2": {
            "schema": "Company",
            "properties": {"name": ["Stroygazmontazh"], "jurisdiction": ["Russia"]},
        },
    }
}
# From the docstring of yente's /match endpoint.
YENTE_DOCSTRING_BODY: dict[str, Any] = {
    "queries": {
        "entity1": {
            "schema": "Person",
            "properties": {
                "name": ["John Doe"],
                "birthDate": ["1975-04-21"],
                "nationality": ["us"],
            },
        },
        "entity2": {
            "schema": "Company",
            "properties": {
                "name": ["Brilliant Amazing Limited"],
                "jurisdiction": ["hk"],
                "registrationNumber": ["84BA99810"],
            },
        },
    }
}
RESULT_FIELDS = {
    "id", "caption", "schema", "properties", "datasets", "referents", "target",
    "first_seen", "last_seen", "last_change", "score", "features", "match",
}  # fmt: skip


def ftm_query(schema: str, **properties: list[str]) -> dict[str, Any]:
    """An example entity built by followthemoney, as a yente client builds its queries."""
    entity = model.make_entity(schema)
    entity.id = "query"
    for name, values in properties.items():
        for value in values:
            entity.add(name, value)
    data: dict[str, Any] = entity.to_dict()
    return {"schema": data["schema"], "properties": data["properties"]}


@functools.cache
def _real_engine() -> EmbeddedEngine:
    return build_embedded(
        [
            parse_list("us-ofac-sdn", shared_list("us-ofac-sdn", "2023-12-28")),
            parse_list("un-sc", shared_list("un-sc", "2026-08-01")),
        ]
    )


@pytest.fixture
def real(make_client: MakeClient, keys: Keys) -> TestClient:
    shared_list("us-ofac-sdn", "2023-12-28")
    shared_list("un-sc", "2026-08-01")
    return make_client(engine_=_real_engine(), keys=keys.ring())


def test_yentes_documented_request_is_answered_in_yentes_shape(client: TestClient) -> None:
    for body in (YENTE_DOCS_BODY, YENTE_DOCSTRING_BODY):
        response = client.post("/match/default", json=body)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert set(answer["responses"]) == set(body["queries"])
        assert {"responses", "matcher", "limit"} <= set(answer)
        assert answer["limit"] == 5
        assert response.headers["x-batch-size"] == str(len(body["queries"]))
        for query_id, reply in answer["responses"].items():
            assert reply["status"] == 200
            assert reply["total"] == {"value": len(reply["results"]), "relation": "eq"}
            assert reply["query"]["schema"] == body["queries"][query_id]["schema"]
            assert reply["query"]["properties"]["name"]
    echoed = client.post("/match/default", json=YENTE_DOCS_BODY).json()["responses"]
    assert echoed["q2"]["query"]["properties"]["jurisdiction"] == ["ru"]  # "Russia" read
    assert echoed["q1"]["query"]["properties"]["birthDate"] == ["1951"]


def test_a_match_comes_with_its_entity_score_features_and_list(client: TestClient) -> None:
    query = ftm_query("Person", name=["Ahmad Ali Hassan"], birthDate=["1960-01-01"])
    answer = client.post("/match/default", json={"queries": {"a": query}}).json()
    (top, *_rest) = answer["responses"]["a"]["results"]
    assert set(top) == RESULT_FIELDS
    assert top["id"] == "us-ofac-sdn:1001" and top["schema"] == "Person"
    assert top["caption"] == "HASSAN, Ahmad Ali" and top["datasets"] == ["us-ofac-sdn"]
    assert top["match"] is True and top["score"] >= 0.62
    assert top["features"]["name_score"] > 0.9 and top["features"]["birth_date"] > 0
    assert "1960-01-01" in top["properties"]["birthDate"]
    assert top["properties"]["nationality"] == ["ir"]
    assert set(top["features"]) <= set(answer["matcher"])


def test_threshold_limit_and_algorithm_are_taken_as_yente_takes_them(client: TestClient) -> None:
    query = {"schema": "Person", "properties": {"name": ["Ahmad Hassan"]}}
    body = {"queries": {"a": query}}
    loose = client.post(
        "/match/default", params={"threshold": 0.99, "cutoff": 0.1, "limit": 2}, json=body
    ).json()
    results = loose["responses"]["a"]["results"]
    assert 1 <= len(results) <= 2 and loose["limit"] == 2
    assert all(r["match"] is (r["score"] >= 0.99) for r in results)
    named = client.post("/match/default", params={"algorithm": "logic-v1"}, json=body)
    assert named.status_code == 200


def test_a_dataset_is_a_list_id_or_default(client: TestClient) -> None:
    query = {"schema": "Vessel", "properties": {"name": ["OCEAN STAR"]}}
    body = {"queries": {"v": query}}
    for dataset in ("un-sc", "un_sc"):
        only_un = client.post(f"/match/{dataset}", json=body, params={"cutoff": 0}).json()
        results = only_un["responses"]["v"]["results"]
        assert results and all(r["datasets"] == ["un-sc"] for r in results)
    missing = client.post("/match/eu_fsf", json=body)
    assert missing.status_code == 404 and "default" in missing.json()["detail"]
    excluded = client.post(
        "/match/default", json=body, params={"exclude_dataset": ["un-sc", "gb-ofsi"], "cutoff": 0}
    ).json()
    assert all(r["datasets"] == ["us-ofac-sdn"] for r in excluded["responses"]["v"]["results"])


def test_a_match_batch_is_audited_as_one_screening(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring())
    response = client.post("/match/default", json=YENTE_DOCS_BODY, headers=keys.bearer("gateway"))
    assert response.status_code == 200
    answer = response.json()
    record = client.get(f"/v1/audit/{answer['request_id']}", headers=keys.bearer("auditor")).json()
    assert record["key_name"] == "gateway"
    assert record["index_version"] == answer["index_version"]
    # One party per name: q1 gave two, in two scripts.
    assert [(p["reference"], p["name"]) for p in record["parties"]] == [
        ("q1", "Arkadiii Romanovich Rotenberg"),
        ("q1", "Ротенберг Аркадий"),
        ("q2", "Stroygazmontazh"),
    ]
    assert record["parties"][0]["type"] == "person"
    assert record["parties"][2]["country"] == "RU"
    store = client.app.state.service.store.store  # type: ignore[attr-defined]
    assert store.count() == 1


def test_match_needs_the_screen_scope(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring())
    assert client.post("/match/default", json=YENTE_DOCS_BODY).status_code == 401
    lookup = client.post("/match/default", json=YENTE_DOCS_BODY, headers=keys.bearer("lookup"))
    assert lookup.status_code == 403
    assert client.get("/catalog", headers=keys.bearer("gateway")).status_code == 403
    assert client.get("/catalog", headers=keys.bearer("lookup")).status_code == 200


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ({"schema": "Spaceship", "properties": {"name": ["x"]}}, "schema"),
        ({"schema": "Person", "properties": {"birthDate": ["1970"]}}, "properties"),
        ({"schema": "Person", "properties": {"name": ["\u200b"]}}, "properties"),
        ({"schema": "Person", "properties": {"name": ["a\x00b"]}}, "properties"),
        ({"schema": "Person", "properties": {"name": "x", "bad key": ["y"]}}, "properties"),
        ({"schema": "Person", "properties": {"name": ["x"]}, "colour": "red"}, "colour"),
    ],
)
def test_a_query_that_cannot_be_read_is_422_naming_it(
    client: TestClient, query: dict[str, Any], where: str
) -> None:
    response = client.post("/match/default", json={"queries": {"q1": query}})
    assert response.status_code == 422, response.text
    (error, *_) = response.json()["errors"]
    assert error["loc"][:4] == ["body", "queries", "q1", where]


def test_values_that_cannot_be_read_are_left_out_as_yente_does(client: TestClient) -> None:
    query = ftm_query("Person", name=["Ahmad Ali Hassan"])
    query["properties"]["birthDate"] = ["1960-02-31", "1960-01-01T00:00:00"]
    query["properties"]["nationality"] = ["Atlantis", "ir"]
    reply = client.post("/match/default", json={"queries": {"a": query}}).json()["responses"]["a"]
    assert reply["query"]["properties"]["birthDate"] == ["1960-01-01"]
    assert reply["query"]["properties"]["nationality"] == ["ir"]


def test_first_and_last_names_make_a_name(client: TestClient) -> None:
    query = {
        "schema": "Person",
        "properties": {"firstName": ["Ahmad", "Ali"], "lastName": "Hassan"},
    }
    reply = client.post("/match/default", json={"queries": {"a": query}}).json()["responses"]["a"]
    assert reply["query"]["properties"]["name"] == ["Ahmad Ali Hassan"]
    assert reply["results"][0]["id"] == "us-ofac-sdn:1001"


def test_an_entity_and_the_catalog_in_yentes_shape(client: TestClient) -> None:
    entity = client.get("/entities/us-ofac-sdn:1001").json()
    assert entity["schema"] == "Person" and entity["caption"] == "HASSAN, Ahmad Ali"
    assert "HASAN, Ahmed Ali" in entity["properties"]["alias"]
    assert entity["properties"]["passportNumber"] == ["A1234567", "B7654321"]
    assert client.get("/entities/us-ofac-sdn:999999").status_code == 404
    catalog = client.get("/catalog").json()
    names = [d["name"] for d in catalog["datasets"]]
    assert names == ["default", "us-ofac-sdn", "un-sc", "gb-ofsi"]
    assert catalog["datasets"][0]["children"] == ["us-ofac-sdn", "un-sc", "gb-ofsi"]
    assert catalog["current"] == names
    algorithms = client.get("/algorithms").json()
    assert algorithms["default"] == algorithms["best"] == algorithms["algorithms"][0]["name"]


@pytest.mark.shared_lists
def test_putin_and_an_arabic_script_name_find_their_listings_first(
    real: TestClient, keys: Keys
) -> None:
    body = {
        "queries": {
            "putin": ftm_query(
                "Person", name=["Vladimir Putin"], birthDate=["1952-10-07"], nationality=["ru"]
            ),
            "arabic": ftm_query("Person", name=["صدام حسين التكريتي"]),
        }
    }
    response = real.post("/match/default", json=body, headers=keys.bearer("gateway"))
    assert response.status_code == 200, response.text
    replies = response.json()["responses"]
    putin = replies["putin"]["results"][0]
    assert putin["id"] == "us-ofac-sdn:35096" and putin["match"] is True
    assert putin["caption"] == "PUTIN, Vladimir Vladimirovich"
    saddam = replies["arabic"]["results"][0]
    # The UN's listing decides; OFAC lists the same party (one result, both lists).
    assert saddam["datasets"] == ["un-sc", "us-ofac-sdn"] and saddam["match"] is True
    assert "صدام حسين التكريتي" in saddam["properties"]["alias"] + saddam["properties"]["name"]


@pytest.mark.shared_lists
def test_a_batch_of_100_queries(real: TestClient, keys: Keys) -> None:
    rows = list(csv.DictReader((SHARED / "eval" / "screening_dev.csv").open(encoding="utf-8")))
    queries = {}
    for i, row in enumerate(rows[:100]):
        schema = {"person": "Person", "organization": "Organization"}.get(row["type"], "Thing")
        queries[f"q{i}"] = {"schema": schema, "properties": {"name": [row["query"]]}}
    response = real.post(
        "/match/default", json={"queries": queries}, headers=keys.bearer("gateway")
    )
    assert response.status_code == 200, response.text
    replies = response.json()["responses"]
    assert len(replies) == 100
    found = sum(
        1
        for i, row in enumerate(rows[:100])
        if row["expected"] and any(r["id"] == row["expected"] for r in replies[f"q{i}"]["results"])
    )
    expected = sum(1 for row in rows[:100] if row["expected"].startswith(("us-ofac-sdn", "un-sc")))
    assert found >= 0.8 * expected


@pytest.fixture
def linked(make_client: MakeClient) -> TestClient:
    from indexer.build import build_embedded as build
    from tests.linked_parties import linked_lists

    return make_client(engine_=build(linked_lists()))


def test_a_result_is_a_party_with_its_lists_and_referents(linked: TestClient) -> None:
    from tests.linked_parties import KOMID, KOMID_LISTINGS

    query = ftm_query("Company", name=[KOMID, "KOMID"])
    reply = linked.post("/match/default", json={"queries": {"k": query}}).json()
    results = reply["responses"]["k"]["results"]
    komid = [r for r in results if r["id"] in KOMID_LISTINGS]
    assert len(komid) == 1, "one result per party, over both names"
    [party] = komid
    assert {party["id"], *party["referents"]} == set(KOMID_LISTINGS)
    assert party["datasets"][0] == party["id"].split(":")[0]
    assert set(party["datasets"]) == {i.split(":")[0] for i in KOMID_LISTINGS}
    excluded = linked.post(
        "/match/default",
        json={"queries": {"k": query}},
        params={"exclude_entity_ids": "un-sc:KPe.001"},
    ).json()["responses"]["k"]["results"]
    assert not [r for r in excluded if r["id"] in KOMID_LISTINGS]  # any listing excludes it
    only_un = linked.post("/match/un-sc", json={"queries": {"k": query}}).json()
    [un] = [r for r in only_un["responses"]["k"]["results"] if r["id"] in KOMID_LISTINGS]
    assert (un["id"], un["datasets"], un["referents"]) == ("un-sc:KPe.001", ["un-sc"], [])


def test_identifier_properties_are_matched_and_unreadable_ones_left_out(
    linked: TestClient,
) -> None:
    from tests.linked_parties import VESSEL_IMO

    query = ftm_query("Vessel", name=["Unrelated Name Entirely"], imoNumber=[VESSEL_IMO])
    query["properties"]["imoNumber"].append("1234568")  # the check digit fails
    reply = linked.post("/match/default", json={"queries": {"v": query}}).json()["responses"]["v"]
    assert reply["query"]["properties"]["imoNumber"] == [f"IMO{VESSEL_IMO}"]  # as FtM writes it
    [vessel] = [r for r in reply["results"] if r["id"] in ("au-dfat:8228", "ca-sema:russia/1-1/21")]
    assert vessel["match"] is True and vessel["features"]["identifier"] == 1.0
    assert {vessel["id"], *vessel["referents"]} == {"au-dfat:8228", "ca-sema:russia/1-1/21"}
    assert (
        "identifier"
        in linked.post("/match/default", json={"queries": {"v": query}}).json()["matcher"]
    )
