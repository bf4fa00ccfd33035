"""Limits and malformed requests: each refused with a clear 4xx naming what is wrong, and
every answer (refusals included) carrying the security headers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.service.conftest import MakeClient, TestClient, screen_body


def detail(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors: list[dict[str, Any]] = response.json()["errors"]
    return errors


def test_a_body_over_the_limit_is_413(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=2048)
    body = screen_body(*(f"Name Number {i}" for i in range(100)))
    response = client.post("/v1/screen", json=body)
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["detail"]


def test_a_streamed_body_over_the_limit_is_413_without_a_declared_length(
    make_client: MakeClient,
) -> None:
    client = make_client(max_body_bytes=2048)

    def chunks() -> Any:
        for _ in range(10):
            yield b" " * 500

    response = client.post(
        "/v1/screen", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_more_parties_than_configured_is_422(make_client: MakeClient) -> None:
    client = make_client(max_parties=3)
    (error,) = detail(client.post("/v1/screen", json=screen_body("a b", "c d", "e f", "g h")))
    assert error["loc"] == ["body", "parties"]
    assert "at most 3 parties" in error["msg"]
    assert client.post("/v1/screen", json=screen_body("a b", "c d", "e f")).status_code == 200


def test_the_default_party_limit_is_100(client: TestClient) -> None:
    names = [f"Person {i}" for i in range(101)]
    (error,) = detail(client.post("/v1/screen", json=screen_body(*names)))
    assert "at most 100 parties" in error["msg"]


def test_a_name_over_the_configured_length_is_422_naming_the_party(client: TestClient) -> None:
    body = screen_body("ok name", "x" * 301)
    (error,) = detail(client.post("/v1/screen", json=body))
    assert error["loc"] == ["body", "parties", 1, "name"]
    assert "300" in error["msg"]


@pytest.mark.parametrize("name", ["bad\x00name", "bell\x07", "c1\x9bx", "\ud800x", "del\x7f"])
def test_control_characters_are_rejected(client: TestClient, name: str) -> None:
    payload = json.dumps(screen_body(name)).encode()
    response = client.post(
        "/v1/screen", content=payload, headers={"content-type": "application/json"}
    )
    (error,) = detail(response)
    assert error["loc"] == ["body", "parties", 0, "name"]
    # A lone surrogate is refused by the string parser already, the others by ours.
    assert "control characters" in error["msg"] or "unicode" in error["msg"]


def test_non_latin_names_and_joiners_are_accepted(client: TestClient) -> None:
    body = screen_body("محمد\u200cرضا", "Мухаммад Юсуф", "金正恩")
    assert client.post("/v1/screen", json=body).status_code == 200


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"parties": [{"name": "x y"}], "limit": 101}, ["body", "limit"]),
        ({"parties": [{"name": "x y"}], "limit": 0}, ["body", "limit"]),
        ({"parties": [{"name": "x y"}], "min_score": 1.5}, ["body", "min_score"]),
        ({"parties": []}, ["body", "parties"]),
        ({}, ["body", "parties"]),
        ({"parties": [{"name": "x y"}], "colour": "red"}, ["body", "colour"]),
        ({"parties": [{"name": "x y", "nmae": "z"}]}, ["body", "parties", 0, "nmae"]),
        ({"parties": [{"name": "  "}]}, ["body", "parties", 0, "name"]),
        ({"parties": [{"name": "x y", "type": "ship"}]}, ["body", "parties", 0, "type"]),
        ({"parties": [{"name": "x y", "country": "Iran"}]}, ["body", "parties", 0, "country"]),
        ({"parties": [{"name": "x y", "country": "XX"}]}, ["body", "parties", 0, "country"]),
        (
            {"parties": [{"name": "x y", "date_of_birth": "01/02/1960"}]},
            ["body", "parties", 0, "date_of_birth"],
        ),
        ({"parties": [{"name": "x y"}], "lists": ["../etc"]}, ["body", "lists"]),
        ({"parties": [{"name": 5}]}, ["body", "parties", 0, "name"]),
        ({"parties": "x"}, ["body", "parties"]),
        ({"parties": [{"name": "x y"}], "document": {"a": "\x07"}}, ["body", "document"]),
    ],
)
def test_malformed_fields_are_422_naming_the_field(
    client: TestClient, body: dict[str, Any], loc: list[Any]
) -> None:
    errors = detail(client.post("/v1/screen", json=body))
    assert errors[0]["loc"] == loc, errors


def test_a_document_is_bounded(client: TestClient) -> None:
    body = screen_body("x y", document={"reference": "D", "lines": list(range(60))})
    (error,) = detail(client.post("/v1/screen", json=body))
    assert "more than 50 values" in error["msg"]
    deep: Any = "leaf"
    for _ in range(6):
        deep = {"k": deep}
    (error,) = detail(client.post("/v1/screen", json=screen_body("x y", document=deep)))
    assert "deeper" in error["msg"]


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/v1/screen", content=b'{"parties": [', headers={"content-type": "application/json"}
    )
    (error,) = detail(response)
    assert error["type"] == "json_invalid"
    assert "input" not in error  # rejected input is not echoed back


def test_search_rejects_unknown_and_bad_parameters(client: TestClient) -> None:
    (error,) = detail(client.get("/v1/search", params={"q": "x y", "file": "/etc/passwd"}))
    assert error["loc"] == ["query", "file"]
    (error,) = detail(client.get("/v1/search", params={"q": "a\x00b"}))
    assert error["loc"] == ["query", "q"]
    (error,) = detail(client.get("/v1/search", params={"q": "x", "limit": 500}))
    assert error["loc"] == ["query", "limit"]
    (error,) = detail(client.get("/v1/search", params={"q": "x", "country": "QQ"}))
    assert error["loc"] == ["query", "country"]
    (error,) = detail(client.get("/v1/search", params={"q": "x", "list": "nope-list"}))
    assert error["loc"] == ["query", "list", 0]
    assert detail(client.get("/v1/search"))[0]["loc"] == ["query", "q"]


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/screen", screen_body("OCEAN STAR")),
        ("POST", "/v1/screen", {"bad": 1}),
        ("GET", "/v1/lists", None),
        ("GET", "/nowhere", None),
        ("GET", "/healthz", None),
        ("GET", "/openapi.json", None),
        ("GET", "/metrics", None),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    response = client.request(method, path, json=body)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_docs_page_may_load_its_scripts_from_here_only(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "http" not in policy
    assert response.headers["x-frame-options"] == "DENY"


def test_docs_can_be_turned_off(make_client: MakeClient) -> None:
    assert make_client(docs_enabled=False).get("/docs").status_code == 404


def test_cors_is_off_by_default_and_configurable(make_client: MakeClient) -> None:
    preflight = {
        "Origin": "https://portal.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    closed = make_client().options("/v1/screen", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    open_client = make_client(cors_origins=["https://portal.example"])
    allowed = open_client.options("/v1/screen", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
    other = open_client.options(
        "/v1/screen", headers={**preflight, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
