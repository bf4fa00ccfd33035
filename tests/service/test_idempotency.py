"""Idempotency-Key on POST /v1/screen and POST /v1/decisions, on both stores: a retry gets
the first answer and the trail holds one record, also when the retry reaches another
worker or replica (another app on the same store) or races the first request."""

from __future__ import annotations

import threading
from typing import Any

from service.auth import KeyRing
from tests.service.conftest import Keys, MakeClient, MakeStore, screen_body

PARTY = {"name": "Ahmad Ali Hassan", "type": "person"}


def headers(keys: Keys, name: str, key: str) -> dict[str, str]:
    return {**keys.bearer(name), "Idempotency-Key": key}


def test_a_retried_screening_gets_the_first_answer_and_one_record(
    make_client: MakeClient, make_store: MakeStore, keys: Keys
) -> None:
    ring = keys.ring()
    store = make_store()
    first_worker = make_client(keys=ring, store=store)
    other_replica = make_client(keys=ring, store=make_store(shared=True))
    body = screen_body("OCEAN STAR", "Nobody Special")
    first = first_worker.post("/v1/screen", json=body, headers=headers(keys, "gateway", "bl-42"))
    assert first.status_code == 200 and "idempotent-replayed" not in first.headers
    again = other_replica.post("/v1/screen", json=body, headers=headers(keys, "gateway", "bl-42"))
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert store.count() == 1
    # Another caller's key of the same text is its own; a new key is a new screening.
    other = first_worker.post("/v1/screen", json=body, headers=headers(keys, "everything", "bl-42"))
    assert other.json()["request_id"] != first.json()["request_id"]
    new = first_worker.post("/v1/screen", json=body, headers=headers(keys, "gateway", "bl-43"))
    assert new.json()["request_id"] != first.json()["request_id"]
    assert store.count() == 3


def test_the_same_key_with_another_body_is_refused(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring())
    sent = client.post(
        "/v1/screen", json=screen_body("OCEAN STAR"), headers=headers(keys, "gateway", "k")
    )
    assert sent.status_code == 200
    reused = client.post(
        "/v1/screen", json=screen_body("NORTHERN LIGHTS"), headers=headers(keys, "gateway", "k")
    )
    assert reused.status_code == 422 and "different request" in reused.json()["detail"]
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["type"] == "urn:screening:problem:idempotency-key-reused"
    bad = client.post(
        "/v1/screen", json=screen_body("x y"), headers=headers(keys, "gateway", "a b")
    )
    assert bad.status_code == 400
    assert bad.json()["type"] == "urn:screening:problem:bad-request"
    assert "Idempotency-Key" in bad.json()["detail"]


def test_racing_retries_leave_one_record(
    make_client: MakeClient, make_store: MakeStore, keys: Keys
) -> None:
    ring = keys.ring()
    store = make_store()
    clients = [
        make_client(keys=ring, store=store),
        make_client(keys=ring, store=make_store(shared=True)),
    ]
    answers: list[dict[str, Any]] = []

    def send(k: int) -> None:
        response = clients[k % 2].post(
            "/v1/screen", json=screen_body("OCEAN STAR"), headers=headers(keys, "gateway", "race")
        )
        assert response.status_code == 200, response.text
        answers.append(response.json())

    threads = [threading.Thread(target=send, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 6
    assert len({a["request_id"] for a in answers}) == 1
    assert store.count() == 1


def test_a_retried_decision_is_recorded_once(
    make_client: MakeClient, make_store: MakeStore, keys: Keys
) -> None:
    store = make_store()
    client = make_client(keys=keys.ring(), store=store)
    body = {"party": PARTY, "entity_id": "us-ofac-sdn:1001", "decision": "cleared", "reason": "r"}
    first = client.post("/v1/decisions", json=body, headers=headers(keys, "officer", "d-1"))
    again = client.post("/v1/decisions", json=body, headers=headers(keys, "officer", "d-1"))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert store.count("decision") == 1
    listed = client.get("/v1/decisions", headers=keys.bearer("auditor")).json()
    assert listed["count"] == 1


def test_without_a_key_every_request_is_its_own(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=KeyRing([]))
    one = client.post("/v1/screen", json=screen_body("OCEAN STAR")).json()
    two = client.post("/v1/screen", json=screen_body("OCEAN STAR")).json()
    assert one["request_id"] != two["request_id"]
