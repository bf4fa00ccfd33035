"""Decisions on hits through the API, on both stores: screen an alerting party, clear it,
screen again (not an alert, marked cleared with who and when); a changed date of birth or
a changed listing alerts again; scopes, supersession, and who may decide."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from indexer.build import build_embedded
from indexer.registry import parse_list
from service.auth import KeyRing
from tests.service.conftest import FIXTURE_LISTS, Keys, MakeClient, MakeStore

PARTY = {"name": "Ahmad Ali Hassan", "type": "person"}
LISTED = "us-ofac-sdn:1001"


def screen(client: Any, keys: Keys, party: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"parties": [party], **extra}
    response = client.post("/v1/screen", json=body, headers=keys.bearer("gateway"))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def match(answer: dict[str, Any], entity_id: str = LISTED) -> dict[str, Any]:
    found: dict[str, Any] = next(
        m for m in answer["results"][0]["matches"] if m["entity_id"] == entity_id
    )
    return found


def decide(client: Any, keys: Keys, **fields: Any) -> dict[str, Any]:
    body = {"party": PARTY, "entity_id": LISTED, "decision": "cleared", "reason": "r", **fields}
    response = client.post("/v1/decisions", json=body, headers=keys.bearer("officer"))
    assert response.status_code == 201, response.text
    decided: dict[str, Any] = response.json()
    return decided


@pytest.fixture
def ring(keys: Keys) -> KeyRing:
    return keys.ring()


def test_a_cleared_hit_stays_cleared_until_the_party_changes(
    make_client: MakeClient, make_store: MakeStore, keys: Keys, ring: KeyRing
) -> None:
    client = make_client(keys=ring, store=make_store())
    before = screen(client, keys, PARTY)
    assert before["decision"] == "alert" and match(before)["alert"] is True
    assert match(before)["cleared"] is None

    decided = decide(client, keys, reason="Different person: born 1985, Dutch passport")
    assert decided["decision"] == "cleared" and decided["by"] == "officer"
    assert decided["party"] == PARTY
    fingerprint = decided["party_fingerprint"]
    assert fingerprint["name"] == "ahmad ali hassan" and fingerprint["type"] == "person"
    assert len(fingerprint["key"]) == 32
    listing = decided["listing"]
    assert listing["entity_id"] == LISTED and listing["list_id"] == "us-ofac-sdn"
    assert listing["list_version"] == before["lists"][0]["version"]
    assert listing["index_version"] == before["index_version"] and listing["fingerprint"]
    assert decided["scope"] == {"type": "agency"} and decided["superseded_by"] is None

    after = screen(client, keys, {**PARTY, "name": "  AHMAD ali HASSAN "})
    cleared = match(after)
    assert cleared["alert"] is False and cleared["score"] == match(before)["score"]
    assert cleared["cleared"] == {
        "by": "officer",
        "at": decided["at"],
        "reason": "Different person: born 1985, Dutch passport",
        "decision_id": decided["decision_id"],
    }
    # The reason says so in the glossary's words; its sentence is the one before.
    assert match(before)["reason"].startswith("Alert. The listed ")
    assert cleared["reason"] == "Cleared by decision. " + match(before)["reason"].split(". ", 1)[1]
    others_alert = any(m["alert"] for m in after["results"][0]["matches"])
    assert after["results"][0]["decision"] == ("alert" if others_alert else "clear")
    assert after["decision"] == after["results"][0]["decision"]
    record = client.get(f"/v1/audit/{after['request_id']}", headers=keys.bearer("auditor"))
    (recorded,) = [m for m in record.json()["parties"][0]["matches"] if m["entity_id"] == LISTED]
    assert recorded["alert"] is False and recorded["cleared"] == decided["decision_id"]

    # Another date of birth is another party: the hit alerts again.
    changed = screen(client, keys, {**PARTY, "date_of_birth": "1960-01-01"})
    assert match(changed)["alert"] is True and match(changed)["cleared"] is None


def test_yente_match_honours_decisions(
    make_client: MakeClient, make_store: MakeStore, keys: Keys, ring: KeyRing
) -> None:
    """POST /match screens through the same path: a cleared listing is no match for the
    same party, and says who cleared it; the other query of the batch is untouched."""
    client = make_client(keys=ring, store=make_store())
    body = {
        "queries": {
            "q1": {"schema": "Person", "properties": {"name": [PARTY["name"]]}},
            "q2": {"schema": "Person", "properties": {"name": ["Ahmad Ali Hassan"],
                                                      "birthDate": ["1960-01-01"]}},
        }
    }  # fmt: skip

    def results(query_id: str) -> dict[str, Any]:
        answer = client.post("/match/default", json=body, headers=keys.bearer("gateway"))
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = next(
            r for r in answer.json()["responses"][query_id]["results"] if r["id"] == LISTED
        )
        return found

    assert results("q1")["match"] is True and "cleared" not in results("q1")
    decided = decide(client, keys)
    cleared = results("q1")
    assert cleared["match"] is False and cleared["cleared"]["decision_id"] == decided["decision_id"]
    assert results("q2")["match"] is True  # another date of birth: another party


def test_a_listing_changed_at_a_refresh_alerts_again(
    make_client: MakeClient, make_store: MakeStore, keys: Keys, ring: KeyRing
) -> None:
    store = make_store()
    client = make_client(keys=ring, store=store)
    screen(client, keys, PARTY)
    decide(client, keys)
    assert match(screen(client, keys, PARTY))["cleared"] is not None
    # The next version of the list gives the listing a new program (and nothing else).
    parsed = []
    for list_id, path in FIXTURE_LISTS:
        found = parse_list(list_id, path)
        entities = [
            dataclasses.replace(e, programs=[*e.programs, "NEW-EO"]) if e.id == LISTED else e
            for e in found.entities
        ]
        parsed.append(dataclasses.replace(found, entities=entities))
    refreshed = make_client(
        keys=ring, store=make_store(shared=True), engine_=build_embedded(parsed)
    )
    again = screen(refreshed, keys, PARTY)
    assert match(again)["alert"] is True and match(again)["cleared"] is None
    # The unchanged listing in the old index is still cleared: the rule is the content.
    assert match(screen(client, keys, PARTY))["cleared"] is not None


def test_a_traders_clearance_applies_to_that_traders_documents_only(
    make_client: MakeClient, make_store: MakeStore, keys: Keys, ring: KeyRing
) -> None:
    client = make_client(keys=ring, store=make_store())
    decided = decide(client, keys, scope={"trader": "AU-ABN-51824753556"})
    assert decided["scope"] == {"type": "trader", "trader": "AU-ABN-51824753556"}
    assert match(screen(client, keys, PARTY))["alert"] is True
    other = screen(client, keys, PARTY, document={"trader": "NZ-1234"})
    assert match(other)["alert"] is True
    mine = screen(client, keys, PARTY, document={"trader": "AU-ABN-51824753556"})
    assert match(mine)["alert"] is False and match(mine)["cleared"] is not None
    # The agency's confirmation outweighs the trader's clearance.
    decide(client, keys, decision="confirmed", reason="the listed person")
    mine = screen(client, keys, PARTY, document={"trader": "AU-ABN-51824753556"})
    assert match(mine)["alert"] is True and match(mine)["cleared"] is None


def test_a_decision_is_superseded_never_edited(
    make_client: MakeClient, make_store: MakeStore, keys: Keys, ring: KeyRing
) -> None:
    client = make_client(keys=ring, store=make_store())
    first = decide(client, keys, decision="escalated", reason="check the passport")
    assert match(screen(client, keys, PARTY))["alert"] is True
    second = decide(client, keys, reason="passport checked: another person")
    assert match(screen(client, keys, PARTY))["cleared"]["decision_id"] == second["decision_id"]
    listed = client.get("/v1/decisions", headers=keys.bearer("auditor")).json()
    assert [d["decision_id"] for d in listed["decisions"]] == [
        first["decision_id"],
        second["decision_id"],
    ]
    assert [d["superseded_by"] for d in listed["decisions"]] == [second["decision_id"], None]
    by_name = client.get(
        "/v1/decisions", params={"name": "AHMAD ALI HASSAN"}, headers=keys.bearer("officer")
    ).json()
    assert by_name["count"] == 0  # the fingerprint includes the type: person
    by_key = client.get(
        "/v1/decisions",
        params={"party_key": first["party_fingerprint"]["key"], "limit": 1},
        headers=keys.bearer("officer"),
    ).json()
    assert by_key["count"] == 1 and by_key["next_after"] is not None
    page = client.get(
        "/v1/decisions", params={"after": by_key["next_after"]}, headers=keys.bearer("officer")
    ).json()
    assert [d["decision_id"] for d in page["decisions"]] == [second["decision_id"]]
    assert (
        client.get(
            "/v1/decisions", params={"entity_id": "x"}, headers=keys.bearer("officer")
        ).json()["count"]
        == 0
    )


def test_who_may_decide(make_client: MakeClient, keys: Keys, ring: KeyRing) -> None:
    client = make_client(keys=ring)
    body = {"party": PARTY, "entity_id": LISTED, "decision": "cleared", "reason": "r"}
    assert client.post("/v1/decisions", json=body).status_code == 401
    refused = client.post("/v1/decisions", json=body, headers=keys.bearer("gateway"))
    assert refused.status_code == 403  # a gateway that screens cannot clear its own alerts
    assert client.get("/v1/decisions", headers=keys.bearer("lookup")).status_code == 403
    assert client.get("/v1/decisions", headers=keys.bearer("auditor")).status_code == 200


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"decision": "maybe"}, ["body", "decision"]),
        ({"reason": "   "}, ["body", "reason"]),
        ({"entity_id": "us-ofac-sdn:999999"}, ["body", "entity_id"]),
        ({"scope": {"trader": ""}}, ["body", "scope"]),
        ({"extra": 1}, ["body", "extra"]),
    ],
)
def test_a_bad_decision_is_refused_naming_the_field(
    client: Any, change: dict[str, Any], where: list[str]
) -> None:
    body = {"party": PARTY, "entity_id": LISTED, "decision": "cleared", "reason": "r", **change}
    response = client.post("/v1/decisions", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:screening:problem:validation"
    assert any(e["loc"][: len(where)] == where for e in problem["errors"]), response.text
