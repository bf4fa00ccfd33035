"""GET endpoints: search, entities, lists, health, readiness, metrics, OpenAPI."""

from __future__ import annotations

from core.score import ALERT_THRESHOLD
from engines.embedded_engine import EmbeddedEngine
from tests.service.conftest import MakeClient, TestClient, fixture_engine


def test_search_matches_one_name_with_the_same_scoring(client: TestClient) -> None:
    response = client.get("/v1/search", params={"q": "Ahmad Ali Hassan Trading", "limit": 3})
    assert response.status_code == 200
    answer = response.json()
    assert answer["query"] == "Ahmad Ali Hassan Trading"
    assert answer["matches"][0]["entity_id"] == "us-ofac-sdn:1001"
    assert len(answer["matches"]) <= 3
    body = {"parties": [{"name": "Ahmad Ali Hassan Trading"}], "min_score": 0}
    screened = client.post("/v1/screen", json=body).json()
    assert screened["results"][0]["matches"][0]["score"] == answer["matches"][0]["score"]
    # A lookup shows the nearest candidates, below the alert threshold too.
    assert any(m["score"] < ALERT_THRESHOLD for m in answer["matches"])


def test_search_filters_by_list_and_type(client: TestClient) -> None:
    answer = client.get("/v1/search", params=[("q", "OCEAN STAR"), ("list", "gb-ofsi")]).json()
    assert {m["list"] for m in answer["matches"]} <= {"gb-ofsi"}
    assert [item["id"] for item in answer["lists"]] == ["gb-ofsi"]
    typed = client.get("/v1/search", params={"q": "OCEAN STAR", "type": "person"}).json()
    kind_evidence = [
        e for e in typed["matches"][0]["explanation"]["evidence"] if e["factor"] == "kind"
    ]
    assert kind_evidence  # a vessel found for a person is marked down


def test_an_entity_comes_in_full_with_its_list_version(client: TestClient) -> None:
    response = client.get("/v1/entities/us-ofac-sdn:1001")
    assert response.status_code == 200
    answer = response.json()
    entity = answer["entity"]
    assert entity["id"] == "us-ofac-sdn:1001" and entity["kind"] == "person"
    names = {(n["full"], n["role"], n["script"]) for n in entity["names"]}
    assert ("HASSAN, Ahmad Ali", "primary", "Latn") in names
    assert {d["value"] for d in entity["birth_dates"]} >= {"1960-01-01"}
    assert entity["birth_places"] and entity["nationalities"] and entity["identifiers"]
    assert entity["programs"] == ["SDGT", "IRAN"]
    assert "source_url" in entity and "listed_on" in entity and "addresses" in entity
    assert answer["list"]["id"] == "us-ofac-sdn"
    lists = {item["id"]: item for item in client.get("/v1/lists").json()["lists"]}
    assert answer["list"]["version"] == lists["us-ofac-sdn"]["version"]


def test_an_entity_in_original_script_keeps_its_script(client: TestClient) -> None:
    answer = client.get("/v1/search", params={"q": "حامد يوسف النجار", "list": "un-sc"}).json()
    top = answer["matches"][0]
    assert top["entity_id"] == "un-sc:QDi.901"
    entity = client.get(f"/v1/entities/{top['entity_id']}").json()["entity"]
    scripts = {n["full"]: n["script"] for n in entity["names"]}
    assert scripts["حامد يوسف عبد الكريم النجار"] == "Arab"
    assert scripts["HAMID YUSUF ABD AL-KARIM AL-NAJJAR"] == "Latn"


def test_an_unknown_entity_is_404(client: TestClient) -> None:
    response = client.get("/v1/entities/us-ofac-sdn:999999")
    assert response.status_code == 404
    assert "us-ofac-sdn:999999" in response.json()["detail"]
    assert client.get("/v1/entities/" + "x" * 300).status_code == 422


