"""The validation cases of issue 16, each as it was found: names from multi-line fields,
invisible names, impossible dates, numbers that are not numbers, deep JSON, bodies that
are not JSON, `limit` above 30, and alerts past the first page of one refresh."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engines.embedded_engine import EmbeddedEngine
from indexer.build import build_embedded
from indexer.registry import parse_list
from tests.conftest import shared_list
from tests.service.conftest import Keys, MakeClient, TestClient, screen_body


def problem(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "name", ["أمیر محمد سعید عبد\n ", "Ahmad\tAli\r\nHassan", "OCEAN\u2028STAR", "OCEAN\x85STAR"]
)
def test_line_breaks_and_tabs_in_a_name_are_whitespace(client: TestClient, name: str) -> None:
    """Refused with 422 before: a name is one line, said the old rule."""
    response = client.post("/v1/screen", json=screen_body(name))
    assert response.status_code == 200, response.text
    screened = response.json()["results"][0]
    assert "\n" not in screened["name"] and "\t" not in screened["name"]
    assert len(screened["name"]) == len(name)  # each break one space: lengths stay the limits'


def test_a_name_with_a_line_break_still_finds_its_listing(client: TestClient) -> None:
    answer = client.post("/v1/screen", json=screen_body("Ahmad Ali\nHassan")).json()
    assert answer["results"][0]["matches"][0]["entity_id"] == "us-ofac-sdn:1001"


@pytest.mark.parametrize(
    "name",
    ["\u200b\u200b\u200b", "\u202e", "\u200d \u200c", "\ufeff", "\u3164\u3164", "\u2066\u2069"],
)
def test_a_name_of_invisible_characters_is_blank(client: TestClient, name: str) -> None:
    """Screened as "clear" and audited before, like a real name nobody could read."""
    body = problem(client.post("/v1/screen", json=screen_body(name)))
    (error,) = body["errors"]
    assert error["loc"] == ["body", "parties", 0, "name"] and "blank" in error["msg"]
    search = problem(client.get("/v1/search", params={"q": name}))
    assert search["errors"][0]["loc"] == ["query", "q"]


def test_invisible_characters_inside_a_real_name_are_kept(client: TestClient) -> None:
    response = client.post("/v1/screen", json=screen_body("محمد\u200cرضا", "\u202eOCEAN STAR"))
    assert response.status_code == 200


@pytest.mark.parametrize("dob", ["1970-02-31", "1971-02-29", "2000-04-31", "0000", "1970-13"])
def test_a_date_of_birth_the_calendar_lacks_is_refused(client: TestClient, dob: str) -> None:
    body = screen_body("x y")
    body["parties"][0]["date_of_birth"] = dob
    (error,) = problem(client.post("/v1/screen", json=body))["errors"]
    assert error["loc"] == ["body", "parties", 0, "date_of_birth"]


def test_a_leap_day_is_a_date(client: TestClient) -> None:
    body = screen_body("x y")
    body["parties"][0]["date_of_birth"] = "2000-02-29"
    assert client.post("/v1/screen", json=body).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [("min_score", False), ("min_score", "0.5"), ("limit", "10"), ("limit", True), ("limit", 2.5)],
)
def test_numbers_must_be_numbers(client: TestClient, field: str, value: Any) -> None:
    """`"min_score": false`, `"limit": "10"`, `"limit": true` were read as 0, 10 and 1."""
    (error,) = problem(client.post("/v1/screen", json=screen_body("x y", **{field: value})))[
        "errors"
    ]
    assert error["loc"] == ["body", field]


def test_json_numbers_are_numbers(client: TestClient) -> None:
    """JSON Schema's integer includes 2.0; a number includes 1."""
    assert client.post("/v1/screen", json=screen_body("x y", min_score=1)).status_code == 200
    assert client.post("/v1/screen", json=screen_body("x y", limit=2.0)).status_code == 200


