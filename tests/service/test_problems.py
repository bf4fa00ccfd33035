"""Every refusal is RFC 9457 problem details, whoever refuses: a route, the framework, the
guard middleware or the rate limiter; the lookup page answers a browser in HTML and a
client asking for JSON in problem+json."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from service.problems import PROBLEM_TYPES, pointer_of, prefers_html
from tests.service.conftest import Keys, MakeClient, fixture_engine, screen_body

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def check_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["type"].startswith("urn:screening:problem:")
    assert body["instance"] == response.headers["x-request-id"]
    assert body["detail"] and body["title"]
    return body


def test_framework_and_route_errors_are_problems(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring(), max_body_bytes=2048, rate_limit="2/s, burst 1s")
    gateway = keys.bearer("gateway")
    check_problem(client.get("/nowhere"), 404)
    check_problem(client.put("/v1/screen", json={}), 405)
    check_problem(client.post("/v1/screen", json=screen_body(*["n m"] * 300)), 413)
    check_problem(client.post("/v1/screen", content=b"x", headers=gateway), 415)
    check_problem(client.post("/v1/screen", json={"parties": "x"}, headers=gateway), 422)
    check_problem(client.post("/v1/screen", json=screen_body("x y")), 401)
    check_problem(
        client.post("/v1/screen", json=screen_body("x y"), headers=keys.bearer("lookup")), 403
    )
    check_problem(client.get("/v1/entities/us-ofac-sdn:999", headers=keys.bearer("lookup")), 404)
    check_problem(client.post("/v1/screen", content=b"{}", headers={"content-length": "x"}), 400)
    statuses = [client.get("/v1/lists", headers=keys.bearer("lookup")) for _ in range(4)]
    check_problem(statuses[-1], 429)


def test_a_validation_problem_lists_each_field_with_a_pointer(make_client: MakeClient) -> None:
    client = make_client()
    body = {"parties": [{"name": "x y", "country": "Iran"}, {"name": ""}], "limit": 0}
    problem = check_problem(client.post("/v1/screen", json=body), 422)
    places = {tuple(e["loc"]): e["pointer"] for e in problem["errors"]}
    assert places[("body", "parties", 0, "country")] == "#/parties/0/country"
    assert places[("body", "limit")] == "#/limit"
    assert all(set(e) == {"loc", "pointer", "type", "msg"} for e in problem["errors"])
    assert "input" not in str(problem)
    query = check_problem(client.get("/v1/search"), 422)
    assert query["errors"][0]["loc"] == ["query", "q"] and query["errors"][0]["pointer"] is None


def test_an_unavailable_engine_is_a_503_problem(make_client: MakeClient) -> None:
    engine = fixture_engine()
    client = make_client(engine_=engine)
    asyncio.run(engine.close())
    check_problem(client.post("/v1/screen", json=screen_body("x y")), 503)


def test_a_remote_client_without_keys_gets_a_403_problem(make_client: MakeClient) -> None:
    remote = make_client(client=("203.0.113.9", 40000))
    body = check_problem(remote.get("/v1/lists"), 403)
    assert "only loopback clients" in body["detail"]


def test_the_page_answers_a_browser_in_html_and_an_api_client_in_json(
    make_client: MakeClient,
) -> None:
    client = make_client()
    browser = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    page = client.get("/entity/us-ofac-sdn:999", headers=browser)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    as_json = client.get("/entity/us-ofac-sdn:999", headers={"accept": "application/json"})
    check_problem(as_json, 404)
    unknown = client.get("/no-such-page", headers=browser)
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
    api = client.get("/v1/nothing", headers=browser)  # API paths stay problem+json
    check_problem(api, 404)


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html", True),
        ("text/html,application/xhtml+xml,*/*;q=0.8", True),
        ("application/json", False),
        ("application/json, text/html;q=0.5", False),
        ("*/*", False),
        (None, False),
    ],
)
def test_who_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html


def test_pointers_escape_as_rfc_6901_says() -> None:
    assert pointer_of(["body", "document", "a/b", "c~d", 0]) == "#/document/a~1b/c~0d/0"
    assert pointer_of(["query", "q"]) is None


def test_problem_types_have_distinct_uris() -> None:
    assert len({p.uri for p in PROBLEM_TYPES}) == len(PROBLEM_TYPES)
