"""POST /v1/screen: the contract, the decisions, and the audit record it leaves."""

from __future__ import annotations

import sqlite3
from typing import Any

from core.score import ALERT_THRESHOLD
from tests.service.conftest import Keys, MakeClient, TestClient, screen_body


def test_a_listed_party_alerts_with_its_explanation(client: TestClient) -> None:
    body = {
        "parties": [
            {
                "name": "Ahmad Ali Hassan",
                "type": "person",
                "country": "IR",
                "date_of_birth": "1960-01-01",
                "role": "consignee",
                "reference": "P1",
            }
        ],
        "document": {"reference": "AWB-1", "carrier": "X"},
    }
    response = client.post("/v1/screen", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {
        "request_id", "screened_at", "decision", "results", "lists", "index_version",
    }  # fmt: skip
    assert answer["decision"] == "alert"
    (result,) = answer["results"]
    assert (result["reference"], result["role"], result["decision"]) == ("P1", "consignee", "alert")
    top = result["matches"][0]
    assert top["entity_id"] == "us-ofac-sdn:1001"
    assert top["list"] == "us-ofac-sdn"
    assert top["alert"] is True and top["score"] >= ALERT_THRESHOLD
    assert top["name"] == "HASSAN, Ahmad Ali"
    assert top["kind"] == "person"
    assert top["programs"] == ["SDGT", "IRAN"]
    factors = {e["factor"] for e in top["explanation"]["evidence"]}
    assert {"birth_date", "country"} <= factors
    assert response.headers["x-request-id"] == answer["request_id"]


def test_matched_name_is_the_alias_that_matched(client: TestClient) -> None:
    answer = client.post("/v1/screen", json=screen_body("HASAN, Ahmed Ali")).json()
    top = answer["results"][0]["matches"][0]
    assert top["entity_id"] == "us-ofac-sdn:1001"
    assert top["matched_name"] == "HASAN, Ahmed Ali"
    assert top["name"] == "HASSAN, Ahmad Ali"


def test_decisions_roll_up_from_matches_to_parties_to_the_document(client: TestClient) -> None:
    answer = client.post(
        "/v1/screen", json=screen_body("Completely Unrelated Bakery", "OCEAN STAR")
    ).json()
    clear, alert = answer["results"]
    assert clear["decision"] == "clear" and clear["matches"] == []
    assert alert["decision"] == "alert"
    assert answer["decision"] == "alert"
    answer = client.post("/v1/screen", json=screen_body("Completely Unrelated Bakery")).json()
    assert answer["decision"] == "clear"


def test_min_score_zero_returns_the_nearest_candidates_sorted(client: TestClient) -> None:
    body = screen_body("Ahmad Hassan Trading", min_score=0, limit=5)
    matches = client.post("/v1/screen", json=body).json()["results"][0]["matches"]
    assert len(matches) >= 2
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert any(not m["alert"] for m in matches)  # below-threshold candidates are shown
    assert all((m["score"] >= ALERT_THRESHOLD) == m["alert"] for m in matches)
    default = client.post("/v1/screen", json=screen_body("Ahmad Hassan Trading")).json()
    assert all(m["score"] >= ALERT_THRESHOLD for m in default["results"][0]["matches"])


def test_limit_bounds_the_matches_per_party(client: TestClient) -> None:
    body = screen_body("Ahmad Hassan", min_score=0, limit=1)
    assert len(client.post("/v1/screen", json=body).json()["results"][0]["matches"]) == 1


def test_lists_restrict_the_screening_and_the_versions_reported(client: TestClient) -> None:
    body = screen_body("OCEAN STAR", lists=["un-sc"], min_score=0)
    answer = client.post("/v1/screen", json=body).json()
    assert all(m["list"] == "un-sc" for m in answer["results"][0]["matches"])
    assert [item["id"] for item in answer["lists"]] == ["un-sc"]
    everything = client.post("/v1/screen", json=screen_body("OCEAN STAR")).json()
    assert {item["id"] for item in everything["lists"]} == {"us-ofac-sdn", "un-sc", "gb-ofsi"}
    un = next(item for item in everything["lists"] if item["id"] == "un-sc")
    assert un["published"] == "2026-03-04" and un["version"].startswith("2026-03-04+")


def test_an_unknown_list_is_a_422_naming_it(client: TestClient) -> None:
    response = client.post("/v1/screen", json=screen_body("x y", lists=["eu-fsf"]))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "lists", 0]
    assert "eu-fsf" in error["msg"] and "un-sc" in error["msg"]


