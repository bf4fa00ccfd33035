"""The OpenAPI document states the contract: security wherever a key is needed, every
validator as a schema constraint, the deployment's own limits and loaded lists, examples,
and the problem answers."""

from __future__ import annotations

import re
from typing import Any

from tests.service.conftest import Keys, MakeClient, TestClient

OPEN = {"/healthz", "/readyz", "/metrics"}


def spec_of(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]


def test_every_route_needing_a_key_declares_its_security(
    make_client: MakeClient, keys: Keys
) -> None:
    """/v1/alerts needed the admin scope and declared no security."""
    client = make_client(keys=keys.ring())
    spec = spec_of(client)
    for path, method, operation in operations(spec):
        needs_key = (
            client.request(
                method.upper(),
                path.replace("{dataset}", "default")
                .replace("{entity_id}", "x")
                .replace("{request_id}", "ab"),
                json={} if method == "post" else None,
            ).status_code
            == 401
        )
        declared = operation.get("security") == [{"bearerKey": []}, {"apiKeyHeader": []}]
        assert needs_key == declared, (method, path)
        assert needs_key == (path not in OPEN), (method, path)
    guarded = spec_of(make_client(keys=keys.ring(), metrics_require_key=True))
    assert "security" in guarded["paths"]["/metrics"]["get"]


def test_validators_are_schema_constraints(client: TestClient) -> None:
    spec = spec_of(client)
    schemas = spec["components"]["schemas"]
    party = schemas["Party"]["properties"]
    countries = next(a for a in party["country"]["anyOf"] if "enum" in a)["enum"]
    assert {"IR", "ir", "RU"} <= set(countries) and "XX" not in countries and "Ir" not in countries
    name = next(a for a in party["name"]["anyOf"] if a.get("type") == "string")
    assert name["maxLength"] == 300  # the configured max_name_length, not the ceiling
    pattern = re.compile(name["pattern"])
    assert pattern.match("Мухаммад Юсуф") and pattern.match("a\nb")
    assert not pattern.match("\u200b") and not pattern.match("a\x00b") and not pattern.match(" ")
    dob = [a for a in party["date_of_birth"]["anyOf"] if a.get("type") == "string"]
    assert {"format": "date", "type": "string"} in dob
    screen = schemas["ScreenRequest"]["properties"]
    assert screen["parties"]["maxItems"] == 100
    lists = next(a for a in screen["lists"]["anyOf"] if a.get("type") == "array")
    assert lists["items"]["enum"] == ["us-ofac-sdn", "un-sc", "gb-ofsi"]
    alerts = spec["paths"]["/v1/alerts"]["get"]["parameters"]
    since = next(p for p in alerts if p["name"] == "since")["schema"]
    assert {"date-time", "date"} == {a["format"] for a in since["anyOf"]}
    decisions = spec["paths"]["/v1/decisions"]["get"]["parameters"]
    for name in ("since", "until"):
        moment = next(p for p in decisions if p["name"] == name)["schema"]
        assert {"date-time", "date"} == {a["format"] for a in moment["anyOf"]}
    for name in ("name", "party_key", "by", "entity_id"):
        given = next(p for p in decisions if p["name"] == name)["schema"]
        assert any("pattern" in a for a in given["anyOf"] if a.get("type") == "string"), name
    search = {p["name"]: p["schema"] for p in spec["paths"]["/v1/search"]["get"]["parameters"]}
    assert "pattern" in search["q"] and search["q"]["maxLength"] == 300
    document = schemas["DocumentInfo"]
    assert document["maxProperties"] == 50 and "DocumentValue4" in schemas


def test_a_party_is_named_or_identified_and_identifiers_state_their_rules(
    client: TestClient,
) -> None:
    schemas = spec_of(client)["components"]["schemas"]
    assert {"required": ["identifiers"], "properties": {"identifiers": {"minItems": 1}}} in (
        schemas["Party"]["anyOf"]
    )
    identifier = schemas["IdentifierIn"]
    types = identifier["properties"]["type"]["enum"]
    assert "imo" in types and "email" not in types  # only the types that name one party
    by_type = {alt["properties"]["type"]["const"]: alt["properties"]["value"]
               for alt in identifier["oneOf"]}  # fmt: skip
    assert set(by_type) == set(types)
    imo = by_type["imo"]
    assert imo["format"] == "imo-number" and "check digit" in imo["description"]
    assert re.match(imo["pattern"], "IMO 9187629") and not re.match(imo["pattern"], "91876")
    countries = next(a for a in identifier["properties"]["country"]["anyOf"] if "enum" in a)
    assert "IR" in countries["enum"]


def test_errors_are_documented_as_problems_with_examples(client: TestClient) -> None:
    spec = spec_of(client)
    screen = spec["paths"]["/v1/screen"]["post"]
    for status in ("401", "403", "413", "415", "422", "429", "503"):
        content = screen["responses"][status]["content"]
        assert content == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert set(spec["components"]["schemas"]["Problem"]["required"]) >= {
        "type",
        "title",
        "status",
        "detail",
        "instance",
    }
    example = screen["requestBody"]["content"]["application/json"]["example"]
    assert example["parties"][0]["name"] == "Aerocaribbean Airlines"
    match = spec["paths"]["/match/{dataset}"]["post"]
    assert "queries" in match["requestBody"]["content"]["application/json"]["example"]
    dataset = next(p for p in match["parameters"] if p["name"] == "dataset")["schema"]
    assert {"default", "us-ofac-sdn", "us_ofac_sdn"} <= set(dataset["enum"])


def test_the_document_follows_the_configured_limits(make_client: MakeClient) -> None:
    spec = spec_of(make_client(max_parties=7, max_name_length=40))
    schemas = spec["components"]["schemas"]
    assert schemas["ScreenRequest"]["properties"]["parties"]["maxItems"] == 7
    name = schemas["Party"]["properties"]["name"]["anyOf"]
    assert next(a for a in name if a.get("type") == "string")["maxLength"] == 40
    assert schemas["EntityMatchQuery"]["properties"]["queries"]["maxProperties"] == 7
