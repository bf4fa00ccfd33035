"""The candidate query and documents without a server: the same candidates, in the same
order, as the embedded index, and a body both engines accept as written."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from core.model import Entity
from core.score import Rarity, prepare_name
from engines.embedded import EmbeddedIndex
from engines.mapping import (
    RarityCounter,
    entity_document,
    is_versioned_index,
    rarity_from_json,
    rarity_to_json,
    versioned_index_name,
)
from engines.query import KeyStats, candidate_query, key_groups, name_total, plan
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
    documents = [entity_document(e) for e in entities]
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
        ours = sorted(best, key=lambda i: -best[i])
        theirs = [embedded.entities[c.entity].id for c in expected]
        assert set(ours) == set(theirs), text
        assert [round(best[i], 9) for i in ours] == sorted(
            (round(best[i], 9) for i in theirs), reverse=True
        ), text


def test_rarity_round_trips_and_matches_the_embedded_index(entities: list[Entity]) -> None:
    counter = RarityCounter()
    for entity in entities:
        counter.add(entity_document(entity))
    rarity = counter.rarity()
    embedded = EmbeddedIndex(entities)
    assert rarity == embedded.rarity
    assert rarity_from_json(rarity_to_json(rarity)) == rarity
    assert rarity_from_json(rarity_to_json(Rarity(0, {}))) == Rarity(0, {})


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


def test_versioned_index_names() -> None:
    name = versioned_index_name("0123456789ab", datetime(2026, 8, 1, 12, 0, 0, 123456, tzinfo=UTC))
    assert name == "screening-entities-0123456789ab-20260801t120000123"
    assert is_versioned_index(name)
    assert not is_versioned_index("screening-entities")
    assert not is_versioned_index("screening-entities-backup")
