"""API keys: 401 without a known key, 403 without the scope, loopback only without keys."""

from __future__ import annotations

import pytest

from tests.service.conftest import Keys, MakeClient, screen_body

ENDPOINTS = [
    ("POST", "/v1/screen", "screen"),
    ("GET", "/v1/search?q=ocean+star", "read"),
    ("GET", "/v1/entities/us-ofac-sdn:1001", "read"),
    ("GET", "/v1/lists", "read"),
    ("GET", "/v1/audit/0123abcd", "admin"),
]
KEY_FOR_SCOPE = {"screen": "gateway", "read": "lookup", "admin": "auditor"}


def _call(client: object, method: str, path: str, headers: dict[str, str]) -> int:
    body = screen_body("OCEAN STAR") if method == "POST" else None
    response = client.request(method, path, json=body, headers=headers)  # type: ignore[attr-defined]
    return int(response.status_code)


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS)
def test_a_missing_or_unknown_key_is_401(
    make_client: MakeClient, keys: Keys, method: str, path: str, scope: str
) -> None:
    client = make_client(keys=keys.ring())
    assert _call(client, method, path, {}) == 401
    assert _call(client, method, path, {"Authorization": "Bearer sk_not-a-key"}) == 401
    assert _call(client, method, path, {"X-API-Key": "sk_not-a-key"}) == 401
    response = client.get("/v1/lists", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS)
def test_the_scope_decides_and_both_headers_work(
    make_client: MakeClient, keys: Keys, method: str, path: str, scope: str
) -> None:
    client = make_client(keys=keys.ring())
    owner = KEY_FOR_SCOPE[scope]
    expected_ok = 404 if scope == "admin" else 200  # no such audit record, but admitted
    assert _call(client, method, path, keys.bearer(owner)) == expected_ok
    assert _call(client, method, path, {"X-API-Key": keys.plain[owner]}) == expected_ok
    assert _call(client, method, path, keys.bearer("everything")) == expected_ok
    for other in set(KEY_FOR_SCOPE.values()) - {owner}:
        assert _call(client, method, path, keys.bearer(other)) == 403


def test_a_403_names_the_key_and_the_scope(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring())
    response = client.post("/v1/screen", json=screen_body("x y"), headers=keys.bearer("lookup"))
    assert response.status_code == 403
    assert response.json()["detail"] == "the key 'lookup' lacks the 'screen' scope"


def test_health_needs_no_key_and_metrics_can_require_one(
    make_client: MakeClient, keys: Keys
) -> None:
    client = make_client(keys=keys.ring())
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200
    guarded = make_client(keys=keys.ring(), metrics_require_key=True)
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers=keys.bearer("lookup")).status_code == 403
    assert guarded.get("/metrics", headers=keys.bearer("auditor")).status_code == 200


def test_with_keys_remote_clients_are_served(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring(), client=("203.0.113.9", 40000))
    response = client.post("/v1/screen", json=screen_body("x y"), headers=keys.bearer("gateway"))
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["203.0.113.9", "10.0.0.1", "testclient", "::ffff:8.8.8.8"])
def test_without_keys_only_loopback_clients_are_accepted(
    make_client: MakeClient, host: str
) -> None:
    remote = make_client(client=(host, 40000))
    for path in ("/v1/lists", "/healthz", "/openapi.json"):
        response = remote.get(path)
        assert response.status_code == 403
        assert "only loopback clients" in response.json()["detail"]
    for loopback in ("127.0.0.1", "127.8.9.10", "::1"):
        local = make_client(client=(loopback, 40000))
        assert local.post("/v1/screen", json=screen_body("x y")).status_code == 200


def test_a_keyless_screening_is_audited_as_anonymous(make_client: MakeClient) -> None:
    client = make_client()
    request_id = client.post("/v1/screen", json=screen_body("x y")).json()["request_id"]
    record = client.get(f"/v1/audit/{request_id}").json()
    assert record["key_name"] is None
