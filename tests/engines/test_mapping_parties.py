"""The server documents' party and identifier fields, and which schema versions are read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.model import Entity, Identifier, IdType, Kind, Name
from core.parties import parties_of
from engines.base import IndexInfo
from engines.mapping import (
    ENTITY_READABLE_SCHEMAS,
    SCHEMA_VERSION,
    entity_document,
    identifier_terms,
    index_settings,
    meta_document,
    meta_from_json,
    party_from_source,
)
from tests.linked_parties import KOMID_LISTINGS, linked_lists


def test_documents_carry_their_party_and_identifier_terms() -> None:
    entities = [e for p in linked_lists() for e in p.entities]
    parties = parties_of(entities)
    by_id = {e.id: e for e in entities}
    body = entity_document(by_id["un-sc:KPe.001"], 0, party=parties["un-sc:KPe.001"]).body
    assert body["party_id"] == parties["un-sc:KPe.001"].id
    assert party_from_source(body) == parties["un-sc:KPe.001"]
    assert tuple(item["entity_id"] for item in body["party"]["listings"]) == KOMID_LISTINGS
    vessel = entity_document(by_id["ca-sema:russia/1-1/21"], 1).body
    assert vessel["identifiers"] == ["imo:9187629"]
    assert vessel["party"]["listings"][0]["entity_id"] == "ca-sema:russia/1-1/21"
    mapped = index_settings()["mappings"]["properties"]
    assert set(body) <= set(mapped)
    assert mapped["party_id"] == {"type": "keyword"}


def test_identifier_terms_leave_the_country_to_the_core() -> None:
    assert identifier_terms(["passport:IR:A123456", "tax_id:RU:7707083893"]) == [
        "passport:A123456",
        "registration:7707083893",
    ]
    entity = Entity("x:1", "x", Kind.PERSON, [Name("A B")],
                    identifiers=[Identifier(IdType.EMAIL, "a@b.example")])  # fmt: skip
    assert entity_document(entity, 0).body["identifiers"] == []


def test_a_service_reads_only_its_schema_a_refresh_also_the_previous_one() -> None:
    info = IndexInfo("v", datetime(2026, 1, 1, tzinfo=UTC))
    meta = meta_document(index="i", info=info, status="complete", entities=0, names=0, rarity=None)
    meta["rarity"] = {"documents": 0, "table": ""}
    assert meta_from_json(meta).index == "i"
    old = meta | {"schema_version": SCHEMA_VERSION - 1}
    with pytest.raises(ValueError, match="re-run `screening index`"):
        meta_from_json(old)
    assert meta_from_json(old, ENTITY_READABLE_SCHEMAS).index == "i"