def test_every_screening_is_audited_and_readable_by_an_admin(
    make_client: MakeClient, keys: Keys
) -> None:
    client = make_client(keys=keys.ring())
    body = {
        "parties": [{"name": "OCEAN STAR", "reference": "V1"}, {"name": "Nobody Special"}],
        "document": {"reference": "BL-42", "port": "Rotterdam"},
    }
    answer = client.post("/v1/screen", json=body, headers=keys.bearer("gateway")).json()
    request_id = answer["request_id"]
    response = client.get(f"/v1/audit/{request_id}", headers=keys.bearer("auditor"))
    assert response.status_code == 200
    record: dict[str, Any] = response.json()
    assert record["request_id"] == request_id
    assert record["screened_at"] == answer["screened_at"]
    assert record["key_name"] == "gateway"
    assert record["decision"] == "alert"
    assert record["document"] == {"reference": "BL-42", "port": "Rotterdam"}
    assert [p["name"] for p in record["parties"]] == ["OCEAN STAR", "Nobody Special"]
    assert [p["decision"] for p in record["parties"]] == ["alert", "clear"]
    top = record["parties"][0]["matches"][0]
    assert top["entity_id"] == answer["results"][0]["matches"][0]["entity_id"]
    assert top["score"] == answer["results"][0]["matches"][0]["score"]
    assert record["lists"] == answer["lists"]
    assert record["index_version"] == answer["index_version"]
    # The screen and read scopes do not open the audit trail.
    assert client.get(f"/v1/audit/{request_id}", headers=keys.bearer("gateway")).status_code == 403
    assert client.get("/v1/audit/abc123", headers=keys.bearer("auditor")).status_code == 404


def test_a_screening_that_cannot_be_audited_is_not_answered(make_client: MakeClient) -> None:
    client = make_client()
    store = client.app.state.service.store.store  # type: ignore[attr-defined]
    refuse = "BEFORE INSERT ON ledger BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    sqlite3.connect(store.path).execute(f"CREATE TRIGGER refuse {refuse}")
    response = client.post("/v1/screen", json=screen_body("OCEAN STAR"))
    assert response.status_code == 503
    assert "could not be audited" in response.json()["detail"]
    assert "disk full" in response.json()["detail"]
    assert "results" not in response.json()
    sqlite3.connect(store.path).execute("DROP TABLE ledger")
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "store" in ready.json()["reason"]


def test_decisions_are_counted_in_the_metrics(client: TestClient) -> None:
    client.post("/v1/screen", json=screen_body("OCEAN STAR", "Nobody Special"))
    text = client.get("/metrics").text
    assert 'screening_decisions_total{decision="alert",level="request"} 1.0' in text
    assert 'screening_decisions_total{decision="clear",level="party"} 1.0' in text
    assert 'screening_http_requests_total{endpoint="/v1/screen",method="POST",status="200"}' in text


def test_the_explanation_is_the_core_explanation(engine: Any) -> None:
    import asyncio
    import json

    from core.score import Query
    from service.screening import explanation_dict

    hits = asyncio.run(engine.screen(Query("Ahmad Ali Hassan", country="IR"), limit=3, lists=None))
    assert hits
    for hit in hits:
        # Equal once both are JSON (asdict keeps tuples where the fast copy makes lists).
        fast = json.loads(json.dumps(explanation_dict(hit.explanation)))
        assert fast == json.loads(json.dumps(hit.explanation.to_dict()))