def test_lists_describe_what_is_loaded(client: TestClient) -> None:
    answer = client.get("/v1/lists").json()
    by_id = {item["id"]: item for item in answer["lists"]}
    assert set(by_id) == {"us-ofac-sdn", "un-sc", "gb-ofsi"}
    un = by_id["un-sc"]
    assert un["title"] and "United Nations" in un["publisher"]
    assert un["published"] == "2026-03-04"
    assert un["version"].startswith("2026-03-04+")
    assert un["entities"] == 4
    assert un["format"] == "un-xml"
    (file,) = un["files"]
    assert file["name"] == "consolidated.xml" and len(file["sha256"]) == 64
    assert "/" not in file["name"]  # no server paths in answers
    assert un["stale"] is True  # published long before list_max_age_days
    assert (un["as_of"], un["as_of_source"], un["stale_after_days"]) == (
        "2026-03-04",
        "publisher",
        7,  # the UN states no cadence: list_max_age_days
    )
    assert un["age_days"] > 7
    ofac = by_id["us-ofac-sdn"]
    # Nothing dates the OFAC fixture (no date in the CSV, no fetch.json, no dated record):
    # an undated list is never taken for a current one.
    assert ofac["published"] is None and ofac["as_of"] is None and ofac["as_of_source"] is None
    assert ofac["stale"] is True and ofac["stale_after_days"] == 3  # daily, plus the grace
    assert len(answer["index_version"]) == 12


def test_health_and_readiness(make_client: MakeClient) -> None:
    engine = fixture_engine()
    client = make_client(engine_=engine)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["entities"] == 14
    # Readiness details say how current each list is; stale lists do not make it unready.
    details = {item["id"]: item for item in ready.json()["lists"]}
    assert details["un-sc"]["as_of"] == "2026-03-04" and details["un-sc"]["stale"] is True
    assert sorted(ready.json()["stale"]) == ["gb-ofsi", "un-sc", "us-ofac-sdn"]
    import asyncio

    asyncio.run(engine.close())
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["reason"] == "the embedded index is closed"
    assert client.get("/healthz").status_code == 200
    screened = client.post("/v1/screen", json={"parties": [{"name": "x y"}]})
    assert screened.status_code == 503
    assert "unavailable" in screened.json()["detail"]


def test_an_empty_index_is_not_ready(make_client: MakeClient) -> None:
    from datetime import UTC, datetime

    from engines.base import IndexInfo
    from engines.embedded import EmbeddedIndex

    empty = EmbeddedEngine(EmbeddedIndex([]), IndexInfo("0", datetime.now(UTC)))
    response = make_client(engine_=empty).get("/readyz")
    assert response.status_code == 503 and "no entities" in response.json()["reason"]


def test_metrics_expose_requests_latency_and_index_age(client: TestClient) -> None:
    client.get("/v1/lists")
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'screening_http_requests_total{endpoint="/v1/lists",method="GET",status="200"} 1.0' in text
    )
    assert 'screening_http_request_duration_seconds_bucket{endpoint="/v1/lists",le="0.01"}' in text
    assert "screening_index_age_seconds " in text
    assert 'screening_list_age_days{list="un-sc"}' in text
    assert 'screening_list_age_seconds{list="un-sc",source="publisher"}' in text
    assert 'screening_list_stale{list="us-ofac-sdn"} 1.0' in text  # undated
    assert 'screening_list_age_seconds{list="us-ofac-sdn"' not in text
    assert 'screening_list_entities{list="us-ofac-sdn"} 7.0' in text
    client.get("/v1/entities/us-ofac-sdn:1001")
    text = client.get("/metrics").text
    # Route templates, not raw paths, so ids do not explode the label set.
    assert 'endpoint="/v1/entities/{entity_id:path}"' in text
    assert "us-ofac-sdn:1001" not in text


def test_the_openapi_document_describes_the_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/screen", "/v1/search", "/v1/entities/{entity_id}", "/v1/lists"} <= set(
        spec["paths"]
    )
    schemes = spec["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    party = spec["components"]["schemas"]["Party"]
    assert party["additionalProperties"] is False


def test_an_entity_id_with_slashes_is_reachable(make_client: MakeClient) -> None:
    from indexer.build import build_embedded
    from indexer.registry import parse_list
    from tests.conftest import FIXTURES

    engine = build_embedded([parse_list("ca-sema", FIXTURES / "ca-sema")])
    client = make_client(engine_=engine)
    entity_id = engine.index.entities[0].id if engine.index else ""
    assert "/" in entity_id
    response = client.get(f"/v1/entities/{entity_id}")
    assert response.status_code == 200
    assert response.json()["entity"]["id"] == entity_id
