"""The candidate query and documents without a server: the same candidates, in the same
order, as the embedded index, and a body both engines accept as written."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from core.model import Entity
from core.score import Rarity, prepare_name
from engines.embedded import EmbeddedIndex
from engines.mapping import (
    RarityCounter,
    document_batch,
    entity_document,
    is_versioned_index,
    rarity_from_json,
    rarity_to_json,
    versioned_index_name,
)
from engines.query import (
    CandidatePlan,
    KeyStats,
    candidate_query,
    key_groups,
    name_total,
    plan,
    rank_entities,
)
from tests.engines.server_support import fixture_lists

QUERIES = [
    "Ahmad Ali HASSAN",
    "Hasan Ahmed",
    "Olena Kovalenko",
    "Gulf Trading",
    "Ocean Star",
    "Владимир Путин",
    "Trading Company Limited",
    "Mohammed",
]


@pytest.fixture(scope="module")
def entities() -> list[Entity]:
    return [e for p in fixture_lists() for e in p.entities]


def test_name_totals_rank_entities_as_the_embedded_index(entities: list[Entity]) -> None:
    embedded = EmbeddedIndex(entities)
    documents = [entity_document(e, i) for i, e in enumerate(entities)]
    frequencies: Counter[str] = Counter()
    for document in documents:
        for name in document.body["names"]:
            frequencies.update(name["keys"])
    stats = KeyStats(sum(d.name_count for d in documents), dict(frequencies))
    for text in QUERIES:
        prepared = prepare_name(text)
        candidate = plan(key_groups(prepared), stats)
        expected = list(embedded.candidates(prepared))
        if candidate is None:
            assert expected == []
            continue
        best: dict[str, float] = {}
        for document in documents:
            for name in document.body["names"]:
                total = name_total(name["keys"], candidate, stats)
                if total is not None:
                    best[document.id] = max(best.get(document.id, 0.0), total)
        position = {document.id: i for i, document in enumerate(documents)}
        # Exactly the embedded order: totals equal to the last bit, ties by list position.
        ours = sorted(best, key=lambda i: (-best[i], position[i]))
        theirs = [embedded.entities[c.entity].id for c in expected]
        assert ours == theirs, text


def test_rarity_round_trips_and_matches_the_embedded_index(entities: list[Entity]) -> None:
    counter = RarityCounter()
    for entity in entities:
        counter.add(entity_document(entity, 0))
    rarity = counter.rarity()
    embedded = EmbeddedIndex(entities)
    assert rarity == embedded.rarity
    assert rarity_from_json(rarity_to_json(rarity)) == rarity
    assert rarity_from_json(rarity_to_json(Rarity(0, {}))) == Rarity(0, {})


def test_document_batches_hold_the_documents(entities: list[Entity]) -> None:
    """Bulk bodies built in a worker: the same documents, ordinals and counts as one by one,
    cut into bodies of about max_bytes."""
    first, second = entities[:5], entities[5:]
    batches = [
        document_batch(first, 0, max_bytes=10_000),
        document_batch(second, len(first), max_bytes=10_000),
    ]
    lines = [
        json.loads(line)
        for batch in batches
        for payload in batch.payloads
        for line in payload.decode().splitlines()
    ]
    expected = [entity_document(e, i) for i, e in enumerate(entities)]
    assert lines[0::2] == [{"index": {"_id": d.id}} for d in expected]
    assert lines[1::2] == [json.loads(json.dumps(d.body)) for d in expected]
    assert [i for batch in batches for i in batch.ids] == [d.id for d in expected]
    assert sum(batch.names for batch in batches) == sum(d.name_count for d in expected)
    counter, merged = RarityCounter(), RarityCounter()
    for document in expected:
        counter.add(document)
    for batch in batches:
        merged.merge(batch.rarity)
    assert merged.rarity() == counter.rarity()
    # Cut after the document that reaches max_bytes (~48 kB of documents here).
    assert len(batches[1].payloads) > 2
    assert all(len(p) < 10_000 + 20_000 for batch in batches for p in batch.payloads[:-1])


def test_query_body_shape() -> None:
    prepared = prepare_name("Ahmad Ali HASSAN")
    groups = key_groups(prepared)
    frequencies = {key: 3 for group in groups for key in group}
    stats = KeyStats(1000, frequencies)
    candidate = plan(groups, stats)
    assert candidate is not None and not candidate.common_only
    body = candidate_query(candidate, stats, size=60, lists=["un-sc"], countries=["IR"])
    nested = body["query"]["bool"]["must"][0]["nested"]
    assert nested["score_mode"] == "max"
    assert nested["query"]["bool"]["filter"][0]["terms"]["names.keys"] == list(candidate.rare_keys)
    assert len(nested["query"]["bool"]["should"]) == len(candidate.groups)
    assert {"terms": {"list_id": ["un-sc"]}} in body["query"]["bool"]["filter"]
    # Every key on 4% of the names (over the 3% share): nothing rare, every key adds.
    common = KeyStats(10_000, {key: 400 for key in frequencies})
    only_common = plan(groups, common)
    assert only_common is not None and only_common.common_only
    body = candidate_query(only_common, common, size=60)
    assert body["query"]["bool"]["must"][0]["nested"]["query"]["bool"]["minimum_should_match"] == 1


def _hit(entity_id: str, ordinal: int, names: list[tuple[int, list[str]]]) -> dict[str, Any]:
    """A search hit as both servers answer the candidate query (sort values included)."""
    listed = [{"position": position, "keys": keys} for position, keys in names]
    return {
        "_id": entity_id,
        "_source": {"entity": {"id": entity_id}, "names": listed},
        "sort": [3.5, ordinal],
    }


def test_ties_rank_by_list_position_not_server_order() -> None:
    """Equal totals: entities by ordinal, names by position, whatever order the server
    returned them in (shards and Lucene's document order decide that)."""
    stats = KeyStats(1000, {"ivan": 10, "petrov": 10})
    candidate = CandidatePlan(groups=(("ivan",), ("petrov",)), rare_keys=("ivan", "petrov"))
    hits = [
        _hit("t:b", 7, [(4, ["ivan", "petrov"]), (2, ["olga"]), (1, ["ivan", "petrov"])]),
        _hit("t:a", 3, [(0, ["ivan", "petrov"])]),
        _hit("t:c", 5, [(0, ["ivan"])]),  # lower total: after both, whatever its ordinal
    ]
    ranked = rank_entities(hits, candidate, stats)
    assert [c.entity_id for c in ranked] == ["t:a", "t:b", "t:c"]
    assert ranked[1].positions == (1, 4)
    # An index built before the ordinal field: ties stay in server order.
    for hit in hits:
        hit["sort"] = [3.5, None]
    assert [c.entity_id for c in rank_entities(hits, candidate, stats)] == ["t:b", "t:a", "t:c"]


def test_common_keys_add_after_rare_ones_as_in_the_embedded_index() -> None:
    """Float sums depend on their order: rare groups first, then common keys."""
    stats = KeyStats(100_000, {"a": 3, "b": 19, "c": 40_000})
    weight = stats.weight
    candidate = CandidatePlan(groups=(("c",), ("a",), ("b",)), rare_keys=("a", "b"))
    assert name_total(["a", "b", "c"], candidate, stats) == (weight("a") + weight("b")) + (
        weight("c") - 0.0
    )
    assert (weight("a") + weight("b")) + weight("c") != (weight("c") + weight("a")) + weight("b")


def test_versioned_index_names() -> None:
    name = versioned_index_name("0123456789ab", datetime(2026, 8, 1, 12, 0, 0, 123456, tzinfo=UTC))
    assert name == "screening-entities-0123456789ab-20260801t120000123"
    assert is_versioned_index(name)
    assert not is_versioned_index("screening-entities")
    assert not is_versioned_index("screening-entities-backup")
