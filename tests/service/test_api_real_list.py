"""The API over the real OFAC SDN snapshot of 2023-12-28 (skipped where ../shared is absent)."""

from __future__ import annotations

import functools

import pytest

from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from indexer.registry import parse_list
from tests.conftest import shared_list
from tests.service.conftest import MakeClient, TestClient

pytestmark = pytest.mark.shared_lists


@functools.cache
def _sdn_engine() -> EmbeddedEngine:
    return build_embedded([parse_list("us-ofac-sdn", shared_list("us-ofac-sdn", "2023-12-28"))])


@pytest.fixture
def sdn(make_client: MakeClient) -> TestClient:
    shared_list("us-ofac-sdn", "2023-12-28")
    return make_client(engine_=_sdn_engine())


def test_a_listed_airline_alerts_with_its_sdn_id(sdn: TestClient) -> None:
    body = {
        "parties": [
            {"name": "Aerocaribbean Airlines", "type": "organization", "reference": "carrier"},
            {"name": "Rotterdam Harbour Logistics BV", "type": "organization"},
        ]
    }
    answer = sdn.post("/v1/screen", json=body).json()
    carrier, forwarder = answer["results"]
    assert carrier["decision"] == "alert"
    top = carrier["matches"][0]
    assert top["entity_id"] == "us-ofac-sdn:36"
    assert top["name"] == "AEROCARIBBEAN AIRLINES"
    assert top["programs"] == ["CUBA"]
    assert forwarder["decision"] == "clear"
    assert answer["decision"] == "alert"
    (listed,) = answer["lists"]
    assert listed["id"] == "us-ofac-sdn"


def test_an_alias_is_reported_as_the_matched_name(sdn: TestClient) -> None:
    answer = sdn.get("/v1/search", params={"q": "BNC", "type": "organization"}).json()
    ids = [m["entity_id"] for m in answer["matches"]]
    assert "us-ofac-sdn:306" in ids
    match = answer["matches"][ids.index("us-ofac-sdn:306")]
    assert match["matched_name"] == "BNC"
    assert match["name"] == "BANCO NACIONAL DE CUBA"


def test_the_real_entity_and_list_are_described(sdn: TestClient) -> None:
    entity = sdn.get("/v1/entities/us-ofac-sdn:306").json()
    assert entity["entity"]["names"][0]["full"] == "BANCO NACIONAL DE CUBA"
    assert {n["full"] for n in entity["entity"]["names"]} >= {"BNC"}
    (listed,) = sdn.get("/v1/lists").json()["lists"]
    assert listed["entities"] > 10_000
    assert {f["name"] for f in listed["files"]} >= {"sdn.csv", "add.csv", "alt.csv"}
    assert entity["list"]["version"] == listed["version"]


def test_a_full_batch_of_100_parties_is_answered(sdn: TestClient) -> None:
    names = [f"Trading Partner {i} Limited" for i in range(99)] + ["Banco Nacional de Cuba"]
    answer = sdn.post("/v1/screen", json={"parties": [{"name": n} for n in names]}).json()
    assert len(answer["results"]) == 100
    assert answer["results"][-1]["decision"] == "alert"
    assert answer["decision"] == "alert"