@pytest.mark.parametrize("depth", [100, 10_000])
def test_deeply_nested_json_is_a_clear_422(client: TestClient, depth: int) -> None:
    """10,000 levels got 400 "There was an error parsing the body"."""
    payload = b'{"parties": [{"name": "x y"}], "document": {"a": ' + b"[" * depth
    payload += b"]" * depth + b"}}"
    body = problem(
        client.post("/v1/screen", content=payload, headers={"content-type": "application/json"})
    )
    assert "nests" in body["detail"]
    assert body["errors"][0]["loc"][0] == "body"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_sent_as_json_is_415(
    client: TestClient, content_type: str | None
) -> None:
    """It got 422 "Input should be a valid dictionary"."""
    headers = {"content-type": content_type} if content_type else {}
    payload = json.dumps(screen_body("x y")).encode()
    response = client.post("/v1/screen", content=payload, headers=headers)
    body = problem(response, 415)
    assert "application/json" in body["detail"]
    yente = client.post("/match/default", content=payload, headers=headers)
    assert yente.status_code == 415


def test_json_with_a_charset_and_problem_types_are_json(client: TestClient) -> None:
    payload = json.dumps(screen_body("x y")).encode()
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post(
            "/v1/screen", content=payload, headers={"content-type": content_type}
        )
        assert response.status_code == 200


@functools.cache
def _sdn_engine() -> EmbeddedEngine:
    return build_embedded([parse_list("us-ofac-sdn", shared_list("us-ofac-sdn", "2023-12-28"))])


@pytest.mark.shared_lists
def test_limit_goes_up_to_100_matches(make_client: MakeClient) -> None:
    """The engines considered 30 candidates whatever `limit` asked for."""
    client = make_client(engine_=_sdn_engine())
    body = screen_body("Mohammad Ali", limit=100, min_score=0)
    matches = client.post("/v1/screen", json=body).json()["results"][0]["matches"]
    assert len(matches) > 30
    search = client.get("/v1/search", params={"q": "Mohammad Ali", "limit": 100}).json()
    assert len(search["matches"]) > 30


def test_alerts_of_one_refresh_can_be_paged_past_a_full_page(
    make_client: MakeClient, keys: Keys, tmp_path: Path
) -> None:
    """One refresh stores its alerts with one timestamp; `since` alone stopped at 1,000."""
    client = make_client(keys=keys.ring())
    store = client.app.state.service.store.store  # type: ignore[attr-defined]
    moment = datetime.now(UTC).isoformat()
    store.add_alerts(
        [
            {"alerted_at": moment, "party_key": f"p{i}", "entity_id": "un-sc:X", "n": i}
            for i in range(2500)
        ]
    )
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    seen: list[int] = []
    after = 0
    for _page in range(4):
        answer = client.get(
            "/v1/alerts",
            params={"since": since, "after": after},
            headers=keys.bearer("auditor"),
        ).json()
        seen += [alert["n"] for alert in answer["alerts"]]
        after = answer["next_after"]
        if not answer["more"]:
            break
    assert seen == list(range(2500))


@pytest.mark.parametrize(
    "since", ["2026-01-01T00:00:00Z", "2026-01-01t00:00:00z", "2016-12-31T23:59:60Z", "2026-01-01"]
)
def test_since_takes_rfc_3339(make_client: MakeClient, keys: Keys, since: str) -> None:
    client = make_client(keys=keys.ring())
    response = client.get("/v1/alerts", params={"since": since}, headers=keys.bearer("auditor"))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "since", ["yesterday", "2026-02-30T00:00:00Z", "20260101", "2026-01-01T00:00"]
)
def test_since_refuses_what_is_not_rfc_3339(
    make_client: MakeClient, keys: Keys, since: str
) -> None:
    client = make_client(keys=keys.ring())
    response = client.get("/v1/alerts", params={"since": since}, headers=keys.bearer("auditor"))
    assert problem(response)["errors"][0]["loc"] == ["query", "since"]
